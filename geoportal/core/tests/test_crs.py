"""geoportal.core.crs: conversions, axis-order guard, DMS and Vietnamese numbers (no DB)."""
from __future__ import annotations

import math
from decimal import Decimal

import pytest
from django.utils import translation
from pyproj import Geod, Transformer

from geoportal.core import crs

DINH_VU = (106.7745, 20.8268)  # lon, lat: Đình Vũ industrial zone (DOMAIN.md section 5)
GEOD = Geod(ellps="WGS84")


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in metres between two (lon, lat) points."""
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


# --- conversions ---------------------------------------------------------------------------
def test_dinh_vu_matches_pyproj_and_round_trips_under_a_centimetre():
    """The Đình Vũ point in EPSG:9210 equals pyproj's own 4326→9210 result and comes back
    within 1 cm."""
    ne = crs.wgs84_to_vn2000(*DINH_VU, srid=9210)
    easting, northing = Transformer.from_crs(4326, 9210, always_xy=True).transform(*DINH_VU)
    assert ne.northing == pytest.approx(northing, abs=0.001)
    assert ne.easting == pytest.approx(easting, abs=0.001)
    # the value DOMAIN.md quotes for a permit: X = 2 304 118, Y = 606 437
    assert round(ne.northing) == 2_304_119 and round(ne.easting) == 606_438
    back = crs.vn2000_to_wgs84(ne.northing, ne.easting, 9210)
    assert metres_between(back, DINH_VU) < 0.01


def test_datum_shift_is_applied():
    """Without the VN-2000 → WGS 84 datum shift the point would be ~220 m off; ours is not."""
    ne = crs.wgs84_to_vn2000(*DINH_VU, srid=9210)
    # Same projection on the VN-2000 datum with no shift: feed WGS 84 degrees as VN-2000 ones.
    e_no_shift, n_no_shift = Transformer.from_crs(4756, 9210, always_xy=True).transform(*DINH_VU)
    offset = math.hypot(ne.easting - e_no_shift, ne.northing - n_no_shift)
    assert offset > 100
    assert 150 < abs(ne.easting - e_no_shift) < 250   # ≈ 196 m east (DOMAIN.md)
    assert 80 < abs(ne.northing - n_no_shift) < 140   # ≈ 109 m north


@pytest.mark.parametrize("from_srid,to_srid", [(4326, 9210), (9210, 4326), (4326, 9209),
                                               (9209, 4326), (4326, 3405), (3405, 4326)])
def test_vn2000_transformers_are_pinned_to_epsg_6960(from_srid, to_srid):
    """Every VN-2000 ↔ WGS 84 transformer uses EPSG:6960, never 5194 (Mekong delta)."""
    transformer = crs.get_transformer(from_srid, to_srid)
    assert "VN-2000 to WGS 84 (2)" in transformer.description
    codes = crs.datum_operation_codes(from_srid, to_srid)
    assert crs.VN2000_TO_WGS84_OPERATION in codes and 5194 not in codes


def test_transformers_are_cached():
    assert crs.get_transformer(4326, 9210) is crs.get_transformer(4326, 9210)


@pytest.mark.parametrize("srid,lon,lat", [
    (9210, 106.7745, 20.8268),   # Đình Vũ, Hai Phong TM-3
    (9209, 106.3300, 20.9400),   # Hải Dương (former province), TM-3 105°30′
    (3405, 106.6800, 20.8600),   # VN-2000 UTM 48N
    (32648, 106.6800, 20.8600),  # WGS 84 UTM 48N
    (9210, 107.7230, 20.1330),   # Bạch Long Vĩ special zone
])
def test_projected_round_trip(srid, lon, lat):
    """WGS 84 → projected → WGS 84 stays within 1 cm for every supported projected CRS."""
    ne = crs.wgs84_to_projected(lon, lat, srid)
    back = crs.projected_to_wgs84(northing=ne.northing, easting=ne.easting, srid=srid)
    assert metres_between(back, (lon, lat)) < 0.01


def test_utm_wgs84_has_no_datum_shift_and_matches_pyproj():
    easting, northing = Transformer.from_crs(4326, 32648, always_xy=True).transform(106.68, 20.86)
    ne = crs.wgs84_to_projected(106.68, 20.86, 32648)
    assert (ne.northing, ne.easting) == pytest.approx((northing, easting), abs=0.001)


def test_to_and_from_wgs84_use_gis_order():
    """to_wgs84/from_wgs84 take (easting, northing) like pyproj's always_xy."""
    x, y = crs.from_wgs84(*DINH_VU, 9210)
    assert x < 1_000_000 < y  # x is the easting
    lon, lat = crs.to_wgs84(x, y, 9210)
    assert metres_between((lon, lat), DINH_VU) < 0.01
    assert crs.to_wgs84(106.5, 20.5, 4326) == (106.5, 20.5)


@pytest.mark.parametrize("northing,easting,message", [
    (606_437.5, 2_304_118.6, "swapped"),        # X and Y exchanged
    (1_304_118.0, 606_437.0, "X (northing)"),   # northing far south of Hai Phong
    (2_304_118.0, 1_606_437.0, "Y (easting)"),  # easting beyond any TM-3 zone
    (2_304_118.0, 60_643.0, "Y (easting)"),     # a digit lost
])
def test_implausible_or_swapped_axes_raise(northing, easting, message):
    with translation.override("en"), pytest.raises(crs.CoordinateError, match=message.replace("(", r"\(")
                                                   .replace(")", r"\)")):
        crs.vn2000_to_wgs84(northing, easting, 9210)


@pytest.mark.parametrize("call", [
    lambda: crs.vn2000_to_wgs84(2_304_118, 606_437, 4326),       # not VN-2000
    lambda: crs.vn2000_to_wgs84(2_304_118, 606_437, 32648),      # WGS 84 UTM, not VN-2000
    lambda: crs.projected_to_wgs84(northing=2_304_118, easting=606_437, srid=4326),
    lambda: crs.wgs84_to_projected(106.7, 20.8, 4756),
    lambda: crs.to_wgs84(float("nan"), 20.0, 4326),
    lambda: crs.to_wgs84(106.0, 95.0, 4326),
    lambda: crs.from_wgs84(200.0, 20.0, 9210),
    lambda: crs.input_crs("2154"),
])
def test_bad_conversion_requests_raise_coordinate_error(call):
    with pytest.raises(crs.CoordinateError):
        call()


def test_lat_lon_swap_is_named():
    with translation.override("en"), pytest.raises(crs.CoordinateError, match="swapped"):
        crs.to_wgs84(20.8268, 106.7745, 4326)


@pytest.mark.parametrize("lon,lat,vietnam,hai_phong", [
    (106.7745, 20.8268, True, True),    # Đình Vũ
    (107.7230, 20.1330, True, True),    # Bạch Long Vĩ
    (106.3300, 20.9400, True, True),    # Hải Dương (merged into Hai Phong)
    (105.8500, 21.0300, True, False),   # Hà Nội
    (106.7000, 10.7800, True, False),   # Ho Chi Minh City
    (100.5000, 13.7500, False, False),  # Bangkok
    (20.8268, 106.7745, False, False),  # swapped
])
def test_bounds(lon, lat, vietnam, hai_phong):
    assert crs.in_vietnam(lon, lat) is vietnam
    assert crs.in_hai_phong(lon, lat) is hai_phong


def test_supported_input_crs_have_both_labels():
    keys = [c.key for c in crs.SUPPORTED_INPUT_CRS]
    assert {c.srid for c in crs.SUPPORTED_INPUT_CRS} == {4326, 9210, 9209, 3405, 32648}
    assert len(keys) == len(set(keys)) == 6
    for c in crs.SUPPORTED_INPUT_CRS:
        assert f"EPSG:{c.srid}" in c.label_vi and f"EPSG:{c.srid}" in c.label_en
    with translation.override("en"):
        assert crs.input_crs("9210").label.startswith("VN-2000 / Hai Phong")
    with translation.override("vi"):
        assert "Hải Phòng" in crs.input_crs(9210).label
    assert crs.input_crs("4326-dms").kind == "dms"


# --- degrees, minutes, seconds -------------------------------------------------------------
DMS_DV_LAT = 20 + 49 / 60 + 36.5 / 3600
DMS_DV_LON = 106 + 46 / 60 + 28.2 / 3600


@pytest.mark.parametrize("text,expected,axis", [
    ("20°49'36.5\"N", DMS_DV_LAT, "lat"),
    ("20° 49′ 36.5″ B", DMS_DV_LAT, "lat"),          # Vietnamese B = Bắc
    ("20°49’36,5”B", DMS_DV_LAT, "lat"),              # typographic quotes, decimal comma
    ("N 20 49 36.5", DMS_DV_LAT, "lat"),              # hemisphere first
    ("106 46 28.2 E", DMS_DV_LON, "lon"),
    ("106°46'28.2\"Đ", DMS_DV_LON, "lon"),            # Đ = Đông
    ("106°46'28.2\" đông", DMS_DV_LON, "lon"),
    ("106º46'28.2''E", DMS_DV_LON, "lon"),            # º and two primes
    ("20°49.6'N", 20 + 49.6 / 60, "lat"),             # degrees and decimal minutes
    ("-20.5", -20.5, None),
    ("20,8268", 20.8268, None),
    ("10°30'S", -10.5, "lat"),
    ("10°30' Nam", -10.5, "lat"),                     # the word Nam is south
    ("106°W", -106.0, "lon"),
    ("106 T", -106.0, "lon"),                         # T = Tây
    ("20 N", 20.0, "lat"),                            # N alone is North (documented rule)
    ("0", 0.0, None),
])
def test_parse_dms(text, expected, axis):
    value, named_axis = crs.parse_dms_ex(text)
    assert value == pytest.approx(expected, abs=1e-9)
    assert named_axis == axis
    assert crs.parse_dms(text) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("text,fragment", [
    ("", "Enter a coordinate"),
    ("   ", "Enter a coordinate"),
    ("20°60'00\"N", "Minutes"),
    ("20°49'60\"N", "Seconds"),
    ("20°49'75.2\"N", "Seconds"),
    ("91°N", "latitude"),
    ("181 E", "longitude"),
    ("-20.5 S", "minus sign"),
    ("20.5°30'", "last part"),
    ("20°36.5\"", "degrees, then minutes"),
    ("49'20°", "degrees, then minutes"),
    ("20 49 36 12", "Too many"),
    ("20°49'36.5\"X", "hemisphere"),
    ("abc", "hemisphere"),
    ("N 20°49'36.5\" E", "only once"),
    ("20°49'36.5\"N E", "not a coordinate"),
    ("20 x 49", "not a coordinate"),
])
def test_parse_dms_errors(text, fragment):
    with translation.override("en"), pytest.raises(crs.CoordinateError, match=fragment):
        crs.parse_dms(text)


def test_parse_dms_axis_must_match_the_hemisphere():
    with translation.override("en"), pytest.raises(crs.CoordinateError, match="longitude"):
        crs.parse_dms("106°46'28.2\"E", axis="lat")
    with pytest.raises(crs.CoordinateError):
        crs.parse_dms("95", axis="lat")
    assert crs.parse_dms("95", axis="lon") == 95


@pytest.mark.parametrize("text", [
    "20°49'36.5\"N 106°46'28.2\"E",
    "106°46'28.2\"E 20°49'36.5\"N",              # order given by the letters
    "20°49'36.5\"N, 106°46'28.2\"E",
    "20° 49′ 36,5″ B; 106° 46′ 28,2″ Đ",
    "N 20 49 36.5 E 106 46 28.2",
    "20 49 36.5 106 46 28.2",                     # no letters: latitude first
    "20°49'36.5\" 106°46'28.2\"",
])
def test_parse_coordinate_pair_dms(text):
    lon, lat = crs.parse_coordinate_pair(text)
    assert lat == pytest.approx(DMS_DV_LAT, abs=1e-9)
    assert lon == pytest.approx(DMS_DV_LON, abs=1e-9)


@pytest.mark.parametrize("text,lon,lat", [
    ("20.8268, 106.7745", 106.7745, 20.8268),
    ("20.8268,106.7745", 106.7745, 20.8268),
    ("20,8268 106,7745", 106.7745, 20.8268),      # Vietnamese decimal commas
    ("20,8268; 106,7745", 106.7745, 20.8268),
    ("106.7745 20.8268", 106.7745, 20.8268),      # first value > 90: a longitude
])
def test_parse_coordinate_pair_decimal(text, lon, lat):
    assert crs.parse_coordinate_pair(text) == pytest.approx((lon, lat))


@pytest.mark.parametrize("text", [
    "", "20.8268", "20.8268 N 106.7745", "20°N; 21°N", "20 49 36.5 106 46",
    "95.0, 100.0",  # both beyond a latitude's range
])
def test_parse_coordinate_pair_errors(text):
    with pytest.raises(crs.CoordinateError):
        crs.parse_coordinate_pair(text)


# --- Vietnamese numbers ----------------------------------------------------------------------
@pytest.mark.parametrize("text,value,ambiguous", [
    ("1.949", Decimal("1949"), True),               # dot + 3 digits: thousands (Vietnamese)
    ("3074,5", Decimal("3074.5"), False),
    ("1.234.567,89", Decimal("1234567.89"), False),
    ("2 304 118,25", Decimal("2304118.25"), False),
    ("2\u00a0304\u00a0118,25", Decimal("2304118.25"), False),  # no-break spaces
    ("12.5", Decimal("12.5"), False),               # dot + 1 digit: a decimal point
    ("20.8268", Decimal("20.8268"), False),         # dot + 4 digits: a decimal point
    ("0.949", Decimal("0.949"), False),             # "0" cannot head a thousands group
    ("1 234.567", Decimal("1234.567"), False),      # spaces group, so the dot is decimal
    ("1,949", Decimal("1.949"), True),              # comma + 3 digits: decimal, but English reads 1949
    ("1,234,567", Decimal("1234567"), False),
    ("1,234.5", Decimal("1234.5"), False),
    ("606437.535", Decimal("606437.535"), False),   # 6 digits before the dot: decimal
    ("-1.000", Decimal("-1000"), True),
    ("−12,5", Decimal("-12.5"), False),             # Unicode minus
    ("+7", Decimal("7"), False),
    ("  42  ", Decimal("42"), False),
])
def test_parse_vn_number(text, value, ambiguous):
    assert crs.parse_vn_number_ex(text) == (value, ambiguous)
    assert crs.parse_vn_number(text) == value


@pytest.mark.parametrize("text", [
    "", "   ", "NaN", "nan", "Infinity", "-inf", "1e5", "1.2.3", "12 34", "1,2,3",
    "1.234,5.6", "1.234.56", "1,", "1.", ",5", "abc", "12a", "1 2345",
])
def test_parse_vn_number_rejects(text):
    with pytest.raises(ValueError):
        crs.parse_vn_number(text)


def test_parse_metres_reads_vietnamese_numbers_and_names_the_field():
    assert crs.parse_metres("2 304 118,61", field="northing") == pytest.approx(2304118.61)
    assert crs.parse_metres("606.437", field="easting") == 606437
    with pytest.raises(crs.CoordinateError) as info:
        crs.parse_metres("NaN", field="easting")
    assert info.value.field == "easting"
