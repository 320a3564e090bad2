"""Exports: every format opens with the right features, masking, CSV injection, filters, limits."""
from __future__ import annotations

import csv
import io
import json
import zipfile

import pyogrio
import pytest
from django.contrib.gis.geos import Point
from django.http import StreamingHttpResponse

from layers.choices import ApprovalStatus
from layers.tests.factories import FacilityFactory
from layers.tests.tile_factories import NAME, SENTINEL, owned_facility, publish, zone

pytestmark = pytest.mark.django_db

FORMATS = ("geojson", "gpkg", "shp", "csv", "kml")


@pytest.fixture
def layer(world):
    publish("facilities", ["address", "admin_unit"])
    owned_facility(world)
    FacilityFactory(name="Cơ sở Kiến An thử", geom=Point(106.6, 20.8, srid=4326), address="=HYPERLINK(\"x\")",
                    activity="@SUM(A1)", representative="+cmd|' /C calc'!A0")
    FacilityFactory(name="Cơ sở chưa duyệt", approval_status=ApprovalStatus.DRAFT)
    return world


def body_of(response) -> bytes:
    if isinstance(response, StreamingHttpResponse) or response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def read_features(fmt: str, data: bytes, tmp_path) -> list[dict]:
    """Read an export back: names and all attribute values as text."""
    if fmt == "geojson":
        doc = json.loads(data)
        assert doc["type"] == "FeatureCollection"
        return [{**f["properties"], "_geom": f["geometry"]["type"]} for f in doc["features"]]
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    if fmt == "shp":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            assert {"facilities.shp", "facilities.shx", "facilities.dbf", "facilities.prj", "facilities.cpg",
                    "README.txt"} <= names
            assert archive.read("facilities.cpg").strip() == b"UTF-8"
            archive.extractall(tmp_path)
        path = tmp_path / "facilities.shp"
    else:
        path = tmp_path / f"export.{fmt}"
        path.write_bytes(data)
    df = pyogrio.read_dataframe(path)
    return [{k: v for k, v in row.items() if k != "geometry"} for row in df.to_dict("records")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_public_export_opens_with_published_rows_and_no_private_values(client, layer, fmt, tmp_path):
    r = client.get(f"/exports/facilities.{fmt}")
    assert r.status_code == 200, r.content[:300]
    assert r["Content-Disposition"].startswith("attachment")
    data = body_of(r)
    features = read_features(fmt, data, tmp_path)
    names = sorted(str(f.get("name") or f.get("Name")) for f in features)
    assert names == ["Cơ sở Kiến An thử", NAME]
    assert SENTINEL.encode() not in data
    assert b"calc" not in data  # the other private value
    assert "Bản nháp" not in data.decode("utf-8", "replace")


@pytest.mark.parametrize("fmt", FORMATS)
def test_owner_export_carries_the_private_field(client, layer, fmt, tmp_path):
    client.force_login(layer.users["enterprise_user"])
    r = client.get(f"/exports/facilities.{fmt}")
    assert r.status_code == 200
    features = read_features(fmt, body_of(r), tmp_path)
    assert len(features) == 2
    reps = {str(v) for f in features for k, v in f.items() if k.lower().startswith("represent")}
    assert SENTINEL in reps


def test_geojson_is_streamed_rfc7946(client, layer):
    r = client.get("/exports/facilities.geojson")
    assert isinstance(r, StreamingHttpResponse)
    assert r["Content-Type"] == "application/geo+json"
    doc = json.loads(body_of(r))
    assert "crs" not in doc
    feature = next(f for f in doc["features"] if f["properties"]["name"] == NAME)
    assert feature["geometry"] == {"type": "Point", "coordinates": [106.2, 21.1]}
    assert feature["properties"]["admin_unit"] == "Đình Vũ thử"
    assert feature["properties"]["address"] == "Số 1 đường Thử"
    assert feature["id"] == feature["properties"]["id"]


def test_polygon_geojson_and_csv_point_on_surface(client, world):
    publish("zones", [])
    zone(name="KCN Nam Đình Vũ thử")
    doc = json.loads(body_of(client.get("/exports/zones.geojson")))
    assert doc["features"][0]["geometry"]["type"] == "MultiPolygon"
    rows = list(csv.DictReader(io.StringIO(body_of(client.get("/exports/zones.csv")).decode("utf-8-sig"))))
    assert rows[0]["wkt"].startswith("MULTIPOLYGON")
    assert 106.15 < float(rows[0]["lon"]) < 106.17 and 21.0 < float(rows[0]["lat"]) < 21.02


def test_csv_injection_is_neutralised(client, layer):
    client.force_login(layer.users["dept_officer"])  # sees every field
    text = body_of(client.get("/exports/facilities.csv")).decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["name"] == "Cơ sở Kiến An thử")
    assert row["address"] == "'=HYPERLINK(\"x\")"
    assert row["activity"] == "'@SUM(A1)"
    assert row["representative"] == "'+cmd|' /C calc'!A0"
    assert float(row["lon"]) == pytest.approx(106.6)  # numbers are left alone


def test_bbox_admin_unit_and_search_filters(client, layer):
    def names(query):
        doc = json.loads(body_of(client.get(f"/exports/facilities.geojson?{query}")))
        return sorted(f["properties"]["name"] for f in doc["features"])

    assert names("bbox=106.5,20.7,106.7,20.9") == ["Cơ sở Kiến An thử"]
    assert names("q=cat hai") == [NAME]
    assert names(f"admin_unit={layer.unit_a.pk}") == [NAME]
    assert names("q=khong co") == []


@pytest.mark.parametrize("query,field", [("bbox=1,2,3", "bbox"), ("bbox=10,0,5,1", "bbox"),
                                         ("admin_unit=abc", "admin_unit"), ("q=" + "x" * 201, "q")])
def test_bad_filters_are_400_naming_the_field(client, layer, query, field):
    r = client.get(f"/exports/facilities.csv?{query}")
    assert r.status_code == 400
    assert field in r.json()["errors"]


def test_unknown_format_is_400(client, layer):
    r = client.get("/exports/facilities.xlsx")
    assert r.status_code == 400
    assert "format" in r.json()["errors"]


def test_unpublished_layer_is_404_for_anonymous_but_not_for_its_owner(client, world):
    publish("facilities", [], public=False)
    owned_facility(world)
    for fmt in FORMATS:
        assert client.get(f"/exports/facilities.{fmt}").status_code == 404
    assert client.get("/exports/nope.geojson").status_code == 404
    client.force_login(world.users["enterprise_user"])
    doc = json.loads(body_of(client.get("/exports/facilities.geojson")))
    assert [f["properties"]["representative"] for f in doc["features"]] == [SENTINEL]


def test_too_many_rows_is_413(client, layer, settings):
    settings.EXPORT_MAX_ROWS = 1
    r = client.get("/exports/facilities.gpkg")
    assert r.status_code == 413
    assert "bbox" in r.json()["detail"]
    assert client.get("/exports/facilities.gpkg?q=cat hai").status_code == 200


def test_geojson_export_query_count(client, layer, django_assert_max_num_queries):
    client.get("/exports/facilities.geojson")
    with django_assert_max_num_queries(3):  # the row cap and the streamed rows
        b"".join(client.get("/exports/facilities.geojson").streaming_content)


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_streaming_across_chunks(client, layer, monkeypatch, fmt):
    from layers.exports import views

    monkeypatch.setattr(views, "CHUNK", 1)
    for i in range(3):
        FacilityFactory(name=f"Cơ sở lô {i}")
    data = body_of(client.get(f"/exports/facilities.{fmt}"))
    if fmt == "geojson":
        assert len(json.loads(data)["features"]) == 5
    else:
        assert len(list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))) == 5


def test_shapefile_field_names_are_short_and_unique():
    from layers.exports.views import shapefile_names

    mapping = shapefile_names(["representative", "representation", "representativeness", "id"])
    assert all(len(v) <= 10 for v in mapping.values())
    assert len({v.lower() for v in mapping.values()}) == 4
    assert mapping["id"] == "id"


def test_kml_escapes_markup(client, world, tmp_path):
    import xml.etree.ElementTree as ET

    publish("facilities", ["address"])
    FacilityFactory(name="A <b>&</b> \"B\"", address="<script>x</script>")
    data = body_of(client.get("/exports/facilities.kml"))
    root = ET.fromstring(data)  # well-formed XML
    texts = [el.text for el in root.iter() if el.text]
    assert "A <b>&</b> \"B\"" in texts
    assert "<script>x</script>" in texts
    assert b"<script>" not in data


@pytest.mark.parametrize("fmt", FORMATS)
def test_signed_in_outsider_gets_published_rows_masked(client, layer, fmt, tmp_path):
    """Enterprise B has a private scope in the layer (its own facilities), not over A's."""
    client.force_login(layer.users["enterprise_b_user"])
    r = client.get(f"/exports/facilities.{fmt}")
    data = body_of(r)
    assert len(read_features(fmt, data, tmp_path)) == 2
    assert SENTINEL.encode() not in data
    assert b"calc" not in data
