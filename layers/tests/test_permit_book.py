"""The permit tracking book: reading the Department's Excel layout (year groups, number
and date in one cell, Vietnamese numbers), creating or matching facilities and permits,
all-or-nothing, the export in the same layout and the round trip."""
from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from geoportal.audit.models import AuditEvent
from geoportal.organisations.choices import UnitKind
from layers.choices import ApprovalStatus, DischargeKind
from layers.imports.parsing import CellError
from layers.imports.permit_book import HEADERS, export_permit_book, parse_permit_cell, permit_book_import
from layers.imports.report import ImportRefused
from layers.models import DischargeStream, Facility, ImportBatch, Permit
from layers.tests.factories import (
    DischargeStreamFactory,
    InUnitFacilityFactory,
    PermitFactory,
    issuing_authorities,
    unit_at,
)

PROVISIONAL = "provisional location: centre of the commune/ward"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def place(world):
    world.tan_hung = unit_at(106.0, 20.8, name="Tân Hưng", kind=UnitKind.WARD)
    world.an_phu = unit_at(106.1, 20.8, name="An Phú", kind=UnitKind.COMMUNE)
    world.issuers = issuing_authorities()
    return world


@pytest.fixture
def officer(place):
    return place.users["dept_officer"]


def workbook(tmp_path: Path, rows: list[list], name: str = "so_gpmt.xlsx") -> Path:
    """The Department's layout: a title, a blank row, the header, then the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["SỔ THEO DÕI GIẤY PHÉP MÔI TRƯỜNG NĂM 2023–2024"])
    sheet.append([])
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


BOOK = [
    ["Năm 2023"],
    [1, "CÔNG TY TNHH THÉP TÂN HƯNG", "Số 1 đường Đông Hải, phường Tân Hưng", "Luyện thép",
     "123/GPMT-UBND ngày 12/3/2023", "200.000 tấn/năm", "1.949", "3074,5", "45.678", None],
    [2, "Nhà máy chế biến thủy sản An Phú", "Thôn 3, xã An Phú, TP Hải Phòng", "Chế biến thủy sản",
     "Số 45/GPMT-BTNMT, 05/01/2024", None, "350", None, "5.200,5", "1.500"],
    [None, None, None, None, None, None, None, None, None, None],
    ["NĂM 2024"],
    [3, "Xưởng cơ khí Tân Hưng", "P. Tân Hưng", "Cơ khí", "GP số 7/GPMT-UBND ngày 7 tháng 2 năm 2024",
     None, None, "1.200,25", None, None],
    [4, "Cơ sở chưa rõ ngày", "xã An Phú", None, "08/GPMT-BNNMT", None, "12.500", None, None, None],
    [5, "Cơ sở cơ quan lạ", "xã An Phú", None, "9/GPMT-SXD ngày 01/02/2024", None, None, None, None, None],
    [6],
]


def run(actor, path: Path, *, dry_run=True):
    return permit_book_import(actor=actor, source=path, original_name=path.name, dry_run=dry_run)


def by_label(report) -> dict:
    return {r.label: r for r in report.rows}


# --- The permit cell ------------------------------------------------------------------------
@pytest.mark.parametrize("text,number,symbol,signed_on", [
    ("123/GPMT-UBND ngày 12/3/2023", "123", "GPMT-UBND", date(2023, 3, 12)),
    ("Số 45/GPMT-BTNMT, 05/01/2024", "45", "GPMT-BTNMT", date(2024, 1, 5)),
    ("GP số 7/GPMT-UBND ngày 7 tháng 2 năm 2023", "7", "GPMT-UBND", date(2023, 2, 7)),
    ("Giấy phép số 01/2024/GPMT-BNNMT ngày 02-03-2024", "01", "2024/GPMT-BNNMT", date(2024, 3, 2)),
    ("08/GPMT-UBND", "08", "GPMT-UBND", None),
])
def test_permit_cell(text, number, symbol, signed_on):
    ref = parse_permit_cell(text)
    assert (ref.number, ref.symbol, ref.signed_on) == (number, symbol, signed_on)


@pytest.mark.parametrize("text", ["", "chưa cấp", "12/3/2023", "123/GPMT-UBND ngày 31/2/2023"])
def test_permit_cell_errors(text):
    with pytest.raises(CellError):
        parse_permit_cell(text)


# --- Import ---------------------------------------------------------------------------------
def test_dry_run_writes_nothing(place, officer, tmp_path):
    path = workbook(tmp_path, BOOK)
    counts = (Facility.objects.count(), Permit.objects.count(), AuditEvent.objects.count())
    report = run(officer, path)
    assert [r.outcome for r in report.rows] == ["create"] * 5
    assert (Facility.objects.count(), Permit.objects.count(), AuditEvent.objects.count()) == counts


def test_import_book(place, officer, tmp_path):
    steel = InUnitFacilityFactory(name="Công ty TNHH Thép Tân Hưng", unit=place.tan_hung)
    report = run(officer, workbook(tmp_path, BOOK), dry_run=False)
    assert not report.aborted, [r.messages for r in report.rows]
    rows = by_label(report)
    assert [r.row for r in report.rows] == [5, 6, 9, 10, 11]  # sheet rows: title, blank, header, group first

    # Row 1: the existing facility (folded name), a clean permit: nothing to review.
    assert not rows["CÔNG TY TNHH THÉP TÂN HƯNG"].needs_review
    permit = Permit.objects.get(facility=steel)
    assert (permit.number, permit.symbol, permit.signed_on) == ("123", "GPMT-UBND", date(2023, 3, 12))
    assert permit.issuer == place.issuers["ubnd_tp"] and permit.approval_status == ApprovalStatus.APPROVED
    assert permit.industrial_solid_waste_kg_year == Decimal("45678") and permit.hazardous_waste_kg_year is None
    streams = {s.kind: s for s in permit.discharge_streams.all()}
    assert streams[DischargeKind.WASTEWATER].max_flow == Decimal("1949")
    assert streams[DischargeKind.WASTEWATER].flow_unit == "m³/day"
    assert streams[DischargeKind.EMISSIONS].max_flow == Decimal("3074.5")
    steel.refresh_from_db()
    assert steel.address == "Số 1 đường Đông Hải, phường Tân Hưng" and steel.capacity == "200.000 tấn/năm"

    # Row 2: a new facility at the centre of xã An Phú, flagged; date from 2024 under "Năm 2023".
    seafood = Facility.objects.get(name="Nhà máy chế biến thủy sản An Phú")
    assert seafood.admin_unit == place.an_phu and seafood.needs_review
    assert seafood.review_note == PROVISIONAL
    assert place.an_phu.geom.covers(seafood.geom)
    seafood_permit = Permit.objects.get(facility=seafood)
    assert seafood_permit.issuer == place.issuers["bo_tnmt"]
    assert seafood_permit.industrial_solid_waste_kg_year == Decimal("5200.5")
    assert seafood_permit.hazardous_waste_kg_year == Decimal("1500")
    assert seafood_permit.needs_review and "listed under" in seafood_permit.review_note
    assert "1.500" in seafood_permit.review_note  # ambiguous number

    # Row 3: "P. Tân Hưng", date in words.
    workshop = Permit.objects.get(number="7")
    assert workshop.facility.admin_unit == place.tan_hung and workshop.signed_on == date(2024, 2, 7)
    assert workshop.discharge_streams.get().max_flow == Decimal("1200.25")

    # Row 4: no date (the year group says 2024), ambiguous 12.500, BNNMT.
    undated = Permit.objects.get(number="08")
    assert undated.signed_on is None and undated.issuer == place.issuers["bo_nnmt"]
    assert undated.needs_review and "2024" in undated.review_note and "12.500" in undated.review_note
    assert undated.discharge_streams.get(kind=DischargeKind.WASTEWATER).max_flow == Decimal("12500")

    # Row 5: an unknown issuer.
    strange = Permit.objects.get(number="9")
    assert strange.issuer is None and strange.needs_review and "SXD" in strange.review_note
    assert AuditEvent.objects.filter(action="permit.create").count() == 5
    assert AuditEvent.objects.filter(action="dischargestream.create").count() == 5


def test_row_without_a_place_rejects_the_whole_book(place, officer, tmp_path):
    rows = [*BOOK, [7, "Cơ sở không địa chỉ", "Số 9 đường Lạch Tray", None, "10/GPMT-UBND ngày 1/1/2024"]]
    counts = (Facility.objects.count(), Permit.objects.count(), AuditEvent.objects.count())
    report = run(officer, workbook(tmp_path, rows), dry_run=False)
    assert report.aborted and report.counts["reject"] == 1
    assert report.rejected[0].row == 13 and "cannot be placed" in report.rejected[0].messages[0]
    assert (Facility.objects.count(), Permit.objects.count(), AuditEvent.objects.count()) == counts


def test_bad_cells_are_rejected_with_their_row(place, officer, tmp_path):
    rows = [["Năm 2024"], [1, "Cơ sở A", "xã An Phú", None, "không số"],
            [2, "Cơ sở B", "xã An Phú", None, "1/GPMT-UBND", None, "nhiều"]]
    report = run(officer, workbook(tmp_path, rows))
    assert [(r.row, r.outcome) for r in report.rows] == [(5, "reject"), (6, "reject")]
    assert "Giấy phép số" in report.rows[0].messages[0] and "Nước thải" in report.rows[1].messages[0]


def test_same_facility_twice_gets_two_permits(place, officer, tmp_path):
    rows = [["Năm 2023"], [1, "Cơ sở hai giấy phép", "xã An Phú", None, "1/GPMT-UBND ngày 1/2/2023"],
            ["Năm 2024"], [2, "Cơ sở hai giấy phép", "xã An Phú", None, "2/GPMT-UBND ngày 1/2/2024"],
            [3, "Cơ sở hai giấy phép", "xã An Phú", None, "2/GPMT-UBND ngày 1/2/2024"]]
    report = run(officer, workbook(tmp_path, rows))
    assert [r.outcome for r in report.rows] == ["create", "create", "reject"]
    report = run(officer, workbook(tmp_path, rows[:4]), dry_run=False)
    assert Facility.objects.count() == 1 and Permit.objects.count() == 2


def test_refused_files(place, officer, tmp_path):
    fake = tmp_path / "book.xlsx"
    fake.write_text('{"type": "FeatureCollection"}', encoding="utf-8")
    with pytest.raises(ImportRefused, match="does not match"):
        run(officer, fake)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    evil = tmp_path / "evil.xlsx"
    evil.write_bytes(buf.getvalue())
    with pytest.raises(ImportRefused, match="DOCTYPE"):
        run(officer, evil)
    no_header = workbook(tmp_path, [])
    book = openpyxl.load_workbook(no_header)
    book.active.delete_rows(3)
    book.save(no_header)
    with pytest.raises(ImportRefused, match="header"):
        run(officer, no_header)


def test_only_the_department_imports_the_book(place, tmp_path):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(place.users["commune_officer"], workbook(tmp_path, BOOK))


# --- Export and round trip ------------------------------------------------------------------
def test_export_layout(place):
    facility = InUnitFacilityFactory(name="Cơ sở xuất sổ", unit=place.tan_hung, address="phường Tân Hưng",
                                     activity="Dệt nhuộm", capacity="1.000 tấn")
    permit = PermitFactory(facility=facility, number="12", symbol="GPMT-UBND", signed_on=date(2023, 3, 12),
                           issuer=place.issuers["ubnd_tp"], industrial_solid_waste_kg_year=Decimal("12500"),
                           hazardous_waste_kg_year=Decimal("3074.5"))
    DischargeStreamFactory(permit=permit, max_flow=Decimal("1900"))
    DischargeStreamFactory(permit=permit, code="NT2", max_flow=Decimal("49"))
    PermitFactory(facility=facility, number="13", signed_on=None, issuer=place.issuers["ubnd_tp"])
    sheet = openpyxl.load_workbook(io.BytesIO(export_permit_book(Permit.objects.all()))).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[2] == list(HEADERS)
    assert values[3][0] == "Năm 2023"
    assert values[4][:5] == [1, "Cơ sở xuất sổ", "phường Tân Hưng", "Dệt nhuộm", "12/GPMT-UBND ngày 12/03/2023"]
    assert values[4][6:10] == ["1.949", None, "12500", "3.074,5"]  # 1900 + 49; 12500 written unambiguously
    assert values[5][0] == "Chưa rõ năm" and values[6][4] == "13/GPMT-UBND"


def test_round_trip_is_unchanged(place, officer, tmp_path):
    run(officer, workbook(tmp_path, BOOK), dry_run=False)
    steel = InUnitFacilityFactory(name="Nhà máy có 2 dòng thải", unit=place.tan_hung, address="phường Tân Hưng")
    permit = PermitFactory(facility=steel, number="77", symbol="GPMT-BNNMT", signed_on=date(2025, 8, 1),
                           issuer=place.issuers["bo_nnmt"], hazardous_waste_kg_year=Decimal("1000"))
    DischargeStreamFactory(permit=permit, max_flow=Decimal("10.5"))
    DischargeStreamFactory(permit=permit, code="NT2", max_flow=Decimal("20"))
    DischargeStreamFactory(permit=permit, code="KT1", kind=DischargeKind.EMISSIONS, max_flow=Decimal("12000"))
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(export_permit_book(Permit.objects.for_user(officer)))
    counts = (Facility.objects.count(), Permit.objects.count(), DischargeStream.objects.count())
    report = run(officer, exported)
    assert report.counts["total"] == 6
    assert {r.outcome for r in report.rows} == {"unchanged"}, [(r.label, r.messages) for r in report.rows]
    assert not any(r.needs_review for r in report.rows)
    assert (Facility.objects.count(), Permit.objects.count(), DischargeStream.objects.count()) == counts


def test_export_view_is_scoped(place, client):
    mine = PermitFactory(facility=InUnitFacilityFactory(name="Cơ sở xã A", unit=place.unit_a))
    PermitFactory(facility=InUnitFacilityFactory(name="Cơ sở xã B", unit=place.unit_b))
    url = reverse("layers:imports:permit-book-export")
    assert client.get(url).status_code == 302
    client.force_login(place.users["commune_officer"])
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert r["Content-Disposition"].startswith("attachment;")
    names = {row[1] for row in openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True)}
    assert mine.facility.name in names and "Cơ sở xã B" not in names


def test_upload_page_and_command(place, client, tmp_path):
    path = workbook(tmp_path, BOOK)
    client.force_login(place.users["dept_officer"])
    r = client.post(reverse("layers:imports:upload"), {
        "layer": "permit-book", "file": SimpleUploadedFile(path.name, path.read_bytes())})
    assert r.status_code == 302, r.content.decode()[:2000]
    batch = ImportBatch.objects.get()
    assert batch.layer == "permit-book" and batch.created_count == 5 and Permit.objects.count() == 0
    client.post(reverse("layers:imports:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED and Permit.objects.count() == 5
    out = io.StringIO()
    call_command("import_permit_book", str(path), "--dry-run", "--as", "officer_t", stdout=out)
    assert "unchanged 5" in out.getvalue()
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_permit_book", str(path), "--as", "xa_a", stdout=io.StringIO())
