"""admin_units_import and `manage.py import_admin_units` on small generated files.

Every file is written in tmp_path with geopandas/shapely, so each test states the
exact coordinates it feeds the importer and the CRS they are in.
"""
from __future__ import annotations

import zipfile
from io import StringIO
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation
from shapely.geometry import Polygon

from geoportal.audit.models import AuditEvent
from geoportal.organisations.choices import UnitKind
from geoportal.organisations.models import AdministrativeUnit
from geoportal.organisations.services import ImportAborted, admin_units_import
from tests.factories import AdministrativeUnitFactory

pytestmark = pytest.mark.django_db

# Two small squares inside Hai Phong (EPSG:4326, lon/lat).
SQUARE_A = Polygon([(106.60, 20.80), (106.62, 20.80), (106.62, 20.82), (106.60, 20.82)])
SQUARE_B = Polygon([(106.65, 20.85), (106.67, 20.85), (106.67, 20.87), (106.65, 20.87)])
# A bow-tie: the ring crosses itself at (106.71, 20.91).
BOW_TIE = Polygon([(106.70, 20.90), (106.72, 20.92), (106.72, 20.90), (106.70, 20.92)])
# Around Hanoi: a valid polygon, but not in Hai Phong.
HANOI = Polygon([(105.80, 21.00), (105.82, 21.00), (105.82, 21.02), (105.80, 21.02)])
# SQUARE_A with latitude and longitude swapped.
SWAPPED = Polygon([(y, x) for x, y in SQUARE_A.exterior.coords])
# Near 106.77 E 20.83 N, the part of the city the VN-2000 test uses.
NEAR_DINH_VU = Polygon([(106.76, 20.82), (106.78, 20.82), (106.78, 20.84), (106.765, 20.845), (106.76, 20.84)])


def frame(rows: list[dict], crs: int | None = 4326) -> gpd.GeoDataFrame:
    geoms = [r.pop("geometry") for r in rows]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=crs)


def write_geojson(tmp_path: Path, rows: list[dict], name: str = "units.geojson") -> Path:
    path = tmp_path / name
    frame(rows).to_file(path, driver="GeoJSON", engine="pyogrio")
    return path


def two_units() -> list[dict]:
    return [
        {"code": "90001", "name": "Thử Một", "kind": "phuong", "geometry": SQUARE_A},
        {"code": "90002", "name": "Thử Hai", "kind": "xa", "geometry": SQUARE_B},
    ]


def vertices(geom) -> list[tuple[float, float]]:
    """The distinct (lon, lat) vertices of the outer rings of a GEOS (Multi)Polygon."""
    polys = list(geom) if geom.geom_type == "MultiPolygon" else [geom]
    return [pt for poly in polys for pt in poly.exterior_ring.coords[:-1]]


def assert_same_vertices(geom, expected: Polygon, tol: float) -> None:
    """Each vertex of `expected` is within `tol` degrees of one imported vertex, one to one.
    (Drivers may start the ring elsewhere or reverse it: Shapefile outer rings are clockwise.)"""
    got = vertices(geom)
    want = list(expected.exterior.coords)[:-1]
    assert len(got) == len(want), (got, want)
    unmatched = list(got)
    for wx, wy in want:
        match = next((p for p in unmatched if abs(p[0] - wx) < tol and abs(p[1] - wy) < tol), None)
        assert match is not None, f"no imported vertex within {tol} of {(wx, wy)}: {got}"
        unmatched.remove(match)


# --- GeoJSON in EPSG:4326 -------------------------------------------------------------

def test_geojson_creates_units_in_4326(tmp_path):
    path = write_geojson(tmp_path, two_units())
    before_units, before_audit = AdministrativeUnit.objects.count(), AuditEvent.objects.count()

    report = admin_units_import(actor=None, path=path, source="test file")

    assert report.count("create") == 2
    assert [(r.row, r.code, r.outcome) for r in report.rows] == [(1, "90001", "create"), (2, "90002", "create")]
    assert not report.rejected
    assert AdministrativeUnit.objects.count() == before_units + 2
    a = AdministrativeUnit.objects.get(code="90001")
    b = AdministrativeUnit.objects.get(code="90002")
    assert (a.name, a.kind, b.name, b.kind) == ("Thử Một", UnitKind.WARD, "Thử Hai", UnitKind.COMMUNE)
    assert a.geom.srid == 4326 and a.geom.geom_type == "MultiPolygon"
    assert a.source_srid == 4326
    assert a.source == "test file"
    assert a.is_approximate is False
    assert_same_vertices(a.geom, SQUARE_A, 1e-9)
    assert_same_vertices(b.geom, SQUARE_B, 1e-9)
    # One audit event per created unit.
    events = AuditEvent.objects.filter(action="adminunit.import_create")
    assert AuditEvent.objects.count() == before_audit + 2
    assert {e.object_id for e in events} == {str(a.pk), str(b.pk)}


def test_dry_run_writes_nothing(tmp_path):
    path = write_geojson(tmp_path, two_units())
    before_units, before_audit = AdministrativeUnit.objects.count(), AuditEvent.objects.count()

    report = admin_units_import(actor=None, path=path, dry_run=True)

    assert report.dry_run is True
    assert report.count("create") == 2
    assert AdministrativeUnit.objects.count() == before_units
    assert not AdministrativeUnit.objects.filter(code__in=["90001", "90002"]).exists()
    assert AuditEvent.objects.count() == before_audit


def test_existing_unit_is_updated_by_code(tmp_path):
    unit = AdministrativeUnitFactory(code="90001", name="Tên cũ", kind=UnitKind.COMMUNE, source_srid=9210)
    old_geom = unit.geom.clone()
    path = write_geojson(tmp_path, [{"code": "90001", "name": "Tên mới", "kind": "phuong", "geometry": SQUARE_A}])
    before_units = AdministrativeUnit.objects.count()

    report = admin_units_import(actor=None, path=path, approximate=True)

    assert [(r.row, r.code, r.outcome) for r in report.rows] == [(1, "90001", "update")]
    assert AdministrativeUnit.objects.count() == before_units
    unit.refresh_from_db()
    assert unit.name == "Tên mới"
    assert unit.kind == UnitKind.WARD
    assert unit.source_srid == 4326
    assert unit.is_approximate is True
    assert not unit.geom.equals(old_geom)
    assert_same_vertices(unit.geom, SQUARE_A, 1e-9)
    event = AuditEvent.objects.get(action="adminunit.import_update", object_id=str(unit.pk))
    assert event.changes["name"] == ["Tên cũ", "Tên mới"]
    assert event.changes["geom"] == "changed"


def test_reimporting_the_same_file_reports_unchanged_and_audits_nothing(tmp_path):
    path = write_geojson(tmp_path, two_units())
    admin_units_import(actor=None, path=path)
    before_audit = AuditEvent.objects.count()

    report = admin_units_import(actor=None, path=path)

    assert [(r.row, r.outcome) for r in report.rows] == [(1, "unchanged"), (2, "unchanged")]
    assert AuditEvent.objects.count() == before_audit


def test_update_keeps_existing_kind_when_file_has_none(tmp_path):
    unit = AdministrativeUnitFactory(code="90001", kind=UnitKind.SPECIAL_ZONE)
    path = write_geojson(tmp_path, [{"code": "90001", "name": "Không có loại", "kind": "", "geometry": SQUARE_A}])

    report = admin_units_import(actor=None, path=path)

    assert report.rows[0].outcome == "update"
    unit.refresh_from_db()
    assert unit.kind == UnitKind.SPECIAL_ZONE


def test_self_intersecting_polygon_is_repaired_and_reported(tmp_path):
    assert not BOW_TIE.is_valid
    rows = two_units() + [{"code": "90003", "name": "Nơ con bướm", "kind": "xa", "geometry": BOW_TIE}]
    path = write_geojson(tmp_path, rows)

    with translation.override("en"):
        report = admin_units_import(actor=None, path=path)

    assert report.count("create") == 3
    repaired = [r for r in report.rows if r.messages]
    assert [(r.row, r.code) for r in repaired] == [(3, "90003")]
    assert len(repaired[0].messages) == 1
    message = repaired[0].messages[0]
    assert "repaired" in message
    assert "Self-intersection" in message  # GEOS's reason is kept in the report
    unit = AdministrativeUnit.objects.get(code="90003")
    assert unit.geom.valid
    assert unit.geom.geom_type == "MultiPolygon" and len(unit.geom) == 2  # the two triangles
    assert unit.geom.area == pytest.approx(shapely.make_valid(BOW_TIE).area, rel=1e-6)
    assert unit.geom.area == pytest.approx(2 * 0.01 * 0.02 / 2, rel=1e-6)  # both triangles kept
    assert unit.geom.area > 0


@pytest.mark.parametrize("outside", [HANOI, SWAPPED], ids=["hanoi", "swapped-axes"])
def test_polygon_outside_hai_phong_rejects_the_whole_import(tmp_path, outside):
    AdministrativeUnitFactory(code="90002", name="Giữ nguyên", kind=UnitKind.COMMUNE)
    rows = two_units() + [{"code": "90009", "name": "Ngoài thành phố", "kind": "xa", "geometry": outside}]
    path = write_geojson(tmp_path, rows)
    before_units, before_audit = AdministrativeUnit.objects.count(), AuditEvent.objects.count()

    with translation.override("en"), pytest.raises(ImportAborted) as caught:
        admin_units_import(actor=None, path=path)

    report = caught.value.report
    assert [(r.row, r.code) for r in report.rejected] == [(3, "90009")]
    assert "outside Hai Phong" in report.rejected[0].messages[0]
    assert "1 rows were rejected" in str(caught.value)
    # The valid rows were accepted in validation, but nothing was written.
    assert [r.outcome for r in report.rows[:2]] == ["create", "update"]
    assert AdministrativeUnit.objects.count() == before_units
    assert not AdministrativeUnit.objects.filter(code__in=["90001", "90009"]).exists()
    assert AdministrativeUnit.objects.get(code="90002").name == "Giữ nguyên"
    assert AuditEvent.objects.count() == before_audit


def test_every_rejected_row_is_reported_by_number(tmp_path):
    rows = [
        {"code": "90001", "name": "Tốt", "kind": "xa", "geometry": SQUARE_A},
        {"code": "90002", "name": "", "kind": "xa", "geometry": SQUARE_B},  # no name
        {"code": "90001", "name": "Trùng mã", "kind": "xa", "geometry": SQUARE_B},  # duplicate code
        {"code": "90004", "name": "Loại lạ", "kind": "thon", "geometry": SQUARE_B},  # unknown kind
        {"code": "90005", "name": "Hà Nội", "kind": "xa", "geometry": HANOI},
    ]
    path = write_geojson(tmp_path, rows)
    before = AdministrativeUnit.objects.count()

    with pytest.raises(ImportAborted) as caught:
        admin_units_import(actor=None, path=path)

    rejected = caught.value.report.rejected
    assert [r.row for r in rejected] == [2, 3, 4, 5]
    assert all(r.messages for r in rejected)
    assert "90001" in rejected[1].messages[0]  # the duplicate code is named
    assert "thon" in rejected[2].messages[0]  # the unknown kind is named
    assert AdministrativeUnit.objects.count() == before


# --- Other formats and CRSs -------------------------------------------------------------

def test_zipped_shapefile_in_vn2000_is_transformed_to_4326(tmp_path):
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    projected = frame([{"code": "90021", "name": "Đình Vũ thử", "kind": "phuong", "geometry": NEAR_DINH_VU}]).to_crs(9210)
    # Sanity: the file really holds VN-2000 metres, not degrees.
    assert projected.total_bounds[0] > 100_000
    projected.to_file(shp_dir / "units.shp", driver="ESRI Shapefile", engine="pyogrio")
    assert "VN-2000" in (shp_dir / "units.prj").read_text() or "VN_2000" in (shp_dir / "units.prj").read_text()
    archive = tmp_path / "units.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in sorted(shp_dir.iterdir()):
            zf.write(part, arcname=part.name)

    report = admin_units_import(actor=None, path=archive)

    assert [(r.row, r.outcome) for r in report.rows] == [(1, "create")]
    unit = AdministrativeUnit.objects.get(code="90021")
    assert unit.source_srid == 9210
    assert unit.geom.srid == 4326
    assert unit.source == "units.zip"
    assert_same_vertices(unit.geom, NEAR_DINH_VU, 1e-6)
    assert unit.geom.centroid.x == pytest.approx(106.77, abs=0.01)
    assert unit.geom.centroid.y == pytest.approx(20.83, abs=0.01)


def test_geopackage_layer_is_chosen_with_layer(tmp_path):
    path = tmp_path / "units.gpkg"
    frame([{"code": "90031", "name": "Lớp phường", "kind": "phuong", "geometry": SQUARE_A}]).to_file(
        path, layer="phuong", driver="GPKG", engine="pyogrio")
    frame([{"code": "90032", "name": "Lớp xã", "kind": "xa", "geometry": SQUARE_B}]).to_file(
        path, layer="xa", driver="GPKG", engine="pyogrio")

    report = admin_units_import(actor=None, path=path, layer="xa")

    assert [(r.row, r.code, r.outcome) for r in report.rows] == [(1, "90032", "create")]
    assert AdministrativeUnit.objects.filter(code="90032", kind=UnitKind.COMMUNE).exists()
    assert not AdministrativeUnit.objects.filter(code="90031").exists()
    assert AdministrativeUnit.objects.get(code="90032").source_srid == 4326


def test_geopackage_with_unknown_layer_is_a_validation_error(tmp_path):
    path = tmp_path / "units.gpkg"
    frame(two_units()).to_file(path, layer="xa", driver="GPKG", engine="pyogrio")

    with pytest.raises(ValidationError):
        admin_units_import(actor=None, path=path, layer="khong_co")


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_file_without_crs_needs_a_source_srid(tmp_path):
    path = tmp_path / "no_crs.shp"
    frame(two_units(), crs=None).to_file(path, driver="ESRI Shapefile", engine="pyogrio")
    assert not (tmp_path / "no_crs.prj").exists()

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        admin_units_import(actor=None, path=path)
    assert "no CRS" in " ".join(caught.value.messages)
    assert not AdministrativeUnit.objects.filter(code__in=["90001", "90002"]).exists()

    report = admin_units_import(actor=None, path=path, source_srid=4326)

    assert report.count("create") == 2
    unit = AdministrativeUnit.objects.get(code="90001")
    assert unit.source_srid == 4326
    assert_same_vertices(unit.geom, SQUARE_A, 1e-9)


def test_missing_column_is_a_validation_error_naming_it(tmp_path):
    path = write_geojson(tmp_path, [{"ma_xa": "90001", "name": "Thử", "kind": "xa", "geometry": SQUARE_A}])

    with pytest.raises(ValidationError) as caught:
        admin_units_import(actor=None, path=path)
    text = " ".join(caught.value.messages)
    assert "'code'" in text
    assert "ma_xa" in text  # the columns the file does have are listed

    # With the right field name the same file imports.
    report = admin_units_import(actor=None, path=path, code_field="ma_xa")
    assert report.count("create") == 1
    assert AdministrativeUnit.objects.filter(code="90001").exists()


def test_unreadable_file_is_a_validation_error(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text("{ this is not json", encoding="utf-8")

    with pytest.raises(ValidationError) as caught:
        admin_units_import(actor=None, path=path)
    assert "broken.geojson" in " ".join(caught.value.messages)


# --- The management command -----------------------------------------------------------

def test_command_dry_run_reports_and_writes_nothing(tmp_path):
    rows = two_units() + [{"code": "90003", "name": "Nơ con bướm", "kind": "xa", "geometry": BOW_TIE}]
    path = write_geojson(tmp_path, rows)
    before = AdministrativeUnit.objects.count()
    out, err = StringIO(), StringIO()

    with translation.override("en"):
        call_command("import_admin_units", str(path), "--dry-run", stdout=out, stderr=err)

    text = out.getvalue()
    assert "3 units would be created, 0 updated, 0 unchanged." in text
    repaired_lines = [line for line in text.splitlines() if line.startswith("row ")]
    assert len(repaired_lines) == 1
    assert repaired_lines[0].startswith("row 3 [90003 Nơ con bướm]: ")
    assert "repaired" in repaired_lines[0]
    assert err.getvalue() == ""
    assert AdministrativeUnit.objects.count() == before


def test_command_imports_with_options(tmp_path):
    path = tmp_path / "units.gpkg"
    frame([{"ma": "90041", "ten": "Tùy chọn", "loai": "dac_khu", "geometry": SQUARE_A}]).to_file(
        path, layer="dac_khu", driver="GPKG", engine="pyogrio")
    out = StringIO()

    call_command("import_admin_units", str(path), "--layer", "dac_khu", "--code-field", "ma",
                 "--name-field", "ten", "--kind-field", "loai", "--approximate", stdout=out)

    assert "1 units were created, 0 updated" in out.getvalue()
    unit = AdministrativeUnit.objects.get(code="90041")
    assert (unit.name, unit.kind, unit.is_approximate) == ("Tùy chọn", UnitKind.SPECIAL_ZONE, True)


def test_command_fails_on_a_rejected_file_and_names_the_row(tmp_path):
    rows = two_units() + [{"code": "90009", "name": "Hà Nội", "kind": "xa", "geometry": HANOI}]
    path = write_geojson(tmp_path, rows)
    before = AdministrativeUnit.objects.count()
    out, err = StringIO(), StringIO()

    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("import_admin_units", str(path), stdout=out, stderr=err)

    assert "rejected" in str(caught.value)
    lines = err.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("row 3 [90009 Hà Nội]: ")
    assert "outside Hai Phong" in lines[0]
    assert AdministrativeUnit.objects.count() == before


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_command_turns_validation_errors_into_command_errors(tmp_path):
    path = tmp_path / "no_crs.shp"
    frame(two_units(), crs=None).to_file(path, driver="ESRI Shapefile", engine="pyogrio")

    with translation.override("en"), pytest.raises(CommandError, match="--srid"):
        call_command("import_admin_units", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_admin_units", str(tmp_path / "missing.geojson"), stdout=StringIO())

    out = StringIO()
    call_command("import_admin_units", str(path), "--srid", "4326", stdout=out)
    assert "2 units were created" in out.getvalue()
    assert AdministrativeUnit.objects.get(code="90002").source_srid == 4326
