"""The demo map layers loaded by `manage.py load_demo_data` (issue 3): the named zones of
the merged city, the protected areas, ~2 000 facilities with their permits and records,
all derived in PostGIS, all demo, and a reload that duplicates nothing.

The data set is loaded once for the module inside a transaction that is rolled back at
the end; each test runs in a savepoint inside it."""
from __future__ import annotations

import json
import time
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from pyproj import Transformer

from geoportal.audit.models import AuditEvent
from geoportal.organisations.choices import OrganisationKind
from geoportal.organisations.models import Organisation
from layers.choices import ApprovalStatus, PermitClass, PermitKind, PermitStatus, RemedyStatus
from layers.demo import demo_counts, load_demo_layers
from layers.domain.permits import permit_status
from layers.models import (
    LAYER_MODELS,
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
)

LAYERS = settings.BASE_DIR / "fixtures" / "demo" / "layers"
# layers' own models: layers registered by other apps (monitoring's stations) test their own demo data
OWN_LAYER_MODELS = [m for m in LAYER_MODELS.values() if m._meta.app_label == "layers"]
REFERENCE_DATE = date(2026, 11, 1)  # the generator's reference date
FIVE_ENTERPRISES = {"0200000001", "0200000002", "0200000003", "0800000004", "0200000005"}


def fixture(name: str) -> dict:
    return json.loads((LAYERS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Run load_demo_data once; roll everything back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = StringIO()
            started = time.perf_counter()
            call_command("load_demo_data", "--no-reports", "--no-monitoring", stdout=out, stderr=StringIO())
            yield {"seconds": time.perf_counter() - started, "out": out.getvalue()}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


def test_load_reports(demo):
    """The layers load inside load_demo_data, with one audit row."""
    assert "demo layers loaded" in demo["out"] and "demo data loaded" in demo["out"]
    print(f"load_demo_data took {demo['seconds']:.1f} s")  # measured, not asserted (bench/ measures)
    events = AuditEvent.objects.filter(action="fixtures.load_layers")
    assert events.count() == 1
    counts = events.get().changes["counts"]
    assert counts["facility"] == Facility.objects.count()
    # Bulk load: no per-row audit of the features.
    assert not AuditEvent.objects.filter(action__in=["facility.create", "permit.create", "industrialzone.create"]).exists()


def test_named_zones_of_the_merged_city(demo):
    names = set(IndustrialZone.objects.values_list("name", flat=True))
    assert len(names) >= 30
    for name in ("KCN Đình Vũ", "KCN VSIP Hải Phòng", "KCN Tràng Duệ", "KCN Nam Cầu Kiền", "KCN An Dương",
                 "KCN Đồ Sơn Hải Phòng", "Khu kinh tế Đình Vũ – Cát Hải"):
        assert name in names
    assert any("DEEP C" in n for n in names) and any("Nomura" in n for n in names)
    assert set(IndustrialZone.objects.values_list("kind", flat=True)) >= {"kcn", "ccn", "kkt"}
    kkt = IndustrialZone.objects.get(kind="kkt")
    assert kkt.area_ha == 22540
    board = Organisation.objects.get(kind=OrganisationKind.EZ_BOARD)
    assert not IndustrialZone.objects.filter(kind__in=["kcn", "kkt"]).exclude(managing_board=board).exists()
    investors = IndustrialZone.objects.exclude(kind="kkt").values_list("investor_organisation__kind", flat=True)
    assert set(investors) == {OrganisationKind.ENTERPRISE}


def test_zone_points_and_areas(demo):
    """The three OSM points fall inside their zones; published areas are kept (±5 %)."""
    with connection.cursor() as cursor:
        for name, lon, lat in (("KCN Đình Vũ", 106.7744652, 20.8267968), ("KCN VSIP Hải Phòng", 106.7231804, 20.9095671),
                               ("KCN Tràng Duệ", 106.5619529, 20.8619428)):
            cursor.execute("SELECT name FROM layers_industrialzone WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(%s, %s),"
                           " 4326)) ORDER BY name", [lon, lat])
            assert [r[0] for r in cursor.fetchall()] == [name, "Khu kinh tế Đình Vũ – Cát Hải"]
        cursor.execute("SELECT name, ST_Area(geom::geography) / 10000 FROM layers_industrialzone WHERE name IN "
                       "('KCN Tràng Duệ 3', 'KCN Tiên Thanh', 'KCN Nomura 2', 'KCN Bình Giang')")
        areas = dict(cursor.fetchall())
    assert abs(areas["KCN Tràng Duệ 3"] - 652.73) < 33 and abs(areas["KCN Tiên Thanh"] - 410) < 21
    assert abs(areas["KCN Nomura 2"] - 197.16) < 10 and abs(areas["KCN Bình Giang"] - 147.9) < 8


def test_zones_do_not_overlap_and_lie_in_the_units(demo):
    """KCN/CCN polygons are disjoint; the KKT contains its member zones; every zone lies in
    the demo units, and former Hai Duong zones in units of the former Hai Duong province."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT a.name, b.name FROM layers_industrialzone a JOIN layers_industrialzone b
              ON a.id < b.id AND ST_Intersects(a.geom, b.geom)
            WHERE a.kind <> 'kkt' AND b.kind <> 'kkt'""")
        assert cursor.fetchall() == []
        cursor.execute("""
            SELECT z.name FROM layers_industrialzone z
            WHERE NOT ST_Covers((SELECT ST_Union(geom) FROM organisations_administrativeunit), z.geom)""")
        assert cursor.fetchall() == []
        cursor.execute("""
            SELECT z.name FROM layers_industrialzone z
            WHERE z.name IN ('KCN Đại An', 'KCN Phúc Điền', 'KCN Nam Sách', 'KCN Tân Trường', 'KCN Việt Hòa – Kenmark',
                             'KCN Kim Thành', 'KCN Lương Điền – Ngọc Liên', 'KCN Bình Giang', 'KCN Thanh Hà',
                             'KCN Hoàng Diệu', 'KCN Hưng Đạo', 'KCN Quốc Tuấn – An Bình', 'KCN Ngũ Phúc (giai đoạn 1)',
                             'KCN Tân Trào (giai đoạn 1)')
              AND NOT ST_Covers((SELECT ST_Union(geom) FROM organisations_administrativeunit
                                 WHERE former_province = 'Hải Dương'), z.geom)""")
        assert cursor.fetchall() == []
        cursor.execute("""
            SELECT count(*) FROM layers_industrialzone z, layers_industrialzone k
            WHERE k.kind = 'kkt' AND z.name IN ('KCN Đình Vũ', 'KCN VSIP Hải Phòng', 'KCN Tràng Duệ')
              AND ST_Area(ST_Difference(z.geom, k.geom)::geography) < 10""")
        assert cursor.fetchone()[0] == 3
    assert IndustrialZone.objects.filter(name="KCN Đại An", admin_unit__former_province="Hải Dương").exists()


def test_every_geometry_is_valid(demo):
    with connection.cursor() as cursor:
        for model in OWN_LAYER_MODELS:
            cursor.execute(f"SELECT count(*), count(*) FILTER (WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom))"
                           f" FROM {model._meta.db_table}")
            total, bad = cursor.fetchone()
            assert total > 0 and bad == 0, model.__name__
        cursor.execute("SELECT count(*) FILTER (WHERE NOT ST_IsValid(outfall)), count(outfall) FROM layers_dischargestream")
        bad, outfalls = cursor.fetchone()
        assert bad == 0 and outfalls > 1000


def test_protected_areas_and_species(demo):
    cat_ba = ProtectedArea.objects.get(name="Vườn quốc gia Cát Bà")
    reserve = ProtectedArea.objects.get(name="Khu dự trữ sinh quyển thế giới quần đảo Cát Bà")
    blv = ProtectedArea.objects.get(name="Khu bảo tồn biển Bạch Long Vĩ")
    assert (cat_ba.category, reserve.category, blv.category) == ("national_park", "biosphere", "marine")
    assert reserve.area_ha == 26241 and "2630/QĐ-TTg" in blv.legal_basis and blv.area_ha > 27000
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Area(geom::geography) / 10000, ST_XMin(geom), ST_XMax(geom), ST_YMin(geom), "
                       "ST_YMax(geom) FROM layers_protectedarea WHERE id = %s", [reserve.pk])
        area, west, east, south, north = cursor.fetchone()
        assert abs(area - 26241) < 1300
        assert 106.86 <= west and east <= 107.12 and 20.69 <= south and north <= 20.91
        cursor.execute("SELECT ST_Covers(geom, ST_SetSRID(ST_MakePoint(107.725, 20.133), 4326)) "
                       "FROM layers_protectedarea WHERE id = %s", [blv.pk])
        assert cursor.fetchone()[0]
    langur = Species.objects.get(scientific_name="Trachypithecus poliocephalus")
    assert langur.endemic and langur.endangered and langur.red_book == "CR"
    assert cat_ba.species_records.filter(species=langur).exists()
    assert Species.objects.filter(invasive_alien=True).count() >= 2 and Species.objects.filter(migratory=True).exists()
    assert all("demo" in d.lower() for d in ProtectedArea.objects.values_list("description", flat=True))


def test_about_2000_facilities_all_in_units_with_derived_zones(demo):
    """Every facility lies in a demo unit; those generated inside a zone have that zone
    (the smallest covering one, so a KCN rather than the KKT around it), the others none."""
    facilities = {f["properties"]["tax_code"]: f["properties"] for f in fixture("facilities.geojson")["features"]}
    zone_names = {f["properties"]["key"]: f["properties"]["name"] for f in fixture("zones.geojson")["features"]}
    rows = list(Facility.objects.values_list("tax_code", "zone__name", "admin_unit__name", "address"))
    assert 1900 <= len(rows) <= 2100 and len(rows) == len(facilities)
    in_zone = 0
    for tax_code, zone, unit, address in rows:
        expected = facilities[tax_code].get("zone")
        assert zone == (zone_names[expected] if expected else None), tax_code
        assert unit is not None and unit in address, (tax_code, unit, address)
        in_zone += bool(zone)
    assert in_zone > len(rows) / 2
    assert not Facility.objects.filter(admin_unit__isnull=True).exists()
    assert len({r[0] for r in rows}) == len(rows)


def test_facility_owners_are_demo_enterprises(demo):
    owners = Facility.objects.values_list("owner_organisation__kind", "owner_organisation__tax_code", "tax_code")
    assert {kind for kind, _, _ in owners} == {OrganisationKind.ENTERPRISE}
    assert all(tax.startswith(owner) for _, owner, tax in owners)
    per_owner = Counter(owner for _, owner, _ in owners)
    assert all(per_owner[code] >= 2 for code in FIVE_ENTERPRISES)
    assert max(per_owner.values()) >= 3  # several facilities may share an owner
    assert Organisation.objects.filter(tax_code__in=FIVE_ENTERPRISES).count() == 5
    generated = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).exclude(tax_code__in=FIVE_ENTERPRISES)
    assert generated.count() > 1000 and not generated.filter(is_demo=False).exists()
    assert all(name.endswith("(demo)") for name in generated.values_list("name", flat=True))
    assert not generated.filter(admin_unit__isnull=True, facilities__isnull=False).exists()
    codes = [c for c in generated.values_list("tax_code", flat=True)]
    assert all(len(c) == 10 and c.isdigit() and c[:2] in ("02", "08") for c in codes)


def test_permits_of_gpmt_facilities(demo):
    gpmt = Facility.objects.filter(permit_class=PermitClass.GPMT)
    assert gpmt.count() > 1000
    with_permit = set(Permit.objects.filter(facility__isnull=False).values_list("facility", flat=True))
    assert set(gpmt.values_list("pk", flat=True)) <= with_permit
    assert not Permit.objects.filter(facility__permit_class__in=[PermitClass.DKMT, PermitClass.EXEMPT]).exists()
    assert Permit.objects.filter(zone__isnull=False).exists()  # central WWTP permits of the zones
    assert all(p.signed_on.year in range(2022, 2027) for p in Permit.objects.only("signed_on"))
    assert not Permit.objects.exclude(issuer__catalogue__code="issuing_authorities").exists()
    # The authority was in office on the signing date (former ones for older permits).
    for signed, start, end in Permit.objects.values_list("signed_on", "issuer__valid_from", "issuer__valid_to"):
        assert (start is None or start <= signed) and (end is None or signed <= end)
    assert Permit.objects.filter(issuer__code__in=["bo_tnmt", "ubnd_hd", "ubnd_huyen"]).exists()


def test_reissued_permits_supersede_an_older_permit_of_the_same_facility(demo):
    reissued = Permit.objects.filter(kind=PermitKind.REISSUED).select_related("supersedes")
    assert reissued.count() >= 40
    for permit in reissued:
        old = permit.supersedes
        assert old is not None and old.facility_id == permit.facility_id and old.signed_on < permit.signed_on
    longest = max(len(list(_chain(p))) for p in reissued)
    assert longest >= 3  # some chains go over two re-issues


def _chain(permit):
    while permit is not None:
        yield permit
        permit = permit.supersedes


def test_permit_statuses_cover_every_case(demo):
    statuses = Counter()
    for p in Permit.objects.with_successor():
        statuses[permit_status(today=REFERENCE_DATE, signed_on=p.signed_on, term_years=p.term_years,
                               expires_on=p.expires_on, superseded_by=p.successor_number).status] += 1
    for status in (PermitStatus.VALID, PermitStatus.EXPIRING, PermitStatus.EXPIRED, PermitStatus.SUPERSEDED,
                   PermitStatus.UNDETERMINED):
        assert statuses[status] >= 10, statuses


def test_discharge_streams_follow_the_regulations(demo):
    streams = DischargeStream.objects.select_related("permit")
    assert streams.count() > Permit.objects.count()
    for s in streams.filter(regulation="QCVN 40:2011/BTNMT"):
        assert s.regulation_column in ("A", "B") and s.factor_kq and s.factor_kf and s.permit.signed_on < date(2025, 9, 1)
    assert not streams.filter(regulation="QCVN 40:2025/BTNMT", factor_kq__isnull=False).exists()
    assert not streams.filter(regulation="QCVN 40:2025/BTNMT", permit__signed_on__lt=date(2025, 9, 1)).exists()
    for s in streams.filter(regulation="QCVN 19:2009/BTNMT"):
        assert s.factor_kp and s.factor_kv and s.flow_unit == "m³/h"
    assert streams.filter(regulation="QCVN 40:2025/BTNMT").exists() and streams.filter(
        regulation="QCVN 19:2024/BTNMT").exists()


def test_outfall_vn2000_coordinates_match_the_point(demo):
    """X is the northing and Y the easting of the outfall in its VN-2000 TM-3 zone."""
    rows = list(DischargeStream.objects.filter(outfall__isnull=False).values_list(
        "outfall_source_srid", "outfall_source_x", "outfall_source_y", "outfall"))
    assert {srid for srid, *_ in rows} == {9209, 9210}
    for srid in (9209, 9210):
        subset = [r for r in rows if r[0] == srid]
        tr = Transformer.from_crs(srid, 4326, always_xy=True)
        lons, lats = tr.transform([float(r[2]) for r in subset], [float(r[1]) for r in subset])
        for lon, lat, (_, _, _, point) in zip(lons, lats, subset, strict=True):
            # within ~2 m (PROJ may pick another VN-2000 transformation than the generator)
            assert abs(lon - point.x) < 2e-5 and abs(lat - point.y) < 2e-5


def test_inspections_registrations_and_eia(demo):
    n = Facility.objects.count()
    inspected = Inspection.objects.values("facility").distinct().count()
    assert 0.2 * n <= inspected <= 0.4 * n
    assert set(Remedy.objects.values_list("status", flat=True)) == set(RemedyStatus.values)
    assert not Remedy.objects.filter(status=RemedyStatus.DONE, completed_on__isnull=True).exists()
    assert EnvironmentalRegistration.objects.filter(facility__permit_class=PermitClass.DKMT).exists()
    for model in (EnvironmentalRegistration, EIADecision):
        linked = model.objects.filter(related_permit__isnull=False).select_related("related_permit")
        assert linked.exists(), model.__name__
        assert all(r.related_permit.facility_id == r.facility_id for r in linked)
    assert Incident.objects.filter(facility__isnull=False).exists()


def test_demo_and_approved_everywhere(demo):
    department = Organisation.objects.get(kind=OrganisationKind.DEPARTMENT)
    for model in [*OWN_LAYER_MODELS, Permit, Inspection, EnvironmentalRegistration, EIADecision]:
        qs = model.objects.all()
        assert qs.exists(), model.__name__
        assert not qs.filter(is_demo=False).exists(), model.__name__
        assert not qs.exclude(approval_status=ApprovalStatus.APPROVED).exists(), model.__name__
        assert not qs.exclude(entered_by=department).exists(), model.__name__
    assert all("demo" in d.lower() for d in IndustrialZone.objects.values_list("description", flat=True))
    assert all(n.endswith("(demo)") for n in Facility.objects.values_list("name", flat=True))


def test_reload_is_idempotent(demo):
    """A forced reload replaces the demo rows without duplicates; an unforced one, and a
    second load_demo_data, do nothing."""
    before = demo_counts()
    orgs = Organisation.objects.count()
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    old_ids = set(Facility.objects.values_list("pk", flat=True))

    assert load_demo_layers(force=True) == before

    assert Organisation.objects.count() == orgs
    assert not set(Facility.objects.values_list("pk", flat=True)) & old_ids
    assert Facility.objects.values("tax_code").distinct().count() == Facility.objects.count()
    assert IndustrialZone.objects.values("name").distinct().count() == IndustrialZone.objects.count()
    assert Species.objects.values("scientific_name").distinct().count() == Species.objects.count()
    new = list(AuditEvent.objects.filter(pk__gt=last_event).values_list("action", flat=True))
    assert new == ["fixtures.load_layers"]

    out = StringIO()
    assert load_demo_layers(stdout=out) == before
    assert "unchanged" in out.getvalue()
    call_command("load_demo_data", "--no-reports", "--no-monitoring", stdout=out, stderr=StringIO())
    assert "already loaded" in out.getvalue()
    assert list(AuditEvent.objects.filter(pk__gt=last_event).values_list("action", flat=True)) == new


def test_reload_prunes_only_unreferenced_stale_enterprises(demo):
    """Demo enterprises left from an earlier version of the files are deleted on a reload,
    unless something refers to them (here: an account)."""
    from django.contrib.auth import get_user_model

    stale = Organisation.objects.create(kind=OrganisationKind.ENTERPRISE, name="Cũ (demo)", tax_code="0299999990",
                                        is_demo=True)
    kept = Organisation.objects.create(kind=OrganisationKind.ENTERPRISE, name="Có tài khoản (demo)",
                                       tax_code="0299999991", is_demo=True)
    real = Organisation.objects.create(kind=OrganisationKind.ENTERPRISE, name="Thật", tax_code="0299999992")
    get_user_model().objects.create(username="dn.cu", organisation=kept)

    load_demo_layers(force=True)

    assert not Organisation.objects.filter(pk=stale.pk).exists()
    assert Organisation.objects.filter(pk__in=[kept.pk, real.pk]).count() == 2
    assert Organisation.objects.filter(tax_code__in=FIVE_ENTERPRISES).count() == 5
