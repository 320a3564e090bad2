"""The officer workspace on the demo data set of `make run` (issue 7): the dashboard, the AQI-days
statistics, the compiled Mẫu 03, the exchange API and the data package, each against a baseline
measured in the same run.

Runs on the development database (demo data with a year of readings; `make run` builds it):

    DATABASE_URL=postgis://postgres@127.0.0.1:54329/geoportal .venv/bin/python bench/bench_workspace.py

Baselines: the bare SQL the page cannot avoid — for Mẫu 03 the queries its Sources table lists,
re-run as they stand; for the AQI days the monitoring day_statistics query of the same stations
and year; for the exchange API the raw count and page SQL of the same selection.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import setup  # noqa: E402


def ms(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t0) * 1000, out


def main() -> None:
    os.environ.setdefault("DATABASE_URL", "postgis://postgres@127.0.0.1:54329/geoportal")  # make run's data
    setup(bench_database=False)
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from geoportal.accounts.models import User
    from monitoring.models import Parameter, Station
    from monitoring.selectors import day_statistics
    from workspace.compiled import compile_report
    from workspace.compiled.docx import render_compiled_docx
    from workspace.compiled.sources import execute
    from workspace.dashboard import dashboard

    officer = User.objects.get(username="canbo.so")
    commune = User.objects.filter(username__startswith="xa.").order_by("username").first()
    year = int(os.environ.get("BENCH_YEAR", dt.date.today().year))  # the demo year of readings ends today
    stations = Station.objects.count()
    print(f"== Officer workspace on {connection.settings_dict['NAME']}: {stations} stations, year {year}")
    print(f"{'workload':52} {'app ms':>9} {'baseline ms':>12} {'ratio':>6}")

    for user in (officer, commune):
        cold, _ = ms(lambda u=user: dashboard(user=u, year=year - 1))  # the reporting year
        warm, _ = ms(lambda u=user: dashboard(user=u, year=year - 1))
        client = Client()
        client.force_login(user)
        page, response = ms(lambda c=client: c.get(f"/officer/?year={year - 1}"))
        assert response.status_code == 200
        print(f"{'dashboard figures, ' + user.username:52} {warm:9.1f} {'':>12} {'':>6}  (first call {cold:.1f} ms; "
              f"whole page {page:.1f} ms)")

    ambient = list(Station.objects.filter(kind="ambient_air").values_list("pk", flat=True))
    codes = list(Parameter.objects.exclude(aqi_code="").values_list("pk", flat=True))
    base, _ = ms(lambda: day_statistics(first_day=dt.date(year, 1, 1), last_day=dt.date(year, 12, 31),
                                        station_ids=ambient, parameter_ids=codes))
    cache.clear()
    client = Client()
    client.force_login(officer)
    url = f"/officer/statistics/?measure=aqi_days&dimension=commune&year_from={year}&year_to={year}"
    cold, response = ms(lambda: client.get(url))
    assert response.status_code == 200, response.status_code
    warm, _ = ms(lambda: client.get(url))
    print(f"{'statistics: AQI days by category, ' + str(len(ambient)) + ' stations, cold':52} {cold:9.1f} "
          f"{base:12.1f} {cold / base:6.2f}  (cached: {warm:.1f} ms)")

    compiled_ms, report = ms(lambda: compile_report(form="mau03", user=officer, year=year))
    raw = 0.0
    for query in report.log.queries:
        if query.sql and not query.derived:
            t, _ = ms(lambda q=query: execute(q.sql, q.params))
            raw += t
    docx_ms, docx = ms(lambda: render_compiled_docx(report))
    print(f"{'Mẫu 03 compiled (' + str(len(report.log.queries)) + ' queries)':52} {compiled_ms:9.1f} {raw:12.1f} "
          f"{compiled_ms / raw:6.2f}  (DOCX {docx_ms:.1f} ms, {len(docx):,} bytes)")

    from exchange.selectors import JSON, Filters, count_sql, exchange_access, select_sql

    access = exchange_access(user=officer, token=None, key="facilities")
    api, response = ms(lambda: client.get("/api/v1/exchange/facilities/?page_size=500"))
    assert response.status_code == 200

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(*count_sql(access, filters=Filters()))
            cursor.fetchone()
            sql, params = select_sql(access, mode=JSON, filters=Filters(), limit=500, offset=0)
            cursor.execute(sql, params)
            cursor.fetchall()

    raw_api, _ = ms(bare)
    print(f"{'exchange API: 500 facilities (GeoJSON)':52} {api:9.1f} {raw_api:12.1f} {api / raw_api:6.2f}")


if __name__ == "__main__":
    main()
