"""The register API: scoped lists and detail, writes through services, workflow."""
import pytest

from layers.choices import ApprovalStatus
from layers.models import CraftVillage, Facility
from tests.layer_factories import FacilityFactory


def point_json(unit):
    p = unit.geom.point_on_surface
    return {"type": "Point", "coordinates": [p.x, p.y]}


def test_commune_creates_an_entry_that_awaits_approval_and_protected_fields_are_ignored(world, client):
    client.force_login(world.users["commune_officer"])
    r = client.post("/api/v1/craft-villages/", {
        "name": "Làng nghề gốm", "geom": point_json(world.unit_a), "households": 40,
        "approval_status": "approved", "approved_by": world.users["dept_admin"].pk,
    }, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["type"] == "Feature" and body["properties"]["approval_status"] == "awaiting"
    assert body["properties"]["admin_unit"] == world.unit_a.name
    obj = CraftVillage.objects.get(pk=body["id"])
    assert obj.approved_by is None and obj.entered_by == world.commune_a

    client.force_login(world.users["commune_chairman"])
    r = client.post(f"/api/v1/craft-villages/{obj.pk}/approve/")
    assert r.status_code == 200 and r.json()["approval_status"] == ApprovalStatus.APPROVED
    assert client.post(f"/api/v1/craft-villages/{obj.pk}/approve/").status_code == 409


@pytest.mark.parametrize("geom,needle", [
    ({"type": "Point", "coordinates": [2.35, 48.85]}, "ngoài Việt Nam"),  # Vietnamese by default
    ({"type": "Polygon", "coordinates": [[[106.5, 20.8], [106.6, 20.9], [106.6, 20.8], [106.5, 20.9], [106.5, 20.8]]]},
     ""),
    ("not a geometry", ""),
    ({"type": "Point", "coordinates": [106.6]}, ""),
])
def test_bad_geometry_is_a_400_naming_the_field(world, client, geom, needle):
    client.force_login(world.users["dept_officer"])
    r = client.post("/api/v1/craft-villages/", {"name": "x", "geom": geom}, content_type="application/json")
    assert r.status_code == 400, r.content
    assert "geom" in r.json()["errors"]
    assert needle in str(r.json()["errors"]["geom"])
    assert not CraftVillage.objects.exists()


def test_enterprise_cannot_create_a_facility_for_another_owner(world, client):
    client.force_login(world.users["enterprise_user"])
    r = client.post("/api/v1/facilities/", {"name": "Lấn quyền", "geom": point_json(world.unit_a),
                                            "owner_organisation": world.enterprise_b.pk}, content_type="application/json")
    assert r.status_code == 404
    assert not Facility.objects.filter(name="Lấn quyền").exists()


def test_patch_out_of_scope_is_404(world, client):
    other = FacilityFactory(owner_organisation=world.enterprise_b, admin_unit=world.unit_b)
    client.force_login(world.users["enterprise_user"])
    r = client.patch(f"/api/v1/facilities/{other.pk}/", {"name": "x"}, content_type="application/json")
    assert r.status_code == 404


def test_list_is_geojson_scoped_and_query_bounded(world, client, django_assert_max_num_queries):
    for _ in range(30):
        FacilityFactory(owner_organisation=world.enterprise_a, admin_unit=world.unit_a)
    FacilityFactory(owner_organisation=world.enterprise_b, admin_unit=world.unit_b, name="Không thấy")
    client.force_login(world.users["enterprise_user"])
    client.get("/api/v1/facilities/")
    with django_assert_max_num_queries(8):
        r = client.get("/api/v1/facilities/?page_size=100")
    body = r.json()
    assert body["count"] == 30
    assert all(f["geometry"]["type"] == "Point" for f in body["results"])
    assert "Không thấy" not in r.content.decode()


def test_permit_api_reports_computed_status(world, client, django_assert_max_num_queries):
    from datetime import date

    from layers.models import Permit
    from layers.services.permits import permit_reissue, permit_save

    f = FacilityFactory(owner_organisation=world.enterprise_a, admin_unit=world.unit_a)
    officer = world.users["dept_officer"]
    for i in range(10):
        old = permit_save(actor=officer, permit=Permit(facility=f), values={"number": f"{i}", "signed_on": date(2020, 1, 1),
                                                                             "term_years": 3})
    permit_reissue(actor=officer, old=old, values={"number": "99", "signed_on": date(2025, 1, 1), "term_years": 10})
    client.force_login(world.users["enterprise_user"])
    client.get("/api/v1/permits/")
    with django_assert_max_num_queries(8):
        rows = {p["number"]: p for p in client.get("/api/v1/permits/").json()["results"]}
    assert rows["9"]["status"] == "superseded" and rows["9"]["superseded_by"] == "99"
    assert rows["0"]["status"] == "expired" and rows["99"]["status"] == "valid"
