"""The reports' permission matrix: every role against its own, another's and a draft report.

200 allowed; 404 outside the scope (never 403 for an object); 403 a page the role does
not have; 302 anonymous pages (login) or a redirect the page makes; 401 anonymous API.
"""
from __future__ import annotations

import pytest

from reports.tests.factories import build_report_world
from tests.test_permission_matrix import ROLES, _client_for

TARGETS = ("report_a", "report_b", "draft_a")

# GET /reports/<id>/ (and the API detail): what each role sees.
VIEW = {
    "anonymous": dict.fromkeys(TARGETS, 302),
    "dept_admin": {"report_a": 200, "report_b": 200, "draft_a": 404},
    "dept_officer": {"report_a": 200, "report_b": 200, "draft_a": 404},
    "ez_officer": {"report_a": 200, "report_b": 404, "draft_a": 404},  # report_a's facility is in its zone
    "commune_officer": {"report_a": 200, "report_b": 404, "draft_a": 404},
    "commune_chairman": {"report_a": 200, "report_b": 404, "draft_a": 404},
    "enterprise_user": {"report_a": 200, "report_b": 404, "draft_a": 200},
    "connection": dict.fromkeys(TARGETS, 404),
}
# GET /reports/<id>/edit/: the filer only; a submitted report redirects to its page.
EDIT = {role: dict.fromkeys(TARGETS, 404) for role in ROLES}
EDIT["anonymous"] = dict.fromkeys(TARGETS, 302)
EDIT["enterprise_user"] = {"report_a": 302, "report_b": 404, "draft_a": 200}
# POST /reports/<id>/review/accept/: the Department, and the EZ board for its zones.
REVIEW = {role: dict.fromkeys(TARGETS, 404) for role in ROLES}
REVIEW["anonymous"] = dict.fromkeys(TARGETS, 302)
for role in ("dept_admin", "dept_officer"):
    REVIEW[role] = {"report_a": 302, "report_b": 302, "draft_a": 404}
REVIEW["ez_officer"] = {"report_a": 302, "report_b": 404, "draft_a": 404}

PORTAL = {"anonymous": 302, "dept_admin": 403, "dept_officer": 403, "ez_officer": 403, "commune_officer": 403,
          "commune_chairman": 403, "enterprise_user": 200, "connection": 403}
OFFICER = {"anonymous": 302, "dept_admin": 200, "dept_officer": 200, "ez_officer": 200, "commune_officer": 200,
           "commune_chairman": 200, "enterprise_user": 403, "connection": 403}


def _cases(table):
    return [(role, target, code) for role, row in table.items() for target, code in row.items()]


@pytest.fixture
def rw(world):
    return build_report_world(world)


@pytest.mark.parametrize("role,target,expected", _cases(VIEW))
def test_report_page_and_api(world, rw, client, role, target, expected):
    report = getattr(rw, target)
    c = _client_for(role, world, client)
    assert c.get(f"/reports/{report.pk}/").status_code == expected
    api = c.get(f"/api/v1/reports/{report.pk}/")
    assert api.status_code == {302: 401}.get(expected, expected)
    if api.status_code == 200:
        assert api.json()["id"] == report.pk


@pytest.mark.parametrize("role,target,expected", _cases(EDIT))
def test_report_edit_page(world, rw, client, role, target, expected):
    report = getattr(rw, target)
    r = _client_for(role, world, client).get(f"/reports/{report.pk}/edit/")
    assert r.status_code == expected
    # the other filer-only routes answer the same way
    for url in (f"/reports/{report.pk}/sign/", f"/reports/{report.pk}/template.xlsx"):
        code = _client_for(role, world, client).get(url).status_code
        assert code == expected or (expected != 404 and code in (200, 302)), url


@pytest.mark.parametrize("role,target,expected", _cases(REVIEW))
def test_review(world, rw, client, role, target, expected):
    report = getattr(rw, target)
    r = _client_for(role, world, client).post(f"/reports/{report.pk}/review/accept/", {"reason": ""})
    assert r.status_code == expected
    report.refresh_from_db()
    assert (report.status == "accepted") == (expected == 302 and role != "anonymous")


@pytest.mark.parametrize("role,target,expected", _cases(REVIEW))
def test_review_api(world, rw, api_client, role, target, expected):
    report = getattr(rw, target)
    if role != "anonymous":
        api_client.force_authenticate(world.users[role])
    r = api_client.post(f"/api/v1/reports/{report.pk}/return/", {"reason": "Thiếu bảng CTNH"}, format="json")
    assert r.status_code == (401 if role == "anonymous" else {302: 200}.get(expected, expected))
    report.refresh_from_db()
    assert (report.status == "returned") == (r.status_code == 200)


@pytest.mark.parametrize("role", ROLES)
def test_portal_and_officer_list(world, rw, client, role):
    c = _client_for(role, world, client)
    assert c.get("/portal/").status_code == PORTAL[role]
    assert c.get("/officer/reports/").status_code == OFFICER[role]


@pytest.mark.parametrize("role", ROLES)
def test_api_list_shows_only_scope(world, rw, api_client, role):
    if role != "anonymous":
        api_client.force_authenticate(world.users[role])
    r = api_client.get("/api/v1/reports/")
    if role == "anonymous":
        assert r.status_code == 401
        return
    ids = {row["id"] for row in r.json()["results"]}
    expected = {getattr(rw, t).pk for t, code in VIEW[role].items() if code == 200}
    assert ids == expected
