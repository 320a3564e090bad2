"""Full GeoJSON export of the 100,000 bench facilities through the app (streamed, in a
child process whose peak RSS is reported) against `ogr2ogr` reading the same rows and
fields from the same PostGIS table. Targets: at most 1.5x, peak RSS under 200 MB.
Run `make bench-data` first."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from common import setup
setup()
from django.conf import settings
settings.EXPORT_MAX_ROWS = 10_000_000
from django.test import Client
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
r = Client().get("/exports/facilities.geojson")
n = 0
with open("/dev/null", "wb") as out:
    for chunk in r.streaming_content:
        out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
        n += len(chunk)
elapsed = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "bytes": n, "peak_kb": peak, "before_kb": base, "status": r.status_code}))
"""


def main() -> None:
    from common import setup

    setup()
    from django.db import connection

    s = connection.settings_dict
    features = 0
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM layers_facility WHERE approval_status = 'approved'")
        features = cur.fetchone()[0]
    # ogr2ogr: the same published rows and public fields, foreign keys by name.
    sql = ("SELECT f.id, f.name, f.address, u.name AS admin_unit, z.name AS zone, s.name_vi AS sector, f.activity, "
           "f.capacity, f.operating_frequency, f.project_group, f.permit_class, f.iso14001, f.status, f.geom "
           "FROM layers_facility f LEFT JOIN organisations_administrativeunit u ON u.id = f.admin_unit_id "
           "LEFT JOIN layers_industrialzone z ON z.id = f.zone_id "
           "LEFT JOIN catalogues_catalogueentry s ON s.id = f.sector_id WHERE f.approval_status = 'approved'")
    pg = f"PG:host={s['HOST']} port={s['PORT']} dbname={s['NAME']} user={s['USER']}"
    out = Path("/tmp/bench-ogr2ogr.geojson")
    out.unlink(missing_ok=True)
    t0 = time.perf_counter()
    subprocess.run(["ogr2ogr", "-f", "GeoJSON", "-lco", "RFC7946=YES", "-lco", "COORDINATE_PRECISION=6",
                    str(out), pg, "-sql", sql], check=True, capture_output=True)
    ogr_seconds = time.perf_counter() - t0
    ogr_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    ogr_bytes = out.stat().st_size
    # RUSAGE_CHILDREN is a maximum over children: read it before the app's child runs.
    child = subprocess.run([sys.executable, "-c", CHILD, str(HERE)], capture_output=True, text=True, check=True,
                           env={**os.environ})
    app = json.loads(child.stdout.strip().splitlines()[-1])
    out.unlink(missing_ok=True)
    ratio = app["seconds"] / ogr_seconds
    print("\n== GeoJSON export of every published facility vs ogr2ogr")
    print(f"features: {features}")
    print(f"app     : {app['seconds']:.2f} s, {app['bytes'] / 1e6:.1f} MB, status {app['status']}, "
          f"peak RSS {app['peak_kb'] / 1024:.0f} MB (after Django start-up: {app['before_kb'] / 1024:.0f} MB)")
    print(f"ogr2ogr : {ogr_seconds:.2f} s, {ogr_bytes / 1e6:.1f} MB, peak RSS {ogr_rss / 1024:.0f} MB")
    print(f"ratio   : {ratio:.2f} (target <= 1.5) {'ok' if ratio <= 1.5 else 'OVER'}; "
          f"app peak RSS {'ok' if app['peak_kb'] < 200 * 1024 else 'OVER'} (target < 200 MB)")


if __name__ == "__main__":
    main()
