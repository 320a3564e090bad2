"""Creating and editing features through the pages: the map widget's value, VN-2000
input, scope, draft vs submit, and errors per field."""
import json

import pytest

from geoportal.core import crs
from layers.models import CraftVillage, Facility


def point_post(lon, lat, **extra):
    return {"geom": json.dumps({"type": "Point", "coordinates": [lon, lat]}), **extra}


def test_commune_creates_a_draft_and_then_submits(world, client):
    p = world.unit_a.geom.point_on_surface
    client.force_login(world.users["commune_officer"])
    assert client.get("/layers/craft-villages/new/").status_code == 200
    r = client.post("/layers/craft-villages/new/", point_post(p.x, p.y, name="Làng gốm", save_draft="1"))
    assert r.status_code == 302, r.content.decode()[:2000]
    v = CraftVillage.objects.get(name="Làng gốm")
    assert v.approval_status == "draft" and v.admin_unit == world.unit_a
    r = client.post(f"/craft-villages/{v.pk}/edit/", point_post(p.x, p.y, name="Làng gốm Chu Đậu"))
    v.refresh_from_db()
    assert v.approval_status == "awaiting" and v.name == "Làng gốm Chu Đậu"


def test_location_outside_the_commune_is_a_field_error(world, client):
    p = world.unit_b.geom.point_on_surface
    client.force_login(world.users["commune_officer"])
    r = client.post("/layers/craft-villages/new/", point_post(p.x, p.y, name="Sai xã"))
    assert r.status_code == 400 and not CraftVillage.objects.exists()


def test_enterprise_locates_its_facility_and_owns_it(world, client):
    p = world.unit_a.geom.point_on_surface
    client.force_login(world.users["enterprise_user"])
    r = client.post("/layers/facilities/new/", point_post(
        p.x, p.y, name="Nhà máy A", permit_class="gpmt", operating_frequency="regular", status="operating",
        owner_organisation=world.enterprise_b.pk))  # ignored: not a field for enterprises
    assert r.status_code == 302, r.content.decode()[:3000]
    f = Facility.objects.get(name="Nhà máy A")
    assert f.owner_organisation == world.enterprise_a and f.approval_status == "awaiting"


@pytest.mark.parametrize("lon,lat", [(2.35, 48.85), (106.6, 95.0)])
def test_bad_coordinates_give_a_form_error(world, client, lon, lat):
    client.force_login(world.users["dept_officer"])
    r = client.post("/layers/craft-villages/new/", point_post(lon, lat, name="x"))
    assert r.status_code == 400 and not CraftVillage.objects.exists()
    assert 'class="errors"' in r.content.decode()


def test_connection_account_cannot_open_forms(world, client):
    client.force_login(world.users["connection"])
    assert client.get("/layers/craft-villages/new/").status_code == 403


def test_edit_out_of_scope_is_404(world, client):
    p = world.unit_b.geom.point_on_surface
    other = CraftVillage.objects.create(name="Của xã B", geom=p, admin_unit=world.unit_b, approval_status="approved")
    client.force_login(world.users["commune_officer"])
    assert client.get(f"/craft-villages/{other.pk}/edit/").status_code == 404


def test_department_enters_a_vn2000_point(world, client):
    n, e = crs.wgs84_to_vn2000(106.7745, 20.8268)
    client.force_login(world.users["dept_officer"])
    form = client.get("/layers/craft-villages/new/").content.decode()
    assert "location-widget.js" in form and "<script>" not in form
    r = client.post("/layers/craft-villages/new/", point_post(106.7745, 20.8268, name="Điểm VN-2000",
                                                               **{"geom_source_srid": "9210"}))
    assert r.status_code == 302
    v = CraftVillage.objects.get(name="Điểm VN-2000")
    assert abs(v.geom.x - 106.7745) < 1e-7 and (n, e)
