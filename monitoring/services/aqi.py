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

Stored days: a finished day's AQI^d is kept in StoredDailyAqi (store_daily_aqi, the periodic task
monitoring.tasks.store_recent_daily_aqi), and days_of_aqi / month_of_aqi read it, computing only
the days not stored (always today and yesterday). Late readings delete the days they touch
(services.ingest.write_readings).

Coverage [U]: an hourly mean needs 75 % of the hour's readings (windows.DEFAULT_MIN_COVERAGE,
9 of 12 at 5 minutes); a day needs 18 of 24 hourly means (daily_statistics' default).
Only parameters whose Parameter.aqi_code is set take part; values are in the parameter's
canonical unit, µg/Nm³, which equals the decision's µg/m³ for ambient analysers that report
at 25 °C and 760 mmHg (monitoring.domain.units, [U]).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from layers.choices import ApprovalStatus
from monitoring.choices import StationKind
from monitoring.domain.aqi import DAILY, NOWCAST_HOURS, AqiResult, SubIndex, category, daily_aqi, hourly_aqi
from monitoring.domain.tables import load_aqi_table
from monitoring.domain.windows import DEFAULT_MIN_COVERAGE
from monitoring.models import Parameter, Station
from monitoring.selectors import TZ, day_statistics, hourly_means, pk_of
from monitoring.services.ingest import DAILY_AQI_LOCK

HOUR = dt.timedelta(hours=1)


class DailyAqi(NamedTuple):
    day: dt.date
    result: AqiResult


def _first_per_code(rows: Iterable[tuple[int, str]]) -> dict[int, str]:
    found: dict[int, str] = {}
    for pk, code in sorted(rows):
        if code not in found.values():  # one parameter per AQI code
            found[pk] = code
    return found


def aqi_parameters() -> dict[int, str]:
    """Parameter id → VN_AQI code (SO2, CO, NO2, O3, PM10, PM2.5) of the catalogue's AQI parameters."""
    return _first_per_code(Parameter.objects.exclude(aqi_code="").values_list("pk", "aqi_code"))


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


def _daily_for(station_ids: list[int], first: dt.date, last: dt.date,
               codes: dict[int, str] | None = None) -> dict[int, list[DailyAqi]]:
    codes = aqi_parameters() if codes is None else codes
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


# --- Stored days (StoredDailyAqi) ------------------------------------------------------------
# A finished day's AQI^d never changes unless late readings arrive (services.ingest deletes the
# days they touch) or the method changes (the fingerprint below). Today and yesterday are always
# computed: dataloggers resend what they could not transmit, typically within hours.

STORED_TABLE = "monitoring_storeddailyaqi"


def local_today() -> dt.date:
    """Today's date in Vietnam (the AQI day is the local calendar day)."""
    return timezone.now().astimezone(TZ).date()


# A write of readings decides whether they are late (services.ingest) when it starts; the day
# before yesterday becomes storable an hour after midnight, so that no write begun before
# midnight can still be adding readings of it.
STORE_MARGIN = dt.timedelta(hours=1)


def last_storable_day(today: dt.date | None = None) -> dt.date:
    """The last day whose AQI^d may be stored: the day before yesterday (local; from 01:00 on)."""
    today = today or (timezone.now() - STORE_MARGIN).astimezone(TZ).date()
    return today - dt.timedelta(days=2)


def aqi_method(codes: dict[int, str]) -> str:
    """Fingerprint of what a day's AQI^d depends on besides the readings: the AQI table's version,
    the catalogue's AQI parameters and the hourly coverage; stored days of another one are not read."""
    table = load_aqi_table()
    text = "|".join([table.code, table.version, str(table.effective_from), str(DEFAULT_MIN_COVERAGE),
                     ",".join(f"{pk}:{code}" for pk, code in sorted(codes.items()))])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _encode(result: AqiResult) -> str:
    # [parameter, averaging, concentration, exact, value, counted]: Decimals as their exact strings,
    # in the order daily_aqi computed them (Table 2's), so the rebuilt result is equal and ordered alike.
    counted = {id(s) for s in result.sub_indices.values()}
    return json.dumps([[s.parameter, s.averaging, str(s.concentration), str(s.exact), s.value, id(s) in counted]
                       for s in result.components], ensure_ascii=False)


def _decode(aqi: int | None, dominant: str, components: list) -> AqiResult:
    subs = [(SubIndex(p, a, Decimal(c), Decimal(e), v), counts) for p, a, c, e, v, counts in components]
    return AqiResult(period=DAILY, aqi=aqi, dominant=dominant or None,
                     sub_indices={s.parameter: s for s, counts in subs if counts},
                     components=tuple(s for s, _ in subs),
                     category=category(aqi) if aqi is not None else None)


def _codes_and_stored(station_ids: list[int], first: dt.date,
                      last: dt.date) -> tuple[dict[int, str], dict[int, dict[dt.date, AqiResult]]]:
    """The AQI parameters and the stored days of the current method, in one query."""
    stored: dict[int, dict[dt.date, AqiResult]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 0, id, NULL::date, NULL::integer, aqi_code, NULL::text, NULL::text FROM monitoring_parameter "
            "WHERE aqi_code <> '' UNION ALL "
            f"SELECT 1, station_id, day, aqi, dominant, components::text, method FROM {STORED_TABLE} "
            "WHERE station_id = ANY(%s) AND day BETWEEN %s AND %s",
            [station_ids, first, last])
        rows = cursor.fetchall()
    codes = _first_per_code((pk, code) for kind, pk, _, _, code, _, _ in rows if kind == 0)
    method = aqi_method(codes)
    for kind, station_id, day, aqi, dominant, components, row_method in rows:
        if kind == 1 and row_method == method:
            stored.setdefault(station_id, {})[day] = _decode(aqi, dominant, json.loads(components))
    return codes, stored


def _days_of(station_ids: list[int], first: dt.date, last: dt.date) -> dict[int, list[DailyAqi]]:
    ids = list(dict.fromkeys(station_ids))
    if not ids or first > last:
        return _daily_for(ids, first, last)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    codes, stored = _codes_and_stored(ids, first, min(last, last_storable_day()))
    # The stations lacking days, grouped by the span from their first to their last missing day:
    # one day-statistics query per span (usually one: today and yesterday of every station).
    spans: dict[tuple[dt.date, dt.date], list[int]] = {}
    for s in ids:
        have = stored.get(s, {})
        if len(have) < len(days):
            missing = [d for d in days if d not in have]
            spans.setdefault((missing[0], missing[-1]), []).append(s)
    live: dict[int, dict[dt.date, AqiResult]] = {}
    for (lo, hi), group in spans.items():
        for s, computed in _daily_for(group, lo, hi, codes).items():
            live[s] = {d.day: d.result for d in computed}
    return {s: [DailyAqi(d, stored[s][d] if d in stored.get(s, ()) else live[s][d]) for d in days] for s in ids}


def days_of_aqi(*, stations: Iterable, first: dt.date, last: dt.date) -> dict[int, list[DailyAqi]]:
    """AQI^d of each station for every day in [first, last]: {station id: [DailyAqi, ...]}.

    Stored days (store_daily_aqi) are read, the others computed from the readings: one query when
    every day is stored, one more per span of missing days (today and yesterday are never stored).
    """
    return _days_of([pk_of(s) for s in stations], first, last)


def month_of_aqi(*, stations: Iterable, month: dt.date) -> dict[int, list[DailyAqi]]:
    """AQI^d of each station for every day of the month of `month`: {station id: [DailyAqi, ...]} (days_of_aqi)."""
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return _days_of([pk_of(s) for s in stations], first, last)


def aqi_station_ids() -> list[int]:
    """The stations whose daily AQI is stored by default: ambient air, not rejected."""
    return list(Station.objects.filter(kind=StationKind.AMBIENT_AIR).exclude(approval_status=ApprovalStatus.REJECTED)
                .order_by("pk").values_list("pk", flat=True))


def store_daily_aqi(*, first: dt.date, last: dt.date, stations: Iterable | None = None) -> int:
    """Compute AQI^d of the days in [first, last] before yesterday and upsert them; returns the rows written.

    :param stations: stations or ids (default: aqi_station_ids()).
    One transaction, under an exclusive advisory lock that late readings take shared before
    deleting the days they touch (services.ingest): a day computed before late readings commit
    is deleted by them, never left stale.
    """
    last = min(last, last_storable_day())
    ids = list(dict.fromkeys(pk_of(s) for s in stations)) if stations is not None else aqi_station_ids()
    if first > last or not ids:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DAILY_AQI_LOCK])
        # Parallel partial aggregates add an hour's readings in an order that varies from run to run
        # (the live means then differ in their last bits); a serial plan stores reproducible figures.
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        codes = aqi_parameters()
        method = aqi_method(codes)
        rows = [(s, d.day, d.result.aqi, d.result.category.key if d.result.category else "",
                 d.result.dominant or "", _encode(d.result))
                for s, days in _daily_for(ids, first, last, codes).items() for d in days]
        columns = list(zip(*rows, strict=True))
        cursor.execute(
            f"INSERT INTO {STORED_TABLE} (station_id, day, aqi, category, dominant, components, method, computed_at) "
            "SELECT u.station_id, u.day, u.aqi, u.category, u.dominant, u.components::jsonb, %s, now() "
            "FROM unnest(%s::bigint[], %s::date[], %s::integer[], %s::text[], %s::text[], %s::text[]) "
            "AS u(station_id, day, aqi, category, dominant, components) "
            "ON CONFLICT (station_id, day) DO UPDATE SET aqi = EXCLUDED.aqi, category = EXCLUDED.category, "
            "dominant = EXCLUDED.dominant, components = EXCLUDED.components, method = EXCLUDED.method, "
            "computed_at = EXCLUDED.computed_at",
            [method, *map(list, columns)])
        return cursor.rowcount


def missing_daily_aqi(*, first: dt.date, last: dt.date, stations: Iterable | None = None) -> dict[int, list[dt.date]]:
    """{station id: [day, ...]} of the days in [first, last] (before yesterday) without a stored AQI^d of the
    current method; stations with none missing are left out."""
    last = min(last, last_storable_day())
    ids = list(dict.fromkeys(pk_of(s) for s in stations)) if stations is not None else aqi_station_ids()
    if first > last or not ids:
        return {}
    method = aqi_method(aqi_parameters())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.id, g.day::date FROM unnest(%s::bigint[]) AS s(id) "
            "CROSS JOIN generate_series(%s::date, %s::date, interval '1 day') AS g(day) "
            f"WHERE NOT EXISTS (SELECT 1 FROM {STORED_TABLE} d WHERE d.station_id = s.id AND d.day = g.day::date "
            "AND d.method = %s) ORDER BY 1, 2",
            [ids, first, last, method])
        rows = cursor.fetchall()
    missing: dict[int, list[dt.date]] = {}
    for station_id, day in rows:
        missing.setdefault(station_id, []).append(day)
    return missing
