"""Synthetic report data for layout previews, the PDF tests and bench/bench_reports.py.

`sample_definition()` is the form 05.A definition from fixtures/reports/forms/ when that
file exists, otherwise a compact definition with the same section, field and table keys
(the report data contract). `sample_data()` fills it with plausible, deterministic values:
same arguments, same data.
"""
from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

FORMS_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "reports" / "forms"


def _t(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


def _field(key: str, number: str, vi: str, en: str, kind: str = "text", **extra: Any) -> dict:
    return {"kind": "field", "key": key, "number": number, "label": _t(vi, en), "type": kind, **extra}


def _col(key: str, vi: str, en: str, kind: str = "text", **extra: Any) -> dict:
    return {"key": key, "label": _t(vi, en), "type": kind, **extra}


def _table(key: str, number: str, vi: str, en: str, columns: list[dict], **extra: Any) -> dict:
    return {"kind": "table", "key": key, "number": number, "label": _t(vi, en), "columns": columns,
            "min_rows": 0, "max_rows": 5000, **extra}


def _monitoring_columns(where_key: str, where_vi: str, where_en: str) -> list[dict]:
    return [_col("sampling_date", "Ngày lấy mẫu", "Sampling date", "date"),
            _col(where_key, where_vi, where_en),
            _col("parameter", "Thông số", "Parameter"),
            _col("unit", "Đơn vị", "Unit"),
            _col("result", "Kết quả", "Result", "decimal"),
            _col("limit", "Giới hạn cho phép", "Limit"),
            _col("regulation", "Quy chuẩn", "Regulation"),
            _col("explanation", "Giải trình", "Explanation", "textarea")]


def compact_definition() -> dict:
    """A compact 05.A-shaped definition (contract keys), for when the fixture file is absent."""
    awaiting = "awaiting_official_layout"
    exceedance = {"value": "result", "limit": "limit", "explanation": "explanation"}
    return {
        "code": "05.A", "version": "test.1", "applies_to": "gpmt",
        "title": _t("Báo cáo công tác bảo vệ môi trường (cơ sở có giấy phép môi trường)",
                    "Environmental protection report (facilities holding an environmental permit)"),
        "legal_basis": "Mẫu số 05.A Phụ lục VI Thông tư 02/2022/TT-BTNMT; Điều 119(3) Luật BVMT 2020",
        "effective_from": "2022-01-10", "effective_to": None,
        "deadline": {"month": 1, "day": 15, "basis": "Điều 66(2) TT 02/2022, sửa đổi theo QĐ 3323/QĐ-BTNMT"},
        "sections": [
            {"key": "general", "number": "", "title": _t("THÔNG TIN CHUNG", "General information"),
             "status": "confirmed", "items": [
                 _field("facility_name", "1", "Tên cơ sở sản xuất, kinh doanh, dịch vụ", "Facility name"),
                 _field("address_phone", "2", "Địa chỉ, số điện thoại", "Address, phone"),
                 _field("representative", "3", "Người đại diện", "Representative"),
                 _field("activity_scale_frequency", "4", "Loại hình sản xuất, kinh doanh, dịch vụ; quy mô/công "
                        "suất; tần suất hoạt động", "Activity; scale; frequency", "textarea"),
                 _field("business_registration", "5", "Giấy đăng ký kinh doanh", "Business registration"),
                 _field("tax_code", "5", "Mã số thuế", "Tax code"),
                 _field("permit", "6", "Giấy phép môi trường số, ngày, cơ quan cấp", "Environmental permit"),
                 _field("iso14001", "7", "Giấy chứng nhận ISO 14001 (nếu có)", "ISO 14001 certificate"),
                 _table("products", "8", "Khối lượng sản phẩm của năm báo cáo và năm gần nhất", "Products", [
                     _col("item", "Sản phẩm", "Product"), _col("unit", "Đơn vị", "Unit"),
                     _col("reporting_year", "Năm báo cáo", "Reporting year", "decimal"),
                     _col("previous_year", "Năm gần nhất", "Previous year", "decimal")]),
                 _table("consumption", "9", "Nhiên liệu, điện, nước tiêu thụ của năm báo cáo và năm gần nhất",
                        "Fuel, power and water consumed", [
                            _col("item", "Loại", "Item"), _col("unit", "Đơn vị", "Unit"),
                            _col("reporting_year", "Năm báo cáo", "Reporting year", "decimal"),
                            _col("previous_year", "Năm gần nhất", "Previous year", "decimal")]),
             ]},
            {"key": "wastewater", "number": "1", "part": _t("Phần 1. Kết quả hoạt động các công trình, biện pháp "
                                                            "bảo vệ môi trường", "Part 1"),
             "title": _t("Về công trình bảo vệ môi trường đối với nước thải", "Wastewater works"),
             "status": awaiting, "items": [
                 _table("wastewater_works", "1.1", "Công trình xử lý nước thải", "Wastewater treatment works", [
                     _col("works_name", "Công trình", "Works"),
                     _col("capacity_m3_day", "Công suất", "Capacity", "decimal", unit="m³/ngày"),
                     _col("technology", "Công nghệ", "Technology"),
                     _col("volume_m3_year", "Lượng nước thải", "Volume", "decimal", unit="m³/năm"),
                     _col("chemicals", "Hóa chất sử dụng", "Chemicals"),
                     _col("status", "Tình trạng vận hành", "Status")]),
                 _field("wastewater_total_m3_year", "1.2", "Tổng lượng nước thải", "Total wastewater", "decimal",
                        unit="m³/năm", total_of="wastewater_works.volume_m3_year"),
                 _table("wastewater_monitoring", "1.3", "Kết quả quan trắc nước thải định kỳ",
                        "Periodic wastewater monitoring", _monitoring_columns("point", "Vị trí", "Point"),
                        exceedance=exceedance),
                 _table("automatic_monitoring", "1.4", "Kết quả quan trắc tự động, liên tục",
                        "Automatic monitoring", [
                            _col("station", "Trạm", "Station"), _col("parameter", "Thông số", "Parameter"),
                            _col("design_count", "Số giá trị theo thiết kế", "Design count", "integer"),
                            _col("received_count", "Số giá trị nhận được", "Received", "integer"),
                            _col("error_pct", "Tỷ lệ lỗi", "Error", "decimal", unit="%"),
                            _col("exceedance_count", "Số giá trị vượt", "Exceedances", "integer"),
                            _col("note", "Ghi chú", "Note")]),
             ]},
            {"key": "emissions", "number": "2", "title": _t("Về công trình bảo vệ môi trường đối với bụi, khí thải",
                                                            "Emission works"),
             "status": awaiting, "items": [
                 _table("emission_works", "2.1", "Công trình xử lý bụi, khí thải (theo ống khói)", "Stacks", [
                     _col("stack", "Ống khói", "Stack"), _col("source", "Nguồn", "Source"),
                     _col("treatment", "Biện pháp xử lý", "Treatment"),
                     _col("flow_m3_h", "Lưu lượng", "Flow", "decimal", unit="m³/giờ"),
                     _col("status", "Tình trạng", "Status")]),
                 _table("emission_monitoring", "2.2", "Kết quả quan trắc khí thải định kỳ",
                        "Periodic emission monitoring", _monitoring_columns("stack", "Ống khói", "Stack"),
                        exceedance=exceedance),
             ]},
            {"key": "solid_waste", "number": "3", "title": _t("Về quản lý chất thải rắn thông thường",
                                                              "Ordinary solid waste"),
             "status": awaiting, "items": [
                 _table("solid_waste", "3.1", "Chất thải rắn sinh hoạt và công nghiệp thông thường", "Solid waste", [
                     _col("waste_kind", "Loại", "Kind", "choice", options=[
                         {"key": "domestic", "label": _t("Sinh hoạt", "Domestic")},
                         {"key": "industrial", "label": _t("Công nghiệp thông thường", "Industrial")}]),
                     _col("quantity_kg", "Khối lượng phát sinh", "Quantity", "decimal", unit="kg"),
                     _col("reused_kg", "Tái sử dụng, tái chế", "Reused", "decimal", unit="kg"),
                     _col("receiver", "Đơn vị tiếp nhận", "Receiver")]),
             ]},
            {"key": "hazardous", "number": "4", "title": _t("Về quản lý chất thải nguy hại", "Hazardous waste"),
             "status": awaiting, "items": [
                 _table("hazardous_waste", "4.1", "Chất thải nguy hại phát sinh và chuyển giao", "Hazardous waste", [
                     _col("waste_name", "Tên chất thải", "Waste"),
                     _col("ctnh_code", "Mã CTNH", "Code", format="ctnh_code"),
                     _col("state", "Trạng thái tồn tại", "State"),
                     _col("quantity_kg", "Khối lượng", "Quantity", "decimal", unit="kg"),
                     _col("treatment_method", "Phương pháp xử lý", "Treatment"),
                     _col("receiver", "Tổ chức tiếp nhận", "Receiver"),
                     _col("receiver_licence", "Số giấy phép", "Licence")]),
                 _field("hazardous_waste_total_kg", "4.2", "Tổng khối lượng chất thải nguy hại", "Total", "decimal",
                        unit="kg", total_of="hazardous_waste.quantity_kg"),
             ]},
            {"key": "scrap", "number": "5", "title": _t("Về phế liệu nhập khẩu (nếu có)", "Imported scrap"),
             "status": awaiting, "items": [
                 _table("imported_scrap", "5.1", "Phế liệu nhập khẩu", "Imported scrap", [
                     _col("scrap_type", "Loại phế liệu", "Type"), _col("hs_code", "Mã HS", "HS code"),
                     _col("quantity_t", "Khối lượng", "Quantity", "decimal", unit="tấn"),
                     _col("import_certificate", "Giấy xác nhận", "Certificate")]),
             ]},
            {"key": "incidents", "number": "6", "title": _t("Công tác phòng ngừa, ứng phó sự cố môi trường",
                                                            "Incidents"),
             "status": awaiting, "items": [
                 _table("incidents", "6.1", "Sự cố môi trường", "Incidents", [
                     _col("occurred_on", "Ngày", "Date", "date"), _col("description", "Mô tả", "Description"),
                     _col("response", "Biện pháp ứng phó", "Response")]),
             ]},
            {"key": "remedies", "number": "7", "title": _t("Kết quả khắc phục các yêu cầu của cơ quan thanh tra, "
                                                           "kiểm tra", "Remedies"),
             "status": awaiting, "items": [
                 _table("remedies", "7.1", "Yêu cầu khắc phục", "Remedies", [
                     _col("inspection", "Đoàn thanh tra, kiểm tra", "Inspection"),
                     _col("requirement", "Yêu cầu", "Requirement"), _col("result", "Kết quả", "Result"),
                     _col("completed_on", "Ngày hoàn thành", "Completed", "date")]),
             ]},
            {"key": "other", "number": "8", "title": _t("Các nội dung khác", "Other"), "status": awaiting, "items": [
                _field("monitoring_service", "8.1", "Hoạt động dịch vụ quan trắc môi trường (nếu có)",
                       "Monitoring service", "textarea"),
                _field("other_measures", "8.2", "Kết quả các hoạt động, biện pháp bảo vệ môi trường khác",
                       "Other measures", "textarea"),
                _field("recommendations", "8.3", "Kiến nghị", "Recommendations", "textarea"),
            ]},
        ],
    }


def sample_definition(code: str = "05.A") -> dict:
    """The fixture definition of form `code` (latest file) if present, else `compact_definition()`."""
    if FORMS_DIR.is_dir():
        for path in sorted(FORMS_DIR.glob("*.json"), reverse=True):
            try:
                definition = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if definition.get("code") == code:
                return definition
    return compact_definition()


HAZARDOUS = [  # (name, CTNH code per Appendix III Circular 02/2022, state, treatment)
    ("Giẻ lau, găng tay dính dầu", "18 02 01", "Rắn", "Đốt"),
    ("Bóng đèn huỳnh quang thải", "16 01 06", "Rắn", "Tái chế"),
    ("Dầu động cơ, hộp số thải", "17 02 03", "Lỏng", "Tái chế"),
    ("Bao bì cứng thải bằng kim loại", "18 01 02", "Rắn", "Tái chế"),
    ("Bùn thải từ hệ thống xử lý nước thải", "12 06 05", "Bùn", "Hóa rắn"),
    ("Pin, ắc quy chì thải", "16 01 12", "Rắn", "Tái chế"),
    ("Hộp mực in thải", "08 02 04", "Rắn", "Đốt"),
]
RECEIVERS = [("Công ty TNHH Môi trường Xanh Hải Phòng (demo)", "1-2-3-4.012.VX"),
             ("Công ty CP Xử lý chất thải Đông Bắc (demo)", "1-2-3-4.034.VX")]
WASTEWATER_PARAMS = [("pH", "-", "5,5 - 9", "7.2"), ("BOD5", "mg/L", "≤ 30", "18.4"), ("COD", "mg/L", "≤ 75", "42"),
                     ("TSS", "mg/L", "≤ 50", "21.5"), ("Amoni", "mg/L", "≤ 5", "2.1"), ("Tổng N", "mg/L", "≤ 20", "11"),
                     ("Tổng P", "mg/L", "≤ 4", "1.2"), ("Coliform", "MPN/100mL", "≤ 3000", "1500")]
EMISSION_PARAMS = [("Bụi tổng", "mg/Nm³", "≤ 200", "85"), ("SO2", "mg/Nm³", "≤ 500", "210"),
                   ("NOx", "mg/Nm³", "≤ 850", "430"), ("CO", "mg/Nm³", "≤ 1000", "320")]


def _vary(rng: random.Random, base: str, spread: float = 0.3) -> str:
    value = Decimal(base) * Decimal(str(round(1 + rng.uniform(-spread, spread), 2)))
    return format(value.quantize(Decimal("0.1")).normalize(), "f")


def sample_data(*, year: int = 2025, hazardous_rows: int = 150, monitoring_rows: int = 40,
                facility_name: str = "Công ty TNHH Thép Đình Vũ (demo)", tax_code: str = "0200000001",
                seed: int = 5) -> dict:
    """Plausible report data (contract keys) with about `hazardous_rows` and `monitoring_rows` rows."""
    rng = random.Random(seed)
    hazardous = []
    for i in range(hazardous_rows):
        name, code, state, treatment = HAZARDOUS[i % len(HAZARDOUS)]
        receiver, licence = RECEIVERS[i % len(RECEIVERS)]
        hazardous.append({"waste_name": f"{name} (đợt {i // len(HAZARDOUS) + 1})", "ctnh_code": code,
                          "state": state, "quantity_kg": _vary(rng, "420", 0.8), "treatment_method": treatment,
                          "receiver": receiver, "receiver_licence": licence})

    def monitoring(params: list, where_key: str, where: list[str], rows: int) -> list[dict]:
        out = []
        for i in range(rows):
            parameter, unit, limit, base = params[i % len(params)]
            exceeds = i % 17 == 5  # a few exceedances, each explained
            result = _vary(rng, base, 0.25) if not exceeds else format(Decimal(base) * 2, "f")
            month = 1 + (i * 3) % 12
            out.append({"sampling_date": f"{year}-{month:02d}-{10 + i % 15:02d}", where_key: where[i % len(where)],
                        "parameter": parameter, "unit": unit, "result": result, "limit": limit,
                        "regulation": "QCVN 40:2011/BTNMT, cột B" if where_key == "point" else "QCVN 19:2009/BTNMT",
                        "explanation": "Sự cố hệ thống sục khí, đã khắc phục trong ngày" if exceeds else "",
                        "exceeds": exceeds})
        return out

    works = [{"works_name": f"Hệ thống xử lý nước thải số {i + 1}", "capacity_m3_day": str(200 + 100 * i),
              "technology": "Sinh học hiếu khí (aerotank) kết hợp lắng, lọc, khử trùng",
              "volume_m3_year": str(48000 + 9000 * i), "chemicals": "PAC, Polymer, Javen",
              "status": "Vận hành thường xuyên"} for i in range(3)]
    total_ww = sum(Decimal(w["volume_m3_year"]) for w in works)
    total_hw = sum(Decimal(r["quantity_kg"]) for r in hazardous)
    return {
        "fields": {
            "facility_name": facility_name,
            "address_phone": "Lô CN5, KCN Đình Vũ, phường Đông Hải, thành phố Hải Phòng; ĐT: 0225 3 000 001",
            "representative": "Nguyễn Văn An – Giám đốc",
            "activity_scale_frequency": "Sản xuất phôi thép và thép cán; công suất 500.000 tấn/năm; "
                                        "hoạt động thường xuyên.",
            "business_registration": "0200000001 do Sở Kế hoạch và Đầu tư cấp lần đầu ngày 12/03/2008",
            "tax_code": tax_code,
            "permit": "Giấy phép môi trường số 123/GPMT-UBND ngày 15/06/2023 của UBND thành phố Hải Phòng",
            "iso14001": "ISO 14001:2015, chứng chỉ số VN-EMS-0001 (demo)",
            "wastewater_total_m3_year": format(total_ww, "f"),
            "hazardous_waste_total_kg": format(total_hw, "f"),
            "monitoring_service": "",
            "other_measures": "Trồng cây xanh 20% diện tích; phun sương dập bụi khu bãi phế liệu.\n"
                              "Tập huấn ứng phó sự cố tràn dầu tháng 6.",
            "recommendations": "Đề nghị Sở hướng dẫn mẫu bảng chính thức của Phụ lục VI.",
        },
        "tables": {
            "products": [{"item": "Phôi thép", "unit": "tấn", "reporting_year": "412500.5", "previous_year": "398000"},
                         {"item": "Thép cán", "unit": "tấn", "reporting_year": "305000", "previous_year": "296400.25"}],
            "consumption": [
                {"item": "Điện", "unit": "kWh", "reporting_year": "182345678", "previous_year": "175000000"},
                {"item": "Nước sạch", "unit": "m³", "reporting_year": "215000", "previous_year": "209870"},
                {"item": "Dầu DO", "unit": "lít", "reporting_year": "120500.5", "previous_year": "118000"}],
            "wastewater_works": works,
            "wastewater_monitoring": monitoring(WASTEWATER_PARAMS, "point", ["Cửa xả số 1", "Cửa xả số 2"],
                                                monitoring_rows),
            "automatic_monitoring": [
                {"station": "Trạm QTTĐ nước thải số 1", "parameter": p, "design_count": 105120,
                 "received_count": 104000 + i * 91, "error_pct": f"{1.1 + i * 0.2:.1f}", "exceedance_count": i % 3,
                 "note": ""} for i, p in enumerate(["Lưu lượng", "pH", "COD", "TSS", "Amoni", "Nhiệt độ"])],
            "emission_works": [{"stack": f"Ống khói số {i + 1}", "source": "Lò luyện thép EAF" if i == 0 else "Lò nung",
                                "treatment": "Lọc bụi túi vải", "flow_m3_h": str(150000 - 20000 * i),
                                "status": "Vận hành thường xuyên"} for i in range(4)],
            "emission_monitoring": monitoring(EMISSION_PARAMS, "stack", [f"Ống khói số {i + 1}" for i in range(4)],
                                              monitoring_rows),
            "solid_waste": [{"waste_kind": "domestic", "quantity_kg": "86500", "reused_kg": "0",
                             "receiver": "Công ty CP Môi trường đô thị Hải Phòng (demo)"},
                            {"waste_kind": "industrial", "quantity_kg": "1250300.5", "reused_kg": "980000",
                             "receiver": "Công ty TNHH Tái chế Đình Vũ (demo)"}],
            "hazardous_waste": hazardous,
            "imported_scrap": [{"scrap_type": "Thép phế liệu", "hs_code": "7204.41.00", "quantity_t": "150000",
                                "import_certificate": "Số 45/GXN-BTNMT ngày 01/02/2024"}],
            "incidents": [],
            "remedies": [{"inspection": "Đoàn kiểm tra Sở NN&MT tháng 5/" + str(year),
                          "requirement": "Bổ sung biển báo kho chất thải nguy hại",
                          "result": "Đã hoàn thành", "completed_on": f"{year}-06-30"}],
        },
    }
