"""Reminder e-mails for the annual BVMT reports (issue 5, "Review"; DESIGN.md section 5).

A report for year Y is due *before* 15 January of Y+1 (facilities) or before 20 January
(zone infrastructure investors), Art. 66(2) Circular 02/2022 as amended by Decision
3323/QĐ-BTNMT; the form version in force carries the configured day. The deadline, the
last on-time day, is the day before that. Reminders go out settings.REPORT_REMINDER_DAYS
days before the deadline (-1: the day after it) to filers that have not submitted yet.

Each (filer, year, step) is sent once: the ReminderLog row is inserted first (its unique
key settles a race between two workers) and the mail leaves only after that row commits.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import translation

from geoportal.accounts.models import User
from geoportal.organisations.models import Organisation
from layers.models import Facility, IndustrialZone
from reports.choices import FormAppliesTo, ReminderKind, ReportStatus
from reports.models import FormDefinition, ReminderLog, Report
from reports.selectors import FALLBACK_DUE, filing_facilities, filing_zones

logger = logging.getLogger(__name__)

# Days before the deadline -> the step recorded in ReminderLog; negative values are the
# "after the deadline" notice (ReminderKind has one such step).
_KIND_BY_DAYS = {30: ReminderKind.D30, 7: ReminderKind.D7, 1: ReminderKind.D1}
PORTAL_PATH = "/portal/"  # the enterprise portal (DESIGN.md section 6)
ZONE_FORM_CODE = "06"


@dataclass(frozen=True)
class Step:
    """One reminder of one deadline: its kind and the day it goes out."""

    kind: str
    on: dt.date


@dataclass
class Filer:
    """Someone who must file for the year: a facility (05.A/05.B) or a zone's investor (06)."""

    facility: Facility | None
    zone: IndustrialZone | None
    organisation_id: int | None
    applies_to: str
    form_code: str
    report: Report | None = None

    @property
    def name(self) -> str:
        return (self.facility or self.zone).name


def step_kind(days: int) -> str | None:
    """The ReminderKind of a REPORT_REMINDER_DAYS entry (None when it has no kind)."""
    if days < 0:
        return ReminderKind.LATE
    return _KIND_BY_DAYS.get(days)


def reminder_steps(*, deadline: dt.date, days: Iterable[int]) -> list[Step]:
    """The reminders of one deadline (the last on-time day), earliest first."""
    steps = []
    for n in days:
        kind = step_kind(n)
        if kind is None:
            logger.warning("REPORT_REMINDER_DAYS: %s days has no reminder kind; ignored", n)
            continue
        # -1 is "the day after the deadline": deadline - (-1) days.
        steps.append(Step(kind=kind, on=deadline - dt.timedelta(days=n)))
    return sorted(steps, key=lambda s: s.on)


def due_step(*, steps: list[Step], today: dt.date) -> Step | None:
    """The step to send on `today`: the latest one whose day has come. An earlier step that
    was missed is stale once a later one is due (no "30 days left" mail on 10 January)."""
    past = [s for s in steps if s.on <= today]
    return past[-1] if past else None


def default_year(today: dt.date) -> int:
    """The reporting year whose reminders run on `today`: the first steps fall in December
    of the year itself, the late notices in January of the next one; from July on it is
    the current year (its first step is still months away)."""
    return today.year if today.month >= 7 else today.year - 1


def fallback_due_before(*, applies_to: str, year: int) -> dt.date:
    """The first late day when no form version is loaded (Art. 66(2) Circular 02/2022)."""
    month, day = FALLBACK_DUE["zone" if applies_to == FormAppliesTo.ZONE_INVESTOR else "facility"]
    return dt.date(year + 1, month, day)


def _due_before_by_kind(year: int) -> dict[str, dt.date]:
    """The first late day per filer kind, from the form versions in force for `year`."""
    due: dict[str, dt.date] = {}
    for form in FormDefinition.objects.for_year(year):  # latest effective first
        due.setdefault(form.applies_to, form.due_before(year))
    for kind in FormAppliesTo.values:
        due.setdefault(kind, fallback_due_before(applies_to=kind, year=year))
    return due


def pending_filers(*, year: int) -> list[Filer]:
    """Filers for `year` whose report was not submitted yet, with their report if opened."""
    submitted = Report.objects.filter(year=year, first_submitted_at__isnull=False)
    facilities = (filing_facilities().filter(~Exists(submitted.filter(facility=OuterRef("pk"))))
                  .only("pk", "name", "permit_class", "owner_organisation_id").order_by("pk"))
    zones = (filing_zones().filter(~Exists(submitted.filter(zone=OuterRef("pk"))))
             .only("pk", "name", "investor_organisation_id").order_by("pk"))
    filers = [Filer(facility=f, zone=None, organisation_id=f.owner_organisation_id, applies_to=f.permit_class,
                    form_code=f.report_form or "") for f in facilities]
    filers += [Filer(facility=None, zone=z, organisation_id=z.investor_organisation_id,
                     applies_to=FormAppliesTo.ZONE_INVESTOR, form_code=ZONE_FORM_CODE) for z in zones]
    opened = Report.objects.filter(year=year, first_submitted_at__isnull=True).only(
        "pk", "facility_id", "zone_id", "status", "due_before")
    by_parent = {(r.facility_id, r.zone_id): r for r in opened}
    for filer in filers:
        filer.report = by_parent.get((filer.facility.pk if filer.facility else None,
                                      filer.zone.pk if filer.zone else None))
    return filers


def recipients_by_organisation(organisation_ids: Iterable[int]) -> dict[int, list[str]]:
    """E-mail addresses per organisation: its active users' and its own, without duplicates."""
    ids = {i for i in organisation_ids if i}
    found: dict[int, list[str]] = {i: [] for i in ids}
    seen: set[tuple[int, str]] = set()
    users = (User.objects.filter(organisation_id__in=ids, is_active=True).exclude(email="")
             .order_by("pk").values_list("organisation_id", "email"))
    orgs = Organisation.objects.filter(pk__in=ids).exclude(email="").values_list("pk", "email")
    for org_id, email in [*users, *orgs]:
        if (org_id, email.strip().lower()) not in seen:  # addresses are case-insensitive in practice
            seen.add((org_id, email.strip().lower()))
            found[org_id].append(email.strip())
    return found


def portal_url() -> str:
    """Where the enterprise files its report: SITE_URL (when configured) + /portal/."""
    return getattr(settings, "SITE_URL", "").rstrip("/") + PORTAL_PATH


def reminder_message(*, filer: Filer, year: int, step: Step, due_before: dt.date, today: dt.date,
                     recipients: list[str]) -> EmailMultiAlternatives:
    """The reminder e-mail (Vietnamese, plain text and HTML) for one filer and step."""
    deadline = due_before - dt.timedelta(days=1)
    report = filer.report
    context = {
        "name": filer.name,
        "is_zone": filer.zone is not None,
        "year": year,
        "form_code": filer.form_code,
        "deadline": deadline.strftime("%d/%m/%Y"),
        "due_before": due_before.strftime("%d/%m/%Y"),
        "days_left": max((deadline - today).days, 0),
        "days_late": max((today - deadline).days, 0),
        "late": step.kind == ReminderKind.LATE,
        "state": ("returned" if report and report.status == ReportStatus.RETURNED
                  else "draft" if report else "not_started"),
        "portal_url": portal_url(),
    }
    with translation.override("vi"):
        subject = " ".join(render_to_string("reports/email/reminder_subject.txt", context).split())
        text = render_to_string("reports/email/reminder_body.txt", context)
        html = render_to_string("reports/email/reminder_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=recipients)
    message.attach_alternative(html, "text/html")
    return message


def _send_after_commit(message: EmailMultiAlternatives, log_pk: int) -> None:
    try:
        message.send()
    except OSError:  # SMTP down (smtplib errors are OSErrors): drop the log so that the next run retries
        logger.exception("reminder %s could not be sent; it will be retried", log_pk)
        ReminderLog.objects.filter(pk=log_pk).delete()


def send_due_reminders(*, today: dt.date, year: int | None = None) -> dict[str, int]:
    """Send the reminder e-mails due on `today` for `year` (default: the year whose
    reminders run now), each once. Returns counts: sent, skipped (this step was already
    recorded, by an earlier run or another worker), no_recipients (recorded, nobody to mail)."""
    year = default_year(today) if year is None else year
    days = settings.REPORT_REMINDER_DAYS
    due_by_kind = _due_before_by_kind(year)
    logged = set(ReminderLog.objects.filter(year=year).values_list("facility_id", "zone_id", "kind"))
    todo: list[tuple[Filer, Step, dt.date]] = []
    counts = {"sent": 0, "skipped": 0, "no_recipients": 0}
    for filer in pending_filers(year=year):
        due = filer.report.due_before if filer.report else due_by_kind[filer.applies_to]
        step = due_step(steps=reminder_steps(deadline=due - dt.timedelta(days=1), days=days), today=today)
        if step is None:
            continue
        key = (filer.facility.pk if filer.facility else None, filer.zone.pk if filer.zone else None, step.kind)
        if key in logged:
            counts["skipped"] += 1
            continue
        todo.append((filer, step, due))
    addresses = recipients_by_organisation(f.organisation_id for f, _, _ in todo)
    for filer, step, due in todo:
        recipients = addresses.get(filer.organisation_id, [])
        with transaction.atomic():
            log, created = ReminderLog.objects.get_or_create(
                facility=filer.facility, zone=filer.zone, year=year, kind=step.kind,
                defaults={"recipients": min(len(recipients), 32767)})
            if not created:  # another worker got there first
                counts["skipped"] += 1
                continue
            if not recipients:
                counts["no_recipients"] += 1
                logger.warning("no e-mail address for %s (%s reminder, %s)", filer.name, step.kind, year)
                continue
            message = reminder_message(filer=filer, year=year, step=step, due_before=due, today=today,
                                       recipients=recipients)
            transaction.on_commit(lambda m=message, pk=log.pk: _send_after_commit(m, pk))
            counts["sent"] += 1
    return counts
