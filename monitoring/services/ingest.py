"""Writing readings: one binary COPY per batch into a session stage table, then one
``INSERT … SELECT … ON CONFLICT DO NOTHING`` into the partitioned table (PERFORMANCE.md
1.3 and 5: never one INSERT per reading; ORM bulk_create reaches 6 % of COPY).

A batch is all or nothing (one transaction). A re-sent reading (same station, parameter
and time) is a duplicate: ignored and counted, so dataloggers may retransmit freely.
Late data is accepted: the partitions of the batch's months are created when missing, and the
stored daily AQI of the days it touches (before yesterday) is deleted, to be computed again.
"""
from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from monitoring.selectors import TZ, local_midnight

STAGE = "monitoring_reading_stage"
# pg advisory lock of the stored daily AQI (monitoring.services.aqi.store_daily_aqi takes it
# exclusive): readings of a stored day take it shared and delete the days they touch.
DAILY_AQI_LOCK = 0x6D6F6E5F64617169  # "mon_daqi"
COLUMNS = ("station_id", "parameter_id", "observed_at", "value", "status", "campaign_id")


class ResolvedReading(NamedTuple):
    """A reading ready to store: ids resolved, value in the parameter's canonical unit.
    A tuple in COPY column order, so that it is written as is."""

    station_id: int
    parameter_id: int
    observed_at: dt.datetime  # aware
    value: float
    status: int = 0
    campaign_id: int | None = None


@dataclass
class WriteResult:
    received: int
    accepted: int

    @property
    def duplicates(self) -> int:
        return self.received - self.accepted


def _ensure_stage(cursor) -> None:
    # A temporary table lives as long as the session; ON COMMIT DELETE ROWS empties it
    # at every commit, so pooled connections never see another batch's rows.
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ("
        "station_id bigint, parameter_id bigint, observed_at timestamptz, value double precision, "
        "status smallint, campaign_id bigint) ON COMMIT DELETE ROWS")


def ensure_partitions(first: dt.datetime, last: dt.datetime, *, daily_aqi_lock: bool = False) -> int:
    """Create the monthly partitions covering [first, last] (UTC months); returns how many.

    :param daily_aqi_lock: also take DAILY_AQI_LOCK shared, first, in the same statement.
    """
    lock, params = ("pg_advisory_xact_lock_shared(%s), ", [DAILY_AQI_LOCK]) if daily_aqi_lock else ("", [])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {lock}monitoring_ensure_partitions(%s::date, %s::date)",
                       [*params, first.astimezone(dt.UTC).date(), last.astimezone(dt.UTC).date()])
        return cursor.fetchone()[-1]


def _stored_days_touched(rows: Sequence, times: list[dt.datetime], before: dt.datetime, *, first: dt.datetime,
                         latest: dict[int, dt.datetime]) -> list[list]:
    """[station ids, first days, last days] of the readings before `before`: their local days, and the
    next day, whose first 8 h means reach 7 hours back (monitoring.selectors.day_statistics).
    `first` is the batch's earliest time and `latest` each station's latest, as write_readings has them."""
    spans: dict[int, list[dt.datetime]] = {}
    if len(latest) == 1:  # a push batch: one station, no loop over the readings
        (station_id, last), = latest.items()
        if last >= before:
            last = max(t for t in times if t < before)
        spans[station_id] = [first, last]
    else:
        for station_id, observed_at in zip(map(_STATION_ID, rows), times, strict=True):
            if observed_at < before:
                span = spans.setdefault(station_id, [observed_at, observed_at])
                span[0], span[1] = min(span[0], observed_at), max(span[1], observed_at)
    ids = list(spans)
    return [ids, [spans[s][0].astimezone(TZ).date() for s in ids],
            [spans[s][1].astimezone(TZ).date() + dt.timedelta(days=1) for s in ids]]


TYPES = ["int8", "int8", "timestamptz", "float8", "int2", "int8"]
_STATION_ID, _OBSERVED_AT = operator.itemgetter(0), operator.itemgetter(2)


def _copy(raw, table: str, rows: Sequence[ResolvedReading]) -> None:
    with raw.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(TYPES)
        write = copy.write_row
        for row in rows:
            write(row)


def write_readings(readings: Sequence[ResolvedReading | tuple] | Iterable[ResolvedReading | tuple]) -> WriteResult:
    """Store `readings` in one transaction. New data (the usual case) is copied straight
    into the table inside a savepoint; when a reading is already stored, or repeated in the
    batch, that COPY fails on the primary key and the batch takes the stage path, which
    inserts only what is new."""
    rows = readings if isinstance(readings, list) else list(readings)
    if not rows:
        return WriteResult(received=0, accepted=0)
    if len(rows[0]) != len(COLUMNS):
        rows = [ResolvedReading(*r) for r in rows]  # defaults for status and campaign
    times = list(map(_OBSERVED_AT, rows))
    station_ids = set(map(_STATION_ID, rows))
    if len(station_ids) == 1:  # a push batch: one station
        latest = {station_ids.pop(): max(times)}
    else:
        latest = {}
        for station_id, observed_at in zip(map(_STATION_ID, rows), times, strict=True):
            if observed_at > latest.get(station_id, observed_at - dt.timedelta(seconds=1)):
                latest[station_id] = observed_at
    # Readings before yesterday may change stored daily AQI: delete the days they touch (none for
    # the usual push of recent readings). No extra statement: the lock rides on the partitions
    # query, before the COPY, and the DELETE on the station update, after it.
    yesterday = local_midnight(timezone.now().astimezone(TZ).date() - dt.timedelta(days=1))
    first = min(times)
    late = first < yesterday
    with transaction.atomic():
        ensure_partitions(first, max(latest.values()), daily_aqi_lock=late)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
            try:
                # No probe query first: on a fresh month's partition without statistics the
                # planner may choose the BRIN index and a probe costs more than the COPY.
                with transaction.atomic(), connection.wrap_database_errors:
                    _copy(raw, "monitoring_reading", rows)
                accepted = len(rows)
            except IntegrityError:
                _ensure_stage(cursor)
                _copy(raw, STAGE, rows)
                # The first of duplicates inside the batch wins: ctid follows the COPY order in
                # the stage (emptied at every commit).
                cursor.execute(
                    f"INSERT INTO monitoring_reading ({', '.join(COLUMNS)}) "
                    f"SELECT DISTINCT ON (station_id, parameter_id, observed_at) {', '.join(COLUMNS)} FROM {STAGE} "
                    "ORDER BY station_id, parameter_id, observed_at, ctid "
                    "ON CONFLICT (station_id, parameter_id, observed_at) DO NOTHING")
                accepted = cursor.rowcount
            delete, touched = "", []
            if late:
                delete = ("WITH stale AS (DELETE FROM monitoring_storeddailyaqi d USING unnest(%s::bigint[], "
                          "%s::date[], %s::date[]) AS t(station_id, first, last) "
                          "WHERE d.station_id = t.station_id AND d.day BETWEEN t.first AND t.last) ")
                touched = _stored_days_touched(rows, times, yesterday, first=first, latest=latest)
            cursor.execute(
                f"{delete}UPDATE monitoring_station s SET last_reading_at = GREATEST(s.last_reading_at, m.last) "
                "FROM unnest(%s::bigint[], %s::timestamptz[]) AS m(station_id, last) WHERE s.id = m.station_id",
                [*touched, list(latest), list(latest.values())])
    return WriteResult(received=len(rows), accepted=accepted)
