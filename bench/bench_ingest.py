"""Ingest of readings through the push path against a raw binary COPY of the same rows, and
hourly aggregates of one station-parameter-year with and without partition pruning.

Workloads (database geoportal_bench, migrated; the script makes its own stations and
parameters, BENCH-ING-*, BENCH_P*, and deletes their readings at the end):

1. 1,000,000 readings (50 stations x 20 parameters x 1,000 five-minute steps), in batches
   of 10,000 as a datalogger backlog would arrive, through the app's own code: load_json_body
   (orjson) of the body, parse_json_batch, ingest_batch (resolve, check, convert, COPY to the stage,
   INSERT … ON CONFLICT). Baseline: psycopg binary COPY of the same rows straight into the
   partitioned table, in the same batches (one transaction each), and as one stream.
   Target: app >= 50 % of the batched COPY rate. The two runs write to different months
   (empty partitions each), so neither pays for the other's index.
2. The HTTP overhead: 50,000 of those readings through the API view with the Django test
   client (middleware, token authentication, throttle, JSON response) vs the same batches
   through the service alone.
3. Hourly averages of one station-parameter over a year (105,120 five-minute rows): the
   time bounded to the year (PostgreSQL prunes to 12 partitions), unbounded (every
   partition's index is probed), and bounded by an expression the planner cannot prune with.

    DATABASE_URL=... .venv/bin/python bench/bench_ingest.py   (BENCH_INGEST_ROWS to shrink it)
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import statistics
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import setup  # noqa: E402

TOTAL = int(os.environ.get("BENCH_INGEST_ROWS", "1000000"))
BATCH = 10_000
PARAMETERS = 20
STEPS_PER_BATCH = BATCH // PARAMETERS  # 500 five-minute steps per batch
HTTP_ROWS = int(os.environ.get("BENCH_HTTP_ROWS", "50000"))
STATIONS = max(1, TOTAL // BATCH // 2)  # two batches per station
COPY_MONTH = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
APP_MONTH = dt.datetime(2025, 2, 1, tzinfo=dt.UTC)
HTTP_MONTH = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
SINGLE_MONTH = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
YEAR = 2024
VN = dt.timezone(dt.timedelta(hours=7))
STEP = dt.timedelta(minutes=5)


def make_network():
    """Stations BENCH-ING-001… measuring BENCH_P01…P20 (µg/Nm³), and one station for the year."""
    from django.contrib.gis.geos import Point

    from monitoring.models import Parameter, Station, StationParameter, Unit

    unit, _ = Unit.objects.get_or_create(code="µg/Nm³")
    params = []
    for i in range(1, PARAMETERS + 1):
        p, _ = Parameter.objects.get_or_create(code=f"BENCH_P{i:02d}", defaults={
            "name_vi": f"Thông số thử {i}", "medium": "ambient_air", "unit": unit})
        params.append(p)
    stations = []
    for i in range(1, STATIONS + 2):
        code = f"BENCH-ING-{i:03d}" if i <= STATIONS else "BENCH-ING-YEAR"
        s, _ = Station.objects.get_or_create(code=code, defaults={
            "name": f"Trạm thử nạp {code}", "kind": "ambient_air", "approval_status": "approved",
            "geom": Point(106.6 + (i % 40) * 0.005, 20.8 + (i // 40) * 0.005, srid=4326)})
        stations.append(s)
    StationParameter.objects.bulk_create(
        [StationParameter(station=s, parameter=p) for s in stations for p in params], ignore_conflicts=True)
    return stations[:-1], stations[-1], params


def batches(stations, params, month):
    """(station, rows) per batch: rows are (parameter, observed_at UTC, value, status code)."""
    rnd = random.Random(42)
    for b, station in enumerate(s for s in stations for _ in range(2)):
        start = month + (b % 2) * STEPS_PER_BATCH * STEP
        rows = [(p, start + k * STEP, round(rnd.uniform(5, 120), 2), "00")
                for k in range(STEPS_PER_BATCH) for p in params]
        yield station, rows


def json_body(rows) -> bytes:
    return json.dumps({"readings": [
        {"parameter": p.code, "value": v, "unit": "µg/Nm³", "observed_at": t.astimezone(VN).isoformat(),
         "status": s} for p, t, v, s in rows]}).encode()


def delete_readings(station_ids) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM monitoring_reading WHERE station_id = ANY(%s)", [list(station_ids)])


def run_copy(stations, params, month) -> tuple[float, float]:
    """Seconds for batched COPYs (one transaction each) and for one COPY stream of all rows."""
    import psycopg

    from bench.seed import database_url

    url = database_url().replace("postgis://", "postgresql://")
    batched = 0.0
    with psycopg.connect(url) as conn:
        for station, rows in batches(stations, params, month):
            tuples = [(station.pk, p.pk, t, v, 0) for p, t, v, _s in rows]
            t0 = time.perf_counter()
            with conn.cursor() as cur, cur.copy("COPY monitoring_reading (station_id, parameter_id, observed_at, "
                                                "value, status) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "int8", "timestamptz", "float8", "int2"])
                for row in tuples:
                    copy.write_row(row)
            conn.commit()
            batched += time.perf_counter() - t0
        # The single stream goes to another (empty) month, as each run does.
        all_rows = [(s.pk, p.pk, t, v, 0) for s, rows in batches(stations, params, SINGLE_MONTH)
                    for p, t, v, _s in rows]
        t0 = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY monitoring_reading (station_id, parameter_id, observed_at, "
                                            "value, status) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "int8", "timestamptz", "float8", "int2"])
            for row in all_rows:
                copy.write_row(row)
        conn.commit()
        single = time.perf_counter() - t0
    return batched, single


def run_app(work) -> tuple[float, int, list[float]]:
    """Seconds through load_json_body + parse_json_batch + ingest_batch, rows accepted, per-batch ms."""
    from django.utils import timezone

    from monitoring.ingest.parsing import load_json_body, parse_json_batch
    from monitoring.services.push import ingest_batch, resolver

    total, accepted, per_batch = 0.0, 0, []
    for station, rows in work:
        body = json_body(rows)
        t0 = time.perf_counter()
        now = timezone.now()
        lookup = resolver(station)
        parsed = parse_json_batch(load_json_body(body), now=now, resolve_parameter=lookup)
        result = ingest_batch(station=station, parse_result=parsed, now=now, lookup=lookup, position="index")
        elapsed = time.perf_counter() - t0
        assert result.ok, result.rejected[:3]
        total += elapsed
        accepted += result.accepted
        per_batch.append(elapsed * 1000)
    return total, accepted, per_batch


def push_urlconf():
    """The project's URLs, plus the push endpoint at its documented path if not wired yet."""
    from django.urls import Resolver404, include, path, resolve

    from monitoring.api.push import StationReadingsPushApi

    try:
        resolve("/api/v1/monitoring/stations/X/readings/")
        return None
    except Resolver404:
        module = types.ModuleType("bench_push_urls")
        module.urlpatterns = [path("api/v1/monitoring/stations/<str:code>/readings/",
                                   StationReadingsPushApi.as_view()), path("", include("geoportal.urls"))]
        return module


def run_http(stations, params, month) -> tuple[float, float, int]:
    """Seconds for the same batches through the API view (test client) and through the service alone."""
    from django.test import Client, override_settings

    from monitoring.models import StationToken
    from monitoring.services.tokens import station_token_create

    n_batches = max(1, HTTP_ROWS // BATCH)
    chosen = stations[: (n_batches + 1) // 2]
    tokens = {}
    for station in chosen:
        StationToken.objects.filter(station=station).delete()
        tokens[station.pk] = station_token_create(station=station, actor=None)[1]
    client = Client()
    urlconf = push_urlconf()
    overrides = {"ROOT_URLCONF": urlconf} if urlconf else {}
    work = list(batches(chosen, params, month))[:n_batches]
    http = 0.0
    with override_settings(**overrides):
        for station, rows in work:
            body = json_body(rows)
            t0 = time.perf_counter()
            response = client.post(f"/api/v1/monitoring/stations/{station.code}/readings/", data=body,
                                   content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {tokens[station.pk]}")
            http += time.perf_counter() - t0
            assert response.status_code == 200, response.content[:300]
    delete_readings([s.pk for s in chosen])
    StationToken.objects.filter(station__in=chosen).delete()  # no live credential left in the bench database
    service, _accepted, _ = run_app(work)
    return http, service, len(work) * BATCH


def aggregates(station, parameter) -> dict[str, tuple[float, int, int, bool]]:
    """Hourly averages of one station-parameter-year, three ways: (median ms of 5, partitions scanned,
    rows read, JIT used)."""
    import psycopg
    from django.db import connection
    from django.db.models import Avg, Count
    from django.db.models.functions import TruncHour

    from bench.seed import database_url
    from monitoring.models import Reading

    start = dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(YEAR + 1, 1, 1, tzinfo=dt.UTC)
    # The pair also has the next year, as a station in service would: a query that cannot be
    # pruned reads it too.
    stop = dt.datetime(YEAR + 2, 1, 1, tzinfo=dt.UTC)
    base = Reading.objects.filter(station=station, parameter=parameter)
    delete_readings([station.pk])
    rnd = random.Random(7)
    url = database_url().replace("postgis://", "postgresql://")
    with psycopg.connect(url) as conn, conn.cursor() as cur, cur.copy(
            "COPY monitoring_reading (station_id, parameter_id, observed_at, value, status) "
            "FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(["int8", "int8", "timestamptz", "float8", "int2"])
        for k in range(int((stop - start) / STEP)):
            copy.write_row((station.pk, parameter.pk, start + k * STEP, rnd.uniform(5, 80), 0))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE monitoring_reading")
    year_rows = base.between(start, end).count()

    def hourly(qs):
        return qs.annotate(hour=TruncHour("observed_at")).values("hour").annotate(
            avg=Avg("value"), n=Count("*")).order_by("hour")

    local_first, local_last = start.astimezone(VN).date(), (end - STEP).astimezone(VN).date()
    ways = {
        # ReadingQuerySet.between: bounds on observed_at itself, so PostgreSQL prunes at plan time.
        "bounded: observed_at in [year) (pruned)": base.between(start, end),
        # A bound on an expression of observed_at (the local date): same rows, nothing pruned.
        "same year by local date (no pruning)": base.filter(observed_at__date__gte=local_first,
                                                            observed_at__date__lte=local_last),
        "unbounded: no time predicate (2 years)": base,
    }
    out = {}
    for name, qs in ways.items():
        query = hourly(qs)
        rows = list(query)
        assert 8700 < len(rows) <= 2 * 8784, len(rows)
        samples = []
        for _ in range(5):
            t0 = time.perf_counter()
            list(hourly(qs))
            samples.append((time.perf_counter() - t0) * 1000)
        plan = query.explain(analyze=True)
        read = (sum(int(m) for m in re.findall(r"on monitoring_reading_y\d+m\d+ \S+ .*?actual time=\S+ rows=(\d+)",
                                               plan))
                + sum(int(m) for m in re.findall(r"Rows Removed by Filter: (\d+)", plan)))
        out[name] = (statistics.median(samples), plan.count("on monitoring_reading_y"), read, "JIT:" in plan)
    out["_year_rows"] = year_rows
    return out


def main() -> None:
    setup()
    from django.db import connection

    stations, year_station, params = make_network()
    ids = [s.pk for s in stations]
    delete_readings(ids)
    rows = STATIONS * 2 * BATCH
    print(f"\n== Readings ingest: {rows:,} readings ({STATIONS} stations x {PARAMETERS} parameters x "
          f"{2 * STEPS_PER_BATCH} steps), batches of {BATCH:,}; PostgreSQL {connection.pg_version // 10000}")
    try:
        copy_batched, copy_single = run_copy(stations, params, COPY_MONTH)
        app, accepted, per_batch = run_app(batches(stations, params, APP_MONTH))
        assert accepted == rows, (accepted, rows)
        # A re-send of one batch: every row a duplicate (what an idempotent re-transmission costs).
        from django.utils import timezone

        from monitoring.ingest.parsing import load_json_body, parse_json_batch
        from monitoring.services.push import ingest_batch, resolver

        station, batch_rows = next(batches(stations, params, APP_MONTH))
        body = json_body(batch_rows)
        t0 = time.perf_counter()
        lookup = resolver(station)
        parsed = parse_json_batch(load_json_body(body), now=timezone.now(), resolve_parameter=lookup)
        again = ingest_batch(station=station, parse_result=parsed, now=timezone.now(), lookup=lookup)
        resend_ms = (time.perf_counter() - t0) * 1000
        assert again.accepted == 0 and again.duplicates == BATCH
        delete_readings(ids)
        http, service, http_rows = run_http(stations, params, HTTP_MONTH)

        rate = {k: rows / v for k, v in {"app": app, "copy_batched": copy_batched, "copy_single": copy_single}.items()}
        print(f"{'path':58} {'seconds':>8} {'rows/s':>10} {'vs COPY':>8}")
        print(f"{'raw COPY, binary, batches of 10,000 (baseline)':58} {copy_batched:8.2f} "
              f"{rate['copy_batched']:10,.0f} {1:8.2f}")
        print(f"{'raw COPY, binary, one stream of all rows':58} {copy_single:8.2f} {rate['copy_single']:10,.0f} "
              f"{rate['copy_single'] / rate['copy_batched']:8.2f}")
        ratio = rate["app"] / rate["copy_batched"]
        print(f"{'app: json + parse_json_batch + ingest_batch':58} {app:8.2f} {rate['app']:10,.0f} {ratio:8.2f}"
              f"  target >= 0.50 {'ok' if ratio >= 0.5 else 'UNDER'}")
        print(f"{'':58} {'':8} {'':10} {rate['app'] / rate['copy_single']:8.2f}  (vs one COPY stream)")
        print(f"app per batch of 10,000: median {statistics.median(per_batch):.0f} ms, max {max(per_batch):.0f} ms; "
              f"re-sent batch (all duplicates): {resend_ms:.0f} ms")
        print(f"\n== HTTP overhead: {http_rows:,} readings in batches of 10,000")
        print(f"API view (test client: middleware, token, throttle, response): {http:6.2f} s "
              f"{http_rows / http:10,.0f} rows/s")
        print(f"service alone, same batches:                                 {service:6.2f} s "
              f"{http_rows / service:10,.0f} rows/s   overhead {http / service - 1:+.0%}")

        found = aggregates(year_station, params[0])
        print(f"\n== Hourly averages (ORM: TruncHour, Avg), one station-parameter-year: {found.pop('_year_rows'):,} "
              f"rows of {YEAR}; the pair also has {YEAR + 1}; median of 5")
        for name, (ms, parts, read, jit) in found.items():
            print(f"{name:42} {ms:8.1f} ms   partitions scanned {parts:3d}, rows read {read:7,}"
                  f"{'  (JIT)' if jit else ''}")
    finally:
        delete_readings(ids + [year_station.pk])


if __name__ == "__main__":
    main()
