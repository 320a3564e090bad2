"""Geometry checks and repairs for imports, in PostGIS: one query per batch of rows.

For every row: the input type must suit the layer; an empty geometry or one with
invalid coordinates is refused; an invalid one is repaired with ST_MakeValid and
ST_CollectionExtract to the layer's dimension (ST_Multi for multipolygon layers) and
reported with ST_IsValidReason's reason; one that repairs to nothing is refused; the
result must lie in Vietnam and in Hai Phong. The same query finds the administrative
unit (and, for facilities, the approved industrial zone) the feature falls in, as
layers.services.features.derive_location will when the row is saved.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from geoportal.core.crs import HAI_PHONG_BOUNDS, VIETNAM_BOUNDS
from geoportal.organisations.models import AdministrativeUnit
from layers.models import IndustrialZone

# Layer geometry type -> (accepted input types, ST_CollectionExtract dimension, multi).
GEOMETRY_KINDS = {
    "POINT": (("POINT", "MULTIPOINT"), 1, False),
    "MULTIPOLYGON": (("POLYGON", "MULTIPOLYGON"), 3, True),
}

_SQL = """
WITH input AS (
    SELECT t.n, ST_Force2D(ST_GeomFromWKB(t.w, 4326)) AS g
    FROM unnest(%(ns)s::int[], %(ws)s::bytea[]) AS t(n, w)
), checked AS (
    SELECT n, g, GeometryType(g) AS in_type, ST_IsEmpty(g) AS is_empty,
           (ST_IsValidDetail(g)).valid AS is_valid, (ST_IsValidDetail(g)).reason AS reason
    FROM input
), repaired AS (
    SELECT n, in_type, is_empty, is_valid, reason,
           CASE WHEN is_empty OR NOT (in_type = ANY(%(types)s::text[])) THEN NULL
                WHEN is_valid THEN g
                WHEN reason LIKE 'Invalid Coordinate%%' THEN NULL
                ELSE ST_CollectionExtract(ST_MakeValid(g), %(dim)s) END AS g
    FROM checked
), shaped AS (
    SELECT n, in_type, is_empty, is_valid, reason,
           CASE WHEN g IS NULL OR ST_IsEmpty(g) THEN NULL
                WHEN %(multi)s THEN ST_Multi(g)
                WHEN GeometryType(g) = 'MULTIPOINT' AND ST_NumGeometries(g) = 1 THEN ST_GeometryN(g, 1)
                ELSE g END AS g
    FROM repaired
)
SELECT s.n, s.in_type, s.is_empty, s.is_valid, s.reason, GeometryType(s.g), ST_AsBinary(s.g),
       s.g @ ST_MakeEnvelope(%(vn_w)s, %(vn_s)s, %(vn_e)s, %(vn_n)s, 4326),
       s.g @ ST_MakeEnvelope(%(hp_w)s, %(hp_s)s, %(hp_e)s, %(hp_n)s, 4326),
       ST_X(ST_PointOnSurface(s.g)), ST_Y(ST_PointOnSurface(s.g)),
       (SELECT u.id FROM {units} u WHERE ST_Covers(u.geom, ST_PointOnSurface(s.g)) ORDER BY u.id LIMIT 1),
       (SELECT z.id FROM {zones} z WHERE z.approval_status = 'approved'
          AND ST_Covers(z.geom, ST_PointOnSurface(s.g)) ORDER BY z.id LIMIT 1)
FROM shaped s
ORDER BY s.n
"""


@dataclass
class CheckedGeometry:
    """The outcome for one row: `wkb` (EPSG:4326, the layer's type) or an `error`."""

    wkb: bytes | None = None
    error: str = ""
    repaired: str = ""   # the validity problem that was repaired
    unit_id: int | None = None
    zone_id: int | None = None


def check_geometries(items: list[tuple[int, bytes]], *, geom_type: str) -> dict[int, CheckedGeometry]:
    """Check and repair a batch of (row number, WKB in EPSG:4326) for a layer whose
    geometry field is `geom_type` ("POINT" or "MULTIPOLYGON"). One query."""
    if not items:
        return {}
    accepted, dim, multi = GEOMETRY_KINDS[geom_type]
    sql = _SQL.format(units=connection.ops.quote_name(AdministrativeUnit._meta.db_table),
                      zones=connection.ops.quote_name(IndustrialZone._meta.db_table))
    params = {"ns": [n for n, _w in items], "ws": [w for _n, w in items], "types": list(accepted), "dim": dim,
              "multi": multi,
              **{f"vn_{k}": v for k, v in zip("wsen", VIETNAM_BOUNDS, strict=True)},
              **{f"hp_{k}": v for k, v in zip("wsen", HAI_PHONG_BOUNDS, strict=True)}}
    expected = _("a point") if geom_type == "POINT" else _("a polygon")
    out: dict[int, CheckedGeometry] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for (n, in_type, is_empty, is_valid, reason, out_type, wkb, in_vn, in_hp, lon, lat,
             unit_id, zone_id) in cursor.fetchall():
            result = CheckedGeometry()
            out[n] = result
            if is_empty:
                result.error = _("The geometry is empty.")
            elif in_type not in accepted:
                result.error = _("A %(found)s cannot go into this layer: it needs %(expected)s.") % {
                    "found": in_type.title(), "expected": expected}
            elif wkb is None:
                result.error = _("The geometry is invalid and cannot be repaired (%(reason)s).") % {
                    "reason": reason}
            elif out_type == "MULTIPOINT":
                result.error = _("The geometry has several points; this layer needs one point.")
            elif not in_vn:
                result.error = _("Outside Vietnam (%(lat).5f, %(lon).5f): check the coordinate system and the "
                                 "order of X and Y.") % {"lat": lat, "lon": lon}
            elif not in_hp:
                result.error = _("Outside Hai Phong (%(lat).5f, %(lon).5f).") % {"lat": lat, "lon": lon}
            else:
                result.wkb = bytes(wkb)
                result.unit_id, result.zone_id = unit_id, zone_id
                if not is_valid:
                    result.repaired = reason
    return out
