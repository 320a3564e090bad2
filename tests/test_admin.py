"""The Django admin belongs to the department admin; its edits are audited; its map
works offline under the CSP."""
import re

import pytest

from geoportal.audit.models import AuditEvent


@pytest.mark.parametrize("role,expected", [
    ("dept_admin", 200), ("dept_officer", 302), ("commune_officer", 302), ("enterprise_user", 302),
])
def test_only_the_department_admin_opens_the_admin(world, client, role, expected):
    user = world.users[role]
    user.is_staff = True  # staff status alone is not enough
    user.save()
    client.force_login(user)
    assert client.get("/admin/").status_code == expected


def test_admin_edit_is_audited(world, client):
    admin = world.users["dept_admin"]
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    org = world.enterprise_a
    url = f"/admin/organisations/organisation/{org.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    r = client.post(url, {"name": "Công ty A (đổi tên)", "short_name": "", "kind": org.kind,
                          "admin_unit": org.admin_unit_id, "tax_code": org.tax_code, "address": "",
                          "email": "", "phone": "", "is_active": "on", "account_holder": ""})
    assert r.status_code == 302, r.content[:2000]
    event = AuditEvent.objects.get(action="organisation.admin_change", object_id=str(org.pk))
    assert event.changes["name"] == ["Công ty A", "Công ty A (đổi tên)"] and event.actor == admin


def test_admin_map_widget_is_vendored_and_has_no_inline_script(world, client):
    admin = world.users["dept_admin"]
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    body = client.get(f"/admin/organisations/administrativeunit/{world.unit_a.pk}/change/").content.decode()
    assert "vendor/ol/ol.js" in body and "map-widget-init.js" in body
    assert "cdn." not in body and "openstreetmap" not in body.lower()
    inline = [s for s in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", body) if "application/json" not in s]
    assert inline == [], inline
