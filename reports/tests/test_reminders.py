"""Reminder e-mails for the annual reports: the right step on the right day, once, to the
right people; nothing after submission, nothing for exempt facilities; stale steps skipped."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from geoportal.accounts.choices import Role
from layers.choices import FacilityStatus, PermitClass
from reports.choices import ReminderKind, ReportStatus
from reports.models import FormDefinition, ReminderLog, Report
from reports.reminders import (
    Step,
    default_year,
    due_step,
    reminder_steps,
    send_due_reminders,
)
from tests.factories import EnterpriseFactory, UserFactory
from tests.layer_factories import FacilityFactory, ZoneFactory

D = dt.date
YEAR = 2025


class FailingEmailBackend:
    """An SMTP server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def form(code: str, applies_to: str, day: int) -> FormDefinition:
    return FormDefinition.objects.create(
        code=code, version="t1", applies_to=applies_to, title_vi=f"Mẫu {code}", legal_basis="TT 02/2022",
        effective_from=D(2022, 1, 10), deadline_month=1, deadline_day=day,
        definition={"code": code, "sections": []}, sha256="0" * 64)


@pytest.fixture
def forms(db):
    return {"gpmt": form("05.A", "gpmt", 15), "dkmt": form("05.B", "dkmt", 15),
            "zone_investor": form("06", "zone_investor", 20)}


@pytest.fixture
def owner(db):
    org = EnterpriseFactory(name="Công ty Thép Đình Vũ", email="moitruong@thep.example.vn")
    UserFactory(organisation=org, email="an@thep.example.vn", roles=[Role.ENTERPRISE_USER])
    UserFactory(organisation=org, email="MoiTruong@thep.example.vn", roles=[Role.ENTERPRISE_USER])  # same address
    UserFactory(organisation=org, email="cu@thep.example.vn", is_active=False)  # left the company
    UserFactory(organisation=org, email="")
    return org


def vi(msgid: str, **values) -> str:
    """A message as the Vietnamese mail says it (English until the catalogue has it)."""
    with translation.override("vi"):
        return gettext(msgid) % values if values else gettext(msgid)


def run(capture, today: dt.date, **kwargs) -> dict:
    """One scheduler run, with the mails that leave after commit."""
    with capture(execute=True):
        return send_due_reminders(today=today, **kwargs)


def kinds(**lookup) -> list[str]:
    return sorted(ReminderLog.objects.filter(**lookup).values_list("kind", flat=True))


@pytest.mark.parametrize(("days", "expected"), [
    ([30, 7, 1, -1], [("d30", D(2025, 12, 15)), ("d7", D(2026, 1, 7)), ("d1", D(2026, 1, 13)),
                      ("late", D(2026, 1, 15))]),
    ([1, 30], [("d30", D(2025, 12, 15)), ("d1", D(2026, 1, 13))]),
    ([14, 7], [("d7", D(2026, 1, 7))]),  # 14 days has no ReminderKind: ignored
])
def test_reminder_steps_count_back_from_the_last_on_time_day(days, expected):
    """The deadline is the day before "due before 15 January": 14 January 2026."""
    steps = reminder_steps(deadline=D(2026, 1, 14), days=days)
    assert [(s.kind, s.on) for s in steps] == expected


STEPS = reminder_steps(deadline=D(2026, 1, 14), days=[30, 7, 1, -1])


@pytest.mark.parametrize(("today", "kind"), [
    (D(2025, 12, 14), None), (D(2025, 12, 15), "d30"), (D(2026, 1, 6), "d30"), (D(2026, 1, 7), "d7"),
    (D(2026, 1, 10), "d7"), (D(2026, 1, 13), "d1"), (D(2026, 1, 14), "d1"), (D(2026, 1, 15), "late"),
    (D(2026, 3, 1), "late"),
])
def test_due_step_is_the_latest_step_that_has_come(today, kind):
    step = due_step(steps=STEPS, today=today)
    assert (step.kind if step else None) == kind


@pytest.mark.parametrize(("today", "year"), [
    (D(2025, 12, 15), 2025), (D(2026, 1, 20), 2025), (D(2026, 6, 30), 2025), (D(2026, 7, 1), 2026)])
def test_default_year_follows_the_reminder_season(today, year):
    assert default_year(today) == year


def test_each_step_is_sent_on_its_day_and_only_once(forms, owner, django_capture_on_commit_callbacks):
    """15 Dec: 30 days left; 7 Jan: 7 days; 13 Jan: 1 day; 15 Jan: late. A second run the
    same day sends nothing more."""
    facility = FacilityFactory(name="Nhà máy thép Đình Vũ", owner_organisation=owner, permit_class=PermitClass.GPMT)
    expected = [(D(2025, 12, 14), None), (D(2025, 12, 15), "d30"), (D(2026, 1, 7), "d7"), (D(2026, 1, 13), "d1"),
                (D(2026, 1, 15), "late")]
    for today, kind in expected:
        before = len(mail.outbox)
        counts = run(django_capture_on_commit_callbacks, today)
        if kind is None:
            assert counts == {"sent": 0, "skipped": 0, "no_recipients": 0}
            assert len(mail.outbox) == before
            continue
        assert counts == {"sent": 1, "skipped": 0, "no_recipients": 0}, today
        assert len(mail.outbox) == before + 1
        assert ReminderLog.objects.get(facility=facility, year=YEAR, kind=kind).recipients == 2
        again = run(django_capture_on_commit_callbacks, today)
        assert again == {"sent": 0, "skipped": 1, "no_recipients": 0}
        assert len(mail.outbox) == before + 1
    assert kinds(facility=facility) == sorted(["d30", "d7", "d1", "late"])
    first, late = mail.outbox[0], mail.outbox[-1]
    # Active users with an address plus the organisation's own address, each once.
    # the organisation's own address is a user's too: sent once; the inactive user gets nothing
    assert first.to == ["an@thep.example.vn", "MoiTruong@thep.example.vn"]
    assert "Nhà máy thép Đình Vũ" in first.subject and "2025" in first.subject and "14/01/2026" in first.subject
    assert "14/01/2026" in first.body and "05.A" in first.body and "/portal/" in first.body
    assert vi("Days left: %(days_left)s", days_left=30) in first.body
    assert vi("the report has not been started in the portal.") in first.body
    assert vi("Days overdue: %(days_late)s", days_late=1) in late.body
    html, mimetype = first.alternatives[0]
    assert mimetype == "text/html" and "Nhà máy thép Đình Vũ" in html and 'href="/portal/"' in html
    assert late.subject != first.subject and "Nhà máy thép Đình Vũ" in late.subject


def test_nothing_after_submission(forms, owner, django_capture_on_commit_callbacks):
    submitted = FacilityFactory(owner_organisation=owner)
    waiting = FacilityFactory(owner_organisation=owner)
    Report.objects.create(facility=submitted, organisation=owner, year=YEAR, form=forms["gpmt"],
                          status=ReportStatus.SUBMITTED, due_before=D(2026, 1, 15),
                          first_submitted_at=timezone.now(), submitted_at=timezone.now())
    # Returned for correction: it was received once, so the filer has filed.
    returned = FacilityFactory(owner_organisation=owner)
    Report.objects.create(facility=returned, organisation=owner, year=YEAR, form=forms["gpmt"],
                          status=ReportStatus.RETURNED, due_before=D(2026, 1, 15),
                          first_submitted_at=timezone.now())
    for today in (D(2025, 12, 15), D(2026, 1, 7), D(2026, 1, 13), D(2026, 1, 15)):
        run(django_capture_on_commit_callbacks, today)
    assert kinds(facility=submitted) == [] and kinds(facility=returned) == []
    assert kinds(facility=waiting) == sorted(["d30", "d7", "d1", "late"])
    assert len(mail.outbox) == 4


def test_a_draft_is_reminded_with_what_is_missing(forms, owner, django_capture_on_commit_callbacks):
    facility = FacilityFactory(owner_organisation=owner, permit_class=PermitClass.DKMT)
    Report.objects.create(facility=facility, organisation=owner, year=YEAR, form=forms["dkmt"],
                          due_before=D(2026, 1, 15))
    run(django_capture_on_commit_callbacks, D(2026, 1, 7))
    (message,) = mail.outbox
    assert vi("the report is saved as a draft but has not been signed and submitted.") in message.body
    assert "05.B" in message.body


def test_exempt_and_closed_facilities_are_never_reminded(forms, owner, django_capture_on_commit_callbacks):
    FacilityFactory(owner_organisation=owner, permit_class=PermitClass.EXEMPT)
    FacilityFactory(owner_organisation=owner, status=FacilityStatus.CLOSED)
    FacilityFactory(owner_organisation=owner, status=FacilityStatus.CONSTRUCTION)
    trial = FacilityFactory(owner_organisation=owner, status=FacilityStatus.TRIAL)
    for today in (D(2025, 12, 15), D(2026, 1, 7), D(2026, 1, 13), D(2026, 1, 15)):
        run(django_capture_on_commit_callbacks, today)
    assert set(ReminderLog.objects.values_list("facility_id", flat=True)) == {trial.pk}
    assert len(mail.outbox) == 4


def test_a_missed_step_is_caught_up_but_never_a_stale_one(forms, owner, django_capture_on_commit_callbacks):
    """The scheduler was down from December: on 10 January the 7-day reminder goes out
    (the 30-day one is stale), on 12 January nothing, and on 20 January the late notice."""
    facility = FacilityFactory(owner_organisation=owner)
    assert run(django_capture_on_commit_callbacks, D(2026, 1, 10))["sent"] == 1
    assert kinds(facility=facility) == ["d7"]
    assert vi("Days left: %(days_left)s", days_left=4) in mail.outbox[0].body
    assert run(django_capture_on_commit_callbacks, D(2026, 1, 10))["sent"] == 0
    assert run(django_capture_on_commit_callbacks, D(2026, 1, 12))["sent"] == 0
    assert run(django_capture_on_commit_callbacks, D(2026, 1, 20))["sent"] == 1
    assert kinds(facility=facility) == ["d7", "late"]
    assert vi("Days overdue: %(days_late)s", days_late=6) in mail.outbox[-1].body
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("with_forms", [True, False], ids=["form-versions", "art-66-fallback"])
def test_zone_investors_are_due_before_20_january(request, with_forms, owner, django_capture_on_commit_callbacks):
    """Form 06: the deadline is 19 January (due before the 20th); facilities keep the 14th."""
    if with_forms:
        request.getfixturevalue("forms")
    zone = ZoneFactory(name="KCN Nam Đình Vũ", investor_organisation=owner)
    ZoneFactory(name="CCN không có chủ đầu tư")  # no investor: no form 06
    facility = FacilityFactory(owner_organisation=EnterpriseFactory(email="a@b.example.vn"))
    run(django_capture_on_commit_callbacks, D(2026, 1, 13))
    assert kinds(zone=zone) == ["d7"] and kinds(facility=facility) == ["d1"]
    run(django_capture_on_commit_callbacks, D(2026, 1, 15))
    assert kinds(zone=zone) == ["d7"] and kinds(facility=facility) == ["d1", "late"]
    run(django_capture_on_commit_callbacks, D(2026, 1, 18))
    assert kinds(zone=zone) == ["d1", "d7"]
    run(django_capture_on_commit_callbacks, D(2026, 1, 19))
    assert kinds(zone=zone) == ["d1", "d7"]
    run(django_capture_on_commit_callbacks, D(2026, 1, 20))
    assert kinds(zone=zone) == ["d1", "d7", "late"]
    zone_mails = [m for m in mail.outbox if "KCN Nam Đình Vũ" in m.subject]
    assert len(zone_mails) == 3
    assert all("19/01/2026" in m.body and "06" in m.body for m in zone_mails)
    assert ReminderLog.objects.filter(zone__isnull=False).count() == 3


def test_the_report_deadline_wins_over_the_form_version(forms, owner, django_capture_on_commit_callbacks):
    """A report opened under an extended deadline (due before 1 February) is reminded by it."""
    facility = FacilityFactory(owner_organisation=owner)
    Report.objects.create(facility=facility, organisation=owner, year=YEAR, form=forms["gpmt"],
                          due_before=D(2026, 2, 1))
    run(django_capture_on_commit_callbacks, D(2026, 1, 15))
    assert kinds(facility=facility) == ["d30"]  # 31 January - 30 days = 1 January: the 30-day step
    assert "31/01/2026" in mail.outbox[0].body


def test_without_recipients_the_step_is_recorded_and_nobody_mailed(forms, django_capture_on_commit_callbacks):
    silent = EnterpriseFactory(email="")
    UserFactory(organisation=silent, email="")
    facility = FacilityFactory(owner_organisation=silent)
    orphan = FacilityFactory(owner_organisation=None)
    counts = run(django_capture_on_commit_callbacks, D(2026, 1, 7))
    assert counts == {"sent": 0, "skipped": 0, "no_recipients": 2}
    assert ReminderLog.objects.get(facility=facility).recipients == 0
    assert ReminderLog.objects.get(facility=orphan, kind=ReminderKind.D7).recipients == 0
    assert mail.outbox == []
    assert run(django_capture_on_commit_callbacks, D(2026, 1, 7)) == {"sent": 0, "skipped": 2, "no_recipients": 0}


@override_settings(SITE_URL="https://moitruong.haiphong.gov.vn/")
def test_the_link_uses_the_site_url(forms, owner, django_capture_on_commit_callbacks):
    FacilityFactory(owner_organisation=owner)
    run(django_capture_on_commit_callbacks, D(2026, 1, 7))
    assert "https://moitruong.haiphong.gov.vn/portal/" in mail.outbox[0].body


@override_settings(EMAIL_BACKEND="reports.tests.test_reminders.FailingEmailBackend")
def test_a_mail_that_cannot_leave_is_retried_at_the_next_run(forms, owner, django_capture_on_commit_callbacks):
    facility = FacilityFactory(owner_organisation=owner)
    run(django_capture_on_commit_callbacks, D(2026, 1, 7))
    assert kinds(facility=facility) == []  # dropped: the next run tries again
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert run(django_capture_on_commit_callbacks, D(2026, 1, 8))["sent"] == 1
    assert kinds(facility=facility) == ["d7"] and len(mail.outbox) == 1


def test_explicit_year(forms, owner, django_capture_on_commit_callbacks):
    """An explicit year is honoured (a 2024 report still missing in January 2025)."""
    facility = FacilityFactory(owner_organisation=owner)
    run(django_capture_on_commit_callbacks, D(2025, 1, 16), year=2024)
    assert list(ReminderLog.objects.values_list("facility_id", "year", "kind")) == [(facility.pk, 2024, "late")]
    assert "14/01/2025" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(owner):
    """Four workers run the same day concurrently: one mail per filer and step."""
    facilities = [FacilityFactory(owner_organisation=owner) for _ in range(5)]
    barrier = threading.Barrier(4)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(send_due_reminders(today=D(2026, 1, 7)))
        except Exception as exc:  # reported below, with the thread's own error
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sum(r["sent"] for r in results) == 5
    assert sum(r["skipped"] for r in results) == 15
    assert len(mail.outbox) == 5
    assert ReminderLog.objects.filter(kind="d7", facility__in=facilities).count() == 5


def test_step_dataclass_is_hashable():
    assert len({Step("d7", D(2026, 1, 7)), Step("d7", D(2026, 1, 7))}) == 1


def test_a_run_reads_in_a_fixed_number_of_queries(forms, owner, django_capture_on_commit_callbacks,
                                                   django_assert_max_num_queries):
    """Finding who is due is a handful of queries, however many filers there are."""
    for _ in range(12):
        FacilityFactory(owner_organisation=owner)
    ZoneFactory(investor_organisation=owner)
    assert run(django_capture_on_commit_callbacks, D(2026, 1, 7))["sent"] == 13
    with django_assert_max_num_queries(5):  # form versions, logs, facilities, zones, opened reports
        assert run(django_capture_on_commit_callbacks, D(2026, 1, 7))["skipped"] == 13
