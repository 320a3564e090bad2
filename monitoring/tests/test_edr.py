"""The EDR API (/edr/): metadata, locations, location and position queries in CoverageJSON,
GeoJSON and CSV, datetime and coords parsing, scope (absence = 404) and the public 30-day
window of a facility's station; the pure CoverageJSON builder and the window resolution."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from rest_framework import serializers

from geoportal.accounts.choices import Role
from layers.choices import ApprovalStatus
from layers.ogcapi.params import Interval
from monitoring import edr
from monitoring.edr import coveragejson as covjson
from monitoring.edr.views import resolve_window
from monitoring.models import StationParameter
from monitoring.services.ingest import ResolvedReading, write_readings
from monitoring.tests.factories import ParameterFactory, StationFactory
from tests.factories import EnterpriseFactory, UserFactory
from tests.layer_factories import FacilityFactory

UTC = dt.UTC


# --- pure parts ---------------------------------------------------------------------------

T = [dt.datetime(2026, 1, 1, h, tzinfo=UTC) for h in range(3)]
PM = covjson.ParameterInfo("PM2.5", {"vi": "Bụi PM2,5", "en": "PM2.5"}, "µg/Nm³")


@pytest.mark.parametrize(("values", "expected"), [
    ([1.0, 2.5, 3.0], [1.0, 2.5, 3.0]),
    ([1.0, None, 3.0], [1.0, None, 3.0]),
    ([float("nan"), float("inf"), 0.0], [None, None, 0.0]),   # JSON has no NaN: no value
])
def test_point_series_ranges_line_up_with_times(values, expected):
    """A PointSeries has axes x, y (one value each) and t; its range has as many values as t."""
    cov = covjson.point_series(covjson.Series("S1", 106.68, 20.86, "PM2.5", T, values), with_common=True,
                               parameters={"PM2.5": PM})
    assert cov["type"] == "Coverage" and cov["domain"]["domainType"] == "PointSeries"
    axes = cov["domain"]["axes"]
    assert axes["x"]["values"] == [106.68] and axes["y"]["values"] == [20.86]
    assert axes["t"]["values"] == ["2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"]
    rng = cov["ranges"]["PM2.5"]
    assert rng["type"] == "NdArray" and rng["axisNames"] == ["t"] and rng["shape"] == [3]
    assert rng["values"] == expected
    assert cov["parameters"]["PM2.5"]["unit"]["symbol"] == "µg/Nm³"
    assert [r["coordinates"] for r in cov["domain"]["referencing"]] == [["x", "y"], ["t"]]


def test_series_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match="3 times, 2 values"):
        covjson.Series("S1", 0, 0, "PM2.5", T, [1.0, 2.0])


def test_iso_time_needs_an_aware_datetime():
    assert covjson.iso_time(dt.datetime(2026, 1, 1, 7, tzinfo=dt.timezone(dt.timedelta(hours=7)))) \
        == "2026-01-01T00:00:00Z"
    with pytest.raises(ValueError):
        covjson.iso_time(dt.datetime(2026, 1, 1))


def test_coverage_collection_states_parameters_once_and_needs_them():
    no2 = covjson.ParameterInfo("NO2", {"vi": "NO2"}, "µg/Nm³")
    series = [covjson.Series("S1", 1, 2, "PM2.5", T[:1], [5.0]), covjson.Series("S1", 1, 2, "NO2", T[:2], [1, 2]),
              covjson.Series("S2", 3, 4, "PM2.5", T, [1, 2, 3])]
    doc = covjson.coverage_collection(series, {"PM2.5": PM, "NO2": no2, "SO2": no2})
    assert doc["type"] == "CoverageCollection" and doc["domainType"] == "PointSeries"
    assert list(doc["parameters"]) == ["PM2.5", "NO2"]  # SO2 has no coverage: not stated
    assert [c["station"] for c in doc["coverages"]] == ["S1", "S1", "S2"]
    with pytest.raises(ValueError, match="NO2"):
        covjson.coverage_collection(series, {"PM2.5": PM})


NOW = dt.datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(("interval", "expected"), [
    (None, (NOW - dt.timedelta(hours=24), NOW)),
    (Interval(dt.datetime(2026, 5, 1, tzinfo=UTC), None), (dt.datetime(2026, 5, 1, tzinfo=UTC), NOW)),
    (Interval(None, dt.datetime(2026, 5, 1, tzinfo=UTC)),
     (dt.datetime(2026, 5, 1, tzinfo=UTC) - edr.MAX_SPAN, dt.datetime(2026, 5, 1, tzinfo=UTC))),
    (Interval(dt.datetime(2025, 6, 1, tzinfo=UTC), dt.datetime(2026, 6, 1, tzinfo=UTC)),
     (dt.datetime(2025, 6, 1, tzinfo=UTC), dt.datetime(2026, 6, 1, tzinfo=UTC))),
    (Interval(T[1], T[1]), (T[1], T[1])),  # an instant
])
def test_resolve_window(interval, expected):
    window = resolve_window(interval, now=NOW)
    assert (window.start, window.end) == expected


@pytest.mark.parametrize("interval", [
    Interval(dt.datetime(2025, 5, 1, tzinfo=UTC), None),   # open end: a year and a month until now
    Interval(dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2026, 1, 1, tzinfo=UTC)),
])
def test_resolve_window_refuses_more_than_a_year(interval):
    with pytest.raises(serializers.ValidationError):
        resolve_window(interval, now=NOW)


# --- the API --------------------------------------------------------------------------------

def _hours_ago(h: float) -> dt.datetime:
    return (timezone.now() - dt.timedelta(hours=h)).replace(microsecond=0)


@pytest.fixture
def net(db):
    """A city station (PM2.5, NO2), a facility station of enterprise A (draft, not published)
    and a published facility station with readings 40 and 2 days old."""
    pm, no2 = ParameterFactory(code="PM2.5"), ParameterFactory(code="NO2")
    cod = ParameterFactory(code="COD_WW")
    city = StationFactory(code="HP-AIR-01", geom="SRID=4326;POINT(106.68 20.86)")
    ent_a = EnterpriseFactory(name="Công ty A")
    fac_a = FacilityFactory(owner_organisation=ent_a)
    draft = StationFactory(code="NT-A", facility=fac_a, kind="wastewater", approval_status=ApprovalStatus.DRAFT,
                           geom="SRID=4326;POINT(106.80 20.90)")
    public_fac = StationFactory(code="NT-P", facility=FacilityFactory(), kind="wastewater",
                                geom="SRID=4326;POINT(106.90 20.70)")
    for station, params in ((city, (pm, no2)), (draft, (cod,)), (public_fac, (cod,))):
        for p in params:
            StationParameter.objects.create(station=station, parameter=p)
    rows = [ResolvedReading(city.pk, pm.pk, _hours_ago(h), 10.0 + h) for h in (1, 2, 3)]
    rows += [ResolvedReading(city.pk, no2.pk, _hours_ago(h), 40.0 + h, status=1 if h == 2 else 0) for h in (1, 2)]
    rows += [ResolvedReading(draft.pk, cod.pk, _hours_ago(1), 90.0)]
    rows += [ResolvedReading(public_fac.pk, cod.pk, _hours_ago(40 * 24), 77.0),
             ResolvedReading(public_fac.pk, cod.pk, _hours_ago(2 * 24), 55.0)]
    write_readings(rows)
    owner = UserFactory(organisation=ent_a, roles=[Role.ENTERPRISE_USER])
    other = UserFactory(organisation=EnterpriseFactory(), roles=[Role.ENTERPRISE_USER])
    return {"city": city, "draft": draft, "public_fac": public_fac, "pm": pm, "no2": no2, "cod": cod,
            "owner": owner, "other": other}


def test_landing_conformance_collections(client, net):
    landing = client.get("/edr/")
    assert landing.status_code == 200
    assert {link["rel"] for link in landing.json()["links"]} >= {"self", "conformance", "data"}
    conf = client.get("/edr/conformance").json()["conformsTo"]
    assert edr.CORE in conf and edr.COVJSON in conf and edr.COLLECTIONS in conf
    cols = client.get("/edr/collections").json()["collections"]
    assert [c["id"] for c in cols] == ["stations"]
    doc = client.get("/edr/collections/stations").json()
    assert set(doc["data_queries"]) == {"position", "locations"}
    assert doc["data_queries"]["position"]["link"]["variables"]["default_output_format"] == "CoverageJSON"
    # the draft station's COD is not published: only what anonymous may see is described
    assert set(doc["parameter_names"]) == {"PM2.5", "NO2", "COD_WW"}
    assert doc["parameter_names"]["PM2.5"]["type"] == "Parameter"
    assert client.get("/edr/collections/nope").status_code == 404
    bad = client.get("/edr/conformance?f=html")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


def test_locations_geojson_is_scoped(client, net, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        r = client.get("/edr/collections/stations/locations")
    assert r.status_code == 200 and r["Content-Type"] == edr.MEDIA_GEOJSON
    doc = r.json()
    assert doc["type"] == "FeatureCollection"
    ids = {f["id"] for f in doc["features"]}
    assert ids == {"HP-AIR-01", "NT-P"}  # the draft station is absent
    city = next(f for f in doc["features"] if f["id"] == "HP-AIR-01")
    assert city["geometry"]["coordinates"] == [106.68, 20.86]
    assert city["properties"]["parameter-name"] == ["NO2", "PM2.5"]
    client.force_login(net["owner"])
    assert "NT-A" in {f["id"] for f in client.get("/edr/collections/stations/locations").json()["features"]}


def test_locations_query_count_does_not_grow_with_stations(client, net, django_assert_max_num_queries):
    for n in range(8):
        s = StationFactory(code=f"EXTRA-{n}")
        StationParameter.objects.create(station=s, parameter=net["pm"])
    with django_assert_max_num_queries(6):
        doc = client.get("/edr/collections/stations/locations").json()
    assert len(doc["features"]) == 10


def test_location_query_coveragejson(client, net):
    r = client.get("/edr/collections/stations/locations/HP-AIR-01", {"parameter-name": "PM2.5,NO2"})
    assert r.status_code == 200 and r["Content-Type"] == edr.MEDIA_COVJSON
    doc = r.json()
    assert doc["type"] == "CoverageCollection" and doc["domainType"] == "PointSeries"
    assert set(doc["parameters"]) == {"PM2.5", "NO2"}
    by_param = {next(iter(c["ranges"])): c for c in doc["coverages"]}
    for code, n in (("PM2.5", 3), ("NO2", 2)):
        cov = by_param[code]
        assert cov["type"] == "Coverage"
        axes = cov["domain"]["axes"]
        assert set(axes) == {"t", "x", "y"}
        assert len(axes["t"]["values"]) == n == len(cov["ranges"][code]["values"]) == cov["ranges"][code]["shape"][0]
    assert by_param["PM2.5"]["ranges"]["PM2.5"]["values"] == [13.0, 12.0, 11.0]  # oldest first
    assert by_param["NO2"]["ranges"]["NO2"]["values"] == [None, 41.0]  # under calibration: no value


def test_location_query_filters_time_and_parameter(client, net):
    start = _hours_ago(2.5).strftime("%Y-%m-%dT%H:%M:%SZ")
    doc = client.get("/edr/collections/stations/locations/HP-AIR-01",
                     {"parameter-name": "PM2.5", "datetime": f"{start}/.."}).json()
    assert len(doc["coverages"]) == 1
    assert doc["coverages"][0]["ranges"]["PM2.5"]["values"] == [12.0, 11.0]
    instant = _hours_ago(1).strftime("%Y-%m-%dT%H:%M:%SZ")
    doc = client.get("/edr/collections/stations/locations/HP-AIR-01",
                     {"parameter-name": "PM2.5", "datetime": instant, "f": "CoverageJSON"}).json()
    assert doc["coverages"][0]["ranges"]["PM2.5"]["values"] == [11.0]


def test_location_query_geojson_and_csv(client, net):
    gj = client.get("/edr/collections/stations/locations/HP-AIR-01", {"parameter-name": "NO2", "f": "GeoJSON"})
    assert gj.status_code == 200 and gj["Content-Type"] == edr.MEDIA_GEOJSON
    feats = gj.json()["features"]
    assert [(f["properties"]["value"], f["properties"]["status"]) for f in feats] == [(42.0, "calibrating"),
                                                                                     (41.0, "measuring")]
    assert feats[0]["geometry"] == {"type": "Point", "coordinates": [106.68, 20.86]}
    r = client.get("/edr/collections/stations/locations/HP-AIR-01", {"f": "CSV"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(r.streaming_content).decode("utf-8"))))
    assert len(rows) == 5
    assert {(row["parameter"], float(row["value"])) for row in rows} == {
        ("NO2", 41.0), ("NO2", 42.0), ("PM2.5", 11.0), ("PM2.5", 12.0), ("PM2.5", 13.0)}
    assert all(row["station"] == "HP-AIR-01" and row["observed_at_utc"].endswith("Z") for row in rows)


def test_position_query_with_a_wkt_point(client, net):
    r = client.get("/edr/collections/stations/position", {"coords": "POINT(106.681 20.861)",
                                                           "parameter-name": "PM2.5"})
    assert r.status_code == 200, r.content
    doc = r.json()
    assert [c["station"] for c in doc["coverages"]] == ["HP-AIR-01"]
    far = client.get("/edr/collections/stations/position", {"coords": "POINT(105.0 21.5)"})
    assert far.status_code == 404 and far.json()["code"] == "not_found"
    # the draft station answers its owner only
    near_draft = {"coords": "POINT(106.80 20.90)", "f": "GeoJSON"}
    assert client.get("/edr/collections/stations/position", near_draft).status_code == 404
    client.force_login(net["owner"])
    mine = client.get("/edr/collections/stations/position", near_draft)
    assert mine.status_code == 200 and mine.json()["features"][0]["properties"]["value"] == 90.0


@pytest.mark.parametrize(("query", "field"), [
    ({"coords": "POINT(106.68)"}, "coords"),
    ({"coords": "LINESTRING(1 2, 3 4)"}, "coords"),
    ({"coords": "POINT(200 20)"}, "coords"),
    ({}, "coords"),
    ({"coords": "POINT(106.68 20.86)", "datetime": "yesterday"}, "datetime"),
    ({"coords": "POINT(106.68 20.86)", "datetime": "2024-01-01T00:00Z/2026-01-01T00:00Z"}, "datetime"),
    ({"coords": "POINT(106.68 20.86)", "datetime": "2026-01-02/2026-01-01"}, "datetime"),
    ({"coords": "POINT(106.68 20.86)", "f": "NetCDF"}, "f"),
    ({"coords": "POINT(106.68 20.86)", "crs": "EPSG:3857"}, "crs"),
    ({"coords": "POINT(106.68 20.86)", "parameter-name": "SO2"}, "parameter-name"),
])
def test_bad_position_parameters_are_400(client, net, query, field):
    r = client.get("/edr/collections/stations/position", query)
    assert r.status_code == 400, r.content
    body = r.json()
    assert r["Content-Type"] == "application/problem+json" and body["code"] == "validation_error"
    assert field in body["errors"]


def test_out_of_scope_location_is_404(client, net):
    url = "/edr/collections/stations/locations/NT-A"
    missing = client.get("/edr/collections/stations/locations/NO-SUCH")
    assert missing.status_code == 404
    assert client.get(url).status_code == 404
    client.force_login(net["other"])
    r = client.get(url)
    assert r.status_code == 404 and r.json()["code"] == missing.json()["code"] == "not_found"
    client.force_login(net["owner"])
    doc = client.get(url).json()
    assert doc["coverages"][0]["ranges"]["COD_WW"]["values"] == [90.0]


def test_facility_data_is_public_for_30_days_only(client, net):
    """Anonymous sees a published facility station's last 30 days (Decree 08/2022); its owner sees everything."""
    since = (timezone.now() - dt.timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    query = {"datetime": f"{since}/..", "f": "GeoJSON"}
    url = "/edr/collections/stations/locations/NT-P"
    public = [f["properties"]["value"] for f in client.get(url, query).json()["features"]]
    assert public == [55.0]
    client.force_login(UserFactory(roles=[Role.DEPT_OFFICER]))
    everything = [f["properties"]["value"] for f in client.get(url, query).json()["features"]]
    assert everything == [77.0, 55.0]


def test_unknown_parameter_at_a_location_is_400(client, net):
    r = client.get("/edr/collections/stations/locations/HP-AIR-01", {"parameter-name": "COD_WW"})
    assert r.status_code == 400 and "parameter-name" in r.json()["errors"]
