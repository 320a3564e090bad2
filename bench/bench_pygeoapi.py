"""Items throughput of our OGC API against pygeoapi serving the same table with its
PostgreSQL provider, both under gunicorn with the same worker count, loaded by `wrk`
on loopback. Target: at least 2x pygeoapi's requests per second.

pygeoapi is installed in its own virtualenv (.bench-venv, from PyPI) so it never enters
the project's dependencies. Run `make bench-data` first."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
APP_PORT, PYGEOAPI_PORT = 18081, 18082
QUERY = "bbox=106.70,20.83,106.76,20.87&limit=100"


def ensure_pygeoapi() -> Path:
    venv = ROOT / ".bench-venv"
    if not (venv / "bin" / "pygeoapi").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "pygeoapi", "psycopg2-binary", "gunicorn",
                        "SQLAlchemy", "GeoAlchemy2"], check=True)
    return venv


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up")


def wrk(url: str) -> float:
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{SECONDS}s", url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> None:
    from bench.seed import database_url

    db = database_url()
    m = re.match(r"postgis://(?P<user>[^@]+)@(?P<host>[^:/]+):(?P<port>\d+)/(?P<name>.+)", db)
    venv = ensure_pygeoapi()
    work = ROOT / ".data" / "bench-pygeoapi"
    work.mkdir(parents=True, exist_ok=True)
    config = (HERE / "pygeoapi-config.template.yml").read_text()
    for key, value in {"DBPORT": m["port"], "DBNAME": m["name"], "DBUSER": m["user"], "HOST": m["host"],
                       "PORT": str(PYGEOAPI_PORT)}.items():
        config = config.replace(key, value)
    (work / "config.yml").write_text(config)
    env_py = {**os.environ, "PYGEOAPI_CONFIG": str(work / "config.yml"), "PYGEOAPI_OPENAPI": str(work / "openapi.yml")}
    subprocess.run([str(venv / "bin" / "pygeoapi"), "openapi", "generate", str(work / "config.yml"),
                    "--output-file", str(work / "openapi.yml")], check=True, env=env_py, capture_output=True)
    env_app = {**os.environ, "DATABASE_URL": db, "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 40,
               "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_TLS": "false", "LOG_LEVEL": "WARNING"}
    # Throughput, not abuse protection, is measured: lift the anonymous rate limit for the run.
    env_app["DJANGO_SETTINGS_MODULE"] = "bench.settings_throughput"
    procs = []
    try:
        procs.append(subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "geoportal.wsgi:application",
                                       "-b", f"127.0.0.1:{APP_PORT}", "-w", str(WORKERS), "--log-level", "warning"],
                                      cwd=ROOT, env=env_app, start_new_session=True))
        procs.append(subprocess.Popen([str(venv / "bin" / "gunicorn"), "pygeoapi.flask_app:APP",
                                       "-b", f"127.0.0.1:{PYGEOAPI_PORT}", "-w", str(WORKERS), "--log-level", "warning"],
                                      cwd=work, env=env_py, start_new_session=True))
        ours = f"http://127.0.0.1:{APP_PORT}/ogcapi/collections/facilities/items?{QUERY}&f=json"
        theirs = f"http://127.0.0.1:{PYGEOAPI_PORT}/collections/facilities/items?{QUERY}&f=json"
        wait_for(ours)
        wait_for(theirs)
        app_rps, py_rps = wrk(ours), wrk(theirs)
    finally:
        for p in procs:  # stop only what we started, by PID
            try:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
    ratio = app_rps / py_rps
    print(f"\n== OGC API items throughput, 100 features per page in a bbox, {WORKERS} gunicorn workers each, "
          f"wrk 2 threads x 8 connections x {SECONDS} s")
    print(f"geoportal: {app_rps:8.1f} req/s")
    print(f"pygeoapi : {py_rps:8.1f} req/s")
    print(f"ratio    : {ratio:8.2f} (target >= 2.0) {'ok' if ratio >= 2 else 'UNDER'}")


if __name__ == "__main__":
    main()
