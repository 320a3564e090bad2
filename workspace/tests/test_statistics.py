"""Statistics selectors: the figures equal sums computed here from the reports' JSON (only the
received reports' record data counts), exceedance events and AQI days counted independently;
a commune officer or the EZ board sees only its scope; the number of queries is bounded."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from geoportal.catalogues.models import Catalogue, CatalogueEntry
from monitoring.choices import Averaging, StationKind
from monitoring.domain.aqi import DAILY, category, round_aqi, sub_index
from monitoring.models import ExceedanceEvent, StationParameter
from monitoring.services.ingest import ResolvedReading, write_readings
from monitoring.tests.factories import ParameterFactory, StationFactory
from reports.choices import ReportStatus
from reports.models import FormDefinition, Report, ReportSubmission
from tests.factories import EnterpriseFactory
from tests.layer_factories import FacilityFactory, ZoneFactory
from workspace.statistics import MAX_YEARS, aqi_days, exceedances, statistic

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CANONICAL = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")
TODAY = dt.date(2026, 6, 1)  # after the years asked: every day of 2024 and 2025 counts
EVIL_SECTOR = '=HYPERLINK("http://evil.example","Thực phẩm")'

D1 = {"hazardous_waste": [{"ctnh_code": "18 02 01", "quantity_kg": "1200.5"},
                          {"ctnh_code": "16 01 06", "quantity_kg": "300"},
                          {"ctnh_code": "18 02 01", "quantity_kg": "1.234,5"},  # as typed: ignored
                          {"ctnh_code": "19 06 01", "quantity_kg": 50}],
      "wastewater_works": [{"volume_m3_year": "15000"}, {"volume_m3_year": "2500.25"}],
      "solid_waste": [{"waste_kind": "domestic", "quantity_kg": "1000"},
                      {"waste_kind": "industrial", "quantity_kg": "2000.5"}]}
D2 = {"hazardous_waste": [{"ctnh_code": "18 02 01", "quantity_kg": "10"},
                          {"ctnh_code": "=1+1", "quantity_kg": "0.75"}],
      "wastewater_works": [{"volume_m3_year": "abc"}, {"volume_m3_year": "400"}],
      "solid_waste": [{"waste_kind": "domestic", "quantity_kg": "5"}]}
D3 = {"hazardous_waste": [{"ctnh_code": "16 01 06", "quantity_kg": "42.5"}],
      "wastewater_works": [{"volume_m3_year": "800"}]}
D_2024 = {"hazardous_waste": [{"ctnh_code": "18 02 01", "quantity_kg": "700"}],
          "wastewater_works": [{"volume_m3_year": "12000"}]}
SUBMITTED = {"hazardous_waste": [{"ctnh_code": "18 02 01", "quantity_kg": "7"}], "wastewater_works": []}
EDITING = {"hazardous_waste": [{"ctnh_code": "18 02 01", "quantity_kg": "7000000"}]}  # returned, being edited
DRAFT = {"hazardous_waste": [{"ctnh_code": "18 02 01", "quantity_kg": "999999"}],
         "wastewater_works": [{"volume_m3_year": "999999"}]}


def data(tables: dict) -> dict:
    return {"fields": {}, "tables": tables}


def number(value) -> Decimal | None:
    """The independent reading of a cell: canonical decimal strings and JSON numbers."""
    if isinstance(value, bool) or value is None:
        return None
    return Decimal(str(value)) if CANONICAL.match(str(value)) else None


def expected(counted: list[dict], table: str, column: str, group, *, years=(2025,)) -> dict:
    """Sum of `column` over the rows of `table` in the counted reports of `years`, by group(report, row)."""
    sums: dict = {}
    for rep in counted:
        if rep["year"] not in years:
            continue
        for row in rep["tables"].get(table, []):
            key = group(rep, row)
            sums[key] = sums.get(key, Decimal(0)) + (number(row.get(column)) or Decimal(0))
    return sums


def form_version(code: str, applies_to: str) -> FormDefinition:
    return FormDefinition.objects.create(
        code=code, version="t1", applies_to=applies_to, title_vi=f"Mẫu {code}", legal_basis="TT 02/2022",
        effective_from="2022-01-10", deadline_day=15, definition={"code": code, "sections": []}, sha256="0" * 64)


def hourly_day(station, parameter, day: dt.date, value: float) -> list[ResolvedReading]:
    """24 hourly readings (interval 60: each is its hour's mean) of one local day."""
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=VN)
    return [ResolvedReading(station.pk, parameter.pk, midnight + dt.timedelta(minutes=30 + 60 * h), value)
            for h in range(24)]


def day_category(pm25: float) -> str:
    """The VN_AQI category of a day whose PM2.5 24 h mean is `pm25`, from the domain formula."""
    return category(round_aqi(sub_index("PM2.5", pm25, averaging="24h"), period=DAILY)).key


@pytest.fixture
def stats(world):
    return build_stats(world)


def build_stats(world) -> dict:
    """Reports in communes A and B (two sectors, a zone of the EZ board, 2024 and 2025, a draft,
    a returned report being edited), monitoring stations with exceedance events and AQI readings."""
    form = form_version("05.A", "gpmt")
    sectors = Catalogue.objects.create(code="sectors-st", name_vi="Ngành nghề")
    steel = CatalogueEntry.objects.create(catalogue=sectors, code="C24", name_vi="Sản xuất thép", name_en="Steel")
    food = CatalogueEntry.objects.create(catalogue=sectors, code="C10", name_vi=EVIL_SECTOR)
    investor = EnterpriseFactory(name="Chủ đầu tư KCN", admin_unit=world.unit_a)
    zone = ZoneFactory(name="KCN thống kê", admin_unit=world.unit_a, managing_board=world.ez_board,
                       investor_organisation=investor)
    ent_a, ent_b = world.enterprise_a, world.enterprise_b
    f1 = FacilityFactory(name="Nhà máy thép", admin_unit=world.unit_a, owner_organisation=ent_a, zone=zone, sector=steel)
    f2 = FacilityFactory(name="Nhà máy B", admin_unit=world.unit_b, owner_organisation=ent_b, sector=food)
    f3 = FacilityFactory(name="Xưởng A", admin_unit=world.unit_a, owner_organisation=ent_a, sector=food)
    f4 = FacilityFactory(name="Nháp", admin_unit=world.unit_b, owner_organisation=ent_b, sector=steel)
    f5 = FacilityFactory(name="Bị trả lại", admin_unit=world.unit_b, owner_organisation=ent_b, sector=steel)
    now = timezone.now()

    def report(facility, year, tables, *, status=ReportStatus.SUBMITTED, received=True):
        return Report.objects.create(
            facility=facility, organisation=facility.owner_organisation, year=year, form=form, status=status,
            data=data(tables), due_before=f"{year + 1}-01-15", admin_unit=facility.admin_unit,
            in_zone=facility.zone, first_submitted_at=now if received else None)

    report(f1, 2025, D1, status=ReportStatus.ACCEPTED)
    report(f2, 2025, D2)
    report(f3, 2025, D3)
    report(f1, 2024, D_2024)
    report(f4, 2025, DRAFT, status=ReportStatus.DRAFT, received=False)
    returned = report(f5, 2025, EDITING, status=ReportStatus.RETURNED)
    ReportSubmission.objects.create(
        report=returned, revision=1, form=form, data=data(SUBMITTED), rendered_sha256="a" * 64,
        signed_pdf="reports/signed/x.pdf", sha256="b" * 64, size=1, signing_path="upload", verification={},
        received_at=now, receipt_pdf="reports/receipts/x.pdf", receipt_sha256="c" * 64)
    # What counts, written out independently of the code under test: the record copy of each received report.
    counted = [
        {"year": 2025, "unit": world.unit_a.name, "sector": "Sản xuất thép", "zone": zone.name, "tables": D1},
        {"year": 2025, "unit": world.unit_b.name, "sector": EVIL_SECTOR, "zone": None, "tables": D2},
        {"year": 2025, "unit": world.unit_a.name, "sector": EVIL_SECTOR, "zone": None, "tables": D3},
        {"year": 2024, "unit": world.unit_a.name, "sector": "Sản xuất thép", "zone": zone.name, "tables": D_2024},
        {"year": 2025, "unit": world.unit_b.name, "sector": "Sản xuất thép", "zone": None, "tables": SUBMITTED},
    ]

    # Monitoring: an outfall of f1 (commune A, the zone), one of f2 (commune B), two city air stations.
    pm25 = ParameterFactory(code="PM2.5", aqi_code="PM2.5")
    cod = ParameterFactory(code="COD-st")
    out_a = StationFactory(facility=f1, admin_unit=world.unit_a, kind=StationKind.WASTEWATER)
    out_b = StationFactory(facility=f2, admin_unit=world.unit_b, kind=StationKind.WASTEWATER)
    air_a = StationFactory(admin_unit=world.unit_a)
    air_b = StationFactory(admin_unit=world.unit_b)
    stack_a = StationFactory(facility=f3, admin_unit=world.unit_a, kind=StationKind.STACK)

    def event(station, at: dt.datetime, parameter=cod):
        return ExceedanceEvent.objects.create(
            station=station, parameter=parameter, averaging=Averaging.HOUR, started_at=at, peak_value=1,
            peak_at=at, ended_at=at + dt.timedelta(hours=2), limit_upper=0.5, limit_source="QCVN 40:2011 B")

    local = lambda *a: dt.datetime(*a, tzinfo=VN)  # noqa: E731
    events = [
        event(out_a, local(2025, 3, 1, 8)), event(out_a, local(2025, 7, 1, 8)),
        event(out_a, local(2025, 7, 2, 8), parameter=pm25),
        event(out_a, local(2024, 5, 1, 8)),
        event(out_b, local(2025, 2, 1, 8)),
        event(air_a, local(2025, 12, 31, 23, 30), parameter=pm25),  # 16:30 UTC: still 2025 locally
        event(air_b, local(2026, 1, 1, 0, 30), parameter=pm25),  # 2025-12-31 17:30 UTC: 2026 locally
    ]
    for station in (air_a, air_b, stack_a):
        StationParameter.objects.create(station=station, parameter=pm25, interval_minutes=60)
    write_readings(hourly_day(air_a, pm25, dt.date(2025, 3, 10), 20.0)
                   + hourly_day(air_a, pm25, dt.date(2025, 3, 11), 55.7)
                   + hourly_day(air_b, pm25, dt.date(2025, 3, 10), 55.7)
                   + hourly_day(air_b, pm25, dt.date(2024, 12, 31), 20.0)
                   # a stack measures dust too: no AQI for it
                   + hourly_day(stack_a, pm25, dt.date(2025, 3, 10), 300.0))
    # Half a day: too few hours (18 needed) for an AQI.
    write_readings(hourly_day(air_a, pm25, dt.date(2025, 3, 12), 20.0)[:12])
    aqi = {(air_a.pk, dt.date(2025, 3, 10)): 20.0, (air_a.pk, dt.date(2025, 3, 11)): 55.7,
           (air_b.pk, dt.date(2025, 3, 10)): 55.7, (air_b.pk, dt.date(2024, 12, 31)): 20.0}
    return {"world": world, "counted": counted, "zone": zone, "events": events, "aqi": aqi,
            "air_a": air_a, "air_b": air_b, "steel": steel, "food": food}


def values(stat, column="value") -> dict:
    return {r["label"]: r[column] for r in stat.rows}


def run(user, measure, dimension, first=2025, last=2025):
    return statistic(measure=measure, user=user, dimension=dimension, first_year=first, last_year=last)


@pytest.mark.parametrize("measure,table,column", [
    ("wastewater", "wastewater_works", "volume_m3_year"),
    ("hazardous_waste", "hazardous_waste", "quantity_kg"),
    ("solid_waste", "solid_waste", "quantity_kg"),
])
@pytest.mark.parametrize("dimension", ["commune", "sector", "zone"])
def test_report_measures_equal_the_sums_of_the_record_data(stats, measure, table, column, dimension):
    """Each group's total is the sum of the canonical numbers of the received reports' record copies
    (drafts and a returned report's unsubmitted edits excluded); the grand total is their sum."""
    user = stats["world"].users["dept_officer"]
    want = {k: v for k, v in expected(stats["counted"], table, column, lambda rep, row: rep[{
        "commune": "unit", "sector": "sector", "zone": "zone"}[dimension]]).items()}
    stat = run(user, measure, dimension)
    assert values(stat) == want
    assert stat.total["value"] == sum(want.values())
    assert Decimal("999999") not in values(stat).values()


def test_hazardous_waste_breaks_down_by_ctnh_code(stats):
    """The CTNH table: kg per commune and code, summed independently; the malformed value is ignored."""
    user = stats["world"].users["dept_officer"]
    stat = run(user, "hazardous_waste", "commune")
    want = expected(stats["counted"], "hazardous_waste", "quantity_kg", lambda rep, row: (rep["unit"], row["ctnh_code"]))
    assert {(r["label"], r["detail"]): r["value"] for r in stat.details} == want
    a = stats["world"].unit_a.name
    assert want[a, "18 02 01"] == Decimal("1200.5")  # the "1.234,5" typed by hand is not summed
    assert {r["label"]: r["ignored"] for r in stat.rows}[a] == 1


def test_year_dimension_over_a_range(stats):
    """By year over 2024–2025: each year's total; a single-year query agrees with its row."""
    user = stats["world"].users["dept_officer"]
    stat = run(user, "wastewater", "year", 2024, 2025)
    want = expected(stats["counted"], "wastewater_works", "volume_m3_year", lambda rep, row: str(rep["year"]),
                    years=(2024, 2025))
    assert values(stat) == want
    assert [r["label"] for r in stat.rows] == ["2024", "2025"]
    assert run(user, "wastewater", "commune").total["value"] == want["2025"]
    ranged = run(user, "hazardous_waste", "commune", 2024, 2025)
    both = expected(stats["counted"], "hazardous_waste", "quantity_kg", lambda rep, row: rep["unit"],
                    years=(2024, 2025))
    assert values(ranged) == both


def test_commune_officer_sees_only_its_commune(stats):
    """Commune A's officer: only commune A's reports, events and stations; the EZ board: its zone."""
    w = stats["world"]
    a = w.unit_a.name
    for measure in ("wastewater", "hazardous_waste", "exceedances"):
        stat = run(w.users["commune_officer"], measure, "commune")
        assert set(values(stat, stat.columns[0].key)) == {a}, measure
    want = expected([r for r in stats["counted"] if r["unit"] == a], "hazardous_waste", "quantity_kg",
                    lambda rep, row: rep["unit"])
    assert values(run(w.users["commune_officer"], "hazardous_waste", "commune")) == want
    aqi = aqi_days(user=w.users["commune_officer"], dimension="commune", first_year=2025, last_year=2025, today=TODAY)
    assert [r["label"] for r in aqi.rows] == [a]
    ez = run(w.users["ez_officer"], "wastewater", "zone")
    assert values(ez) == {stats["zone"].name: Decimal("17500.25")}
    assert values(run(w.users["ez_officer"], "exceedances", "commune"), "events") == {a: 3}


def test_exceedances_by_dimension_and_local_year(stats):
    """Events counted by the local year they started: 23:30 on 31 December is that year, 00:30 on
    1 January the next; by parameter in the breakdown."""
    w = stats["world"]
    user = w.users["dept_officer"]
    in_2025 = [e for e in stats["events"] if e.started_at.astimezone(VN).year == 2025]
    assert len(in_2025) == 5
    stat = exceedances(user=user, dimension="commune", first_year=2025, last_year=2025)
    want = Counter(e.station.admin_unit.name for e in in_2025)
    assert values(stat, "events") == dict(want)
    assert stat.total == {"events": 5, "stations": 3}
    assert {(r["label"], r["detail"]): r["events"] for r in stat.details} == dict(
        Counter((e.station.admin_unit.name, e.parameter.code) for e in in_2025))
    by_year = exceedances(user=user, dimension="year", first_year=2024, last_year=2025)
    assert values(by_year, "events") == {"2024": 1, "2025": 5}
    by_sector = exceedances(user=user, dimension="sector", first_year=2025, last_year=2025)
    assert values(by_sector, "events") == {"Sản xuất thép": 3, EVIL_SECTOR: 1, None: 1}


def test_aqi_days_by_category(stats):
    """Station-days per category from the daily AQI (ambient stations only; the stack does not
    count); the other days of the year, and a day with 12 of 24 hours, are no data."""
    user = stats["world"].users["dept_officer"]
    stat = aqi_days(user=user, dimension="commune", first_year=2025, last_year=2025, today=TODAY)
    want: dict = {}
    for (station_id, day), pm in stats["aqi"].items():
        if day.year == 2025:
            unit = stats["air_a"].admin_unit.name if station_id == stats["air_a"].pk else stats["air_b"].admin_unit.name
            want.setdefault(unit, Counter())[day_category(pm)] += 1
    assert day_category(20.0) == "good" and day_category(55.7) == "poor"
    got = {r["label"]: {k: v for k, v in r.items() if k not in ("key", "label") and v} for r in stat.rows}
    a, b = stats["air_a"].admin_unit.name, stats["air_b"].admin_unit.name
    assert got == {a: {**want[a], "no_data": 365 - 2}, b: {**want[b], "no_data": 365 - 1}}
    assert stat.total["poor"] == 2 and stat.total["good"] == 1
    by_year = aqi_days(user=user, dimension="year", first_year=2024, last_year=2025, today=TODAY)
    rows = {r["label"]: r for r in by_year.rows}
    assert (rows["2024"]["good"], rows["2024"]["no_data"]) == (1, 2 * 366 - 1)
    assert (rows["2025"]["good"], rows["2025"]["poor"]) == (1, 2)
    # Days still to come are not counted.
    early = aqi_days(user=user, dimension="commune", first_year=2025, last_year=2025, today=dt.date(2025, 3, 10))
    assert early.total["no_data"] == 2 * 68 and early.total["good"] + early.total["poor"] == 2


def test_empty_scope_gives_no_rows(stats):
    """A year without reports, events or readings: no rows and no total."""
    user = stats["world"].users["dept_officer"]
    for measure in ("wastewater", "hazardous_waste", "exceedances"):
        stat = run(user, measure, "commune", 2023, 2023)
        assert stat.rows == [] and stat.total == {} and stat.details == []


def test_bad_arguments_raise_value_error(stats):
    user = stats["world"].users["dept_officer"]
    for kwargs in ({"measure": "nope", "dimension": "commune"}, {"measure": "wastewater", "dimension": "nope"}):
        with pytest.raises(ValueError):
            statistic(user=user, first_year=2025, last_year=2025, **kwargs)
    with pytest.raises(ValueError):
        statistic(user=user, measure="wastewater", dimension="commune", first_year=2022,
                  last_year=2022 + MAX_YEARS)


@pytest.mark.parametrize("measure", ["wastewater", "hazardous_waste", "exceedances", "aqi_days"])
def test_query_count_is_bounded(stats, measure, django_assert_max_num_queries):
    """The user's scope (2), then two queries a year at most (report measures with a breakdown; AQI days:
    the AQI parameters and the day statistics) and one more (the stations); exceedances take three."""
    user = stats["world"].users["commune_officer"]
    user.refresh_from_db()  # a fresh scope: its queries are counted too
    with django_assert_max_num_queries(2 + 2 * 2 + 1):
        run(user, measure, "sector", 2024, 2025)


def test_aqi_days_reuse_the_cached_counts(stats, django_assert_max_num_queries):
    """Another dimension over the same stations and days reads the counts back: one query (the stations)."""
    user = stats["world"].users["dept_officer"]
    first = aqi_days(user=user, dimension="commune", first_year=2025, last_year=2025, today=TODAY)
    with django_assert_max_num_queries(1):
        by_year = aqi_days(user=user, dimension="year", first_year=2025, last_year=2025, today=TODAY)
    assert by_year.total == first.total and by_year.total["poor"] == 2
