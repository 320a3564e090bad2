"""Selectors of the officer dashboard (/officer/): every figure is computed in SQL over the
user's scope (`for_user` / `for_user_private`), and each figure carries the address of the
list page that shows the same rows (and of the officer map where it has a matching filter).

The figures reuse the rules of the pages they link to, so that a number and its list agree:
- permits: layers.filters.PermitFilter's computed status (12-month "expiring" window,
  layers.domain.permits.EXPIRING_WINDOW_MONTHS; a separate dashboard window would make
  the figure disagree with /permits/?status=expiring and with the officer map);
- annual reports: reports.selectors.compliance(), the selector of /officer/reports/;
- monthly updates: layers.services.monthly.month_start()/is_late(), the rule of /monthly/.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from geoportal.catalogues.models import CatalogueEntry
from layers.choices import PermitStatus, RemedyStatus
from layers.domain.permits import add_months
from layers.filters import PermitFilter
from layers.models import Facility, Inspection, MonthlyUpdate, Permit
from layers.selectors import monthly_reporting_units
from layers.services.monthly import is_late, month_start
from monitoring.models import ExceedanceEvent
from reports.choices import ReportStatus
from reports.models import Report
from reports.selectors import FIRST_YEAR, compliance, open_years

TREND_YEARS = 5  # reports received per reporting year: the last five years
TREND_MONTHS = 12  # exceedance events per month: the last twelve months
MONTHLY_NAMES = 12  # units late with their monthly update named on the dashboard (the rest on /monthly/)
PERMIT_STATES = (PermitStatus.VALID, PermitStatus.EXPIRING, PermitStatus.EXPIRED)
# The officer map colours facilities by these classes (layers.officer_map.COMPLIANCE).
PERMIT_MAP_CLASS = {PermitStatus.EXPIRING: "expiring", PermitStatus.EXPIRED: "expired"}


@dataclass(frozen=True)
class Figure:
    """One number of the dashboard, the filtered list it comes from, and the map view."""

    key: str
    label: str
    value: int
    url: str | None = None
    map_url: str | None = None


def _url(name: str, *args, **params) -> str:
    base = reverse(name, args=args or None)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def _map_url(**params) -> str:
    return _url("layers:officer-map", **params)


# --- The register --------------------------------------------------------------------------

def facilities_by_sector(*, user) -> list[Figure]:
    """Facilities in scope per sector, largest first (one aggregate, one query for the names)."""
    rows = list(Facility.objects.for_user_private(user).order_by().values("sector_id")
                .annotate(n=Count("pk")).order_by("-n", "sector_id"))
    names = CatalogueEntry.objects.in_bulk([r["sector_id"] for r in rows if r["sector_id"]])
    figures = []
    for row in rows:
        entry = names.get(row["sector_id"])
        if entry is None:  # no sector recorded: the list page has no filter for "none"
            figures.append(Figure("sector-none", _("No sector recorded"), row["n"]))
        else:
            figures.append(Figure(f"sector-{entry.pk}", entry.name, row["n"],
                                  url=_url("layers:list", "facilities", sector=entry.pk)))
    return figures


def facilities_by_commune(*, user) -> list[Figure]:
    """Facilities in scope per commune (administrative unit), largest first, in one query."""
    rows = (Facility.objects.for_user_private(user).order_by().values("admin_unit_id", "admin_unit__name")
            .annotate(n=Count("pk")).order_by("-n", "admin_unit__name"))
    figures = []
    for row in rows:
        unit = row["admin_unit_id"]
        if unit is None:
            figures.append(Figure("commune-none", _("Outside every commune"), row["n"]))
        else:
            figures.append(Figure(f"commune-{unit}", row["admin_unit__name"], row["n"],
                                  url=_url("layers:list", "facilities", admin_unit=unit),
                                  map_url=_map_url(admin_unit=unit)))
    return figures


def permit_figures(*, user) -> list[Figure]:
    """Permits in scope that are valid, expiring or expired (PermitFilter's rules), in one query."""
    scoped = Permit.objects.for_user(user)
    counts = Permit.objects.order_by().aggregate(**{
        state.value: Count("pk", filter=Q(pk__in=PermitFilter({"status": state.value}, queryset=scoped).qs
                                          .order_by().values("pk")))
        for state in PERMIT_STATES})
    return [Figure(f"permits-{state.value}", str(state.label), counts[state.value],
                   url=_url("layers:permit-list", status=state.value),
                   map_url=_map_url(compliance=PERMIT_MAP_CLASS[state]) if state in PERMIT_MAP_CLASS else None)
            for state in PERMIT_STATES]


def remedy_figures(*, user) -> list[Figure]:
    """Remedies ordered by inspections in scope that are still open or in progress (one query)."""
    # A join from the scoped inspections, not "remedy.inspection_id IN (scoped inspections)": the
    # scope's ORs over outer joins made PostgreSQL re-run that subquery per remedy when the
    # tables had no statistics yet (minutes on the demo data in a test transaction).
    counts = Inspection.objects.for_user(user).order_by().aggregate(
        open=Count("remedies", filter=Q(remedies__status=RemedyStatus.OPEN)),
        in_progress=Count("remedies", filter=Q(remedies__status=RemedyStatus.IN_PROGRESS)))
    return [Figure(f"remedies-{status.value}", str(status.label), counts[status.value],
                   url=_url("layers:inspection-list", remedy_status=status.value),
                   map_url=_map_url(compliance="remedies"))
            for status in (RemedyStatus.OPEN, RemedyStatus.IN_PROGRESS)]


# --- Annual reports ------------------------------------------------------------------------

def _tally(filers) -> dict[str, int]:
    received = Q(report_received__isnull=False)
    return filers.order_by().aggregate(
        expected=Count("pk"),
        missing=Count("pk", filter=Q(report_received__isnull=True)),
        submitted=Count("pk", filter=received & Q(report_status=ReportStatus.SUBMITTED)),
        returned=Count("pk", filter=received & Q(report_status=ReportStatus.RETURNED)),
        accepted=Count("pk", filter=received & Q(report_status=ReportStatus.ACCEPTED)),
        late=Count("pk", filter=Q(is_late=True)))


def report_figures(*, user, year: int, today: dt.date) -> list[Figure]:
    """The year's filers in scope (facilities and zone investors) by the state of their report."""
    facilities, zones = compliance(user=user, year=year, today=today)
    a, b = _tally(facilities), _tally(zones)
    total = {key: a[key] + b[key] for key in a}
    labels = {
        "expected": (_("Must report"), None),
        "missing": (_("Not received yet"), "missing"),
        "submitted": (_("Submitted, awaiting review"), ReportStatus.SUBMITTED.value),
        "returned": (_("Returned for correction"), ReportStatus.RETURNED.value),
        "accepted": (_("Accepted"), ReportStatus.ACCEPTED.value),
        "late": (_("Late (received late, or missing after the deadline)"), "late"),
    }
    return [Figure(f"reports-{key}", str(label), total[key], url=_url("reports:officer-list", year=year, state=state))
            for key, (label, state) in labels.items()]


# --- Monitoring ----------------------------------------------------------------------------

def _local_month_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(month_start(day), dt.time.min))


def exceedance_figures(*, user, today: dt.date) -> list[Figure]:
    """Exceedance events of stations in scope that began this month (local time), and those still open."""
    start, end = _local_month_start(today), _local_month_start(add_months(month_start(today), 1))
    counts = ExceedanceEvent.objects.for_user(user).aggregate(
        month=Count("pk", filter=Q(started_at__gte=start, started_at__lt=end)),
        ongoing=Count("pk", filter=Q(ended_at__isnull=True)))
    return [Figure("exceedances-month", _("Exceedance events begun this month"), counts["month"]),
            Figure("exceedances-ongoing", _("Exceedances still ongoing"), counts["ongoing"],
                   map_url=_map_url(compliance="exceedance"))]


# --- Monthly updates -----------------------------------------------------------------------

@dataclass(frozen=True)
class MonthlyStatus:
    period: dt.date
    units: int  # units in scope that must update monthly
    without_update: int
    late: bool  # the due day has come: every unit without an update is late
    names: list[str]
    url: str

    @property
    def late_count(self) -> int:
        return self.without_update if self.late else 0


def monthly_status(*, user, today: dt.date) -> MonthlyStatus:
    """This month's updates: how many units in scope have none yet, and whether they are late."""
    period = month_start(today)
    units = monthly_reporting_units(user=user).annotate(
        has_update=Exists(MonthlyUpdate.objects.filter(organisation=OuterRef("pk"), period=period)))
    counts = units.order_by().aggregate(units=Count("pk"), without=Count("pk", filter=Q(has_update=False)))
    names = list(units.filter(has_update=False).order_by("name").values_list("name", flat=True)[:MONTHLY_NAMES])
    return MonthlyStatus(period=period, units=counts["units"], without_update=counts["without"],
                         late=is_late(False, period=period, today=today), names=names, url=reverse("layers:monthly"))


# --- Trends --------------------------------------------------------------------------------

def reports_per_year(*, user, year: int, today: dt.date) -> list[tuple]:
    """(year, reports received, link) for the TREND_YEARS years up to `year`; zeros included."""
    years = [y for y in range(year - TREND_YEARS + 1, year + 1) if y >= FIRST_YEAR]
    counts = dict(Report.objects.for_user(user).received().filter(year__in=years).order_by()
                  .values_list("year").annotate(n=Count("pk")))
    listed = set(open_years(today))
    return [(y, counts.get(y, 0), _url("reports:officer-list", year=y) if y in listed else None) for y in years]


def exceedances_per_month(*, user, today: dt.date) -> list[tuple]:
    """(month label, events begun) for the TREND_MONTHS months up to this one, local time; zeros included."""
    first = add_months(month_start(today), -(TREND_MONTHS - 1))
    rows = (ExceedanceEvent.objects.for_user(user).filter(started_at__gte=_local_month_start(first))
            .annotate(month=TruncMonth("started_at", tzinfo=timezone.get_current_timezone()))
            .order_by().values_list("month").annotate(n=Count("pk")))
    counts = {timezone.localtime(month).date(): n for month, n in rows}
    months = [add_months(first, i) for i in range(TREND_MONTHS)]
    return [(f"{m:%m/%Y}", counts.get(m, 0)) for m in months]


# --- Everything ----------------------------------------------------------------------------

def dashboard(*, user, year: int, today: dt.date | None = None) -> dict:
    """Every figure of the dashboard for `user`'s scope and the reporting `year`."""
    today = today or timezone.localdate()
    return {
        "by_sector": facilities_by_sector(user=user),
        "by_commune": facilities_by_commune(user=user),
        "permits": permit_figures(user=user),
        "reports": report_figures(user=user, year=year, today=today),
        "remedies": remedy_figures(user=user),
        "exceedances": exceedance_figures(user=user, today=today),
        "monthly": monthly_status(user=user, today=today),
        "reports_trend": reports_per_year(user=user, year=year, today=today),
        "exceedance_trend": exceedances_per_month(user=user, today=today),
        "map_url": reverse("layers:officer-map"),
        "facilities_url": reverse("layers:list", args=["facilities"]),
    }
