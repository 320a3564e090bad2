"""Mapbox vector tiles (one ST_AsMVT query per tile) and a TileJSON 3.0.0 document per layer.

Geometries are stored in EPSG:4326: rows are found with `geom && envelope-in-4326` (the
GiST index), simplified in 4326 before the transform (polygons only) and clipped by
ST_AsMVTGeom. Attributes follow the masking rule of layers/tiles/masking.py.
"""
from __future__ import annotations

import hashlib

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from geoportal.core.errors import problem_response
from layers.publishing import publication
from layers.tiles.masking import GEOM, layer_or_404, masked_query, quote

EXTENT = 4096
BUFFER = 64
MAX_ZOOM = 22
MVT_CONTENT_TYPE = "application/vnd.mapbox-vector-tile"
PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, no-store"
# Polygons are simplified below this zoom (in degrees, before the transform).
SIMPLIFY_BELOW = 16


def _tolerance(z: int) -> float:
    """About half a tile-extent unit, in degrees, at zoom z."""
    return 360.0 / (EXTENT * 2 ** z) / 2


def tile_sql(mq, z: int, x: int, y: int) -> tuple[str, list]:
    geom = f"src.{quote(GEOM)}"
    if not mq.is_point and z < SIMPLIFY_BELOW:
        geom = f"ST_SimplifyPreserveTopology({geom}, {_tolerance(z)!r})"
    attrs = ", ".join(f"src.{quote(c.alias)} AS {quote(c.name)}" for c in mq.columns)
    sql = (
        "WITH bounds AS (SELECT ST_TileEnvelope(%s, %s, %s) AS env, "
        f"ST_Transform(ST_TileEnvelope(%s, %s, %s, margin => {BUFFER / EXTENT!r}), 4326) AS env4326) "
        f"SELECT ST_AsMVT(t, %s, {EXTENT}, 'mvtgeom', 'id') FROM ("
        f"SELECT {attrs}, ST_AsMVTGeom(ST_Transform({geom}, 3857), bounds.env, {EXTENT}, {BUFFER}, true) AS mvtgeom "
        f"FROM ({mq.sql}) AS src, bounds WHERE src.{quote(GEOM)} && bounds.env4326"
        ") AS t"
    )
    return sql, [z, x, y, z, x, y, mq.slug, *mq.params]


def _bad_tile(field: str, message: str):
    return problem_response(status_code=400, code="invalid", title=_("Invalid request"),
                            detail=message, errors={field: [message]})


def _validate(z: int, x: int, y: int):
    if not 0 <= z <= MAX_ZOOM:
        return _bad_tile("z", _("The zoom level must be between 0 and %(max)d.") % {"max": MAX_ZOOM})
    for name, value in (("x", x), ("y", y)):
        if not 0 <= value < 2 ** z:
            return _bad_tile(name, _("The tile column and row must be between 0 and 2^zoom - 1."))
    return None


def _etag_matches(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    if header.strip() == "*":
        return True
    tags = {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}
    return etag in tags


def _unit_zone_filter(params):
    """Optional ?admin_unit=<id>&zone=<id> filters (the public map's filters); False when malformed."""
    unit, zone = params.get("admin_unit", ""), params.get("zone", "")
    if (unit and not unit.isdigit()) or (zone and not zone.isdigit()):
        return False
    if not unit and not zone:
        return None

    def refine(qs):
        if unit:
            qs = qs.filter(admin_unit_id=int(unit))
        if zone and any(f.name == "zone" for f in qs.model._meta.fields):
            qs = qs.filter(zone_id=int(zone))
        elif zone:  # zones themselves: the chosen zone
            qs = qs.filter(pk=int(zone)) if qs.model._meta.model_name == "industrialzone" else qs.none()
        return qs

    return refine


@require_GET
def tile(request, collection: str, z: str, x: str, y: str):
    z_, x_, y_ = int(z), int(x), int(y)
    error = _validate(z_, x_, y_)
    if error is not None:
        return error
    refine = _unit_zone_filter(request.GET)
    if refine is False:
        return problem_response(status_code=400, code="invalid", title=_("Invalid request"),
                                detail=_("admin_unit and zone must be whole numbers."),
                                errors={"admin_unit": [_("admin_unit and zone must be whole numbers.")]})
    mq = masked_query(collection, request.user, refine=refine)
    sql, params = tile_sql(mq, z_, x_, y_)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        data = bytes(cursor.fetchone()[0] or b"")
    cache_control = PRIVATE_CACHE if mq.has_private else PUBLIC_CACHE
    if not data:
        response = HttpResponse(status=204)
        response["Cache-Control"] = cache_control
        response["Vary"] = "Cookie"
        return response
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    if _etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(data, content_type=MVT_CONTENT_TYPE)
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    response["Vary"] = "Cookie"
    return response


def _field_description(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


@require_GET
def tilejson(request, collection: str):
    model = layer_or_404(collection, request.user)
    mq = masked_query(collection, request.user)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
            f"(SELECT ST_Extent(src.{quote(GEOM)}) AS e FROM ({mq.sql}) AS src) AS b", mq.params)
        row = cursor.fetchone()
    bounds = [round(v, 6) for v in row] if row and row[0] is not None else [-180, -85.051129, 180, 85.051129]
    template = request.build_absolute_uri(
        reverse("tiles:tile", kwargs={"collection": collection, "z": "0", "x": "0", "y": "0"}))
    template = template.replace("/0/0/0.mvt", "/{z}/{x}/{y}.mvt")
    pub = publication(collection)
    name = pub.title if pub else str(model._meta.verbose_name_plural)
    body = {
        "tilejson": "3.0.0",
        "name": name,
        "description": (pub.description if pub else "") or name,
        "version": "1.0.0",
        "scheme": "xyz",
        "tiles": [template],
        "minzoom": 0,
        "maxzoom": MAX_ZOOM,
        "bounds": bounds,
        "center": [round((bounds[0] + bounds[2]) / 2, 6), round((bounds[1] + bounds[3]) / 2, 6), 12],
        "attribution": pub.attribution if pub else "",
        "vector_layers": [{
            "id": collection,
            "description": name,
            "minzoom": 0,
            "maxzoom": MAX_ZOOM,
            "fields": {c.name: _field_description(model, c.name) for c in mq.columns},
        }],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = PRIVATE_CACHE if mq.has_private else PUBLIC_CACHE
    response["Vary"] = "Cookie"
    return response

