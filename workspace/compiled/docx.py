"""The compiled report as an editable Word document (python-docx): the officers finish the
narrative parts in Word. Same content as the PDF; fixed texts in Vietnamese.

Decree 30/2020/NĐ-CP, Appendix I: A4, margins 20–25 mm top and bottom, 30–35 mm left,
15–20 mm right, Times New Roman 13–14 pt.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from reports.pdf.formatting import vn_place_date
from workspace.compiled.document import (
    NARRATIVE_PLACEHOLDER,
    VN_TZ,
    CompiledReport,
    basis_paragraphs,
    figure_text,
    query_locator,
)
from workspace.compiled.sources import SourcedFigure, params_text

FONT = "Times New Roman"
GREY = RGBColor(0x55, 0x55, 0x55)


def render_compiled_docx(report: CompiledReport) -> bytes:
    """DOCX bytes of the compiled report."""
    doc = Document()
    _page_setup(doc)
    props = doc.core_properties
    props.title = f"Dự thảo báo cáo công tác bảo vệ môi trường năm {report.year} – {report.subject}"
    props.author = report.issuer
    props.subject = f"Mẫu số {report.code} ({report.version})"
    props.keywords = f"BVMT, Mẫu {report.code}, {report.year}"
    props.created = props.modified = report.created
    props.last_modified_by = report.issuer
    props.revision = 1

    _letterhead(doc, report)
    _centered(doc, "DỰ THẢO", bold=True, size=11, color=RGBColor(0x8A, 0x1C, 0x1C), align=WD_ALIGN_PARAGRAPH.RIGHT)
    _centered(doc, "BÁO CÁO", bold=True, size=14)
    _centered(doc, f"Công tác bảo vệ môi trường năm {report.year}", bold=True)
    _centered(doc, report.subject)
    if report.prepared_by:
        _centered(doc, f"Cơ quan tổng hợp: {report.prepared_by}.", italic=True, size=11)
    _note(doc, f"Ghi chú bố cục: {report.certainty_note}")

    part = None
    for section in report.sections:
        if section.part and section.part != part:
            _centered(doc, section.part.upper(), bold=True)
        part = section.part or part
        heading = doc.add_paragraph()
        run = heading.add_run(f"{section.number}. {section.title}" if section.number else section.title)
        run.bold = True
        tag = heading.add_run(f" {section.tag}")
        tag.font.size = Pt(9)
        tag.font.color.rgb = GREY
        if section.note:
            _note(doc, f"Ghi chú: {section.note}")
        for block in section.blocks:
            title = doc.add_paragraph()
            title.add_run(block.title).italic = True
            _block_table(doc, block)
            if block.note:
                _note(doc, block.note)
        if section.narrative:
            _note(doc, NARRATIVE_PLACEHOLDER)

    _closing(doc, report)
    _sources(doc, report)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(22)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    # East-Asian and complex-script slots too, or Word substitutes a font for Vietnamese letters.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(3)


def _centered(doc, text: str, *, bold=False, italic=False, size: float | None = None, color=None,
              align=WD_ALIGN_PARAGRAPH.CENTER):
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    return paragraph


def _note(doc, text: str) -> None:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = True
    run.font.size = Pt(10)
    run.font.color.rgb = GREY


def _letterhead(doc, report: CompiledReport) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    _cell_lines(left, [(report.issuer, True, False, 12.5), ("Số: ……/BC-……", False, False, 13)])
    place = vn_place_date(report.place or "Hải Phòng", report.created.astimezone(VN_TZ).date())
    _cell_lines(right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 12),
                        ("Độc lập - Tự do - Hạnh phúc", True, False, 13), (place, False, True, 13)])


def _cell_lines(cell, lines) -> None:
    cell.paragraphs[0].text = ""
    for n, (text, bold, italic, size) in enumerate(lines):
        paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        run.font.size = Pt(size)


def _write_cell(cell, value, *, bold: bool = False, size: float = 10) -> None:
    paragraph = cell.paragraphs[0]
    if isinstance(value, SourcedFigure):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(figure_text(value))
        run.bold = bold
        run.font.size = Pt(size)
        ref = paragraph.add_run(f"[{value.ref}]")
        ref.font.superscript = True
        ref.font.size = Pt(7)
        ref.font.color.rgb = GREY
    else:
        run = paragraph.add_run("" if value is None else str(value))
        run.bold = bold
        run.font.size = Pt(size)


def _block_table(doc, block) -> None:
    table = doc.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, block.columns, strict=True):
        _write_cell(cell, header, bold=True)
    if not block.rows:
        row = table.add_row().cells
        merged = row[0].merge(row[-1]) if len(row) > 1 else row[0]
        _write_cell(merged, "Không có số liệu")
    for n, values in enumerate(block.rows):
        total = n >= len(block.rows) - block.total_rows
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _write_cell(cell, value, bold=total)


def _closing(doc, report: CompiledReport) -> None:
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _cell_lines(left, [("Nơi nhận:", True, True, 12), ("- Bộ Nông nghiệp và Môi trường;", False, False, 11),
                       ("- Lưu: VT.", False, False, 11)])
    for paragraph in left.paragraphs:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _cell_lines(right, [(f"TM. {report.issuer}", True, False, 13), ("(Ký, ghi rõ họ tên, đóng dấu)", False, True, 11)])


def _sources(doc, report: CompiledReport) -> None:
    doc.add_page_break()
    _centered(doc, "NGUỒN SỐ LIỆU", bold=True)
    for text in basis_paragraphs(report):
        paragraph = doc.add_paragraph()
        paragraph.add_run(text).font.size = Pt(10.5)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, ("TT", "Chỉ tiêu", "Giá trị", "Truy vấn"), strict=True):
        _write_cell(cell, header, bold=True, size=9)
    for figure in report.figures:
        cells = table.add_row().cells
        value = figure_text(figure) + (f" {figure.unit}" if figure.unit else "")
        for cell, text in zip(cells, (f"[{figure.ref}]", figure.label, value, query_locator(figure)), strict=True):
            _write_cell(cell, text, size=9)
    title = doc.add_paragraph()
    title.add_run("Các truy vấn").italic = True
    queries = doc.add_table(rows=1, cols=3)
    queries.style = "Table Grid"
    for cell, header in zip(queries.rows[0].cells, ("Mã", "Mô tả", "Câu lệnh SQL và tham số"), strict=True):
        _write_cell(cell, header, bold=True, size=9)
    for query in report.log.queries:
        ref, description, sql = queries.add_row().cells
        _write_cell(ref, query.ref, size=9)
        _write_cell(description, " ".join(filter(None, [query.description, query.derived])), size=9)
        _write_cell(sql, query.sql, size=7)
        params = sql.add_paragraph().add_run(f"Tham số (theo thứ tự các %s): {params_text(query.params)}")
        params.font.size = Pt(7)
    if report.structure_sources:
        _note(doc, "Căn cứ dàn ý: " + "; ".join(report.structure_sources))
