"""Queries across received reports: totals equal the sums of the rows filed, only received
reports in the officer's scope count (the latest submission's data), downloads parse back,
bad parameters are form errors (400), never 500; enterprises get 403."""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import path
from django.utils import timezone
from django.utils.formats import number_format

import geoportal.urls
from geoportal.catalogues.models import Catalogue, CatalogueEntry
from reports.analytics import aggregate, exceedance_facilities, query_table
from reports.analytics_views import ReportQueryView
from reports.choices import ReportStatus
from reports.models import FormDefinition, Report, ReportSubmission
from tests.factories import EnterpriseFactory
from tests.layer_factories import FacilityFactory, ZoneFactory

# The lead wires the page at /officer/reports/query/ ("reports:query"); until then, and
# independently of it, these tests mount it at the same path in front of the root URLs.
urlpatterns = [path("officer/reports/query/", ReportQueryView.as_view()), *geoportal.urls.urlpatterns]
pytestmark = pytest.mark.urls(__name__)
URL = "/officer/reports/query/"
YEAR = 2025
CANONICAL = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")


def number(value) -> Decimal | None:
    """The independent reading of a cell: canonical decimal strings (and JSON numbers)."""
    if isinstance(value, bool) or value is None:
        return None
    text = str(value)
    return Decimal(text) if CANONICAL.match(text) else None


def total(rows: list[dict], column: str, **where) -> Decimal:
    return sum((number(r.get(column)) or Decimal(0) for r in rows
                if all(r.get(k) == v for k, v in where.items())), Decimal(0))


def form_version(code: str, applies_to: str, day: int = 15) -> FormDefinition:
    return FormDefinition.objects.create(
        code=code, version="t1", applies_to=applies_to, title_vi=f"Mẫu {code}", legal_basis="TT 02/2022",
        effective_from="2022-01-10", deadline_day=day, definition={"code": code, "sections": []}, sha256="0" * 64)


F1 = {  # facility 1, commune A, in the zone
    "hazardous_waste": [
        {"waste_name": "Bùn thải", "ctnh_code": "18 02 01", "quantity_kg": "1200.5"},
        {"waste_name": "Dầu thải", "ctnh_code": "16 01 06", "quantity_kg": "300"},
        {"waste_name": "Giẻ lau", "ctnh_code": "18 02 01", "quantity_kg": "1.234,5"},  # as typed: not summed
        {"waste_name": "Bóng đèn", "ctnh_code": "16 01 06", "quantity_kg": ""},
        {"waste_name": "Pin", "ctnh_code": "19 06 01", "quantity_kg": 50},
    ],
    "wastewater_works": [{"works_name": "HTXL 1", "volume_m3_year": "15000"},
                         {"works_name": "HTXL 2", "volume_m3_year": "2500.25"}],
    "solid_waste": [{"waste_kind": "domestic", "quantity_kg": "1000"},
                    {"waste_kind": "industrial", "quantity_kg": "2000.5"}],
    "wastewater_monitoring": [
        {"parameter": "COD", "result": "120", "limit": "75", "exceeds": True},
        {"parameter": "TSS", "result": "110", "limit": "≤ 100", "exceeds": True},
        {"parameter": "pH", "result": "7", "limit": "5,5 - 9", "exceeds": False},
    ],
    "emission_monitoring": [{"stack": "O1", "parameter": "SO2", "result": "600", "limit": "500", "exceeds": True}],
}
F2 = {  # facility 2, commune B
    "hazardous_waste": [{"ctnh_code": "18 02 01", "quantity_kg": "10"},
                        {"ctnh_code": "16 01 06", "quantity_kg": "0.75"}],
    "wastewater_works": [{"volume_m3_year": "abc"}, {"volume_m3_year": "400"}],
    "solid_waste": [{"waste_kind": "domestic", "quantity_kg": "5"}],
    "wastewater_monitoring": [{"parameter": "COD", "exceeds": False}, {"parameter": "Amoni", "exceeds": True}],
}
ZONE = {  # form 06 of the zone's investor
    "wastewater_works": [{"works_name": "Trạm XLNT tập trung", "volume_m3_year": "90000"}],
    "wastewater_monitoring": [{"parameter": "COD", "exceeds": True}, {"parameter": "COD", "exceeds": True}],
}
F4_SUBMITTED = {"hazardous_waste": [{"ctnh_code": "18 02 01", "quantity_kg": "7"}]}
F4_EDITING = {"hazardous_waste": [{"ctnh_code": "18 02 01", "quantity_kg": "7000000"}]}  # returned, being edited


def data(tables: dict) -> dict:
    return {"fields": {}, "tables": tables}


@pytest.fixture
def filed(world):
    """Received reports in communes A and B, one in a zone of the EZ board, a form 06,
    a draft, another year's, malformed data, and a returned report being edited."""
    forms = {"05.A": form_version("05.A", "gpmt"), "05.B": form_version("05.B", "dkmt"),
             "06": form_version("06", "zone_investor", 20)}
    sectors = Catalogue.objects.create(code="sectors-t", name_vi="Ngành nghề")
    steel = CatalogueEntry.objects.create(catalogue=sectors, code="C24", name_vi="Sản xuất thép", name_en="Steel")
    food = CatalogueEntry.objects.create(catalogue=sectors, code="C10", name_vi="Chế biến thực phẩm")
    investor = EnterpriseFactory(name="Chủ đầu tư KCN", admin_unit=world.unit_a)
    zone = ZoneFactory(name="KCN Đình Vũ thử", admin_unit=world.unit_a, managing_board=world.ez_board,
                       investor_organisation=investor)
    f1 = FacilityFactory(name="Nhà máy thép", admin_unit=world.unit_a, owner_organisation=world.enterprise_a,
                         zone=zone, sector=steel)
    f2 = FacilityFactory(name='=HYPERLINK("http://evil.example")', admin_unit=world.unit_b,
                         owner_organisation=world.enterprise_b, sector=food, permit_class="dkmt")
    f3 = FacilityFactory(name="Nháp", admin_unit=world.unit_a, owner_organisation=world.enterprise_a)
    f4 = FacilityFactory(name="Bị trả lại", admin_unit=world.unit_b, owner_organisation=world.enterprise_b)
    f5 = FacilityFactory(name="Dữ liệu hỏng", admin_unit=world.unit_b, owner_organisation=world.enterprise_b)
    now = timezone.now()

    def report(*, facility=None, zone_=None, form="05.A", tables=None, year=YEAR, received=True, raw=None,
               status=ReportStatus.SUBMITTED, unit=None, in_zone=None):
        owner = facility.owner_organisation if facility else zone_.investor_organisation
        return Report.objects.create(
            facility=facility, zone=zone_, organisation=owner, year=year, form=forms[form], status=status,
            data=raw if raw is not None else data(tables or {}), due_before=f"{year + 1}-01-15",
            admin_unit=unit, in_zone=in_zone, first_submitted_at=now if received else None)

    r1 = report(facility=f1, tables=F1, unit=world.unit_a, in_zone=zone)
    r2 = report(facility=f2, form="05.B", tables=F2, unit=world.unit_b)
    rz = report(zone_=zone, form="06", tables=ZONE, unit=world.unit_a, in_zone=zone)
    report(facility=f3, tables={"hazardous_waste": [{"quantity_kg": "999999"}]}, unit=world.unit_a, received=False,
           status=ReportStatus.DRAFT)
    report(facility=f1, tables={"hazardous_waste": [{"quantity_kg": "888888"}]}, unit=world.unit_a, year=2024)
    report(facility=f5, raw={"tables": {"hazardous_waste": "not a list", "solid_waste": [1, "x", None]}},
           unit=world.unit_b)
    r4 = report(facility=f4, tables=F4_EDITING, unit=world.unit_b, status=ReportStatus.RETURNED)
    ReportSubmission.objects.create(
        report=r4, revision=1, form=forms["05.A"], data=data(F4_SUBMITTED), rendered_sha256="a" * 64,
        signed_pdf="reports/signed/x.pdf", sha256="b" * 64, size=1, signing_path="upload", verification={},
        received_at=now, receipt_pdf="reports/receipts/x.pdf", receipt_sha256="c" * 64)
    return {"f1": f1, "f2": f2, "zone": zone, "r1": r1, "r2": r2, "rz": rz, "r4": r4, "steel": steel, "food": food}


def by_label(rows: list[dict]) -> dict:
    return {r["dim_label"]: r["value"] for r in rows}


def test_hazardous_waste_by_commune_equals_the_rows_filed(world, filed):
    """Only received reports of the year; text such as "1.234,5" is ignored, not guessed;
    the returned report counts with its submitted data, not the edits in progress."""
    officer = world.users["dept_officer"]
    result = query_table(user=officer, measure="hazardous_waste_kg", dimension="commune", year=YEAR)
    a = total(F1["hazardous_waste"], "quantity_kg")
    b = total(F2["hazardous_waste"], "quantity_kg") + total(F4_SUBMITTED["hazardous_waste"], "quantity_kg")
    assert a == Decimal("1550.5") and b == Decimal("17.75")
    assert by_label(result.rows) == {world.unit_a.name: a, world.unit_b.name: b}
    assert result.total["value"] == a + b
    assert result.total["reports"] == 3  # r1, r2, r4: the malformed report has no rows at all
    assert result.total["ignored"] == 2
    assert [r["dim_label"] for r in result.rows] == [world.unit_a.name, world.unit_b.name]  # largest first
    assert aggregate(user=officer, measure="hazardous_waste_kg", dimension="commune", year=YEAR) == result.rows


def test_breakdown_by_ctnh_code_and_waste_kind(world, filed):
    officer = world.users["dept_officer"]
    rows = aggregate(user=officer, measure="hazardous_waste_kg", dimension="commune", year=YEAR, breakdown=True)
    got = {(r["dim_label"], r["detail"]): r["value"] for r in rows}
    a, b = world.unit_a.name, world.unit_b.name
    assert got == {
        (a, "18 02 01"): total(F1["hazardous_waste"], "quantity_kg", ctnh_code="18 02 01"),
        (a, "16 01 06"): total(F1["hazardous_waste"], "quantity_kg", ctnh_code="16 01 06"),
        (a, "19 06 01"): Decimal(50),
        (b, "18 02 01"): Decimal("17"),
        (b, "16 01 06"): Decimal("0.75"),
    }
    solid = aggregate(user=officer, measure="solid_waste_kg", dimension="form", year=YEAR, breakdown=True)
    assert {(r["dim_label"], r["detail"]): r["value"] for r in solid} == {
        ("05.A", "domestic"): Decimal(1000), ("05.A", "industrial"): Decimal("2000.5"),
        ("05.B", "domestic"): Decimal(5)}


@pytest.mark.parametrize(("dimension", "expected"), [
    ("form", {"05.A": Decimal("17500.25"), "05.B": Decimal(400), "06": Decimal(90000)}),
    ("zone", {"KCN Đình Vũ thử": Decimal("107500.25"), None: Decimal(400)}),
    ("sector", {"Sản xuất thép": Decimal("17500.25"), "Chế biến thực phẩm": Decimal(400), None: Decimal(90000)}),
    ("facility", {"Nhà máy thép": Decimal("17500.25"), '=HYPERLINK("http://evil.example")': Decimal(400),
                  "KCN Đình Vũ thử": Decimal(90000)}),
])
def test_wastewater_by_each_dimension(world, filed, dimension, expected):
    assert total(F1["wastewater_works"], "volume_m3_year") == Decimal("17500.25")
    rows = aggregate(user=world.users["dept_officer"], measure="wastewater_m3", dimension=dimension, year=YEAR)
    assert by_label(rows) == expected


def test_sector_names_follow_the_language(world, filed):
    from django.utils import translation

    with translation.override("en"):
        rows = aggregate(user=world.users["dept_officer"], measure="wastewater_m3", dimension="sector", year=YEAR)
    assert set(by_label(rows)) == {"Steel", "Chế biến thực phẩm", None}  # no English name: the Vietnamese one


def test_exceedances_count_both_monitoring_tables(world, filed):
    officer = world.users["dept_officer"]
    rows = aggregate(user=officer, measure="exceedances", dimension="facility", year=YEAR)
    expected = {"Nhà máy thép": 3, '=HYPERLINK("http://evil.example")': 1, "KCN Đình Vũ thử": 2}
    assert by_label(rows) == expected
    assert {r["dim_label"]: r["parameters"] for r in rows}["Nhà máy thép"] == ["COD", "SO2", "TSS"]
    water = aggregate(user=officer, measure="wastewater_exceedances", dimension="commune", year=YEAR)
    assert by_label(water) == {world.unit_a.name: 4, world.unit_b.name: 1}


def test_facilities_whose_wastewater_exceeded_limits(world, filed):
    rows = exceedance_facilities(user=world.users["dept_officer"], year=YEAR)
    assert [(r["name"], r["count"], r["parameters"]) for r in rows] == [
        ("KCN Đình Vũ thử", 2, ["COD"]), ("Nhà máy thép", 2, ["COD", "TSS"]),
        ('=HYPERLINK("http://evil.example")', 1, ["Amoni"])]
    assert rows[1]["facility_id"] == filed["f1"].pk and rows[1]["report_id"] == filed["r1"].pk
    assert rows[0]["zone_id"] == filed["zone"].pk and rows[0]["facility_id"] is None
    emissions = exceedance_facilities(user=world.users["dept_officer"], year=YEAR, table="emission_monitoring")
    assert [(r["name"], r["count"], r["parameters"]) for r in emissions] == [("Nhà máy thép", 1, ["SO2"])]
    with pytest.raises(ValueError):
        exceedance_facilities(user=world.users["dept_officer"], year=YEAR, table="hazardous_waste")


def test_scope_commune_and_ez_officers(world, filed):
    """A commune officer sees its commune's reports; the EZ board its zone and the facilities in it."""
    commune = world.users["commune_officer"]  # commune A
    rows = aggregate(user=commune, measure="wastewater_m3", dimension="facility", year=YEAR)
    assert by_label(rows) == {"Nhà máy thép": Decimal("17500.25"), "KCN Đình Vũ thử": Decimal(90000)}
    other = world.users["commune_b_officer"]
    rows = aggregate(user=other, measure="hazardous_waste_kg", dimension="commune", year=YEAR)
    assert by_label(rows) == {world.unit_b.name: Decimal("17.75")}
    ez = world.users["ez_officer"]
    rows = aggregate(user=ez, measure="exceedances", dimension="facility", year=YEAR)
    assert by_label(rows) == {"Nhà máy thép": 3, "KCN Đình Vũ thử": 2}
    assert exceedance_facilities(user=world.users["connection"], year=YEAR) == []


def test_filters_form_commune_zone(world, filed):
    officer = world.users["dept_officer"]
    q = {"user": officer, "measure": "wastewater_m3", "dimension": "form", "year": YEAR}
    assert by_label(aggregate(**q, form="05.B")) == {"05.B": Decimal(400)}
    assert by_label(aggregate(**q, commune=world.unit_a)) == {"05.A": Decimal("17500.25"), "06": Decimal(90000)}
    assert by_label(aggregate(**q, zone=filed["zone"].pk)) == {"05.A": Decimal("17500.25"), "06": Decimal(90000)}
    assert aggregate(**{**q, "year": 2030}) == []
    with pytest.raises(ValueError):
        aggregate(**{**q, "measure": "nope"})


# --- the page --------------------------------------------------------------------------------

def test_page_shows_the_table_with_its_total(world, filed, client, django_assert_max_num_queries):
    client.force_login(world.users["dept_officer"])
    with django_assert_max_num_queries(10):  # session, user, scope, form codes, the query, options
        response = client.get(URL, {"measure": "hazardous_waste_kg", "dimension": "commune", "year": YEAR})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="query-table"' in body and world.unit_a.name in body and world.unit_b.name in body
    assert response.context["result"].total["value"] == Decimal("1568.25")
    assert f'data-testid="query-total">{number_format(Decimal("1568.25"), force_grouping=True)}<' in body
    assert "format=csv" in body and "format=xlsx" in body
    assert "<script" not in body.split("</header>")[1]  # no inline script (CSP)


def test_page_defaults_and_empty_state(world, filed, client):
    client.force_login(world.users["commune_officer"])
    response = client.get(URL)
    assert response.status_code == 200 and response.context["form"].cleaned_data["measure"] == "hazardous_waste_kg"
    response = client.get(URL, {"measure": "wastewater_m3", "dimension": "commune", "year": 2030})
    assert response.status_code == 200
    assert 'data-testid="query-empty"' in response.content.decode()


def test_csv_download_parses_back_with_formulas_defused(world, filed, client):
    client.force_login(world.users["dept_officer"])
    response = client.get(URL, {"measure": "wastewater_m3", "dimension": "facility", "year": YEAR, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw[1:])))
    assert len(rows[0]) == 4
    values = {r[0]: Decimal(r[1]) for r in rows[1:]}
    assert values == {"Nhà máy thép": Decimal("17500.25"), "'=HYPERLINK(\"http://evil.example\")": Decimal(400),
                      "KCN Đình Vũ thử": Decimal(90000), rows[-1][0]: Decimal("107900.25")}
    assert rows[-1][2] == "3"  # reports in the total


def test_xlsx_download_parses_back(world, filed, client):
    client.force_login(world.users["dept_officer"])
    response = client.get(URL, {"measure": "hazardous_waste_kg", "dimension": "commune", "year": YEAR,
                                "breakdown": "on", "format": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows[0]) == 5  # commune, CTNH code, kg, reports, ignored
    body = {(r[0], r[1]): Decimal(str(r[2])) for r in rows[1:-1]}
    assert body[(world.unit_a.name, "18 02 01")] == Decimal("1200.5")
    assert Decimal(str(rows[-1][2])) == Decimal("1568.25")


@pytest.mark.parametrize("params", [
    {"year": "abc"}, {"year": "1999"}, {"year": "99999999999999999999"}, {"measure": "nope"},
    {"dimension": "commune; DROP TABLE reports_report"}, {"commune": "999999"}, {"commune": "x"},
    {"zone": "-1"}, {"format": "pdf"}, {"form": "07"},
])
def test_bad_parameters_are_form_errors(world, filed, client, params):
    client.force_login(world.users["dept_officer"])
    response = client.get(URL, {"measure": "wastewater_m3", "dimension": "commune", "year": YEAR, **params})
    assert response.status_code == 400
    assert 'data-testid="query-errors"' in response.content.decode()
    assert response.context["form"].errors


@pytest.mark.parametrize(("who", "status"), [("enterprise_user", 403), ("connection", 403), ("ez_officer", 200),
                                             ("commune_chairman", 200), ("dept_admin", 200)])
def test_only_officers_open_the_page(world, filed, client, who, status):
    client.force_login(world.users[who])
    assert client.get(URL).status_code == status


def test_anonymous_goes_to_login(db, client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_ez_officer_downloads_only_its_scope(world, filed, client):
    client.force_login(world.users["ez_officer"])
    response = client.get(URL, {"measure": "wastewater_m3", "dimension": "facility", "year": YEAR, "format": "csv"})
    names = [r[0] for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))][1:-1]
    assert sorted(names) == ["KCN Đình Vũ thử", "Nhà máy thép"]
