"""Writes to organisations and administrative units."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from geoportal.audit.services import audit_record, diff, snapshot
from geoportal.core.crs import HAI_PHONG_BOUNDS
from geoportal.organisations.choices import UnitKind
from geoportal.organisations.models import AdministrativeUnit, Organisation

# Hai Phong (with Bạch Long Vĩ) lies well inside geoportal.core.crs.HAI_PHONG_BOUNDS;
# anything outside is a swapped axis, a wrong CRS or a typo (EPSG:4326, lon/lat).

KIND_ALIASES = {
    "phuong": UnitKind.WARD, "phường": UnitKind.WARD, "ward": UnitKind.WARD,
    "xa": UnitKind.COMMUNE, "xã": UnitKind.COMMUNE, "commune": UnitKind.COMMUNE,
    "dac_khu": UnitKind.SPECIAL_ZONE, "đặc khu": UnitKind.SPECIAL_ZONE, "dac khu": UnitKind.SPECIAL_ZONE,
    "special_zone": UnitKind.SPECIAL_ZONE,
}


@transaction.atomic
def organisation_upsert(*, actor, lookup: dict[str, Any], values: dict[str, Any]) -> tuple[Organisation, bool]:
    """Create or update one organisation found by `lookup`; audited."""
    org = Organisation.objects.select_for_update().filter(**lookup).first()
    created = org is None
    before = {} if created else snapshot(org)
    if created:
        org = Organisation(**lookup)
    for key, value in values.items():
        setattr(org, key, value)
    changes = diff(before, snapshot(org))
    if not created and not changes:
        return org, False  # nothing to write, nothing to audit
    org.full_clean()
    org.save()
    if created:
        changes = diff({}, snapshot(org))
    audit_record(actor=actor, action="organisation.create" if created else "organisation.update",
                 obj=org, organisation=org, changes=changes)
    return org, created


@dataclass
class UnitImportRow:
    row: int
    code: str
    name: str
    outcome: str  # create, update, unchanged, reject
    messages: list[str] = field(default_factory=list)


@dataclass
class UnitImportReport:
    rows: list[UnitImportRow] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def rejected(self) -> list[UnitImportRow]:
        return [r for r in self.rows if r.outcome == "reject"]


class ImportAborted(Exception):
    def __init__(self, report: UnitImportReport):
        super().__init__(_("%(n)d rows were rejected; nothing was imported.") % {"n": len(report.rejected)})
        self.report = report


def _to_multipolygon(geom: GEOSGeometry, messages: list[str]) -> MultiPolygon | None:
    if geom.empty:
        messages.append(_("empty geometry"))
        return None
    if not geom.valid:
        reason = geom.valid_reason
        geom = geom.make_valid()
        messages.append(_("invalid geometry repaired (%(reason)s)") % {"reason": reason})
    if geom.geom_type == "GeometryCollection":
        polys = [g for g in geom if g.geom_type in ("Polygon", "MultiPolygon")]
        parts = []
        for g in polys:
            parts.extend(list(g) if g.geom_type == "MultiPolygon" else [g])
        geom = MultiPolygon(parts, srid=4326) if parts else None
        if geom is None:
            messages.append(_("no polygon in the geometry"))
            return None
    if geom.geom_type == "Polygon":
        geom = MultiPolygon(geom, srid=4326)
    if geom.geom_type != "MultiPolygon":
        messages.append(_("a %(t)s is not a polygon") % {"t": geom.geom_type})
        return None
    w, s, e, n = geom.extent
    bw, bs, be, bn = HAI_PHONG_BOUNDS
    if w < bw or e > be or s < bs or n > bn:
        messages.append(_("outside Hai Phong (check the CRS and the axis order)"))
        return None
    return geom


def admin_units_import(
    *, actor, path: Path, layer: str | None = None, code_field: str = "code", name_field: str = "name",
    kind_field: str = "kind", source_srid: int | None = None, dry_run: bool = False,
    approximate: bool = False, source: str = "",
) -> UnitImportReport:
    """Import commune boundaries from GeoJSON, Shapefile (.shp/.zip) or GeoPackage.

    The file's CRS is read from the file (or `source_srid` when it has none) and the
    geometries are transformed to EPSG:4326 by PROJ through the EPSG code. All rows
    are validated first; any rejected row aborts the whole import (all-or-nothing).
    """
    import geopandas as gpd

    read_kwargs: dict[str, Any] = {"engine": "pyogrio"}
    if layer:
        read_kwargs["layer"] = layer
    target = f"/vsizip/{path}" if str(path).lower().endswith(".zip") else str(path)
    try:
        frame = gpd.read_file(target, **read_kwargs)
    except Exception as exc:  # pyogrio raises its own error types for unreadable files
        raise ValidationError(_("Cannot read %(p)s: %(e)s") % {"p": path.name, "e": exc}) from exc
    for column in (code_field, name_field):
        if column not in frame.columns:
            raise ValidationError(_("Column '%(c)s' is missing; columns are: %(all)s") % {
                "c": column, "all": ", ".join(map(str, frame.columns))})
    if frame.crs is None:
        if source_srid is None:
            raise ValidationError(_("The file has no CRS; give --srid (for example 4326 or 9210)."))
        frame = frame.set_crs(epsg=source_srid)
    srid = frame.crs.to_epsg() or source_srid or 0
    frame = frame.to_crs(epsg=4326)

    report = UnitImportReport(dry_run=dry_run)
    existing = {u.code: u for u in AdministrativeUnit.objects.all()}
    prepared: list[tuple[UnitImportRow, dict[str, Any]]] = []
    seen: set[str] = set()
    for idx, rec in enumerate(frame.itertuples(index=False), start=1):
        data = rec._asdict()
        code = str(data.get(code_field) or "").strip()
        name = str(data.get(name_field) or "").strip()
        row = UnitImportRow(row=idx, code=code, name=name, outcome="reject")
        report.rows.append(row)
        if not code or not name:
            row.messages.append(_("code and name are required"))
            continue
        if code in seen:
            row.messages.append(_("duplicate code %(c)s in the file") % {"c": code})
            continue
        seen.add(code)
        kind_raw = str(data.get(kind_field) or "").strip().lower()
        kind = KIND_ALIASES.get(kind_raw) or (existing[code].kind if code in existing else None)
        if kind is None:
            row.messages.append(_("unknown kind '%(k)s' (phuong, xa or dac_khu)") % {"k": kind_raw})
            continue
        geometry = data.get("geometry")
        if geometry is None:
            row.messages.append(_("no geometry"))
            continue
        geom = _to_multipolygon(GEOSGeometry(memoryview(geometry.wkb), srid=4326), row.messages)
        if geom is None:
            continue
        values = {"name": name, "kind": kind, "geom": geom, "source_srid": srid,
                  "is_approximate": approximate, "source": source or path.name}
        for extra in ("former_district", "former_province"):
            if extra in data and data[extra]:
                values[extra] = str(data[extra])
        row.outcome = "update" if code in existing else "create"
        prepared.append((row, values))

    if report.rejected:
        raise ImportAborted(report)
    if dry_run:
        return report
    with transaction.atomic():
        for row, values in prepared:
            unit = existing.get(row.code)
            before = snapshot(unit) if unit else {}
            if unit is None:
                unit = AdministrativeUnit(code=row.code)
            for key, value in values.items():
                setattr(unit, key, value)
            changes = diff(before, snapshot(unit))
            changes.pop("updated_at", None)
            if not changes:
                row.outcome = "unchanged"
                continue
            unit.full_clean()
            unit.save()
            if "geom" in changes:
                changes["geom"] = "changed"  # the log keeps that it changed, not 100 kB of WKT
            audit_record(actor=actor, action=f"adminunit.import_{row.outcome}", obj=unit, changes=changes)
    return report
