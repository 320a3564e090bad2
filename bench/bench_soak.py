"""Soak of the push API over real HTTP: 500 stations x 20 parameters every 5 minutes,
replayed at 60x (every 5 s, 500 requests of 20 readings), for SOAK_SECONDS (default 600).

gunicorn is started with the project's command line (scripts/serve.sh: geoportal.wsgi,
--workers WEB_CONCURRENCY (3), --graceful-timeout 10, --forwarded-allow-ips) on a free
loopback port against the bench database, and stopped by its PID at the end. Stations
BENCH-SOAK-001…500 and their tokens are made here; their readings are counted and deleted
at the end. Pass: no error, no late tick, and the rows in the database == the rows sent.

    DATABASE_URL=... SOAK_SECONDS=120 .venv/bin/python bench/bench_soak.py
"""
from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import setup  # noqa: E402

SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
STATIONS = int(os.environ.get("SOAK_STATIONS", "500"))
PARAMETERS = 20
TICK = 5.0  # real seconds per simulated 5 minutes (60x)
SIM_STEP = dt.timedelta(minutes=5)
THREADS = int(os.environ.get("SOAK_THREADS", "8"))
WORKERS = os.environ.get("WEB_CONCURRENCY", "3")
PUSH_PATH = "/api/v1/monitoring/stations/{code}/readings/"
VN = dt.timezone(dt.timedelta(hours=7))

# Used only while the project's URLconf does not route the push endpoint yet.
SOAK_SETTINGS = "from geoportal.settings import *  # noqa: F401,F403\nROOT_URLCONF = 'soak_urls'\n"
SOAK_URLS = """from django.urls import include, path
from monitoring.api.push import StationReadingsPushApi
urlpatterns = [path("api/v1/monitoring/stations/<str:code>/readings/", StationReadingsPushApi.as_view()),
               path("", include("geoportal.urls"))]
"""


def make_network() -> tuple[list[tuple[str, str]], list[str], list[int]]:
    """(station code, token) pairs, parameter codes, station ids; old soak tokens and readings removed."""
    from django.contrib.gis.geos import Point
    from django.db import connection

    from monitoring.models import Parameter, Station, StationParameter, StationToken, Unit
    from monitoring.services.tokens import station_token_create

    unit, _ = Unit.objects.get_or_create(code="µg/Nm³")
    params = [Parameter.objects.get_or_create(code=f"BENCH_P{i:02d}", defaults={
        "name_vi": f"Thông số thử {i}", "medium": "ambient_air", "unit": unit})[0] for i in range(1, PARAMETERS + 1)]
    codes = [f"BENCH-SOAK-{i:03d}" for i in range(1, STATIONS + 1)]
    existing = set(Station.objects.filter(code__in=codes).values_list("code", flat=True))
    Station.objects.bulk_create([Station(code=code, name=f"Trạm thử tải {code}", kind="ambient_air",
                                         approval_status="approved",
                                         geom=Point(106.5 + (i % 50) * 0.004, 20.7 + (i // 50) * 0.004, srid=4326))
                                 for i, code in enumerate(codes) if code not in existing])
    stations = list(Station.objects.filter(code__in=codes).order_by("code"))
    StationParameter.objects.bulk_create([StationParameter(station=s, parameter=p) for s in stations for p in params],
                                         ignore_conflicts=True)
    StationToken.objects.filter(station__in=stations).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM monitoring_reading WHERE station_id = ANY(%s)", [[s.pk for s in stations]])
    pairs = [(s.code, station_token_create(station=s, actor=None)[1]) for s in stations]
    return pairs, [p.code for p in params], [s.pk for s in stations]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def needs_urlconf() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(PUSH_PATH.format(code="X"))
        return False
    except Resolver404:
        return True


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.non_200: dict[int, int] = {}
        self.exceptions: dict[str, int] = {}
        self.accepted = 0
        self.duplicates = 0
        self.sent = 0
        self.samples: list[str] = []

    def add(self, ms: float, status: int | None, body: dict | None, error: str | None, sent: int) -> None:
        with self.lock:
            self.latencies.append(ms)
            self.sent += sent
            if error:
                self.exceptions[error] = self.exceptions.get(error, 0) + 1
            elif status != 200:
                self.non_200[status] = self.non_200.get(status, 0) + 1
                if len(self.samples) < 3:
                    self.samples.append(f"{status}: {json.dumps(body)[:300]}")
            else:
                self.accepted += body["accepted"]
                self.duplicates += body["duplicates"]

    @property
    def errors(self) -> int:
        return sum(self.non_200.values()) + sum(self.exceptions.values())


def push(port: int, code: str, token: str, body: bytes, stats: Stats, sent: int) -> None:
    t0 = time.perf_counter()
    status, data, error = None, None, None
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("POST", PUSH_PATH.format(code=code), body=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        response = conn.getresponse()
        status, raw = response.status, response.read()
        conn.close()
        data = json.loads(raw) if raw else None
    except Exception as exc:  # a refused connection or a timeout is an error of the run, counted
        error = type(exc).__name__
    stats.add((time.perf_counter() - t0) * 1000, status, data, error, sent)


def body_for(params: list[str], at: dt.datetime, rnd: random.Random) -> bytes:
    stamp = at.astimezone(VN).isoformat()
    return json.dumps({"readings": [{"parameter": p, "value": round(rnd.uniform(5, 150), 2), "unit": "µg/Nm³",
                                     "observed_at": stamp, "status": "00"} for p in params]}).encode()


def main() -> None:
    setup()
    from django.db import connection

    pairs, params, station_ids = make_network()
    ticks = max(1, int(SECONDS / TICK))
    now = dt.datetime.now(dt.UTC)
    # The replayed interval ends an hour ago: every reading is in the past (none refused as future).
    sim_start = (now - dt.timedelta(hours=1) - ticks * SIM_STEP).replace(second=0, microsecond=0)
    sim_start -= dt.timedelta(minutes=sim_start.minute % 5)
    port = free_port()
    env = dict(os.environ)
    tmp = None
    if needs_urlconf():
        tmp = tempfile.TemporaryDirectory(prefix="soak-")
        Path(tmp.name, "soak_settings.py").write_text(SOAK_SETTINGS)
        Path(tmp.name, "soak_urls.py").write_text(SOAK_URLS)
        env["PYTHONPATH"] = os.pathsep.join([tmp.name, str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        env["DJANGO_SETTINGS_MODULE"] = "soak_settings"
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "geoportal.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", WORKERS, "--graceful-timeout", "10", "--forwarded-allow-ips", "127.0.0.1",
               "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    stats = Stats()
    late, slowest = 0, 0.0
    rnd = random.Random(5)
    started = time.perf_counter()
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        print(f"\n== Push API soak: {len(pairs)} stations x {PARAMETERS} parameters every 5 simulated minutes at 60x "
              f"({len(pairs)} requests every {TICK:g} s), {ticks} ticks ({SECONDS} s); gunicorn {WORKERS} workers "
              f"(pid {server.pid}), {THREADS} client threads" + ("; push URL routed by a temporary URLconf"
                                                                  if tmp else ""), flush=True)
        started = time.perf_counter()
        with ThreadPoolExecutor(THREADS) as pool:
            for tick in range(ticks):
                due = started + tick * TICK
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                at = sim_start + tick * SIM_STEP
                t0 = time.perf_counter()
                futures = [pool.submit(push, port, code, token, body_for(params, at, rnd), stats, PARAMETERS)
                           for code, token in pairs]
                for future in futures:
                    future.result()
                took = time.perf_counter() - t0
                slowest = max(slowest, took)
                if took > TICK:
                    late += 1
                if tick % 12 == 11 or tick == ticks - 1:
                    print(f"  t={time.perf_counter() - started:5.0f} s  tick {tick + 1}/{ticks}  last tick {took:.2f} s"
                          f"  sent {stats.sent:,}  errors {stats.errors}", file=sys.stderr, flush=True)
            # The run lasts its ticks' full period, however fast the last tick was.
            time.sleep(max(0.0, started + ticks * TICK - time.perf_counter()))
        elapsed = time.perf_counter() - started
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)  # the gunicorn master we started, by its PID (own session)
            server.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        if tmp:
            tmp.cleanup()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM monitoring_reading WHERE station_id = ANY(%s)", [station_ids])
        stored = cursor.fetchone()[0]
    lat = sorted(stats.latencies)
    requests = len(lat)
    print(f"requests {requests:,} in {elapsed:.0f} s ({requests / elapsed:.1f}/s); readings sent {stats.sent:,} "
          f"({stats.sent / elapsed:,.0f}/s)")
    print(f"errors {stats.errors} (non-200 {stats.non_200 or 0}, exceptions {stats.exceptions or 0}); "
          f"late ticks {late} (slowest tick {slowest:.2f} s of {TICK:g} s)")
    for sample in stats.samples:
        print(f"  e.g. {sample}")
    if lat:
        q = statistics.quantiles(lat, n=100)
        print(f"latency ms: p50 {q[49]:.0f}, p95 {q[94]:.0f}, p99 {q[98]:.0f}, max {lat[-1]:.0f}")
    lost = stats.sent - stored
    print(f"rows in the database {stored:,}; accepted {stats.accepted:,}; duplicates {stats.duplicates:,}; "
          f"sent {stats.sent:,}: {'no loss' if lost == 0 else f'{lost:,} LOST'}")
    ok = stats.errors == 0 and lost == 0 and late == 0
    print("soak: " + ("ok" if ok else "FAILED"))
    from monitoring.models import StationToken

    StationToken.objects.filter(station_id__in=station_ids).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM monitoring_reading WHERE station_id = ANY(%s)", [station_ids])
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
