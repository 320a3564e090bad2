"""Load the demo map layers from fixtures/demo/layers/ (issue 3), fast and idempotent.

The files are written by fixtures/tools/build_demo_layers.py. Everything is bulk-created
(no per-row audit): one audit row "fixtures.load_layers" records the load with its counts.
Every row is `is_demo`, approved and entered by the Department. The administrative unit
and the zone of each feature are derived in PostGIS (ST_Covers), one UPDATE per table.

Idempotent: when the files are unchanged since the last load (their digest is kept in
catalogues.FixtureLoad "demo_layers") and the demo rows are there, nothing happens;
otherwise every `is_demo` row of the layers is deleted and the files are loaded again.
Demo enterprises are kept (matched by tax code), so their accounts survive a reload.
"""
from __future__ import annotations

import json
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection, models, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from geoportal.audit.services import audit_record
from geoportal.catalogues.models import CatalogueEntry, FixtureLoad
from geoportal.catalogues.services import files_digest
from geoportal.organisations.choices import OrganisationKind
from geoportal.organisations.models import AdministrativeUnit, Organisation
from layers.choices import ApprovalStatus
from layers.models import (
    CraftVillage,
    DegradedArea,
    DischargeStream,
    EIADecision,
    EnvironmentalRegistration,
    Facility,
    Incident,
    IndustrialZone,
    Inspection,
    Permit,
    ProtectedArea,
    Remedy,
    Species,
    SpeciesRecord,
    TrialOperation,
    WasteFacility,
    WaterArea,
)

DATASET = "demo_layers"
BATCH = 1000

# Feature layers whose unit is derived from the geometry (polygons: a point on the surface).
UNIT_DERIVED = (IndustrialZone, ProtectedArea, DegradedArea, WaterArea, Incident, CraftVillage, WasteFacility)
# Deleted in this order on a reload (children before parents).
DEMO_MODELS = (Inspection, EnvironmentalRegistration, EIADecision, Permit, Incident, Facility, ProtectedArea,
               DegradedArea, CraftVillage, WasteFacility, WaterArea, IndustrialZone)


class DemoLayersError(RuntimeError):
    """The demo layer files cannot be loaded (missing prerequisite or a bad row)."""


def layers_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "demo" / "layers"


def layer_files() -> list[Path]:
    """Every file of the demo layers, in a stable order (also hashed by load_demo_data)."""
    return sorted(p for p in layers_dir().glob("*") if p.is_file())


def _read(name: str) -> dict:
    path = layers_dir() / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DemoLayersError(f"{path} is missing; run fixtures/tools/build_demo_layers.py") from None


def _features(name: str) -> tuple[dict, list[tuple[dict, GEOSGeometry]]]:
    data = _read(name)
    out = []
    for feature in data["features"]:
        geom = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
        out.append((feature["properties"], geom))
    return data, out


def _rows(name: str) -> Iterator[dict]:
    data = _read(name)
    columns = data["columns"]
    for i, row in enumerate(data["rows"], 1):
        if len(row) != len(columns):
            raise DemoLayersError(f"{name}, row {i}: {len(row)} values for {len(columns)} columns")
        yield dict(zip(columns, row, strict=True))


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _day(value) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _ref(mapping: dict, key, what: str, where: str):
    if key is None:
        return None
    try:
        return mapping[key]
    except KeyError:
        raise DemoLayersError(f"{where}: unknown {what} {key!r}") from None


def demo_counts() -> dict[str, int]:
    """How many demo rows each layer model holds."""
    counts = {m._meta.model_name: m.objects.filter(is_demo=True).count() for m in reversed(DEMO_MODELS)}
    counts["dischargestream"] = DischargeStream.objects.filter(permit__is_demo=True).count()
    counts["trialoperation"] = TrialOperation.objects.filter(permit__is_demo=True).count()
    counts["remedy"] = Remedy.objects.filter(inspection__is_demo=True).count()
    counts["speciesrecord"] = SpeciesRecord.objects.filter(protected_area__is_demo=True).count()
    counts["enterprise"] = Organisation.objects.filter(
        kind=OrganisationKind.ENTERPRISE, facilities__is_demo=True).distinct().count()
    return counts


def delete_demo_layers() -> None:
    """Delete every demo row of the layers (not the enterprises, not the species)."""
    # "parent_id IN (SELECT id FROM parent WHERE is_demo)", not a filter across the join:
    # Django turns that into "id IN (SELECT ... child JOIN parent)", which the planner ran as
    # a cubic nested loop on freshly loaded, unanalysed tables (minutes in the test suite).
    demo_permits = Permit.objects.filter(is_demo=True).values("pk")
    Remedy.objects.filter(inspection_id__in=Inspection.objects.filter(is_demo=True).values("pk")).delete()
    DischargeStream.objects.filter(permit_id__in=demo_permits).delete()
    TrialOperation.objects.filter(permit_id__in=demo_permits).delete()
    SpeciesRecord.objects.filter(protected_area_id__in=ProtectedArea.objects.filter(is_demo=True).values("pk")).delete()
    Permit.objects.filter(is_demo=True, supersedes__isnull=False).update(supersedes=None)
    try:
        for model in DEMO_MODELS:
            model.objects.filter(is_demo=True).delete()
    except ProtectedError as exc:
        raise DemoLayersError(
            "Records that are not demo data refer to demo features; the demo layers cannot be reloaded "
            f"until they are moved or deleted: {sorted({str(o) for o in exc.protected_objects})[:5]}") from exc


class _Stamp:
    """The workflow fields every demo row gets: approved, entered by the Department."""

    def __init__(self, department: Organisation):
        self.values = {"approval_status": ApprovalStatus.APPROVED, "entered_by": department,
                       "approved_at": timezone.now(), "is_demo": True}

    def __call__(self, model: type[models.Model], **fields) -> models.Model:
        return model(**self.values, **fields)


def _bulk(model: type[models.Model], objs: list[models.Model]) -> list[models.Model]:
    return model.objects.bulk_create(objs, batch_size=BATCH)


def _load_enterprises(wanted: dict[str, dict]) -> dict[str, int]:
    """Demo enterprises by tax code: existing ones are kept (their accounts too), missing ones created."""
    existing = {o.tax_code: o for o in Organisation.objects.filter(tax_code__in=wanted)}
    create, update = [], []
    for code, r in wanted.items():
        org = existing.get(code)
        if org is None:
            create.append(Organisation(kind=OrganisationKind.ENTERPRISE, name=r["name"], tax_code=code,
                                       address=r["address"], is_demo=True))
        elif org.is_demo and (org.name, org.address) != (r["name"], r["address"]):
            org.name, org.address = r["name"], r["address"]
            update.append(org)
    Organisation.objects.bulk_create(create, batch_size=BATCH)
    if update:
        Organisation.objects.bulk_update(update, ["name", "address"], batch_size=BATCH)
    return dict(Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, tax_code__gt="")
                .values_list("tax_code", "pk"))


def _prune_enterprises(wanted: set[str]) -> int:
    """Delete the demo enterprises of an earlier version of the files, but only those that
    nothing refers to (no account, no facility, no audit row, no other record)."""
    stale = list(Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, is_demo=True, users__isnull=True,
                                             facilities__isnull=True).exclude(tax_code__in=wanted))
    if not stale:
        return 0
    collector = Collector(using=Organisation.objects.db, origin=None)
    try:
        collector.collect(stale)
    except (ProtectedError, RestrictedError):
        return 0
    if (set(collector.data) - {Organisation} or collector.field_updates
            or any(qs.exists() for qs in collector.fast_deletes)):
        return 0
    collector.delete()
    return len(stale)


def _entries(catalogue: str) -> dict[str, int]:
    return dict(CatalogueEntry.objects.filter(catalogue__code=catalogue).values_list("code", "pk"))


def _derive_locations() -> None:
    """Administrative unit (and, for facilities, zone) from the geometry, in PostGIS:
    the lowest-id unit covering the point (as layers.services.features.derive_location)
    and the smallest approved zone covering it (a KCN inside the economic zone, not the KKT)."""
    unit_table = AdministrativeUnit._meta.db_table
    facility, zone = Facility._meta.db_table, IndustrialZone._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"""
            UPDATE {facility} AS f SET admin_unit_id = m.unit_id
            FROM (SELECT DISTINCT ON (f2.id) f2.id, u.id AS unit_id
                  FROM {facility} f2 JOIN {unit_table} u ON ST_Covers(u.geom, f2.geom)
                  WHERE f2.is_demo AND NOT f2.admin_unit_manual ORDER BY f2.id, u.id) AS m
            WHERE f.id = m.id""")
        cursor.execute(f"""
            UPDATE {facility} AS f SET zone_id = m.zone_id
            FROM (SELECT DISTINCT ON (f2.id) f2.id, z.id AS zone_id
                  FROM {facility} f2 JOIN {zone} z ON ST_Covers(z.geom, f2.geom) AND z.approval_status = %s
                  WHERE f2.is_demo ORDER BY f2.id, ST_Area(z.geom), z.id) AS m
            WHERE f.id = m.id""", [ApprovalStatus.APPROVED])
        for model in UNIT_DERIVED:
            table = model._meta.db_table
            point = "t2.geom" if model._meta.get_field("geom").geom_type == "POINT" else "ST_PointOnSurface(t2.geom)"
            cursor.execute(f"""
                UPDATE {table} AS t SET admin_unit_id = m.unit_id
                FROM (SELECT DISTINCT ON (t2.id) t2.id, u.id AS unit_id
                      FROM {table} t2 JOIN {unit_table} u ON ST_Covers(u.geom, {point})
                      WHERE t2.is_demo ORDER BY t2.id, u.id) AS m
                WHERE t.id = m.id""")
        # A demo enterprise without a unit gets the unit of its first facility.
        cursor.execute(f"""
            UPDATE {Organisation._meta.db_table} AS o SET admin_unit_id = m.admin_unit_id
            FROM (SELECT DISTINCT ON (owner_organisation_id) owner_organisation_id, admin_unit_id
                  FROM {facility} WHERE is_demo AND admin_unit_id IS NOT NULL
                  ORDER BY owner_organisation_id, id) AS m
            WHERE o.id = m.owner_organisation_id AND o.admin_unit_id IS NULL AND o.is_demo AND o.kind = %s""",
                       [OrganisationKind.ENTERPRISE])


def _load(department: Organisation, board: Organisation | None) -> None:
    stamp = _Stamp(department)
    enterprises_in_file = {r["tax_code"]: r for r in _rows("enterprises.json")}
    enterprises = _load_enterprises(enterprises_in_file)
    sectors, issuers = _entries("sectors"), _entries("issuing_authorities")
    if not sectors or not issuers:
        raise DemoLayersError("the catalogues 'sectors' and 'issuing_authorities' must be loaded first")
    boards = {"ez_board": board}

    # Zones (the economic zone comes last in the file, so its id is the highest).
    _, feats = _features("zones.geojson")
    zones = _bulk(IndustrialZone, [stamp(
        IndustrialZone, geom=geom, name=p["name"], kind=p["kind"], code=p["code"], area_ha=_dec(p["area_ha"]),
        investor_organisation_id=_ref(enterprises, p["investor"], "investor", f"zones.geojson {p['key']}"),
        managing_board=boards.get(p["managing_board"]) if p["managing_board"] else None,
        occupancy_pct=_dec(p["occupancy_pct"]), established_by=p["established_by"],
        cwwtp_capacity_m3_day=_dec(p["cwwtp_capacity_m3_day"]), cwwtp_status=p["cwwtp_status"],
        cwwtp_location=Point(*p["cwwtp_location"], srid=4326) if p["cwwtp_location"] else None,
        description=p["description"]) for p, geom in feats])
    zone_ids = {p["key"]: z.pk for (p, _), z in zip(feats, zones, strict=True)}

    # Species (real, shared with non-demo data: matched by scientific name) and protected areas.
    species = {r["scientific_name"]: r for r in _rows("species.json")}
    known = {s.scientific_name: s for s in Species.objects.filter(scientific_name__in=species)}
    flags = ["vietnamese_name", "taxon_group", "red_book", "endangered", "endemic", "migratory", "invasive_alien"]
    Species.objects.bulk_create([Species(**r) for name, r in species.items() if name not in known])
    for name, s in known.items():
        for f in flags:
            setattr(s, f, species[name][f])
    Species.objects.bulk_update(list(known.values()), flags)
    species_ids = dict(Species.objects.filter(scientific_name__in=species).values_list("scientific_name", "pk"))
    _, feats = _features("protected_areas.geojson")
    areas = _bulk(ProtectedArea, [stamp(
        ProtectedArea, geom=geom, name=p["name"], category=p["category"], designation=p["designation"],
        legal_basis=p["legal_basis"], area_ha=_dec(p["area_ha"]), management_body=p["management_body"],
        description=p["description"]) for p, geom in feats])
    SpeciesRecord.objects.bulk_create([
        SpeciesRecord(protected_area=a, species_id=_ref(species_ids, sp, "species", p["key"]), abundance=ab,
                      source=src, year=year)
        for (p, _), a in zip(feats, areas, strict=True) for sp, ab, src, year in p["species"]])

    # Other area and point layers.
    _, feats = _features("degraded_areas.geojson")
    _bulk(DegradedArea, [stamp(DegradedArea, geom=geom, name=p["name"], kind=p["kind"], media=p["media"],
                               pollutants=p["pollutants"], identified_on=_day(p["identified_on"]),
                               measures=p["measures"], description=p["description"]) for p, geom in feats])
    _, feats = _features("water_areas.geojson")
    _bulk(WaterArea, [stamp(WaterArea, geom=geom, name=p["name"], kind=p["kind"], water_bodies=p["water_bodies"],
                            description=p["description"]) for p, geom in feats])
    _, feats = _features("craft_villages.geojson")
    _bulk(CraftVillage, [stamp(CraftVillage, geom=geom, name=p["name"], products=p["products"],
                               households=p["households"], recognised_by=p["recognised_by"],
                               pollution_note=p["pollution_note"], description=p["description"])
                         for p, geom in feats])
    _, feats = _features("waste_facilities.geojson")
    _bulk(WasteFacility, [stamp(WasteFacility, geom=geom, name=p["name"], kind=p["kind"],
                                operator_id=_ref(enterprises, p["operator"], "operator", p["key"]),
                                capacity_t_day=_dec(p["capacity_t_day"]), technology=p["technology"],
                                description=p["description"]) for p, geom in feats])

    # Facilities: the owner is the enterprise of the first 10 digits of the tax code.
    data, feats = _features("facilities.geojson")
    d = data.get("defaults", {})
    facilities = _bulk(Facility, [stamp(
        Facility, geom=geom, name=p["name"], tax_code=p["tax_code"],
        owner_organisation_id=_ref(enterprises, p["tax_code"][:10], "owner", p["ref"]),
        business_registration=(f"GCN ĐKDN số {p['tax_code']} (demo)" if "-" not in p["tax_code"]
                               else f"GCN ĐKHĐ chi nhánh số {p['tax_code']} (demo)"),
        address=p["address"], contact_phone=p.get("contact_phone", ""), representative=p.get("representative", ""),
        sector_id=_ref(sectors, p["sector"], "sector", p["ref"]), activity=p.get("activity", ""),
        capacity=p.get("capacity", ""),
        operating_frequency=p.get("operating_frequency", d.get("operating_frequency", "regular")),
        season_note=p.get("season_note", ""), project_group=p.get("project_group", ""),
        permit_class=p.get("permit_class", d.get("permit_class", "gpmt")), iso14001=p.get("iso14001", False),
        iso14001_certificate=p.get("iso14001_certificate", ""), status=p.get("status", d.get("status", "operating")),
        description=data.get("description", "")) for p, geom in feats])
    facility_ids = {p["ref"]: f.pk for (p, _), f in zip(feats, facilities, strict=True)}

    _, feats = _features("incidents.geojson")
    _bulk(Incident, [stamp(Incident, geom=geom, name=p["name"], occurred_on=_day(p["occurred_on"]),
                           cause=p["cause"], response=p["response"], resolved_on=_day(p["resolved_on"]),
                           facility_id=_ref(facility_ids, p["facility"], "facility", p["key"]),
                           description=p["description"]) for p, geom in feats])

    # Permits; the replacement chain (supersedes) is set once every permit has an id.
    note = _read("permits.json")["note"]
    rows = list(_rows("permits.json"))
    permits = _bulk(Permit, [stamp(
        Permit, facility_id=_ref(facility_ids, r["facility"], "facility", r["ref"]),
        zone_id=_ref(zone_ids, r["zone"], "zone", r["ref"]), number=r["number"], symbol=r["symbol"],
        signed_on=_day(r["signed_on"]), issuer_id=_ref(issuers, r["issuer"], "issuer", r["ref"]), signer=r["signer"],
        term_years=r["term_years"], expires_on=_day(r["expires_on"]), kind=r["kind"],
        hazardous_waste_kg_year=_dec(r["hazardous_waste_kg_year"]),
        industrial_solid_waste_kg_year=_dec(r["industrial_solid_waste_kg_year"]),
        domestic_solid_waste_kg_year=_dec(r["domestic_solid_waste_kg_year"]), notes=note) for r in rows])
    permit_ids = {r["ref"]: p.pk for r, p in zip(rows, permits, strict=True)}
    chained = [p for r, p in zip(rows, permits, strict=True) if r["supersedes"]]
    for r, p in zip(rows, permits, strict=True):
        if r["supersedes"]:
            p.supersedes_id = _ref(permit_ids, r["supersedes"], "permit", r["ref"])
    Permit.objects.bulk_update(chained, ["supersedes"], batch_size=BATCH)

    DischargeStream.objects.bulk_create([DischargeStream(
        permit_id=_ref(permit_ids, r["permit"], "permit", "discharge_streams.json"), code=r["code"], kind=r["kind"],
        max_flow=_dec(r["max_flow"]), flow_unit=r["flow_unit"], regulation=r["regulation"],
        regulation_column=r["regulation_column"], factor_kq=_dec(r["factor_kq"]), factor_kf=_dec(r["factor_kf"]),
        factor_kp=_dec(r["factor_kp"]), factor_kv=_dec(r["factor_kv"]), receiving_body=r["receiving_body"],
        outfall=Point(r["lon"], r["lat"], srid=4326) if r["lon"] is not None else None,
        outfall_source_srid=r["outfall_source_srid"], outfall_source_x=_dec(r["outfall_source_x"]),
        outfall_source_y=_dec(r["outfall_source_y"]), treatment_works=r["treatment_works"])
        for r in _rows("discharge_streams.json")], batch_size=BATCH)
    TrialOperation.objects.bulk_create([TrialOperation(
        permit_id=_ref(permit_ids, r["permit"], "permit", "trial_operations.json"), starts_on=_day(r["starts_on"]),
        ends_on=_day(r["ends_on"]), works=r["works"]) for r in _rows("trial_operations.json")], batch_size=BATCH)

    rows = list(_rows("inspections.json"))
    inspections = _bulk(Inspection, [stamp(
        Inspection, facility_id=_ref(facility_ids, r["facility"], "facility", r["ref"]),
        inspected_on=_day(r["inspected_on"]), authority=r["authority"], kind=r["kind"],
        decision_number=r["decision_number"], findings=r["findings"], penalty_vnd=_dec(r["penalty_vnd"]))
        for r in rows])
    inspection_ids = {r["ref"]: i.pk for r, i in zip(rows, inspections, strict=True)}
    Remedy.objects.bulk_create([Remedy(
        inspection_id=_ref(inspection_ids, r["inspection"], "inspection", "remedies.json"),
        description=r["description"], due_on=_day(r["due_on"]), status=r["status"],
        completed_on=_day(r["completed_on"]), follow_up=r["follow_up"]) for r in _rows("remedies.json")],
        batch_size=BATCH)
    _bulk(EnvironmentalRegistration, [stamp(
        EnvironmentalRegistration, facility_id=_ref(facility_ids, r["facility"], "facility", "registrations.json"),
        number=r["number"], registered_on=_day(r["registered_on"]),
        received_by_id=_ref(issuers, r["received_by"], "authority", r["number"]),
        related_permit_id=_ref(permit_ids, r["related_permit"], "permit", r["number"]))
        for r in _rows("registrations.json")])
    _bulk(EIADecision, [stamp(
        EIADecision, facility_id=_ref(facility_ids, r["facility"], "facility", "eia_decisions.json"),
        number=r["number"], decided_on=_day(r["decided_on"]),
        authority_id=_ref(issuers, r["authority"], "authority", r["number"]), project_name=r["project_name"],
        related_permit_id=_ref(permit_ids, r["related_permit"], "permit", r["number"]))
        for r in _rows("eia_decisions.json")])

    _derive_locations()
    _prune_enterprises(set(enterprises_in_file))


def demo_layers_current() -> bool:
    """Are the demo layers loaded from the current fixture files (so a load is a no-op)?"""
    paths = layer_files()
    done = FixtureLoad.objects.filter(name=DATASET).first()
    return bool(paths) and done is not None and done.digest == files_digest(paths) and \
        Facility.objects.filter(is_demo=True).exists()


def load_demo_layers(stdout=None, *, force: bool = False) -> dict[str, int]:
    """Load the demo map layers (zones, protected areas, facilities, permits, ...) from
    fixtures/demo/layers/. Skipped when the files are unchanged and loaded, unless `force`.

    :param stdout: where to write one progress line (a management command's stdout), or None.
    :param force: delete and reload the demo rows even when the files are unchanged.
    :returns: the number of demo rows of each layer model (after the load).
    """
    paths = layer_files()
    if not paths:
        raise DemoLayersError(f"no files in {layers_dir()}; run fixtures/tools/build_demo_layers.py")
    digest = files_digest(paths)
    done = FixtureLoad.objects.filter(name=DATASET).first()
    if not force and done and done.digest == digest and Facility.objects.filter(is_demo=True).exists():
        if stdout is not None:
            stdout.write(f"demo layers unchanged ({digest[:12]}); nothing to do")
        return demo_counts()
    started = time.perf_counter()
    with transaction.atomic():
        department = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT).order_by("pk").first()
        if department is None:
            raise DemoLayersError("load the organisations first: no Department organisation exists")
        board = Organisation.objects.filter(kind=OrganisationKind.EZ_BOARD).order_by("pk").first()
        delete_demo_layers()
        _load(department, board)
        counts = demo_counts()
        FixtureLoad.objects.update_or_create(name=DATASET, defaults={"digest": digest})
        audit_record(action="fixtures.load_layers", organisation=department,
                     changes={"dataset": DATASET, "digest": digest, "counts": counts})
    if stdout is not None:
        stdout.write(f"demo layers loaded in {time.perf_counter() - started:.1f} s: " +
                     ", ".join(f"{v} {k}" for k, v in counts.items()))
    return counts


__all__ = ["DemoLayersError", "delete_demo_layers", "demo_counts", "layer_files", "load_demo_layers"]
