"""The small location map printed in a report: administrative boundaries around the
facility (or zone) and a marker, drawn with Pillow. No tiles, no network.

PostGIS does the spatial work: it projects to UTM zone 48N (EPSG:32648, metres, the zone
Hai Phong lies in, so the map is true to scale), simplifies the boundaries to about one
pixel (ST_SimplifyPreserveTopology, tolerance in metres) and writes GeoJSON. Python only
maps metres to pixels and draws.
"""
from __future__ import annotations

import io
import json
import unicodedata

from django.contrib.gis.db.models.functions import (
    AsGeoJSON,
    GeomOutputGeoFunc,
    Intersection,
    PointOnSurface,
    Transform,
)
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.db import connection
from django.db.models import FloatField, Value
from PIL import Image, ImageDraw, ImageFont

from geoportal.organisations.models import AdministrativeUnit
from reports.pdf.fetcher import FONTS_DIR

UTM_48N = 32648  # WGS 84 / UTM zone 48N: metres; Hai Phong (106.4–107.1 E) lies in zone 48
POINT_VIEW_M = 6000.0  # width shown around a facility point (m)
MIN_VIEW_M = 2000.0
SUPERSAMPLE = 2  # draw at twice the size, then downsample: antialiased lines
BACKGROUND = (250, 248, 242)
UNIT_FILL = (236, 234, 226)
UNIT_HOME_FILL = (255, 241, 196)
UNIT_LINE = (120, 120, 120)
SUBJECT = (200, 30, 30)
TEXT = (60, 60, 60)


class SimplifyPreserveTopology(GeomOutputGeoFunc):
    """ST_SimplifyPreserveTopology(geom, tolerance): tolerance in the geometry's units."""

    function = "ST_SimplifyPreserveTopology"


def location_map_png(*, geom: GEOSGeometry, srid: int = 4326, size: tuple[int, int] = (480, 320)) -> bytes:
    """A PNG map of `geom` (a point or a polygon in `srid`) among the administrative units around it."""
    width, height = size
    if not geom.srid:
        geom = geom.clone()
        geom.srid = srid
    ewkt = geom.ewkt
    # The subject in UTM 48N, its box, and a point on it (PostGIS does the projection).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g), ST_AsGeoJSON(g, 1),"
            " ST_X(ST_PointOnSurface(g)), ST_Y(ST_PointOnSurface(g))"
            " FROM (SELECT ST_Transform(ST_GeomFromEWKT(%s), %s) AS g) s", [ewkt, UTM_48N])
        xmin, ymin, xmax, ymax, subject_json, cx, cy = cursor.fetchone()
    frame = _frame(xmin, ymin, xmax, ymax, width / height)
    scale = (frame[2] - frame[0]) / width  # metres per output pixel
    box = Polygon.from_bbox(frame)
    box.srid = UTM_48N
    # Units whose boundary meets the frame (the index filter runs in EPSG:4326: Django
    # transforms the frame in SQL), simplified to about a pixel and projected in SQL.
    units = list(
        AdministrativeUnit.objects.filter(geom__intersects=box)
        .annotate(outline=AsGeoJSON(SimplifyPreserveTopology(Transform("geom", UTM_48N),
                                                             Value(scale, output_field=FloatField())),
                                    precision=1),
                  # The label goes on the part of the unit inside the frame.
                  anchor=AsGeoJSON(PointOnSurface(Intersection(Transform("geom", UTM_48N), box)), precision=1))
        .order_by("code").values_list("id", "name", "outline", "anchor"))
    home = set(AdministrativeUnit.objects.filter(geom__intersects=geom).values_list("id", flat=True))

    k = SUPERSAMPLE
    image = Image.new("RGB", (width * k, height * k), BACKGROUND)
    draw = ImageDraw.Draw(image)

    def to_px(x: float, y: float) -> tuple[float, float]:
        return ((x - frame[0]) / scale * k, (frame[3] - y) / scale * k)

    for unit_id, _name, outline, _anchor in units:
        fill = UNIT_HOME_FILL if unit_id in home else UNIT_FILL
        for ring in _rings(json.loads(outline)):
            draw.polygon([to_px(x, y) for x, y in ring], fill=fill)
    for _id, _name, outline, _anchor in units:
        for ring in _rings(json.loads(outline)):
            draw.line([to_px(x, y) for x, y in ring] + [to_px(*ring[0])], fill=UNIT_LINE, width=k)

    subject_rings = _rings(json.loads(subject_json))
    _draw_area(draw, subject_rings, to_px, k)  # under the labels
    label_font = ImageFont.truetype(str(FONTS_DIR / "NotoSerif-Regular.ttf"), 11 * k)
    home_font = ImageFont.truetype(str(FONTS_DIR / "NotoSerif-Bold.ttf"), 12 * k)
    pin = None if subject_rings else to_px(cx, cy)
    # Labels keep clear of the pin.
    taken: list[tuple[float, float, float, float]] = [] if pin is None else [
        (pin[0] - 8 * k, pin[1] - 20 * k, pin[0] + 8 * k, pin[1] + 2 * k)]
    for unit_id, name, _outline, anchor in sorted(units, key=lambda u: u[0] not in home):
        point = json.loads(anchor) if anchor else {}
        if point.get("type") != "Point":  # the unit only touches the frame
            continue
        x, y = point["coordinates"]
        px, py = to_px(x, y)
        font = home_font if unit_id in home else label_font
        text = unicodedata.normalize("NFC", name)
        left, top, right, bottom = draw.textbbox((px, py), text, font=font, anchor="mm")
        if left < 0 or top < 0 or right > width * k or bottom > height * k:
            continue
        if any(not (right < a or left > c or bottom < b or top > d) for a, b, c, d in taken):
            continue
        taken.append((left, top, right, bottom))
        draw.text((px, py), text, font=font, fill=TEXT, anchor="mm")

    if pin is not None:
        _draw_pin(draw, pin, k)
    _draw_scale_bar(draw, scale, width, height, k, label_font)
    _draw_north(draw, width, k, label_font)
    draw.rectangle([0, 0, width * k - 1, height * k - 1], outline=UNIT_LINE, width=k)

    image = image.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _frame(xmin: float, ymin: float, xmax: float, ymax: float, aspect: float) -> tuple[float, float, float, float]:
    """The map frame in metres: the subject's box plus 30 %, at least MIN_VIEW_M wide, at the image's aspect."""
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    if xmax - xmin < 1 and ymax - ymin < 1:  # a point
        w = POINT_VIEW_M
    else:
        w = max((xmax - xmin) * 1.3, (ymax - ymin) * 1.3 * aspect, MIN_VIEW_M)
    h = w / aspect
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _rings(geometry: dict) -> list[list[tuple[float, float]]]:
    """Every ring of a (multi)polygon or line in a GeoJSON geometry."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        return [[tuple(p) for p in ring] for ring in coords if len(ring) > 2]
    if kind == "MultiPolygon":
        return [[tuple(p) for p in ring] for polygon in coords for ring in polygon if len(ring) > 2]
    if kind in ("LineString",):
        return [[tuple(p) for p in coords]] if len(coords) > 1 else []
    if kind == "MultiLineString":
        return [[tuple(p) for p in line] for line in coords if len(line) > 1]
    if kind == "GeometryCollection":
        return [ring for part in geometry.get("geometries", ()) for ring in _rings(part)]
    return []


def _draw_area(draw: ImageDraw.ImageDraw, rings: list, to_px, k: int) -> None:
    """A zone (or any polygon subject): filled, with a red outline."""
    for ring in rings:
        points = [to_px(x, y) for x, y in ring]
        draw.polygon(points, fill=(240, 190, 190))
        draw.line(points + [points[0]], fill=SUBJECT, width=2 * k)


def _draw_pin(draw: ImageDraw.ImageDraw, at: tuple[float, float], k: int) -> None:
    """A map pin whose tip is the facility's location."""
    px, py = at
    r = 7 * k
    draw.polygon([(px, py), (px - r * 0.8, py - r * 1.6), (px + r * 0.8, py - r * 1.6)], fill=SUBJECT)
    draw.ellipse([px - r, py - 2.6 * r, px + r, py - 0.6 * r], fill=SUBJECT, outline=(255, 255, 255), width=k)
    draw.ellipse([px - r * 0.35, py - 1.95 * r, px + r * 0.35, py - 1.25 * r], fill=(255, 255, 255))


def _draw_scale_bar(draw: ImageDraw.ImageDraw, scale: float, width: int, height: int, k: int, font) -> None:
    """A bar of a round length (m or km) about a quarter of the map wide, bottom left."""
    target = width * scale / 4
    length = max((n * 10 ** e for e in range(1, 6) for n in (1, 2, 5) if n * 10 ** e <= target), default=100)
    bar = length / scale * k
    x0, y0 = 12 * k, (height - 14) * k
    draw.rectangle([x0 - 4 * k, y0 - 20 * k, x0 + bar + 34 * k, y0 + 6 * k], fill=(255, 255, 255))
    draw.line([(x0, y0), (x0 + bar, y0)], fill=TEXT, width=2 * k)
    for x in (x0, x0 + bar):
        draw.line([(x, y0 - 5 * k), (x, y0)], fill=TEXT, width=k)
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    draw.text((x0 + bar + 4 * k, y0), text, font=font, fill=TEXT, anchor="ls")


def _draw_north(draw: ImageDraw.ImageDraw, width: int, k: int, font) -> None:
    """A north arrow ("B", Bắc) top right: UTM grid north is within a degree of true north here."""
    x, y = (width - 20) * k, 14 * k
    h = 16 * k
    draw.polygon([(x, y), (x - 6 * k, y + h), (x, y + h * 0.7), (x + 6 * k, y + h)], fill=TEXT)
    draw.text((x, y + h + 2 * k), "B", font=font, fill=TEXT, anchor="mt")

