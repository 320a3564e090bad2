"""Aggregates of the readings table computed in PostgreSQL, checked against plain Python."""
from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from layers.tests.factories import FacilityFactory
from monitoring.choices import StationKind
from monitoring.domain.aqi import daily_statistics
from monitoring.models import Reading, StationParameter
from monitoring.selectors import (
    DEFAULT_MIN_COVERAGE,
    auto_step,
    daily_means,
    day_statistics,
    hourly_means,
    hourly_means_sql,
    latest,
    local_midnight,
    readings_source,
    series,
)
from monitoring.services.ingest import ResolvedReading, write_readings
from monitoring.tests.factories import ParameterFactory, StationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
FIVE = dt.timedelta(minutes=5)
# 2026-03-01 00:00 in Hai Phong is 2026-02-28 17:00 UTC: the data straddles a UTC month
# boundary (two partitions) and local midnights that are not UTC midnights.
START = dt.datetime(2026, 3, 1, 0, 0, tzinfo=VN)


def generated(stations, parameters, *, start=START, hours=60, seed=7):
    """5-minute readings with random values, some calibrating/error, and a few missing."""
    rng = random.Random(seed)
    rows = []
    for s in stations:
        for p in parameters:
            for i in range(hours * 12):
                if rng.random() < 0.05:
                    continue  # not transmitted
                status = rng.choices([0, 1, 2], weights=[90, 6, 4])[0]
                rows.append(ResolvedReading(s.pk, p.pk, start + i * FIVE, round(rng.uniform(5, 80), 3), status))
    write_readings(rows)
    return rows


def python_hourly(rows, start, end, coverage_needed=0):
    groups = defaultdict(list)
    for r in rows:
        if r.status == 0 and start <= r.observed_at < end:
            local = r.observed_at.astimezone(VN)
            groups[(r.station_id, r.parameter_id, local.replace(minute=0, second=0, microsecond=0))].append(r.value)
    return {k: (math.fsum(v) / len(v), len(v)) for k, v in groups.items() if len(v) >= coverage_needed}


def test_hourly_means_equal_a_python_computation():
    """Every local hour's mean and count match a computation over the rows written."""
    stations, params = StationFactory.create_batch(2), [ParameterFactory(code="PM10"), ParameterFactory(code="SO2")]
    rows = generated(stations, params)
    start, end = START + dt.timedelta(hours=3, minutes=30), START + dt.timedelta(hours=50)
    expected = python_hourly(rows, start, end)
    got = hourly_means(start=start, end=end, station_ids=[s.pk for s in stations],
                       parameter_ids=[p.pk for p in params])
    assert len(got) == len(expected) > 150
    for row in got:
        mean, n = expected[(row.station, row.parameter, row.hour)]
        assert row.mean == pytest.approx(mean, rel=1e-12) and row.n == n
        assert row.hour.astimezone(VN).minute == 0


def test_hourly_coverage_drops_short_hours():
    """With 75 % coverage an hour of 5-minute readings needs 9 of 12 valid values."""
    station, pm = StationFactory(), ParameterFactory(code="PM2.5")
    StationParameter.objects.create(station=station, parameter=pm, interval_minutes=5)
    rows = [ResolvedReading(station.pk, pm.pk, START + i * FIVE, 10.0) for i in range(9)]            # hour 0: 9
    rows += [ResolvedReading(station.pk, pm.pk, START + dt.timedelta(hours=1) + i * FIVE, 20.0) for i in range(8)]
    rows += [ResolvedReading(station.pk, pm.pk, START + dt.timedelta(hours=1, minutes=40 + 5 * i), 99.0, status=1)
             for i in range(4)]  # hour 1: 8 valid + 4 calibrating
    write_readings(rows)
    end = START + dt.timedelta(hours=2)
    assert [r.n for r in hourly_means(start=START, end=end, station_ids=[station.pk])] == [9, 8]
    covered = hourly_means(start=START, end=end, station_ids=[station.pk], coverage=DEFAULT_MIN_COVERAGE)
    assert [(r.hour, r.mean) for r in covered] == [(START, 10.0)]


def test_daily_means_are_means_of_local_hourly_means():
    """A day is the Hai Phong calendar day; its mean is the mean of its hourly means."""
    station, co = StationFactory(), ParameterFactory(code="CO")
    rows = generated([station], [co], start=START - dt.timedelta(hours=5), hours=80, seed=3)
    start, end = local_midnight(dt.date(2026, 3, 1)), local_midnight(dt.date(2026, 3, 4))
    hourly = python_hourly(rows, start, end)
    by_day = defaultdict(list)
    for (_, _, hour), (mean, _) in hourly.items():
        by_day[hour.date()].append(mean)
    got = daily_means(start=start, end=end, station_ids=[station.pk])
    assert [r.day for r in got] == [dt.date(2026, 3, 1), dt.date(2026, 3, 2), dt.date(2026, 3, 3)]
    for row in got:
        assert row.mean == pytest.approx(math.fsum(by_day[row.day]) / len(by_day[row.day]), rel=1e-12)
        assert row.n == len(by_day[row.day])


def test_calibrating_and_error_readings_never_enter_a_mean():
    """Status 1 and 2 values (here huge) leave the hourly and daily means untouched."""
    station, no2 = StationFactory(), ParameterFactory(code="NO2")
    rows = [ResolvedReading(station.pk, no2.pk, START + i * FIVE, 40.0) for i in range(10)]
    rows += [ResolvedReading(station.pk, no2.pk, START + dt.timedelta(minutes=50), 5000.0, status=1),
             ResolvedReading(station.pk, no2.pk, START + dt.timedelta(minutes=55), 9000.0, status=2)]
    write_readings(rows)
    end = START + dt.timedelta(days=1)
    [hour] = hourly_means(start=START, end=end, station_ids=[station.pk])
    [day] = daily_means(start=START, end=end, station_ids=[station.pk])
    assert (hour.mean, hour.n, day.mean, day.n) == (40.0, 10, 40.0, 1)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_day_statistics_equal_the_domain_reference(seed):
    """24 h mean, max 1 h and max 8 h per local day in SQL = domain.aqi.daily_statistics over the same hours."""
    rng = random.Random(seed)
    station, o3 = StationFactory(), ParameterFactory(code="O3")
    StationParameter.objects.create(station=station, parameter=o3, interval_minutes=60)  # one reading = the mean
    first = START - dt.timedelta(hours=7)
    hourly = [None if rng.random() < (0.5 if 40 <= h < 64 else 0.12) else round(rng.uniform(10, 150), 1)
              for h in range(7 + 4 * 24)]   # day 2 (hours 40–63 counted from `first`) is sparse
    write_readings([ResolvedReading(station.pk, o3.pk, first + dt.timedelta(hours=h, minutes=20), v)
                    for h, v in enumerate(hourly) if v is not None])
    got = {r.day: r for r in day_statistics(first_day=START.date(), last_day=START.date() + dt.timedelta(days=3),
                                            station_ids=[station.pk])}
    for n in range(4):
        day = START.date() + dt.timedelta(days=n)
        ref = daily_statistics(hourly[7 + 24 * n:31 + 24 * n], previous_hours=hourly[24 * n:7 + 24 * n])
        if ref.mean_24h is None:
            assert day not in got
            continue
        row = got[day]
        assert row.mean_24h == pytest.approx(ref.mean_24h, rel=1e-12) and row.max_1h == ref.max_1h
        assert (row.max_8h is None and ref.max_8h is None) or row.max_8h == pytest.approx(ref.max_8h, rel=1e-12)
    assert len(got) >= 2


def _plan(sql: str, params: list) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("scoped", [False, True])
def test_bounded_query_reads_only_its_partitions(scoped):
    """EXPLAIN of the hourly means over 2 days in March shows only the March partition."""
    station, pm = StationFactory(), ParameterFactory(code="PM10")
    write_readings([ResolvedReading(station.pk, pm.pk, dt.datetime(2026, m, 10, tzinfo=dt.UTC), 1.0)
                    for m in (1, 2, 3, 4)])
    readings = Reading.objects.for_user(UserFactory(roles=["dept_officer"])) if scoped else None
    source, params = readings_source(start=dt.datetime(2026, 3, 5, tzinfo=dt.UTC),
                                     end=dt.datetime(2026, 3, 7, tzinfo=dt.UTC), station_ids=[station.pk],
                                     readings=readings, valid_only=True)
    sql, extra = hourly_means_sql(source, DEFAULT_MIN_COVERAGE)
    plan = _plan(sql, params + extra)
    assert "monitoring_reading_y2026m03" in plan
    assert "y2026m02" not in plan and "y2026m04" not in plan and "y2026m01" not in plan


def test_unbounded_reads_are_refused():
    with pytest.raises(ValueError):
        hourly_means(start=None, end=START, station_ids=[1])
    with pytest.raises(ValueError):
        daily_means(start=START, end=START, station_ids=[1])
    with pytest.raises(ValueError):
        hourly_means(start=dt.datetime(2026, 3, 1), end=dt.datetime(2026, 3, 2), station_ids=[1])  # naive


def test_scoped_queryset_variant_follows_the_readers_scope():
    """for_user(): the owner sees its station's means; another enterprise and the public see none."""
    facility = FacilityFactory()
    owner = UserFactory(organisation=facility.owner_organisation)
    station, so2 = StationFactory(facility=facility, kind=StationKind.STACK), ParameterFactory(code="SO2_EM")
    write_readings([ResolvedReading(station.pk, so2.pk, START + i * FIVE, 100.0 + i) for i in range(12)])
    end = START + dt.timedelta(hours=1)
    mine = hourly_means(start=START, end=end, readings=Reading.objects.for_user(owner))
    assert [(r.station, r.n) for r in mine] == [(station.pk, 12)]
    for other in (UserFactory(), AnonymousUser()):
        assert hourly_means(start=START, end=end, readings=Reading.objects.for_user(other)) == []
        assert daily_means(start=START, end=end, readings=Reading.objects.for_user(other)) == []


@pytest.mark.parametrize(("span", "step"), [
    (dt.timedelta(hours=6), "raw"), (dt.timedelta(days=2), "raw"), (dt.timedelta(days=2, hours=1), "hour"),
    (dt.timedelta(days=60), "hour"), (dt.timedelta(days=61), "day"), (dt.timedelta(days=366), "day"),
])
def test_auto_step(span, step):
    assert auto_step(START, START + span) == step


def test_series_steps_and_statuses():
    """Raw points keep every status; hourly and daily points average the valid ones and count the rest."""
    station, o3 = StationFactory(), ParameterFactory(code="O3")
    rows = [ResolvedReading(station.pk, o3.pk, START + i * FIVE, float(i), status=1 if i == 3 else 0)
            for i in range(24)]
    write_readings(rows)
    raw = series(station=station, parameter=o3, start=START, end=START + dt.timedelta(days=1))
    assert raw.step == "raw" and len(raw.points) == 24 and raw.points[3].status == 1 and raw.points[3].n == 0
    hourly = series(station=station, parameter=o3, start=START, end=START + dt.timedelta(days=10))
    assert hourly.step == "hour"
    first = hourly.points[0]
    assert (first.t, first.n, first.calibrating, first.min, first.max) == (START, 11, 1, 0.0, 11.0)
    assert first.value == pytest.approx((sum(range(12)) - 3) / 11)
    daily = series(station=station, parameter=o3, start=START - dt.timedelta(days=30),
                   end=START + dt.timedelta(days=60))
    assert daily.step == "day" and [p.t for p in daily.points] == [START]
    assert daily.points[0].value == pytest.approx((sum(range(24)) - 3) / 23)
    with pytest.raises(ValueError):
        series(station=station, parameter=o3, start=START, end=START + dt.timedelta(days=30), step="raw")


def test_latest_per_station_and_parameter():
    s1, s2 = StationFactory(), StationFactory()
    pm, co = ParameterFactory(code="PM2.5"), ParameterFactory(code="CO")
    for s in (s1, s2):
        for p in (pm, co):
            StationParameter.objects.create(station=s, parameter=p)
    write_readings([ResolvedReading(s1.pk, pm.pk, START + i * FIVE, float(i)) for i in range(5)]
                   + [ResolvedReading(s1.pk, co.pk, START - dt.timedelta(days=40), 7.0, status=2),
                      ResolvedReading(s2.pk, pm.pk, START + dt.timedelta(days=35), 3.0)])
    found = latest(station_ids=[s1.pk, s2.pk])
    assert found[s1.pk][pm.pk] == (START + 4 * FIVE, 4.0, 0)
    assert found[s1.pk][co.pk].status == 2
    assert found[s2.pk] == {pm.pk: (START + dt.timedelta(days=35), 3.0, 0)}
    recent = latest(station_ids=[s1.pk], since=START - dt.timedelta(days=1))
    assert set(recent[s1.pk]) == {pm.pk}


def test_latest_through_a_scoped_queryset():
    """The public sees the city network's latest values, not a facility's older than 30 days."""
    city, plant = StationFactory(), StationFactory(facility=FacilityFactory(), kind=StationKind.STACK)
    so2 = ParameterFactory(code="SO2")
    for s in (city, plant):
        StationParameter.objects.create(station=s, parameter=so2)
    write_readings([ResolvedReading(s.pk, so2.pk, START, 1.0) for s in (city, plant)])
    public = latest(station_ids=[city.pk, plant.pk], readings=Reading.objects.for_user(AnonymousUser()))
    assert public == {city.pk: {so2.pk: (START, 1.0, 0)}}
    assert set(latest(station_ids=[city.pk, plant.pk])) == {city.pk, plant.pk}
