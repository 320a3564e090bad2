"""The write path of readings: COPY to a stage, insert what is new, count duplicates."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection

from monitoring.models import Reading
from monitoring.services.ingest import ResolvedReading, write_readings
from monitoring.tests.factories import ParameterFactory, StationFactory

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC)


def batch(station, parameter, n, start=T0, value=10.0):
    return [ResolvedReading(station.pk, parameter.pk, start + dt.timedelta(minutes=5 * i), value + i)
            for i in range(n)]


def test_batch_is_written_and_resend_is_idempotent():
    station, pm = StationFactory(), ParameterFactory(code="PM2.5")
    first = write_readings(batch(station, pm, 12))
    assert (first.received, first.accepted, first.duplicates) == (12, 12, 0)
    again = write_readings(batch(station, pm, 14))  # the same 12 plus two new ones
    assert (again.accepted, again.duplicates) == (2, 12)
    assert Reading.objects.filter(station=station).count() == 14
    station.refresh_from_db()
    assert station.last_reading_at == T0 + dt.timedelta(minutes=5 * 13)


def test_duplicates_inside_one_batch_keep_the_first():
    station, pm = StationFactory(), ParameterFactory(code="PM10")
    rows = batch(station, pm, 3) + [ResolvedReading(station.pk, pm.pk, T0, 999.0)]
    result = write_readings(rows)
    assert (result.accepted, result.duplicates) == (3, 1)
    assert Reading.objects.get(station=station, parameter=pm, observed_at=T0).value == 10.0


def test_late_data_creates_its_partition():
    station, so2 = StationFactory(), ParameterFactory(code="SO2")
    old = dt.datetime(2019, 6, 15, 3, 0, tzinfo=dt.UTC)  # before the migration's first partition
    assert write_readings(batch(station, so2, 2, start=old)).accepted == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('monitoring_reading_y2019m06') IS NOT NULL")
        assert cursor.fetchone()[0]
        cursor.execute("EXPLAIN SELECT * FROM monitoring_reading WHERE observed_at >= '2019-06-01' "
                       "AND observed_at < '2019-07-01'")
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "y2019m06" in plan and "y2026m03" not in plan  # partition pruning


def test_a_failing_batch_writes_nothing():
    station, pm = StationFactory(), ParameterFactory(code="CO")
    rows = batch(station, pm, 3) + [ResolvedReading(station.pk, pm.pk, T0 + dt.timedelta(hours=1), 1.0, status=9)]
    with pytest.raises(IntegrityError):  # status 9 violates the CHECK: the whole batch is refused
        write_readings(rows)
    assert not Reading.objects.filter(station=station).exists()
