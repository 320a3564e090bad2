"""A month of VN_AQI for 10 ambient stations (issue 6, Performance), against the bare
SQL hourly-means query the service builds on, measured in the same run.

Workload: 10 stations × 6 AQI parameters (PM2.5, PM10, O3, NO2, SO2, CO) × one month of
5-minute readings (518,400 rows, about 3 % under calibration or in error), written by the
app's own write_readings (COPY + INSERT … ON CONFLICT). Then:

- app: monitoring.services.aqi.month_of_aqi(stations, month): one SQL query for the
  hourly means of every station and parameter (status 0, 75 % coverage per hour), then the
  pure functions (daily statistics, running 8 h O3 means, sub-indices) per station and day;
- baseline: the raw SQL hourly-means query alone (GROUP BY date_trunc('hour', …) over the
  same rows, fetched), i.e. the part no implementation can skip.

Everything the script creates is deleted at the end (stations BENCHAQI-*, their readings,
and the parameters it had to create). It migrates the bench database first
(BENCH_DB=geoportal_bench by default).
"""
from __future__ import annotations

import datetime as dt
import math
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import report, setup, timed  # noqa: E402

setup()

from django.contrib.gis.geos import Point  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

call_command("migrate", verbosity=0)

from layers.choices import ApprovalStatus  # noqa: E402
from monitoring.choices import Medium, StationKind, StationMode  # noqa: E402
from monitoring.models import Parameter, Station, StationParameter, Unit  # noqa: E402
from monitoring.services.aqi import latest_hourly_aqi, month_of_aqi  # noqa: E402
from monitoring.services.ingest import ResolvedReading, write_readings  # noqa: E402

STATIONS = int(os.environ.get("BENCH_AQI_STATIONS", "10"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
PREFIX = "BENCHAQI-"
MONTH = dt.date(2026, 10, 1)
VN = dt.timezone(dt.timedelta(hours=7))
# Typical Hai Phong levels (µg/m³) and the amplitude of the daily cycle.
LEVELS = {"PM2.5": (35, 15), "PM10": (60, 25), "O3": (70, 45), "NO2": (40, 20), "SO2": (20, 8), "CO": (900, 400)}


def parameters() -> tuple[dict[str, Parameter], list[int]]:
    """The AQI parameters (reusing the reference rows when loaded); returns them and the ids created here."""
    unit, _ = Unit.objects.get_or_create(code="µg/Nm³")
    found, created = {}, []
    for code in LEVELS:
        p = Parameter.objects.filter(aqi_code=code).order_by("pk").first()
        if p is None:
            p = Parameter.objects.create(code=code, name_vi=code, medium=Medium.AMBIENT_AIR, unit=unit, aqi_code=code)
            created.append(p.pk)
        found[code] = p
    return found, created


def readings(station: Station, params: dict[str, Parameter], start: dt.datetime, end: dt.datetime, rng):
    n = int((end - start) / dt.timedelta(minutes=5))
    for code, p in params.items():
        base, amp = LEVELS[code]
        for i in range(n):
            t = start + i * dt.timedelta(minutes=5)
            hour = t.astimezone(VN).hour + t.minute / 60
            value = max(0.0, base + amp * math.sin((hour - 8) / 24 * 2 * math.pi) + rng.gauss(0, base * 0.1))
            status = 0 if rng.random() > 0.03 else rng.choice((1, 2))
            yield ResolvedReading(station.pk, p.pk, t, round(value, 2), status)


def baseline(ids: list[int], param_ids: list[int], start: dt.datetime, end: dt.datetime) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT station_id, parameter_id, date_trunc('hour', observed_at, 'Asia/Ho_Chi_Minh') AS hour, "
            "avg(value), count(*) FROM monitoring_reading WHERE station_id = ANY(%s) AND parameter_id = ANY(%s) "
            "AND status = 0 AND observed_at >= %s AND observed_at < %s GROUP BY 1, 2, 3",
            [ids, param_ids, start, end])
        return len(cursor.fetchall())


def cleanup(created_params: list[int]) -> None:
    ids = list(Station.objects.filter(code__startswith=PREFIX).values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        if ids:
            cursor.execute("DELETE FROM monitoring_reading WHERE station_id = ANY(%s)", [ids])
            StationParameter.objects.filter(station_id__in=ids).delete()
            Station.objects.filter(pk__in=ids).delete()
        Parameter.objects.filter(pk__in=created_params).delete()


def main() -> None:
    cleanup([])  # leftovers of an interrupted run
    params, created = parameters()
    rng = random.Random(42)
    start = dt.datetime.combine(MONTH, dt.time(0), tzinfo=VN) - dt.timedelta(hours=7)  # the 8 h means reach back
    end = dt.datetime.combine((MONTH + dt.timedelta(days=32)).replace(day=1), dt.time(0), tzinfo=VN)
    try:
        stations = []
        for n in range(STATIONS):
            s = Station.objects.create(code=f"{PREFIX}{n:02d}", name=f"Bench AQI {n}", kind=StationKind.AMBIENT_AIR,
                                       mode=StationMode.AUTOMATIC, geom=Point(106.6 + n * 0.01, 20.85, srid=4326),
                                       approval_status=ApprovalStatus.APPROVED, is_demo=True)
            StationParameter.objects.bulk_create([StationParameter(station=s, parameter=p, interval_minutes=5)
                                                  for p in params.values()])
            stations.append(s)
        t0 = time.perf_counter()
        rows = 0
        for s in stations:
            rows += write_readings(list(readings(s, params, start, end, rng))).accepted
        write_s = time.perf_counter() - t0
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE monitoring_reading")
        print(f"workload: {STATIONS} stations × {len(params)} parameters × {MONTH:%Y-%m} at 5 minutes: "
              f"{rows:,} readings written by write_readings in {write_s:.1f} s ({rows / write_s:,.0f} rows/s)")
        ids, param_ids = [s.pk for s in stations], [p.pk for p in params.values()]
        hours = baseline(ids, param_ids, start, end)
        month = month_of_aqi(stations=stations, month=MONTH)
        days = [d for results in month.values() for d in results]
        with_aqi = sum(1 for d in days if d.result.aqi is not None)
        print(f"month_of_aqi: {len(days)} station-days ({with_aqi} with an AQI) from {hours:,} hourly means")
        app_ms = timed(lambda: month_of_aqi(stations=stations, month=MONTH), repeat=REPEAT, warmup=1)
        base_ms = timed(lambda: baseline(ids, param_ids, start, end), repeat=REPEAT, warmup=1)
        at = end - dt.timedelta(hours=3)
        map_ms = timed(lambda: latest_hourly_aqi(stations=stations, at=at), repeat=REPEAT, warmup=1)
        map_base = timed(lambda: baseline(ids, param_ids, at - dt.timedelta(hours=12), at), repeat=REPEAT, warmup=1)
        report("VN_AQI (monitoring.services.aqi)", [
            (f"month_of_aqi, {STATIONS} stations, {MONTH:%Y-%m}", app_ms, base_ms, 1.5),
            (f"latest_hourly_aqi, {STATIONS} stations (12 h)", map_ms, map_base, 3.0),
        ])
    finally:
        cleanup(created)
        print("cleaned up: bench stations, their readings and the parameters created here")


if __name__ == "__main__":
    main()
