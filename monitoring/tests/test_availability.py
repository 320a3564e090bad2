"""Data availability of automatic stations: design count, received, valid, calibrating, error."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from monitoring.models import StationParameter
from monitoring.services.availability import availability
from monitoring.services.ingest import ResolvedReading, write_readings
from monitoring.tests.factories import ParameterFactory, StationFactory

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = dt.datetime(2026, 3, 10, tzinfo=VN)
FIVE = dt.timedelta(minutes=5)


def test_figures_of_a_series_with_gaps_and_statuses():
    """One day at 5 minutes is 288 values: a 2-hour gap, 10 calibrating and 6 in error."""
    station = StationFactory()
    pm10, flow, extra = ParameterFactory(code="PM10"), ParameterFactory(code="FLOW"), ParameterFactory(code="TEMP")
    StationParameter.objects.create(station=station, parameter=pm10, interval_minutes=5)
    StationParameter.objects.create(station=station, parameter=flow, interval_minutes=60)
    rows = []
    for i in range(288):
        if 120 <= i < 144:
            continue  # 10:00–12:00: nothing received
        status = 1 if 200 <= i < 210 else 2 if 250 <= i < 256 else 0
        rows.append(ResolvedReading(station.pk, pm10.pk, DAY + i * FIVE, 20.0, status))
    rows += [ResolvedReading(station.pk, flow.pk, DAY + dt.timedelta(hours=h), 5.0) for h in range(24)]
    rows += [ResolvedReading(station.pk, extra.pk, DAY, 30.0),
             # outside the period, and a periodic sample: not counted
             ResolvedReading(station.pk, pm10.pk, DAY + dt.timedelta(days=1), 20.0),
             ResolvedReading(station.pk, pm10.pk, DAY - FIVE, 20.0),
             ResolvedReading(station.pk, pm10.pk, DAY + dt.timedelta(minutes=2), 20.0, campaign_id=7)]
    write_readings(rows)
    got = {r["parameter"]: r for r in availability(station=station, start=DAY, end=DAY + dt.timedelta(days=1))}
    pm = got["PM10"]
    assert (pm["design_count"], pm["received"], pm["valid"], pm["calibrating"], pm["error"]) == (288, 264, 248, 10, 6)
    assert (pm["availability_pct"], pm["error_pct"]) == (Decimal("91.67"), Decimal("2.27"))
    assert (got["FLOW"]["design_count"], got["FLOW"]["received"], got["FLOW"]["availability_pct"],
            got["FLOW"]["error_pct"]) == (24, 24, Decimal("100.00"), Decimal("0.00"))
    # Readings of a parameter the station does not declare: listed, with no design count.
    assert (got["TEMP"]["design_count"], got["TEMP"]["received"], got["TEMP"]["availability_pct"]) == (0, 1, None)


def test_design_count_starts_when_the_station_started_transmitting():
    station = StationFactory(transmits_since=dt.date(2026, 3, 11))
    so2 = ParameterFactory(code="SO2")
    StationParameter.objects.create(station=station, parameter=so2, interval_minutes=5)
    [row] = availability(station=station, start=DAY, end=DAY + dt.timedelta(days=2))
    assert (row["design_count"], row["received"], row["availability_pct"], row["error_pct"]) == (288, 0, Decimal("0.00"),
                                                                                                 None)


def test_a_year_of_design_count():
    """365 days × 288 = 105,120 values by design (Circular 10/2021: 5-minute values)."""
    station = StationFactory()
    StationParameter.objects.create(station=station, parameter=ParameterFactory(code="NO2"), interval_minutes=5)
    start = dt.datetime(2025, 1, 1, tzinfo=VN)
    [row] = availability(station=station, start=start, end=dt.datetime(2026, 1, 1, tzinfo=VN))
    assert row["design_count"] == 105_120


def test_naive_or_empty_periods_are_refused():
    with pytest.raises(ValueError):
        availability(station=1, start=DAY, end=DAY)
    with pytest.raises(ValueError):
        availability(station=1, start=dt.datetime(2026, 1, 1), end=dt.datetime(2026, 2, 1))
