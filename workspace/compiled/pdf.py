"""The compiled report as PDF (WeasyPrint), with the fonts and the locked-down URL fetcher of
reports/pdf: data: URIs and the bundled fonts only, never the network or other files."""
from __future__ import annotations

from django.template.loader import render_to_string

from reports.pdf.formatting import vn_place_date
from reports.pdf.render import fonts, html_to_pdf
from workspace.compiled.document import (
    NARRATIVE_PLACEHOLDER,
    VN_TZ,
    CompiledReport,
    basis_paragraphs,
    figure_text,
    query_locator,
)
from workspace.compiled.sources import SourcedFigure, params_text


def _cell(cell) -> dict:
    if isinstance(cell, SourcedFigure):
        return {"text": figure_text(cell), "ref": cell.ref, "numeric": True}
    return {"text": "" if cell is None else str(cell), "ref": None, "numeric": False}


def document_context(report: CompiledReport) -> dict:
    """What templates/workspace/compiled/document.html prints, every value already formatted."""
    sections = []
    for section in report.sections:
        blocks = []
        for block in section.blocks:
            rows = [{"cells": [_cell(c) for c in row], "total": i >= len(block.rows) - block.total_rows}
                    for i, row in enumerate(block.rows)]
            blocks.append({"key": block.key, "title": block.title, "columns": block.columns, "rows": rows,
                           "note": block.note})
        sections.append({"section": section, "blocks": blocks})
    return {
        "fonts": fonts(),
        "report": report,
        "sections": sections,
        "place_date": vn_place_date(report.place or "Hải Phòng", report.created.astimezone(VN_TZ).date()),
        "basis": basis_paragraphs(report),
        "narrative": NARRATIVE_PLACEHOLDER,
        "sources": [{"figure": f, "text": figure_text(f), "locator": query_locator(f)} for f in report.figures],
        "queries": [{"query": q, "params": params_text(q.params)} for q in report.log.queries],
        "created_iso": report.created.astimezone(VN_TZ).isoformat(timespec="seconds"),
    }


def render_compiled_pdf(report: CompiledReport) -> bytes:
    """PDF bytes of the compiled report."""
    return html_to_pdf(render_to_string("workspace/compiled/document.html", document_context(report)))
