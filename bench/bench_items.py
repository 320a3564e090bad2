"""OGC API items: a page of 1,000 features in a bbox through the app (in-process client)
against the raw SQL json_agg(ST_AsGeoJSON) query for the same page. Target: at most
1.5x. Run `make bench-data` first."""
from __future__ import annotations

from common import report, setup, timed

setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

BBOX = (106.62, 20.78, 106.84, 20.92)
# The same page the app returns to the public: published rows, the layer's public fields
# with foreign keys by name, ordered by id.
PAGE = """
SELECT f.id, f.geom, f.name, f.address, u.name AS admin_unit, z.name AS zone, s.name_vi AS sector, f.activity,
       f.capacity, f.operating_frequency, f.project_group, f.permit_class, f.iso14001, f.status
FROM layers_facility f
LEFT JOIN organisations_administrativeunit u ON u.id = f.admin_unit_id
LEFT JOIN layers_industrialzone z ON z.id = f.zone_id
LEFT JOIN catalogues_catalogueentry s ON s.id = f.sector_id
WHERE f.geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) AND f.approval_status = 'approved'
ORDER BY f.id LIMIT 1000
"""
RAW = f"""
SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
  'type', 'Feature', 'id', p.id, 'geometry', ST_AsGeoJSON(p.geom, 6)::json,
  'properties', to_jsonb(p) - 'geom' - 'id')), '[]'::json))::text
FROM ({PAGE}) p
"""
COUNT = """SELECT count(*) FROM layers_facility f
WHERE f.geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) AND f.approval_status = 'approved'"""


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

    def raw_with_count():
        with connection.cursor() as cur:
            cur.execute(COUNT, BBOX)
            cur.execute(RAW, BBOX)
            return cur.fetchone()[0]

    n = len(app())
    app_ms = timed(app)
    report("OGC API items page vs raw json_agg", [
        (f"1000 features in a bbox ({n // 1024} kB) vs page only", app_ms, timed(raw), 1.5),
        ("same, baseline also counts numberMatched", app_ms, timed(raw_with_count), 1.5),
    ])


if __name__ == "__main__":
    main()
