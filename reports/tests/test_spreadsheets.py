"""The spreadsheet template of a form version, and reading it back (no database needed)."""
from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from reports.domain.forms import clean_data, table_specs
from reports.models import FormDefinition
from reports.spreadsheets import FORM_SHEET, GENERAL_SHEET, WorkbookError, build_template, read_workbook

FORMS = Path(__file__).resolve().parents[2] / "fixtures" / "reports" / "forms"


def form(name: str, **overrides) -> FormDefinition:
    definition = json.loads((FORMS / name).read_text(encoding="utf-8"))
    values = {"code": definition["code"], "version": definition["version"], "definition": definition}
    return FormDefinition(**(values | overrides))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def form_05a() -> FormDefinition:
    return form("05A-2022.json")


RAW = {
    "fields": {
        "facility_name": "Công ty TNHH Thép Đình Vũ", "address_phone": "Lô CN1; 0225 3123 456",
        "representative": "Nguyễn Văn An", "activity_scale_frequency": "Luyện thép\n500.000 tấn/năm",
        "tax_code": "0201234567", "permit": "số 45/GPMT-UBND ngày 10/05/2023",
        "other_measures": "=SUM(A1:A9) is text, not a formula",
        "wastewater_total_m3_year": "300.123,45",
    },
    "tables": {
        "products": [{"item": "Thép cuộn", "unit": "tấn", "reporting_year": "480.000", "previous_year": "450000"}],
        "wastewater_works": [{"works_name": "HTXL 1", "capacity_m3_day": "1200", "volume_m3_year": "300.123,45",
                              "technology": "Sinh học hiếu khí"}],
        "wastewater_monitoring": [
            {"sampling_date": "15/03/2024", "point": "NT1", "parameter": "COD", "unit": "mg/l", "result": "80,5",
             "limit": "75", "regulation": "QCVN 40:2011/BTNMT cột B"},
            {"sampling_date": "15/06/2024", "point": "NT1", "parameter": "pH", "result": "7,25", "limit": "5,5 - 9",
             "explanation": ""}],
        "automatic_monitoring": [{"station": "Trạm NT1", "parameter": "COD", "design_count": 105120,
                                  "received_count": "104.000", "error_pct": "1,07", "exceedance_count": 3}],
        "solid_waste": [{"waste_kind": "industrial", "quantity_kg": "12.345,678", "reused_kg": "0,001"},
                        {"waste_kind": "domestic", "quantity_kg": "0.1"}],
        "hazardous_waste": [
            {"waste_name": "Dầu thải", "ctnh_code": "170203", "state": "Lỏng", "quantity_kg": "1.234,5",
             "treatment_method": "Tái chế", "receiver": "Công ty X", "receiver_licence": "1-2-3.045.VX"},
            {"waste_name": "Bóng đèn", "ctnh_code": "16 01 06", "quantity_kg": "123456789012.123456789"}],
        "imported_scrap": [{"scrap_type": "Thép phế liệu", "hs_code": "7204", "quantity_t": "15000"}],
        "incidents": [{"occurred_on": "2024-02-01", "description": "Tràn dầu", "response": "Thu gom"}],
        "remedies": [{"inspection": "Sở NN&MT", "requirement": "Nạo vét", "completed_on": "01/08/2024"}],
    },
}


def test_round_trip(form_05a):
    """build_template(data=X) read back and cleaned gives X again."""
    cleaned = clean_data(form_05a.definition, RAW).data
    assert cleaned["tables"]["wastewater_monitoring"][0]["exceeds"] is True
    content = build_template(form_05a, data=cleaned)
    raw = read_workbook(form_05a, io.BytesIO(content))
    assert clean_data(form_05a.definition, raw).data == cleaned


def test_round_trip_of_every_form():
    for name in ("05B-2022.json", "06-2022.json"):
        definition = form(name)
        cleaned = clean_data(definition.definition, {"fields": {"tax_code": "0201234567-001", "tenants_connected": 4},
                                                     "tables": {"zone_tenants": [{"tenant": "A", "connected": "có"}],
                                                                "hazardous_waste": RAW["tables"]["hazardous_waste"]}}
                             ).data
        raw = read_workbook(definition, io.BytesIO(build_template(definition, data=cleaned)))
        assert clean_data(definition.definition, raw).data == cleaned, name


def test_template_layout(form_05a):
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(form_05a)))
    tables = table_specs(form_05a.definition)
    assert workbook.sheetnames[0] == GENERAL_SHEET and workbook.sheetnames[-1] == FORM_SHEET
    assert len(workbook.sheetnames) == 2 + len(tables)
    assert workbook[FORM_SHEET].sheet_state == "hidden"
    assert [c.value for c in workbook[FORM_SHEET]["B"][:2]] == ["05.A", "2022.1"]
    general = workbook[GENERAL_SHEET]
    assert general.column_dimensions["A"].hidden
    rows = {r[0].value: r for r in general.iter_rows(min_row=2) if r[0].value}
    assert rows["facility_name"][1].value == "1. Tên cơ sở sản xuất, kinh doanh, dịch vụ *"
    assert rows["hazardous_waste_total_kg"][3].value == "kg"
    hazardous = next(workbook[t] for t in workbook.sheetnames if t.startswith("5.1 "))
    assert len(hazardous.title) <= 31
    assert [c.value for c in hazardous[1]][:4] == ["Tên chất thải *", "Mã CTNH *", "Trạng thái tồn tại (rắn, lỏng, bùn)",
                                                   "Khối lượng (kg) *"]
    assert [c.value for c in hazardous[2]] == [c["key"] for c in tables["hazardous_waste"]["columns"]]
    assert hazardous.row_dimensions[2].hidden
    solid = next(workbook[t] for t in workbook.sheetnames if t.startswith("4.1 "))
    lists = [dv.formula1 for dv in solid.data_validations.dataValidation]
    assert lists == ['"Chất thải rắn sinh hoạt,Chất thải rắn công nghiệp thông thường"']


def test_a_formula_like_text_stays_text(form_05a):
    content = build_template(form_05a, data={"fields": {"other_measures": "=1+1"}})
    sheet = openpyxl.load_workbook(io.BytesIO(content))[GENERAL_SHEET]
    cell = next(r[2] for r in sheet.iter_rows(min_row=2) if r[0].value == "other_measures")
    assert cell.value == "=1+1" and cell.data_type == "s"


def errors(definition: FormDefinition, content: bytes) -> list[str]:
    with pytest.raises(WorkbookError) as info:
        read_workbook(definition, io.BytesIO(content))
    return info.value.messages


def edited(content: bytes, change) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_not_a_workbook(form_05a):
    assert errors(form_05a, b"TT,Ten\n1,A\n") == ["The file is not an Excel workbook (.xlsx)."]
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert errors(form_05a, broken.getvalue()) == ["The file is not an Excel workbook (.xlsx)."]


def test_a_workbook_that_is_not_a_template(form_05a):
    workbook = openpyxl.Workbook()
    out = io.BytesIO()
    workbook.save(out)
    assert errors(form_05a, out.getvalue()) == [
        "This workbook is not a template from the portal: download the template of form 05.A and fill it in."]


def test_another_forms_template(form_05a):
    other = form("06-2022.json")
    assert errors(form_05a, build_template(other)) == [
        "This is the template of form 06 version 2022.1; this report uses form 05.A version 2022.1. "
        "Download the template again."]
    newer = form("05A-2022.json", version="2025.1")
    assert "form 05.A version 2025.1" in errors(form_05a, build_template(newer))[0]


def test_missing_sheets(form_05a):
    def drop(workbook):
        del workbook[GENERAL_SHEET]
        del workbook[next(t for t in workbook.sheetnames if t.startswith("5.1 "))]

    messages = errors(form_05a, edited(build_template(form_05a), drop))
    assert messages == [f"The sheet “{GENERAL_SHEET}” is missing.",
                        "The sheet “5.1 Chất thải nguy hại phát” (table Hazardous waste generated and "
                        "handed over) is missing."]


def test_too_many_rows(form_05a):
    definition = copy.deepcopy(form_05a.definition)
    table_specs(definition)["incidents"]["max_rows"] = 3
    small = form("05A-2022.json", definition=definition)
    rows = [{"occurred_on": f"2024-01-{d:02d}", "description": f"Sự cố {d}"} for d in range(1, 6)]
    content = build_template(form_05a, data={"tables": {"incidents": rows}})
    [message] = errors(small, content)
    assert message.startswith("The sheet “8.2 Sự cố môi trường đã xảy ra”") and "more than 3 rows" in message


def test_a_lost_key_row(form_05a):
    def clear(workbook):
        sheet = workbook[next(t for t in workbook.sheetnames if t.startswith("8.2 "))]
        for cell in sheet[2]:
            cell.value = None

    [message] = errors(form_05a, edited(build_template(form_05a), clear))
    assert "lost its hidden row of column keys" in message


def test_typed_values_come_back_raw(form_05a):
    """What people type in Excel (Vietnamese numbers as text, real dates, labels) is read for clean_data."""
    import datetime as dt

    def fill(workbook):
        sheet = workbook[next(t for t in workbook.sheetnames if t.startswith("5.1 "))]
        sheet.append(["Dầu thải", "17.02.03", "Lỏng", "1.234,5"])
        sheet.append([None, None, None, None])
        sheet.append(["Giẻ lau", 180201, None, 12.5])
        incidents = workbook[next(t for t in workbook.sheetnames if t.startswith("8.2 "))]
        incidents.append([dt.datetime(2024, 2, 1), "Tràn dầu"])

    raw = read_workbook(form_05a, io.BytesIO(edited(build_template(form_05a), fill)))
    assert raw["tables"]["hazardous_waste"][:2] == [
        {"waste_name": "Dầu thải", "ctnh_code": "17.02.03", "state": "Lỏng", "quantity_kg": "1.234,5"},
        {"waste_name": "Giẻ lau", "ctnh_code": "180201", "quantity_kg": 12.5}]
    cleaned = clean_data(form_05a.definition, raw).data
    assert cleaned["tables"]["hazardous_waste"] == [
        {"waste_name": "Dầu thải", "ctnh_code": "17 02 03", "state": "Lỏng", "quantity_kg": "1234.5"},
        {"waste_name": "Giẻ lau", "ctnh_code": "18 02 01", "quantity_kg": "12.5"}]
    assert cleaned["fields"]["hazardous_waste_total_kg"] == "1247"
    assert cleaned["tables"]["incidents"] == [{"occurred_on": "2024-02-01", "description": "Tràn dầu"}]
