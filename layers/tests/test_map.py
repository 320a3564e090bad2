"""The public map page and the search behind it."""
from layers.models import LayerPublication
from tests.layer_factories import FacilityFactory, ZoneFactory


def test_public_map_lists_published_layers_with_vendored_assets(world, client, django_assert_max_num_queries):
    ZoneFactory(name="KCN Đình Vũ thử")
    LayerPublication.objects.filter(layer="incidents").update(is_public=False)
    with django_assert_max_num_queries(10):
        body = client.get("/").content.decode()
    assert 'value="facilities"' in body and 'value="incidents"' not in body
    assert "Leaflet.VectorGrid.bundled.min.js" in body and "public-map.js" in body
    assert "KCN Đình Vũ thử" in body  # zone filter
    assert "<script>" not in body and "cdn" not in body.lower()


def test_search_folds_diacritics_and_respects_publication(world, client):
    FacilityFactory(name="Công ty Thép Đình Vũ", admin_unit=world.unit_a)
    FacilityFactory(name="Nhà máy Đình Vũ chưa duyệt", admin_unit=world.unit_a, approval_status="awaiting")
    r = client.get("/api/v1/search/?q=dinh+vu")
    names = [hit["name"] for hit in r.json()["results"]]
    assert names == ["Công ty Thép Đình Vũ"]
    hit = r.json()["results"][0]
    assert hit["url"] == f"/facilities/{hit['id']}/" and 20 < hit["lat"] < 22
    client.force_login(world.users["commune_officer"])  # in scope: sees the unapproved entry too
    names = [hit["name"] for hit in client.get("/api/v1/search/?q=DINH VU").json()["results"]]
    assert "Nhà máy Đình Vũ chưa duyệt" in names


def test_search_validates_its_input(db, client):
    r = client.get("/api/v1/search/?q=a")
    assert r.status_code == 400 and "q" in r.json()["errors"]
