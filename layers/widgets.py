"""Form widgets and fields that locate a feature: a point or an area on a Leaflet map.

Works offline and under our CSP: Leaflet (and Leaflet-Geoman for polygons) are
vendored, the base map is our own administrative units (tiles only when
BASEMAP_TILE_URL is set), the options travel as ``<script type="application/json">``
and every line of JavaScript is in static/js/location-widget.js.

Besides the map, the point widget has a coordinate box: a CRS select and X/Y (VN-2000
or UTM, X = northing), lat/lon or DMS inputs. The browser shows the converted WGS 84
position live through /api/v1/crs/transform/; the server converts the posted
coordinates again itself (pyproj, EPSG:6960 for VN-2000), so what is stored never
depends on the browser. Posted fields, for a widget named ``geom``:

    geom              the geometry as GeoJSON or (E)WKT (hidden textarea; the map writes it)
    geom_source_srid  the EPSG code the location came in (4326 when placed on the map)
    geom_crs          the coordinate-box CRS key ("9210", "4326", "4326-dms", ...)
    geom_x, geom_y    projected X (northing), Y (easting) in metres
    geom_lat, geom_lon, geom_dms   WGS 84 degrees / a DMS pair

Typed coordinates, when present, win over the textarea (the map script clears them
when the marker is moved by hand). Use ``widget.source_srid_from_datadict`` (or
``posted_source_srid``) to keep the source SRID on the record.

``value_from_datadict`` returns a GEOSGeometry (srid 4326), None when nothing was
given, or an ``InvalidGeometryInput`` carrying the ValidationError, which
``LocationField``/``AreaField`` (and GeoDjango's geometry fields, through
``deserialize``) raise as a field error. It does not raise itself, because Django
also calls it while re-rendering a form with errors and in ``changed_data``, where an
exception would be a 500.
"""
from __future__ import annotations

import re
from typing import Any, Literal

import numpy as np
import shapely
from django import forms
from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from pyproj.exceptions import ProjError
from shapely.errors import ShapelyError

from geoportal.core import crs
from geoportal.core.html import json_for_script

Kind = Literal["point", "area"]

MAX_GEOMETRY_CHARS = 2_000_000   # the posted text (GeoJSON/WKT); the request cap is 5 MB
MAX_VERTICES = 50_000            # enough for a detailed zone boundary
MAX_GEOM_COLLECTIONS = 8         # nesting GEOS may parse (a widget never needs more)
COORDINATE_SUFFIXES = ("crs", "x", "y", "lat", "lon", "dms", "source_srid")
SELF_INTERSECTION = re.compile(r"self-intersection\[\s*([-\d.eE+]+)\s+([-\d.eE+]+)", re.IGNORECASE)


class InvalidGeometryInput:
    """Bad input from a location widget: the posted text and the error to report."""

    __slots__ = ("raw", "error")

    def __init__(self, raw: str, error: ValidationError) -> None:
        self.raw = raw
        self.error = error

    def __str__(self) -> str:
        return self.raw

    def __repr__(self) -> str:
        return f"InvalidGeometryInput({self.raw[:40]!r}, {self.error.messages!r})"


# --- Validation (shared by the widgets and the fields) -----------------------------------
def _invalid(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _to_wgs84(geom: GEOSGeometry, srid: int) -> GEOSGeometry:
    """Transform a geometry to EPSG:4326 with the pinned pyproj transformer."""
    if srid not in crs.SUPPORTED_SRIDS:
        raise _invalid(_("Unsupported coordinate system: %(crs)s.") % {"crs": f"EPSG:{srid}"}, "srid")
    if srid == crs.WGS84:
        out = geom.clone()
        out.srid = crs.WGS84
        return out
    if srid in crs.PROJECTED_SRIDS:
        xmin, ymin, xmax, ymax = geom.extent
        try:  # GIS order (E, N) in WKT/GeoJSON: check both corners for swapped axes
            crs.check_axis_order(northing=ymin, easting=xmin)
            crs.check_axis_order(northing=ymax, easting=xmax)
        except crs.CoordinateError as exc:
            raise _invalid(exc.message, "axis_order") from exc
    transformer = crs.get_transformer(srid, crs.WGS84)

    def project(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1], errcheck=True)
        return np.column_stack([x, y])

    try:
        shape = shapely.transform(shapely.from_wkb(bytes(geom.wkb)), project)
    except (ProjError, ShapelyError, ValueError) as exc:
        raise _invalid(_("These coordinates cannot be converted from EPSG:%(from)s to EPSG:%(to)s.")
                       % {"from": srid, "to": crs.WGS84}, "transform") from exc
    return GEOSGeometry(memoryview(shapely.to_wkb(shape)), srid=crs.WGS84)


def _validity_message(geom: GEOSGeometry, kind: Kind) -> str:
    reason = geom.valid_reason
    match = SELF_INTERSECTION.search(reason)
    if match:
        lon, lat = float(match.group(1)), float(match.group(2))
        return _("The boundary crosses itself near %(lat).5f N, %(lon).5f E. Redraw it so that "
                 "its edges do not cross and its parts do not overlap.") % {"lat": lat, "lon": lon}
    if kind == "area":
        return _("The boundary is not a valid polygon (%(reason)s).") % {"reason": reason}
    return _("The location is not a valid point (%(reason)s).") % {"reason": reason}


def check_location(geom: GEOSGeometry, *, kind: Kind) -> GEOSGeometry:
    """The geometry as the field stores it (EPSG:4326, Point or MultiPolygon, 2D), or a
    ValidationError saying what is wrong in words a user can act on."""
    if geom.empty:
        raise _invalid(_("The geometry is empty."), "empty")
    if geom.num_coords > MAX_VERTICES:
        raise _invalid(_("The geometry has too many vertices (at most %(max)s).") % {"max": MAX_VERTICES},
                       "too_large")
    if geom.hasz:
        ogr = geom.ogr
        ogr.set_3d(False)
        geom = ogr.geos
    geom = _to_wgs84(geom, geom.srid or crs.WGS84)
    if kind == "point":
        if geom.geom_type != "Point":
            raise _invalid(_("Place one point (got a %(type)s).") % {"type": geom.geom_type}, "geom_type")
        try:  # names a latitude beyond ±90° (lon/lat swapped) before the Vietnam check
            crs.to_wgs84(geom.x, geom.y, crs.WGS84)
        except crs.CoordinateError as exc:
            raise _invalid(exc.message, "coordinates") from exc
    else:
        if geom.geom_type == "Polygon":
            geom = MultiPolygon(geom, srid=crs.WGS84)
        if geom.geom_type != "MultiPolygon":
            raise _invalid(_("Draw the area as one or more polygons (got a %(type)s).")
                           % {"type": geom.geom_type}, "geom_type")
    if not geom.valid:
        raise _invalid(_validity_message(geom, kind), "invalid_geom")
    xmin, ymin, xmax, ymax = geom.extent
    if not (crs.in_vietnam(xmin, ymin) and crs.in_vietnam(xmax, ymax)):
        if kind == "point":
            raise _invalid(_("The point (%(lat).5f N, %(lon).5f E) is outside Vietnam. Check the "
                             "coordinate system and the order of X and Y.")
                           % {"lat": geom.y, "lon": geom.x}, "outside_vietnam")
        raise _invalid(_("The area reaches outside Vietnam. Check the coordinate system and the "
                         "order of X and Y."), "outside_vietnam")
    return geom


def parse_geometry_text(text: str, *, kind: Kind) -> GEOSGeometry:
    """GeoJSON, WKT, EWKT (``SRID=9210;POINT(606437 2304118)``, GIS order) or HEX(E)WKB →
    a checked EPSG:4326 geometry; a GeoJSON or WKT without an SRID is WGS 84."""
    text = text.strip()
    if len(text) > MAX_GEOMETRY_CHARS:
        raise _invalid(_("The geometry is too large."), "too_large")
    try:
        geom = GEOSGeometry(text, max_geom_collections=MAX_GEOM_COLLECTIONS)
    except (GEOSException, GDALException, ValueError, TypeError) as exc:
        raise _invalid(_("The geometry could not be read. Place it on the map again."), "invalid_geom") from exc
    return check_location(geom, kind=kind)


def _coordinate_point(inputs: dict[str, str], crs_key: str) -> tuple[GEOSGeometry, int] | None:
    """The point typed in the coordinate box for ``crs_key``, or None if those inputs are empty."""
    try:
        system = crs.input_crs(crs_key or crs.VN2000_TM3_105_45)
    except crs.CoordinateError as exc:
        raise _invalid(exc.message, "srid") from exc
    try:
        if system.projected:
            x, y = inputs.get("x", ""), inputs.get("y", "")
            if not (x or y):
                return None
            if not x:
                raise crs.CoordinateError(_("Enter X (northing)."), field="northing")
            if not y:
                raise crs.CoordinateError(_("Enter Y (easting)."), field="easting")
            lon, lat = crs.projected_to_wgs84(northing=crs.parse_metres(x, field="northing"),
                                              easting=crs.parse_metres(y, field="easting"),
                                              srid=system.srid)
        elif system.kind == "degrees":
            lat_text, lon_text = inputs.get("lat", ""), inputs.get("lon", "")
            if not (lat_text or lon_text):
                return None
            if not lat_text:
                raise crs.CoordinateError(_("Enter the latitude."), field="lat")
            if not lon_text:
                raise crs.CoordinateError(_("Enter the longitude."), field="lon")
            lon, lat = crs.to_wgs84(crs.parse_dms(lon_text, axis="lon"),
                                    crs.parse_dms(lat_text, axis="lat"), crs.WGS84)
        else:
            if not inputs.get("dms"):
                return None
            lon, lat = crs.parse_coordinate_pair(inputs["dms"])
    except crs.CoordinateError as exc:
        label = {
            "northing": _("X (northing)"), "easting": _("Y (easting)"),
            "lat": _("Latitude"), "lon": _("Longitude"),
        }.get(exc.field or "")
        message = f"{label}: {exc.message}" if label and label not in exc.message else exc.message
        raise _invalid(message, "coordinates") from exc
    return Point(lon, lat, srid=crs.WGS84), system.srid


def posted_source_srid(data: Any, name: str) -> int:
    """The source SRID posted with a location widget (4326 when missing or unsupported)."""
    value = str(data.get(f"{name}_source_srid", "") or "").strip()
    return int(value) if value.isdigit() and int(value) in crs.SUPPORTED_SRIDS else crs.WGS84


# --- Widgets ----------------------------------------------------------------------------
class _MapWidget(forms.Widget):
    """Shared by LocationWidget and AreaWidget."""

    kind: Kind = "point"
    default_lat = 20.86
    default_lon = 106.68
    default_zoom = 10
    debounce_ms = 400

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self._posted: dict[str, str] = {}

    def __deepcopy__(self, memo):
        obj = super().__deepcopy__(memo)
        obj._posted = {}
        return obj

    # value -------------------------------------------------------------------------
    def format_value(self, value: Any) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, InvalidGeometryInput):
            return value.raw
        if isinstance(value, GEOSGeometry):
            geom = value if value.srid in (None, crs.WGS84) else _safe_to_wgs84(value)
            return geom.json if geom is not None else ""
        return str(value)

    def _inputs(self, data: Any, name: str) -> dict[str, str]:
        return {suffix: str(data.get(f"{name}_{suffix}", "") or "").strip()[:200]
                for suffix in COORDINATE_SUFFIXES}

    def parse(self, data: Any, name: str) -> tuple[GEOSGeometry | None, int]:
        """Strict reading of the posted data: (geometry in 4326 or None, source SRID).
        Raises ValidationError for bad input."""
        inputs = self._inputs(data, name)
        if self.kind == "point":
            typed = _coordinate_point(inputs, inputs["crs"])
            if typed is not None:
                point, srid = typed
                return check_location(point, kind="point"), srid
        text = str(data.get(name, "") or "")
        if not text.strip():
            return None, crs.WGS84
        geom = parse_geometry_text(text, kind=self.kind)
        explicit = re.match(r"\s*SRID=(\d+);", text, re.IGNORECASE)
        srid = int(explicit.group(1)) if explicit else posted_source_srid(data, name)
        return geom, srid

    def value_from_datadict(self, data, files, name):
        self._posted = self._inputs(data, name)
        try:
            geom, _srid = self.parse(data, name)
        except ValidationError as exc:
            return InvalidGeometryInput(str(data.get(name, "") or ""), exc)
        return geom

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}_{s}" in data for s in ("x", "y", "lat", "lon", "dms"))

    def source_srid_from_datadict(self, data: Any, name: str) -> int:
        """The EPSG code the posted location came in, to keep on the record."""
        try:
            return self.parse(data, name)[1]
        except ValidationError:
            return crs.WGS84

    def deserialize(self, value: Any) -> GEOSGeometry:
        """For GeoDjango's GeometryField.to_python: the error of bad input is the field error."""
        if isinstance(value, InvalidGeometryInput):
            raise value.error
        if isinstance(value, GEOSGeometry):
            return check_location(value, kind=self.kind)
        return parse_geometry_text(str(value), kind=self.kind)

    # rendering -----------------------------------------------------------------------
    def options(self, widget_id: str, name: str) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": widget_id,
            "name": name,
            "center": [self.attrs.get("default_lat", self.default_lat),
                       self.attrs.get("default_lon", self.default_lon)],
            "zoom": self.attrs.get("default_zoom", self.default_zoom),
            "units_url": reverse("adminunit-geojson") + "?simplify=0.0005",
            "transform_url": reverse("crs-transform"),
            "tile_url": settings.BASEMAP_TILE_URL,
            "tile_attribution": settings.BASEMAP_ATTRIBUTION,
            "lang": get_language() or settings.LANGUAGE_CODE,
            "debounce_ms": self.debounce_ms,
            "crs": [{"key": c.key, "srid": c.srid, "kind": c.kind, "label": c.label}
                    for c in crs.SUPPORTED_INPUT_CRS],
            "i18n": {
                "converting": _("Converting…"),
                "unavailable": _("The conversion service is not available; the coordinates will be "
                                 "converted when you save."),
                "unavailable_area": _("The conversion service is not available."),
                "outside_vietnam": _("This position is outside Vietnam. Check the coordinate system "
                                     "and the order of X and Y."),
                "outside_hai_phong": _("This position is outside Hai Phong."),
                "wgs84": _("WGS 84"),
                "vn2000": _("VN-2000 Hai Phong (105°45′)"),
                "lat": _("Latitude"), "lon": _("Longitude"),
                "placed_on_map": _("Placed on the map"),
            },
            "geoman": {
                "tooltips": {
                    "firstVertex": _("Click to place the first vertex"),
                    "continueLine": _("Click to continue drawing"),
                    "finishPoly": _("Click the first vertex to finish"),
                    "finishRect": _("Click to finish"),
                },
                "actions": {"finish": _("Finish"), "cancel": _("Cancel"),
                            "removeLastVertex": _("Remove the last vertex")},
                "buttonTitles": {
                    "drawPolyButton": _("Draw a polygon"), "drawRectButton": _("Draw a rectangle"),
                    "editButton": _("Edit vertices"), "dragButton": _("Move polygons"),
                    "cutButton": _("Cut a hole"), "deleteButton": _("Delete polygons"),
                },
            },
        }

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        posted = self._posted or {}
        selected = posted.get("crs") or str(crs.VN2000_TM3_105_45)
        context.update({
            "kind": self.kind,
            "widget_id": widget_id,
            "serialized": self.format_value(value),
            "options_json": json_for_script(self.options(widget_id, name)),
            "crs_choices": [(c.key, c.label, c.key == selected, c.kind) for c in crs.SUPPORTED_INPUT_CRS],
            "posted": posted,
            "source_srid": posted.get("source_srid") or str(crs.WGS84),
        })
        return context


def _safe_to_wgs84(geom: GEOSGeometry) -> GEOSGeometry | None:
    try:
        return _to_wgs84(geom, geom.srid)
    except ValidationError:
        return None


class LocationWidget(_MapWidget):
    """A point: click or drag on the map, or type coordinates in VN-2000, UTM or WGS 84."""

    kind = "point"
    template_name = "layers/widgets/location.html"

    class Media:
        css = {"all": ("vendor/leaflet/leaflet.css", "css/location-widget.css")}
        js = ("vendor/leaflet/leaflet.js", "js/location-widget.js")


class AreaWidget(_MapWidget):
    """A (multi)polygon drawn and edited with Leaflet-Geoman; the coordinate box finds a
    place on the map to draw around."""

    kind = "area"
    template_name = "layers/widgets/area.html"

    class Media:
        css = {"all": ("vendor/leaflet/leaflet.css", "vendor/leaflet-geoman/leaflet-geoman.css",
                       "css/location-widget.css")}
        js = ("vendor/leaflet/leaflet.js", "vendor/leaflet-geoman/leaflet-geoman.js",
              "js/location-widget.js")


# --- Fields -----------------------------------------------------------------------------
class _GeometryFormField(forms.Field):
    kind: Kind = "point"
    widget = LocationWidget

    def to_python(self, value: Any) -> GEOSGeometry | None:
        if isinstance(value, InvalidGeometryInput):
            raise value.error
        if value in self.empty_values:
            return None
        if isinstance(value, GEOSGeometry):
            return check_location(value, kind=self.kind)
        if isinstance(value, str):
            return parse_geometry_text(value, kind=self.kind)
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled:
            return False
        try:
            new = self.to_python(data)
            old = self.to_python(initial) if initial not in self.empty_values else None
        except ValidationError:
            return True
        if new is None or old is None:
            return (new is None) != (old is None)
        return not new.equals_exact(old, tolerance=1e-9)


class LocationField(_GeometryFormField):
    """A point (EPSG:4326) from a LocationWidget; errors in the user's language."""

    kind = "point"
    widget = LocationWidget
    default_error_messages = {
        "required": gettext_lazy("Place the location on the map or enter its coordinates."),
        "invalid": gettext_lazy("The location could not be read."),
    }


class AreaField(_GeometryFormField):
    """A MultiPolygon (EPSG:4326) from an AreaWidget; errors in the user's language."""

    kind = "area"
    widget = AreaWidget
    default_error_messages = {
        "required": gettext_lazy("Draw the area on the map."),
        "invalid": gettext_lazy("The area could not be read."),
    }
