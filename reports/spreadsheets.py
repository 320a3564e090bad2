"""The spreadsheet template of a form version, and reading a filled-in one back.

Layout of the workbook (.xlsx, openpyxl):

- "Thông tin chung": one row per field of the form (every section), under a heading row
  per section: the field key (hidden column A), label, value, unit, help;
- one sheet per table: row 1 the column labels with units ("Khối lượng (kg)", "*" when
  required), row 2 hidden, the column keys; data from row 3. Choice and yes/no columns
  carry a drop-down list of their labels;
- "_form" (hidden): the form code and version, and which sheet holds which table.

`read_workbook` returns the raw contract-shaped data (cell values as typed); the caller
passes it to reports.domain.forms.clean_data like data typed on screen. The upload is
checked like every other workbook the portal reads (layers.imports.readers.check_xlsx:
zip limits, no DOCTYPE) before openpyxl opens it, in read-only mode, with capped rows.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import tempfile
import warnings
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from layers.imports.readers import check_xlsx
from layers.imports.report import ImportRefused
from reports.domain.forms import field_specs, label, table_specs
from reports.models import FormDefinition

GENERAL_SHEET = "Thông tin chung"
FORM_SHEET = "_form"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Rows read at most from the general sheet, and blank rows tolerated in a table sheet
# beyond its max_rows (formatted but empty rows), so a crafted file cannot make us spin.
FIELD_ROW_CAP = 2000
BLANK_ROW_SLACK = 2000
# Rows of each table sheet formatted in an empty template (text format, drop-downs).
TEMPLATE_ROWS = 200
YES, NO = "Có", "Không"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 (and so openpyxl) cannot store.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class WorkbookError(ValueError):
    """The uploaded workbook cannot be read as this form's template; `messages` says why."""

    def __init__(self, messages: list[str]):
        self.messages = [str(m) for m in messages]
        super().__init__(" ".join(self.messages))


# --- Writing the template -------------------------------------------------------------------
def _sheet_titles(spec: dict) -> dict[str, str]:
    """Table key -> sheet title: "<number> <Vietnamese label>", at most 31 characters, unique."""
    titles: dict[str, str] = {}
    used = {GENERAL_SHEET.casefold(), FORM_SHEET.casefold()}
    for key, table in table_specs(spec).items():
        text = _SHEET_FORBIDDEN.sub(" ", f"{table.get('number', '')} {label(table['label'], 'vi')}")
        text = " ".join(text.split()).strip("' ")
        if len(text) > 31:
            text = text[:31].rsplit(" ", 1)[0] if " " in text[:31] else text[:31]
        title, n = text or key[:31], 2
        while title.casefold() in used:
            suffix = f" ({n})"
            title, n = f"{text[:31 - len(suffix)]}{suffix}", n + 1
        used.add(title.casefold())
        titles[key] = title
    return titles


def _heading(spec: dict) -> str:
    text = label(spec["label"], "vi")
    if spec.get("unit"):
        text = f"{text} ({spec['unit']})"
    return f"{text} *" if spec.get("required") else text


def _number_text(item: dict) -> str:
    number = item.get("number")
    return f"{number}. " if number else ""


def _to_cell(spec: dict, value: Any) -> Any:
    """A normalised value as the cell shows it (numbers as numbers, dates as dates,
    choices and yes/no by their Vietnamese label)."""
    if value is None:
        return None
    kind = spec["type"]
    try:
        if kind == "decimal":
            number = Decimal(str(value))
            as_float = float(number)
            # A double holds it exactly as written? Then a number Excel can add up;
            # otherwise the text, so that nothing is lost.
            return as_float if Decimal(repr(as_float)) == number else str(value)
        if kind == "integer" and not isinstance(value, bool):
            return int(value)
        if kind == "date":
            return dt.date.fromisoformat(str(value))
    except (ValueError, InvalidOperation, TypeError):
        return _ILLEGAL.sub("", str(value))
    if kind == "boolean" and isinstance(value, bool):
        return YES if value else NO
    if kind == "choice":
        option = next((o for o in spec.get("options") or () if o["key"] == value), None)
        if option is not None:
            return label(option["label"], "vi")
    return _ILLEGAL.sub("", str(value))


def _write(sheet, row: int, column: int, spec: dict, value: Any):
    cell = sheet.cell(row=row, column=column)
    cell.value = _to_cell(spec, value)
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    _format(cell, spec)
    return cell


def _format(cell, spec: dict) -> None:
    if spec["type"] == "date":
        cell.number_format = "dd/mm/yyyy"
    elif spec["type"] in ("text", "textarea", "choice", "boolean"):
        cell.number_format = "@"   # keeps "0101234567" and "16 01 13" as typed
    if spec["type"] == "textarea":
        from openpyxl.styles import Alignment

        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _list_validation(spec: dict):
    """A drop-down of the labels, when Excel can hold it (a list formula: 255 characters, no commas)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if spec["type"] == "boolean":
        labels = [YES, NO]
    elif spec["type"] == "choice":
        labels = [label(o["label"], "vi") for o in spec.get("options") or ()]
    else:
        return None
    formula = ",".join(labels)
    if any("," in text or '"' in text for text in labels) or len(formula) > 250:
        return None
    return DataValidation(type="list", formula1=f'"{formula}"', allow_blank=True, showDropDown=False)


def build_template(definition: FormDefinition, *, data: dict | None = None) -> bytes:
    """The .xlsx template of a form version, filled with `data` (contract shape) when given."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    spec = definition.definition
    data = data or {}
    fields, tables = data.get("fields") or {}, data.get("tables") or {}
    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = GENERAL_SHEET
    sheet.append(["key", "Nội dung / Item", "Giá trị / Value", "Đơn vị / Unit", "Hướng dẫn / Help"])
    for cell in sheet[1]:
        cell.font, cell.fill = bold, head_fill
    row = 2
    for section in spec["sections"]:
        section_fields = [i for i in section["items"] if i["kind"] == "field"]
        if not section_fields:
            continue
        sheet.cell(row=row, column=2, value=f"{_number_text(section)}{label(section['title'], 'vi')}").font = bold
        row += 1
        for item in section_fields:
            sheet.cell(row=row, column=1, value=item["key"])
            sheet.cell(row=row, column=2, value=f"{_number_text(item)}{_heading({**item, 'unit': None})}")
            sheet.cell(row=row, column=2).alignment = wrap
            _write(sheet, row, 3, item, fields.get(item["key"]))
            sheet.cell(row=row, column=4, value=item.get("unit"))
            sheet.cell(row=row, column=5, value=label(item.get("help"), "vi") or None).alignment = wrap
            validation = _list_validation(item)
            if validation is not None:
                sheet.add_data_validation(validation)
                validation.add(f"C{row}")
            row += 1
    sheet.column_dimensions["A"].hidden = True
    for letter, width in (("B", 60), ("C", 45), ("D", 14), ("E", 60)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "B2"

    titles = _sheet_titles(spec)
    for key, table in table_specs(spec).items():
        ws = workbook.create_sheet(titles[key])
        columns = table["columns"]
        rows = [r for r in tables.get(key) or () if isinstance(r, dict)]
        for c, column in enumerate(columns, start=1):
            head = ws.cell(row=1, column=c, value=_heading(column))
            head.font, head.fill, head.alignment = bold, head_fill, wrap
            if column.get("help"):
                head.comment = Comment(label(column["help"], "vi"), "Cổng thông tin")
            ws.cell(row=2, column=c, value=column["key"])
            ws.column_dimensions[get_column_letter(c)].width = max(12, min(50, len(_heading(column)) + 2))
        ws.row_dimensions[2].hidden = True
        ws.freeze_panes = "A3"
        for r, values in enumerate(rows, start=3):
            for c, column in enumerate(columns, start=1):
                _write(ws, r, c, column, values.get(column["key"]))
        last = 2 + len(rows) + TEMPLATE_ROWS
        for c, column in enumerate(columns, start=1):
            letter = get_column_letter(c)
            if column["type"] in ("text", "textarea", "date", "choice", "boolean"):
                for r in range(3 + len(rows), last + 1):
                    _format(ws.cell(row=r, column=c), column)
            validation = _list_validation(column)
            if validation is not None:
                ws.add_data_validation(validation)
                validation.add(f"{letter}3:{letter}{max(last, 2 + table.get('max_rows', 0))}")

    meta = workbook.create_sheet(FORM_SHEET)
    meta.append(["code", definition.code])
    meta.append(["version", definition.version])
    for key, title in titles.items():
        meta.append(["table", key, title])
    meta.sheet_state = "hidden"

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Reading a filled-in workbook -----------------------------------------------------------
def _spool(fileobj, path: Path) -> None:
    if hasattr(fileobj, "seek"):
        try:
            fileobj.seek(0)
        except (OSError, ValueError):
            pass
    size = 0
    with open(path, "wb") as out:
        while chunk := fileobj.read(64 * 1024):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                raise WorkbookError([_("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20}])
            out.write(chunk)


def _from_cell(spec: dict, value: Any) -> Any:
    """A cell value as the user typed it, for clean_data."""
    if value is None:
        return None
    kind = spec["type"]
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    if kind in ("text", "textarea", "choice"):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, dt.date):
            return f"{value:%d/%m/%Y}"
        return str(value) if not isinstance(value, str) else value
    if isinstance(value, float) and value.is_integer() and kind == "integer":
        return int(value)
    return value


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_meta(workbook) -> tuple[dict[str, str], dict[str, str]]:
    meta, sheets = {}, {}
    for values in workbook[FORM_SHEET].iter_rows(max_row=500, max_col=3, values_only=True):
        values = tuple(values or ()) + (None, None, None)
        if values[0] == "table" and values[1] and values[2]:
            sheets[str(values[1])] = str(values[2])
        elif values[0] in ("code", "version"):
            meta[values[0]] = str(values[1] or "")
    return meta, sheets


def _read_fields(spec: dict, sheet, messages: list[str]) -> dict:
    specs = field_specs(spec)
    fields: dict[str, Any] = {}
    recognised = 0
    for values in sheet.iter_rows(min_row=2, max_row=FIELD_ROW_CAP, max_col=3, values_only=True):
        values = tuple(values or ()) + (None, None, None)
        key = values[0]
        if not isinstance(key, str) or key not in specs:
            continue
        recognised += 1
        value = _from_cell(specs[key], values[2])
        if not _is_blank(value):
            fields[key] = value
    if not recognised:
        messages.append(_("The sheet “%(sheet)s” has lost its hidden column of field keys: "
                          "download the template again.") % {"sheet": GENERAL_SHEET})
    return fields


def _read_table(table: dict, sheet, title: str, messages: list[str]) -> list[dict]:
    specs = {c["key"]: c for c in table["columns"]}
    max_rows = table.get("max_rows", 5000)
    rows: list[dict] = []
    columns: dict[int, str] = {}
    blank = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = tuple(values or ())
        if number == 1:
            continue
        if number == 2:
            columns = {i: v for i, v in enumerate(values) if isinstance(v, str) and v in specs}
            if not columns:
                messages.append(_("The sheet “%(sheet)s” has lost its hidden row of column keys: "
                                  "download the template again.") % {"sheet": title})
                return []
            continue
        row = {}
        for i, key in columns.items():
            value = _from_cell(specs[key], values[i] if i < len(values) else None)
            if not _is_blank(value):
                row[key] = value
        if not row:
            blank += 1
            if blank > BLANK_ROW_SLACK + max_rows:
                break
            continue
        if len(rows) >= max_rows:
            messages.append(_("The sheet “%(sheet)s” has more than %(max)d rows; split the data or "
                              "contact the Department.") % {"sheet": title, "max": max_rows})
            return rows
        rows.append(row)
    if not columns:
        messages.append(_("The sheet “%(sheet)s” has lost its hidden row of column keys: "
                          "download the template again.") % {"sheet": title})
    return rows


def read_workbook(definition: FormDefinition, fileobj) -> dict:
    """Raw contract-shaped data from a filled-in template; raises WorkbookError with every problem found."""
    import openpyxl

    spec = definition.definition
    tmpdir = Path(tempfile.mkdtemp(prefix="report-xlsx-"))
    try:
        path = tmpdir / "upload.xlsx"
        _spool(fileobj, path)
        with open(path, "rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                raise WorkbookError([_("The file is not an Excel workbook (.xlsx).")])
        try:
            check_xlsx(path)
        except ImportRefused as exc:
            raise WorkbookError(exc.messages) from None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many types (zip, XML, key errors) for a damaged file
            raise WorkbookError([_("The file is not an Excel workbook (.xlsx).")]) from None
        try:
            return _read(definition, spec, workbook)
        finally:
            workbook.close()
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def _read(definition: FormDefinition, spec: dict, workbook) -> dict:
    names = set(workbook.sheetnames)
    if FORM_SHEET not in names:
        raise WorkbookError([_("This workbook is not a template from the portal: download the template of "
                               "form %(code)s and fill it in.") % {"code": definition.code}])
    meta, sheets = _read_meta(workbook)
    if (meta.get("code"), meta.get("version")) != (definition.code, definition.version):
        raise WorkbookError([_("This is the template of form %(code)s version %(version)s; this report uses form "
                               "%(expected_code)s version %(expected_version)s. Download the template again.")
                             % {"code": meta.get("code") or "?", "version": meta.get("version") or "?",
                                "expected_code": definition.code, "expected_version": definition.version}])
    messages: list[str] = []
    data: dict[str, dict] = {"fields": {}, "tables": {}}
    if GENERAL_SHEET in names:
        data["fields"] = _read_fields(spec, workbook[GENERAL_SHEET], messages)
    else:
        messages.append(_("The sheet “%(sheet)s” is missing.") % {"sheet": GENERAL_SHEET})
    titles = {**_sheet_titles(spec), **sheets}
    for key, table in table_specs(spec).items():
        title = titles[key]
        if title not in names:
            messages.append(_("The sheet “%(sheet)s” (table %(table)s) is missing.")
                            % {"sheet": title, "table": label(table["label"])})
            continue
        data["tables"][key] = _read_table(table, workbook[title], title, messages)
    if messages:
        raise WorkbookError(messages)
    return data
