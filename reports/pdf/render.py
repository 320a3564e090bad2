"""Rendering of the annual report and of the receipt as PDF (WeasyPrint).

Both documents follow the layout of Vietnamese administrative documents (Decree 30/2020/
NĐ-CP, Appendix I): the issuer and the number and symbol on the left, the national motto
on the right, place and date, the title, the body, the signature block; A4, a 13 pt serif.
Their fixed texts are Vietnamese on purpose: an official document is in Vietnamese whatever
language the user interface speaks.

Determinism: the same data and the same `created` give the same bytes. The creation and
modification dates come from `created` (not the clock), the document /ID is a hash of the
content, fonts are the bundled files (reports/fonts), and the map is drawn from the
database the same way each time.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone
from PIL import ImageFont
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from reports.pdf.fetcher import FONTS_DIR, PortalUrlFetcher, font_url
from reports.pdf.formatting import EMPTY, format_value, text_of, vn_number, vn_place_date
from reports.pdf.maps import location_map_png

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # documents print Vietnam time (UTC+7) whatever the server runs in
NUMERIC_TYPES = ("integer", "decimal")
DEFAULT_PLACE = "Hải Phòng"
AWAITING_LAYOUT_NOTE = ("Bố cục mục này theo dàn ý làm việc, chờ mẫu chính thức tại Phụ lục VI "
                        "Thông tư 02/2022/TT-BTNMT.")


@dataclass(frozen=True)
class ReceiptFacts:
    """What a receipt acknowledges: the filed report, its signed file, when and by whom, and to whom."""

    receipt_number: str
    report_title: str
    form_code: str
    year: int
    revision: int
    subject_name: str
    organisation_name: str
    organisation_tax_code: str
    signed_sha256: str
    signed_size: int
    received_at: dt.datetime  # aware; printed in Vietnam time
    signer_name: str
    signer_tax_code: str
    verification_summary: str
    recipients: Sequence[str] = field(default_factory=tuple)
    agency_name: str = "Sở Nông nghiệp và Môi trường thành phố Hải Phòng"


def fonts() -> dict[str, str]:
    """file:// URLs of the bundled fonts, for the @font-face rules of the templates."""
    return {"regular": font_url("NotoSerif-Regular.ttf"), "bold": font_url("NotoSerif-Bold.ttf"),
            "italic": font_url("NotoSerif-Italic.ttf"), "bold_italic": font_url("NotoSerif-BoldItalic.ttf"),
            "math": font_url("NotoSansMath-Regular.ttf")}


def html_to_pdf(html: str, *, url_fetcher: PortalUrlFetcher | None = None) -> bytes:
    """PDF bytes of `html` with the locked-down fetcher (data: URIs and bundled fonts only)."""
    document = HTML(string=html, url_fetcher=url_fetcher or PortalUrlFetcher(), base_url=None)
    # pdf_identifier=True: the /ID is an MD5 of the content, so equal input gives equal bytes.
    return document.write_pdf(font_config=FontConfiguration(), pdf_identifier=True)


def render_report_pdf(*, report, data: dict | None = None, created: dt.datetime | None = None,
                      addressees: Sequence[str] = ()) -> bytes:
    """The annual report `report` (its form version and `data`, default report.data) as an official PDF."""
    created = created or timezone.now()
    html = render_to_string("reports/pdf/report.html", report_context(
        report=report, data=report.data if data is None else data, created=created, addressees=addressees))
    return html_to_pdf(html)


def render_receipt_pdf(*, facts: ReceiptFacts) -> bytes:
    """The receipt acknowledging a filed report ("GIẤY BIÊN NHẬN BÁO CÁO ĐIỆN TỬ"), not yet sealed."""
    received = facts.received_at.astimezone(VN_TZ)
    context = {
        "fonts": fonts(),
        "facts": facts,
        "agency_upper": _upper(facts.agency_name),
        "place_date": vn_place_date(DEFAULT_PLACE, received.date()),
        "received": received.strftime("%H:%M:%S ngày %d/%m/%Y"),
        "size": vn_number(facts.signed_size),
        "created_iso": _w3c(facts.received_at),
    }
    return html_to_pdf(render_to_string("reports/pdf/receipt.html", context))


def report_context(*, report, data: dict, created: dt.datetime, addressees: Sequence[str] = ()) -> dict[str, Any]:
    """What reports/pdf/report.html prints, every value already formatted (the template only lays out)."""
    form = report.form
    definition = form.definition or {}
    fields = (data or {}).get("fields") or {}
    tables = (data or {}).get("tables") or {}
    subject = report.subject
    organisation = report.organisation
    day = report.report_date or created.astimezone(VN_TZ).date()
    sections = [_section(section, fields, tables) for section in definition.get("sections") or ()]
    map_uri = ""
    geom = getattr(subject, "geom", None)
    if geom is not None:
        map_uri = "data:image/png;base64," + base64.b64encode(location_map_png(geom=geom)).decode("ascii")
    representative = fields.get("representative") or getattr(subject, "representative", "") or ""
    return {
        "fonts": fonts(),
        "organisation_upper": _upper(organisation.name if organisation else ""),
        "number": report.number or "……/BC-……",
        "place_date": vn_place_date(report.place or DEFAULT_PLACE, day),
        "year": report.year,
        "form_code": form.code,
        "form_version": form.version,
        "form_title": form.title_vi,
        "legal_basis": form.legal_basis,
        "subject_name": report.subject_name,
        "is_zone": report.zone_id is not None,
        "addressees": list(addressees),
        "sections": sections,
        "map_uri": map_uri,
        "map_after": sections[0]["key"] if sections else "",
        "representative": representative if isinstance(representative, str) else str(representative),
        "revision": report.revision,
        "created_iso": _w3c(created),
        "title": f"Báo cáo công tác bảo vệ môi trường năm {report.year} – {report.subject_name}",
    }


def _section(section: dict, fields: dict, tables: dict) -> dict[str, Any]:
    items = []
    for item in section.get("items") or ():
        if item.get("kind") == "table":
            items.append(_table(item, tables.get(item.get("key")) or []))
        else:
            value = fields.get(item.get("key"))
            items.append({
                "kind": "field", "number": item.get("number", ""), "label": text_of(item.get("label")),
                "value": format_value(item, value),
                "unit": text_of(item.get("unit")) if value not in (None, "") else "",
                "multiline": item.get("type") == "textarea",
            })
    return {"key": section.get("key", ""), "number": section.get("number", ""),
            "title": text_of(section.get("title")), "part": text_of(section.get("part")),
            "awaiting": section.get("status") == "awaiting_official_layout", "note": AWAITING_LAYOUT_NOTE,
            "items": items}


def _table(item: dict, rows: list) -> dict[str, Any]:
    columns = [c for c in item.get("columns") or () if c.get("key") != "exceeds"]
    out_rows = []
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            continue
        out_rows.append({
            "index": index,
            "exceeds": row.get("exceeds") is True,
            "cells": [{"text": format_value(c, row.get(c.get("key"))),
                       "numeric": c.get("type") in NUMERIC_TYPES} for c in columns],
        })
    headers = [text_of(c.get("label")) + (f" ({text_of(c.get('unit'))})" if c.get("unit") else "") for c in columns]
    widths = column_widths(headers, [[cell["text"] for cell in row["cells"]] for row in out_rows],
                           numeric=[c.get("type") in NUMERIC_TYPES for c in columns])
    for row in out_rows:
        for cell, (_width, short) in zip(row["cells"], widths, strict=True):
            cell["nowrap"] = short
    return {
        "kind": "table", "key": item.get("key", ""), "number": item.get("number", ""),
        "label": text_of(item.get("label")),
        "columns": [{"label": header, "numeric": c.get("type") in NUMERIC_TYPES, "width": width}
                    for header, c, (width, _short) in zip(headers, columns, widths, strict=True)],
        "rows": out_rows,
        "exceedances": sum(1 for r in out_rows if r["exceeds"]),
        "has_exceedance_rule": bool(item.get("exceedance")),
        "empty_text": EMPTY,
    }


# The text width of the A4 page less the margins (210 - 30 - 15 mm), in points; the TT column
# takes 6 % of it; each cell has 3 pt of padding on both sides plus its border.
TABLE_WIDTH_PT = (210 - 30 - 15) / 25.4 * 72
TT_SHARE = 0.06
CELL_EXTRA_PT = 7.0
TABLE_FONT_PT = 10.0
MIN_COLUMN_PT = 30.0


@functools.lru_cache(maxsize=2)
def _measure_font(bold: bool) -> ImageFont.FreeTypeFont:
    # Measured at 100 px and scaled down: whole-pixel rounding at 10 px would be too coarse.
    return ImageFont.truetype(str(FONTS_DIR / ("NotoSerif-Bold.ttf" if bold else "NotoSerif-Regular.ttf")), 100)


def text_width_pt(text: str, *, bold: bool = False, size: float = TABLE_FONT_PT) -> float:
    """Width of `text` in points set in Noto Serif at `size` pt (the bundled font, measured by FreeType)."""
    return _measure_font(bold).getlength(text) * size / 100 if text else 0.0


def column_widths(headers: list[str], rows: list[list[str]], *, numeric: list[bool]) -> list[tuple[str, bool]]:
    """(CSS width, keep on one line) per column, from what the columns hold.

    The tables use `table-layout: fixed` (one pass, no measuring of every cell by the
    layout engine: far faster on long tables), so the widths are decided here, from text
    widths measured in the bundled font. A numeric column, or one whose cells are all short
    (up to 12 characters), is rigid: it gets its widest cell (bold, as exceedance rows are)
    and stays on one line. Running text gets its 90th-percentile width up to about 16
    characters, plus a third of the rest, and never less than its widest word (header words
    bold). When the table is too wide, only running text gives way, down to its widest word.
    Deterministic: same data, same widths.
    """
    available = TABLE_WIDTH_PT * (1 - TT_SHARE)
    short_text = text_width_pt("x" * 16)
    weights, floors, rigid = [], [], []
    for i, header in enumerate(headers):
        cells = [row[i] for row in rows]
        header_word = max([text_width_pt(w, bold=True) for w in header.split()] or [0.0])
        is_rigid = numeric[i] or all(len(c) <= 12 for c in cells)
        if is_rigid:
            widest = max([text_width_pt(c, bold=True) for c in set(cells)] or [0.0])
            weight = floor = max(widest, header_word) + CELL_EXTRA_PT
        else:
            widths = sorted(text_width_pt(c) for c in cells)
            typical = widths[min(len(widths) - 1, int(len(widths) * 0.9))]
            word = max([text_width_pt(w) for c in set(cells) for w in c.split()] or [0.0])
            floor = min(max(word, header_word), available / 3) + CELL_EXTRA_PT
            text = typical if typical <= short_text else short_text + (min(typical, 5 * short_text) - short_text) / 3
            weight = max(floor, text + CELL_EXTRA_PT, 0.3 * min(widths[-1], 5 * short_text))
        weights.append(weight)
        floors.append(floor)
        rigid.append(is_rigid)
    flexible = [i for i, r in enumerate(rigid) if not r]
    room = available - sum(w for w, r in zip(weights, rigid, strict=True) if r)
    if flexible and sum(weights[i] for i in flexible) > room:
        _shrink(weights, floors, flexible, room)
    scale = min(1.0, available / (sum(weights) or 1))  # rigid columns alone too wide: everything shrinks
    total = sum(weights) or 1
    share = 100 * (1 - TT_SHARE)
    return [(f"{share * w / total:.2f}%", r and w * scale >= f)
            for w, r, f in zip(weights, rigid, floors, strict=True)]


def _shrink(weights: list[float], floors: list[float], flexible: list[int], room: float) -> None:
    """Shrink the running-text columns to fit `room` points: proportionally, none below its
    floor (its widest word) while that is possible, then below it down to MIN_COLUMN_PT."""
    if sum(floors[i] for i in flexible) > room:  # the words cannot all fit: share by floors
        total = sum(floors[i] for i in flexible)
        for i in flexible:
            weights[i] = max(room * floors[i] / total, MIN_COLUMN_PT)
        return
    free = list(flexible)
    while free:
        factor = (room - sum(weights[i] for i in flexible if i not in free)) / sum(weights[i] for i in free)
        clamped = [i for i in free if weights[i] * factor < floors[i]]
        if not clamped:
            for i in free:
                weights[i] *= factor
            return
        for i in clamped:
            weights[i] = floors[i]
            free.remove(i)


def _upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.upper())


def _w3c(value: dt.datetime) -> str:
    """W3C date-time in UTC (what WeasyPrint reads from <meta name=dcterms.created>)."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
