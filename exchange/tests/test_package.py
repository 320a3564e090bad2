"""The data package: checksums that verify, a GeoPackage that opens, versions, and no half-built rows."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from exchange.models import DataPackage
from exchange.package import GPKG_NAME, MANIFEST_NAME, SUMS_NAME
from exchange.schema import COLLECTIONS, SCHEMA_VERSION
from exchange.services import build_data_package
from geoportal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

EXPECTED = {"facilities": 2, "zones": 1, "permits": 2, "discharge_streams": 1, "reports": 2, "stations": 2,
            "monitoring_daily": 3, "exceedances": 1}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def open_zip(package: DataPackage) -> zipfile.ZipFile:
    with default_storage.open(package.file.name, "rb") as fh:
        return zipfile.ZipFile(io.BytesIO(fh.read()))


def stored_packages() -> list[str]:
    if not default_storage.exists("exchange/packages"):
        return []
    return default_storage.listdir("exchange/packages")[1]


def test_package_checksums_match_the_files(city):
    package = build_data_package(actor=city.world.users["dept_admin"], year=2025)
    with default_storage.open(package.file.name, "rb") as fh:
        assert sha256(fh.read()) == package.sha256
    archive = open_zip(package)
    names = set(archive.namelist())
    expected_files = {MANIFEST_NAME, SUMS_NAME, GPKG_NAME} | {
        f"{k}.geojson" if c.geometry else f"{k}.json" for k, c in COLLECTIONS.items()}
    assert names == expected_files
    # SHA256SUMS, as `sha256sum -c` reads it, covers every other file
    sums = {}
    for line in archive.read(SUMS_NAME).decode("ascii").splitlines():
        digest, name = line.split("  ")
        sums[name] = digest
    assert set(sums) == names - {SUMS_NAME}
    for name, digest in sums.items():
        assert sha256(archive.read(name)) == digest, name
    manifest = json.loads(archive.read(MANIFEST_NAME))
    assert manifest == package.manifest
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == {n: d for n, d in sums.items() if n != MANIFEST_NAME}
    assert all(f["bytes"] == len(archive.read(f["path"])) for f in manifest["files"])
    assert manifest["version"] == package.version == 1
    assert manifest["schema_version"] == SCHEMA_VERSION and manifest["crs"] == "EPSG:4326"
    assert manifest["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert {c["key"]: c["rows"] for c in manifest["collections"]} == EXPECTED == package.counts
    # the files hold what the manifest counts
    for entry in manifest["collections"]:
        doc = json.loads(archive.read(entry["file"]))
        records = doc["features"] if entry["file"].endswith(".geojson") else doc
        assert len(records) == entry["rows"], entry["key"]
    facilities = json.loads(archive.read("facilities.geojson"))
    assert facilities["type"] == "FeatureCollection"
    assert set(facilities["features"][0]["properties"]) == set(COLLECTIONS["facilities"].fields) - {"geometry"}
    audit = AuditEvent.objects.get(action="exchange.package.build")
    assert audit.changes["sha256"] == package.sha256 and audit.actor_id == city.world.users["dept_admin"].pk


def test_geopackage_opens_with_the_layers_and_rows(city, tmp_path):
    import pyogrio

    package = build_data_package(actor=None, year=2025)
    path = tmp_path / GPKG_NAME
    path.write_bytes(open_zip(package).read(GPKG_NAME))
    layers = {name: geometry for name, geometry in pyogrio.list_layers(path)}
    assert set(layers) == set(COLLECTIONS)
    assert layers["facilities"] == "Point" and layers["zones"] == "MultiPolygon"
    for key, rows in EXPECTED.items():
        info = pyogrio.read_info(path, layer=key)
        assert info["features"] == rows, key
    facilities = pyogrio.read_dataframe(path, layer="facilities")
    assert facilities.crs.to_epsg() == 4326
    assert sorted(facilities["name"]) == ["Nhà máy A", "Nhà máy B"]
    assert facilities.geometry.iloc[0].x == pytest.approx(106.70)
    daily = pyogrio.read_dataframe(path, layer="monitoring_daily", read_geometry=False)
    assert sorted(daily["mean"]) == [5.0, 15.0, 30.0]
    reports = pyogrio.read_dataframe(path, layer="reports", read_geometry=False)
    tables = json.loads(reports.loc[reports["id"] == city.report_a.pk, "tables"].iloc[0])
    assert tables["hazardous_waste"][0]["ctnh_code"] == "17 02 03"


def test_period_narrows_the_dated_collections_only(city):
    package = build_data_package(actor=None, year=2024)
    counts = package.counts
    assert counts["facilities"] == 2 and counts["permits"] == 2  # registers: as they stand
    assert counts["reports"] == 0 and counts["monitoring_daily"] == 0 and counts["exceedances"] == 0
    narrow = build_data_package(actor=None, period_start=dt.date(2025, 6, 2), period_end=dt.date(2025, 6, 2))
    assert narrow.counts["monitoring_daily"] == 1  # the readings of 2 June, Vietnam time


def test_each_run_is_a_new_version(city, capsys):
    call_command("build_data_package", "--year", "2025")
    call_command("build_data_package")
    assert list(DataPackage.objects.values_list("version", flat=True)) == [2, 1]
    first, second = DataPackage.objects.order_by("version")
    assert first.file.name != second.file.name
    assert second.manifest["period"] == {"start": None, "end": None}
    assert "data package v2" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="exchange.package.build").count() == 2


def test_command_rejects_a_bad_period(city):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("build_data_package", "--from", "2025-02-01", "--to", "2025-01-01")
    assert not DataPackage.objects.exists()


def test_failure_while_writing_leaves_nothing(city, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    before = stored_packages()
    monkeypatch.setattr("exchange.package.write_gpkg", broken)
    with pytest.raises(RuntimeError):
        build_data_package(actor=None)
    assert not DataPackage.objects.exists()
    assert stored_packages() == before


def test_failure_after_storing_removes_the_file(city, monkeypatch):
    """The file is stored before the row is recorded: a failure then rolls the row back and deletes the file."""
    before = stored_packages()

    def broken(**kwargs):
        assert len(stored_packages()) == len(before) + 1  # the file was indeed written
        raise RuntimeError("audit down")

    monkeypatch.setattr("exchange.services.audit_record", broken)
    with pytest.raises(RuntimeError):
        build_data_package(actor=None)
    assert not DataPackage.objects.exists()
    assert stored_packages() == before
    # and the next build still gets version 1
    monkeypatch.undo()
    assert build_data_package(actor=None).version == 1


def test_scheduled_task_builds_this_years_package(city):
    from django.utils import timezone

    from exchange.tasks import build_scheduled_data_package

    version = build_scheduled_data_package.call()
    package = DataPackage.objects.get(version=version)
    today = timezone.localdate()
    assert package.period_start.isoformat() == f"{today.year}-01-01" and package.period_end == today
    assert package.created_by is None
