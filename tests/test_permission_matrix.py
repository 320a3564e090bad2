"""The permission matrix (R-01): every role against in-scope and out-of-scope objects.

Expected codes: 200 allowed; 404 object outside the scope (absence, never a leak);
403 a function the role does not have; 401 anonymous API; 302 anonymous page (login).
A meta-test fails when a named URL is added without appearing here.
"""
from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anonymous", "dept_admin", "dept_officer", "ez_officer", "commune_officer",
         "commune_chairman", "enterprise_user", "connection"]

# target name -> callable(world) returning the object
TARGETS = {
    "commune_a": lambda w: w.commune_a,            # the commune officer's own committee
    "commune_b": lambda w: w.commune_b,            # another commune
    "enterprise_a": lambda w: w.enterprise_a,      # enterprise located in commune A
    "enterprise_b": lambda w: w.enterprise_b,      # enterprise in commune B
    "user_ent_a": lambda w: w.users["enterprise_user"],
    "user_ent_b": lambda w: w.users["enterprise_b_user"],
    "user_commune_b": lambda w: w.users["commune_b_officer"],
}

# (role, target) -> expected status of GET /api/v1/organisations|users/<id>/
ORG_API = {
    "anonymous": dict.fromkeys(["commune_a", "commune_b", "enterprise_a", "enterprise_b"], 401),
    "dept_admin": dict.fromkeys(["commune_a", "commune_b", "enterprise_a", "enterprise_b"], 200),
    "dept_officer": dict.fromkeys(["commune_a", "commune_b", "enterprise_a", "enterprise_b"], 200),
    "ez_officer": dict.fromkeys(["commune_a", "commune_b", "enterprise_a", "enterprise_b"], 404),
    "commune_officer": {"commune_a": 200, "commune_b": 404, "enterprise_a": 200, "enterprise_b": 404},
    "commune_chairman": {"commune_a": 200, "commune_b": 404, "enterprise_a": 200, "enterprise_b": 404},
    "enterprise_user": {"commune_a": 404, "commune_b": 404, "enterprise_a": 200, "enterprise_b": 404},
    "connection": dict.fromkeys(["commune_a", "commune_b", "enterprise_a", "enterprise_b"], 403),
}
USER_API = {
    "anonymous": dict.fromkeys(["user_ent_a", "user_ent_b", "user_commune_b"], 401),
    "dept_admin": dict.fromkeys(["user_ent_a", "user_ent_b", "user_commune_b"], 200),
    "dept_officer": dict.fromkeys(["user_ent_a", "user_ent_b", "user_commune_b"], 200),
    "ez_officer": dict.fromkeys(["user_ent_a", "user_ent_b", "user_commune_b"], 404),
    "commune_officer": dict.fromkeys(["user_ent_a", "user_ent_b", "user_commune_b"], 404),
    "commune_chairman": dict.fromkeys(["user_ent_a", "user_ent_b", "user_commune_b"], 404),
    "enterprise_user": {"user_ent_a": 200, "user_ent_b": 404, "user_commune_b": 404},
    "connection": dict.fromkeys(["user_ent_a", "user_ent_b", "user_commune_b"], 403),
}


def _client_for(role, world, client):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _cases(table):
    return [(role, target, code) for role, row in table.items() for target, code in row.items()]


@pytest.mark.parametrize("role,target,expected", _cases(ORG_API))
def test_organisation_api_detail(world, client, role, target, expected):
    obj = TARGETS[target](world)
    r = _client_for(role, world, client).get(f"/api/v1/organisations/{obj.pk}/")
    assert r.status_code == expected, r.content
    if expected == 404:
        # indistinguishable from an id that does not exist
        missing = client.get("/api/v1/organisations/999999999/")
        assert r.json()["code"] == missing.json()["code"] == "not_found"


@pytest.mark.parametrize("role,target,expected", _cases(ORG_API))
def test_organisation_page(world, client, role, target, expected):
    obj = TARGETS[target](world)
    r = _client_for(role, world, client).get(f"/organisations/{obj.pk}/")
    page_expected = {401: 302}.get(expected, expected)
    assert r.status_code == page_expected


@pytest.mark.parametrize("role,target,expected", _cases(USER_API))
def test_user_api_detail(world, client, role, target, expected):
    obj = TARGETS[target](world)
    r = _client_for(role, world, client).get(f"/api/v1/users/{obj.pk}/")
    assert r.status_code == expected, r.content


@pytest.mark.parametrize("role,target,expected", _cases(USER_API))
def test_user_page(world, client, role, target, expected):
    obj = TARGETS[target](world)
    r = _client_for(role, world, client).get(f"/accounts/users/{obj.pk}/")
    assert r.status_code == {401: 302}.get(expected, expected)


# Audit log: a function of the department admin only.
AUDIT = {"anonymous": 401, "dept_admin": 200, "dept_officer": 403, "ez_officer": 403,
         "commune_officer": 403, "commune_chairman": 403, "enterprise_user": 403, "connection": 403}


@pytest.mark.parametrize("role,expected", AUDIT.items())
def test_audit_api_and_page(world, client, role, expected):
    from django.db import transaction

    from geoportal.audit.services import audit_record

    with transaction.atomic():
        event = audit_record(action="test.event", obj=world.enterprise_b)
    c = _client_for(role, world, client)
    assert c.get("/api/v1/audit-events/").status_code == expected
    assert c.get(f"/api/v1/audit-events/{event.pk}/").status_code == expected
    assert c.get(f"/audit/{event.pk}/").status_code == {401: 302}.get(expected, expected)
    assert c.get("/audit/").status_code == {401: 302}.get(expected, expected)


# Writes: periodic review (department) and account handover (department admin).
REVIEW = {"anonymous": 401, "dept_admin": 200, "dept_officer": 200, "ez_officer": 403,
          "commune_officer": 403, "commune_chairman": 403, "enterprise_user": 403, "connection": 403}


@pytest.mark.parametrize("role,expected", REVIEW.items())
def test_review_write(world, client, role, expected):
    target = world.users["enterprise_b_user"]
    r = _client_for(role, world, client).post(f"/api/v1/users/{target.pk}/review/", {}, content_type="application/json")
    assert r.status_code == expected
    target.refresh_from_db()
    assert (target.last_reviewed_at is not None) == (expected == 200)


HANDOVER = {"anonymous": 401, "dept_admin": 201, "dept_officer": 403, "ez_officer": 403,
            "commune_officer": 403, "commune_chairman": 403, "enterprise_user": 403, "connection": 403}


@pytest.mark.parametrize("role,expected", HANDOVER.items())
def test_handover_write(world, client, role, expected):
    org = world.enterprise_b
    new = world.users["enterprise_b_user"]
    r = _client_for(role, world, client).post(
        f"/api/v1/organisations/{org.pk}/handover/", {"to_user": new.pk, "reason": "nghỉ hưu"},
        content_type="application/json")
    assert r.status_code == expected
    org.refresh_from_db()
    assert (org.account_holder_id == new.pk) == (expected == 201)


@pytest.mark.parametrize("role", ROLES)
def test_list_endpoints_only_show_scope(world, client, role):
    """Lists never contain out-of-scope rows (R-02): compare ids with the scoped queryset."""
    from geoportal.accounts.models import User
    from geoportal.organisations.models import Organisation

    c = _client_for(role, world, client)
    for url, model in (("/api/v1/organisations/?page_size=500", Organisation), ("/api/v1/users/?page_size=500", User)):
        r = c.get(url)
        if r.status_code != 200:
            assert r.status_code in (401, 403)
            continue
        got = {row["id"] for row in r.json()["results"]}
        user = world.users.get(role)
        assert got == set(model.objects.for_user(user).values_list("pk", flat=True))
        if role not in ("dept_admin", "dept_officer"):
            assert world.enterprise_b.pk not in got or model is not Organisation


def _all_url_names() -> set[str]:
    names = set()

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns)
    return {n for n in names if not n.startswith("admin:")}


# Every named route and where its access rules are tested.
COVERED = {
    "organisations:detail": "test_organisation_page", "organisations:list": "test_pages_require_login",
    "accounts:user-detail": "test_user_page", "accounts:user-list": "test_pages_require_login",
    "accounts:user-access": "geoportal/accounts/tests/test_access_pages.py::test_access_page_by_role",
    "accounts:review-queue": "geoportal/accounts/tests/test_review_bulk.py::test_review_queue_by_role",
    "accounts:user-review": "test_review_page_write", "audit:list": "test_audit_api_and_page",
    "audit:detail": "test_audit_api_and_page", "organisation-detail": "test_organisation_api_detail",
    "organisation-list": "test_list_endpoints_only_show_scope", "user-detail": "test_user_api_detail",
    "user-list": "test_list_endpoints_only_show_scope", "auditevent-list": "test_audit_api_and_page",
    "auditevent-detail": "test_audit_api_and_page", "user-review": "test_review_write",
    "organisation-handover": "test_handover_write", "me": "test_public_and_self_routes",
    "adminunit-list": "test_public_and_self_routes", "adminunit-detail": "test_public_and_self_routes",
    "adminunit-geojson": "test_public_and_self_routes", "api-root": "test_public_and_self_routes",
    "home": "test_public_and_self_routes", "healthz": "test_public_and_self_routes",
    "api-schema": "test_public_and_self_routes", "api-docs": "test_public_and_self_routes",
    "javascript-catalog": "test_public_and_self_routes", "set_language": "public (Django i18n)",
    "login": "tests/test_auth.py", "logout": "tests/test_auth.py",
    "password_change": "test_pages_require_login", "password_change_done": "test_pages_require_login",
    "password_reset": "tests/test_auth.py", "password_reset_done": "public",
    "password_reset_confirm": "tests/test_auth.py", "password_reset_complete": "public",
    "crs-transform": "public (geoportal/core/tests/test_crs_api.py)",
    "entry-transition": "layers/tests/test_api.py", "inspection-detail": "layers: scoped viewset",
    "inspection-list": "layers: scoped viewset", "permit-detail": "layers/tests/test_api.py",
    "permit-list": "layers/tests/test_api.py",
    "layers:approval-action": "layers/tests/test_pages.py", "layers:approvals": "test_workflow_pages_by_role",
    "layers:detail": "test_layer_page_and_api_detail", "layers:inspection-list": "test_workflow_pages_by_role",
    "layers:list": "test_layer_page_and_api_detail", "layers:monthly": "test_workflow_pages_by_role",
    "layers:permit-detail": "layers/tests/test_pages.py",
    "layers:permit-new": "layers/tests/test_record_forms.py", "layers:permit-edit": "layers/tests/test_record_forms.py",
    "layers:permit-reissue": "layers/tests/test_record_forms.py",
    "layers:inspection-new": "layers/tests/test_record_forms.py",
    **{f"layers:imports:{name}": "layers/tests/test_imports.py::test_page_permission_matrix"
       for name in ("list", "upload", "detail", "commit", "cancel", "permit-book-export")},
    "layers:documents:upload": "layers/tests/test_documents.py",
    "layers:documents:download": "layers/tests/test_documents.py",
    "layers:documents:delete": "layers/tests/test_documents.py",
    "layers:feature-new": "layers/tests/test_feature_forms.py",
    "layers:catalogue": "public (layers/tests/test_catalogue.py)",
    "about": "test_public_and_self_routes",
    "workspace:compiled": "workspace/tests/test_compiled_views.py::test_compiled_page_by_role",
    "workspace:compiled-download": "workspace/tests/test_compiled_views.py::test_compiled_download_by_role",
    **{f"catalogues:{name}": "geoportal/catalogues/tests/test_governance_pages.py::test_catalogue_pages_by_role"
       for name in ("index", "rows", "new", "edit", "deactivate", "history")},
    **{f"exchange:connection-{name}": "exchange/tests/test_connection_views.py::test_pages_by_role + test_revoke_by_role"
       for name in ("list", "new", "detail", "revoke")},
    **{name: "exchange/tests/test_pages.py::test_exchange_routes_by_role" for name in (
        "exchange:packages", "exchange:package-download", "exchange:package-build", "exchange-collection-list",
        "exchange-collection-items")},
    "tiles:tile": "layers/tests/test_tiles.py", "tiles:tilejson": "layers/tests/test_tiles.py",
    "exports:export": "layers/tests/test_exports.py",
    "exports:job-create": "layers/tests/test_export_jobs.py", "exports:job": "layers/tests/test_export_jobs.py",
    "exports:job-download": "layers/tests/test_export_jobs.py",
    **{f"ogcapi:{name}": "layers/tests/test_ogcapi.py" for name in
       ("landing", "conformance", "api", "collections", "collection", "queryables", "items", "item")},
    "layers:officer-map": "layers/tests/test_officer_map.py", "layers:officer-map-data": "layers/tests/test_officer_map.py", "search": "public (layers/tests/test_map.py)",
    "layers:catalogue-jsonld": "public (layers/tests/test_catalogue.py)",
    **dict.fromkeys(["workspace:dashboard", "workspace:queues"], "workspace/tests/test_queues.py::test_permission_matrix"),
    "layers:catalogue-dataset": "public (layers/tests/test_catalogue.py)", "layers:feature-edit": "layers/tests/test_feature_forms.py",
    "layers:inspection-edit": "layers/tests/test_record_forms.py", "layers:permit-list": "test_workflow_pages_by_role",
    **{f"reports:{name}": "reports/tests/test_permission_matrix_reports.py" for name in (
        "portal", "detail", "edit", "sign", "template", "review", "officer-list")},
    **{name: "reports/tests/test_permission_matrix_reports.py" for name in (
        "report-list", "report-detail", "report-accept", "report-return")},
    "reports:open": "reports/tests/test_workflow.py (enterprise) + test_open_refuses_others",
    "reports:render": "reports/tests/test_workflow.py", "reports:rendered": "reports/tests/test_workflow.py",
    "reports:file": "reports/tests/test_workflow.py + test_files_follow_scope",
    "reports:import": "reports/tests/test_report_pages.py", "reports:query": "reports/tests/test_analytics.py",
    "workspace:statistics": "workspace/tests/test_statistics_views.py::test_statistics_permission_matrix",
    "report-validate": "reports/tests/test_report_api.py", "report-data": "reports/tests/test_report_api.py",
    "report-submit": "reports/tests/test_report_api.py",
    "monitoring:station-detail": "monitoring/tests/test_station_page.py",
    "monitoring:station-readings-csv": "monitoring/tests/test_station_page.py",
    "monitoring:aqi-map": "public (monitoring/tests/test_aqi_map.py)",
    "monitoring:outfalls": "public (monitoring/tests/test_aqi_map.py)",
    "monitoring:push": "monitoring/tests/test_push_api.py (station tokens only)",
    "monitoring:periodic-import": "monitoring/tests/test_periodic_import.py",
    **{f"monitoring:edr-{name}": "monitoring/tests/test_edr.py" for name in (
        "landing", "conformance", "collections", "collection", "locations", "location", "position")},
    **{f"layer-{slug}-{kind}": "layers/tests/test_permission_matrix_layers.py"
       for slug in ("facilities", "zones", "protected-areas", "degraded-areas", "incidents", "craft-villages",
                    "waste-facilities", "water-areas", "stations") for kind in ("list", "detail")},
}


def test_every_route_is_in_the_matrix():
    missing = _all_url_names() - set(COVERED)
    assert not missing, f"routes without access tests: {sorted(missing)}"


@pytest.mark.parametrize("url", ["/organisations/", "/accounts/users/", "/accounts/password/change/",
                                 "/accounts/password/change/done/", "/audit/"])
def test_pages_require_login(db, client, url):
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role,expected", [("dept_officer", 302), ("commune_officer", 403), ("enterprise_user", 403)])
def test_review_page_write(world, client, role, expected):
    target = world.users["enterprise_b_user"]
    r = _client_for(role, world, client).post(f"/accounts/users/{target.pk}/review/", {"note": "ok"})
    assert r.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_public_and_self_routes(world, client, role):
    c = _client_for(role, world, client)
    for url in ["/", "/about/", "/healthz", "/api/v1/administrative-units/", f"/api/v1/administrative-units/{world.unit_a.pk}/",
                "/api/v1/administrative-units.geojson", "/api/v1/", "/api/schema/", "/api/docs/", "/jsi18n/"]:
        assert c.get(url).status_code == 200, url
    me = c.get("/api/v1/me/")
    assert me.status_code == (401 if role == "anonymous" else 200)
    if role != "anonymous":
        assert me.json()["username"] == world.users[role].username


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"])
def test_review_redirect_is_never_off_site(world, client, target):
    client.force_login(world.users["dept_officer"])
    r = client.post(f"/accounts/users/{world.users['enterprise_user'].pk}/review/", {"next": target})
    assert r.status_code == 302 and r["Location"].startswith("/accounts/users/")
