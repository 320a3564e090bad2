"""VN_AQI of stations (Decision 1459/QĐ-TCMT): hourly means from PostgreSQL, the index from
the pure functions of monitoring.domain.aqi.

The database does the heavy part, in one query for every station asked: the hourly means
of the last 12 hours (selectors.hourly_means) for AQI^h, and for AQI^d each day's 24 h mean,
max 1 h and max 8 h mean (selectors.day_statistics, the SQL counterpart of
domain.aqi.daily_statistics). What is left per station is a few numbers, which the domain
functions turn into NowCast, sub-indices and the AQI.

Hours. The decision labels an hourly value by the hour's end: the AQI "at 10:00" uses the
mean of 09:00–10:00 as c1 and the eleven hours before as c2 … c12. `hour` arguments here
are such labels: a time that is not on the hour is floored, so the AQI at 10:35 is the AQI
at 10:00, the last complete hour. A day is the local calendar day (hours ending 01:00 …
00:00 next day); its 8 h O3 means reach back 7 hours into the previous day.

Coverage [U]: an hourly mean needs 75 % of the hour's readings (windows.DEFAULT_MIN_COVERAGE,
9 of 12 at 5 minutes); a day needs 18 of 24 hourly means (daily_statistics' default).
Only parameters whose Parameter.aqi_code is set take part; values are in the parameter's
canonical unit, µg/Nm³, which equals the decision's µg/m³ for ambient analysers that report
at 25 °C and 760 mmHg (monitoring.domain.units, [U]).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from django.utils import timezone

from monitoring.domain.aqi import NOWCAST_HOURS, AqiResult, daily_aqi, hourly_aqi
from monitoring.domain.windows import DEFAULT_MIN_COVERAGE
from monitoring.models import Parameter
from monitoring.selectors import TZ, day_statistics, hourly_means, pk_of

HOUR = dt.timedelta(hours=1)


class DailyAqi(NamedTuple):
    day: dt.date
    result: AqiResult


def aqi_parameters() -> dict[int, str]:
    """Parameter id → VN_AQI code (SO2, CO, NO2, O3, PM10, PM2.5) of the catalogue's AQI parameters."""
    found: dict[int, str] = {}
    for pk, code in Parameter.objects.exclude(aqi_code="").order_by("pk").values_list("pk", "aqi_code"):
        if code not in found.values():  # one parameter per AQI code
            found[pk] = code
    return found


def aqi_hour(at: dt.datetime) -> dt.datetime:
    """The label of the last complete hour at `at` (aware): the hour's end, floored to the hour."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("an AQI hour needs an aware datetime")
    return at.astimezone(TZ).replace(minute=0, second=0, microsecond=0)


def _hourly_for(station_ids: list[int], label: dt.datetime) -> dict[int, AqiResult]:
    codes = aqi_parameters()
    # c1 is the hour ending at `label`, c12 the one ending 11 hours earlier.
    series: dict[int, dict[str, list[float | None]]] = {s: {} for s in station_ids}
    if station_ids and codes:
        first = label - NOWCAST_HOURS * HOUR
        for row in hourly_means(start=first, end=label, station_ids=station_ids, parameter_ids=list(codes),
                                coverage=DEFAULT_MIN_COVERAGE):
            index = int((label - HOUR - row.hour) / HOUR)
            values = series[row.station].setdefault(codes[row.parameter], [None] * NOWCAST_HOURS)
            values[index] = row.mean
    return {s: hourly_aqi(values) for s, values in series.items()}


def hourly_aqi_for(*, station, hour: dt.datetime) -> AqiResult:
    """AQI^h of one station for the hour ending at `hour` (NowCast of the last 12 hourly means for PM)."""
    station_id = pk_of(station)
    return _hourly_for([station_id], aqi_hour(hour))[station_id]


def latest_hourly_aqi(*, stations: Iterable, at: dt.datetime | None = None) -> dict[int, AqiResult]:
    """AQI^h of each station for the last complete hour (aqi_hour(at), now by default), in one query.

    A station without PM10 or PM2.5 data gets a result whose aqi is None (no data).
    """
    return _hourly_for([pk_of(s) for s in stations], aqi_hour(at or timezone.now()))


def _daily_for(station_ids: list[int], first: dt.date, last: dt.date) -> dict[int, list[DailyAqi]]:
    codes = aqi_parameters()
    # Per station, day and AQI code: {"1h": max 1 h, "8h": max 8 h, "24h": 24 h mean}, from PostgreSQL.
    figures: dict[int, dict[dt.date, dict[str, dict[str, float | None]]]] = {s: {} for s in station_ids}
    if station_ids and codes:
        for row in day_statistics(first_day=first, last_day=last, station_ids=station_ids,
                                  parameter_ids=list(codes)):
            figures[row.station].setdefault(row.day, {})[codes[row.parameter]] = {
                "1h": row.max_1h, "8h": row.max_8h, "24h": row.mean_24h}
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return {s: [DailyAqi(day, daily_aqi(by_day.get(day, {}))) for day in days] for s, by_day in figures.items()}


def daily_aqi_for(*, station, day: dt.date) -> AqiResult:
    """AQI^d of one station for a local calendar day."""
    station_id = pk_of(station)
    return _daily_for([station_id], day, day)[station_id][0].result


def days_of_aqi(*, stations: Iterable, first: dt.date, last: dt.date) -> dict[int, list[DailyAqi]]:
    """AQI^d of each station for every day in [first, last]: {station id: [DailyAqi, ...]}, one query."""
    return _daily_for([pk_of(s) for s in stations], first, last)


def month_of_aqi(*, stations: Iterable, month: dt.date) -> dict[int, list[DailyAqi]]:
    """AQI^d of each station for every day of the month of `month`: {station id: [DailyAqi, ...]}, one query."""
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return _daily_for([pk_of(s) for s in stations], first, last)
