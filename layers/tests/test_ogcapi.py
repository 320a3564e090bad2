"""OGC API – Features at /ogcapi/: Part 1 Core (JSON and HTML), Part 2 CRS, field masking."""
from __future__ import annotations

import json
import re
import subprocess
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pyproj import Transformer

from geoportal.accounts.services import token_create
from geoportal.core.crs import wgs84_to_projected, wgs84_to_vn2000
from layers.ogcapi import conformance as oc
from layers.tests.factories import FacilityFactory
from layers.tests.ogc_factories import facilities_grid, publish

ITEMS = "/ogcapi/collections/facilities/items"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
TAX_SENTINEL = "0398765432"
PHONE_SENTINEL = "PHONE-SENTINEL-77"


def rels(doc) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for link in doc["links"]:
        out.setdefault(link["rel"], []).append(link)
    return out


def relative(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.path}?{parsed.query}" if parsed.query else parsed.path


@pytest.fixture
def published(db):
    return publish()


# --- landing, conformance, API, collections ----------------------------------------------

def test_landing_page_has_the_required_links(client, published):
    r = client.get("/ogcapi/", HTTP_ACCEPT="application/json")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    doc = r.json()
    links = rels(doc)
    assert doc["title"]
    for rel in ("self", "alternate", "service-desc", "service-doc", "conformance", "data"):
        assert rel in links, rel
    assert links["service-desc"][0]["type"] == oc.MEDIA_OPENAPI
    assert links["alternate"][0]["type"] == "text/html"
    assert r["Cache-Control"] == "public, max-age=60" and r["ETag"]


def test_conformance_lists_core_geojson_html_oas30_and_crs(client, published):
    doc = client.get("/ogcapi/conformance?f=json").json()
    assert set(doc["conformsTo"]) >= {oc.CORE, oc.GEOJSON, oc.HTML, oc.OAS30, oc.CRS}
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in doc["conformsTo"]


def test_openapi_document_describes_every_path_and_the_items_parameters(client, published):
    r = client.get("/ogcapi/api?f=json")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.oai.openapi+json")
    doc = r.json()
    assert doc["openapi"].startswith("3.0")
    for path in ("/", "/conformance", "/collections", "/collections/{collectionId}",
                 "/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}",
                 "/collections/{collectionId}/queryables", "/api"):
        assert path in doc["paths"], path
    names = {p["name"] for p in doc["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]}
    assert {"bbox", "bbox-crs", "datetime", "limit", "offset", "crs", "collectionId"} <= names


def test_collections_list_the_published_layer_with_extent_crs_and_links(client, published):
    facilities_grid(3)  # 106.500 .. 106.502 E, 20.8 N
    publish("incidents", is_public=False)
    doc = client.get("/ogcapi/collections?f=json").json()
    assert {"self", "alternate"} <= set(rels(doc))
    by_id = {c["id"]: c for c in doc["collections"]}
    assert "incidents" not in by_id
    facilities = by_id["facilities"]
    assert facilities["title"] == "Cơ sở sản xuất thử"
    assert facilities["itemType"] == "feature"
    assert facilities["storageCrs"] == oc.CRS84_URI
    assert f"{EPSG}9210" in facilities["crs"] and f"{EPSG}3405" in facilities["crs"]
    assert facilities["extent"]["spatial"]["bbox"] == [[106.5, 20.8, 106.502, 20.8]]
    assert facilities["extent"]["temporal"]["interval"][0][0] is not None
    links = rels(facilities)
    assert {"self", "items"} <= set(links)
    assert any(link["type"] == "application/geo+json" for link in links["items"])


def test_single_collection_and_queryables(client, published):
    facilities_grid(1)
    doc = client.get("/ogcapi/collections/facilities?f=json").json()
    assert doc["id"] == "facilities" and rels(doc)["self"][0]["href"].endswith("/collections/facilities?f=json")
    queryables = client.get("/ogcapi/collections/facilities/queryables?f=json").json()
    assert queryables["type"] == "object"
    assert set(queryables["properties"]) == {"name", "address", "status", "admin_unit", "sector"}
    assert "operating" in queryables["properties"]["status"]["enum"]


def test_unknown_collection_and_item_are_404_problems(client, published):
    [facility] = facilities_grid(1)
    for url in ("/ogcapi/collections/nope", "/ogcapi/collections/nope/items", f"{ITEMS}/999999", f"{ITEMS}/abc",
                "/ogcapi/collections/nope/queryables"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert r["Content-Type"] == "application/problem+json" and r.json()["status"] == 404
    assert client.get(f"{ITEMS}/{facility.pk}").status_code == 200


# --- items --------------------------------------------------------------------------------

def test_items_are_a_geojson_feature_collection(client, published):
    facilities_grid(4)
    r = client.get(ITEMS, HTTP_ACCEPT="application/geo+json")
    assert r.status_code == 200 and r["Content-Type"] == "application/geo+json"
    assert r["Content-Crs"] == f"<{oc.CRS84_URI}>"
    doc = r.json()
    assert doc["type"] == "FeatureCollection"
    assert doc["numberMatched"] == 4 and doc["numberReturned"] == 4 and len(doc["features"]) == 4
    assert re.match(r"^\d{4}-\d\d-\d\dT", doc["timeStamp"])
    for feature in doc["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["id"], int)
        assert feature["geometry"]["type"] == "Point" and len(feature["geometry"]["coordinates"]) == 2
        assert set(feature["properties"]) == {"name", "address", "status", "admin_unit", "sector"}
    assert [f["id"] for f in doc["features"]] == sorted(f["id"] for f in doc["features"])
    assert {"self", "alternate", "collection"} <= set(rels(doc)) and "next" not in rels(doc)


def test_fk_fields_show_the_related_name_and_choices_their_code(client, published, world):
    FacilityFactory(admin_unit=world.unit_a, status="closed")
    props = client.get(ITEMS).json()["features"][0]["properties"]
    assert props["admin_unit"] == "Đình Vũ thử" and props["status"] == "closed"


def test_published_items_are_cacheable_with_an_etag(client, published):
    facilities_grid(2)
    r = client.get(ITEMS)
    assert r["Cache-Control"] == "public, max-age=60"
    again = client.get(ITEMS, HTTP_IF_NONE_MATCH=r["ETag"])
    assert again.status_code == 304


def test_bbox_selects_the_features_inside(client, published):
    inside = facilities_grid(2, lon=106.5, lat=20.8)
    facilities_grid(3, lon=106.9, lat=20.9)
    doc = client.get(ITEMS, {"bbox": "106.45,20.75,106.6,20.85"}).json()
    assert {f["id"] for f in doc["features"]} == {f.pk for f in inside} and doc["numberMatched"] == 2
    six = client.get(ITEMS, {"bbox": "106.45,20.75,0,106.6,20.85,100"}).json()
    assert six["numberMatched"] == 2


@pytest.mark.parametrize("bbox", ["106,20,107", "106,20,107,21,3", "a,b,c,d", "106,21,107,20", "nan,20,107,21",
                                  "106,,107,21", "106,20,107,21,1,2,3"])
def test_malformed_bbox_is_400_naming_the_parameter(client, published, bbox):
    r = client.get(ITEMS, {"bbox": bbox})
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    assert "bbox" in r.json()["errors"]


def test_bbox_crossing_the_antimeridian_is_answered(client, published):
    facilities_grid(2, lon=106.5)
    # West 170 > east 107: [170, 180] ∪ [-180, 107], which holds Hai Phong.
    r = client.get(ITEMS, {"bbox": "170,20,107,21"})
    assert r.status_code == 200 and r.json()["numberMatched"] == 2
    # West 170 > east -170: a Pacific strip, nothing in it.
    r = client.get(ITEMS, {"bbox": "170,20,-170,21"})
    assert r.status_code == 200 and r.json()["numberMatched"] == 0


def test_bbox_in_vn2000(client, published):
    [near] = facilities_grid(1, lon=106.5, lat=20.8)
    facilities_grid(1, lon=107.2, lat=20.95)
    n, e = wgs84_to_vn2000(106.5, 20.8)
    bbox = f"{e - 100},{n - 100},{e + 100},{n + 100}"
    doc = client.get(ITEMS, {"bbox": bbox, "bbox-crs": f"{EPSG}9210"}).json()
    assert [f["id"] for f in doc["features"]] == [near.pk]
    # EPSG:4326 is latitude first.
    doc = client.get(ITEMS, {"bbox": "20.79,106.49,20.81,106.51", "bbox-crs": f"{EPSG}4326"}).json()
    assert [f["id"] for f in doc["features"]] == [near.pk]
    assert client.get(ITEMS, {"bbox": bbox, "bbox-crs": f"{EPSG}2154"}).status_code == 400


def test_limit_is_capped_and_bad_limits_are_400(client, published):
    facilities_grid(3)
    r = client.get(ITEMS, {"limit": "50000"})
    assert r.status_code == 200 and r.json()["numberReturned"] == 3
    r = client.get(ITEMS, {"limit": "2"})
    assert r.json()["numberReturned"] == 2 and "limit=2" in rels(r.json())["next"][0]["href"]
    for bad in ("0", "-5", "abc", "1.5"):
        r = client.get(ITEMS, {"limit": bad})
        assert r.status_code == 400 and "limit" in r.json()["errors"], bad
    for bad in ("-1", "x"):
        assert client.get(ITEMS, {"offset": bad}).status_code == 400


def test_limit_cap_applies_to_the_page_size(client, published, monkeypatch):
    from layers.ogcapi import params

    facilities_grid(5)
    monkeypatch.setattr(params, "MAX_LIMIT", 3)
    doc = client.get(ITEMS, {"limit": "1000"}).json()
    assert doc["numberReturned"] == 3 and doc["numberMatched"] == 5
    assert "limit=3" in rels(doc)["next"][0]["href"]


def test_paging_with_next_links_walks_every_feature_exactly_once(client, published):
    created = {f.pk for f in facilities_grid(35)}
    seen: list[int] = []
    url = f"{ITEMS}?limit=10&status=operating"
    pages = 0
    while url:
        doc = client.get(url).json()
        pages += 1
        assert doc["numberMatched"] == 35
        seen += [f["id"] for f in doc["features"]]
        links = rels(doc)
        if pages > 1:
            assert "prev" in links
        nxt = links.get("next")
        url = relative(nxt[0]["href"]) if nxt else None
        if url:
            assert parse_qs(urlparse(url).query)["status"] == ["operating"]  # parameters preserved
        assert pages < 10
    assert pages == 4 and len(seen) == 35 and set(seen) == created


def test_prev_links_walk_back(client, published):
    ids = sorted(f.pk for f in facilities_grid(25))
    first = client.get(ITEMS, {"limit": "10"}).json()
    second = client.get(relative(rels(first)["next"][0]["href"])).json()
    back = client.get(relative(rels(second)["prev"][0]["href"])).json()
    assert [f["id"] for f in back["features"]] == ids[:10]
    by_offset = client.get(ITEMS, {"limit": "10", "offset": "20"}).json()
    assert [f["id"] for f in by_offset["features"]] == ids[20:]
    prev = client.get(relative(rels(by_offset)["prev"][0]["href"])).json()
    assert [f["id"] for f in prev["features"]] == ids[10:20]
    assert client.get(ITEMS, {"next": "not-a-token"}).status_code == 400


def test_datetime_filters_on_the_update_time(client, published):
    facilities_grid(2)
    assert client.get(ITEMS, {"datetime": "../2000-01-01"}).json()["numberMatched"] == 0
    assert client.get(ITEMS, {"datetime": "2000-01-01/.."}).json()["numberMatched"] == 2
    assert client.get(ITEMS, {"datetime": "2000-01-01T00:00:00Z/2999-01-01"}).json()["numberMatched"] == 2
    assert client.get(ITEMS, {"datetime": "2000-01-01"}).json()["numberMatched"] == 0
    for bad in ("yesterday", "2024-13-01", "2025-01-01/2024-01-01", "/"):
        r = client.get(ITEMS, {"datetime": bad})
        assert r.status_code == 400 and "datetime" in r.json()["errors"], bad


def test_property_filters_and_unknown_parameters(client, published):
    facilities_grid(2, status="closed")
    facilities_grid(3, status="operating", lon=106.6)
    assert client.get(ITEMS, {"status": "closed"}).json()["numberMatched"] == 2
    assert client.get(ITEMS, {"whatever": "1"}).json()["numberMatched"] == 5  # unknown: ignored
    r = client.get(ITEMS, {"status": "exploded"})
    assert r.status_code == 400 and "status" in r.json()["errors"]
    FacilityFactory(name="Nhà máy Đình Vũ", geom=facilities_grid(1)[0].geom)
    assert client.get(ITEMS, {"q": "dinh vu"}).json()["numberMatched"] == 1


# --- CRS (Part 2) -------------------------------------------------------------------------

def test_crs_9210_matches_pyproj_within_a_centimetre(client, published):
    [facility] = facilities_grid(1, lon=106.6871, lat=20.8447)
    r = client.get(ITEMS, {"crs": f"{EPSG}9210"})
    assert r.status_code == 200 and r["Content-Crs"] == f"<{EPSG}9210>"
    x, y = r.json()["features"][0]["geometry"]["coordinates"]
    expected = wgs84_to_vn2000(106.6871, 20.8447)
    assert abs(x - expected.easting) < 0.01 and abs(y - expected.northing) < 0.01
    item = client.get(f"{ITEMS}/{facility.pk}", {"crs": f"{EPSG}3405"})
    x, y = item.json()["geometry"]["coordinates"]
    utm = wgs84_to_projected(106.6871, 20.8447, 3405)
    assert abs(x - utm.easting) < 0.01 and abs(y - utm.northing) < 0.01
    assert item["Content-Crs"] == f"<{EPSG}3405>"


def test_crs_4326_is_latitude_first_and_unsupported_crs_is_400(client, published):
    facilities_grid(1, lon=106.6, lat=20.9)
    doc = client.get(ITEMS, {"crs": f"{EPSG}4326"}).json()
    assert doc["features"][0]["geometry"]["coordinates"] == [20.9, 106.6]
    x, y = client.get(ITEMS, {"crs": f"{EPSG}3857"}).json()["features"][0]["geometry"]["coordinates"]
    ex, ey = Transformer.from_crs(4326, 3857, always_xy=True).transform(106.6, 20.9)
    assert abs(x - ex) < 0.01 and abs(y - ey) < 0.01
    r = client.get(ITEMS, {"crs": f"{EPSG}2154"})
    assert r.status_code == 400 and "crs" in r.json()["errors"]


# --- who sees what ------------------------------------------------------------------------

@pytest.fixture
def secret_facility(world, published):
    return FacilityFactory(owner_organisation=world.enterprise_a, tax_code=TAX_SENTINEL,
                           contact_phone=PHONE_SENTINEL, representative="Nguyễn Văn Bí Mật")


def _bodies(client, facility) -> list[bytes]:
    urls = [ITEMS, f"{ITEMS}?f=html", f"{ITEMS}/{facility.pk}", f"{ITEMS}/{facility.pk}?f=html",
            f"{ITEMS}?crs={EPSG}9210", f"{ITEMS}?representative=x", "/ogcapi/collections/facilities/queryables",
            "/ogcapi/collections/facilities"]
    out = []
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        out.append(r.content)
    return out


def test_private_fields_never_reach_anonymous(client, secret_facility):
    for body in _bodies(client, secret_facility):
        for secret in (TAX_SENTINEL.encode(), PHONE_SENTINEL.encode(), b"tax_code", b"contact_phone",
                       "Bí Mật".encode()):
            assert secret not in body
    r = client.get(ITEMS)
    assert r.json()["numberMatched"] == 1 and r["Cache-Control"] == "public, max-age=60"
    # Filtering on a private field is not offered to anonymous: ignored, and nothing echoes a value.
    r = client.get(ITEMS, {"tax_code": "0100000000"})
    assert r.json()["numberMatched"] == 1
    assert all("tax_code" not in f["properties"] for f in r.json()["features"])


def test_a_token_without_the_facility_in_scope_sees_public_fields_only(api_client, world, secret_facility):
    _token, raw = token_create(actor=world.users["dept_admin"], user=world.users["enterprise_b_user"], name="b")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = api_client.get(ITEMS).content
    assert TAX_SENTINEL.encode() not in body and b"tax_code" not in body


def test_the_owner_sees_private_fields_by_session_and_by_token(client, api_client, world, secret_facility):
    client.force_login(world.users["enterprise_user"])
    r = client.get(ITEMS)
    props = r.json()["features"][0]["properties"]
    assert props["tax_code"] == TAX_SENTINEL and props["contact_phone"] == PHONE_SENTINEL
    assert props["approval_status"] == "approved" and "review_note" not in props and "entered_by" not in props
    assert r["Cache-Control"] == "private, no-store" and "ETag" not in r
    item = client.get(f"{ITEMS}/{secret_facility.pk}")
    assert item.json()["properties"]["tax_code"] == TAX_SENTINEL and item["Cache-Control"] == "private, no-store"
    assert client.get(ITEMS, {"tax_code": TAX_SENTINEL}).json()["numberMatched"] == 1
    assert client.get(ITEMS, {"tax_code": "0100000000"}).json()["numberMatched"] == 0

    _token, raw = token_create(actor=world.users["dept_admin"], user=world.users["enterprise_user"], name="a")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api_client.get(ITEMS).json()["features"][0]["properties"]["tax_code"] == TAX_SENTINEL


def test_private_and_public_rows_are_masked_row_by_row(client, world, secret_facility):
    other = FacilityFactory(owner_organisation=world.enterprise_b, tax_code="0311111111")
    client.force_login(world.users["enterprise_user"])
    doc = client.get(ITEMS).json()
    by_id = {f["id"]: f["properties"] for f in doc["features"]}
    assert by_id[secret_facility.pk]["tax_code"] == TAX_SENTINEL
    assert "tax_code" not in by_id[other.pk] and set(by_id[other.pk]) == {"name", "address", "status",
                                                                          "admin_unit", "sector"}
    # Filtering on a private field only matches rows whose fields the requester sees.
    assert client.get(ITEMS, {"tax_code": "0311111111"}).json()["numberMatched"] == 0


def test_unpublished_layer_is_invisible_to_anonymous_but_visible_to_an_officer(client, world, db):
    publish(is_public=False)
    draft = FacilityFactory(tax_code=TAX_SENTINEL)
    ids = {c["id"] for c in client.get("/ogcapi/collections?f=json").json()["collections"]}
    assert "facilities" not in ids
    for url in ("/ogcapi/collections/facilities", ITEMS, f"{ITEMS}/{draft.pk}"):
        assert client.get(url).status_code == 404, url
    client.force_login(world.users["dept_officer"])
    r = client.get("/ogcapi/collections?f=json")
    assert "facilities" in {c["id"] for c in r.json()["collections"]} and r["Cache-Control"] == "private, no-store"
    doc = client.get(ITEMS).json()
    assert [f["id"] for f in doc["features"]] == [draft.pk]
    assert doc["features"][0]["properties"]["tax_code"] == TAX_SENTINEL


def test_unapproved_rows_of_a_public_layer_stay_hidden(client, published):
    [draft] = facilities_grid(1, approval_status="draft")
    assert client.get(ITEMS).json()["numberMatched"] == 0
    assert client.get(f"{ITEMS}/{draft.pk}").status_code == 404


# --- performance ---------------------------------------------------------------------------

def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_items_query_count_is_constant(client, world, published, django_assert_max_num_queries):
    client.force_login(world.users["enterprise_user"])
    facilities_grid(3, owner_organisation=world.enterprise_a, admin_unit=world.unit_a)
    client.get(ITEMS)  # warm the publication cache
    few = _queries(client, ITEMS)
    facilities_grid(40, owner_organisation=world.enterprise_b, admin_unit=world.unit_b, lon=106.7)
    many = _queries(client, ITEMS)
    assert few == many
    with django_assert_max_num_queries(10):
        r = client.get(ITEMS)
    assert r.json()["numberReturned"] == 43


# --- HTML -----------------------------------------------------------------------------------

def test_html_pages_render(client, published):
    [facility] = facilities_grid(1, name="Nhà máy HTML thử")
    for url in ("/ogcapi/", "/ogcapi/conformance", "/ogcapi/api", "/ogcapi/collections",
                "/ogcapi/collections/facilities", "/ogcapi/collections/facilities/queryables", ITEMS,
                f"{ITEMS}/{facility.pk}"):
        r = client.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
        assert r.status_code == 200 and r["Content-Type"].startswith("text/html"), url
        assert b"<html" in r.content
    assert "Nhà máy HTML thử" in client.get(ITEMS, {"f": "html"}).content.decode()
    assert "Nhà máy HTML thử" in client.get(f"{ITEMS}/{facility.pk}", {"f": "html"}).content.decode()
    assert client.get("/ogcapi/", {"f": "xml"}).status_code == 400
    # HTML carries a per-visitor CSRF token: never shared-cached.
    assert client.get(ITEMS, {"f": "html"})["Cache-Control"] == "private, no-store"


# --- real clients ----------------------------------------------------------------------------

@pytest.mark.slow
def test_gdal_oapif_driver_reads_every_feature(live_server, transactional_db):
    publish()
    facilities_grid(250, step=0.0005)
    out = subprocess.run(
        ["/usr/bin/ogrinfo", "-ro", "-so", "-al", "-oo", "PAGE_SIZE=100",
         f"OAPIF:{live_server.url}/ogcapi/collections/facilities"],
        capture_output=True, text=True, timeout=120, check=True)
    counts = re.findall(r"Feature Count: (\d+)", out.stdout)
    assert counts == ["250"], out.stdout + out.stderr
    # Without -so the driver pages through the items: count what it actually read.
    full = subprocess.run(
        ["/usr/bin/ogrinfo", "-ro", "-al", "-q", "-oo", "PAGE_SIZE=100", "--config", "CPL_DEBUG", "ON",
         f"OAPIF:{live_server.url}/ogcapi/collections/facilities"],
        capture_output=True, text=True, timeout=120, check=True)
    fids = re.findall(r"^OGRFeature\(facilities\):(\d+)", full.stdout, flags=re.M)
    assert len(fids) == 250 and len(set(fids)) == 250
    # The driver followed our next links (three pages of 100).
    fetched = re.findall(r"HTTP: Fetch\((\S*/items\S*)\)", full.stderr)
    assert any("limit=100" in url for url in fetched), full.stderr[-2000:]
    assert sum("next=" in url for url in fetched) == 2, fetched


@pytest.mark.slow
def test_owslib_lists_collections_and_reads_items(live_server, transactional_db):
    from owslib.ogcapi.features import Features

    publish()
    facilities_grid(30)
    api = Features(live_server.url + "/ogcapi/")
    ids = [c["id"] for c in api.collections()["collections"]]
    assert "facilities" in ids
    assert "facilities" in api.feature_collections()
    items = api.collection_items("facilities", limit=12)
    assert items["type"] == "FeatureCollection" and items["numberReturned"] == 12
    assert items["numberMatched"] == 30
    item = api.collection_item("facilities", str(items["features"][0]["id"]))
    assert item["properties"]["name"] == items["features"][0]["properties"]["name"]
    conformance = api.conformance()["conformsTo"]
    assert oc.CORE in conformance
    json.dumps(api.api())  # the OpenAPI document is readable JSON


@pytest.mark.parametrize("slug", ["facilities", "zones", "protected-areas", "degraded-areas", "incidents",
                                  "craft-villages", "waste-facilities", "water-areas"])
def test_every_layer_answers_for_the_department(client, world, slug):
    from layers.tests.factories import ZoneFactory

    ZoneFactory(managing_board=world.ez_board, kind="KCN")
    FacilityFactory()
    client.force_login(world.users["dept_officer"])
    for url in (f"/ogcapi/collections/{slug}", f"/ogcapi/collections/{slug}/items?crs={EPSG}9210",
                f"/ogcapi/collections/{slug}/queryables"):
        r = client.get(url)
        assert r.status_code == 200, url
    doc = client.get(f"/ogcapi/collections/{slug}/items").json()
    assert doc["type"] == "FeatureCollection"
    if slug in ("facilities", "zones"):
        assert doc["numberMatched"] == 1 and "approval_status" in doc["features"][0]["properties"]
