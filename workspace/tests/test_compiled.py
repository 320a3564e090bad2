"""The compiled reports (Mẫu 03 for the city, Mẫu 02 for the EZ board): their totals equal the
sums of the counted reports (submitted or accepted, the latest submission's data), computed
here independently; the register and monitoring figures equal counts of the data built here;
every figure has one row in the table of sources and its SQL, run again, gives the same value;
the DOCX and the PDF hold the figures; the EZ board's report covers only the board's zones."""
from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from collections import defaultdict
from decimal import Decimal

import docx
import pytest

from geoportal.catalogues.models import Catalogue, CatalogueEntry
from geoportal.organisations.choices import OrganisationKind
from layers.choices import ApprovalStatus, FacilityStatus, PermitClass, RemedyStatus
from layers.models import Inspection, Permit, Remedy
from monitoring.choices import StationKind
from monitoring.models import ExceedanceEvent, Parameter
from monitoring.reference import load_reference
from monitoring.selectors import local_midnight
from monitoring.services.ingest import ResolvedReading, write_readings
from monitoring.tests.factories import ParameterFactory, StationFactory, UnitFactory
from reports.choices import ReportStatus
from reports.models import ReportSubmission
from reports.tests.factories import FormDefinitionFactory, ReportFactory, received
from tests.factories import EnterpriseFactory, OrganisationFactory
from tests.layer_factories import FacilityFactory, ZoneFactory
from workspace.compiled import compile_report
from workspace.compiled.document import FORMS, figure_text, load_structure
from workspace.compiled.docx import render_compiled_docx
from workspace.compiled.pdf import render_compiled_pdf
from workspace.compiled.sources import clean_value, execute, find_row

YEAR = 2025
CANONICAL = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")
APPROVED = ApprovalStatus.APPROVED

# Report tables (the data contract), one dict per filer. "1.234,5" is how a user may type a
# number in a draft: not canonical, never summed.
T1 = {"hazardous_waste": [{"ctnh_code": "18 02 01", "quantity_kg": "1200.5"},
                          {"ctnh_code": "16 01 06", "quantity_kg": "300"},
                          {"ctnh_code": "18 02 01", "quantity_kg": "1.234,5"}],
      "wastewater_works": [{"works_name": "HTXL 1", "volume_m3_year": "15000"}],
      "solid_waste": [{"waste_kind": "domestic", "quantity_kg": "1000"},
                      {"waste_kind": "industrial", "quantity_kg": "2000.25"}],
      "wastewater_monitoring": [{"parameter": "COD", "exceeds": True}, {"parameter": "pH", "exceeds": False}]}
T2_FIRST = {"hazardous_waste": [{"ctnh_code": "18 02 01", "quantity_kg": "999"}]}  # superseded revision
T2 = {"hazardous_waste": [{"ctnh_code": "18 02 01", "quantity_kg": "10"},
                          {"ctnh_code": "19 06 01", "quantity_kg": "0.75"}],
      "wastewater_works": [{"volume_m3_year": "400"}],
      "emission_monitoring": [{"parameter": "SO2", "exceeds": True}]}
T3 = {"hazardous_waste": [{"ctnh_code": "16 01 06", "quantity_kg": "45"}],
      "solid_waste": [{"waste_kind": "domestic", "quantity_kg": "5"}]}
TZ = {"wastewater_works": [{"works_name": "Trạm XLNT tập trung", "volume_m3_year": "90000"}],
      "wastewater_monitoring": [{"parameter": "COD", "exceeds": True}]}
EXCLUDED = {"hazardous_waste": [{"ctnh_code": "18 02 01", "quantity_kg": "7000000"}],
            "wastewater_works": [{"volume_m3_year": "7000000"}]}


def data(tables: dict) -> dict:
    return {"fields": {}, "tables": tables}


def number(value) -> Decimal:
    return Decimal(str(value)) if CANONICAL.match(str(value)) else Decimal(0)


def expected_sum(tables_list: list[dict], table: str, column: str, by: str | None = None):
    """The independent sum: canonical values of `column` in `table`, in total or by `by`."""
    groups: dict = defaultdict(Decimal)
    for tables in tables_list:
        for row in tables.get(table, []):
            groups[row.get(by) if by else None] += number(row.get(column, ""))
    return groups if by else groups[None]


def submit(report, tables: dict, *, revision: int = 1, status=ReportStatus.SUBMITTED):
    """A copy of record of `tables` (revision `revision`) and the report's status; received on 5 January
    of the next year (on time)."""
    now = dt.datetime(YEAR + 1, 1, 5, 3, tzinfo=dt.UTC)
    ReportSubmission.objects.create(
        report=report, revision=revision, form=report.form, data=data(tables), rendered_sha256="r" * 64,
        signed_pdf="reports/signed/t.pdf", sha256=f"{report.pk:032d}{revision:032d}", size=1, signing_path="upload",
        verification={"ok": True}, received_at=now, receipt_pdf="reports/receipts/t.pdf", receipt_sha256="c" * 64)
    type(report).objects.filter(pk=report.pk).update(status=status, first_submitted_at=now, submitted_at=now,
                                                     revision=revision)


@pytest.fixture
def city(world):
    """Two zones under two boards, facilities in and out of them, their reports in every status,
    permits, inspections, stations and exceedance events."""
    other_board = OrganisationFactory(kind=OrganisationKind.EZ_BOARD, name="BQL khác (thử)")
    investor = EnterpriseFactory(name="Chủ đầu tư hạ tầng")
    zone_a = ZoneFactory(name="KCN A thử", managing_board=world.ez_board, investor_organisation=investor,
                         area_ha=Decimal("250.5"), cwwtp_capacity_m3_day=Decimal("4000"), occupancy_pct=Decimal("80"))
    zone_b = ZoneFactory(name="KCN B thử", managing_board=other_board, area_ha=Decimal("100"))
    sectors = Catalogue.objects.create(code="sectors-compiled", name_vi="Ngành nghề")
    steel = CatalogueEntry.objects.create(catalogue=sectors, code="C24", name_vi="Sản xuất thép")
    food = CatalogueEntry.objects.create(catalogue=sectors, code="C10", name_vi="Chế biến thực phẩm")
    status = FacilityStatus.OPERATING

    def facility(**kw):
        kw.setdefault("owner_organisation", world.enterprise_a)
        return FacilityFactory(status=kw.pop("status", status), **kw)

    f1 = facility(name="Thép A", zone=zone_a, sector=steel, permit_class=PermitClass.GPMT, admin_unit=world.unit_a)
    f2 = facility(name="Thực phẩm B", zone=zone_b, sector=food, permit_class=PermitClass.DKMT,
                  owner_organisation=world.enterprise_b)
    f3 = facility(name="Ngoài khu", sector=steel, permit_class=PermitClass.GPMT)
    f4 = facility(name="Bị trả lại", permit_class=PermitClass.GPMT)
    f5 = facility(name="Bản nháp", zone=zone_a, permit_class=PermitClass.DKMT)
    facility(name="Đã đóng cửa", status=FacilityStatus.CLOSED, sector=steel, permit_class=PermitClass.GPMT)
    facility(name="Chưa phê duyệt", approval_status=ApprovalStatus.AWAITING, permit_class=PermitClass.GPMT)
    form_a = FormDefinitionFactory(code="05.A", version="t-compiled")
    form_b = FormDefinitionFactory(code="05.B", version="t-compiled", applies_to="dkmt")
    form_z = FormDefinitionFactory(code="06", version="t-compiled", applies_to="zone_investor", deadline_day=20)

    r1 = ReportFactory(facility=f1, form=form_a, data=data(T1))
    submit(r1, T1, status=ReportStatus.ACCEPTED)
    r2 = ReportFactory(facility=f2, form=form_b, data=data(EXCLUDED))  # the copy of record wins over .data
    submit(r2, T2_FIRST)
    submit(r2, T2, revision=2)
    r3 = received(ReportFactory(facility=f3, form=form_a, data=data(T3)), when=dt.datetime(YEAR + 1, 1, 5, tzinfo=dt.UTC))
    # Received late: first submitted after the deadline (15/01/2026).
    type(r3).objects.filter(pk=r3.pk).update(first_submitted_at=dt.datetime(2026, 2, 1, 3, tzinfo=dt.UTC))
    rz = ReportFactory(zone=zone_a, facility=None, form=form_z, data=data(TZ), organisation=investor,
                       due_before=dt.date(2026, 1, 20))
    submit(rz, TZ)
    r4 = ReportFactory(facility=f4, form=form_a, data=data(EXCLUDED))
    submit(r4, EXCLUDED, status=ReportStatus.RETURNED)
    ReportFactory(facility=f5, form=form_b, data=data(EXCLUDED))  # a draft
    old = ReportFactory(facility=f1, form=form_a, year=YEAR - 1, data=data(EXCLUDED))
    submit(old, EXCLUDED, status=ReportStatus.ACCEPTED)

    def permit(parent, number, signed, term, **kw):
        return Permit.objects.create(facility=parent, number=number, signed_on=signed, term_years=term,
                                     approval_status=APPROVED, **kw)

    permit(f1, "P1", dt.date(2025, 3, 1), 5)  # granted, valid
    permit(f3, "P2", dt.date(2015, 6, 1), 10)  # expires 31/05/2025
    permit(f2, "P3", dt.date(2020, 1, 1), 10, revoked_on=dt.date(2025, 7, 1))  # revoked
    p4 = permit(f3, "P4", dt.date(2019, 1, 1), 10)
    permit(f3, "P5", dt.date(2025, 2, 1), 5, supersedes=p4)  # granted, valid; P4 superseded
    Permit.objects.create(facility=f1, number="P6", signed_on=dt.date(2025, 5, 1), term_years=5)  # not approved

    i1 = Inspection.objects.create(facility=f1, inspected_on=dt.date(2025, 4, 10), authority="Sở",
                                   penalty_vnd=Decimal(50_000_000), approval_status=APPROVED)
    Remedy.objects.create(inspection=i1, description="Sửa HTXL", status=RemedyStatus.DONE,
                          completed_on=dt.date(2025, 6, 1))
    Remedy.objects.create(inspection=i1, description="Lắp trạm tự động")
    i2 = Inspection.objects.create(facility=f2, inspected_on=dt.date(2024, 11, 1), authority="Sở",
                                   approval_status=APPROVED)
    Remedy.objects.create(inspection=i2, description="Báo cáo lại", status=RemedyStatus.DONE,
                          completed_on=dt.date(2025, 2, 1))

    air = StationFactory(code="KK-1", name="Trạm không khí thử")
    outfall = StationFactory(code="NT-1", kind=StationKind.WASTEWATER, facility=f1)
    StationFactory(code="NT-2", kind=StationKind.WASTEWATER, facility=f2)
    cod = ParameterFactory(code="COD-t", medium="wastewater", unit=UnitFactory(code="mg/L"))

    def event(station, start):
        ExceedanceEvent.objects.create(station=station, parameter=cod, averaging="1h", started_at=start,
                                       ended_at=start + dt.timedelta(hours=2), peak_value=200, peak_at=start, limit_upper=100, limit_source="QCVN 40:2011")

    event(outfall, dt.datetime(2025, 5, 1, 3, tzinfo=dt.UTC))
    event(outfall, dt.datetime(2024, 12, 31, 18, tzinfo=dt.UTC))  # 01:00 on 1 January 2025 in Hai Phong
    event(outfall, dt.datetime(2024, 12, 31, 16, tzinfo=dt.UTC))  # 23:00 on 31 December 2024: not counted
    return {"zone_a": zone_a, "zone_b": zone_b, "other_board": other_board, "air": air,
            "counted": [T1, T2, T3, TZ], "zone_a_counted": [T1, TZ], "zone_b_counted": [T2]}


def compiled(world, form="mau03", role="dept_officer", **kw):
    return compile_report(form=form, user=world.users[role], year=YEAR, **kw)


def values(report) -> dict:
    return {f.key: f.value for f in report.figures}


def test_totals_equal_the_sum_of_the_counted_reports(world, city):
    """Submitted and accepted reports count, with their latest submission; returned, drafts and other years do not."""
    got = values(compiled(world))
    counted = city["counted"]
    assert got["hazardous_waste.total"] == expected_sum(counted, "hazardous_waste", "quantity_kg") == Decimal("1556.25")
    by_code = expected_sum(counted, "hazardous_waste", "quantity_kg", by="ctnh_code")
    for code, kg in by_code.items():
        assert got[f"hazardous_waste.{code}"] == clean_value(kg)
    assert got["hazardous_waste.ignored"] == 1  # "1.234,5"
    assert got["wastewater.total"] == expected_sum(counted, "wastewater_works", "volume_m3_year") == 105400
    assert got["wastewater.06"] == 90000 and got["wastewater.05.A"] == 15000 and got["wastewater.05.B"] == 400
    kinds = expected_sum(counted, "solid_waste", "quantity_kg", by="waste_kind")
    assert got["solid_waste.domestic"] == kinds["domestic"] == 1005
    assert got["solid_waste.industrial"] == clean_value(kinds["industrial"])
    assert got["solid_waste.total"] == clean_value(sum(kinds.values()))
    declared = sum(1 for t in counted for name in ("wastewater_monitoring", "emission_monitoring")
                   for row in t.get(name, []) if row.get("exceeds") is True)
    assert got["declared_exceedances.total"] == declared == 3
    # The reports themselves: f1, f2, f3, f4 (returned) and the zone's were received; f5's is a draft.
    assert (got["reports.received"], got["reports.accepted"], got["reports.awaiting"], got["reports.returned"],
            got["reports.counted"], got["reports.late"]) == (5, 1, 3, 1, 4, 1)
    # Filers: the approved, operating GPMT/ĐKMT facilities (f1–f5) and the zone with an investor.
    assert got["reports.due"] == 6 and got["reports.not_received"] == 1


def test_register_and_monitoring_figures(world, city):
    """Facilities, permits, inspections, stations and exceedance events equal what was built."""
    got = values(compiled(world))
    # Approved and not closed: f1–f5 (the closed one and the unapproved one are left out).
    assert got["facilities.total"] == 5 and got["facilities.permit_class.total"] == 5
    assert (got["facilities.permit_class.gpmt"], got["facilities.permit_class.dkmt"],
            got["facilities.permit_class.exempt"]) == (3, 2, 0)
    steel = CatalogueEntry.objects.get(code="C24", catalogue__code="sectors-compiled")
    assert got[f"facilities.sector.{steel.pk}"] == 2 and got["facilities.sector.None"] == 2
    assert (got["permits.granted"], got["permits.valid"], got["permits.expired"], got["permits.revoked"]) == (2, 2, 1, 1)
    assert (got["inspections.inspections"], got["inspections.penalised"], got["inspections.penalty_vnd"],
            got["inspections.remedies"], got["inspections.remedies_done"],
            got["inspections.remedies_completed"]) == (1, 1, 50_000_000, 2, 1, 2)
    assert (got["stations.ambient_air.city"], got["stations.wastewater.facility"], got["stations.total"]) == (1, 2, 3)
    assert got["exceedances.total"] == 2 and got["exceedances.total.stations"] == 1


def test_every_figure_has_one_source_row_and_its_sql_gives_it_again(world, city):
    """The table of sources: one row per figure, numbered in order; each SQL, run again, gives the value."""
    report = compiled(world)
    figures = report.figures
    assert [f.ref for f in figures] == list(range(1, len(figures) + 1))
    assert len({f.key for f in figures}) == len(figures)
    printed = [f for s in report.sections for b in s.blocks for f in b.figures]
    assert sorted(f.ref for f in printed) == [f.ref for f in figures]  # each printed once, each in the table
    checked = 0
    for figure in figures:
        assert figure.sql.lstrip().upper().startswith(("SELECT", "WITH")) and figure.query.description
        if figure.query.derived:
            continue
        row = find_row(execute(figure.sql, figure.params), figure.row)
        again = clean_value(row[figure.column]) if row is not None else 0
        assert again == figure.value, (figure.key, figure.sql)
        checked += 1
    assert checked == len(figures) - sum(1 for f in figures if f.query.derived) > 40


def test_ez_board_report_covers_only_its_zones(world, city):
    """Mẫu 02 for the board's officer: its zone's facilities and the zone's own report, nothing else."""
    report = compiled(world, "mau02", "ez_officer")
    got = values(report)
    mine = city["zone_a_counted"]
    assert got["hazardous_waste.total"] == expected_sum(mine, "hazardous_waste", "quantity_kg") == Decimal("1500.5")
    assert got["wastewater.total"] == expected_sum(mine, "wastewater_works", "volume_m3_year") == 105000
    assert got["zones.total"] == 1 and got[f"zones.{city['zone_a'].pk}.area"] == Decimal("250.5")
    assert f"zones.{city['zone_b'].pk}.area" not in got
    assert got["facilities.total"] == 2  # f1 and f5 (the closed one is outside the zones)
    assert got["stations.total"] == 1 and got["exceedances.total"] == 2
    assert got["permits.granted"] == 1 and got["inspections.inspections"] == 1
    assert report.issuer == world.ez_board.name.upper()
    # The Department may compile it for another board: only that board's zone.
    other = values(compiled(world, "mau02", board=city["other_board"]))
    assert other["hazardous_waste.total"] == expected_sum(city["zone_b_counted"], "hazardous_waste", "quantity_kg")
    assert other["zones.total"] == 1 and other["permits.revoked"] == 1 and other["reports.counted"] == 1


def _steady_day(station, parameter, day: dt.date, value: float) -> list[ResolvedReading]:
    start = local_midnight(day)
    return [ResolvedReading(station.pk, parameter.pk, start + dt.timedelta(minutes=5 * i), value)
            for i in range(24 * 12)]


def test_air_quality_days_by_category_and_pm_exceedance_ratio(world, city):
    """Daily AQI categories per ambient station and the share of days above QCVN 05:2023's 24 h limits."""
    load_reference()
    pm25, pm10 = Parameter.objects.get(aqi_code="PM2.5"), Parameter.objects.get(aqi_code="PM10")
    air = city["air"]
    day1, day2 = dt.date(YEAR, 3, 10), dt.date(YEAR, 3, 11)
    rows = (_steady_day(air, pm25, day1, 30.0) + _steady_day(air, pm10, day1, 120.0)
            + _steady_day(air, pm25, day2, 60.0)
            + _steady_day(air, pm25, dt.date(YEAR + 1, 1, 1), 300.0))  # next year: not counted
    # A day with 12 hours of data is not a day with data (18 hours needed).
    rows += _steady_day(air, pm10, day2, 500.0)[:12 * 12]
    write_readings(rows)
    report = compiled(world)
    got = values(report)
    # Day 1: PM2.5 30 → 60, PM10 120 → 85: AQI 85 (moderate). Day 2: PM2.5 60 → 117 (poor). Decision 1459 Table 2.
    assert got["aqi.KK-1.moderate"] == 1 and got["aqi.KK-1.poor"] == 1 and got["aqi.KK-1.good"] == 0
    assert got["aqi.KK-1.days"] == 2
    # PM2.5 limit 50 in 2025: day 2 (60) exceeds; PM10 limit 100: day 1 (120) exceeds.
    assert (got["pm.KK-1.PM2.5.days"], got["pm.KK-1.PM2.5.exceeding"], got["pm.KK-1.PM2.5.ratio"]) == (2, 1, 50)
    assert (got["pm.KK-1.PM10.days"], got["pm.KK-1.PM10.exceeding"], got["pm.KK-1.PM10.ratio"]) == (1, 1, 100)
    assert got["pm.all.PM2.5.ratio"] == 50 and got["pm.all.PM10.days"] == 1
    limits = {f.row["parameter"]: f.value for f in report.figures if f.key.startswith("limit.")}
    assert limits == {"PM2.5": 50, "PM10": 100}  # in force in 2025 (PM2.5 45 only from 2026)
    for figure in report.figures:
        if figure.key.startswith(("pm.", "limit.")):
            row = find_row(execute(figure.sql, figure.params), figure.row)
            assert clean_value(row[figure.column]) == figure.value
    aqi = next(f for f in report.figures if f.key == "aqi.KK-1.poor")
    assert aqi.query.derived and "monitoring_reading" in aqi.sql


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_docx_opens_and_holds_the_figures(world, city):
    """The Word file opens with python-docx; its tables hold the figures and one source row per figure."""
    report = compiled(world)
    content = render_compiled_docx(report)
    document = docx.Document(io.BytesIO(content))
    text = _docx_text(content)
    by_key = {f.key: f for f in report.figures}
    for key in ("hazardous_waste.total", "wastewater.total", "permits.valid", "inspections.penalty_vnd"):
        assert figure_text(by_key[key]) in text
    assert "1.556,25" in text and "105.400" in text and "50.000.000" in text
    sources = next(t for t in document.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    assert len(sources.rows) == len(report.figures) + 1
    assert sources.rows[1].cells[0].text == "[1]"
    assert "NGUỒN SỐ LIỆU" in text and "Q1" in text
    assert document.core_properties.author == report.issuer


def test_pdf_text_holds_the_figures(world, city):
    """The PDF's text (pdftotext) holds the figures, the awaiting-layout notes and the table of sources."""
    report = compiled(world, "mau02", "ez_officer")
    pdf = render_compiled_pdf(report)
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    text = text.decode("utf-8")
    for expected in ("1.500,5", "105.000", "250,5", "NGUỒN SỐ LIỆU", "chờ mẫu chính thức", "Các truy vấn"):
        assert expected in text, expected
    assert text.count("[U]") >= 1


@pytest.mark.parametrize("form", FORMS)
def test_structures_are_tagged_data(form):
    """The outlines are data with certainty tags; unconfirmed sections await the official layout."""
    structure = load_structure(form)
    assert structure["counted_statuses"] == ["submitted", "accepted"]
    for section in structure["sections"]:
        assert section["certainty"] in ("confirmed", "secondary", "unconfirmed")
        if section["certainty"] != "confirmed":
            assert section["status"] == "awaiting_official_layout"
    if form == "mau03":
        air = structure["sections"][0]
        assert air["key"] == "air" and air["certainty"] == "confirmed"
        assert {"aqi_days", "pm_exceedance"} <= set(air["blocks"])
