"""The access page /accounts/users/<pk>/access/ and what the detail page says an account covers."""
import re

import pytest

from geoportal.accounts.choices import Role
from geoportal.accounts.models import User
from geoportal.audit.models import AuditEvent
from tests.layer_factories import FacilityFactory, ZoneFactory
from tests.test_permission_matrix import ROLES, _client_for

# GET /accounts/users/<enterprise B's user>/access/ by role: a function of the department admin only.
ACCESS_PAGE = {"anonymous": 302, "dept_admin": 200, "dept_officer": 403, "ez_officer": 403,
               "commune_officer": 403, "commune_chairman": 403, "enterprise_user": 403, "connection": 403}


@pytest.mark.parametrize("role", ROLES)
def test_access_page_by_role(world, client, role):
    """Who may open and post the access page; a POST by anyone else changes nothing."""
    target = world.users["enterprise_b_user"]
    c = _client_for(role, world, client)
    expected = ACCESS_PAGE[role]
    r = c.get(f"/accounts/users/{target.pk}/access/")
    assert r.status_code == expected
    if expected == 302:
        assert r["Location"].startswith("/accounts/login/")
    r = c.post(f"/accounts/users/{target.pk}/access/", {
        "organisation": world.enterprise_b.pk, "roles": [], "reason": "thử"})
    assert r.status_code == (302 if role in ("anonymous", "dept_admin") else expected)
    target.refresh_from_db()
    assert target.roles == ([] if role == "dept_admin" else ["enterprise_user"])


def test_unknown_account_is_404(world, client):
    client.force_login(world.users["dept_admin"])
    assert client.get("/accounts/users/999999999/access/").status_code == 404


def test_the_form_starts_from_the_current_access_and_saves_a_change(world, client):
    officer = world.users["commune_officer"]
    client.force_login(world.users["dept_admin"])
    page = client.get(f"/accounts/users/{officer.pk}/access/").content.decode()
    assert re.search(rf'<option value="{world.commune_a.pk}" selected>', page)
    assert re.search(r'value="commune_officer"[^>]*checked', page)

    r = client.post(f"/accounts/users/{officer.pk}/access/", {
        "organisation": world.commune_a.pk, "roles": ["commune_officer"], "scope_units": [world.unit_b.pk],
        "reason": "Hỗ trợ xã B"})
    assert r.status_code == 302 and r["Location"] == f"/accounts/users/{officer.pk}/"
    assert set(officer.scope_units.values_list("pk", flat=True)) == {world.unit_b.pk}
    assert AuditEvent.objects.filter(action="user.access", object_id=str(officer.pk)).count() == 1


def test_a_refused_change_shows_the_error_on_the_form(world, client):
    """A second department administrator: 400 with the error next to the roles, nothing written."""
    officer = world.users["dept_officer"]
    client.force_login(world.users["dept_admin"])
    r = client.post(f"/accounts/users/{officer.pk}/access/", {
        "organisation": world.department.pk, "roles": ["dept_admin"], "reason": "thử"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert "admin_t đang là quản trị viên Sở" in r.content.decode()  # the page speaks Vietnamese first
    officer.refresh_from_db()
    assert officer.roles == ["dept_officer"]


def test_a_missing_reason_is_a_form_error(world, client):
    officer = world.users["commune_officer"]
    client.force_login(world.users["dept_admin"])
    r = client.post(f"/accounts/users/{officer.pk}/access/", {
        "organisation": world.commune_a.pk, "roles": ["commune_officer"], "reason": ""})
    assert r.status_code == 400 and r.context["form"].errors["reason"]


def test_detail_page_shows_what_each_account_covers(world, client):
    """Communes of a commune officer, zones under the EZ board, the whole city for the Department."""
    ZoneFactory.create_batch(3, managing_board=world.ez_board)
    ZoneFactory(managing_board=None)  # another zone: not the board's
    FacilityFactory.create_batch(2, owner_organisation=world.enterprise_a)
    officer = world.users["commune_officer"]
    officer.scope_units.set([world.unit_b])
    client.force_login(world.users["dept_admin"])

    def coverage(user):
        html = client.get(f"/accounts/users/{user.pk}/").content.decode()
        return re.search(r'data-testid="coverage">(.*?)</section>', html, re.S).group(1)

    commune = coverage(officer)
    units = re.search(r'data-testid="coverage-units">(.*?)</dd>', commune, re.S).group(1)
    assert world.unit_a.name in units and world.unit_b.name in units
    ez = coverage(world.users["ez_officer"])
    assert re.search(r'data-testid="coverage-zones">(\d+)</dd>', ez).group(1) == "3"
    ent = coverage(world.users["enterprise_user"])
    assert re.search(r'data-testid="coverage-facilities">(\d+)</dd>', ent).group(1) == "2"
    dept = coverage(world.users["dept_officer"])
    assert "coverage-units" not in dept and "coverage-zones" not in dept
    User.objects.filter(pk=officer.pk).update(is_active=False)
    assert "coverage-units" not in coverage(officer)


def test_edit_link_only_for_the_admin(world, client):
    target = world.users["enterprise_user"]
    for role, shown in (("dept_admin", True), ("dept_officer", False)):
        client.force_login(world.users[role])
        html = client.get(f"/accounts/users/{target.pk}/").content.decode()
        assert ('data-testid="edit-access"' in html) is shown


def test_ez_officer_sees_its_own_coverage(world, client):
    """An EZ officer opening its own page sees the count of the board's zones."""
    ZoneFactory.create_batch(2, managing_board=world.ez_board)
    ez = world.users["ez_officer"]
    assert ez.roles == [Role.EZ_OFFICER]
    client.force_login(ez)
    html = client.get(f"/accounts/users/{ez.pk}/").content.decode()
    assert re.search(r'data-testid="coverage-zones">2</dd>', html)
