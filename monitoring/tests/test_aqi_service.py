"""VN_AQI through the database: the decision's worked examples written as readings (Decision 1459 §2.3)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from monitoring.domain.aqi import DAILY, HOURLY, hourly_aqi, round_aqi
from monitoring.models import StationParameter
from monitoring.services.aqi import (
    aqi_hour,
    daily_aqi_for,
    hourly_aqi_for,
    latest_hourly_aqi,
    month_of_aqi,
)
from monitoring.services.ingest import ResolvedReading, write_readings
from monitoring.tests.factories import ParameterFactory, StationFactory

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
HOUR = dt.timedelta(hours=1)
# §2.3.a: PM2.5 hourly means labelled 09:00 … 20:00 (by the hour's end).
PM25_09_TO_20 = [26.9, 24.7, 20.5, 23.5, 19.5, 16.5, 19.0, 16.5, 20.3, 22.4, 19.6, 20.6]
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def aqi_params():
    return {code: ParameterFactory(code=code, aqi_code=code) for code in ("PM2.5", "PM10", "O3", "NO2", "SO2", "CO")}


def hourly_station(params, codes, interval=60):
    """A station reporting once an hour (interval 60): one reading is the hour's mean, exactly."""
    station = StationFactory()
    for code in codes:
        StationParameter.objects.create(station=station, parameter=params[code], interval_minutes=interval)
    return station


def hour_reading(station, parameter, label_end: dt.datetime, value: float, status: int = 0):
    """A reading inside the hour that ends at `label_end` (the decision's label)."""
    return ResolvedReading(station.pk, parameter.pk, label_end - dt.timedelta(minutes=30), value, status)


def test_hourly_worked_example_through_the_database(aqi_params):
    """PM2.5 NowCast 20.3 → 41, O3 136.1 → 43, NO2 118.7 → 59.35: AQI^h 59 (half up), 60 as printed."""
    station = hourly_station(aqi_params, ("PM2.5", "O3", "NO2"))
    at_20 = dt.datetime(2026, 3, 10, 20, 0, tzinfo=VN)
    rows = [hour_reading(station, aqi_params["PM2.5"], at_20 - (11 - n) * HOUR, v) for n, v in enumerate(PM25_09_TO_20)]
    rows += [hour_reading(station, aqi_params["O3"], at_20, 136.1), hour_reading(station, aqi_params["NO2"], at_20, 118.7),
             # an older O3 hour and a calibration spike in the current hour do not count
             hour_reading(station, aqi_params["O3"], at_20 - HOUR, 900.0),
             ResolvedReading(station.pk, aqi_params["NO2"].pk, at_20 - dt.timedelta(minutes=10), 3000.0, 1)]
    write_readings(rows)
    result = hourly_aqi_for(station=station, hour=at_20)
    subs = result.sub_indices
    assert float(subs["PM2.5"].concentration) == pytest.approx(20.3, abs=0.05)   # NowCast, w = 0.61
    assert (subs["O3"].value, subs["NO2"].value, subs["PM2.5"].value) == (43, 59, 41)
    assert subs["NO2"].exact == Decimal("59.35")
    assert (result.aqi, result.dominant, result.category.key) == (59, "NO2", "moderate")
    assert round_aqi(result.exact, period=HOURLY, printed_rounding=True) == 60   # the decision's figure
    # 20:35 is still the hour ending 20:00; at 23:00 none of c1..c3 has PM data (2 of 3 needed).
    assert hourly_aqi_for(station=station, hour=at_20 + dt.timedelta(minutes=35)).aqi == 59
    assert hourly_aqi_for(station=station, hour=at_20 + 3 * HOUR).aqi is None


def test_hourly_aqi_of_five_minute_readings_uses_covered_hourly_means(aqi_params):
    """12 readings an hour: the hourly mean of the valid ones; an hour with 8 of 12 is missing."""
    station = hourly_station(aqi_params, ("PM10",), interval=5)
    at = dt.datetime(2026, 3, 10, 12, 0, tzinfo=VN)
    rows, means = [], []
    for h in range(12):  # hours ending at-11h … at
        end = at - (11 - h) * HOUR
        values = [30.0 + h + i for i in range(12)]
        n = 8 if h == 5 else 12
        rows += [ResolvedReading(station.pk, aqi_params["PM10"].pk, end - HOUR + i * dt.timedelta(minutes=5), v)
                 for i, v in enumerate(values[:n])]
        means.append(None if n < 9 else sum(values) / 12)
    write_readings(rows)
    expected = hourly_aqi({"PM10": means[::-1]})
    got = hourly_aqi_for(station=station, hour=at)
    assert got.aqi == expected.aqi and got.sub_indices["PM10"].exact == pytest.approx(
        expected.sub_indices["PM10"].exact, rel=Decimal("1e-12"))


def daily_example_rows(station, params, day=DAY):
    """Hourly means of one day that give the §2.3.c figures: O3 8 h max 89.3, 1 h max 114.6,
    NO2 1 h max 130.8, PM2.5 24 h mean 55.7."""
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=VN)
    o3 = [10.0] * 24
    o3[10:18] = [114.6, 64.0, 89.3, 89.3, 89.3, 89.3, 89.3, 89.3]   # one 8 h mean of 89.3
    no2 = [50.0] * 24
    no2[8] = 130.8
    rows = []
    for h in range(24):
        end = midnight + (h + 1) * HOUR
        rows += [hour_reading(station, params["O3"], end, o3[h]), hour_reading(station, params["NO2"], end, no2[h]),
                 hour_reading(station, params["PM2.5"], end, 55.7)]
    return rows


def test_daily_worked_example_through_the_database(aqi_params):
    """O3-8h 89.3 → 45, O3-1h 114.6 → 36, NO2 130.8 → 65, PM2.5 55.7 → 110: AQI^d = 110."""
    station = hourly_station(aqi_params, ("PM2.5", "O3", "NO2"))
    write_readings(daily_example_rows(station, aqi_params))
    result = daily_aqi_for(station=station, day=DAY)
    values = {(s.parameter, s.averaging): s.value for s in result.components}
    assert values == {("O3", "8h"): 45, ("O3", "1h"): 36, ("NO2", "1h"): 65, ("PM2.5", "24h"): 110}
    assert (result.aqi, result.dominant, result.category.key) == (110, "PM2.5", "poor")
    assert round_aqi(result.exact, period=DAILY, printed_rounding=True) == 110
    assert daily_aqi_for(station=station, day=DAY + dt.timedelta(days=1)).aqi is None


def test_latest_hourly_aqi_for_the_map_in_two_queries(aqi_params, django_assert_max_num_queries):
    """All stations' last 12 hours in one aggregate query (plus the AQI parameter list)."""
    now = dt.datetime(2026, 3, 10, 20, 7, tzinfo=VN)
    with_data = [hourly_station(aqi_params, ("PM2.5",)) for _ in range(3)]
    silent = hourly_station(aqi_params, ("PM2.5",))
    write_readings([hour_reading(s, aqi_params["PM2.5"], aqi_hour(now) - k * HOUR, 10.0 * (n + 1))
                    for n, s in enumerate(with_data) for k in range(3)])
    with django_assert_max_num_queries(2):
        results = latest_hourly_aqi(stations=[*with_data, silent], at=now)
    assert [results[s.pk].aqi for s in with_data] == [20, 40, 60]
    assert results[silent.pk].aqi is None and results[silent.pk].category is None


def test_month_of_aqi(aqi_params, django_assert_max_num_queries):
    """A result per day of the month and station, equal to the single-day service."""
    stations = [hourly_station(aqi_params, ("PM2.5", "O3", "NO2")) for _ in range(2)]
    write_readings(daily_example_rows(stations[0], aqi_params))
    write_readings(daily_example_rows(stations[1], aqi_params, day=dt.date(2026, 3, 31)))
    with django_assert_max_num_queries(2):
        month = month_of_aqi(stations=stations, month=dt.date(2026, 3, 17))
    first, second = (month[s.pk] for s in stations)
    assert [d.day for d in first] == [dt.date(2026, 3, n) for n in range(1, 32)]
    assert {d.day: d.result.aqi for d in first if d.result.aqi is not None} == {DAY: 110}
    assert {d.day: d.result.aqi for d in second if d.result.aqi is not None} == {dt.date(2026, 3, 31): 110}
    assert first[9].result.sub_indices == daily_aqi_for(station=stations[0], day=DAY).sub_indices


def test_aqi_hour_needs_an_aware_time():
    with pytest.raises(ValueError):
        aqi_hour(dt.datetime(2026, 3, 10, 20, 0))
    assert aqi_hour(dt.datetime(2026, 3, 10, 13, 59, tzinfo=dt.UTC)) == dt.datetime(2026, 3, 10, 20, 0, tzinfo=VN)
