"""Vector tiles: one ST_AsMVT query, masking, caching headers, validation, TileJSON."""
from __future__ import annotations

import pytest

from layers.choices import ApprovalStatus
from layers.tests.factories import FacilityFactory
from layers.tests.tile_factories import LAT, LON, NAME, SENTINEL, owned_facility, publish, tile_of, zone

pytestmark = pytest.mark.django_db

Z = 12


def url(slug="facilities", z=Z, x=None, y=None):
    if x is None:
        x, y = tile_of(LON, LAT, z)
    return f"/tiles/{slug}/{z}/{x}/{y}.mvt"


@pytest.fixture
def published(world):
    publish("facilities", ["address", "admin_unit"])
    return owned_facility(world)


def test_public_tile_holds_layer_and_feature_names_but_not_private_values(client, published):
    r = client.get(url())
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.mapbox-vector-tile"
    body = r.content
    assert b"facilities" in body
    assert NAME.encode() in body
    assert "Số 1 đường Thử".encode() in body  # a public field
    assert "Đình Vũ thử".encode() in body  # the admin unit, by name
    assert SENTINEL.encode() not in body
    assert b"representative" not in body
    assert r["Cache-Control"] == "public, max-age=300"


def test_owner_tile_shows_private_fields_and_is_not_cached_publicly(client, world, published):
    client.force_login(world.users["enterprise_user"])
    r = client.get(url())
    assert r.status_code == 200
    assert SENTINEL.encode() in r.content
    assert r["Cache-Control"] == "private, no-store"


def test_other_enterprise_sees_the_published_row_masked(client, world, published):
    client.force_login(world.users["enterprise_b_user"])
    r = client.get(url())
    assert r.status_code == 200
    assert NAME.encode() in r.content
    assert SENTINEL.encode() not in r.content


def test_unapproved_rows_are_not_in_public_tiles(client, world):
    publish("facilities", ["address", "admin_unit"])
    owned_facility(world, name="Bản nháp bí mật", approval_status=ApprovalStatus.DRAFT)
    r = client.get(url())
    assert r.status_code == 204
    client.force_login(world.users["enterprise_user"])
    r = client.get(url())
    assert r.status_code == 200
    assert "Bản nháp bí mật".encode() in r.content


def test_empty_tile_is_204(client, published):
    x, y = tile_of(LON + 0.5, LAT + 0.5, Z)
    r = client.get(url(x=x, y=y))
    assert r.status_code == 204
    assert r.content == b""


def test_etag_and_304(client, published):
    r = client.get(url())
    etag = r["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    again = client.get(url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    other = client.get(url(), HTTP_IF_NONE_MATCH='"nope"')
    assert other.status_code == 200


def test_etag_changes_with_the_data(client, world, published):
    before = client.get(url())["ETag"]
    FacilityFactory(name="Cơ sở thứ hai", geom=published.geom)
    assert client.get(url())["ETag"] != before


@pytest.mark.parametrize("z,x,y,field", [(23, 0, 0, "z"), (-1, 0, 0, "z"), (2, 4, 0, "x"), (2, 0, 4, "y"),
                                         (0, 0, -1, "y")])
def test_bad_tile_coordinates_are_400_problems(client, published, z, x, y, field):
    r = client.get(f"/tiles/facilities/{z}/{x}/{y}.mvt")
    assert r.status_code == 400
    assert r["Content-Type"] == "application/problem+json"
    assert field in r.json()["errors"]


def test_unknown_and_unpublished_collections_are_404(client, world):
    assert client.get("/tiles/nope/0/0/0.mvt").status_code == 404
    publish("facilities", [], public=False)
    assert client.get("/tiles/facilities/0/0/0.mvt").status_code == 404
    assert client.get("/tiles/facilities.json").status_code == 404
    client.force_login(world.users["enterprise_user"])  # has a private scope there
    owned_facility(world)
    assert client.get(url()).status_code == 200


def test_polygon_layer_tile_at_low_and_high_zoom(client, world):
    publish("zones", [])
    zone(name="KCN Tràng Duệ thử")
    for z in (8, 15):
        x, y = tile_of(106.16, 21.01, z)
        r = client.get(f"/tiles/zones/{z}/{x}/{y}.mvt")
        assert r.status_code == 200, z
        assert "KCN Tràng Duệ thử".encode() in r.content


def test_one_query_per_anonymous_tile(client, published, django_assert_max_num_queries):
    client.get(url())  # warms the publication cache
    with django_assert_max_num_queries(1):
        assert client.get(url()).status_code == 200


def test_signed_in_tile_query_count(client, world, published, django_assert_max_num_queries):
    client.force_login(world.users["enterprise_user"])
    client.get(url())
    with django_assert_max_num_queries(8) as ctx:
        assert client.get(url()).status_code == 200
    # Besides the session middleware's own queries: the scope's units and the tile.
    middleware = ('SELECT "django_session"', 'UPDATE "django_session"', 'SELECT "accounts_user"."id"',
                  "SAVEPOINT", "RELEASE SAVEPOINT")
    ours = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(middleware)]
    assert 1 <= len(ours) <= 3, ours
    assert any("ST_AsMVT" in sql for sql in ours)


def test_tilejson_public(client, published):
    r = client.get("/tiles/facilities.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["tilejson"] == "3.0.0"
    assert doc["tiles"][0].endswith("/tiles/facilities/{z}/{x}/{y}.mvt")
    assert doc["minzoom"] == 0 and doc["maxzoom"] == 22
    assert doc["bounds"] == pytest.approx([LON, LAT, LON, LAT])
    assert doc["attribution"] == "Sở NN&MT Hải Phòng (thử)"
    fields = doc["vector_layers"][0]["fields"]
    assert doc["vector_layers"][0]["id"] == "facilities"
    assert {"id", "name", "address"} <= set(fields)
    assert "representative" not in fields
    assert r["Cache-Control"] == "public, max-age=300"


def test_tilejson_owner_sees_all_fields(client, world, published):
    client.force_login(world.users["enterprise_user"])
    doc = client.get("/tiles/facilities.json").json()
    assert "representative" in doc["vector_layers"][0]["fields"]


def test_foreign_key_shown_by_name_only_when_public(client, world):
    publish("facilities", [])
    owned_facility(world)
    assert "Đình Vũ thử".encode() not in client.get(url()).content  # admin unit not published
    publish("facilities", ["admin_unit"])
    assert "Đình Vũ thử".encode() in client.get(url()).content


def test_tile_query_filters_through_the_spatial_index(world):
    """The envelope test is pushed into the layer's table and can use the GiST index on geom."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from layers.tiles.masking import masked_query
    from layers.tiles.views import tile_sql

    publish("facilities", ["address"])
    owned_facility(world)
    x, y = tile_of(LON, LAT, Z)
    sql, params = tile_sql(masked_query("facilities", AnonymousUser()), Z, x, y)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "geom &&" in plan
    assert "Index" in plan and "layers_facility" in plan


def test_tiles_filter_by_unit_and_zone(world, client):
    """The public map's unit and zone filters are applied to the tiles themselves."""
    from layers.tests.test_permission_matrix_layers import set_public
    from tests.layer_factories import FacilityFactory, ZoneFactory

    set_public("facilities", True)
    zone = ZoneFactory(name="KCN lọc")
    p = world.unit_a.geom.point_on_surface
    inside = FacilityFactory(name="Trong khu lọc", geom=p, admin_unit=world.unit_a, zone=zone)
    FacilityFactory(name="Ngoài khu lọc", geom=p, admin_unit=world.unit_b)
    import math

    z = 10
    x = int((p.x + 180) / 360 * 2 ** z)
    y = int((1 - math.asinh(math.tan(math.radians(p.y))) / math.pi) / 2 * 2 ** z)
    base = f"/tiles/facilities/{z}/{x}/{y}.mvt"
    all_bytes = client.get(base).content
    assert b"Trong khu l" in all_bytes and b"Ngo" in all_bytes
    by_zone = client.get(f"{base}?zone={zone.pk}").content
    assert "Trong khu lọc".encode() in by_zone and "Ngoài khu lọc".encode() not in by_zone
    by_unit = client.get(f"{base}?admin_unit={world.unit_b.pk}").content
    assert "Ngoài khu lọc".encode() in by_unit and "Trong khu lọc".encode() not in by_unit
    assert client.get(f"{base}?zone=abc").status_code == 400
    assert inside.pk
