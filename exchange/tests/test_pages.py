"""The packages pages (Department only) and the exchange API, role by role."""
from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from exchange.models import DataPackage
from exchange.services import build_data_package
from geoportal.audit.models import AuditEvent
from tests.test_permission_matrix import ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.urls("exchange.tests.urls")]

DEPARTMENT = {"dept_admin", "dept_officer"}
OFFICERS = DEPARTMENT | {"ez_officer", "commune_officer", "commune_chairman"}


def page_status(role: str) -> int:
    if role == "anonymous":
        return 302
    return 200 if role in DEPARTMENT else 403


def login(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_exchange_routes_by_role(world, client, role):
    """Packages: Department 200, other signed-in roles 403, anonymous to the login page.
    API: anonymous 401; officers read; an enterprise or a connection account's session reads
    nothing (an empty list, and 404 for a collection)."""
    package = build_data_package(actor=None)
    c = login(client, world, role)

    r = c.get("/exchange/packages/")
    assert r.status_code == page_status(role)
    if r.status_code == 200:
        assert f"v{package.version}" in r.content.decode()

    r = c.get(f"/exchange/packages/{package.pk}/download/")
    assert r.status_code == page_status(role)
    if r.status_code == 200:
        assert r["Content-Type"] == "application/zip"
        assert b"".join(r.streaming_content)[:2] == b"PK"
        assert c.get("/exchange/packages/999999/download/").status_code == 404

    r = c.post("/exchange/packages/build/", {"year": "2025"})
    assert r.status_code == (302 if role in DEPARTMENT | {"anonymous"} else 403)
    requested = AuditEvent.objects.filter(action="exchange.package.request").exists()
    assert requested == (role in DEPARTMENT)
    if role == "anonymous":
        assert "/accounts/login/" in r["Location"]

    r = c.get("/api/v1/exchange/")
    assert r.status_code == (401 if role == "anonymous" else 200)
    if r.status_code == 200:
        assert bool(r.json()["collections"]) == (role in OFFICERS)

    r = c.get("/api/v1/exchange/facilities/")
    assert r.status_code == (401 if role == "anonymous" else 200 if role in OFFICERS else 404)


def test_build_button_enqueues_the_task(world, client, django_capture_on_commit_callbacks, monkeypatch):
    calls = []
    from exchange import tasks

    monkeypatch.setattr(type(tasks.build_data_package_task), "enqueue",
                        lambda self, **kwargs: calls.append(kwargs))
    client.force_login(world.users["dept_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/exchange/packages/build/", {"year": "2024"}, follow=True)
    assert r.status_code == 200
    assert calls == [{"actor_id": world.users["dept_officer"].pk, "year": 2024}]


def test_build_task_runs_as_the_officer(world):
    from exchange.tasks import build_data_package_task

    officer = world.users["dept_officer"]
    version = build_data_package_task.call(actor_id=officer.pk, year=2024)
    package = DataPackage.objects.get(version=version)
    assert package.created_by == officer and package.period_end.isoformat() == "2024-12-31"
    assert default_storage.exists(package.file.name)


def test_bad_year_is_a_form_error(world, client):
    client.force_login(world.users["dept_admin"])
    r = client.post("/exchange/packages/build/", {"year": "1800"})
    assert r.status_code == 400
    assert not AuditEvent.objects.filter(action="exchange.package.request").exists()
    assert "errors" in r.content.decode()


def test_withdrawn_package_is_not_offered(world, client):
    from exchange.models import PackageStatus

    package = build_data_package(actor=None)
    DataPackage.objects.filter(pk=package.pk).update(status=PackageStatus.WITHDRAWN)
    client.force_login(world.users["dept_admin"])
    assert client.get(f"/exchange/packages/{package.pk}/download/").status_code == 404
