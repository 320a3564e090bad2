"""Form definitions and report data: validation and cleaning, pure (no database)."""
from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from reports.domain.forms import (
    PREFILL_PATHS,
    DefinitionError,
    clean_data,
    field_specs,
    label,
    section_summary,
    table_specs,
    validate_definition,
)

FORMS = Path(__file__).resolve().parents[2] / "fixtures" / "reports" / "forms"
FILES = ("05A-2022.json", "05B-2022.json", "06-2022.json")


def load(name: str) -> dict:
    return json.loads((FORMS / name).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def form_05a() -> dict:
    return load("05A-2022.json")


def t(vi: str, en: str = "") -> dict:
    return {"vi": vi, "en": en or vi}


# A small form that exercises every type and rule.
MINI = {
    "code": "T", "version": "1", "applies_to": "gpmt", "title": t("Thử"), "legal_basis": "test",
    "effective_from": "2022-01-10", "effective_to": None,
    "deadline": {"month": 1, "day": 15, "basis": "test"},
    "sections": [
        {"key": "general", "number": "", "title": t("Chung"), "status": "confirmed", "items": [
            {"kind": "field", "key": "name", "label": t("Tên"), "type": "text", "required": True, "max_length": 10},
            {"kind": "field", "key": "tax_code", "label": t("MST"), "type": "text", "pattern": "^\\d{10}(-\\d{3})?$"},
            {"kind": "field", "key": "count", "label": t("Số"), "type": "integer", "min": 0, "max": 100},
            {"kind": "field", "key": "amount", "label": t("Lượng"), "type": "decimal", "unit": "kg"},
            {"kind": "field", "key": "day", "label": t("Ngày"), "type": "date"},
            {"kind": "field", "key": "flag", "label": t("Có?"), "type": "boolean"},
            {"kind": "field", "key": "kind", "label": t("Loại"), "type": "choice", "options": [
                {"key": "domestic", "label": t("Sinh hoạt", "Domestic")},
                {"key": "industrial", "label": t("Công nghiệp", "Industrial")}]},
        ]},
        {"key": "waste", "number": "1", "title": t("Chất thải"), "status": "awaiting_official_layout",
         "help": t("Chưa xác nhận"), "items": [
            {"kind": "table", "key": "hazardous_waste", "label": t("CTNH"), "min_rows": 1, "max_rows": 3, "columns": [
                {"key": "waste_name", "label": t("Tên"), "type": "text", "required": True},
                {"key": "ctnh_code", "label": t("Mã"), "type": "text", "format": "ctnh_code"},
                {"key": "quantity_kg", "label": t("Khối lượng"), "type": "decimal", "unit": "kg", "min": 0},
            ]},
            {"kind": "field", "key": "total_kg", "label": t("Tổng"), "type": "decimal", "unit": "kg",
             "total_of": "hazardous_waste.quantity_kg"},
        ]},
        {"key": "monitoring", "number": "2", "title": t("Quan trắc"), "status": "confirmed", "items": [
            {"kind": "table", "key": "wastewater_monitoring", "label": t("QT"), "columns": [
                {"key": "parameter", "label": t("Thông số"), "type": "text"},
                {"key": "result", "label": t("Kết quả"), "type": "decimal"},
                {"key": "limit", "label": t("Giới hạn"), "type": "text"},
                {"key": "explanation", "label": t("Giải trình"), "type": "textarea"},
            ], "exceedance": {"value": "result", "limit": "limit", "explanation": "explanation"}},
        ]},
    ],
}


def field_value(raw, key="amount"):
    return clean_data(MINI, {"fields": {key: raw}})


# --- Definitions ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", FILES)
def test_fixtures_validate(name):
    """The shipped definitions follow the contract."""
    validate_definition(load(name))


def test_fixtures_use_the_fixed_keys():
    """Other parts query these keys in SQL: every form has them with the contract's columns."""
    fixed = {
        "hazardous_waste": {"waste_name", "ctnh_code", "state", "quantity_kg", "treatment_method", "receiver",
                            "receiver_licence"},
        "wastewater_monitoring": {"sampling_date", "point", "parameter", "unit", "result", "limit", "regulation",
                                  "explanation"},
        "emission_monitoring": {"sampling_date", "stack", "parameter", "unit", "result", "limit", "regulation",
                                "explanation"},
        "automatic_monitoring": {"station", "parameter", "design_count", "received_count", "error_pct",
                                 "exceedance_count", "note"},
        "wastewater_works": {"works_name", "capacity_m3_day", "technology", "volume_m3_year", "chemicals", "status"},
        "emission_works": {"stack", "source", "treatment", "flow_m3_h", "status"},
        "solid_waste": {"waste_kind", "quantity_kg", "reused_kg", "receiver"},
        "imported_scrap": {"scrap_type", "hs_code", "quantity_t", "import_certificate"},
        "incidents": {"occurred_on", "description", "response"},
        "remedies": {"inspection", "requirement", "result", "completed_on"},
        "products": {"item", "unit", "reporting_year", "previous_year"},
        "consumption": {"item", "unit", "reporting_year", "previous_year"},
    }
    expected_tables = {
        "05A-2022.json": set(fixed),
        "05B-2022.json": {"products", "consumption", "wastewater_works", "solid_waste", "hazardous_waste", "incidents"},
        "06-2022.json": {"wastewater_works", "wastewater_monitoring", "automatic_monitoring", "solid_waste",
                         "hazardous_waste", "incidents", "remedies", "zone_tenants"},
    }
    for name, tables in expected_tables.items():
        specs = table_specs(load(name))
        assert tables <= set(specs), name
        for key in tables & set(fixed):
            assert {c["key"] for c in specs[key]["columns"]} == fixed[key], (name, key)
    a = load("05A-2022.json")
    assert set(field_specs(a)) >= {
        "facility_name", "address_phone", "representative", "activity_scale_frequency", "business_registration",
        "tax_code", "permit", "iso14001", "wastewater_total_m3_year", "hazardous_waste_total_kg", "other_measures",
        "monitoring_service", "recommendations"}
    assert field_specs(a)["hazardous_waste_total_kg"]["total_of"] == "hazardous_waste.quantity_kg"
    assert field_specs(a)["wastewater_total_m3_year"]["total_of"] == "wastewater_works.volume_m3_year"
    assert set(field_specs(load("06-2022.json"))) >= {
        "zone_name", "investor", "zone_area_ha", "occupancy_pct", "tenant_count", "cwwtp_capacity_m3_day",
        "cwwtp_volume_m3_year", "tenants_connected", "recommendations"}
    for name in FILES:
        rule = table_specs(load(name)).get("wastewater_monitoring", {}).get("exceedance")
        assert rule is None or rule["value"] == "result" and rule["explanation"] == "explanation"


def test_05a_header_is_confirmed_and_verbatim(form_05a):
    """THÔNG TIN CHUNG: fields 1-9 in the order and words of DOMAIN.md 1.2; the rest awaits the official layout."""
    general = form_05a["sections"][0]
    assert general["status"] == "confirmed" and general["title"]["vi"] == "THÔNG TIN CHUNG"
    labels = [(i.get("number"), i["label"]["vi"]) for i in general["items"]]
    assert labels == [
        ("1", "Tên cơ sở sản xuất, kinh doanh, dịch vụ"),
        ("2", "Địa chỉ, số điện thoại"),
        ("3", "Người đại diện"),
        ("4", "Loại hình sản xuất, kinh doanh, dịch vụ; quy mô/công suất; tần suất hoạt động"),
        ("5", "Giấy đăng ký kinh doanh"),
        ("5", "Mã số thuế"),
        ("6", "Giấy phép môi trường số … ngày … cơ quan cấp"),
        ("7", "Giấy chứng nhận ISO 14001 (nếu có)"),
        ("8", "Khối lượng sản phẩm của năm báo cáo và năm gần nhất (kèm đơn vị đo)"),
        ("9", "Nhiên liệu, điện, nước tiêu thụ của năm báo cáo và năm gần nhất (kèm đơn vị đo)"),
    ]
    others = form_05a["sections"][1:]
    assert others and all(s["status"] == "awaiting_official_layout" for s in others)
    assert all("Phụ lục VI" in s["help"]["vi"] and "Appendix VI" in s["help"]["en"] for s in others)
    assert form_05a["deadline"]["day"] == 15 and load("06-2022.json")["deadline"]["day"] == 20


def test_numeric_columns_have_units():
    """Fixed-unit numbers say their unit (products/consumption carry a unit per row)."""
    for name in FILES:
        for key, table in table_specs(load(name)).items():
            if key in ("products", "consumption"):
                continue
            for column in table["columns"]:
                if column["type"] == "decimal" and column["key"] != "result":
                    assert column.get("unit"), (name, key, column["key"])


def mutate(path: list, value, *, delete: bool = False) -> dict:
    d = copy.deepcopy(MINI)
    target = d
    for step in path[:-1]:
        target = target[step]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return d


def dup_field():
    d = copy.deepcopy(MINI)
    d["sections"][1]["items"].append(copy.deepcopy(d["sections"][0]["items"][0]))
    return d


def dup_column():
    d = copy.deepcopy(MINI)
    columns = d["sections"][1]["items"][0]["columns"]
    columns.append(copy.deepcopy(columns[0]))
    return d


@pytest.mark.parametrize(("definition", "path"), [
    (mutate(["sections", 0, "items", 2, "type"], "number"), "$.sections[0].items[2].type"),
    (dup_field(), "$.sections[1].items[2].key"),
    (dup_column(), "$.sections[1].items[0].columns[3].key"),
    (mutate(["sections", 1, "items", 1, "total_of"], "missing.quantity_kg"), "$.sections[1].items[1].total_of"),
    (mutate(["sections", 1, "items", 1, "total_of"], "hazardous_waste.nothing"), "$.sections[1].items[1].total_of"),
    (mutate(["sections", 1, "items", 1, "total_of"], "hazardous_waste.waste_name"),
     "$.sections[1].items[1].total_of"),
    (mutate(["sections", 2, "items", 0, "exceedance", "limit"], "nope"), "$.sections[2].items[0].exceedance.limit"),
    (mutate(["sections", 2, "items", 0, "exceedance", "explanation"], None, delete=True),
     "$.sections[2].items[0].exceedance.explanation"),
    (mutate(["sections", 2, "items", 0, "exceedance", "value"], "limit"), "$.sections[2].items[0].exceedance.value"),
    (mutate(["deadline", "day"], 30) | {"deadline": {"month": 2, "day": 30, "basis": "x"}}, "$.deadline.day"),
    (mutate(["deadline", "month"], 13), "$.deadline.month"),
    (mutate(["deadline", "basis"], None, delete=True), "$.deadline.basis"),
    (mutate(["effective_to"], "2021-01-01"), "$.effective_to"),
    (mutate(["effective_from"], "10/01/2022"), "$.effective_from"),
    (mutate(["applies_to"], "everyone"), "$.applies_to"),
    (mutate(["sections", 1, "help"], None, delete=True), "$.sections[1].help"),
    (mutate(["sections", 0, "status"], "draft"), "$.sections[0].status"),
    (mutate(["sections", 0, "items", 0, "requried"], True), "$.sections[0].items[0].requried"),
    (mutate(["sections", 0, "items", 0, "prefill"], "facility.secret"), "$.sections[0].items[0].prefill"),
    (mutate(["sections", 0, "items", 1, "pattern"], "(["), "$.sections[0].items[1].pattern"),
    (mutate(["sections", 0, "items", 6, "options"], []), "$.sections[0].items[6].options"),
    (mutate(["sections", 0, "items", 2, "max_length"], 5), "$.sections[0].items[2].max_length"),
    (mutate(["sections", 0, "items", 0, "label"], {"en": "Name only in English"}), "$.sections[0].items[0].label.vi"),
    (mutate(["sections", 1, "items", 0, "columns", 0, "key"], "exceeds"), "$.sections[1].items[0].columns[0].key"),
    (mutate(["sections", 1, "items", 0, "max_rows"], 100000), "$.sections[1].items[0].max_rows"),
    (mutate(["sections", 1, "items", 0, "columns", 1, "format"], "iban"), "$.sections[1].items[0].columns[1].format"),
    (mutate(["sections", 0, "items", 0, "kind"], "thing"), "$.sections[0].items[0].kind"),
    (mutate(["sections", 1, "key"], "general"), "$.sections[1].key"),
])
def test_validate_definition_names_the_problem(definition, path):
    """A malformed definition raises DefinitionError with the JSON path of the problem."""
    with pytest.raises(DefinitionError) as info:
        validate_definition(definition)
    assert info.value.path == path, info.value


def test_prefill_paths_are_known():
    """Every prefill path in the fixtures is one the prefill module resolves."""
    from reports.prefill import RESOLVERS

    assert set(RESOLVERS) == PREFILL_PATHS


# --- Values ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "expected"), [
    ("1.234,5", "1234.5"),
    ("1 234,5", "1234.5"),
    ("1\u00a0234,5", "1234.5"),
    ("1,5", "1.5"),
    ("1234.5", "1234.5"),
    ("1,234.5", "1234.5"),
    ("1.234.567", "1234567"),
    ("0,05", "0.05"),
    ("-3,5", "-3.5"),
    ("1.50", "1.5"),
    ("100", "100"),
    ("  42  ", "42"),
    (Decimal("2.50"), "2.5"),
    (12, "12"),
    (0.1, "0.1"),
    (1e-7, "0.0000001"),
    # What clean_data wrote is read back as written (a decimal point).
    ("1.234", "1.234"),
    ("0.125", "0.125"),
])
def test_decimals_normalise(raw, expected):
    """Vietnamese and canonical notations give the contract's decimal string."""
    result = field_value(raw)
    assert result.data["fields"]["amount"] == expected
    assert "fields.amount" not in result.errors


@pytest.mark.parametrize(("raw", "expected"), [("1.500", "1500"), ("1,949", "1.949"), ("12.500", "12500")])
def test_ambiguous_decimals_warn(raw, expected):
    """Thousands-like input is read the Vietnamese way, with a warning to check it."""
    result = field_value(raw)
    assert result.data["fields"]["amount"] == expected
    assert "check the decimal mark" in result.warnings["fields.amount"][0]


@pytest.mark.parametrize("raw", ["abc", "1,2,3,4.5.6", "12 kg", "1e5", "NaN", "1,5,", "1" * 50])
def test_unreadable_numbers_are_kept_with_an_error(raw):
    """The draft keeps what was typed; validation says it is not a number."""
    result = field_value(raw)
    [message] = result.errors["fields.amount"]
    assert message.endswith("” is not a number.")
    assert result.data["fields"]["amount"] == raw
    assert not result.is_valid


@pytest.mark.parametrize(("raw", "expected", "error"), [
    ("12", 12, None), (" 1,0 ", 1, None), ("1.000", 1000, "The value must be at most 100."), (7.0, 7, None), ("3,5", "3,5", "Enter a whole number."),
    ("-1", -1, "The value must be at least 0."), ("101", 101, "The value must be at most 100."),
])
def test_integers(raw, expected, error):
    result = field_value(raw, "count")
    assert result.data["fields"]["count"] == expected
    assert result.errors.get("fields.count", [None])[0] == error


@pytest.mark.parametrize(("raw", "expected"), [
    ("15/03/2024", "2024-03-15"), ("5/3/2024", "2024-03-05"), ("05-03-2024", "2024-03-05"),
    ("05.03.2024", "2024-03-05"), ("2024-03-15", "2024-03-15"), ("2024-03-15T00:00:00", "2024-03-15"),
])
def test_dates(raw, expected):
    assert field_value(raw, "day").data["fields"]["day"] == expected


@pytest.mark.parametrize("raw", ["31/02/2024", "2024/03/15", "15 tháng 3", "03/15/2024"])
def test_bad_dates(raw):
    result = field_value(raw, "day")
    assert result.errors["fields.day"] == ["Enter a date as dd/mm/yyyy."]
    assert result.data["fields"]["day"] == raw


@pytest.mark.parametrize(("raw", "expected"), [
    ("có", True), ("Có", True), ("x", True), ("true", True), (True, True), (1, True),
    ("không", False), ("Không", False), ("false", False), (False, False), ("0", False),
])
def test_booleans(raw, expected):
    assert field_value(raw, "flag").data["fields"]["flag"] is expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("domestic", "domestic"), ("Sinh hoạt", "domestic"), ("  sinh   HOẠT ", "domestic"), ("Industrial", "industrial"),
    # Decomposed diacritics (as some keyboards send them) match too.
    ("Co\u0302ng nghie\u0323\u0302p", "industrial"),
])
def test_choices_by_key_or_label(raw, expected):
    assert field_value(raw, "kind").data["fields"]["kind"] == expected


def test_choice_outside_the_options():
    result = field_value("other", "kind")
    assert result.data["fields"]["kind"] == "other"
    assert result.errors["fields.kind"] == ["“other” is not one of the options: Domestic; Industrial."]


@pytest.mark.parametrize(("raw", "error"), [
    ("0101234567", None), ("0101234567-001", None),
    ("010123456", "“010123456” does not have the expected format."),
    ("0101234567001", "“0101234567001” does not have the expected format."),
])
def test_pattern(raw, error):
    assert field_value(raw, "tax_code").errors.get("fields.tax_code", [None])[0] == error


def test_max_length():
    result = field_value("Công ty TNHH ABC", "name")
    assert result.errors["fields.name"] == ["At most 10 characters (16 entered)."]


@pytest.mark.parametrize(("raw", "expected", "ok"), [
    ("170203", "17 02 03", True), ("17 02 03", "17 02 03", True), ("17-02-03", "17 02 03", True),
    ("17.02.03", "17 02 03", True), ("1702", "1702", False), ("17 02 03 01", "17 02 03 01", False),
    ("AB 02 03", "AB 02 03", False),
])
def test_ctnh_codes(raw, expected, ok):
    """Hazardous waste codes are six digits written NN NN NN."""
    result = clean_data(MINI, {"tables": {"hazardous_waste": [{"waste_name": "Dầu thải", "ctnh_code": raw}]}})
    assert result.data["tables"]["hazardous_waste"][0]["ctnh_code"] == expected
    assert ("tables.hazardous_waste.0.ctnh_code" not in result.errors) is ok


# --- Rules over the whole data --------------------------------------------------------------
def test_required_is_a_warning_in_a_draft_and_an_error_on_submission():
    draft = clean_data(MINI, {})
    assert draft.warnings["fields.name"] == ["Required before submission."]
    assert draft.warnings["tables.hazardous_waste"] == ["At least 1 rows are required."]
    assert draft.is_valid
    final = clean_data(MINI, {}, for_submission=True)
    assert final.errors["fields.name"] == ["This field is required."]
    assert final.errors["tables.hazardous_waste"] == ["At least 1 rows are required."]
    assert not final.is_valid


def test_required_columns_in_a_row():
    raw = {"tables": {"hazardous_waste": [{"quantity_kg": "5"}]}}
    assert clean_data(MINI, raw).warnings["tables.hazardous_waste.0.waste_name"] == ["Required before submission."]
    assert clean_data(MINI, raw, for_submission=True).errors["tables.hazardous_waste.0.waste_name"] == [
        "This field is required."]


def test_unknown_keys_and_blank_rows_are_dropped():
    raw = {"fields": {"name": "A", "secret": "x"}, "tables": {
        "hazardous_waste": [{"waste_name": "A", "colour": "red", "exceeds": True}, {}, {"waste_name": "  "},
                            "not a row", {"waste_name": "B"}],
        "other_table": [{"a": 1}]}, "extra": 1}
    data = clean_data(MINI, raw).data
    assert data["fields"] == {"name": "A"}
    assert data["tables"]["hazardous_waste"] == [{"waste_name": "A"}, {"waste_name": "B"}]
    assert set(data) == {"fields", "tables"}
    assert set(data["tables"]) == {"hazardous_waste", "wastewater_monitoring"}


def test_max_rows():
    rows = [{"waste_name": f"W{i}"} for i in range(5)]
    result = clean_data(MINI, {"tables": {"hazardous_waste": rows}})
    assert len(result.data["tables"]["hazardous_waste"]) == 3
    assert result.errors["tables.hazardous_waste"] == [
        "This table has more than 3 rows; the rows after row 3 were left out."]


def waste(*quantities):
    return [{"waste_name": f"W{i}", "quantity_kg": q} for i, q in enumerate(quantities)]


@pytest.mark.parametrize(("rows", "total", "expected_total", "error"), [
    (waste("1.000,5", "234"), None, "1234.5", False),           # empty: filled with the sum
    (waste("1.000,5", "234"), "1.234,5", "1234.5", False),
    (waste("1000", "1000"), "2010", "2010", False),             # within 0.5 %
    (waste("1000", "1000"), "2011", "2011", True),              # beyond 0.5 %
    (waste("0.5", "0.5"), "1.01", "1.01", False),               # within 0.01
    (waste("0.5", "0.5"), "1.02", "1.02", True),
    (waste("abc", "5"), None, "5", False),                      # unreadable cells are not added
    ([], "700", "700", False),                                  # nothing to compare with
])
def test_total_of(rows, total, expected_total, error):
    """A total is filled from its column when empty, and must match it (0.5 % or 0.01) when given."""
    result = clean_data(MINI, {"fields": {"total_kg": total}, "tables": {"hazardous_waste": rows}})
    assert result.data["fields"]["total_kg"] == expected_total
    assert ("fields.total_kg" in result.errors) is error
    if error:
        assert "differs from the sum of the table" in result.errors["fields.total_kg"][0]


def monitoring(*rows):
    return {"tables": {"wastewater_monitoring": [dict(zip(("parameter", "result", "limit", "explanation"), r,
                                                          strict=False)) for r in rows]}}


def test_exceedances_are_warnings_flagged_on_the_row():
    result = clean_data(MINI, monitoring(("COD", "75,2", "≤ 75"), ("pH", "7", "5,5 - 9"), ("TSS", "120", ""),
                                         ("DO", "3,5", "≥ 4", "Sự cố máy thổi khí")))
    rows = result.data["tables"]["wastewater_monitoring"]
    assert [r["exceeds"] for r in rows] == [True, False, False, True]
    assert result.warnings["tables.wastewater_monitoring.0.result"] == ["The result 75.2 exceeds the limit ≤ 75."]
    assert result.warnings["tables.wastewater_monitoring.0.explanation"] == [
        "Explain this exceedance before submission."]
    assert "tables.wastewater_monitoring.3.explanation" not in result.warnings
    assert result.exceedances == [
        {"table": "wastewater_monitoring", "row": 0, "parameter": "COD", "value": "75.2", "limit": "≤ 75"},
        {"table": "wastewater_monitoring", "row": 3, "parameter": "DO", "value": "3.5", "limit": "≥ 4"},
    ]
    assert result.is_valid


def test_an_unexplained_exceedance_blocks_submission():
    result = clean_data(MINI, monitoring(("COD", "80", "75"), ("BOD", "60", "50", "Đã khắc phục")),
                        for_submission=True)
    explanations = {p: m for p, m in result.errors.items() if p.startswith("tables.wastewater_monitoring")}
    assert explanations == {"tables.wastewater_monitoring.0.explanation": ["Explain each exceedance."]}
    assert not result.is_valid


def test_an_unreadable_limit_is_a_warning_and_not_checked():
    result = clean_data(MINI, monitoring(("COD", "80", "khoảng 75")))
    assert result.data["tables"]["wastewater_monitoring"][0]["exceeds"] is False
    assert "not a limit the portal can read" in result.warnings["tables.wastewater_monitoring.0.limit"][0]


def test_an_unreadable_result_is_not_checked():
    result = clean_data(MINI, monitoring(("COD", "n/d", "75")))
    row = result.data["tables"]["wastewater_monitoring"][0]
    assert row == {"parameter": "COD", "result": "n/d", "limit": "75", "exceeds": False}
    assert result.errors["tables.wastewater_monitoring.0.result"] == ["“n/d” is not a number."]


def test_cleaning_is_idempotent(form_05a):
    """Cleaned data cleans to itself: a stored draft re-validates without drifting."""
    raw = {
        "fields": {"facility_name": " Công ty A ", "tax_code": "0101234567", "wastewater_total_m3_year": None},
        "tables": {
            "wastewater_works": [{"works_name": "HTXL 1", "capacity_m3_day": "1.200", "volume_m3_year": "300.123,45"},
                                 {"works_name": "HTXL 2", "volume_m3_year": "0,125"}],
            "hazardous_waste": [{"waste_name": "Dầu thải", "ctnh_code": "170203", "quantity_kg": "1.234"}],
            "wastewater_monitoring": [{"sampling_date": "15/3/2024", "point": "NT1", "parameter": "COD",
                                       "result": "80,5", "limit": "75"}],
            "solid_waste": [{"waste_kind": "Chất thải rắn sinh hoạt", "quantity_kg": "2 000"}],
            "incidents": [{"occurred_on": "01/02/2024", "description": "Tràn dầu"}],
        },
    }
    once = clean_data(form_05a, raw)
    twice = clean_data(form_05a, once.data)
    assert twice.data == once.data
    assert once.data["fields"]["wastewater_total_m3_year"] == "300123.575"
    # A single dot before exactly three digits is how clean_data writes decimals, so it is
    # read as a decimal point ("1.500", with a trailing zero, would be Vietnamese for 1500).
    assert once.data["tables"]["hazardous_waste"][0]["quantity_kg"] == "1.234"
    assert once.data["tables"]["wastewater_works"][0]["capacity_m3_day"] == "1200"
    assert twice.exceedances == once.exceedances == [
        {"table": "wastewater_monitoring", "row": 0, "parameter": "COD", "value": "80.5", "limit": "75"}]


def test_section_summary(form_05a):
    raw = {"fields": {"facility_name": "A", "tax_code": "123"},
           "tables": {"wastewater_monitoring": [{"parameter": "COD", "result": "80", "limit": "75"}]}}
    result = clean_data(form_05a, raw, for_submission=True)
    summary = {s["key"]: s for s in section_summary(form_05a, result)}
    assert list(summary) == [s["key"] for s in form_05a["sections"]]
    general = summary["general"]
    # address_phone, representative, activity_scale_frequency and permit missing; tax code malformed.
    assert (general["errors"], general["required"], general["required_filled"], general["filled"]) == (5, 6, 2, 2)
    assert general["status"] == "confirmed" and general["title"]["vi"] == "THÔNG TIN CHUNG"
    wastewater = summary["wastewater"]
    # The row lacks sampling date and point, and its exceedance is unexplained; the exceedance warns.
    assert (wastewater["errors"], wastewater["warnings"], wastewater["filled"]) == (3, 1, 1)
    assert summary["recommendations"]["errors"] == summary["recommendations"]["filled"] == 0


@pytest.mark.parametrize(("obj", "language", "expected"), [
    ({"vi": "Xin chào", "en": "Hello"}, "vi", "Xin chào"),
    ({"vi": "Xin chào", "en": "Hello"}, "en", "Hello"),
    ({"vi": "Xin chào", "en": "Hello"}, "en-us", "Hello"),
    ({"vi": "Xin chào", "en": ""}, "en", "Xin chào"),
    ({"vi": "Xin chào"}, "fr", "Xin chào"),
    ("plain", "en", "plain"),
    (None, "vi", ""),
])
def test_label(obj, language, expected):
    assert label(obj, language) == expected
