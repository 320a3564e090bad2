"""OGC API items: a page of 1,000 features in a bbox through the app (in-process client)
against the raw SQL json_agg(ST_AsGeoJSON) query for the same page. Target: at most
1.5x. Run `make bench-data` first."""
from __future__ import annotations

from common import report, setup, timed

setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

BBOX = (106.62, 20.78, 106.84, 20.92)
RAW = """
SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
  'type', 'Feature', 'id', f.id, 'geometry', ST_AsGeoJSON(f.geom, 6)::json,
  'properties', json_build_object('name', f.name, 'address', f.address))), '[]'::json))::text
FROM (SELECT id, geom, name, address FROM layers_facility
      WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) AND approval_status = 'approved'
      ORDER BY id LIMIT 1000) f
"""


def main() -> None:
    client = Client()
    bbox = ",".join(str(v) for v in BBOX)

    def app():
        r = client.get(f"/ogcapi/collections/facilities/items?bbox={bbox}&limit=1000&f=json")
        assert r.status_code == 200, r.status_code
        return r.content

    def raw():
        with connection.cursor() as cur:
            cur.execute(RAW, BBOX)
            return cur.fetchone()[0]

    n = len(app())
    report("OGC API items page vs raw json_agg", [(f"1000 features in a bbox ({n // 1024} kB)", timed(app), timed(raw), 1.5)])


if __name__ == "__main__":
    main()
