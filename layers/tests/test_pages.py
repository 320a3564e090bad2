"""Register pages: lists are scoped, filterable and paginated with bounded queries;
feature pages answer 404 out of scope; approval queue and monthly table."""
from datetime import date

import pytest
from django.contrib.gis.geos import Point

from layers.choices import ApprovalStatus
from layers.models import CraftVillage, Facility, Inspection, Permit, Remedy
from layers.services.features import feature_save
from tests.layer_factories import FacilityFactory, ZoneFactory


@pytest.fixture
def facilities(world):
    a = FacilityFactory(name="Công ty Thép Đình Vũ", owner_organisation=world.enterprise_a, admin_unit=world.unit_a)
    b = FacilityFactory(name="Công ty Giấy Kinh Môn", owner_organisation=world.enterprise_b, admin_unit=world.unit_b)
    return a, b


@pytest.mark.parametrize("role,sees_a,sees_b", [
    ("dept_officer", True, True), ("commune_officer", True, False), ("enterprise_user", True, False),
    ("ez_officer", False, False),
    ("connection", False, False),  # an agency reads beyond the public only through the exchange API's grants
])
def test_facility_list_is_scoped(world, client, facilities, role, sees_a, sees_b):
    client.force_login(world.users[role])
    body = client.get("/layers/facilities/").content.decode()
    assert ("Thép Đình Vũ" in body) == sees_a and ("Giấy Kinh Môn" in body) == sees_b


@pytest.mark.parametrize("role,a,b", [
    ("anonymous", 404, 404), ("dept_officer", 200, 200), ("commune_officer", 200, 404),
    ("enterprise_user", 200, 404), ("commune_chairman", 200, 404), ("ez_officer", 404, 404),
])
def test_facility_page_404_out_of_scope(world, client, facilities, role, a, b):
    """With the layer unpublished, a facility page exists only for those in scope."""
    from layers.tests.test_permission_matrix_layers import set_public

    set_public("facilities", False)
    if role != "anonymous":
        client.force_login(world.users[role])
    assert client.get(f"/facilities/{facilities[0].pk}/").status_code == a
    assert client.get(f"/facilities/{facilities[1].pk}/").status_code == b


def test_diacritic_folded_search(world, client, facilities):
    client.force_login(world.users["dept_officer"])
    body = client.get("/layers/facilities/?q=dinh+vu").content.decode()
    assert "Thép Đình Vũ" in body and "Giấy Kinh Môn" not in body
    body = client.get("/layers/facilities/?q=THEP").content.decode()
    assert "Thép Đình Vũ" in body


def test_ez_board_sees_facilities_in_its_zones(world, client):
    zone = ZoneFactory(managing_board=world.ez_board)
    inside = FacilityFactory(name="Trong KCN", zone=zone)
    FacilityFactory(name="Ngoài KCN")
    client.force_login(world.users["ez_officer"])
    body = client.get("/layers/facilities/").content.decode()
    assert "Trong KCN" in body and "Ngoài KCN" not in body
    assert client.get(f"/facilities/{inside.pk}/").status_code == 200
    assert client.get(f"/zones/{zone.pk}/").status_code == 200


@pytest.mark.parametrize("slug", ["facilities", "zones", "protected-areas", "degraded-areas", "incidents",
                                  "craft-villages", "waste-facilities", "water-areas"])
def test_every_layer_list_renders_with_bounded_queries(world, client, django_assert_max_num_queries, slug):
    for i in range(25):
        FacilityFactory(admin_unit=world.unit_a, owner_organisation=world.enterprise_a)
        ZoneFactory(admin_unit=world.unit_a) if i < 5 else None
    client.force_login(world.users["dept_officer"])
    client.get(f"/layers/{slug}/")
    with django_assert_max_num_queries(14):
        r = client.get(f"/layers/{slug}/?page=1")
    assert r.status_code == 200


def test_facility_page_shows_permits_with_status_and_chain(world, client, facilities):
    from layers.services.permits import permit_reissue, permit_save

    officer = world.users["dept_officer"]
    old = permit_save(actor=officer, permit=Permit(facility=facilities[0]),
                      values={"number": "7", "symbol": "GPMT-UBND", "signed_on": date(2022, 3, 1), "term_years": 7})
    new = permit_reissue(actor=officer, old=old, values={"number": "88", "symbol": "GPMT-UBND",
                                                   "signed_on": date(2025, 3, 1), "term_years": 10})
    insp = Inspection.objects.create(facility=facilities[0], inspected_on=date(2025, 5, 1), authority="Sở NN&MT",
                                     approval_status=ApprovalStatus.APPROVED)
    Remedy.objects.create(inspection=insp, description="Lắp đặt quan trắc tự động")
    client.force_login(officer)
    body = client.get(f"/facilities/{facilities[0].pk}/").content.decode()
    assert "88/GPMT-UBND" in body and "7/GPMT-UBND" in body and "Lắp đặt quan trắc tự động" in body
    assert "88/GPMT-UBND" in client.get(f"/permits/{old.pk}/").content.decode()  # "replaced by"
    listing = client.get("/permits/?status=superseded").content.decode()
    assert f"/permits/{old.pk}/" in listing and f"/permits/{new.pk}/" not in listing
    assert f"/permits/{new.pk}/" in client.get("/permits/?status=valid").content.decode()


def test_approval_queue_and_actions(world, client):
    unit_point = world.unit_a.geom.point_on_surface
    entry = feature_save(actor=world.users["commune_officer"],
                         obj=CraftVillage(name="Làng nghề chờ duyệt", geom=Point(unit_point.x, unit_point.y, srid=4326)))
    client.force_login(world.users["commune_chairman"])
    assert "Làng nghề chờ duyệt" in client.get("/approvals/").content.decode()
    r = client.post(f"/approvals/craft-villages/{entry.pk}/reject/", {"reason": ""})
    entry.refresh_from_db()
    assert entry.approval_status == ApprovalStatus.AWAITING  # a rejection needs a reason
    client.post(f"/approvals/craft-villages/{entry.pk}/approve/")
    entry.refresh_from_db()
    assert entry.approval_status == ApprovalStatus.APPROVED
    # another commune's chairman: 404
    other = feature_save(actor=world.users["commune_b_officer"],
                         obj=CraftVillage(name="Làng B", geom=world.unit_b.geom.point_on_surface))
    assert client.post(f"/approvals/craft-villages/{other.pk}/approve/").status_code == 404
    assert r.status_code == 302


def test_monthly_updates_table(world, client):
    unit_point = world.unit_a.geom.point_on_surface
    feature_save(actor=world.users["commune_officer"], obj=CraftVillage(name="L", geom=unit_point))
    client.force_login(world.users["dept_officer"])
    body = client.get("/monthly/").content.decode()
    assert world.commune_a.name in body and world.commune_b.name in body
    client.force_login(world.users["commune_b_officer"])
    client.post("/monthly/")
    from layers.models import MonthlyUpdate

    assert MonthlyUpdate.objects.get(organisation=world.commune_b).declared_no_change
    assert Facility.objects.count() == 0


def test_a_name_cannot_break_out_of_the_page_data_block(world, client):
    hostile = 'X</script><script>alert(1)</script>'
    f = FacilityFactory(name=hostile, owner_organisation=world.enterprise_a, admin_unit=world.unit_a)
    client.force_login(world.users["dept_officer"])
    body = client.get(f"/facilities/{f.pk}/").content.decode()
    assert "<script>alert(1)" not in body
