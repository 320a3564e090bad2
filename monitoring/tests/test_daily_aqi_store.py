"""Stored daily VN_AQI (StoredDailyAqi): stored + live days equal the live computation, late readings
delete the days they touch, today and yesterday are never stored, the periodic task is idempotent."""
from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from monitoring.choices import StationKind
from monitoring.domain.aqi import daily_aqi
from monitoring.models import Parameter, StationParameter, StoredDailyAqi
from monitoring.selectors import TZ, local_midnight
from monitoring.services.aqi import (
    _daily_for,
    _decode,
    _encode,
    days_of_aqi,
    last_storable_day,
    local_today,
    missing_daily_aqi,
    month_of_aqi,
    store_daily_aqi,
)
from monitoring.services.ingest import ResolvedReading, write_readings
from monitoring.tasks import AQI_BACKFILL_DAYS, AQI_RECENT_DAYS, store_recent_daily_aqi
from monitoring.tests.factories import ParameterFactory, StationFactory

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
CODES = ("PM2.5", "PM10", "O3", "NO2", "SO2", "CO")


# --- The stored form rebuilds the result exactly (no database) ----------------------------------

@pytest.mark.parametrize("values", [
    {"O3": {"1h": 114.6, "8h": 89.3}, "NO2": 130.8, "PM2.5": 55.7},       # Decision 1459 §2.3.b
    {"O3": {"1h": 900.0, "8h": 450.0}, "PM10": 20.0},                      # O3 8 h above 400: no sub-index
    {"O3": {"1h": 350.0, "8h": 50.0}, "PM2.5": 10.0},                      # O3's 1 h sub-index counts, not 8 h
    {"PM2.5": 600.0, "CO": 12000.0, "SO2": 0.0},                           # top of the scale, a zero
    {"PM10": 54.99999999999999, "NO2": {"1h": 200.1}},                     # a long float, a mapping
    {"NO2": 130.8, "SO2": 50.0},                                           # no PM: no AQI, sub-indices kept
    {},                                                                    # no data at all
])
def test_stored_form_rebuilds_an_equal_result(values):
    result = daily_aqi(values)
    rebuilt = _decode(result.aqi, result.dominant or "", json.loads(_encode(result)))
    assert rebuilt == result
    assert list(rebuilt.sub_indices) == list(result.sub_indices)
    assert [(s.concentration.as_tuple(), s.exact.as_tuple()) for s in rebuilt.components] == \
        [(s.concentration.as_tuple(), s.exact.as_tuple()) for s in result.components]


# --- Through the database -----------------------------------------------------------------------

@pytest.fixture
def params(db):
    return {code: ParameterFactory(code=code, aqi_code=code) for code in CODES}


def air_station(params, **kwargs):
    """An ambient station reporting once an hour (interval 60: one reading is the hour's mean)."""
    station = StationFactory(**kwargs)
    for code in CODES:
        StationParameter.objects.create(station=station, parameter=params[code], interval_minutes=60)
    return station


def hourly_rows(station, params, first: dt.date, last: dt.date, seed: int) -> list[ResolvedReading]:
    """Varied hourly readings from first to last (local), with gaps: some days lack coverage."""
    rng = random.Random(seed)
    rows, now = [], dt.datetime.now(TZ)
    day = first
    while day <= last:
        skip = rng.random() < 0.2  # a day with only 12 hours: no 24 h mean, no AQI
        for h in range(24):
            if skip and h % 2:
                continue
            at = local_midnight(day) + h * HOUR + dt.timedelta(minutes=30)
            if at > now:  # readings are measurements
                break
            for code, top in (("PM2.5", 180.0), ("PM10", 260.0), ("O3", 520.0), ("NO2", 260.0), ("CO", 14000.0)):
                if rng.random() < 0.93:
                    rows.append(ResolvedReading(station.pk, params[code].pk, at, round(rng.uniform(0, top), 1)))
        day += DAY
    return rows


@pytest.fixture
def network(params):
    """Three air stations with 25 days of readings up to now."""
    today = local_today()
    stations = [air_station(params) for _ in range(3)]
    for n, station in enumerate(stations):
        write_readings(hourly_rows(station, params, today - 24 * DAY, today, seed=n))
    return stations


def live(stations, first, last):
    """The live computation, straight from the readings."""
    return _daily_for([s.pk for s in stations], first, last)


def test_stored_and_live_days_equal_the_live_computation(network):
    today = local_today()
    first, last = today - 24 * DAY, today
    expected = live(network, first, last)
    assert sum(d.result.aqi is not None for days in expected.values() for d in days) > 40  # the data give AQIs
    # Stored spans differ by station, with gaps: the rest is computed live.
    assert store_daily_aqi(first=first + 3 * DAY, last=first + 10 * DAY, stations=network[:2]) == 16
    assert store_daily_aqi(first=first + 14 * DAY, last=today, stations=network[1:]) > 0
    StoredDailyAqi.objects.filter(station=network[1], day=first + 6 * DAY).delete()
    got = days_of_aqi(stations=network, first=first, last=last)
    assert got == expected
    for s in network:
        assert [list(d.result.sub_indices) for d in got[s.pk]] == [list(d.result.sub_indices) for d in expected[s.pk]]
    month = (today - 24 * DAY).replace(day=1)
    assert month_of_aqi(stations=network, month=month) == live(network, month, (month + 32 * DAY).replace(day=1) - DAY)


def test_stored_days_are_read_not_recomputed(network):
    """A stored row is what days_of_aqi returns for its day (here altered by hand to see it)."""
    day = local_today() - 10 * DAY
    store_daily_aqi(first=day, last=day, stations=network[:1])
    StoredDailyAqi.objects.filter(station=network[0], day=day).update(aqi=None, dominant="", components=[])
    got = days_of_aqi(stations=network[:1], first=day - DAY, last=day + DAY)[network[0].pk]
    assert got[1].result.aqi is None and got[1].result.components == ()
    assert [d.result for d in (got[0], got[2])] == [d.result for d in live(network[:1], day - DAY, day + DAY)[
        network[0].pk][::2]]


def test_a_change_of_the_aqi_parameters_ignores_the_stored_days(network):
    today = local_today()
    store_daily_aqi(first=today - 20 * DAY, last=today, stations=network)
    Parameter.objects.filter(code="CO").update(aqi_code="")
    assert missing_daily_aqi(first=today - 20 * DAY, last=today, stations=network[:1]) == {
        network[0].pk: [today - n * DAY for n in range(20, 1, -1)]}
    assert days_of_aqi(stations=network, first=today - 20 * DAY, last=today) == live(network, today - 20 * DAY, today)


def test_today_and_yesterday_are_never_stored(network, params):
    today = local_today()
    stored = store_daily_aqi(first=today - 5 * DAY, last=today + DAY, stations=network)
    last = last_storable_day()
    assert last <= today - 2 * DAY
    assert stored == 3 * ((last - (today - 5 * DAY)).days + 1)
    assert not StoredDailyAqi.objects.filter(day__gt=last).exists()
    assert store_daily_aqi(first=today - DAY, last=today, stations=network) == 0
    # Yesterday's readings keep counting (they delete nothing): it is computed at every read.
    write_readings([ResolvedReading(network[0].pk, params["PM2.5"].pk, local_midnight(today - DAY) + h * HOUR, 499.0)
                    for h in range(24)])
    assert StoredDailyAqi.objects.count() == stored
    after = days_of_aqi(stations=network[:1], first=today - 5 * DAY, last=today)[network[0].pk]
    assert after == live(network[:1], today - 5 * DAY, today)[network[0].pk]
    assert after[-2].result.aqi > 300


def test_late_readings_delete_the_days_they_touch(network, params):
    today = local_today()
    first = today - 20 * DAY
    store_daily_aqi(first=first, last=today, stations=network)
    count = StoredDailyAqi.objects.count()
    late_day = today - 10 * DAY
    # 23:30 on late_day: that day, and the next, whose first 8 h O3 means reach back 7 hours.
    write_readings([ResolvedReading(network[0].pk, params["O3"].pk, local_midnight(late_day + DAY) - HOUR / 2, 500.0),
                    ResolvedReading(network[0].pk, params["PM2.5"].pk, local_midnight(late_day) + HOUR, 900.0)])
    gone = set(StoredDailyAqi.objects.filter(station=network[0]).values_list("day", flat=True)) ^ {
        first + n * DAY for n in range((last_storable_day() - first).days + 1)}
    assert gone == {late_day, late_day + DAY}
    assert StoredDailyAqi.objects.count() == count - 2
    assert days_of_aqi(stations=network, first=first, last=today) == live(network, first, today)
    # Recent readings (the usual push) delete nothing.
    write_readings([ResolvedReading(network[1].pk, params["PM10"].pk, dt.datetime.now(TZ) - HOUR, 50.0)])
    assert StoredDailyAqi.objects.count() == count - 2


def test_late_readings_of_several_stations_in_one_batch(network, params):
    today = local_today()
    store_daily_aqi(first=today - 20 * DAY, last=today, stations=network)
    write_readings([ResolvedReading(network[0].pk, params["NO2"].pk, local_midnight(today - 15 * DAY) + HOUR, 1.0),
                    ResolvedReading(network[0].pk, params["NO2"].pk, local_midnight(today - 13 * DAY) + HOUR, 1.0),
                    ResolvedReading(network[2].pk, params["NO2"].pk, local_midnight(today - 4 * DAY) + HOUR, 1.0),
                    ResolvedReading(network[2].pk, params["NO2"].pk, dt.datetime.now(TZ) - HOUR, 1.0)])
    missing = missing_daily_aqi(first=today - 20 * DAY, last=today, stations=network)
    assert missing == {network[0].pk: [today - n * DAY for n in (15, 14, 13, 12)],
                       network[2].pk: [today - 4 * DAY, today - 3 * DAY]}


def test_a_push_batch_of_one_station_with_late_and_recent_readings(network, params):
    """The one-station path (a datalogger's backlog plus its latest values): only the late days go."""
    today = local_today()
    store_daily_aqi(first=today - 20 * DAY, last=today, stations=network)
    write_readings([ResolvedReading(network[1].pk, params["NO2"].pk, local_midnight(today - 9 * DAY) + HOUR, 1.0),
                    ResolvedReading(network[1].pk, params["NO2"].pk, local_midnight(today - 7 * DAY) + HOUR, 1.0),
                    ResolvedReading(network[1].pk, params["NO2"].pk, dt.datetime.now(TZ) - HOUR, 1.0)])
    missing = missing_daily_aqi(first=today - 20 * DAY, last=today, stations=network)
    assert missing == {network[1].pk: [today - n * DAY for n in (9, 8, 7, 6)]}


def test_the_task_is_idempotent_and_bounded(network, params):
    today = local_today()
    water = StationFactory(kind=StationKind.SURFACE_WATER)
    first_run = store_recent_daily_aqi.call()
    assert first_run == {"stations": 3, "recent": 3 * AQI_RECENT_DAYS, "backfilled": 3 * AQI_BACKFILL_DAYS}
    rows = {(r["station_id"], r["day"]): r for r in
            StoredDailyAqi.objects.values("station_id", "day", "aqi", "category", "dominant", "components", "method")}
    assert not StoredDailyAqi.objects.filter(station=water).exists()
    second_run = store_recent_daily_aqi.call()
    assert second_run["recent"] == 3 * AQI_RECENT_DAYS
    again = {(r["station_id"], r["day"]): r for r in
             StoredDailyAqi.objects.values("station_id", "day", "aqi", "category", "dominant", "components", "method")}
    assert {k: v for k, v in again.items() if k in rows} == rows        # the same days, unchanged
    assert len(again) == len(rows) + second_run["backfilled"]          # and the next older gap
    first = today - 24 * DAY
    assert days_of_aqi(stations=network, first=first, last=today) == live(network, first, today)


def test_a_stored_year_of_ten_stations_reads_in_one_query(params, django_assert_max_num_queries):
    stations = [air_station(params) for _ in range(10)]
    write_readings([ResolvedReading(s.pk, params["PM2.5"].pk, local_midnight(dt.date(2025, 6, 1)) + h * HOUR, 30.0)
                    for s in stations for h in range(24)])
    year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert store_daily_aqi(first=year[0], last=year[1], stations=stations) == 3650
    with django_assert_max_num_queries(1):
        days = days_of_aqi(stations=stations, first=year[0], last=year[1])
    assert len({d.result.aqi for ds in days.values() for d in ds}) == 2  # the day with readings, and None
    assert days == live(stations, *year)
    today = local_today()  # up to today: one more query, for the days not stored
    store_daily_aqi(first=today - 365 * DAY, last=today, stations=stations)
    with django_assert_max_num_queries(2):
        days_of_aqi(stations=stations, first=today - 365 * DAY, last=today)
