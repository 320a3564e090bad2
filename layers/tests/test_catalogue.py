"""The open-data catalogue page and its DCAT JSON-LD."""
import pytest
from django.core.cache import cache

from layers.models import LayerPublication
from tests.layer_factories import FacilityFactory


@pytest.fixture
def data(world):
    for _ in range(3):
        FacilityFactory(admin_unit=world.unit_a, owner_organisation=world.enterprise_a)
    FacilityFactory(admin_unit=world.unit_a, approval_status="awaiting")  # not published
    LayerPublication.objects.filter(layer="water-areas").update(is_public=False)
    cache.clear()


def test_catalogue_lists_published_layers_with_figures(data, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        body = client.get("/data/").content.decode()
    assert 'id="facilities"' in body and 'id="water-areas"' not in body
    assert "/exports/facilities.gpkg" in body and "CC-BY-4.0" in body


def test_dcat_jsonld(data, client):
    r = client.get("/data/catalog.jsonld")
    assert r["Content-Type"] == "application/ld+json"
    doc = r.json()
    assert doc["@type"] == "dcat:Catalog"
    datasets = {d["dct:identifier"]: d for d in doc["dcat:dataset"]}
    assert "water-areas" not in datasets
    fac = datasets["facilities"]
    assert fac["geoportal:featureCount"] == 3  # approved only
    assert fac["dct:license"]["@id"].startswith("https://creativecommons.org/")
    assert fac["dct:accrualPeriodicity"]["@id"].endswith("/MONTHLY")
    assert any(d.get("dcat:mediaType") == "application/geopackage+sqlite3" for d in fac["dcat:distribution"])
    assert "POLYGON((" in fac["dct:spatial"]["dcat:bbox"]["@value"]
    one = client.get("/data/facilities.jsonld").json()
    assert one["@id"].endswith("/data/facilities.jsonld") and one["@context"]["dcat"]
    assert client.get("/data/water-areas.jsonld").status_code == 404
