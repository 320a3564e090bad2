"""`make bench-data`: a benchmark database with 100,000 facilities and 1,000 zone
polygons (issue 4). It lives in its own database (geoportal_bench by default) on the
same PostGIS server, so benchmarks never touch the development data.

Rows are generated in SQL (generate_series + random()), with a fixed seed, in one
transaction: about 10 s here.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get("BENCH_DB", "geoportal_bench")
FACILITIES = int(os.environ.get("BENCH_FACILITIES", "100000"))
ZONES = int(os.environ.get("BENCH_ZONES", "1000"))


def database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgis://postgres@127.0.0.1:54329/geoportal")
    return base.rsplit("/", 1)[0] + "/" + BENCH_DB


def main() -> None:
    import psycopg

    admin_url = database_url().replace("postgis://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    call_command("load_demo_data", verbosity=0)  # units, organisations, publications, demo layers
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM layers_facility WHERE name LIKE 'BENCH %%'")
        cur.execute("DELETE FROM layers_industrialzone WHERE name LIKE 'BENCH %%'")
        cur.execute("SELECT setseed(0.42)")
        # Zones: squares of 300–800 m, dense around the port (106.6–106.9 E, 20.75–20.95 N).
        cur.execute("""
            INSERT INTO layers_industrialzone (name, kind, code, geom, source_srid, approval_status, is_demo,
                needs_review, review_note, rejection_reason, description, established_by, cwwtp_status,
                created_at, updated_at)
            SELECT 'BENCH zone ' || g, 'kcn', 'B' || g,
                   ST_Multi(ST_MakeEnvelope(x, y, x + d, y + d, 4326)), 4326, 'approved', true,
                   false, '', '', '', '', '', now(), now()
            FROM (SELECT g, 106.3 + random() * 0.8 AS x, 20.65 + random() * 0.45 AS y,
                         0.003 + random() * 0.005 AS d FROM generate_series(1, %s) g) s
        """, [ZONES])
        # Facilities: 70 % clustered near the port, 30 % spread over the mainland.
        cur.execute("""
            INSERT INTO layers_facility (name, geom, source_srid, approval_status, is_demo, needs_review,
                review_note, rejection_reason, description, tax_code, business_registration, address,
                contact_phone, representative, admin_unit_manual, activity, capacity, operating_frequency,
                season_note, project_group, permit_class, iso14001, iso14001_certificate, status,
                created_at, updated_at)
            SELECT 'BENCH facility ' || g,
                   CASE WHEN random() < 0.7
                        THEN ST_SetSRID(ST_MakePoint(106.62 + random() * 0.22, 20.78 + random() * 0.14), 4326)
                        ELSE ST_SetSRID(ST_MakePoint(106.15 + random() * 1.0, 20.62 + random() * 0.55), 4326) END,
                   4326, 'approved', true, false, '', '', '', lpad((200000000 + g)::text, 10, '0'), '',
                   'Địa chỉ ' || g, '0225' || lpad(g::text, 7, '0'), '', false, 'Sản xuất', '', 'regular', '',
                   'II', 'gpmt', false, '', 'operating', now() - (random() * interval '365 days'), now()
            FROM generate_series(1, %s) g
        """, [FACILITIES])
        cur.execute("ANALYZE layers_facility; ANALYZE layers_industrialzone")
    print(f"bench data: {FACILITIES} facilities and {ZONES} zones in {BENCH_DB} "
          f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
