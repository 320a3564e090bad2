"""The compiled report as data: its structure (fixtures/workspace/compiled/<form>.json), its
sections and blocks of sourced figures, ready for the DOCX and PDF writers.

The layouts of Mẫu 02 and Mẫu 03 (Circular 02/2022/TT-BTNMT, Appendix VI) are not confirmed
(DOMAIN.md section 1.1): the files follow the known outline, tag every section with its
certainty, and mark the sections whose layout is a working hypothesis
("awaiting_official_layout"), as reports/ does for the facility forms.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings

from workspace.compiled.sources import SourcedFigure, SourceLog

FORMS = ("mau03", "mau02")
CERTAINTIES = ("confirmed", "secondary", "unconfirmed")
STATUSES = ("confirmed", "awaiting_official_layout")
AWAITING_LAYOUT_NOTE = {
    "mau03": "Bố cục mục này theo dàn ý làm việc, chờ mẫu chính thức tại Mẫu số 03 Phụ lục VI "
             "Thông tư 02/2022/TT-BTNMT.",
    "mau02": "Bố cục mục này theo dàn ý làm việc, chờ mẫu chính thức tại Mẫu số 02 Phụ lục VI "
             "Thông tư 02/2022/TT-BTNMT.",
}
NARRATIVE_PLACEHOLDER = "(Phần nhận định, đánh giá do cán bộ biên soạn trên cơ sở số liệu tổng hợp.)"
CERTAINTY_TAGS = {"confirmed": "[C]", "secondary": "[S]", "unconfirmed": "[U]"}
VN_TZ = dt.timezone(dt.timedelta(hours=7))  # documents print Vietnam time (UTC+7, no daylight saving)

Cell = str | SourcedFigure | None


@dataclass
class Block:
    """A table of the report: a title, column headers and rows of text and sourced figures."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    total_rows: int = 0  # the last n rows are totals (printed bold)

    @property
    def figures(self) -> list[SourcedFigure]:
        return [c for row in self.rows for c in row if isinstance(c, SourcedFigure)]


@dataclass
class Section:
    """A section of the outline, with its certainty tag and its blocks."""

    key: str
    part: str
    number: str
    title: str
    certainty: str
    awaiting: bool
    note: str
    blocks: list[Block]
    narrative: bool = False

    @property
    def tag(self) -> str:
        return CERTAINTY_TAGS.get(self.certainty, "")


@dataclass
class CompiledReport:
    """One compiled report (a form, a year, a scope) and the log of every query behind it."""

    form: str
    code: str
    version: str
    year: int
    title: str
    legal_basis: str
    issuer: str
    prepared_by: str
    subject: str
    place: str
    certainty: str
    certainty_note: str
    structure_sources: list[str]
    counted_statuses: list[str]
    counted_statuses_text: str
    sections: list[Section]
    log: SourceLog
    created: dt.datetime

    @property
    def figures(self) -> list[SourcedFigure]:
        return self.log.figures

    @property
    def file_stem(self) -> str:
        return f"{self.form}-{self.year}"


def structure_path(form: str) -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "workspace" / "compiled" / f"{form}.json"


@cache
def load_structure(form: str) -> dict:
    """The outline of `form` (validated: known blocks, certainty tags and statuses)."""
    from workspace.compiled.figures import BLOCKS

    if form not in FORMS:
        raise ValueError(f"unknown compiled form: {form}")
    data = json.loads(structure_path(form).read_text(encoding="utf-8"))
    if data.get("form") != form:
        raise ValueError(f"{form}.json: 'form' must be {form!r}")
    if data.get("certainty") not in CERTAINTIES:
        raise ValueError(f"{form}.json: bad certainty {data.get('certainty')!r}")
    for section in data["sections"]:
        if section.get("certainty") not in CERTAINTIES or section.get("status") not in STATUSES:
            raise ValueError(f"{form}.json, section {section.get('key')}: bad certainty or status")
        unknown = [b for b in section.get("blocks", ()) if b not in BLOCKS]
        if unknown:
            raise ValueError(f"{form}.json, section {section.get('key')}: unknown blocks {unknown}")
    return data


def vi(obj) -> str:
    """The Vietnamese text of a {"vi", "en"} pair (the document's language)."""
    if isinstance(obj, dict):
        return obj.get("vi") or obj.get("en") or ""
    return obj or ""


def build_report(*, form: str, ctx, subject: str, issuer: str, created: dt.datetime) -> CompiledReport:
    """Run every block of the outline of `form` over `ctx` (a figures.Context) and assemble the report."""
    from django.utils import translation

    from reports.choices import ReportStatus
    from workspace.compiled.figures import BLOCKS

    structure = load_structure(form)
    sections = []
    for spec in structure["sections"]:
        blocks = [BLOCKS[name](ctx) for name in spec.get("blocks", ())]
        awaiting = spec["status"] == "awaiting_official_layout"
        sections.append(Section(
            key=spec["key"], part=vi(spec.get("part")), number=spec.get("number", ""), title=vi(spec["title"]),
            certainty=spec["certainty"], awaiting=awaiting,
            note=" ".join(filter(None, [vi(spec.get("note")), AWAITING_LAYOUT_NOTE[form] if awaiting else ""])),
            blocks=blocks, narrative=bool(spec.get("narrative"))))
    with translation.override("vi"):
        statuses_text = ", ".join(str(ReportStatus(s).label).lower() for s in ctx.counted_statuses)
    return CompiledReport(
        form=form, code=structure["code"], version=structure["version"], year=ctx.year,
        title=vi(structure["title"]), legal_basis=structure["legal_basis"], issuer=issuer,
        prepared_by=structure.get("prepared_by", ""), subject=subject, place=structure.get("place", ""),
        certainty=structure["certainty"], certainty_note=vi(structure.get("certainty_note")),
        structure_sources=list(structure.get("sources", ())), counted_statuses=list(ctx.counted_statuses),
        counted_statuses_text=statuses_text, sections=sections, log=ctx.log, created=created)


def figure_text(figure: SourcedFigure) -> str:
    """A figure as printed: Vietnamese number convention (1.234,5), "—" when there is no value."""
    from reports.pdf.formatting import EMPTY, vn_number

    return EMPTY if figure.value is None else vn_number(figure.value)


def query_locator(figure: SourcedFigure) -> str:
    """Where the value comes from in its query, as printed in the table of sources."""
    parts = [figure.query.ref]
    if figure.query.derived:
        parts.append("tính từ các dòng" + (f" ({figure.selector})" if figure.selector else ""))
    else:
        parts.append(f"cột {figure.column}")
        if figure.selector:
            parts.append(f"dòng {figure.selector}")
    return "; ".join(parts)


def basis_paragraphs(report: CompiledReport) -> list[str]:
    """The fixed explanations printed before the table of sources."""
    return [
        f"Số liệu tổng hợp tự động từ cơ sở dữ liệu của cổng thông tin ngày "
        f"{report.created.astimezone(VN_TZ):%d/%m/%Y %H:%M} (giờ Việt Nam), cho năm {report.year}.",
        f"Báo cáo của cơ sở được tính khi có trạng thái: {report.counted_statuses_text}; dùng dữ liệu của lần gửi "
        "gần nhất (bản lưu). Báo cáo bị trả lại để chỉnh sửa và bản nháp không được tính. Chỉ cộng các giá trị "
        "số hợp lệ; giá trị khác được đếm riêng là không cộng.",
        "Sổ đăng ký: chỉ tính các mục đã được phê duyệt. Mỗi số liệu trong báo cáo có số thứ tự [n] tương ứng với "
        "một dòng của bảng dưới đây: tên, giá trị và truy vấn đã tạo ra số liệu (mã truy vấn, cột và dòng); nội "
        "dung câu lệnh SQL và tham số của từng truy vấn liệt kê trong bảng các truy vấn.",
        f"Bố cục: {report.certainty_note}",
    ]
