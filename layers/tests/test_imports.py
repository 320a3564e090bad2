"""The feature importer: formats, Vietnamese numbers, matching, PostGIS repair, the
all-or-nothing rule, upload safety (size, type, zip bombs, XML), the upload pages and
their permissions, and the management command."""
from __future__ import annotations

import io
import json
import struct
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from geoportal.audit.models import AuditEvent
from geoportal.core.crs import wgs84_to_vn2000
from geoportal.organisations.choices import UnitKind
from layers.choices import ApprovalStatus, WasteFacilityKind
from layers.imports import readers
from layers.imports.columns import resolve_columns
from layers.imports.features import features_import
from layers.imports.parsing import CellError, format_vn_number, parse_date, parse_number
from layers.imports.readers import ImportOptions
from layers.imports.report import ImportRefused
from layers.models import CraftVillage, Facility, ImportBatch, IndustrialZone, WasteFacility
from layers.tests.factories import ImportBatchFactory, InUnitFacilityFactory, ZoneFactory, unit_at
from tests.factories import EnterpriseFactory

DATA = Path(__file__).parent / "data"


# --- Fixtures and helpers ---------------------------------------------------------------
@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in English, whatever the catalogue translates."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def place(world):
    """Two units west of the shared factory squares: Tân Hưng (ward) and An Phú (commune)."""
    world.tan_hung = unit_at(106.0, 20.8, name="Tân Hưng", kind=UnitKind.WARD)
    world.an_phu = unit_at(106.1, 20.8, name="An Phú", kind=UnitKind.COMMUNE)
    return world


@pytest.fixture
def officer(place):
    return place.users["dept_officer"]


def geojson(tmp_path: Path, features: list[dict], name: str = "data.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def point(props: dict, lon: float, lat: float) -> dict:
    return {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def run(actor, layer, path: Path, *, dry_run=True, **options):
    return features_import(actor=actor, layer=layer, source=path, original_name=path.name,
                           options=ImportOptions(**options), dry_run=dry_run)


def outcomes(report) -> list[str]:
    return [r.outcome for r in report.rows]


# --- Pure parsers ------------------------------------------------------------------------
@pytest.mark.parametrize("text,value,review", [
    ("1.949", Decimal("1949"), False),
    ("3074,5", Decimal("3074.5"), False),
    ("1.234.567,89", Decimal("1234567.89"), False),
    ("2 304 118,25", Decimal("2304118.25"), False),
    ("12.5", Decimal("12.5"), False),
    ("0.949", Decimal("0.949"), False),
    ("12.500", Decimal("12500"), True),    # could be 12.5 written to three places
    ("1.000", Decimal("1000"), True),
    ("1,949", Decimal("1.949"), True),     # could be English 1949
    (1949.0, Decimal("1949.0"), False),    # a typed cell is exact
])
def test_vietnamese_numbers(text, value, review):
    """Vietnamese formats are read; an ambiguous one carries a review note, never a silent guess."""
    reading = parse_number(text)
    assert reading.value == value
    assert bool(reading.note) is review


@pytest.mark.parametrize("text", ["abc", "1e5", "nan", "1,2,3.4.5", "12 tấn"])
def test_not_numbers(text):
    with pytest.raises(CellError):
        parse_number(text)


@pytest.mark.parametrize("value", [1949, Decimal("3074.5"), 12500, Decimal("1.949"), Decimal("0.5"), 1234567, 0])
def test_vn_format_reads_back_exactly(value):
    """The export's formatting is read back to the same value without a review flag."""
    reading = parse_number(format_vn_number(value))
    assert reading.value == Decimal(value) and reading.note == ""


def test_dates():
    assert parse_date("12/3/2023").isoformat() == "2023-03-12"
    assert parse_date("ngày 7 tháng 2 năm 2023").isoformat() == "2023-02-07"
    with pytest.raises(CellError):
        parse_date("31/02/2023")


def test_column_names_fold_case_and_diacritics():
    mapping, unused = resolve_columns("facilities", ["TEN CO SO", "Mã Số Thuế", "dia_chi", "khác"])
    assert mapping == {"name": "TEN CO SO", "tax_code": "Mã Số Thuế", "address": "dia_chi"}
    assert unused == ["khác"]
    with pytest.raises(ImportRefused):
        resolve_columns("facilities", ["mst", "dia_chi"])


# --- Formats -----------------------------------------------------------------------------
def test_geojson_dry_run_writes_nothing(officer):
    events = AuditEvent.objects.count()
    report = run(officer, "facilities", DATA / "facilities.geojson")
    assert outcomes(report) == ["create", "create"]
    assert report.source_srid == 4326
    assert Facility.objects.count() == 0
    assert AuditEvent.objects.count() == events
    assert any("Ghi chú nội bộ" in n for n in report.notes)  # unused column reported


def test_geojson_import_creates_with_derived_unit(place, officer):
    events = AuditEvent.objects.count()
    report = run(officer, "facilities", DATA / "facilities.geojson", dry_run=False)
    assert not report.aborted and outcomes(report) == ["create", "create"]
    steel = Facility.objects.get(tax_code="0200000101")
    assert steel.admin_unit == place.tan_hung
    assert steel.project_group == "II" and steel.permit_class == "gpmt"
    assert steel.approval_status == ApprovalStatus.APPROVED and steel.entered_by == place.department
    assert Facility.objects.get(name__startswith="Nhà máy").admin_unit == place.an_phu
    assert AuditEvent.objects.filter(action="facility.create").count() == 2
    assert AuditEvent.objects.count() > events


def test_csv_lon_lat_with_vietnamese_numbers(place, officer):
    report = run(officer, "waste-facilities", DATA / "waste_facilities.csv", dry_run=False)
    assert outcomes(report) == ["create", "create", "create"]
    assert [r.row for r in report.rows] == [2, 3, 4]  # spreadsheet rows (header is row 1)
    by_name = {w.name: w for w in WasteFacility.objects.all()}
    landfill = by_name["Bãi chôn lấp Tân Hưng"]
    assert landfill.capacity_t_day == Decimal("1949") and landfill.kind == WasteFacilityKind.LANDFILL
    assert not landfill.needs_review
    assert by_name["Lò đốt An Phú"].capacity_t_day == Decimal("3074.5")
    hazardous = by_name["Khu xử lý chất thải nguy hại"]
    assert hazardous.capacity_t_day == Decimal("12500")
    assert hazardous.needs_review and "12.500" in hazardous.review_note
    assert report.rows[2].needs_review and not report.rows[0].needs_review
    assert report.notes == []  # the coordinate columns are used, not "not imported"


def test_csv_vn2000_xy_is_northing_easting(place, officer):
    report = run(officer, "facilities", DATA / "facilities_vn2000.csv", dry_run=False, srid=9210)
    assert outcomes(report) == ["create", "create"]
    first = Facility.objects.get(tax_code="0200000102")
    assert first.source_srid == 9210 and first.admin_unit == place.tan_hung
    assert first.geom.distance(Point(106.02, 20.82, srid=4326)) < 1e-5  # < ~1 m
    assert Facility.objects.get(tax_code="0200000103").admin_unit == place.an_phu


def test_csv_swapped_xy_is_rejected_with_its_row(place, officer, tmp_path):
    north, east = wgs84_to_vn2000(106.02, 20.82, 9210)
    path = tmp_path / "swapped.csv"
    path.write_text(f"name,X,Y\nGood,{north:.2f},{east:.2f}\nSwapped,{east:.2f},{north:.2f}\n", encoding="utf-8")
    report = run(officer, "facilities", path, srid=9210)
    assert outcomes(report) == ["create", "reject"]
    assert report.rows[1].row == 3 and "swapped" in report.rows[1].messages[0]


def test_csv_without_coordinate_columns_is_refused(officer, tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("name,address\nA,B\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="coordinate"):
        run(officer, "facilities", path)


def test_shapefile_zip(place, officer, tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point as SPoint

    north, east = wgs84_to_vn2000(106.03, 20.83, 9210)
    frame = gpd.GeoDataFrame({"ten_co_so": ["Cơ sở Shapefile"], "mst": ["0200000104"]},
                             geometry=[SPoint(east, north)], crs="EPSG:9210")
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    frame.to_file(shp_dir / "co_so.shp", engine="pyogrio", encoding="utf-8")
    archive = tmp_path / "co_so.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in shp_dir.iterdir():
            zf.write(part, f"data/{part.name}")
    report = run(officer, "facilities", archive, dry_run=False)  # the CRS comes from the .prj
    assert outcomes(report) == ["create"], report.rows[0].messages
    assert report.notes == []
    facility = Facility.objects.get()
    assert facility.source_srid == 9210 and facility.admin_unit == place.tan_hung
    assert facility.geom.distance(Point(106.03, 20.83, srid=4326)) < 1e-5


def test_geopackage_needs_its_layer_chosen(place, officer, tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point as SPoint
    from shapely.geometry import box

    path = tmp_path / "data.gpkg"
    zones = gpd.GeoDataFrame({"ten_kcn": ["KCN GeoPackage"], "loai": ["KCN"], "dien_tich_ha": [120.5]},
                             geometry=[box(106.005, 20.805, 106.015, 20.815)], crs="EPSG:4326")
    zones.to_file(path, layer="kcn", engine="pyogrio")
    gpd.GeoDataFrame({"name": ["x"]}, geometry=[SPoint(106.0, 20.8)], crs="EPSG:4326").to_file(
        path, layer="other", engine="pyogrio")
    with pytest.raises(ImportRefused, match="kcn"):
        run(officer, "zones", path)
    report = run(officer, "zones", path, dry_run=False, layer_name="kcn")
    assert outcomes(report) == ["create"]
    zone = IndustrialZone.objects.get()
    assert zone.geom.geom_type == "MultiPolygon" and zone.area_ha == Decimal("120.50")


def test_kml(place, officer):
    report = run(officer, "craft-villages", DATA / "craft_villages.kml", dry_run=False)
    assert outcomes(report) == ["create", "create"]
    assert set(CraftVillage.objects.values_list("admin_unit", flat=True)) == {place.tan_hung.pk, place.an_phu.pk}
    assert CraftVillage.objects.get(name__contains="gốm").description == "Gốm sứ truyền thống"


@pytest.mark.parametrize("payload", [
    '<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><kml><Document>&xxe;</Document></kml>',
    '<kml><Document><NetworkLink><Link><href>http://127.0.0.1:9/x.kml</href></Link></NetworkLink></Document></kml>',
])
def test_kml_with_entities_or_links_is_refused(officer, tmp_path, payload):
    path = tmp_path / "evil.kml"
    path.write_text('<?xml version="1.0"?>' + payload, encoding="utf-8")
    with pytest.raises(ImportRefused, match="DOCTYPE"):
        run(officer, "craft-villages", path)


# --- Matching existing features ----------------------------------------------------------
def test_reimport_is_unchanged_then_update_by_tax_code(place, officer, tmp_path):
    run(officer, "facilities", DATA / "facilities.geojson", dry_run=False)
    again = run(officer, "facilities", DATA / "facilities.geojson", dry_run=False)
    assert outcomes(again) == ["unchanged", "unchanged"]
    path = geojson(tmp_path, [point({"ten": "Thép Tân Hưng (đổi tên)", "mst": "0200000101", "cong_suat": "2.000 tấn"},
                                    106.021, 20.821)])
    report = run(officer, "facilities", path, dry_run=False)
    assert outcomes(report) == ["update"]
    facility = Facility.objects.get(tax_code="0200000101")
    assert facility.name == "Thép Tân Hưng (đổi tên)" and facility.capacity == "2.000 tấn"
    assert report.rows[0].object_id == facility.pk
    assert Facility.objects.count() == 2


def test_name_match_is_folded_and_within_the_unit(place, officer, tmp_path):
    existing = InUnitFacilityFactory(name="Xưởng Mộc Đông Hải", unit=place.tan_hung, tax_code="")
    path = geojson(tmp_path, [
        point({"name": "XUONG MOC  DONG HAI", "dia_chi": "Đông Hải"}, 106.01, 20.81),   # same unit: update
        point({"name": "Xưởng mộc Đông Hải"}, 106.11, 20.81),                          # other unit: new
    ])
    report = run(officer, "facilities", path, dry_run=False)
    assert outcomes(report) == ["update", "create"]
    existing.refresh_from_db()
    assert existing.address == "Đông Hải"
    assert report.rows[1].needs_review and "another administrative unit" in report.rows[1].messages[0]


def test_unsure_match_creates_for_review_not_update(place, officer, tmp_path):
    a = InUnitFacilityFactory(name="Cơ sở trùng tên", unit=place.tan_hung)
    InUnitFacilityFactory(name="Cơ sở trùng tên", unit=place.tan_hung)
    path = geojson(tmp_path, [point({"name": "Cơ sở trùng tên", "address": "mới"}, 106.01, 20.81)])
    report = run(officer, "facilities", path, dry_run=False)
    assert outcomes(report) == ["create"] and report.rows[0].needs_review
    a.refresh_from_db()
    assert a.address == ""
    new = Facility.objects.get(address="mới")
    assert new.needs_review and "Possible duplicate" in new.review_note


def test_zones_match_by_code_then_name(place, officer, tmp_path):
    by_code = ZoneFactory(name="KCN cũ", code="KCN-01")
    by_name = ZoneFactory(name="Cụm công nghiệp An Phú", code="", kind="ccn")
    polygon = {"type": "Polygon", "coordinates": [[[106.005, 20.805], [106.01, 20.805], [106.01, 20.81],
                                                   [106.005, 20.805]]]}
    path = geojson(tmp_path, [
        {"type": "Feature", "properties": {"ma": "kcn-01", "ten": "KCN mới tên", "loai": "KCN"}, "geometry": polygon},
        {"type": "Feature", "properties": {"ten": "CUM CONG NGHIEP AN PHU", "loai": "CCN", "dien_tich_ha": "12,5"},
         "geometry": polygon}])
    report = run(officer, "zones", path, dry_run=False)
    assert outcomes(report) == ["update", "update"]
    by_code.refresh_from_db()
    by_name.refresh_from_db()
    assert by_code.name == "KCN mới tên" and by_name.area_ha == Decimal("12.50")
    assert IndustrialZone.objects.count() == 2


def test_duplicate_rows_in_the_file_are_rejected(place, officer, tmp_path):
    path = geojson(tmp_path, [point({"name": "Một"}, 106.01, 20.81), point({"name": "MỘT"}, 106.02, 20.82)])
    report = run(officer, "facilities", path)
    assert outcomes(report) == ["create", "reject"] and "row 1" in report.rows[1].messages[0]
    # Two different keys (tax code, then name) reaching the same facility: the second is refused.
    path = geojson(tmp_path, [point({"name": "Hai", "mst": "0200000555"}, 106.01, 20.81),
                              point({"name": "Hai"}, 106.02, 20.82)])
    report = run(officer, "facilities", path)
    assert outcomes(report) == ["create", "reject"]


# --- Geometry checks in PostGIS ------------------------------------------------------------
def test_bow_tie_is_repaired_and_collinear_polygon_rejected_with_its_row(place, officer):
    report = run(officer, "zones", DATA / "zones_repair.geojson")
    repaired, broken = report.rows
    assert repaired.outcome == "create"
    assert any("repaired" in m and "Self-intersection" in m for m in repaired.messages)
    assert broken.outcome == "reject" and broken.row == 2
    assert "cannot be repaired" in broken.messages[0]


def test_repaired_polygon_is_saved_valid(place, officer, tmp_path):
    data = json.loads((DATA / "zones_repair.geojson").read_text(encoding="utf-8"))
    path = geojson(tmp_path, data["features"][:1])
    report = run(officer, "zones", path, dry_run=False)
    assert outcomes(report) == ["create"]
    zone = IndustrialZone.objects.get()
    assert zone.geom.valid and zone.geom.geom_type == "MultiPolygon" and len(zone.geom) == 2
    assert zone.area_ha == Decimal("45.50")


@pytest.mark.parametrize("lon,lat,message", [
    (2.35, 48.85, "Outside Vietnam"),        # Paris
    (20.82, 106.02, "Outside Vietnam"),      # swapped lon/lat (latitude out of range)
    (105.85, 21.03, "Outside Hai Phong"),    # Hà Nội
])
def test_points_outside_are_rejected(place, officer, tmp_path, lon, lat, message):
    path = geojson(tmp_path, [point({"name": "Ok"}, 106.02, 20.82), point({"name": "Far"}, lon, lat)])
    report = run(officer, "facilities", path)
    assert report.rows[0].outcome == "create"
    assert report.rows[1].outcome == "reject" and report.rows[1].row == 2
    assert message in " ".join(report.rows[1].messages)


@pytest.mark.parametrize("geometry,message", [
    ({"type": "Polygon", "coordinates": []}, "empty"),
    ({"type": "LineString", "coordinates": [[106.01, 20.81], [106.02, 20.82]]}, "cannot go into this layer"),
    (None, "No readable geometry"),
])
def test_empty_wrong_or_missing_geometry_is_rejected(place, officer, tmp_path, geometry, message):
    path = geojson(tmp_path, [{"type": "Feature", "properties": {"name": "X", "loai": "KCN"}, "geometry": geometry}])
    report = run(officer, "zones", path)
    assert outcomes(report) == ["reject"] and message in report.rows[0].messages[0]


def _raw_point(tmp_path, coordinates: str) -> Path:
    path = tmp_path / "raw.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "A"}, '
                    '"geometry": {"type": "Point", "coordinates": ' + coordinates + '}}]}', encoding="utf-8")
    return path


def test_non_finite_coordinates_are_rejected(place, officer, tmp_path):
    """NaN reaches PostGIS, which calls it an invalid coordinate; 1e400 (infinity, RELIABILITY.md 6)
    is refused by GDAL's reader with the file."""
    report = run(officer, "facilities", _raw_point(tmp_path, "[NaN, 20.82]"))
    assert outcomes(report) == ["reject"] and "Invalid Coordinate" in report.rows[0].messages[0]
    with pytest.raises(ImportRefused, match="cannot be read"):
        run(officer, "facilities", _raw_point(tmp_path, "[1e400, 20.82]"))


def test_wrong_geometry_type_is_rejected(place, officer, tmp_path):
    path = geojson(tmp_path, [point({"name": "KCN điểm", "loai": "KCN"}, 106.02, 20.82)])
    report = run(officer, "zones", path)
    assert outcomes(report) == ["reject"] and "cannot go into this layer" in report.rows[0].messages[0]


def test_too_many_vertices_is_rejected(place, officer, tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_VERTICES", 10)
    ring = [[106.01 + 0.001 * i, 20.81 + (0.01 if i % 2 else 0)] for i in range(20)]
    ring = [*ring, [106.03, 20.80], ring[0]]
    path = geojson(tmp_path, [{"type": "Feature", "properties": {"name": "Răng cưa", "kind": "kcn"},
                               "geometry": {"type": "Polygon", "coordinates": [ring]}}])
    report = run(officer, "zones", path)
    assert outcomes(report) == ["reject"] and "vertices" in report.rows[0].messages[0]


def test_too_many_rows_is_refused(officer, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 1)
    with pytest.raises(ImportRefused, match="limit"):
        run(officer, "facilities", DATA / "facilities.geojson")


# --- All or nothing ----------------------------------------------------------------------
def test_one_bad_row_writes_nothing(place, officer, tmp_path):
    path = geojson(tmp_path, [point({"name": "Tốt 1"}, 106.01, 20.81), point({"name": "Xấu"}, 2.35, 48.85),
                              point({"name": "Tốt 2"}, 106.11, 20.81)])
    facilities, events = Facility.objects.count(), AuditEvent.objects.count()
    report = run(officer, "facilities", path, dry_run=False)
    assert report.aborted and report.counts["reject"] == 1
    assert "nothing was imported" in report.summary
    assert Facility.objects.count() == facilities
    assert AuditEvent.objects.count() == events


def test_a_row_rejected_at_save_rolls_back_the_rows_saved_before(place, tmp_path):
    """A commune officer's row outside the commune is refused by feature_save's scope
    check after the earlier rows were saved: they are rolled back too."""
    officer = place.users["commune_officer"]
    inside = place.unit_a.geom.point_on_surface
    path = geojson(tmp_path, [point({"name": "Trong xã"}, inside.x, inside.y),
                              point({"name": "Ngoài xã"}, 106.02, 20.82)])
    events = AuditEvent.objects.count()
    report = run(officer, "facilities", path, dry_run=False)
    assert outcomes(report) == ["create", "reject"] and report.aborted
    assert "outside your scope" in report.rows[1].messages[0]
    assert Facility.objects.count() == 0 and AuditEvent.objects.count() == events
    ok = run(officer, "facilities", geojson(tmp_path, [point({"name": "Trong xã"}, inside.x, inside.y)]),
             dry_run=False)
    assert outcomes(ok) == ["create"]
    facility = Facility.objects.get()
    assert facility.admin_unit == place.unit_a and facility.approval_status == ApprovalStatus.AWAITING


def test_owner_enterprise_found_by_tax_code(place, officer, tmp_path):
    enterprise = EnterpriseFactory(tax_code="0200000999")
    path = geojson(tmp_path, [point({"name": "Cơ sở có chủ", "mst": "0200000999"}, 106.02, 20.82)])
    run(officer, "facilities", path, dry_run=False)
    assert Facility.objects.get().owner_organisation == enterprise


def test_enterprise_may_not_import(place, tmp_path):
    with pytest.raises(PermissionDenied):
        run(place.users["enterprise_user"], "facilities", DATA / "facilities.geojson")


# --- File safety -------------------------------------------------------------------------
def test_exe_renamed_geojson_is_refused(officer, tmp_path):
    path = tmp_path / "facilities.geojson"
    path.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    with pytest.raises(ImportRefused, match="does not match"):
        run(officer, "facilities", path)


@pytest.mark.parametrize("name", ["data.exe", "data.vrt", "data.shp", "noextension"])
def test_unlisted_extensions_are_refused(officer, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"{}")
    with pytest.raises(ImportRefused, match="not accepted"):
        run(officer, "facilities", path)


@override_settings(UPLOAD_MAX_BYTES=100)
def test_file_over_the_size_limit_is_refused(officer):
    with pytest.raises(ImportRefused, match="larger than"):
        run(officer, "facilities", DATA / "facilities.geojson")


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    """A zip whose one entry is 1 GB of zeros, written streaming (about 4 MB on disk)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("layer.shp", "w") as out:
            chunk = bytes(1024 * 1024)
            for _i in range(1024):
                out.write(chunk)
    return path


def test_zip_bomb_is_refused_before_extraction(officer, zip_bomb, monkeypatch):
    def no_extraction(*args, **kwargs):
        raise AssertionError("extracted")

    monkeypatch.setattr(readers, "extract_members", no_extraction)
    assert zip_bomb.stat().st_size < 10 * 1024 * 1024
    with pytest.raises(ImportRefused, match="MB|zip bomb"):
        run(officer, "facilities", zip_bomb)


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("name", ["../layer.shp", "/etc/layer.shp", "C:/layer.shp", "a\\..\\layer.shp"])
def test_zip_with_unsafe_names_is_refused(officer, tmp_path, name):
    path = tmp_path / "evil.zip"
    path.write_bytes(_zip({name: b"x", "layer.shx": b"x", "layer.dbf": b"x"}))
    with pytest.raises(ImportRefused, match="unsafe file name"):
        run(officer, "facilities", path)


def test_zip_that_lies_about_its_size_stops_while_streaming(officer, tmp_path):
    """The central directory says 1 000 bytes; the entry inflates to 3 MB: the byte
    counter (or the CRC) stops the extraction."""
    data = bytearray(_zip({"layer.shp": bytes(3 * 1024 * 1024), "layer.shx": b"x", "layer.dbf": b"x"}))
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 1000)  # uncompressed size in the central directory
    path = tmp_path / "liar.zip"
    path.write_bytes(bytes(data))
    with pytest.raises(ImportRefused, match="zip|declares"):
        run(officer, "facilities", path)


def test_zip_with_too_many_entries_is_refused(officer, tmp_path):
    path = tmp_path / "many.zip"
    path.write_bytes(_zip({f"f{i}.txt": b"" for i in range(readers.ZIP_MAX_ENTRIES + 1)}))
    with pytest.raises(ImportRefused, match="entries"):
        run(officer, "facilities", path)


def test_zip_without_shapefile_parts_is_refused(officer, tmp_path):
    path = tmp_path / "partial.zip"
    path.write_bytes(_zip({"layer.shp": b"x"}))
    with pytest.raises(ImportRefused, match=".shx"):
        run(officer, "facilities", path)


# --- Pages ----------------------------------------------------------------------------------
def _upload(client, path: Path, layer: str = "facilities", **extra):
    data = {"layer": layer, "file": SimpleUploadedFile(path.name, path.read_bytes()), **extra}
    return client.post(reverse("layers:imports:upload"), data)


def test_upload_preview_then_import(place, client):
    client.force_login(place.users["dept_officer"])
    r = _upload(client, DATA / "facilities.geojson")
    assert r.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.created_count == 2
    assert batch.organisation == place.department and batch.original_name == "facilities.geojson"
    assert batch.file.name.startswith("imports/") and "facilities" not in batch.file.name  # generated name
    assert Facility.objects.count() == 0
    page = client.get(r["Location"])
    assert page.status_code == 200
    assert "Công ty TNHH Thép Tân Hưng" in page.content.decode()
    assert reverse("layers:imports:commit", args=[batch.pk]) in page.content.decode()
    r = client.post(reverse("layers:imports:commit", args=[batch.pk]))
    assert r.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED and batch.finished_at is not None
    assert Facility.objects.count() == 2
    assert AuditEvent.objects.filter(action="importbatch.import", object_id=str(batch.pk)).exists()
    # A finished batch cannot be imported twice.
    client.post(reverse("layers:imports:commit", args=[batch.pk]))
    assert Facility.objects.count() == 2


def test_upload_with_a_rejected_row_offers_no_import(place, client, tmp_path):
    client.force_login(place.users["dept_officer"])
    path = geojson(tmp_path, [point({"name": "Tốt"}, 106.01, 20.81), point({"name": "Xấu"}, 2.35, 48.85)])
    _upload(client, path)
    batch = ImportBatch.objects.get()
    page = client.get(reverse("layers:imports:detail", args=[batch.pk]) + "?show=issues").content.decode()
    assert "Outside Vietnam" in page and "Xấu" in page and "Tốt" not in page
    assert reverse("layers:imports:commit", args=[batch.pk]) not in page
    client.post(reverse("layers:imports:commit", args=[batch.pk]))  # forced anyway
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REJECTED and Facility.objects.count() == 0


def test_cancel(place, client):
    client.force_login(place.users["dept_officer"])
    _upload(client, DATA / "facilities.geojson")
    batch = ImportBatch.objects.get()
    client.post(reverse("layers:imports:cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED and Facility.objects.count() == 0


def test_upload_refuses_wrong_type_and_size(place, client, tmp_path):
    client.force_login(place.users["dept_officer"])
    exe = tmp_path / "virus.geojson"
    exe.write_bytes(b"MZ" + b"\x00" * 100)
    r = _upload(client, exe)
    assert r.status_code == 400 and "does not match" in r.content.decode()
    with override_settings(UPLOAD_MAX_BYTES=100):
        r = _upload(client, DATA / "facilities.geojson")
    assert r.status_code == 400 and "larger than" in r.content.decode()
    r = _upload(client, DATA / "facilities.geojson", layer="permit-book")
    assert r.status_code == 400 and ".xlsx" in r.content.decode()
    assert ImportBatch.objects.count() == 0


def test_upload_of_a_refused_file_stores_nothing(place, client, zip_bomb):
    client.force_login(place.users["dept_officer"])
    r = _upload(client, zip_bomb)
    assert r.status_code == 400 and ImportBatch.objects.count() == 0


# role -> (list/upload page, own organisation's batch, another organisation's batch)
PAGE_MATRIX = {
    "anonymous": (302, 302, 302),
    "enterprise_user": (403, 200, 404),   # may not import; sees only its organisation's batches
    "connection": (403, 200, 404),
    "commune_officer": (200, 200, 404),
    "ez_officer": (200, 200, 404),
    "dept_officer": (200, 200, 200),
}


@pytest.mark.parametrize("role", list(PAGE_MATRIX))
def test_page_permission_matrix(place, client, role):
    own_org = place.users[role].organisation if role != "anonymous" else place.department
    own = ImportBatchFactory(organisation=own_org)
    other = ImportBatchFactory(organisation=place.commune_b, uploaded_by=place.users["commune_b_officer"])
    if role != "anonymous":
        client.force_login(place.users[role])
    page, mine, theirs = PAGE_MATRIX[role]
    assert client.get(reverse("layers:imports:list")).status_code == page
    assert client.get(reverse("layers:imports:upload")).status_code == page
    assert client.get(reverse("layers:imports:detail", args=[own.pk])).status_code == mine
    assert client.get(reverse("layers:imports:detail", args=[other.pk])).status_code == theirs
    for action in ("commit", "cancel"):
        r = client.post(reverse(f"layers:imports:{action}", args=[other.pk]))
        assert r.status_code == (302 if role == "anonymous" else 404 if theirs == 404 else 403)
    other.refresh_from_db()
    assert other.status == ImportBatch.Status.PREVIEWED


def test_upload_form_offers_only_allowed_layers(place, client):
    client.force_login(place.users["ez_officer"])
    html = client.get(reverse("layers:imports:upload")).content.decode()
    assert 'value="facilities"' in html and 'value="zones"' in html
    assert 'value="protected-areas"' not in html and 'value="permit-book"' not in html
    r = _upload(client, DATA / "craft_villages.kml", layer="craft-villages")
    assert r.status_code == 400 and ImportBatch.objects.count() == 0


def test_import_list_query_count_is_bounded(place, client, django_assert_max_num_queries):
    user = place.users["commune_officer"]
    for _i in range(30):
        ImportBatchFactory(organisation=user.organisation, uploaded_by=user)
    client.force_login(user)
    client.get(reverse("layers:imports:list"))
    with django_assert_max_num_queries(10):
        r = client.get(reverse("layers:imports:list"))
    assert r.status_code == 200 and r.content.decode().count("batch.geojson") == 0
    assert len(r.context["batches"]) == 30


# --- Command ------------------------------------------------------------------------------
def test_command_dry_run_and_import(place, officer):
    out = io.StringIO()
    call_command("import_features", "waste-facilities", str(DATA / "waste_facilities.csv"), "--dry-run",
                 "--as", officer.username, stdout=out)
    assert "create 3" in out.getvalue() and "12.500" in out.getvalue()
    assert WasteFacility.objects.count() == 0
    call_command("import_features", "waste-facilities", str(DATA / "waste_facilities.csv"),
                 "--as", officer.username, stdout=io.StringIO())
    assert WasteFacility.objects.count() == 3


def test_command_errors(place, officer, tmp_path):
    with pytest.raises(CommandError, match="--as"):
        call_command("import_features", "facilities", str(DATA / "facilities.geojson"), stdout=io.StringIO())
    path = geojson(tmp_path, [point({"name": "Xa"}, 2.35, 48.85)])
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_features", "facilities", str(path), "--as", officer.username, stdout=io.StringIO())
    exe = tmp_path / "setup.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(CommandError, match="not accepted"):
        call_command("import_features", "facilities", str(exe), "--as", officer.username, stdout=io.StringIO())
