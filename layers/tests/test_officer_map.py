"""The officer map: compliance computed in SQL, scoped data, counts, CSV export."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from layers.models import Inspection, Permit, Remedy
from tests.layer_factories import FacilityFactory


@pytest.fixture
def facilities(world):
    today = timezone.localdate()
    mk = lambda name, unit=world.unit_a: FacilityFactory(name=name, admin_unit=unit, permit_class="gpmt")  # noqa: E731
    expired, expiring, remedies, ok, none = (mk("Hết hạn"), mk("Sắp hết hạn"), mk("Còn khắc phục"), mk("Ổn"),
                                             mk("Không giấy phép"))
    other = mk("=HYPERLINK(\"x\")", unit=world.unit_b)
    Permit.objects.create(facility=expired, number="1", signed_on=today - timedelta(days=4000), term_years=5,
                          approval_status="approved")
    Permit.objects.create(facility=expiring, number="2", signed_on=today - timedelta(days=1700), term_years=5,
                          approval_status="approved")
    for f in (remedies, ok, other):
        Permit.objects.create(facility=f, number=f"P{f.pk}", signed_on=date(2025, 1, 1), term_years=10,
                              approval_status="approved")
    insp = Inspection.objects.create(facility=remedies, inspected_on=today, authority="Sở", approval_status="approved")
    Remedy.objects.create(inspection=insp, description="x", status="open")
    return {"expired": expired, "expiring": expiring, "remedies": remedies, "ok": ok, "no_permit": none, "other": other}


def test_compliance_classes_and_scope(world, client, facilities, django_assert_max_num_queries):
    client.force_login(world.users["commune_officer"])
    with django_assert_max_num_queries(8):  # session, user, scope; then one query for all features
        fc = client.get("/officer/map/data/").json()
    got = {f["properties"]["name"]: f["properties"]["compliance"] for f in fc["features"]}
    assert got == {"Hết hạn": "expired", "Sắp hết hạn": "expiring", "Còn khắc phục": "remedies", "Ổn": "ok",
                   "Không giấy phép": "no_permit"}  # the facility in commune B is out of scope
    only = client.get("/officer/map/data/?compliance=expired").json()
    assert [f["properties"]["name"] for f in only["features"]] == ["Hết hạn"]
    page = client.get("/officer/map/").content.decode()
    assert 'data-testid="compliance-counts"' in page


def test_export_what_i_see_is_csv_neutralised(world, client, facilities):
    client.force_login(world.users["dept_officer"])
    r = client.get("/officer/map/data/?format=csv")
    text = r.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    assert r["Content-Disposition"].startswith("attachment")


def test_officer_map_needs_login(db, client):
    assert client.get("/officer/map/").status_code == 302
    assert client.get("/officer/map/data/").status_code == 302
