"""Shared fixtures: a small world of organisations and one user per role."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from geoportal.accounts.choices import Role
from geoportal.organisations.choices import OrganisationKind
from tests.factories import (
    AdministrativeUnitFactory,
    CommuneFactory,
    EnterpriseFactory,
    OrganisationFactory,
    UserFactory,
)


@dataclass
class World:
    unit_a: object
    unit_b: object
    department: object
    ez_board: object
    agency: object
    commune_a: object
    commune_b: object
    enterprise_a: object  # located in unit A
    enterprise_b: object  # located in unit B
    users: dict


@pytest.fixture
def world(db) -> World:
    unit_a = AdministrativeUnitFactory(name="Đình Vũ thử")
    unit_b = AdministrativeUnitFactory(name="Kinh Môn thử")
    department = OrganisationFactory(kind=OrganisationKind.DEPARTMENT, name="Sở NN&MT (thử)")
    ez_board = OrganisationFactory(kind=OrganisationKind.EZ_BOARD, name="BQL KKT (thử)")
    agency = OrganisationFactory(kind=OrganisationKind.AGENCY, name="Cơ quan kết nối (thử)")
    commune_a = CommuneFactory(admin_unit=unit_a)
    commune_b = CommuneFactory(admin_unit=unit_b)
    enterprise_a = EnterpriseFactory(admin_unit=unit_a, name="Công ty A")
    enterprise_b = EnterpriseFactory(admin_unit=unit_b, name="Công ty B")
    users = {
        "dept_admin": UserFactory(username="admin_t", organisation=department, roles=[Role.DEPT_ADMIN], is_staff=True),
        "dept_officer": UserFactory(username="officer_t", organisation=department, roles=[Role.DEPT_OFFICER]),
        "ez_officer": UserFactory(username="ez_t", organisation=ez_board, roles=[Role.EZ_OFFICER]),
        "commune_officer": UserFactory(username="xa_a", organisation=commune_a, roles=[Role.COMMUNE_OFFICER]),
        "commune_chairman": UserFactory(username="ct_a", organisation=commune_a, roles=[Role.COMMUNE_CHAIRMAN]),
        "enterprise_user": UserFactory(username="dn_a", organisation=enterprise_a, roles=[Role.ENTERPRISE_USER]),
        "connection": UserFactory(username="kn_t", organisation=agency, roles=[Role.CONNECTION]),
        # objects the others look at
        "enterprise_b_user": UserFactory(username="dn_b", organisation=enterprise_b, roles=[Role.ENTERPRISE_USER]),
        "commune_b_officer": UserFactory(username="xa_b", organisation=commune_b, roles=[Role.COMMUNE_OFFICER]),
    }
    return World(unit_a, unit_b, department, ez_board, agency, commune_a, commune_b, enterprise_a, enterprise_b, users)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _fresh_content_type_cache():
    """A transactional test's flush recreates content types with new ids; the manager's
    per-process cache would then hand out stale ids to the audit log."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield


@pytest.fixture(autouse=True)
def _clear_cache():
    """Cached settings (layer publications) must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _seeded_layers() -> list[str]:
    import json

    from django.conf import settings

    path = settings.BASE_DIR / "fixtures" / "reference" / "publications.json"
    return list(json.loads(path.read_text(encoding="utf-8"))["layers"])


@pytest.fixture(autouse=True)
def _default_publications(request):
    """Data-migration rows (the default publications) vanish when a transactional test
    flushes the database; put them back for tests that use the database."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames \
            and not request.node.get_closest_marker("django_db"):
        yield
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    from layers.models import LayerPublication
    from layers.publishing import ensure_default_publications

    # After a flush, any code that touched a layer's publication (a row created with the
    # private default) would make the table non-empty: check that every seeded layer has one.
    seeded = _seeded_layers()
    if LayerPublication.objects.filter(layer__in=seeded).count() < len(seeded):
        LayerPublication.objects.all().delete()  # rows made on the fly carry the private default
        ensure_default_publications()
    yield


@pytest.fixture(autouse=True)
def _empty_readings_after_transactional_tests(request):
    """The readings table is unmanaged (partitioned, created by SQL), so the flush that ends a
    transactional test (live server, transaction=True) does not empty it: do it here."""
    yield
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames or (
            (marker := request.node.get_closest_marker("django_db")) and marker.kwargs.get("transaction")):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE monitoring_reading")


@pytest.fixture(autouse=True)
def _no_foreign_readings(request):
    """Monitoring tests start from an empty readings table: the table is unmanaged, so rows a
    subprocess or a transactional test committed earlier in the run would otherwise leak in.
    TRUNCATE runs inside the test's transaction and is rolled back with it."""
    uses_db = "db" in request.fixturenames or (
        (marker := request.node.get_closest_marker("django_db")) is not None and not marker.kwargs.get("transaction"))
    # "demo": test_demo_monitoring's module-wide data set, readings included, is the subject.
    if "monitoring" not in request.node.path.parts or not uses_db or "transactional_db" in request.fixturenames \
            or "demo" in request.fixturenames:
        yield
        return
    request.getfixturevalue("db")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE monitoring_reading")
    yield
