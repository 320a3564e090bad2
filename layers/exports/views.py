"""Synchronous exports of a layer: GeoJSON, GeoPackage, Shapefile, CSV and KML.

Visibility and field masking are those of the vector tiles (layers/tiles/masking.py):
published rows carry the public fields, rows in the requester's own scope every field.
GeoJSON and CSV are streamed from a server-side cursor (flat memory); GeoPackage,
Shapefile and KML are written by pyogrio into a temporary directory. Above
EXPORT_MAX_ROWS rows the request is refused with 413 (background exports come later).
"""
from __future__ import annotations

import csv
import io
import shutil
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from geoportal.core.errors import problem_response
from layers.tiles.masking import GEOM, MaskedQuery, masked_query, quote

FORMATS = ("geojson", "gpkg", "shp", "csv", "kml")
DEFAULT_MAX_ROWS = 50_000
CHUNK = 2_000
MAX_SEARCH = 200
# Cells starting with these are formulas to a spreadsheet (RELIABILITY.md R-24).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
INTEGER_TYPES = {"AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
                 "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField"}


class BadFilter(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def max_rows() -> int:
    return int(getattr(settings, "EXPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


# --- filters (the same as the OGC API items) ---------------------------------------------

def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in raw.split(","))
    except ValueError:
        raise BadFilter("bbox", _("bbox must be four numbers: west,south,east,north.")) from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise BadFilter("bbox", _("bbox must be west,south,east,north in degrees, with west < east "
                                  "and south < north."))
    return west, south, east, north


def refiner(params):
    """A function adding the request's filters to a queryset (bad input -> BadFilter)."""
    bbox = parse_bbox(params["bbox"]) if params.get("bbox") else None
    unit = params.get("admin_unit")
    if unit:
        try:
            unit = int(unit)
        except ValueError:
            raise BadFilter("admin_unit", _("admin_unit must be the number of an administrative unit.")) from None
    text = (params.get("q") or "").strip()
    if len(text) > MAX_SEARCH:
        raise BadFilter("q", _("The search text is too long (at most %(n)d characters).") % {"n": MAX_SEARCH})

    def refine(qs):
        if bbox:
            qs = qs.within(bbox)
        if unit:
            qs = qs.filter(admin_unit_id=unit)
        if text:
            qs = qs.search(text)
        return qs

    return refine


# --- helpers -------------------------------------------------------------------------------

def stream_rows(sql: str, params):
    """Rows from a server-side cursor, CHUNK at a time."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            yield rows


def count_capped(mq: MaskedQuery, cap: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({mq.sql} LIMIT {int(cap) + 1}) AS src", mq.params)
        return cursor.fetchone()[0]


def neutralise(value):
    """Defuse spreadsheet formulas: a leading apostrophe before =, +, -, @, TAB, CR, NUL."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- writers -------------------------------------------------------------------------------

def geojson_response(mq: MaskedQuery):
    geom = f"src.{quote(GEOM)}"
    props = ", ".join(f"'{c.name}', src.{quote(c.alias)}" for c in mq.columns)
    sql = (f"SELECT json_build_object('type', 'Feature', 'id', src.{quote('c_id')}, "
           f"'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW({geom}), 6)::json, "
           f"'properties', json_build_object({props}))::text FROM ({mq.sql}) AS src")

    def body():
        yield '{"type": "FeatureCollection", "features": [\n'
        first = True
        for rows in stream_rows(sql, mq.params):
            text = ",\n".join(row[0] for row in rows)
            yield text if first else ",\n" + text
            first = False
        yield "\n]}\n"

    response = StreamingHttpResponse(body(), content_type="application/geo+json")
    return attachment(response, f"{mq.slug}.geojson")


def csv_response(mq: MaskedQuery):
    geom = f"src.{quote(GEOM)}"
    cols = ", ".join(f"src.{quote(c.alias)}" for c in mq.columns)
    sql = (f"SELECT {cols}, ST_AsText({geom}), ST_X(ST_PointOnSurface({geom})), ST_Y(ST_PointOnSurface({geom})) "
           f"FROM ({mq.sql}) AS src")
    header = [c.name for c in mq.columns] + ["wkt", "lon", "lat"]

    def body():
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        yield "\ufeff" + buffer.getvalue()
        for rows in stream_rows(sql, mq.params):
            buffer.seek(0)
            buffer.truncate()
            for row in rows:
                writer.writerow([neutralise(plain(v)) for v in row])
            yield buffer.getvalue()

    response = StreamingHttpResponse(body(), content_type="text/csv; charset=utf-8")
    return attachment(response, f"{mq.slug}.csv")


def dataframe(mq: MaskedQuery):
    """The masked rows as a GeoDataFrame (EPSG:4326), typed for OGR."""
    import geopandas
    import pandas
    import shapely

    cols = ", ".join(f"src.{quote(c.alias)}" for c in mq.columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cols}, ST_AsBinary(src.{quote(GEOM)}) FROM ({mq.sql}) AS src", mq.params)
        rows = cursor.fetchall()
    data = {}
    for i, column in enumerate(mq.columns):
        values = [row[i] for row in rows]
        if column.internal_type == "BooleanField":
            series = pandas.Series(values, dtype="boolean")
        elif column.internal_type in INTEGER_TYPES:
            series = pandas.Series(values, dtype="Int64")
        elif column.internal_type in ("DecimalField", "FloatField"):
            series = pandas.Series([None if v is None else float(v) for v in values], dtype="float64")
        else:
            series = pandas.Series([None if v is None else str(plain(v)) for v in values], dtype=object)
        data[column.name] = series
    geometry = shapely.from_wkb([bytes(row[-1]) for row in rows]) if rows else []
    return geopandas.GeoDataFrame(pandas.DataFrame(data), geometry=geopandas.GeoSeries(geometry, crs="EPSG:4326"))


def shapefile_names(names: list[str]) -> dict[str, str]:
    """Field names cut to the 10 characters dBase allows, kept unique."""
    used: set[str] = set()
    mapping = {}
    for name in names:
        short = name[:10]
        n = 1
        while short.lower() in used:
            suffix = f"_{n}"
            short = name[:10 - len(suffix)] + suffix
            n += 1
        used.add(short.lower())
        mapping[name] = short
    return mapping


def file_response(path: Path, workdir: Path, filename: str, content_type: str):
    handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    shutil.rmtree(workdir, ignore_errors=True)  # the open handle keeps the data until closed
    response = FileResponse(handle, content_type=content_type, as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


def ogr_response(mq: MaskedQuery, fmt: str):
    from pyogrio import write_dataframe

    gdf = dataframe(mq)
    layer = mq.slug.replace("-", "_")
    workdir = Path(tempfile.mkdtemp(prefix="export-"))
    try:
        if fmt == "gpkg":
            path = workdir / f"{layer}.gpkg"
            write_dataframe(gdf, path, layer=layer, driver="GPKG")
            return file_response(path, workdir, f"{mq.slug}.gpkg", "application/geopackage+sqlite3")
        if fmt == "kml":
            path = workdir / f"{layer}.kml"
            write_dataframe(gdf, path, layer=layer, driver="KML")
            return file_response(path, workdir, f"{mq.slug}.kml", "application/vnd.google-earth.kml+xml")
        mapping = shapefile_names(list(gdf.columns.drop("geometry")))
        gdf = gdf.rename(columns=mapping)
        shp_dir = workdir / "shp"
        shp_dir.mkdir()
        write_dataframe(gdf, shp_dir / f"{layer}.shp", layer=layer, driver="ESRI Shapefile", encoding="UTF-8")
        (shp_dir / f"{layer}.cpg").write_text("UTF-8", encoding="ascii")
        readme = "\n".join(["Field map (Shapefile name = full name):", *(f"{v} = {k}" for k, v in mapping.items())])
        (shp_dir / "README.txt").write_text(readme + "\n", encoding="utf-8")
        path = workdir / f"{layer}.zip"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for item in sorted(shp_dir.iterdir()):
                archive.write(item, arcname=item.name)
        return file_response(path, workdir, f"{mq.slug}-shp.zip", "application/zip")
    except Exception:
        shutil.rmtree(workdir, ignore_errors=True)
        raise


# --- the view ------------------------------------------------------------------------------

@require_GET
def export(request, collection: str, fmt: str):
    if fmt not in FORMATS:
        message = _("Unknown format; use one of: %(f)s.") % {"f": ", ".join(FORMATS)}
        return problem_response(status_code=400, code="invalid", title=_("Invalid request"), detail=message,
                                errors={"format": [message]})
    try:
        mq = masked_query(collection, request.user, refine=refiner(request.GET), ordered=True)
    except BadFilter as exc:
        return problem_response(status_code=400, code="invalid", title=_("Invalid request"), detail=exc.message,
                                errors={exc.field: [exc.message]})
    except Http404:
        return problem_response(status_code=404, code="not_found", title=_("Not found"),
                                detail=_("No such resource, or it is outside your scope."))
    cap = max_rows()
    if count_capped(mq, cap) > cap:
        message = _("This export has more than %(n)d features. Narrow the filter (bbox, admin_unit or q), "
                    "or sign in and run it in the background (POST /exports/jobs/).") % {"n": cap}
        return problem_response(status_code=413, code="too_many_rows", title=_("Export too large"), detail=message)
    if fmt == "geojson":
        return geojson_response(mq)
    if fmt == "csv":
        return csv_response(mq)
    return ogr_response(mq, fmt)

