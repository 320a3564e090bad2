"""Writing readings: one binary COPY per batch into a session stage table, then one
``INSERT … SELECT … ON CONFLICT DO NOTHING`` into the partitioned table (PERFORMANCE.md
1.3 and 5: never one INSERT per reading; ORM bulk_create reaches 6 % of COPY).

A batch is all or nothing (one transaction). A re-sent reading (same station, parameter
and time) is a duplicate: ignored and counted, so dataloggers may retransmit freely.
Late data is accepted: the partitions of the batch's months are created when missing.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

STAGE = "monitoring_reading_stage"
COLUMNS = ("station_id", "parameter_id", "observed_at", "value", "status", "campaign_id")


@dataclass(frozen=True)
class ResolvedReading:
    """A reading ready to store: ids resolved, value in the parameter's canonical unit."""

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


def ensure_partitions(first: dt.datetime, last: dt.datetime) -> int:
    """Create the monthly partitions covering [first, last] (UTC months); returns how many."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT monitoring_ensure_partitions(%s::date, %s::date)",
                       [first.astimezone(dt.UTC).date(), last.astimezone(dt.UTC).date()])
        return cursor.fetchone()[0]


def write_readings(readings: Sequence[ResolvedReading] | Iterable[ResolvedReading], *,
                   count_hint: int | None = None) -> WriteResult:
    """Store `readings` in one transaction: COPY to the stage, then insert what is new."""
    rows = list(readings)
    if not rows:
        return WriteResult(received=0, accepted=0)
    with transaction.atomic():
        first = min(r.observed_at for r in rows)
        last = max(r.observed_at for r in rows)
        ensure_partitions(first, last)
        with connection.cursor() as cursor:
            _ensure_stage(cursor)
            raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
            with raw.copy(f"COPY {STAGE} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "int8", "timestamptz", "float8", "int2", "int8"])
                for r in rows:
                    copy.write_row((r.station_id, r.parameter_id, r.observed_at, r.value, r.status, r.campaign_id))
            # DISTINCT ON keeps the first of duplicates inside the batch itself.
            cursor.execute(
                f"INSERT INTO monitoring_reading ({', '.join(COLUMNS)}) "
                f"SELECT DISTINCT ON (station_id, parameter_id, observed_at) {', '.join(COLUMNS)} FROM {STAGE} "
                "ON CONFLICT (station_id, parameter_id, observed_at) DO NOTHING")
            accepted = cursor.rowcount
            cursor.execute(
                "UPDATE monitoring_station s SET last_reading_at = GREATEST(s.last_reading_at, m.last) "
                f"FROM (SELECT station_id, max(observed_at) AS last FROM {STAGE} GROUP BY station_id) m "
                "WHERE s.id = m.station_id")
    return WriteResult(received=len(rows), accepted=accepted)
