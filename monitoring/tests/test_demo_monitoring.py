"""The demo monitoring network (issue 6): 35 stations on the demo facilities and units, and
generated 5-minute readings written by binary COPY (monitoring/demo.py).

The demo data set (load_demo_data --no-reports, the reference tables, the stations) and two
3-day windows of readings are loaded once for the module inside a transaction that is rolled
back at the end; each test runs in a savepoint inside it. The windows hold documented
episodes: the textile plant's dye-bath discharge (10-11 March) and the December inversion."""
from __future__ import annotations

import datetime as dt
import json
import struct
from collections import Counter
from io import StringIO
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection, transaction

from geoportal.organisations.models import AdministrativeUnit
from layers.demo import load_demo_layers
from layers.models import Facility
from monitoring.choices import StationKind
from monitoring.demo import (
    EPISODES,
    STEP_SECONDS,
    StationSpec,
    _copy_payload,
    detach_demo_stations,
    episode_weights,
    generate_demo_readings,
    generate_demo_readings_task,
    load_demo_stations,
    month_grid,
    station_fixture_files,
    station_month,
)
from monitoring.models import ExceedanceEvent, Parameter, PermitLimit, Reading, Station, StationParameter
from monitoring.reference import load_reference

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH_END = dt.datetime(2026, 3, 12, 12, tzinfo=VN)  # [9 Mar 12:00, 12 Mar 12:00) local
DECEMBER_END = dt.datetime(2025, 12, 20, 0, tzinfo=VN)  # [17 Dec, 20 Dec) local: the inversion
DAYS = 3
TEXTILE = "0200000002-NT1"
STEEL = "0200000001"
PARAMETERS = {
    StationKind.AMBIENT_AIR: {"PM2.5", "PM10", "SO2", "NO2", "CO", "O3"},
    StationKind.SURFACE_WATER: {"TEMP_W", "PH_W", "DO_W", "COD_W"},
    StationKind.WASTEWATER: {"FLOW_WW", "PH_WW", "COD_WW", "TSS_WW", "NH4_WW"},
    StationKind.STACK: {"FLOW_EM", "DUST_EM", "SO2_EM", "NOX_EM"},
}
# Plausible ranges of the values measured normally (status 0), in the canonical units.
RANGES = {
    "PM2.5": (0, 400), "PM10": (0, 600), "SO2": (0, 350), "NO2": (0, 300), "CO": (0, 20_000), "O3": (0, 400),
    "TEMP_W": (10, 35), "PH_W": (6, 9), "DO_W": (2, 12), "COD_W": (0, 60),
    "PH_WW": (5, 10.5), "COD_WW": (0, 400), "TSS_WW": (0, 300), "NH4_WW": (0, 40),
    "DUST_EM": (0, 400), "SO2_EM": (0, 1500), "NOX_EM": (0, 1500),
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data set with the stations and two windows of readings; rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo_data", "--no-reports", stdout=StringIO(), stderr=StringIO())
            load_reference()
            first = load_demo_stations()
            # In time order: the detection closes the December events before March's are opened.
            december = generate_demo_readings(days=DAYS, end=DECEMBER_END)
            march = generate_demo_readings(days=DAYS, end=MARCH_END)
            with connection.cursor() as cursor:  # fresh tables: give the planner statistics
                cursor.execute("ANALYZE monitoring_reading, monitoring_station, monitoring_stationparameter")
            yield {"first": first, "march": march, "december": december}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _window(end: dt.datetime, days: int = DAYS) -> tuple[dt.datetime, dt.datetime]:
    return end - dt.timedelta(days=days), end


def _scalar(sql: str, params: list | None = None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def _missing(first: dt.datetime, end: dt.datetime) -> int:
    """Grid steps of the demo series without a row, counted in SQL (independently of the generator)."""
    return _scalar(f"""
        SELECT count(*) FROM {StationParameter._meta.db_table} sp
        JOIN {Station._meta.db_table} s ON s.id = sp.station_id AND s.is_demo AND s.mode = 'automatic'
        CROSS JOIN generate_series(%s::timestamptz, %s::timestamptz - interval '5 minutes', interval '5 minutes') g(t)
        LEFT JOIN (SELECT station_id, parameter_id, observed_at FROM monitoring_reading
                   WHERE observed_at >= %s AND observed_at < %s) r
               ON r.station_id = sp.station_id AND r.parameter_id = sp.parameter_id AND r.observed_at = g.t
        WHERE r.station_id IS NULL""", [first, end, first, end])


def _expected_rows(first: dt.datetime, end: dt.datetime) -> int:
    """The rows the pure generator keeps in the window, station by station and month by month."""
    lo, hi = int(first.timestamp()), int(end.timestamp())
    total = 0
    for station in Station.objects.filter(is_demo=True).prefetch_related("station_parameters__parameter"):
        spec = StationSpec(station_id=station.pk, code=station.code, kind=station.kind, profile="urban",
                           parameters={sp.parameter.code: sp.parameter_id for sp in station.station_parameters.all()})
        months = {(d.year, d.month) for d in (first.astimezone(dt.UTC), (end - dt.timedelta(seconds=1)).astimezone(dt.UTC))}
        for year, month in sorted(months):
            t, series = station_month(spec, year, month)
            inside = (t >= lo) & (t < hi)
            total += sum(int((s.present & inside).sum()) for s in series.values())
    return total


def _hourly(code: str, parameter: str, start: dt.datetime, end: dt.datetime) -> list[float]:
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT avg(value) FROM monitoring_reading r
            WHERE r.station_id = (SELECT id FROM monitoring_station WHERE code = %s)
              AND r.parameter_id = (SELECT id FROM monitoring_parameter WHERE code = %s)
              AND r.status = 0 AND r.observed_at >= %s AND r.observed_at < %s
            GROUP BY date_trunc('hour', r.observed_at) ORDER BY 1""", [code, parameter, start, end])
        return [row[0] for row in cursor.fetchall()]


pytestmark = pytest.mark.django_db


# --- Stations -------------------------------------------------------------------------------


def test_stations_by_kind(demo):
    """10 ambient-air and 5 surface-water stations of the city network, 20 facility stations
    (12 outfalls, 8 stacks): all demo data, approved, automatic, 5-minute parameters."""
    stations = Station.objects.filter(is_demo=True)
    assert Counter(stations.values_list("kind", flat=True)) == {
        StationKind.AMBIENT_AIR: 10, StationKind.SURFACE_WATER: 5, StationKind.WASTEWATER: 12, StationKind.STACK: 8}
    assert not stations.exclude(approval_status="approved").exists()
    assert not stations.filter(approved_at__isnull=True).exists()
    assert stations.filter(facility__isnull=True).count() == 15
    for station in stations.prefetch_related("station_parameters__parameter"):
        codes = {sp.parameter.code for sp in station.station_parameters.all()}
        assert codes == PARAMETERS[station.kind], station.code
        assert {sp.interval_minutes for sp in station.station_parameters.all()} == {5}
    assert StationParameter.objects.filter(station__is_demo=True).count() == 10 * 6 + 5 * 4 + 12 * 5 + 8 * 4


def test_station_geometries_lie_in_their_units(demo):
    """Every station point is valid and covered by a demo unit, the one the station was given;
    the ambient stations stand in the wards they are named after."""
    assert _scalar(f"""SELECT count(*) FROM {Station._meta.db_table} s WHERE s.is_demo AND (NOT ST_IsValid(s.geom)
                       OR NOT EXISTS (SELECT 1 FROM {AdministrativeUnit._meta.db_table} u
                                      WHERE u.id = s.admin_unit_id AND ST_Covers(u.geom, s.geom)))""") == 0
    wards = dict(Station.objects.filter(kind=StationKind.AMBIENT_AIR).values_list("code", "admin_unit__name"))
    assert wards == {"HP-KK-01": "Lê Chân", "HP-KK-02": "Ngô Quyền", "HP-KK-03": "Hồng Bàng", "HP-KK-04": "Hải An",
                     "HP-KK-05": "Kiến An", "HP-KK-06": "Đồ Sơn", "HP-KK-07": "Thủy Nguyên", "HP-KK-08": "Cát Hải",
                     "HP-KK-09": "Hải Dương", "HP-KK-10": "Chí Linh"}


def test_facility_stations_watch_their_permit_streams(demo):
    """A facility station watches a stream of its facility's permit, of the matching kind; its
    code and datalogger identity follow the tax code and the stream code; the operator is the owner."""
    for station in Station.objects.filter(is_demo=True, facility__isnull=False).select_related(
            "facility", "discharge_stream__permit"):
        stream = station.discharge_stream
        assert stream is not None and stream.permit.facility_id == station.facility_id, station.code
        assert stream.kind == {"wastewater": "wastewater", "stack": "emissions"}[station.kind], station.code
        assert station.code == f"{station.facility.tax_code}-{stream.code}"
        assert station.datalogger_code == f"HP_{station.facility.tax_code}_{stream.code}"
        assert station.operator_id == station.facility.owner_organisation_id
        assert not stream.permit.__class__.objects.filter(supersedes=stream.permit).exists(), "a replaced permit"
    steel = set(Station.objects.filter(facility__tax_code=STEEL).values_list("kind", flat=True))
    assert steel == {StationKind.WASTEWATER, StationKind.STACK}
    textile = Station.objects.get(code=TEXTILE)
    assert textile.kind == StationKind.WASTEWATER and textile.facility.zone is not None
    city = Station.objects.filter(is_demo=True, facility__isnull=True)
    assert all(code.startswith("HP_SNNMT_") for code in city.values_list("datalogger_code", flat=True))


def test_permit_limit_stricter_than_the_qcvn(demo):
    """The textile outfall's permit COD (100 mg/L) is stricter than QCVN 40:2011 B × Kq × Kf (165 mg/L)."""
    station = Station.objects.select_related("discharge_stream").get(code=TEXTILE)
    stream = station.discharge_stream
    assert (stream.regulation, stream.regulation_column) == ("QCVN 40:2011/BTNMT", "B")
    limit = PermitLimit.objects.get(discharge_stream=stream, parameter__code="COD_WW")
    assert limit.upper == 100 and limit.unit.code == "mg/L"
    assert limit.upper < 150 * float(stream.factor_kq or 1) * float(stream.factor_kf or 1)
    assert PermitLimit.objects.filter(discharge_stream__stations__is_demo=True).count() == 7


def test_load_is_idempotent_and_leaves_real_rows_alone(demo):
    """A second load creates nothing and keeps the ids; a station that is not demo data keeps its
    code and values, and is not pruned."""
    before = dict(Station.objects.filter(is_demo=True).values_list("code", "pk"))
    params, limits = StationParameter.objects.count(), PermitLimit.objects.count()
    real = Station.objects.get(code="HP-KK-03")
    Station.objects.filter(pk=real.pk).update(is_demo=False, name="Trạm thật")
    other = Station.objects.create(code="REAL-01", name="Trạm thật khác", kind=StationKind.AMBIENT_AIR,
                                   geom=real.geom)

    counts = load_demo_stations()

    assert counts["created"] == 0 and counts["skipped"] == 1 and counts["deleted"] == 0
    assert counts["updated"] == 0  # unchanged stations are not rewritten (nor audited)
    assert dict(Station.objects.filter(is_demo=True).values_list("code", "pk")) == {
        c: pk for c, pk in before.items() if c != "HP-KK-03"}
    assert Station.objects.get(pk=real.pk).name == "Trạm thật"
    assert Station.objects.filter(pk=other.pk).exists()
    assert StationParameter.objects.count() == params + 0 and PermitLimit.objects.count() == limits


def test_reloading_the_layers_keeps_the_stations(demo):
    """Detached before a forced reload of the demo layers, the stations are linked again to the
    new facilities and streams by the next load, with the same ids (their readings stay theirs)."""
    before = dict(Station.objects.filter(is_demo=True).values_list("code", "pk"))
    assert detach_demo_stations() == 20
    load_demo_layers(force=True)
    load_demo_stations()
    assert dict(Station.objects.filter(is_demo=True).values_list("code", "pk")) == before
    linked = Station.objects.filter(is_demo=True, facility__isnull=False, discharge_stream__isnull=False)
    assert linked.count() == 20
    assert set(linked.values_list("facility_id", flat=True)) <= set(Facility.objects.values_list("pk", flat=True))


def test_fixture_file_is_the_builder_output(demo):
    """The committed fixture has 35 features, every one bilingual, with known parameters."""
    (path,) = station_fixture_files()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["features"]) == 35 and "DEMO" in data["note"]
    known = set(Parameter.objects.values_list("code", flat=True))
    for feature in data["features"]:
        props = feature["properties"]
        assert set(props["name"]) == set(props["description"]) == {"vi", "en"}
        assert set(props["parameters"]) <= known


# --- Readings -------------------------------------------------------------------------------


@pytest.mark.parametrize("end", [MARCH_END, DECEMBER_END])
def test_row_count_is_the_design_count_minus_the_gaps(demo, end):
    """Rows = series × 5-minute steps − the values left missing (counted here in SQL); every row
    is on the 5-minute grid inside the window."""
    first, end = _window(end)
    summary = demo["march" if end == MARCH_END else "december"]
    series = StationParameter.objects.filter(station__is_demo=True).count()
    steps = DAYS * 24 * 12
    rows = Reading.objects.filter(station__is_demo=True).between(first, end).count()
    missing = _missing(first, end)
    assert summary["series"] == series
    assert rows == summary["rows"] == series * steps - missing == _expected_rows(first, end)
    assert summary["missing"] == missing
    assert 0 < missing < 0.02 * series * steps
    assert _scalar("SELECT count(*) FROM monitoring_reading WHERE observed_at >= %s AND observed_at < %s "
                   "AND extract(epoch FROM observed_at)::bigint %% 300 <> 0", [first, end]) == 0


def test_statuses_calibration_and_errors(demo):
    """All three statuses occur; calibration is 09:00-11:00 local, on sensors that are calibrated."""
    first, end = _window(MARCH_END)
    qs = Reading.objects.between(first, end)
    statuses = Counter(qs.values_list("status", flat=True))
    assert set(statuses) == {0, 1, 2}
    assert statuses[0] > 0.95 * sum(statuses.values())
    hours = {t.astimezone(VN).hour for t in qs.filter(status=1).values_list("observed_at", flat=True)}
    assert hours == {9, 10}
    assert not qs.filter(status=1, parameter__code__in=["TEMP_W", "FLOW_WW", "FLOW_EM"]).exists()


def test_values_are_plausible(demo):
    """Values measured normally lie in plausible ranges; flows stay under 2.5 × the permitted flow."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT p.code, min(r.value), max(r.value) FROM monitoring_reading r
                          JOIN monitoring_parameter p ON p.id = r.parameter_id WHERE r.status = 0
                          GROUP BY p.code""")
        found = {code: (lo, hi) for code, lo, hi in cursor.fetchall()}
    assert set(found) == set().union(*PARAMETERS.values())
    for code, (lo, hi) in RANGES.items():
        assert lo <= found[code][0] and found[code][1] <= hi, (code, found[code])
    for station in Station.objects.filter(kind__in=[StationKind.WASTEWATER, StationKind.STACK]).select_related(
            "discharge_stream"):
        flow = "FLOW_WW" if station.kind == StationKind.WASTEWATER else "FLOW_EM"
        per_hour = float(station.discharge_stream.max_flow) / (24 if station.kind == StationKind.WASTEWATER else 1)
        top = max(Reading.objects.filter(station=station, parameter__code=flow).values_list("value", flat=True))
        assert 0 < top < 2.5 * per_hour, station.code


def test_rerun_writes_nothing(demo):
    """The same window again writes no row."""
    first, end = _window(MARCH_END)
    before = Reading.objects.between(first, end).count()
    assert generate_demo_readings(days=DAYS, end=MARCH_END)["rows"] == 0
    assert Reading.objects.between(first, end).count() == before


def test_top_up_and_back_fill(demo):
    """A later end writes only the new hour, a longer window only the day before; the values of
    the new rows are those the generator gives at that time whatever the window."""
    series = StationParameter.objects.filter(station__is_demo=True).count()
    later = MARCH_END + dt.timedelta(hours=1)
    top_up = generate_demo_readings(days=DAYS, end=later, detect=False)
    assert top_up["rows"] == series * 12 - _missing(MARCH_END, later)
    back = generate_demo_readings(days=DAYS + 1, end=MARCH_END, detect=False)
    day_before = MARCH_END - dt.timedelta(days=DAYS + 1)
    assert back["rows"] == series * 288 - _missing(day_before, day_before + dt.timedelta(days=1))
    assert Reading.objects.between(day_before, later).count() == series * (DAYS * 288 + 288 + 12) - _missing(
        day_before, later)


def test_textile_dye_bath_episode(demo):
    """10 March: the textile outfall's COD goes above QCVN 40:2011 B × Kq × Kf (165) and its pH
    above 9; the day before, its hourly COD stays under its permit limit (100)."""
    during = _hourly(TEXTILE, "COD_WW", dt.datetime(2026, 3, 10, 11, tzinfo=VN), dt.datetime(2026, 3, 10, 18, tzinfo=VN))
    assert during and min(during) > 165
    ph = _hourly(TEXTILE, "PH_WW", dt.datetime(2026, 3, 10, 11, tzinfo=VN), dt.datetime(2026, 3, 10, 18, tzinfo=VN))
    assert min(ph) > 9
    before = _hourly(TEXTILE, "COD_WW", dt.datetime(2026, 3, 9, 12, tzinfo=VN), dt.datetime(2026, 3, 10, 6, tzinfo=VN))
    assert len(before) >= 15 and max(before) < 100


def test_december_inversion(demo):
    """18 December: the 24-hour PM2.5 mean is above QCVN 05:2023 (50 µg/Nm³) at the city's stations."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT s.code, avg(r.value) FROM monitoring_reading r JOIN monitoring_station s ON s.id = r.station_id
            WHERE r.parameter_id = (SELECT id FROM monitoring_parameter WHERE code = 'PM2.5') AND r.status = 0
              AND r.observed_at >= %s AND r.observed_at < %s GROUP BY s.code""",
                       [dt.datetime(2025, 12, 18, tzinfo=VN), dt.datetime(2025, 12, 19, tzinfo=VN)])
        means = dict(cursor.fetchall())
    assert len(means) == 10
    assert sum(m > 50 for m in means.values()) >= 8
    assert all(means[c] > 50 for c in ("HP-KK-01", "HP-KK-02", "HP-KK-09"))


def test_exceedance_events_where_documented(demo):
    """With the detection service in place, the generated episodes become events: the textile
    COD against its permit and its pH against the QCVN; PM2.5 over 24 hours in December."""
    pytest.importorskip("monitoring.services.exceedances")
    cod = ExceedanceEvent.objects.filter(station__code=TEXTILE, parameter__code="COD_WW")
    assert cod.filter(limit_upper=100, started_at__date=dt.date(2026, 3, 10)).exists()
    assert ExceedanceEvent.objects.filter(station__code=TEXTILE, parameter__code="PH_WW", limit_upper=9).exists()
    pm = ExceedanceEvent.objects.filter(parameter__code="PM2.5", averaging="24h",
                                        started_at__gte=_window(DECEMBER_END)[0])
    assert pm.values("station").distinct().count() >= 8
    # Calibration spans (above the limits on purpose) never make an event of their own.
    assert demo["march"]["events"] is not None


def test_task_wrapper_runs_and_returns_json(demo):
    """The background task runs the same generation and returns a JSON-serialisable summary."""
    result = generate_demo_readings_task.call(days=1, end=MARCH_END.isoformat())
    assert result["rows"] == 0 and json.loads(json.dumps(result)) == result
    assert generate_demo_readings_task.module_path == "monitoring.demo.generate_demo_readings_task"


def test_future_end_is_refused(demo):
    with pytest.raises(ValueError, match="future"):
        generate_demo_readings(days=1, end=dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))


def test_command_prints_timings(demo):
    out = StringIO()
    call_command("generate_demo_readings", "--days", "1", "--end", "2026-03-13T12:00", "--no-detect", stdout=out)
    assert "rows/s" in out.getvalue()
    assert Reading.objects.between(dt.datetime(2026, 3, 12, 12, tzinfo=VN),
                                   dt.datetime(2026, 3, 13, 12, tzinfo=VN)).exists()


# --- The generator, without the database --------------------------------------------------


def _episode(station: str, parameter: str) -> object:
    return next(e for e in EPISODES if e.stations == station and parameter in {*e.factors, *e.shifts})


@pytest.mark.parametrize(("station", "parameter", "local", "expected"), [
    ("ambient_air", "PM2.5", dt.datetime(2025, 12, 18, 12), 1.0),
    ("ambient_air", "PM2.5", dt.datetime(2025, 12, 10, 12), 0.0),
    ("ambient_air", "PM2.5", dt.datetime(2025, 12, 16, 0), 0.0),    # the ramp starts at the edge
    ("ambient_air", "O3", dt.datetime(2026, 5, 21, 14), 1.0),
    ("ambient_air", "O3", dt.datetime(2026, 5, 21, 3), 0.0),        # afternoons only
    (TEXTILE, "COD_WW", dt.datetime(2026, 7, 12, 11), 1.0),        # every month on the 12th
    (TEXTILE, "COD_WW", dt.datetime(2026, 7, 13, 11), 0.0),
    (TEXTILE, "PH_WW", dt.datetime(2026, 3, 10, 15), 1.0),
    (TEXTILE, "PH_WW", dt.datetime(2026, 3, 12, 15), 0.0),
    ("0200000001-KT1", "DUST_EM", dt.datetime(2026, 10, 28, 20), 1.0),
])
def test_episode_weights(station, parameter, local, expected):
    """Episodes recur on the same local dates; weights are 1 inside, 0 outside, ramped at the edges."""
    t = np.array([local.replace(tzinfo=VN).timestamp()])
    assert episode_weights(_episode(station, parameter), t)[0] == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("year", "month", "steps"), [(2026, 2, 28 * 288), (2025, 12, 31 * 288), (2024, 2, 29 * 288)])
def test_month_grid(year, month, steps):
    grid = month_grid(year, month)
    assert grid.size == steps and np.all(np.diff(grid) == STEP_SECONDS)
    assert dt.datetime.fromtimestamp(int(grid[0]), dt.UTC) == dt.datetime(year, month, 1, tzinfo=dt.UTC)


def test_station_month_is_a_pure_function():
    """The same station and month give the same arrays; another station gives other values."""
    spec = StationSpec(station_id=1, code="HP-KK-01", kind="ambient_air", profile="traffic",
                       parameters={"PM2.5": 1, "O3": 2})
    t1, a = station_month(spec, 2026, 1)
    t2, b = station_month(spec, 2026, 1)
    assert np.array_equal(t1, t2)
    for code in spec.parameters:
        assert np.array_equal(a[code].values, b[code].values) and np.array_equal(a[code].status, b[code].status)
        assert np.array_equal(a[code].present, b[code].present)
    _, other = station_month(StationSpec(station_id=2, code="HP-KK-02", kind="ambient_air", profile="traffic",
                                         parameters={"PM2.5": 1}), 2026, 1)
    assert not np.array_equal(a["PM2.5"].values, other["PM2.5"].values)


def test_copy_payload_is_postgres_binary_rows():
    """Each row is: 5 fields, then (length, value) for int8, int8, timestamptz (µs since 2000), float8, int2."""
    ts = int(dt.datetime(2026, 3, 1, tzinfo=dt.UTC).timestamp())
    rows = _copy_payload(np.array([7]), np.array([9]), np.array([ts]), np.array([12.5]), np.array([1], np.int16))
    raw = rows.tobytes()
    assert len(raw) == 56
    fields = struct.unpack(">hiqiqiqidih", raw)
    micro = int((dt.datetime(2026, 3, 1, tzinfo=dt.UTC) - dt.datetime(2000, 1, 1, tzinfo=dt.UTC)).total_seconds()) * 10**6
    assert fields == (5, 8, 7, 8, 9, 8, micro, 8, 12.5, 2, 1)
