"""The exchange API: grants limit fields in every output, scope limits rows, and denial is absence."""
from __future__ import annotations

import csv
import io

import pytest

from exchange.schema import COLLECTIONS
from exchange.tests.conftest import make_token

pytestmark = [pytest.mark.django_db, pytest.mark.urls("exchange.tests.urls")]

LIST = "/api/v1/exchange/"
JSON_ENVELOPE = {"count", "next", "previous", "results"}
GEOJSON_ENVELOPE = {"type", "numberMatched", "numberReturned", "links", "features"}
GEOJSON_STRUCTURE = GEOJSON_ENVELOPE | {"geometry", "properties", "rel", "href"}

# One granted field per collection: "name" where the collection has one (the example).
SINGLE = {key: ("name" if "name" in c.fields else c.fields[1]) for key, c in COLLECTIONS.items()}


def items(key: str) -> str:
    return f"{LIST}{key}/"


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def all_keys(value) -> set[str]:
    """Every object key anywhere in a JSON document."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in all_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in all_keys(v)}
    return set()


def csv_table(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("key", list(COLLECTIONS))
def test_connection_token_never_sees_a_field_outside_its_grant(city, client, key):
    """A connection token granted one field of a collection gets that field and nothing else, in
    JSON, GeoJSON and CSV; the city's approved rows all come back (so the test has data)."""
    field = SINGLE[key]
    raw = make_token(city.world.users["connection"], {key: [field]})
    expected_rows = {"facilities": 2, "zones": 1, "permits": 2, "discharge_streams": 1, "reports": 2,
                     "stations": 2, "monitoring_daily": 3, "exceedances": 1}[key]
    outputs = ["json", "csv"] + (["geojson"] if COLLECTIONS[key].geometry else [])
    for fmt in outputs:
        r = client.get(items(key), {"format": fmt}, **bearer(raw))
        assert r.status_code == 200, (fmt, r.content)
        if fmt == "csv":
            table = csv_table(r)
            assert table[0] == [field]
            assert len(table) == 1 + expected_rows and all(len(row) == 1 for row in table)
            assert r["X-Total-Count"] == str(expected_rows)
            continue
        body = r.json()
        if fmt == "json":
            assert set(body) == JSON_ENVELOPE
            assert body["count"] == len(body["results"]) == expected_rows
            assert all(set(record) == {field} for record in body["results"])
            assert all_keys(body["results"]) == {field}
        else:
            assert set(body) == GEOJSON_ENVELOPE
            assert len(body["features"]) == expected_rows
            for feature in body["features"]:
                assert set(feature) == {"type", "geometry", "properties"}
                assert set(feature["properties"]) == {field}
                assert feature["geometry"] is None  # geometry was not granted
            assert all_keys(body) <= GEOJSON_STRUCTURE | {field}


def test_name_only_grant_over_facilities_walks_clean(city, client):
    """The issue's case: ["name"] only; the values are the approved facilities' names."""
    raw = make_token(city.world.users["connection"], {"facilities": ["name"]})
    body = client.get(items("facilities"), **bearer(raw)).json()
    assert all_keys(body) <= GEOJSON_STRUCTURE | {"name"}
    assert sorted(f["properties"]["name"] for f in body["features"]) == ["Nhà máy A", "Nhà máy B"]
    body = client.get(items("facilities"), {"format": "json"}, **bearer(raw)).json()
    assert body["results"] == [{"name": "Nhà máy A"}, {"name": "Nhà máy B"}]


def test_ungranted_collection_is_absent(city, client):
    raw = make_token(city.world.users["connection"], {"facilities": ["name", "geometry"]})
    listing = client.get(LIST, **bearer(raw))
    assert listing.status_code == 200
    assert [(c["key"], c["fields"]) for c in listing.json()["collections"]] == [("facilities", ["name", "geometry"])]
    for key in COLLECTIONS:
        if key != "facilities":
            r = client.get(items(key), **bearer(raw))
            assert r.status_code == 404 and r.json()["code"] == "not_found"
    # indistinguishable from a collection that does not exist
    assert client.get(items("nonexistent"), **bearer(raw)).json()["code"] == "not_found"
    body = client.get(items("facilities"), **bearer(raw)).json()
    assert {f["geometry"]["type"] for f in body["features"]} == {"Point"}
    assert body["features"][0]["geometry"]["coordinates"] == [106.7, 20.86]


def test_connection_account_without_token_or_grants_reads_nothing(city, client):
    user = city.world.users["connection"]
    client.force_login(user)
    assert client.get(LIST).json()["collections"] == []
    assert client.get(items("facilities")).status_code == 404
    client.logout()
    raw = make_token(user, None)  # a token with no grants: an agreement that grants nothing
    assert client.get(LIST, **bearer(raw)).json()["collections"] == []
    assert client.get(items("facilities"), **bearer(raw)).status_code == 404


def test_anonymous_is_401(city, client):
    assert client.get(LIST).status_code == 401
    assert client.get(items("facilities")).status_code == 401
    assert client.get(items("facilities"), **bearer("hpg_wrong")).status_code == 401


def test_department_officer_reads_every_field_of_approved_data(city, client):
    client.force_login(city.world.users["dept_officer"])
    listing = client.get(LIST).json()["collections"]
    assert [c["key"] for c in listing] == list(COLLECTIONS)
    assert all(c["fields"] == list(COLLECTIONS[c["key"]].fields) for c in listing)
    body = client.get(items("facilities")).json()
    assert [f["properties"]["name"] for f in body["features"]] == ["Nhà máy A", "Nhà máy B"]  # no draft
    props = body["features"][0]["properties"]
    assert list(props) == [f for f in COLLECTIONS["facilities"].fields if f != "geometry"]
    assert props["tax_code"] == "0200000001" and props["zone_code"] == "KCN-T"
    assert props["commune"] == city.world.unit_a.name and props["owner"] == "Công ty A"

    reports = client.get(items("reports")).json()["results"]
    assert {r["id"] for r in reports} == {city.report_a.pk, city.report_b.pk}  # accepted only
    report_a = next(r for r in reports if r["id"] == city.report_a.pk)
    assert report_a["tables"]["hazardous_waste"][0]["quantity_kg"] == "120.5"
    assert report_a["form_code"] == "05.A" and report_a["year"] == 2025 and report_a["status"] == "accepted"

    permits = {p["number"]: p for p in client.get(items("permits")).json()["results"]}
    assert set(permits) == {"12/GPMT-UBND", "13/GPMT-UBND"}
    assert permits["12/GPMT-UBND"]["expires_on"] == "2031-02-28"  # signed 2024-03-01 + 7 years - 1 day
    assert permits["13/GPMT-UBND"]["expires_on"] == "2033-05-01"
    assert permits["12/GPMT-UBND"]["hazardous_waste_kg_year"] == 1200.5

    stations = client.get(items("stations")).json()["features"]
    assert [s["properties"]["code"] for s in stations] == ["ST-A", "ST-B"]
    assert stations[0]["properties"]["parameters"] == ["PM2_5"]


def test_daily_aggregates_are_local_days_of_valid_readings(city, client):
    client.force_login(city.world.users["dept_officer"])
    rows = client.get(items("monitoring_daily")).json()["results"]
    got = [(r["station_code"], r["day"], r["mean"], r["min"], r["max"], r["count"]) for r in rows]
    # 00:30 on 1 June in Vietnam is 31 May in UTC: the day is the local one; the error value is out.
    assert got == [("ST-A", "2025-06-01", 15.0, 10.0, 20.0, 2), ("ST-A", "2025-06-02", 30.0, 30.0, 30.0, 1),
                   ("ST-B", "2025-06-01", 5.0, 5.0, 5.0, 1)]


@pytest.mark.parametrize("role,expected", [
    ("commune_officer", {"facilities": ["Nhà máy A"], "stations": ["ST-A"], "reports": 1, "daily": {"ST-A"}}),
    ("ez_officer", {"facilities": ["Nhà máy A"], "stations": ["ST-A"], "reports": 1, "daily": {"ST-A"}}),
    ("dept_admin", {"facilities": ["Nhà máy A", "Nhà máy B"], "stations": ["ST-A", "ST-B"], "reports": 2,
                    "daily": {"ST-A", "ST-B"}}),
])
def test_officers_read_their_scope(city, client, role, expected):
    client.force_login(city.world.users[role])
    names = [f["properties"]["name"] for f in client.get(items("facilities")).json()["features"]]
    assert names == expected["facilities"]
    codes = [f["properties"]["code"] for f in client.get(items("stations")).json()["features"]]
    assert codes == expected["stations"]
    assert client.get(items("reports")).json()["count"] == expected["reports"]
    daily = {r["station_code"] for r in client.get(items("monitoring_daily")).json()["results"]}
    assert daily == expected["daily"]


def test_enterprise_user_reads_nothing(city, client):
    client.force_login(city.world.users["enterprise_user"])
    assert client.get(LIST).json()["collections"] == []
    assert client.get(items("facilities")).status_code == 404


def test_officer_token_is_limited_by_its_grants(city, client):
    raw = make_token(city.world.users["commune_officer"], {"facilities": ["name", "tax_code"]})
    body = client.get(items("facilities"), {"format": "json"}, **bearer(raw)).json()
    assert body["results"] == [{"name": "Nhà máy A", "tax_code": "0200000001"}]
    assert client.get(items("permits"), **bearer(raw)).status_code == 404


def test_updated_since_and_pagination(city, client):
    client.force_login(city.world.users["dept_officer"])
    assert client.get(items("facilities"), {"updated_since": "2000-01-01"}).json()["numberMatched"] == 2
    assert client.get(items("facilities"), {"updated_since": "2999-01-01T00:00:00+07:00"}).json()["numberMatched"] == 0
    assert client.get(items("monitoring_daily"), {"updated_since": "2025-06-02T00:00:00+07:00"}).json()["count"] == 1
    page1 = client.get(items("facilities"), {"page_size": 1}).json()
    assert page1["numberReturned"] == 1 and [link["rel"] for link in page1["links"]] == ["next"]
    page2 = client.get(page1["links"][0]["href"]).json()
    assert page2["features"][0]["properties"]["name"] == "Nhà máy B"
    assert [link["rel"] for link in page2["links"]] == ["prev"]


@pytest.mark.parametrize("query", [{"updated_since": "yesterday"}, {"page": "0"}, {"format": "xml"}])
def test_bad_query_is_a_400_problem(city, client, query):
    client.force_login(city.world.users["dept_officer"])
    r = client.get(items("facilities"), query)
    assert r.status_code == 400
    assert r.json()["code"] == "validation_error" and set(r.json()["errors"]) == set(query)


def test_geojson_of_a_collection_without_geometry_is_404(city, client):
    client.force_login(city.world.users["dept_officer"])
    assert client.get(items("permits"), {"format": "geojson"}).status_code == 404


def test_csv_renders_geometry_as_wkt_and_json_as_text(city, client):
    client.force_login(city.world.users["dept_officer"])
    table = csv_table(client.get(items("facilities"), {"format": "csv"}))
    header = table[0]
    assert header == list(COLLECTIONS["facilities"].fields)
    assert table[1][header.index("geometry")] == "POINT(106.7 20.86)"
    assert table[1][header.index("name")] == "Nhà máy A"
    reports = csv_table(client.get(items("reports"), {"format": "csv"}))
    row = next(r for r in reports[1:] if r[0] == str(city.report_a.pk))
    assert '"quantity_kg": "120.5"' in row[reports[0].index("tables")]


@pytest.mark.parametrize("key", ["facilities", "reports", "monitoring_daily"])
def test_list_endpoint_query_count_is_bounded(city, client, django_assert_max_num_queries, key):
    raw = make_token(city.world.users["connection"], {key: "*"})
    with django_assert_max_num_queries(8):
        r = client.get(items(key), **bearer(raw))
    assert r.status_code == 200
    client.force_login(city.world.users["commune_officer"])
    with django_assert_max_num_queries(8):
        assert client.get(items(key)).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200
