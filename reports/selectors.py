"""Reads composed for the report pages: who must file, what each filer filed, what is late."""
from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    DateTimeField,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

from geoportal.scopes import Action
from layers.choices import FacilityStatus, PermitClass
from layers.models import Facility, IndustrialZone
from reports.models import FormDefinition, Report

# Art. 66(2) Circular 02/2022 as amended by Decision 3323/QĐ-BTNMT; used only when no
# form version is loaded (the form definitions carry the configured deadline).
FALLBACK_DUE = {"facility": (1, 15), "zone": (1, 20)}
REPORTING_STATUSES = (FacilityStatus.OPERATING, FacilityStatus.TRIAL)
FIRST_YEAR = 2022  # Circular 02/2022 took effect on 10 January 2022


def reporting_year(today: dt.date) -> int:
    """The year whose report is due now: the previous calendar year (period 1/1–31/12)."""
    return today.year - 1


def open_years(today: dt.date) -> list[int]:
    """Years a filer may open a report for, newest first."""
    return list(range(reporting_year(today), FIRST_YEAR - 1, -1))


def due_before(*, year: int, zone: bool) -> dt.date:
    """The first late day for `year` (from the form version in force, else Art. 66(2))."""
    applies = "zone_investor" if zone else "gpmt"
    form = FormDefinition.objects.for_year(year).filter(applies_to=applies).first()
    if form is not None:
        return form.due_before(year)
    month, day = FALLBACK_DUE["zone" if zone else "facility"]
    return dt.date(year + 1, month, day)


def filing_facilities():
    """Facilities that must file an annual report (05.A or 05.B)."""
    return Facility.objects.filter(permit_class__in=[PermitClass.GPMT, PermitClass.DKMT],
                                   status__in=REPORTING_STATUSES)


def filing_zones():
    """Zones whose infrastructure investor files form 06."""
    return IndustrialZone.objects.filter(investor_organisation__isnull=False)


def _with_report(qs, *, year: int, parent: str, visible_q: Q, due: dt.date, today: dt.date):
    """Annotate each filer with its report for `year` as far as the viewer may see it."""
    reports = Report.objects.filter(**{parent: OuterRef("pk")}, year=year).filter(visible_q)
    return qs.annotate(
        report_id=Subquery(reports.values("pk")[:1]),
        report_status=Subquery(reports.values("status")[:1]),
        report_revision=Subquery(reports.values("revision")[:1]),
        report_received=Subquery(reports.values("first_submitted_at")[:1], output_field=DateTimeField()),
    ).annotate(
        due_before=Value(due, output_field=DateField()),
        is_late=Case(
            When(report_received__isnull=False,
                 then=ExpressionWrapper(Q(report_received__date__gte=due), output_field=BooleanField())),
            default=Value(today >= due), output_field=BooleanField()),
    )


def compliance(*, user, year: int, today: dt.date):
    """(facilities, zones) in the user's scope that must file for `year`, each annotated
    with its received report (report_id, report_status, report_received, is_late)."""
    # An officer sees a report once it was received; the filer sees its drafts too.
    visible = Report.objects.for_user(user, Action.VIEW).values("pk")
    visible_q = Q(pk__in=visible)
    facilities = _with_report(
        filing_facilities().filter(pk__in=Facility.objects.for_user_private(user).values("pk")),
        year=year, parent="facility", visible_q=visible_q, due=due_before(year=year, zone=False), today=today)
    zones = _with_report(
        filing_zones().filter(pk__in=IndustrialZone.objects.for_user_private(user).values("pk")),
        year=year, parent="zone", visible_q=visible_q, due=due_before(year=year, zone=True), today=today)
    return (facilities.select_related("admin_unit", "zone", "owner_organisation").order_by("name"),
            zones.select_related("admin_unit", "investor_organisation").order_by("name"))


def report_list(*, user, year: int | None = None):
    """Reports the user may see, newest first, ready for a list page."""
    qs = Report.objects.for_user(user, Action.VIEW).with_lists()
    if year:
        qs = qs.filter(year=year)
    return qs.annotate(received_on=Coalesce(TruncDate("first_submitted_at"), Value(None, output_field=DateField())))
