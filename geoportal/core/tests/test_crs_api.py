"""GET /api/v1/crs/transform/: live coordinate conversion for the location widget."""
from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from pyproj import Geod
from rest_framework.throttling import SimpleRateThrottle

from geoportal.core import crs

URL = "/api/v1/crs/transform/"
DINH_VU = (106.7745, 20.8268)
GEOD = Geod(ellps="WGS84")


@pytest.fixture(autouse=True)
def _empty_throttle_history():
    """Throttle counters live in the cache; start and end every test with none."""
    cache.clear()
    yield
    cache.clear()


def metres_between(a, b) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def test_url_name():
    assert reverse("crs-transform") == URL


def test_vn2000_input_is_converted_with_the_datum_shift(db, client, django_assert_num_queries):
    """X = northing, Y = easting in EPSG:9210 → WGS 84; a pure function: no query."""
    ne = crs.wgs84_to_vn2000(*DINH_VU, srid=9210)
    with django_assert_num_queries(0):
        r = client.get(URL, {"srid": 9210, "x": f"{ne.northing:.3f}", "y": f"{ne.easting:.3f}"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert set(body) == {"lon", "lat", "srid", "in_vietnam", "in_hai_phong", "vn2000_9210"}
    assert body["srid"] == 9210
    assert metres_between((body["lon"], body["lat"]), DINH_VU) < 0.01
    assert body["in_hai_phong"] is True and body["in_vietnam"] is True
    assert body["vn2000_9210"]["x"] == pytest.approx(ne.northing, abs=0.002)
    assert body["vn2000_9210"]["y"] == pytest.approx(ne.easting, abs=0.002)
    assert r["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("x,y", [
    ("2 304 118,613", "606 437,535"),     # Vietnamese: spaces group, comma decimal
    ("2.304.118,613", "606.437,535"),     # Vietnamese: dots group
    ("2304118.613", "606437.535"),        # English style
])
def test_vietnamese_number_formats_are_read(db, client, x, y):
    r = client.get(URL, {"srid": "9210", "x": x, "y": y})
    assert r.status_code == 200, r.content
    assert metres_between((r.json()["lon"], r.json()["lat"]), DINH_VU) < 0.05


@pytest.mark.parametrize("srid", [9209, 3405, 32648])
def test_other_projected_systems(db, client, srid):
    ne = crs.wgs84_to_projected(*DINH_VU, srid)
    r = client.get(URL, {"srid": srid, "x": str(ne.northing), "y": str(ne.easting)})
    assert r.status_code == 200, r.content
    assert r.json()["srid"] == srid
    assert metres_between((r.json()["lon"], r.json()["lat"]), DINH_VU) < 0.01


@pytest.mark.parametrize("params", [
    {"lon": "106.7745", "lat": "20.8268"},
    {"lon": "106,7745", "lat": "20,8268", "srid": "4326"},
    {"lon": "106°46'28.2\"E", "lat": "20°49'36.48\"N"},
    {"dms": "20°49'36.48\"N 106°46'28.2\"E"},
    {"dms": "20° 49′ 36,48″ B; 106° 46′ 28,2″ Đ"},
    {"dms": "20.8268, 106.7745"},
])
def test_wgs84_degrees_and_dms(db, client, params):
    r = client.get(URL, params)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["srid"] == 4326
    assert metres_between((body["lon"], body["lat"]), DINH_VU) < 0.5
    expected = crs.wgs84_to_vn2000(body["lon"], body["lat"])
    assert body["vn2000_9210"] == pytest.approx({"x": expected.northing, "y": expected.easting}, abs=0.002)


def test_outside_hai_phong_and_vietnam_are_flagged_not_refused(db, client):
    hanoi = client.get(URL, {"lon": "105.85", "lat": "21.03"}).json()
    assert hanoi["in_vietnam"] is True and hanoi["in_hai_phong"] is False
    bangkok = client.get(URL, {"lon": "100.5", "lat": "13.75"}).json()
    assert bangkok["in_vietnam"] is False and bangkok["in_hai_phong"] is False


@pytest.mark.parametrize("params,field,fragment", [
    ({"srid": 9210, "x": "606437.5", "y": "2304118.6"}, "x", "swapped"),
    ({"srid": 9210, "x": "1304118", "y": "606437"}, "x", "northing"),
    ({"srid": 9210, "x": "2304118", "y": "60643"}, "y", "easting"),
    ({"srid": 9210, "x": "2304118"}, "y", "Y (easting)"),
    ({"srid": 9210, "y": "606437"}, "x", "X (northing)"),
    ({"x": "2304118", "y": "606437"}, "srid", "projected"),
    ({"srid": 4326, "x": "2304118", "y": "606437"}, "srid", "projected"),
    ({"srid": 2154, "x": "2304118", "y": "606437"}, "srid", "valid choice"),
    ({"srid": 9210, "x": "NaN", "y": "606437"}, "x", "not a number"),
    ({"srid": 9210, "x": "1e6", "y": "606437"}, "x", "not a number"),
    ({"lon": "106.7745"}, "lat", "latitude"),
    ({"lon": "206.7", "lat": "20.8"}, "lon", "longitude"),
    ({"lon": "106.7", "lat": "20°61'00\"N"}, "lat", "Minutes"),
    ({"lon": "20°49'36\"N", "lat": "106°46'28\"E"}, "lat", "longitude"),
    ({"lon": "106.7", "lat": "20.8", "srid": 9210}, "srid", "WGS 84"),
    ({"dms": "somewhere near Hai Phong"}, "dms", ""),
    ({"dms": "20°49'36\"N; 21°N"}, "dms", "latitudes"),
    ({"dms": "x" * 200}, "dms", "128"),
    ({}, "non_field_errors", "Give x and y"),
    ({"srid": 9210, "x": "2304118", "y": "606437", "dms": "20 106"}, "non_field_errors", "Give x and y"),
])
def test_bad_input_is_a_400_problem_naming_the_field(db, client, params, field, fragment):
    r = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400, r.content
    assert r["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "validation_error" and body["status"] == 400
    assert field in body["errors"], body
    assert fragment in " ".join(body["errors"][field])


def test_logged_in_users_may_convert_too(world, client):
    client.force_login(world.users["enterprise_user"])
    r = client.get(URL, {"lon": "106.7745", "lat": "20.8268"})
    assert r.status_code == 200


def test_only_get(db, client):
    r = client.post(URL, {"lon": "106.7745", "lat": "20.8268"})
    assert r.status_code == 405


def test_anonymous_requests_are_throttled(db, client, monkeypatch):
    """Over the anonymous rate the answer is a 429 problem body with Retry-After."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "600/minute"})
    codes = [client.get(URL, {"lon": "106.7", "lat": "20.8"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = client.get(URL, {"lon": "106.7", "lat": "20.8"})
    assert r.status_code == 429
    assert r["Content-Type"].startswith("application/problem+json")
    assert r.json()["status"] == 429 and "Retry-After" in r


def test_users_have_their_own_rate(world, client, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/minute", "user": "2/minute"})
    client.force_login(world.users["dept_officer"])
    codes = [client.get(URL, {"lon": "106.7", "lat": "20.8"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
