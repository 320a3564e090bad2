"""Work queues (/officer/queues/) and access to the workspace pages.

Queues are scoped: commune A's officer sees commune A's submitted reports, entries awaiting
approval, flagged rows and import batches, never commune B's; the chairman's approval queue
is what /approvals/ lets him approve; the accounts queue is for the Department only. Each
queue shows its count, its oldest items and links to the full lists. Both pages answer
anonymous 302, enterprise and connection accounts 403, every officer 200."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from layers.choices import ApprovalStatus
from layers.registry import LAYERS
from layers.tests.factories import ImportBatchFactory, PermitFactory
from reports.choices import ReportStatus
from reports.selectors import reporting_year
from reports.tests.factories import ReportFactory
from tests.layer_factories import FacilityFactory
from tests.test_permission_matrix import ROLES
from workspace.queues import QUEUE_LENGTH, work_queues

pytestmark = pytest.mark.django_db

EXPECTED = {"anonymous": 302, "dept_admin": 200, "dept_officer": 200, "ez_officer": 200, "commune_officer": 200,
            "commune_chairman": 200, "enterprise_user": 403, "connection": 403}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["workspace:dashboard", "workspace:queues"])
def test_permission_matrix(world, client, role, name):
    """Officers (Capability.WORKSPACE) 200; anonymous to the login page; others 403."""
    if role != "anonymous":
        client.force_login(world.users[role])
    r = client.get(reverse(name))
    assert r.status_code == EXPECTED[role]
    if role == "anonymous":
        assert r["Location"].startswith(reverse("login"))


def _at(minutes_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=minutes_ago)


@pytest.fixture
def place(world):
    """Commune A and commune B each with a submitted report, entries awaiting approval,
    rows an import flagged and a previewed import batch."""
    year = reporting_year(timezone.localdate())
    made = {}
    for key, unit, owner, commune, uploader in (
            ("a", world.unit_a, world.enterprise_a, world.commune_a, world.users["commune_officer"]),
            ("b", world.unit_b, world.enterprise_b, world.commune_b, world.users["commune_b_officer"])):
        filer = FacilityFactory(name=f"Nhà máy {key}", admin_unit=unit, owner_organisation=owner)
        accepted = FacilityFactory(name=f"Nhà máy đã duyệt {key}", admin_unit=unit, owner_organisation=owner)
        report = ReportFactory(facility=filer, year=year, status=ReportStatus.SUBMITTED,
                               first_submitted_at=_at(60), submitted_at=_at(60))
        ReportFactory(facility=accepted, year=year, status=ReportStatus.ACCEPTED,
                      first_submitted_at=_at(90), submitted_at=_at(90))
        awaiting = [FacilityFactory(name=f"Chờ duyệt {key} {i:02d}", admin_unit=unit,
                                    approval_status=ApprovalStatus.AWAITING, submitted_at=_at(100 - i))
                    for i in range(QUEUE_LENGTH + 1)]
        permit = PermitFactory(facility=filer, approval_status=ApprovalStatus.AWAITING, submitted_at=_at(500))
        flagged = FacilityFactory(name=f"Cần rà soát {key}", admin_unit=unit, needs_review=True)
        flagged_permit = PermitFactory(facility=accepted, needs_review=True)
        batch = ImportBatchFactory(organisation=commune, uploaded_by=uploader, original_name=f"nhap_{key}.geojson")
        made[key] = {"report": report, "awaiting": awaiting, "permit": permit, "flagged": flagged,
                     "flagged_permit": flagged_permit, "batch": batch}
    return made


def _queues(user) -> dict:
    return {q.key: q for q in work_queues(user=user, today=timezone.localdate())}


def _urls(queue) -> set[str]:
    return {item.url for item in queue.items}


def test_commune_officer_sees_only_the_communes_items(world, place):
    queues = _queues(world.users["commune_officer"])
    a, b = place["a"], place["b"]
    assert set(queues) == {"reports", "approvals", "review", "imports"}  # no accounts queue

    reports = queues["reports"]
    assert reports.count == 1 and _urls(reports) == {reverse("reports:detail", args=[a["report"].pk])}

    approvals = queues["approvals"]  # what awaits approval in the commune (the officer cannot approve)
    assert approvals.count == QUEUE_LENGTH + 2
    assert len(approvals.items) == QUEUE_LENGTH
    assert approvals.items[0].url == reverse("layers:permit-detail", args=[a["permit"].pk])  # the oldest first
    assert approvals.items[1].url == reverse("layers:detail", args=["facilities", a["awaiting"][0].pk])
    theirs = {reverse("layers:detail", args=["facilities", f.pk]) for f in b["awaiting"]}
    assert not _urls(approvals) & theirs
    assert approvals.links == [(f"{LAYERS['facilities'].title}: {QUEUE_LENGTH + 1}",
                                "/layers/facilities/?approval_status=awaiting")]

    review = queues["review"]
    assert review.count == 2
    assert _urls(review) == {reverse("layers:detail", args=["facilities", a["flagged"].pk]),
                             reverse("layers:permit-detail", args=[a["flagged_permit"].pk])}
    assert review.links[0][1] == "/layers/facilities/?needs_review=true"

    imports = queues["imports"]
    assert imports.count == 1 and _urls(imports) == {reverse("layers:imports:detail", args=[a["batch"].pk])}


def test_chairman_queue_is_what_he_may_approve(world, place):
    approvals = _queues(world.users["commune_chairman"])["approvals"]
    assert approvals.count == QUEUE_LENGTH + 2
    assert approvals.links == [(approvals.links[0][0], reverse("layers:approvals"))]
    ids = {f.pk for f in place["a"]["awaiting"]}
    shown = {int(re.search(r"/(\d+)/$", item.url).group(1)) for item in approvals.items[1:]}
    assert shown <= ids


def test_department_sees_everything_and_the_accounts_due(world, place):
    queues = _queues(world.users["dept_officer"])
    assert queues["reports"].count == 2
    assert queues["approvals"].count == 2 * (QUEUE_LENGTH + 2)
    assert queues["review"].count == 4
    assert queues["imports"].count == 2
    limit = timezone.now() - dt.timedelta(days=settings.ACCOUNT_REVIEW_INTERVAL_DAYS)
    due = get_user_model().objects.filter(is_active=True).filter(
        Q(last_reviewed_at__isnull=True) | Q(last_reviewed_at__lt=limit))
    accounts = queues["accounts"]
    assert accounts.count == due.count() > 0
    assert [url for _label, url in accounts.links] == ["/accounts/users/review/?show=due",
                                                        "/accounts/users/review/?show=unused"]
    # A reviewed account leaves the queue.
    get_user_model().objects.filter(pk=world.users["enterprise_user"].pk).update(last_reviewed_at=timezone.now())
    assert _queues(world.users["dept_officer"])["accounts"].count == accounts.count - 1


@pytest.mark.parametrize("role", ["ez_officer", "commune_officer", "commune_chairman"])
def test_no_accounts_queue_without_the_review_capability(world, role):
    assert "accounts" not in _queues(world.users[role])


@pytest.mark.parametrize("role,max_queries", [("dept_officer", 16), ("commune_officer", 16)])
def test_page_in_bounded_queries(world, place, client, django_assert_max_num_queries, role, max_queries):
    client.force_login(world.users[role])
    with django_assert_max_num_queries(max_queries):
        r = client.get(reverse("workspace:queues"))
    html = r.content.decode()
    assert r.status_code == 200
    assert re.search(r'data-testid="count-approvals" data-value="(\d+)"', html).group(1) == str(
        (QUEUE_LENGTH + 2) * (2 if role == "dept_officer" else 1))
    assert reverse("reports:detail", args=[place["a"]["report"].pk]) in html
    assert (reverse("reports:detail", args=[place["b"]["report"].pk]) in html) == (role == "dept_officer")


def test_empty_queues_and_empty_dashboard(world, client):
    """With nothing in scope, every queue and every dashboard section says so."""
    client.force_login(world.users["commune_officer"])
    html = client.get(reverse("workspace:queues")).content.decode()
    for key in ("reports", "approvals", "review", "imports"):
        assert f'data-testid="empty-{key}"' in html
    r = client.get(reverse("workspace:dashboard"))
    html = r.content.decode()
    assert r.status_code == 200
    for key in ("sectors", "communes"):
        assert f'data-testid="empty-{key}"' in html
    assert 'data-testid="chart-empty-reports-per-year"' in html
    assert 'data-testid="chart-empty-exceedances-per-month"' in html
