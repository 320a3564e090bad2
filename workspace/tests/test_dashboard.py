"""The officer dashboard on the demo data: every figure equals an independent count (raw SQL,
or the permits' pure status function), for the Department and for one commune's officer
(whose figures are that commune's); the lists the figures link to show as many rows; the
page runs a bounded number of queries; a bad year is a form error, never a 500.

The demo data is loaded once for the module (`load_demo_data --no-reports`, about 6 s: the
demo annual reports take 35 s to render and sign, so reports and exceedance events are made
here, in known states, on the demo facilities and stations)."""
from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from geoportal.organisations.models import AdministrativeUnit, Organisation
from layers.choices import FacilityStatus, PermitClass
from layers.domain.permits import add_months
from layers.models import Facility, MonthlyUpdate, Permit
from monitoring.choices import Averaging
from monitoring.models import ExceedanceEvent, Parameter, Station
from reports.choices import ReportStatus
from reports.selectors import due_before, reporting_year
from reports.tests.factories import ReportFactory
from workspace.dashboard import dashboard, monthly_status

HAI_AN = "11413"  # the demo's busiest commune (287 facilities)
URL = "/officer/"
TZ = "Asia/Ho_Chi_Minh"


def _local(day: dt.date, hour: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _filers(unit: AdministrativeUnit, *, inside: bool, n: int) -> list[Facility]:
    qs = Facility.objects.filter(permit_class__in=[PermitClass.GPMT, PermitClass.DKMT],
                                 status__in=[FacilityStatus.OPERATING, FacilityStatus.TRIAL],
                                 owner_organisation__isnull=False).order_by("pk")
    qs = qs.filter(admin_unit=unit) if inside else qs.exclude(admin_unit=unit)
    return list(qs[:n])


def _report(facility, year: int, status: str, received: dt.datetime | None):
    return ReportFactory(facility=facility, year=year, status=status, first_submitted_at=received,
                         submitted_at=received)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data plus reports, exceedance events and monthly updates in known states; rolled back."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo_data", "--no-reports", stdout=StringIO(), stderr=StringIO())
            today = timezone.localdate()
            year = reporting_year(today)
            unit = AdministrativeUnit.objects.get(code=HAI_AN)
            due = due_before(year=year, zone=False)
            on_time, late = _local(due - dt.timedelta(days=3), 9), _local(due + dt.timedelta(days=20), 9)
            inside, outside = _filers(unit, inside=True, n=12), _filers(unit, inside=False, n=12)
            plan = [(ReportStatus.SUBMITTED, on_time), (ReportStatus.SUBMITTED, late), (ReportStatus.RETURNED, on_time),
                    (ReportStatus.ACCEPTED, on_time), (ReportStatus.ACCEPTED, late), (ReportStatus.DRAFT, None)]
            for facilities, states in ((inside, plan), (outside, plan + plan[:2])):
                for facility, (status, received) in zip(facilities, states, strict=False):
                    _report(facility, year, status, received)
                for facility in facilities[8:11]:  # earlier years, for the trend
                    _report(facility, year - 1, ReportStatus.ACCEPTED, _local(dt.date(year, 1, 5)))
                _report(facilities[11], year - 2, ReportStatus.ACCEPTED, _local(dt.date(year - 1, 1, 5)))

            # Exceedance events: this month, earlier months, and one outside the 12-month window.
            params = list(Parameter.objects.order_by("pk")[:3])
            here = Station.objects.filter(admin_unit=unit).order_by("pk").first()
            there = Station.objects.exclude(admin_unit=unit).order_by("pk").first()
            now = timezone.now()
            this_month = _local(today.replace(day=1))
            mid = this_month + (now - this_month) / 2
            events = [(here, params[0], mid, None), (here, params[1], mid - dt.timedelta(minutes=5), mid),
                      (there, params[0], mid, None), (there, params[1], mid, mid), (there, params[2], mid, mid),
                      (here, params[2], _local(add_months(today.replace(day=1), -4), 12), this_month),
                      (there, params[0], _local(add_months(today.replace(day=1), -2), 12), this_month),
                      (there, params[1], _local(add_months(today.replace(day=1), -13), 12), this_month)]
            for station, parameter, start, end in events:
                ExceedanceEvent.objects.create(
                    station=station, parameter=parameter, averaging=Averaging.HOUR, started_at=start, ended_at=end,
                    peak_value=99, peak_at=start, limit_upper=50, limit_source="QCVN 05:2023")

            # Monthly updates of a few committees (not Hai An's).
            period = today.replace(day=1)
            for org in Organisation.objects.filter(kind="commune").exclude(admin_unit=unit).order_by("pk")[:5]:
                MonthlyUpdate.objects.create(organisation=org, period=period, changes=1)
            yield {"unit": unit, "year": year, "today": today}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


def department():
    return get_user_model().objects.get(username="canbo.so")


def commune_officer():
    return get_user_model().objects.get(username=f"xa.{HAI_AN}")


# --- Independent counts (raw SQL) ----------------------------------------------------------

def _rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _scope(user) -> dict:
    """What the raw SQL needs of the scope: everything, or one commune (its unit and committee)."""
    if user.username == "canbo.so":
        return {"all": True, "unit": -1, "org": -1}
    return {"all": False, "unit": user.organisation.admin_unit_id, "org": user.organisation_id}


# A feature is in a commune's scope when it lies in the commune or the commune entered it.
IN_SCOPE = "(%(all)s OR {t}.admin_unit_id = %(unit)s OR {t}.entered_by_id = %(org)s)"


def sql_by_sector(user) -> dict:
    return dict(_rows(f"SELECT sector_id, count(*) FROM layers_facility f WHERE {IN_SCOPE.format(t='f')} "
                      "GROUP BY sector_id", _scope(user)))


def sql_by_commune(user) -> dict:
    return dict(_rows(f"SELECT admin_unit_id, count(*) FROM layers_facility f WHERE {IN_SCOPE.format(t='f')} "
                      "GROUP BY admin_unit_id", _scope(user)))


def sql_permit_ids(user) -> list[int]:
    return [r[0] for r in _rows(
        "SELECT p.id FROM layers_permit p LEFT JOIN layers_facility f ON f.id = p.facility_id "
        "LEFT JOIN layers_industrialzone z ON z.id = p.zone_id "
        f"WHERE {IN_SCOPE.format(t='f')} OR {IN_SCOPE.format(t='z')}", _scope(user))]


def permit_states(user, today) -> dict[str, int]:
    """The permits' status by the pure domain function (layers.domain.permits), one by one."""
    counts: dict[str, int] = {}
    for permit in Permit.objects.filter(pk__in=sql_permit_ids(user)).with_successor():
        status = permit.state(today).status
        counts[status] = counts.get(status, 0) + 1
    return counts


def sql_remedies(user) -> dict[str, int]:
    return dict(_rows(
        "SELECT r.status, count(*) FROM layers_remedy r JOIN layers_inspection i ON i.id = r.inspection_id "
        "LEFT JOIN layers_facility f ON f.id = i.facility_id LEFT JOIN layers_industrialzone z ON z.id = i.zone_id "
        f"WHERE {IN_SCOPE.format(t='f')} OR {IN_SCOPE.format(t='z')} GROUP BY r.status", _scope(user)))


def sql_reports(user, year: int, today: dt.date) -> dict[str, int]:
    """Filers (facilities filing 05.A/05.B, zones with an investor) by the state of the report an
    officer sees (received at least once; a commune: of a filer located in the commune)."""
    params = {**_scope(user), "year": year, "today": today, "tz": TZ,
              "due_f": due_before(year=year, zone=False), "due_z": due_before(year=year, zone=True)}
    sql = """
    WITH filers AS (
      SELECT r.status, r.first_submitted_at AS received, %(due_f)s::date AS due
      FROM layers_facility f LEFT JOIN reports_report r ON r.facility_id = f.id AND r.year = %(year)s
           AND r.first_submitted_at IS NOT NULL AND (%(all)s OR f.admin_unit_id = %(unit)s)
      WHERE f.permit_class IN ('gpmt', 'dkmt') AND f.status IN ('operating', 'trial') AND {f}
      UNION ALL
      SELECT r.status, r.first_submitted_at, %(due_z)s::date
      FROM layers_industrialzone z LEFT JOIN reports_report r ON r.zone_id = z.id AND r.year = %(year)s
           AND r.first_submitted_at IS NOT NULL AND (%(all)s OR z.admin_unit_id = %(unit)s)
      WHERE z.investor_organisation_id IS NOT NULL AND {z})
    SELECT count(*), count(*) FILTER (WHERE received IS NULL),
           count(*) FILTER (WHERE status = 'submitted'), count(*) FILTER (WHERE status = 'returned'),
           count(*) FILTER (WHERE status = 'accepted'),
           count(*) FILTER (WHERE (received IS NOT NULL AND (received AT TIME ZONE %(tz)s)::date >= due)
                            OR (received IS NULL AND %(today)s::date >= due))
    FROM filers""".format(f=IN_SCOPE.format(t="f"), z=IN_SCOPE.format(t="z"))
    keys = ("expected", "missing", "submitted", "returned", "accepted", "late")
    return dict(zip(keys, _rows(sql, params)[0], strict=True))


STATION_SCOPE = "(%(all)s OR s.admin_unit_id = %(unit)s OR s.entered_by_id = %(org)s)"


def sql_exceedances(user, today: dt.date) -> tuple[int, int]:
    params = {**_scope(user), "start": _local(today.replace(day=1)),
              "end": _local(add_months(today.replace(day=1), 1))}
    return _rows("SELECT count(*) FILTER (WHERE e.started_at >= %(start)s AND e.started_at < %(end)s), "
                 "count(*) FILTER (WHERE e.ended_at IS NULL) FROM monitoring_exceedanceevent e "
                 f"JOIN monitoring_station s ON s.id = e.station_id WHERE {STATION_SCOPE}", params)[0]


def sql_exceedances_per_month(user, today: dt.date) -> dict[str, int]:
    params = {**_scope(user), "tz": TZ, "since": _local(add_months(today.replace(day=1), -11))}
    rows = _rows("SELECT to_char(date_trunc('month', e.started_at AT TIME ZONE %(tz)s), 'MM/YYYY'), count(*) "
                 "FROM monitoring_exceedanceevent e JOIN monitoring_station s ON s.id = e.station_id "
                 f"WHERE e.started_at >= %(since)s AND {STATION_SCOPE} GROUP BY 1", params)
    return dict(rows)


def sql_reports_per_year(user) -> dict[int, int]:
    return dict(_rows(
        "SELECT r.year, count(*) FROM reports_report r LEFT JOIN layers_facility f ON f.id = r.facility_id "
        "LEFT JOIN layers_industrialzone z ON z.id = r.zone_id WHERE r.first_submitted_at IS NOT NULL "
        "AND (%(all)s OR f.admin_unit_id = %(unit)s OR z.admin_unit_id = %(unit)s) GROUP BY r.year", _scope(user)))


def sql_without_monthly_update(user, period: dt.date) -> int:
    params = {**_scope(user), "period": period}
    return _rows("SELECT count(*) FROM organisations_organisation o WHERE o.kind IN ('commune', 'ez_board') "
                 "AND o.is_active AND (%(all)s OR o.id = %(org)s OR o.admin_unit_id = %(unit)s) AND NOT EXISTS "
                 "(SELECT 1 FROM layers_monthlyupdate m WHERE m.organisation_id = o.id AND m.period = %(period)s)",
                 params)[0][0]


# --- The figures ---------------------------------------------------------------------------

def _values(figures) -> dict[str, int]:
    return {f.key: f.value for f in figures}


@pytest.mark.parametrize("who", ["department", "commune"])
def test_figures_equal_independent_counts(demo, who):
    """Each figure equals the same count made independently, for the user's scope."""
    user = department() if who == "department" else commune_officer()
    today, year = demo["today"], demo["year"]
    got = dashboard(user=user, year=year, today=today)

    by_sector = sql_by_sector(user)
    assert _values(got["by_sector"]) == {
        (f"sector-{k}" if k else "sector-none"): v for k, v in by_sector.items()}
    by_commune = sql_by_commune(user)
    assert _values(got["by_commune"]) == {
        (f"commune-{k}" if k else "commune-none"): v for k, v in by_commune.items()}

    states = permit_states(user, today)
    assert _values(got["permits"]) == {f"permits-{s}": states.get(s, 0) for s in ("valid", "expiring", "expired")}
    remedies = sql_remedies(user)
    assert _values(got["remedies"]) == {"remedies-open": remedies.get("open", 0),
                                        "remedies-in_progress": remedies.get("in_progress", 0)}
    assert _values(got["reports"]) == {f"reports-{k}": v for k, v in sql_reports(user, year, today).items()}
    month, ongoing = sql_exceedances(user, today)
    assert _values(got["exceedances"]) == {"exceedances-month": month, "exceedances-ongoing": ongoing}
    assert got["monthly"].without_update == sql_without_monthly_update(user, today.replace(day=1))

    per_year = sql_reports_per_year(user)
    assert [(y, n) for y, n, _url in got["reports_trend"]] == [(y, per_year.get(y, 0)) for y in range(year - 4, year + 1)
                                                               if y >= 2022]
    per_month = sql_exceedances_per_month(user, today)
    assert dict(got["exceedance_trend"]) == {label: per_month.get(label, 0) for label, _n in got["exceedance_trend"]}
    assert sum(n for _label, n in got["exceedance_trend"]) == sum(per_month.values())


def test_commune_figures_are_the_communes_own(demo):
    """The commune officer's figures differ from the Department's and are those of Hai An:
    its facilities, its reports (6 planned, of which the draft is invisible), its events."""
    today, year, unit = demo["today"], demo["year"], demo["unit"]
    city = dashboard(user=department(), year=year, today=today)
    mine = dashboard(user=commune_officer(), year=year, today=today)
    assert _values(mine["by_commune"]) == {f"commune-{unit.pk}": Facility.objects.filter(admin_unit=unit).count()}
    assert sum(f.value for f in mine["by_sector"]) < sum(f.value for f in city["by_sector"])
    reports = _values(mine["reports"])
    assert (reports["reports-submitted"], reports["reports-returned"], reports["reports-accepted"]) == (2, 1, 2)
    city_reports = _values(city["reports"])
    assert (city_reports["reports-submitted"], city_reports["reports-accepted"]) == (6, 4)
    assert _values(mine["exceedances"]) == {"exceedances-month": 2, "exceedances-ongoing": 1}
    assert _values(city["exceedances"]) == {"exceedances-month": 5, "exceedances-ongoing": 2}
    assert mine["monthly"].units == 1 and mine["monthly"].without_update == 1
    assert [n for _y, n, _u in mine["reports_trend"]][-3:] == [1, 3, 5]  # year-2, year-1, year


def test_monthly_updates_are_late_from_the_30th(demo):
    """Before the 30th nobody is late; from the 30th every unit without an update is (layers' rule)."""
    user = department()
    period = demo["today"].replace(day=1)
    early = monthly_status(user=user, today=period.replace(day=29))
    due = monthly_status(user=user, today=period.replace(day=30) if period.month != 2 else add_months(period, 1))
    assert early.late_count == 0 and early.without_update > 0
    if period.month != 2:
        assert due.late_count == due.without_update == early.without_update


# --- The page ------------------------------------------------------------------------------

def _cell(html: str, key: str) -> str:
    match = re.search(rf'data-testid="fig-{re.escape(key)}" data-value="(\d+)">(.*?)</td>', html, re.S)
    assert match, key
    return match


@pytest.mark.parametrize("who,max_queries", [("department", 24), ("commune", 24)])
def test_page_shows_the_figures_with_links_in_bounded_queries(demo, client, django_assert_max_num_queries,
                                                              who, max_queries):
    user = department() if who == "department" else commune_officer()
    client.force_login(user)
    with django_assert_max_num_queries(max_queries):
        r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    figures = dashboard(user=user, year=demo["year"], today=demo["today"])
    for group in ("by_sector", "permits", "reports", "remedies", "exceedances"):
        for f in figures[group]:
            assert int(_cell(html, f.key).group(1)) == f.value
    expired = _cell(html, "permits-expired").group(2)
    assert 'href="/permits/?status=expired"' in expired
    assert 'href="/officer/map/?compliance=expired"' in html
    missing = _cell(html, "reports-missing").group(2)
    assert f'href="/officer/reports/?year={demo["year"]}&amp;state=missing"' in missing
    assert 'data-testid="chart-reports-per-year"' in html and 'data-testid="chart-exceedances-per-month"' in html


@pytest.mark.parametrize("who", ["department", "commune"])
def test_links_lead_to_lists_with_the_same_count(demo, client, who):
    """A figure and the list it links to agree (permits by status, facilities by sector and commune,
    reports by state)."""
    user = department() if who == "department" else commune_officer()
    client.force_login(user)
    figures = dashboard(user=user, year=demo["year"], today=demo["today"])
    checked = [*figures["permits"], figures["by_sector"][0], figures["by_commune"][0]]
    for figure in checked:
        r = client.get(figure.url)
        assert r.status_code == 200, figure.url
        assert r.context["paginator"].count == figure.value, figure.url
    for figure in figures["reports"]:
        r = client.get(figure.url)
        assert r.status_code == 200, figure.url
        assert r.context["paginator"].count + len(r.context["zones"]) == figure.value, figure.url


def test_year_selector(demo, client):
    """A listed year changes the report figures; a bad one is a form error (400) and the default year is shown."""
    client.force_login(department())
    year = demo["year"]
    r = client.get(URL, {"year": year - 1})
    assert r.status_code == 200
    assert r.context["year"] == year - 1
    assert _values(r.context["reports"]) == {
        f"reports-{k}": v for k, v in sql_reports(department(), year - 1, demo["today"]).items()}
    for bad in ("abc", "1999", str(year + 1), ""):
        r = client.get(URL, {"year": bad})
        if bad == "":  # an empty choice is the default year
            assert r.status_code == 200 and r.context["year"] == year
            continue
        assert r.status_code == 400, bad
        assert r.context["year"] == year
        assert 'data-testid="year-errors"' in r.content.decode()
