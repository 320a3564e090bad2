"""Reads of the readings table, aggregated in PostgreSQL (DESIGN.md section 4, STYLE.md 3).

Buckets are Vietnam's legal time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving), as
monitoring.domain.windows prescribes:

- an hour is ``date_trunc('hour', observed_at, 'Asia/Ho_Chi_Minh')``: the clock hour a
  reading falls in, returned as the aware datetime of its *start* (a reading stamped
  exactly 09:00 opens the 09:00–10:00 hour). Decision 1459/QĐ-TCMT labels an hourly mean
  by the hour's end (10:00 here); the AQI services do that relabelling, not this module;
- a day is the local calendar day (readings from 00:00 to 24:00 Hai Phong time), the
  24 hourly means Decision 1459 labels 01:00 … 00:00 next day.

Hourly and daily means use only readings measured normally (status 0): values under
calibration (1) or from an instrument in error (2) never enter a mean (Circular 10/2021
Art. 39). A daily mean is the mean of the day's hourly means (QCVN 05:2023 §1.3.8).

Every query is bounded by ``start <= observed_at < end`` on the partition key, so
PostgreSQL prunes the monthly partitions outside the range.

Scope: pass ``readings=Reading.objects.for_user(user)`` (or any Reading queryset) and the
aggregate runs over that queryset, compiled as a sub-select; or pass ``station_ids`` that
the caller already scoped. Both may be combined.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import QuerySet

from monitoring.domain.windows import DEFAULT_MIN_COVERAGE, LOCAL_TZ, WINDOWS, required_count
from monitoring.models import Reading

TZ = ZoneInfo(LOCAL_TZ)
MEASURING = 0
# The reading interval the network is designed for when a pair has no StationParameter row
# (5 minutes for automatic stations, Circular 10/2021).
DEFAULT_INTERVAL_MINUTES = 5
# series(step="auto"): raw readings up to 2 days (576 points at 5 minutes), hourly means up
# to 60 days (1,440 points), daily means beyond (365 a year).
AUTO_RAW_SPAN = dt.timedelta(days=2)
AUTO_HOURLY_SPAN = dt.timedelta(days=60)
# Explicit steps are capped so that a chart never asks for more than ~10,000 points.
MAX_SPAN = {"raw": dt.timedelta(days=14), "hour": dt.timedelta(days=400), "day": None}
STEPS = ("raw", "hour", "day")


class HourlyMean(NamedTuple):
    station: int
    parameter: int
    hour: dt.datetime     # aware, start of the local clock hour
    mean: float
    n: int                # valid readings in the hour


class DailyMean(NamedTuple):
    station: int
    parameter: int
    day: dt.date          # local calendar day
    mean: float           # mean of the day's hourly means
    n: int                # hours with a mean


class SeriesPoint(NamedTuple):
    t: dt.datetime        # the reading's time, or the start of the local hour or day
    value: float | None   # the reading, or the mean of the bucket's valid readings
    min: float | None
    max: float | None
    n: int                # valid readings behind the value
    status: int | None    # raw readings: the instrument status; buckets: None
    calibrating: int = 0  # buckets: readings under calibration (not in the mean)
    error: int = 0        # buckets: readings in error (not in the mean)


@dataclass(frozen=True)
class Series:
    """A chart's points for one station and parameter, at the step the range allows."""

    station: int
    parameter: int
    step: str             # "raw", "hour" or "day"
    start: dt.datetime
    end: dt.datetime
    points: list[SeriesPoint]


class LatestReading(NamedTuple):
    observed_at: dt.datetime
    value: float
    status: int


def pk_of(obj) -> int:
    """The primary key of a model instance, or the id itself."""
    return obj if isinstance(obj, int) else obj.pk


def local_midnight(day: dt.date) -> dt.datetime:
    """The aware start of a local calendar day."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=TZ)


def _check_range(start: dt.datetime | None, end: dt.datetime | None) -> None:
    if start is None or end is None:
        raise ValueError("start and end are required: the readings table is only read by time range")
    for value in (start, end):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("start and end must be aware datetimes")
    if end <= start:
        raise ValueError("end must be after start")


def _ids(values: Iterable | None) -> list[int] | None:
    return None if values is None else [pk_of(v) for v in values]


def readings_source(*, start: dt.datetime, end: dt.datetime, readings: QuerySet | None = None,
                    station_ids: Iterable | None = None, parameter_ids: Iterable | None = None,
                    valid_only: bool = False, periodic: bool | None = False) -> tuple[str, list]:
    """SQL and parameters of the bounded readings sub-select that the aggregates wrap.

    :param periodic: False (default) keeps the continuous readings, True only the results
        of periodic sampling campaigns (campaign_id set), None both.
    :returns: a SELECT of station_id, parameter_id, observed_at, value, status.
    """
    _check_range(start, end)
    qs = (readings if readings is not None else Reading.objects.all()).between(start, end)
    ids = _ids(station_ids)
    if ids is not None:
        qs = qs.filter(station_id__in=ids)
    params = _ids(parameter_ids)
    if params is not None:
        qs = qs.filter(parameter_id__in=params)
    if valid_only:
        qs = qs.valid()
    if periodic is not None:
        qs = qs.filter(campaign_id__isnull=not periodic)
    qs = qs.order_by().values_list("station_id", "parameter_id", "observed_at", "value", "status")
    sql, sql_params = qs.query.sql_with_params()
    return sql, list(sql_params)


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def hourly_means_sql(source: str, coverage: Decimal | float | None) -> tuple[str, list]:
    """SQL of the hourly means over a readings_source() sub-select (station_id, parameter_id, hour,
    mean, n) and its extra parameters; with `coverage`, hours short of readings are dropped."""
    sql = (f"SELECT r.station_id, r.parameter_id, date_trunc('hour', r.observed_at, '{LOCAL_TZ}') AS hour, "
           f"avg(r.value) AS mean, count(*) AS n FROM ({source}) r GROUP BY 1, 2, 3")
    if coverage is None:
        return sql, []
    # 75 % of the hour's design count (9 of 12 at 5 minutes, windows.required_count's rule),
    # from the pair's interval; CEIL on numeric, as required_count rounds up in Decimal.
    return (f"SELECT h.* FROM ({sql}) h LEFT JOIN monitoring_stationparameter sp "
            "ON sp.station_id = h.station_id AND sp.parameter_id = h.parameter_id "
            f"WHERE h.n >= GREATEST(1, CEIL(%s::numeric * 60 / COALESCE(sp.interval_minutes, "
            f"{DEFAULT_INTERVAL_MINUTES})))"), [str(coverage)]


def hourly_means(*, start: dt.datetime, end: dt.datetime, station_ids: Iterable | None = None,
                 parameter_ids: Iterable | None = None, readings: QuerySet | None = None,
                 coverage: Decimal | float | None = None) -> list[HourlyMean]:
    """Hourly means of the valid readings in [start, end), per station, parameter and local hour.

    :param coverage: when given (e.g. windows.DEFAULT_MIN_COVERAGE), an hour needs that
        share of its design count of readings (StationParameter.interval_minutes) to count.
    """
    source, params = readings_source(start=start, end=end, readings=readings, station_ids=station_ids,
                                     parameter_ids=parameter_ids, valid_only=True)
    sql, extra = hourly_means_sql(source, coverage)
    rows = _fetch(f"SELECT * FROM ({sql}) m ORDER BY 1, 2, 3", params + extra)
    return [HourlyMean(s, p, h, float(m), int(n)) for s, p, h, m, n in rows]


def daily_means(*, start: dt.datetime, end: dt.datetime, station_ids: Iterable | None = None,
                parameter_ids: Iterable | None = None, readings: QuerySet | None = None,
                coverage: Decimal | float | None = None) -> list[DailyMean]:
    """Daily means (mean of the hourly means) of the valid readings in [start, end), per local day.

    Pass local midnights (local_midnight()) for whole days. With `coverage`, an hour needs
    that share of its readings and a day that share of its 24 hours (18 at 75 %).
    """
    source, params = readings_source(start=start, end=end, readings=readings, station_ids=station_ids,
                                     parameter_ids=parameter_ids, valid_only=True)
    hourly, extra = hourly_means_sql(source, coverage)
    having = ""
    if coverage is not None:
        having = f" HAVING count(*) >= {required_count(WINDOWS['24h'].expected, coverage)}"
    sql = (f"SELECT h.station_id, h.parameter_id, (h.hour AT TIME ZONE '{LOCAL_TZ}')::date AS day, "
           f"avg(h.mean), count(*) FROM ({hourly}) h GROUP BY 1, 2, 3{having} ORDER BY 1, 2, 3")
    rows = _fetch(sql, params + extra)
    return [DailyMean(s, p, d, float(m), int(n)) for s, p, d, m, n in rows]


class DayStatistics(NamedTuple):
    station: int
    parameter: int
    day: dt.date          # local calendar day
    mean_24h: float       # mean of the day's hourly means
    max_1h: float         # the day's largest hourly mean
    max_8h: float | None  # the largest of the 24 running 8 h means ending in the day
    hours: int            # hourly means in the day


def day_statistics(*, first_day: dt.date, last_day: dt.date, station_ids: Iterable | None = None,
                   parameter_ids: Iterable | None = None, readings: QuerySet | None = None,
                   coverage: Decimal | float = DEFAULT_MIN_COVERAGE) -> list[DayStatistics]:
    """The figures daily VN_AQI uses, per station, parameter and local day from first_day to last_day.

    The SQL counterpart of monitoring.domain.aqi.daily_statistics (its reference, same rules):
    hourly means with `coverage` of their readings; a day needs `coverage` of its 24 hours
    (18) or has no row; each 8 h mean is the RANGE-framed running mean of 8 consecutive
    hourly means with `coverage` of them (6), the first ones reaching 7 hours into the
    previous day (Decision 1459 §2.2.2.a).
    """
    start = local_midnight(first_day) - dt.timedelta(hours=7)
    end = local_midnight(last_day + dt.timedelta(days=1))
    source, params = readings_source(start=start, end=end, readings=readings, station_ids=station_ids,
                                     parameter_ids=parameter_ids, valid_only=True)
    hourly, extra = hourly_means_sql(source, coverage)
    need8 = required_count(WINDOWS["8h"].expected, coverage)
    need24 = required_count(WINDOWS["24h"].expected, coverage)
    sql = (f"SELECT station_id, parameter_id, (hour AT TIME ZONE '{LOCAL_TZ}')::date AS day, avg(mean), max(mean), "
           f"max(m8) FILTER (WHERE k8 >= {need8}), count(*) FROM ("
           "SELECT station_id, parameter_id, hour, mean, avg(mean) OVER w AS m8, count(*) OVER w AS k8 "
           f"FROM ({hourly}) h WINDOW w AS (PARTITION BY station_id, parameter_id ORDER BY hour "
           f"{WINDOWS['8h'].sql_frame})) e WHERE hour >= %s GROUP BY 1, 2, 3 HAVING count(*) >= {need24} "
           "ORDER BY 1, 2, 3")
    rows = _fetch(sql, params + extra + [local_midnight(first_day)])
    return [DayStatistics(s, p, d, float(m), float(top), None if m8 is None else float(m8), int(n))
            for s, p, d, m, top, m8, n in rows]


def auto_step(start: dt.datetime, end: dt.datetime) -> str:
    """The chart step for a range: raw up to 2 days, hourly up to 60 days, daily beyond."""
    span = end - start
    if span <= AUTO_RAW_SPAN:
        return "raw"
    return "hour" if span <= AUTO_HOURLY_SPAN else "day"


def series(*, station, parameter, start: dt.datetime, end: dt.datetime, step: str = "auto",
           readings: QuerySet | None = None) -> Series:
    """A chart series of one station and parameter over [start, end).

    Raw points carry every reading with its status (the chart colours calibration and
    errors); hourly and daily points are means of the valid readings of the local hour or
    day with their min, max and the count of readings left out.
    """
    _check_range(start, end)
    step = auto_step(start, end) if step == "auto" else step
    if step not in STEPS:
        raise ValueError(f"step must be one of auto, {', '.join(STEPS)}")
    cap = MAX_SPAN[step]
    if cap is not None and end - start > cap:
        raise ValueError(f"a {step} series covers at most {cap.days} days")
    station_id, parameter_id = pk_of(station), pk_of(parameter)
    source, params = readings_source(start=start, end=end, readings=readings, station_ids=[station_id],
                                     parameter_ids=[parameter_id])
    if step == "raw":
        rows = _fetch(f"SELECT r.observed_at, r.value, r.status FROM ({source}) r ORDER BY 1", params)
        points = [SeriesPoint(t, v, v, v, 1 if s == MEASURING else 0, s) for t, v, s in rows]
    else:
        valid = f"FILTER (WHERE r.status = {MEASURING})"
        rows = _fetch(
            f"SELECT date_trunc('{step}', r.observed_at, '{LOCAL_TZ}') AS t, avg(r.value) {valid}, "
            f"min(r.value) {valid}, max(r.value) {valid}, count(*) {valid}, "
            "count(*) FILTER (WHERE r.status = 1), count(*) FILTER (WHERE r.status = 2) "
            f"FROM ({source}) r GROUP BY 1 ORDER BY 1", params)
        points = [SeriesPoint(t, mean, lo, hi, n, None, cal, err) for t, mean, lo, hi, n, cal, err in rows]
    return Series(station_id, parameter_id, step, start, end, points)


def latest(*, station_ids: Iterable, readings: QuerySet | None = None,
           since: dt.datetime | None = None) -> dict[int, dict[int, LatestReading]]:
    """The newest reading of each parameter the stations measure: {station id: {parameter id: reading}}.

    One query: a LATERAL probe of the primary key index (station, parameter, observed_at)
    per StationParameter row. `since` bounds the probe so that only recent partitions are
    read (the public map passes a few hours); without it every partition's index is probed
    once per pair.
    """
    ids = _ids(station_ids) or []
    if not ids:
        return {}
    qs = readings if readings is not None else Reading.objects.all()
    if since is not None:
        qs = qs.filter(observed_at__gte=since)
    source, params = qs.order_by().values_list(
        "station_id", "parameter_id", "observed_at", "value", "status").query.sql_with_params()
    # The derived table is pulled up into the LATERAL subquery, so the correlated equalities
    # reach the index; a scoped queryset's own conditions (for_user) stay in force.
    sql = ("SELECT sp.station_id, sp.parameter_id, x.observed_at, x.value, x.status "
           "FROM monitoring_stationparameter sp CROSS JOIN LATERAL ("
           f"SELECT r.observed_at, r.value, r.status FROM ({source}) r "
           "WHERE r.station_id = sp.station_id AND r.parameter_id = sp.parameter_id "
           "ORDER BY r.observed_at DESC LIMIT 1) x WHERE sp.station_id = ANY(%s)")
    found: dict[int, dict[int, LatestReading]] = {}
    for s, p, t, v, status in _fetch(sql, [*params, ids]):
        found.setdefault(s, {})[p] = LatestReading(t, v, status)
    return found


__all__ = [
    "DEFAULT_MIN_COVERAGE", "DailyMean", "DayStatistics", "HourlyMean", "LatestReading", "Series", "SeriesPoint", "auto_step",
    "daily_means", "day_statistics", "hourly_means", "hourly_means_sql", "latest", "local_midnight", "pk_of", "readings_source", "series",
]
