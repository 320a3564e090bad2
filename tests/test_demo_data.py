"""`manage.py load_demo_data`: the 114 approximate units of Hai Phong, one committee per
unit, the demo accounts, and idempotence (a second run does nothing, --force reloads
without duplicating)."""
from __future__ import annotations

import json
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from geoportal.accounts.choices import Role
from geoportal.audit.models import AuditEvent
from geoportal.catalogues.models import Catalogue, CatalogueEntry, FixtureLoad
from geoportal.organisations.choices import OrganisationKind
from geoportal.organisations.models import AdministrativeUnit, Organisation

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "HaiPhong@2025"
FIXTURES = settings.BASE_DIR / "fixtures"


def load(*args: str) -> str:
    out = StringIO()
    # The demo reports (35 s of rendering and signing) have their own tests: reports/tests/test_demo_reports.py.
    call_command("load_demo_data", "--no-reports", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    User = get_user_model()
    return {
        "units": AdministrativeUnit.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "catalogues": Catalogue.objects.count(),
        "entries": CatalogueEntry.objects.count(),
        "fixture_loads": FixtureLoad.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    """Load the demo data once for the module, inside a transaction rolled back at the end
    (each test then runs in its own savepoint)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield load()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_once, db) -> str:
    return _demo_once


def test_units_are_the_114_of_resolution_1669(demo):
    assert "demo data loaded" in demo
    assert AdministrativeUnit.objects.count() == 114
    kinds = Counter(AdministrativeUnit.objects.values_list("kind", flat=True))
    assert kinds == {"phuong": 45, "xa": 67, "dac_khu": 2}
    assert AdministrativeUnit.objects.filter(is_approximate=False).count() == 0
    assert not AdministrativeUnit.objects.exclude(source__startswith="demo").exists()
    assert set(AdministrativeUnit.objects.values_list("source_srid", flat=True)) == {4326}
    # The codes are those of the fixture file.
    codes = {f["properties"]["code"] for f in
             json.loads((FIXTURES / "demo" / "admin_units.geojson").read_text(encoding="utf-8"))["features"]}
    assert set(AdministrativeUnit.objects.values_list("code", flat=True)) == codes


def test_unit_geometries_are_valid_and_in_hai_phong(demo):
    assert AdministrativeUnit.objects.filter(geom__isvalid=False).count() == 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE NOT ST_IsValid(geom)), count(*) FILTER (WHERE ST_IsEmpty(geom)),"
            " count(DISTINCT ST_SRID(geom)), min(ST_SRID(geom)),"
            " ST_XMin(ST_Extent(geom)), ST_YMin(ST_Extent(geom)), ST_XMax(ST_Extent(geom)), ST_YMax(ST_Extent(geom))"
            " FROM organisations_administrativeunit"
        )
        invalid, empty, n_srid, srid, west, south, east, north = cursor.fetchone()
    assert (invalid, empty, n_srid, srid) == (0, 0, 1, 4326)
    assert 105.9 <= west < east <= 108.0
    assert 19.9 <= south < north <= 21.5


def test_one_commune_committee_per_unit(demo):
    communes = Organisation.objects.filter(kind=OrganisationKind.COMMUNE)
    assert communes.count() == 114
    assert communes.filter(admin_unit__isnull=True).count() == 0
    assert communes.values("admin_unit").distinct().count() == 114
    assert not AdministrativeUnit.objects.filter(organisations__isnull=True).exists()
    assert communes.filter(is_demo=False).count() == 0
    # Every committee has its account holder, the commune officer xa.<code>.
    assert communes.filter(account_holder__isnull=True).count() == 0
    sample = communes.select_related("admin_unit", "account_holder").first()
    assert sample.account_holder.username == f"xa.{sample.admin_unit.code}"
    assert sample.account_holder.roles == [Role.COMMUNE_OFFICER]
    assert sample.account_holder.organisation_id == sample.pk


def test_demo_accounts_exist(demo):
    User = get_user_model()
    spec = json.loads((FIXTURES / "demo" / "organisations.json").read_text(encoding="utf-8"))
    wanted = {u["username"] for u in spec["users"]} | {f"xa.{code}" for code in
                                                         AdministrativeUnit.objects.values_list("code", flat=True)}
    assert set(User.objects.filter(username__in=wanted).values_list("username", flat=True)) == wanted

    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.is_active
    assert Role.DEPT_ADMIN in admin.roles
    assert admin.organisation.kind == OrganisationKind.DEPARTMENT
    assert admin.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="canbo.so").roles == [Role.DEPT_OFFICER]
    assert not User.objects.get(username="canbo.so").is_superuser
    assert User.objects.get(username="chutich.11560").organisation.admin_unit.code == "11560"


def test_second_call_does_nothing(demo):
    User = get_user_model()
    before = counts()
    last_user = User.objects.order_by("-pk").values_list("pk", flat=True).first()
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    out = load()

    assert "already loaded" in out
    assert counts() == before
    assert not User.objects.filter(pk__gt=last_user).exists()
    assert not AuditEvent.objects.filter(pk__gt=last_event).exists()


def test_force_reloads_without_duplicating(demo):
    before = counts()
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    out = load("--force")

    assert "demo data loaded" in out and "already loaded" not in out
    after = counts()
    assert {k: v for k, v in after.items() if k != "audit"} == {k: v for k, v in before.items() if k != "audit"}
    new_actions = Counter(AuditEvent.objects.filter(pk__gt=last_event).values_list("action", flat=True))
    # The reload itself is recorded; nothing is created a second time.
    assert new_actions["fixtures.load"] == 1
    assert not [a for a in new_actions if a.endswith("create")]
    assert AdministrativeUnit.objects.count() == 114
    assert Organisation.objects.filter(kind=OrganisationKind.COMMUNE).count() == 114
    assert get_user_model().objects.filter(username="admin").count() == 1
    assert get_user_model().objects.get(username="admin").check_password(DEMO_PASSWORD)


def test_force_reload_of_unchanged_fixtures_audits_only_the_reload(demo):
    """Nothing in the fixtures changed, so nothing is updated: the log records the reload
    and no per-object "update" whose only difference is the save time."""
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    load("--force")

    new_actions = Counter(AuditEvent.objects.filter(pk__gt=last_event).values_list("action", flat=True))
    assert new_actions == {"fixtures.load": 1}
