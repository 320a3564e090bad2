"""Declarative column maps: for each layer, target field -> accepted column names.

Headers are matched case- and diacritic-insensitively ("Tên cơ sở", "TEN_CO_SO" and
"ten co so" are the same column). Each column has a type; its limits (length, digits)
come from the model field, so the map and the model cannot drift apart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext as _

from layers.choices import (
    DegradedAreaKind,
    FacilityStatus,
    OperatingFrequency,
    PermitClass,
    ProjectGroup,
    ProtectedAreaCategory,
    WasteFacilityKind,
    WaterAreaKind,
    ZoneKind,
)
from layers.imports.parsing import (
    CellError,
    Reading,
    clean_text,
    column_key,
    fold,
    is_blank,
    parse_bool,
    parse_date,
    parse_number,
)
from layers.imports.report import ImportRefused

TEXT, DECIMAL, INTEGER, DATE, CHOICE, BOOL, CATALOGUE, TAX_CODE = (
    "text", "decimal", "integer", "date", "choice", "bool", "catalogue", "tax_code")


@dataclass(frozen=True)
class Column:
    """A target field, the column names it is read from, and how a cell is read."""

    field: str
    names: tuple[str, ...]
    kind: str = TEXT
    required: bool = False
    choices: type[TextChoices] | None = None
    aliases: tuple[tuple[str, str], ...] = ()  # (written form, stored value)
    catalogue: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(column_key(n) for n in (*self.names, self.field)))


def _choice(field: str, names: tuple[str, ...], choices: type[TextChoices], aliases: dict[str, tuple[str, ...]],
            *, required: bool = False) -> Column:
    pairs = tuple((alias, value) for value, written in aliases.items() for alias in written)
    return Column(field, names, CHOICE, required=required, choices=choices, aliases=pairs)


DESCRIPTION = Column("description", ("mo_ta", "Mô tả", "ghi_chu", "Ghi chú", "description", "notes", "note"))
AREA_HA = Column("area_ha", ("dien_tich_ha", "Diện tích (ha)", "dien_tich", "Diện tích", "area_ha", "area"), DECIMAL)

LAYER_COLUMNS: dict[str, tuple[Column, ...]] = {
    "facilities": (
        Column("name", ("ten_co_so", "Tên cơ sở", "ten_doanh_nghiep", "Tên doanh nghiệp", "ten_du_an",
                        "ten", "Tên", "name", "facility", "facility_name"), required=True),
        Column("tax_code", ("mst", "Mã số thuế", "ma_so_thue", "tax_code", "taxcode", "tax_id"), TAX_CODE),
        Column("address", ("dia_chi", "Địa chỉ", "address")),
        Column("business_registration", ("so_dkkd", "Giấy chứng nhận đăng ký doanh nghiệp", "dkkd",
                                         "business_registration")),
        Column("representative", ("nguoi_dai_dien", "Người đại diện", "dai_dien", "representative")),
        Column("contact_phone", ("dien_thoai", "Điện thoại", "sdt", "phone", "contact_phone")),
        Column("sector", ("ma_nganh", "Mã ngành", "nganh", "Ngành", "linh_vuc", "Lĩnh vực", "sector",
                          "sector_code"), CATALOGUE, catalogue="sectors"),
        Column("activity", ("loai_hinh_san_xuat", "Loại hình sản xuất", "loai_hinh", "Loại hình", "nganh_nghe",
                            "Ngành nghề", "hoat_dong", "activity")),
        Column("capacity", ("cong_suat", "Công suất", "quy_mo", "Quy mô", "Quy mô, công suất", "capacity")),
        _choice("project_group", ("nhom_du_an", "Nhóm dự án", "nhom", "project_group"), ProjectGroup, {
            value: (value, str(arabic), f"nhom {value}", f"nhom {arabic}", f"group {arabic}")
            for arabic, value in enumerate(("I", "II", "III", "IV"), start=1)}),
        _choice("permit_class", ("loai_ho_so", "Loại hồ sơ môi trường", "ho_so_moi_truong", "permit_class"),
                PermitClass, {
                    PermitClass.GPMT: ("gpmt", "giay phep moi truong", "05.a", "05a", "mau 05.a"),
                    PermitClass.DKMT: ("dkmt", "dang ky moi truong", "05.b", "05b", "mau 05.b"),
                    PermitClass.EXEMPT: ("mien", "mien tru", "mien dang ky", "khong phai dang ky", "exempt")}),
        _choice("operating_frequency", ("tan_suat_hoat_dong", "Tần suất hoạt động", "operating_frequency"),
                OperatingFrequency, {
                    OperatingFrequency.REGULAR: ("thuong xuyen", "quanh nam"),
                    OperatingFrequency.SEASONAL: ("theo mua", "thoi vu", "theo mua vu")}),
        _choice("status", ("trang_thai", "Trạng thái", "tinh_trang", "Tình trạng", "status"), FacilityStatus, {
            FacilityStatus.OPERATING: ("dang hoat dong", "hoat dong"),
            FacilityStatus.CONSTRUCTION: ("dang xay dung", "xay dung"),
            FacilityStatus.TRIAL: ("van hanh thu nghiem", "vhtn", "van hanh thu"),
            FacilityStatus.SUSPENDED: ("tam dung", "tam ngung", "tam dung hoat dong"),
            FacilityStatus.CLOSED: ("dong cua", "ngung hoat dong", "da dong cua", "cham dut hoat dong")}),
        Column("iso14001", ("iso_14001", "ISO 14001", "iso14001"), BOOL),
        Column("iso14001_certificate", ("chung_chi_iso", "Chứng chỉ ISO 14001", "iso14001_certificate")),
        DESCRIPTION,
    ),
    "zones": (
        Column("name", ("ten_kcn", "Tên KCN", "ten_khu", "Tên khu", "ten", "Tên", "name"), required=True),
        Column("code", ("ma", "Mã", "ma_kcn", "Mã KCN", "code")),
        _choice("kind", ("loai", "Loại", "loai_khu", "Loại khu", "kind"), ZoneKind, {
            ZoneKind.KCN: ("kcn", "khu cong nghiep"), ZoneKind.CCN: ("ccn", "cum cong nghiep"),
            ZoneKind.KKT: ("kkt", "khu kinh te"), ZoneKind.KCX: ("kcx", "khu che xuat")}, required=True),
        AREA_HA,
        Column("occupancy_pct", ("ty_le_lap_day", "Tỷ lệ lấp đầy (%)", "Tỷ lệ lấp đầy", "lap_day", "occupancy_pct",
                                 "occupancy"), DECIMAL),
        Column("established_by", ("quyet_dinh_thanh_lap", "Quyết định thành lập", "established_by")),
        Column("cwwtp_capacity_m3_day", ("cong_suat_xlnt", "Công suất XLNT tập trung (m3/ngày)", "Công suất XLNT",
                                         "cwwtp_capacity", "cwwtp_capacity_m3_day"), DECIMAL),
        Column("cwwtp_status", ("tinh_trang_xlnt", "Tình trạng XLNT", "cwwtp_status")),
        DESCRIPTION,
    ),
    "protected-areas": (
        Column("name", ("ten_khu", "Tên khu", "ten", "Tên", "name"), required=True),
        _choice("category", ("phan_hang", "Phân hạng", "loai", "Loại", "category"), ProtectedAreaCategory, {
            ProtectedAreaCategory.NATIONAL_PARK: ("vuon quoc gia", "vqg"),
            ProtectedAreaCategory.NATURE_RESERVE: ("khu du tru thien nhien", "khu bao ton thien nhien"),
            ProtectedAreaCategory.HABITAT: ("khu bao ton loai sinh canh", "khu bao ton loai - sinh canh",
                                            "bao ton loai sinh canh"),
            ProtectedAreaCategory.LANDSCAPE: ("khu bao ve canh quan", "bao ve canh quan"),
            ProtectedAreaCategory.MARINE: ("khu bao ton bien", "bao ton bien"),
            ProtectedAreaCategory.BIOSPHERE: ("khu du tru sinh quyen", "du tru sinh quyen"),
            ProtectedAreaCategory.WETLAND: ("dat ngap nuoc", "vung dat ngap nuoc"),
            ProtectedAreaCategory.BIODIVERSITY_SITE: ("co so bao ton da dang sinh hoc", "da dang sinh hoc"),
            ProtectedAreaCategory.OTHER: ("khac",)}, required=True),
        Column("designation", ("danh_hieu", "Danh hiệu", "designation")),
        Column("legal_basis", ("can_cu_phap_ly", "Căn cứ pháp lý", "legal_basis")),
        AREA_HA,
        Column("management_body", ("co_quan_quan_ly", "Cơ quan quản lý", "management_body")),
        DESCRIPTION,
    ),
    "degraded-areas": (
        Column("name", ("ten_khu_vuc", "Tên khu vực", "ten", "Tên", "name"), required=True),
        _choice("kind", ("phan_loai", "Phân loại", "loai", "Loại", "kind"), DegradedAreaKind, {
            DegradedAreaKind.POLLUTED: ("o nhiem", "khu vuc o nhiem", "o nhiem moi truong"),
            DegradedAreaKind.SENSITIVE: ("nhay cam", "nhay cam moi truong", "khu vuc nhay cam"),
            DegradedAreaKind.DEGRADED: ("suy thoai", "khu vuc suy thoai", "suy thoai moi truong")}, required=True),
        Column("media", ("thanh_phan_moi_truong", "Thành phần môi trường", "moi_truong", "media")),
        Column("pollutants", ("chat_o_nhiem", "Chất ô nhiễm", "pollutants")),
        Column("identified_on", ("ngay_xac_dinh", "Ngày xác định", "identified_on"), DATE),
        Column("measures", ("bien_phap", "Biện pháp", "measures")),
        DESCRIPTION,
    ),
    "incidents": (
        Column("name", ("ten_su_co", "Tên sự cố", "ten", "Tên", "name"), required=True),
        Column("occurred_on", ("ngay_xay_ra", "Ngày xảy ra", "ngay", "Ngày", "date", "occurred_on"), DATE,
               required=True),
        Column("cause", ("nguyen_nhan", "Nguyên nhân", "cause")),
        Column("response", ("bien_phap_xu_ly", "Biện pháp xử lý", "xu_ly", "response")),
        Column("resolved_on", ("ngay_khac_phuc", "Ngày khắc phục xong", "Ngày khắc phục", "resolved_on"), DATE),
        DESCRIPTION,
    ),
    "craft-villages": (
        Column("name", ("ten_lang_nghe", "Tên làng nghề", "ten", "Tên", "name"), required=True),
        Column("products", ("san_pham", "Sản phẩm", "products")),
        Column("households", ("so_ho", "Số hộ", "households"), INTEGER),
        Column("recognised_by", ("quyet_dinh_cong_nhan", "Quyết định công nhận", "recognised_by")),
        Column("pollution_note", ("hien_trang_moi_truong", "Hiện trạng môi trường", "pollution_note")),
        DESCRIPTION,
    ),
    "waste-facilities": (
        Column("name", ("ten_co_so", "Tên cơ sở", "ten", "Tên", "name"), required=True),
        _choice("kind", ("loai_hinh", "Loại hình", "loai", "Loại", "kind"), WasteFacilityKind, {
            WasteFacilityKind.LANDFILL: ("bai chon lap", "chon lap"),
            WasteFacilityKind.INCINERATOR: ("lo dot", "dot"),
            WasteFacilityKind.COMPOSTING: ("u phan", "compost", "san xuat phan compost"),
            WasteFacilityKind.HAZARDOUS: ("xu ly chat thai nguy hai", "chat thai nguy hai", "ctnh"),
            WasteFacilityKind.WASTEWATER: ("xu ly nuoc thai", "nha may xu ly nuoc thai"),
            WasteFacilityKind.RECYCLING: ("tai che",),
            WasteFacilityKind.OTHER: ("khac",)}, required=True),
        Column("capacity_t_day", ("cong_suat_tan_ngay", "Công suất (tấn/ngày)", "cong_suat", "Công suất",
                                  "capacity_t_day", "capacity"), DECIMAL),
        Column("technology", ("cong_nghe", "Công nghệ", "technology")),
        DESCRIPTION,
    ),
    "water-areas": (
        Column("name", ("ten_vung", "Tên vùng", "ten", "Tên", "name"), required=True),
        _choice("kind", ("loai", "Loại", "kind"), WaterAreaKind, {
            WaterAreaKind.RIVER_BASIN: ("luu vuc song", "luu vuc"),
            WaterAreaKind.COASTAL: ("vung ven bien", "ven bien", "vung bo"),
            WaterAreaKind.MARINE: ("vung bien", "bien")}, required=True),
        Column("water_bodies", ("thuy_vuc", "Thủy vực", "water_bodies")),
        DESCRIPTION,
    ),
}


def resolve_columns(layer: str, headers: list[str]) -> tuple[dict[str, str], list[str]]:
    """Which header feeds which field: ({field: header}, unused headers). A missing
    required column refuses the file, naming the accepted spellings."""
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(column_key(header), header)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for column in LAYER_COLUMNS[layer]:
        for key in column.keys:
            header = by_key.get(key)
            if header is not None and header not in used:
                mapping[column.field] = header
                used.add(header)
                break
        else:
            if column.required:
                raise ImportRefused(_("The column for “%(field)s” is missing: name it %(names)s.")
                                    % {"field": column.field, "names": " / ".join(column.names[:4])})
    return mapping, [h for h in headers if h not in used]


_TAX = re.compile(r"^\d{10}(-\d{3})?$")


def _read_tax_code(raw: Any) -> Reading:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        # A tax code stored as a number lost its leading zeros ("200000001").
        text = f"{raw:010d}"
        if len(str(raw)) < 10:
            return Reading(text, _("tax code %(raw)s was stored as a number; read as %(code)s")
                           % {"raw": raw, "code": text})
        return Reading(text)
    text = re.sub(r"[\s.]", "", clean_text(raw))
    if not _TAX.match(text):
        raise CellError(_("“%(v)s” is not a tax code (10 digits, or 10 digits-3 digits)") % {"v": clean_text(raw)})
    return Reading(text)


def _read_choice(column: Column, raw: Any) -> Reading:
    folded = fold(raw)
    assert column.choices is not None
    for value, label in column.choices.choices:
        if folded in (fold(value), fold(value).replace("_", " "), fold(str(label))):
            return Reading(value)
    for alias, value in column.aliases:
        if folded == fold(alias):
            return Reading(value)
    allowed = ", ".join(str(v) for v in column.choices.values)
    raise CellError(_("“%(v)s” is not one of: %(allowed)s") % {"v": clean_text(raw), "allowed": allowed})


def _read_decimal(model_field, raw: Any) -> Reading | None:
    reading = parse_number(raw)
    if reading is None:
        return None
    value, note = reading.value, reading.note
    places = getattr(model_field, "decimal_places", None)
    if places is not None:
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if rounded != value:
            note = "; ".join(filter(None, [note, _("%(v)s rounded to %(r)s") % {"v": value, "r": rounded}]))
            value = rounded
        digits = getattr(model_field, "max_digits", None)
        if digits is not None and len(rounded.as_tuple().digits) > digits and abs(rounded) >= 1:
            raise CellError(_("%(v)s is too large") % {"v": value})
    return Reading(value, note)


def read_cell(column: Column, model, raw: Any, catalogues: dict[str, dict[str, int]]) -> Reading | None:
    """A cell as the field's value; None when the cell is blank. Raises CellError."""
    if is_blank(raw):
        return None
    model_field = model._meta.get_field(column.field)
    if column.kind == TEXT:
        return Reading(clean_text(raw, max_length=getattr(model_field, "max_length", None)))
    if column.kind == DECIMAL:
        return _read_decimal(model_field, raw)
    if column.kind == INTEGER:
        reading = parse_number(raw)
        if reading is None:
            return None
        if reading.value != reading.value.to_integral_value():
            raise CellError(_("“%(v)s” is not a whole number") % {"v": clean_text(raw)})
        return Reading(int(reading.value), reading.note)
    if column.kind == DATE:
        return Reading(parse_date(raw))
    if column.kind == BOOL:
        return Reading(parse_bool(raw))
    if column.kind == CHOICE:
        return _read_choice(column, raw)
    if column.kind == TAX_CODE:
        return _read_tax_code(raw)
    if column.kind == CATALOGUE:
        entries = catalogues.get(column.catalogue, {})
        entry_id = entries.get(fold(raw))
        if entry_id is None:
            return Reading(None, _("“%(v)s” is not in the catalogue %(cat)s; left empty")
                           % {"v": clean_text(raw), "cat": column.catalogue})
        return Reading(entry_id)
    raise AssertionError(f"unknown column kind {column.kind}")


def catalogue_lookup(codes: set[str]) -> dict[str, dict[str, int]]:
    """{catalogue code: {folded entry code or name: entry id}} for the catalogues used."""
    from geoportal.catalogues.models import CatalogueEntry

    out: dict[str, dict[str, int]] = {code: {} for code in codes}
    for entry in CatalogueEntry.objects.filter(catalogue__code__in=codes, is_active=True).select_related("catalogue"):
        table = out[entry.catalogue.code]
        for key in (entry.code, entry.name_vi, entry.name_en):
            if key:
                table.setdefault(fold(key), entry.pk)
    return out
