"""Vector tiles: a z12 and a z14 tile over the densest area, through the app's view
(Django test client, in process) against the raw ST_AsMVT query for the same tile.
Target: at most 1.3x. Run `make bench-data` first."""
from __future__ import annotations

import math

from common import report, setup, timed

setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

CENTRE = (106.73, 20.85)  # the port area, where bench/seed.py clusters 70 % of the facilities
# The same tile as the app serves to the public: the published rows with the layer's
# public fields (foreign keys by name), written as a hand-tuned single query.
RAW = """
WITH bounds AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS geom3857,
                       ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4326) AS geom4326),
mvtgeom AS (
  SELECT ST_AsMVTGeom(ST_Transform(f.geom, 3857), b.geom3857, 4096, 64) AS geom, f.id, f.name, f.address,
         u.name AS admin_unit, z.name AS zone, s.name_vi AS sector, f.activity, f.capacity,
         f.operating_frequency, f.project_group, f.permit_class, f.iso14001, f.status
  FROM bounds b
  JOIN layers_facility f ON f.geom && b.geom4326
  LEFT JOIN organisations_administrativeunit u ON u.id = f.admin_unit_id
  LEFT JOIN layers_industrialzone z ON z.id = f.zone_id
  LEFT JOIN catalogues_catalogueentry s ON s.id = f.sector_id
  WHERE f.approval_status = 'approved')
SELECT ST_AsMVT(mvtgeom.*, 'facilities', 4096, 'geom') FROM mvtgeom
"""


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def main() -> None:
    client = Client()
    rows = []
    for z in (12, 14):
        x, y = tile_of(*CENTRE, z)

        def raw(z=z, x=x, y=y):
            with connection.cursor() as cur:
                cur.execute(RAW, {"z": z, "x": x, "y": y})
                return cur.fetchone()[0]

        def app(z=z, x=x, y=y):
            r = client.get(f"/tiles/facilities/{z}/{x}/{y}.mvt")
            assert r.status_code in (200, 204), r.status_code
            return r.content

        size = len(bytes(app()))
        base_size = len(bytes(raw()))
        rows.append((f"z{z} tile {x}/{y} ({size // 1024} kB app, {base_size // 1024} kB raw)", timed(app), timed(raw), 1.3))
    report("Vector tiles vs raw ST_AsMVT", rows)


if __name__ == "__main__":
    main()
