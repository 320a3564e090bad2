"""Report form definitions and the data entered in them: pure functions, no database.

A form version is data (fixtures/reports/forms/*.json, structure in the report data
contract): sections grouping typed fields and repeating tables. This module

- checks a definition (`validate_definition`), naming the JSON path of each problem;
- cleans what a user typed (`clean_data`): Vietnamese number formats ("1.234,5",
  "1 234,5", "1,5"), dates as dd/mm/yyyy or ISO, booleans ("có"/"không"), choice labels;
  values are normalised as the contract says, and a value that cannot be read is kept as
  typed (a draft never loses input) with an error;
- applies the rules: required (an error on submission, a warning before), min/max,
  max_length, pattern, options, rows, totals (`total_of`), hazardous-waste codes, and
  the exceedance rule (a result against its permitted limit, reports/domain/limits.py);
- summarises errors and progress per section for the entry screen (`section_summary`).

Messages are English source strings translated with gettext; paths name what they are
about: "fields.tax_code", "tables.hazardous_waste" or "tables.hazardous_waste.3.quantity_kg"
(row indexes count from 0, in the cleaned data: blank rows are dropped).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from geoportal.core.crs import parse_vn_number_ex
from reports.domain.limits import exceeds, parse_limit

TYPES = ("text", "textarea", "integer", "decimal", "date", "boolean", "choice")
NUMERIC_TYPES = ("integer", "decimal")
TEXT_TYPES = ("text", "textarea")
APPLIES_TO = ("gpmt", "dkmt", "zone_investor")
SECTION_STATUSES = ("confirmed", "awaiting_official_layout")
# Column formats with their own normalisation. CTNH codes: Appendix III of Circular
# 02/2022/TT-BTNMT writes them as three pairs of digits, "16 01 13".
FORMATS = ("ctnh_code",)
# What the system can prefill a field from (reports/prefill.py resolves each path).
PREFILL_PATHS = frozenset({
    "facility.name", "facility.address", "facility.contact_phone", "facility.representative",
    "facility.activity", "facility.capacity", "facility.operating_frequency", "facility.business_registration",
    "facility.tax_code", "facility.iso14001_certificate",
    "permit.summary", "registration.summary",
    "zone.name", "zone.investor", "zone.investor_address", "zone.investor_phone", "zone.investor_tax_code",
    "zone.established_by", "zone.area_ha", "zone.occupancy_pct", "zone.tenant_count",
    "zone.cwwtp_capacity_m3_day", "zone.cwwtp_status",
})
DEFAULT_MAX_ROWS = 5000
HARD_MAX_ROWS = 20000
DEFAULT_MAX_LENGTH = {"text": 1000, "textarea": 20000}
MAX_NUMBER_CHARS = 40            # longer "numbers" are refused before parsing
RESERVED_COLUMNS = frozenset({"exceeds"})   # computed by the exceedance rule
# A total may differ from the sum of its column by 0.5 % or 0.01, whichever is larger
# (rounding in the figures people copy from their own books).
TOTAL_REL_TOLERANCE = Decimal("0.005")
TOTAL_ABS_TOLERANCE = Decimal("0.01")

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_TOP_KEYS = {"code", "version", "applies_to", "title", "legal_basis", "effective_from", "effective_to",
             "deadline", "sections", "notes"}
_SECTION_KEYS = {"key", "number", "title", "part", "status", "help", "items"}
_VALUE_KEYS = {"key", "label", "type", "unit", "required", "help", "min", "max", "max_length", "pattern", "options",
               "format"}
_FIELD_KEYS = _VALUE_KEYS | {"kind", "number", "prefill", "total_of"}
_TABLE_KEYS = {"kind", "key", "number", "label", "help", "columns", "min_rows", "max_rows", "exceedance"}
_EXCEEDANCE_KEYS = {"value", "limit", "explanation", "parameter"}


# --- Reading a definition -------------------------------------------------------------------
def iter_items(definition: dict) -> Iterator[tuple[dict, dict]]:
    """(section, item) for every field and table, in form order."""
    for section in definition.get("sections") or ():
        for item in section.get("items") or ():
            yield section, item


def field_specs(definition: dict) -> dict[str, dict]:
    """Field key -> field definition, in form order."""
    return {item["key"]: item for _s, item in iter_items(definition) if item.get("kind") == "field"}


def table_specs(definition: dict) -> dict[str, dict]:
    """Table key -> table definition, in form order."""
    return {item["key"]: item for _s, item in iter_items(definition) if item.get("kind") == "table"}


def label(obj: Any, language: str | None = None) -> str:
    """The text of a bilingual {"vi": ..., "en": ...} in `language` (Vietnamese when missing)."""
    if obj is None:
        return ""
    if isinstance(obj, str):
        return obj
    if not isinstance(obj, dict):
        return str(obj)
    lang = (language or get_language() or "vi").replace("_", "-").split("-")[0].lower()
    return obj.get(lang) or obj.get("vi") or obj.get("en") or next((v for v in obj.values() if v), "")


# --- Checking a definition ------------------------------------------------------------------
class DefinitionError(ValueError):
    """A form definition is malformed; `path` is the JSON path of the problem ("$.sections[2].items[0].type")."""

    def __init__(self, path: str, message: str):
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}")


def _fail(path: str, message: str):
    raise DefinitionError(path, message)


def _check_keys(obj: Any, allowed: set[str], path: str, required: tuple[str, ...] = ()) -> None:
    if not isinstance(obj, dict):
        _fail(path, "must be an object")
    for key in obj:
        if key not in allowed:
            _fail(f"{path}.{key}", f"unknown property (allowed: {', '.join(sorted(allowed))})")
    for key in required:
        if key not in obj:
            _fail(f"{path}.{key}", "is required")


def _check_text(obj: Any, path: str, *, max_length: int = 2000, required: bool = True) -> None:
    if obj is None and not required:
        return
    if not isinstance(obj, dict) or not obj:
        _fail(path, 'must be a bilingual text {"vi": "...", "en": "..."}')
    for lang, text in obj.items():
        if lang not in ("vi", "en"):
            _fail(f"{path}.{lang}", "only 'vi' and 'en' texts are allowed")
        if not isinstance(text, str) or len(text) > max_length:
            _fail(f"{path}.{lang}", f"must be a text of at most {max_length} characters")
    if not str(obj.get("vi") or "").strip():
        _fail(f"{path}.vi", "the Vietnamese text is required")


def _check_str(value: Any, path: str, *, max_length: int, required: bool = True) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > max_length:
        _fail(path, f"must be a non-empty text of at most {max_length} characters")


def _check_date(value: Any, path: str) -> dt.date:
    try:
        if not isinstance(value, str):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(path, "must be a date written YYYY-MM-DD")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_value_spec(spec: dict, path: str) -> None:
    """Rules shared by fields and table columns."""
    if not isinstance(spec.get("key"), str) or not _KEY.match(spec["key"]):
        _fail(f"{path}.key", "must match ^[a-z][a-z0-9_]*$")
    kind = spec.get("type")
    if kind not in TYPES:
        _fail(f"{path}.type", f"unknown type {kind!r} (one of {', '.join(TYPES)})")
    _check_text(spec.get("label"), f"{path}.label", max_length=500)
    _check_text(spec.get("help"), f"{path}.help", required=False)
    _check_str(spec.get("unit"), f"{path}.unit", max_length=40, required=False)
    if "required" in spec and not isinstance(spec["required"], bool):
        _fail(f"{path}.required", "must be true or false")
    for bound in ("min", "max"):
        if bound in spec:
            if kind not in NUMERIC_TYPES:
                _fail(f"{path}.{bound}", f"only numbers have a {bound}")
            if not _is_number(spec[bound]):
                _fail(f"{path}.{bound}", "must be a number")
    if "min" in spec and "max" in spec and spec["min"] > spec["max"]:
        _fail(f"{path}.max", "is below min")
    if "max_length" in spec:
        if kind not in TEXT_TYPES:
            _fail(f"{path}.max_length", "only texts have a max_length")
        if not isinstance(spec["max_length"], int) or isinstance(spec["max_length"], bool) or spec["max_length"] < 1:
            _fail(f"{path}.max_length", "must be a positive integer")
    if "pattern" in spec:
        if kind not in TEXT_TYPES:
            _fail(f"{path}.pattern", "only texts have a pattern")
        try:
            re.compile(spec["pattern"])
        except (re.error, TypeError) as exc:
            _fail(f"{path}.pattern", f"not a regular expression: {exc}")
    if "format" in spec:
        if spec["format"] not in FORMATS:
            _fail(f"{path}.format", f"unknown format {spec['format']!r} (one of {', '.join(FORMATS)})")
        if kind != "text":
            _fail(f"{path}.format", "only text has a format")
    if kind == "choice":
        options = spec.get("options")
        if not isinstance(options, list) or not options:
            _fail(f"{path}.options", "a choice needs a non-empty list of options")
        seen: set[str] = set()
        for i, option in enumerate(options):
            opath = f"{path}.options[{i}]"
            _check_keys(option, {"key", "label"}, opath, ("key", "label"))
            if not isinstance(option["key"], str) or not _KEY.match(option["key"]):
                _fail(f"{opath}.key", "must match ^[a-z][a-z0-9_]*$")
            if option["key"] in seen:
                _fail(f"{opath}.key", f"duplicate option {option['key']!r}")
            seen.add(option["key"])
            _check_text(option["label"], f"{opath}.label", max_length=200)
    elif "options" in spec:
        _fail(f"{path}.options", "only a choice has options")


def _check_prefill(value: Any, path: str) -> None:
    paths = value if isinstance(value, list) else [value]
    if not paths:
        _fail(path, "must name at least one source")
    for i, source in enumerate(paths):
        if source not in PREFILL_PATHS:
            where = f"{path}[{i}]" if isinstance(value, list) else path
            _fail(where, f"unknown prefill source {source!r} (one of {', '.join(sorted(PREFILL_PATHS))})")


def _check_table(item: dict, path: str) -> None:
    _check_keys(item, _TABLE_KEYS, path, ("key", "label", "columns"))
    _check_text(item["label"], f"{path}.label", max_length=500)
    _check_text(item.get("help"), f"{path}.help", required=False)
    columns = item["columns"]
    if not isinstance(columns, list) or not columns:
        _fail(f"{path}.columns", "a table needs a non-empty list of columns")
    seen: dict[str, dict] = {}
    for i, column in enumerate(columns):
        cpath = f"{path}.columns[{i}]"
        _check_keys(column, _VALUE_KEYS, cpath, ("key", "label", "type"))
        _check_value_spec(column, cpath)
        if column["key"] in RESERVED_COLUMNS:
            _fail(f"{cpath}.key", f"{column['key']!r} is computed, not entered")
        if column["key"] in seen:
            _fail(f"{cpath}.key", f"duplicate column {column['key']!r}")
        seen[column["key"]] = column
    for bound in ("min_rows", "max_rows"):
        value = item.get(bound)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or not 0 <= value <= HARD_MAX_ROWS):
            _fail(f"{path}.{bound}", f"must be an integer from 0 to {HARD_MAX_ROWS}")
    if item.get("min_rows", 0) > item.get("max_rows", DEFAULT_MAX_ROWS):
        _fail(f"{path}.max_rows", "is below min_rows")
    if item.get("max_rows") == 0:
        _fail(f"{path}.max_rows", "must allow at least one row")
    rule = item.get("exceedance")
    if rule is not None:
        rpath = f"{path}.exceedance"
        _check_keys(rule, _EXCEEDANCE_KEYS, rpath, ("value", "limit", "explanation"))
        wanted = {"value": NUMERIC_TYPES, "limit": TEXT_TYPES, "explanation": TEXT_TYPES, "parameter": None}
        for role, types in wanted.items():
            if role not in rule:
                continue
            column = seen.get(rule[role])
            if column is None:
                _fail(f"{rpath}.{role}", f"no column {rule[role]!r} in this table")
            if types and column["type"] not in types:
                _fail(f"{rpath}.{role}", f"column {rule[role]!r} must be of type {' or '.join(types)}")


def validate_definition(definition: dict) -> None:
    """Check a form definition against the contract; raises DefinitionError naming the JSON path."""
    _check_keys(definition, _TOP_KEYS, "$", ("code", "version", "applies_to", "title", "legal_basis",
                                              "effective_from", "deadline", "sections"))
    _check_str(definition["code"], "$.code", max_length=8)
    _check_str(definition["version"], "$.version", max_length=20)
    if definition["applies_to"] not in APPLIES_TO:
        _fail("$.applies_to", f"must be one of {', '.join(APPLIES_TO)}")
    _check_text(definition["title"], "$.title", max_length=300)
    _check_str(definition["legal_basis"], "$.legal_basis", max_length=500)
    start = _check_date(definition["effective_from"], "$.effective_from")
    if definition.get("effective_to") is not None:
        end = _check_date(definition["effective_to"], "$.effective_to")
        if end < start:
            _fail("$.effective_to", "is before effective_from")
    deadline = definition["deadline"]
    _check_keys(deadline, {"month", "day", "basis"}, "$.deadline", ("month", "day", "basis"))
    month, day = deadline["month"], deadline["day"]
    if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
        _fail("$.deadline.month", "must be a month number 1-12")
    try:
        # A non-leap year: "before 29 February" would not exist every year.
        dt.date(2001, month, day if isinstance(day, int) and not isinstance(day, bool) else 0)
    except (ValueError, TypeError):
        _fail("$.deadline.day", f"no day {day!r} in month {month}")
    _check_str(deadline["basis"], "$.deadline.basis", max_length=500)

    sections = definition["sections"]
    if not isinstance(sections, list) or not sections:
        _fail("$.sections", "must be a non-empty list")
    section_keys: set[str] = set()
    item_keys: dict[str, str] = {}
    tables: dict[str, dict] = {}
    totals: list[tuple[str, str]] = []
    for s, section in enumerate(sections):
        spath = f"$.sections[{s}]"
        _check_keys(section, _SECTION_KEYS, spath, ("key", "title", "status", "items"))
        if not isinstance(section["key"], str) or not _KEY.match(section["key"]):
            _fail(f"{spath}.key", "must match ^[a-z][a-z0-9_]*$")
        if section["key"] in section_keys:
            _fail(f"{spath}.key", f"duplicate section {section['key']!r}")
        section_keys.add(section["key"])
        _check_str(section.get("number"), f"{spath}.number", max_length=20, required=False)
        _check_text(section["title"], f"{spath}.title", max_length=500)
        _check_text(section.get("part"), f"{spath}.part", max_length=500, required=False)
        _check_text(section.get("help"), f"{spath}.help", required=False)
        if section["status"] not in SECTION_STATUSES:
            _fail(f"{spath}.status", f"must be one of {', '.join(SECTION_STATUSES)}")
        if section["status"] == "awaiting_official_layout" and not section.get("help"):
            _fail(f"{spath}.help", "a section awaiting the official layout must say so in its help text")
        items = section["items"]
        if not isinstance(items, list) or not items:
            _fail(f"{spath}.items", "must be a non-empty list")
        for i, item in enumerate(items):
            ipath = f"{spath}.items[{i}]"
            if not isinstance(item, dict):
                _fail(ipath, "must be an object")
            kind = item.get("kind")
            if kind not in ("field", "table"):
                _fail(f"{ipath}.kind", "must be 'field' or 'table'")
            key = item.get("key")
            if not isinstance(key, str) or not _KEY.match(key):
                _fail(f"{ipath}.key", "must match ^[a-z][a-z0-9_]*$")
            if key in item_keys:
                _fail(f"{ipath}.key", f"duplicate key {key!r} (also at {item_keys[key]})")
            item_keys[key] = ipath
            _check_str(item.get("number"), f"{ipath}.number", max_length=20, required=False)
            if kind == "table":
                _check_table(item, ipath)
                tables[key] = item
                continue
            _check_keys(item, _FIELD_KEYS, ipath, ("key", "label", "type"))
            _check_value_spec(item, ipath)
            if "prefill" in item:
                _check_prefill(item["prefill"], f"{ipath}.prefill")
            if "total_of" in item:
                if item["type"] not in NUMERIC_TYPES:
                    _fail(f"{ipath}.total_of", "only a number can be a total")
                totals.append((f"{ipath}.total_of", item["total_of"]))
    for tpath, target in totals:
        table_key, _dot, column_key = str(target).partition(".")
        table = tables.get(table_key)
        if table is None:
            _fail(tpath, f"no table {table_key!r} in this form")
        column = next((c for c in table["columns"] if c["key"] == column_key), None)
        if column is None:
            _fail(tpath, f"no column {column_key!r} in table {table_key!r}")
        if column["type"] not in NUMERIC_TYPES:
            _fail(tpath, f"column {target!r} is not a number")


# --- Reading values -------------------------------------------------------------------------
def canonical_decimal(value: Decimal) -> str:
    """The contract's decimal: "1234.5" (no exponent, no thousands separator, no trailing zero)."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


# A decimal as this module writes it: read back as such, whatever Vietnamese notation
# would say ("1.234" stored by clean_data is 1.234, never 1234). Trailing zeros are never
# written, so "1.500" is Vietnamese notation (1500).
_CANONICAL = re.compile(r"^-?\d+(?:\.\d*[1-9])?$")


def parse_number(value: Any) -> tuple[Decimal, bool]:
    """A typed or stored number; returns (value, ambiguous). Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, int):
        return Decimal(value), False
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("not a finite number")
        return Decimal(repr(value)), False
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("not a finite number")
        return value, False
    text = str(value).strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError("too long")
    if _CANONICAL.match(text):
        return Decimal(text), False
    return parse_vn_number_ex(text)


def parse_date(value: Any) -> dt.date:
    """A date typed as dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or ISO. Raises ValueError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})", text)
        if not match:
            raise ValueError(f"not a date: {text!r}")
        day, month, year = (int(g) for g in match.groups())
    if not 1900 <= year <= 2100:
        raise ValueError(f"year out of range: {text!r}")
    return dt.date(year, month, day)


_TRUE = {"true", "1", "có", "co", "c", "yes", "y", "x", "đúng", "dung", "đ", "v", "✓", "✔"}
_FALSE = {"false", "0", "không", "khong", "k", "no", "n", "sai", "s"}


def parse_boolean(value: Any) -> bool:
    """A yes/no as typed ("có"/"không", "x", "true", 1). Raises ValueError."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = unicodedata.normalize("NFC", str(value)).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"not a yes/no: {text!r}")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "Có" if value else "Không"   # data, in the report's language (Vietnamese)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return canonical_decimal(value)
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n").strip()


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value: Any) -> str:
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


@dataclass
class Coerced:
    """One value read against its definition: the normalised value (or the raw text when
    unreadable; None when empty), and what to say about it."""

    value: Any = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    number: Decimal | None = None      # the numeric value, when it was read

    @property
    def readable(self) -> bool:
        return not self.errors


def coerce(spec: dict, value: Any) -> Coerced:
    """Read one typed value against a field or column definition (type, bounds, format, options)."""
    if _is_empty(value):
        return Coerced()
    kind = spec["type"]
    if kind in TEXT_TYPES:
        return _coerce_text(spec, value)
    if isinstance(value, (list, dict)):
        return Coerced(_show(str(value)), [_("This value cannot be read.")])
    if kind in NUMERIC_TYPES:
        return _coerce_number(spec, value)
    if kind == "date":
        try:
            return Coerced(parse_date(value).isoformat())
        except ValueError:
            return Coerced(_as_text(value), [_("Enter a date as dd/mm/yyyy.")])
    if kind == "boolean":
        try:
            return Coerced(parse_boolean(value))
        except ValueError:
            return Coerced(_as_text(value), [_("Enter yes (có) or no (không).")])
    # choice: the option key, or its label in either language.
    text = _as_text(value)
    options = spec.get("options") or []
    for option in options:
        if text == option["key"]:
            return Coerced(option["key"])
    folded = _fold(text)
    for option in options:
        if folded in {_fold(option["key"]), *(_fold(t) for t in (option.get("label") or {}).values())}:
            return Coerced(option["key"])
    choices = "; ".join(label(o["label"]) for o in options)
    return Coerced(text, [_("“%(value)s” is not one of the options: %(options)s.")
                          % {"value": _show(text), "options": choices}])


def _coerce_text(spec: dict, value: Any) -> Coerced:
    text = _as_text(value)
    if not text:
        return Coerced()
    out = Coerced(text)
    if spec.get("format") == "ctnh_code":
        digits = re.sub(r"[\s.\-_/]", "", text)
        if re.fullmatch(r"\d{6}", digits):
            out.value = f"{digits[:2]} {digits[2:4]} {digits[4:]}"
        else:
            out.errors.append(_("A hazardous waste code (mã CTNH) has six digits written “NN NN NN”, "
                                "as in Appendix III of Circular 02/2022/TT-BTNMT."))
        return out
    limit = spec.get("max_length") or DEFAULT_MAX_LENGTH[spec["type"]]
    if len(text) > limit:
        out.errors.append(_("At most %(limit)d characters (%(length)d entered).") % {"limit": limit,
                                                                                       "length": len(text)})
    pattern = spec.get("pattern")
    if pattern and not re.fullmatch(pattern, text):
        out.errors.append(_("“%(value)s” does not have the expected format.") % {"value": _show(text)})
    return out


def _coerce_number(spec: dict, value: Any) -> Coerced:
    try:
        number, ambiguous = parse_number(value)
    except (ValueError, TypeError):
        return Coerced(_as_text(value), [_("“%(value)s” is not a number.") % {"value": _show(_as_text(value))}])
    out = Coerced(number=number)
    if spec["type"] == "integer":
        if number != number.to_integral_value():
            return Coerced(_as_text(value), [_("Enter a whole number.")])
        out.value = int(number)
    else:
        out.value = canonical_decimal(number)
    if ambiguous:
        out.warnings.append(_("“%(raw)s” was read as %(value)s: check the decimal mark (in Vietnamese notation "
                              "“,” is the decimal mark and “.” separates thousands).")
                            % {"raw": _show(_as_text(value)), "value": out.value})
    if "min" in spec and number < Decimal(str(spec["min"])):
        out.errors.append(_("The value must be at least %(min)s.") % {"min": spec["min"]})
    if "max" in spec and number > Decimal(str(spec["max"])):
        out.errors.append(_("The value must be at most %(max)s.") % {"max": spec["max"]})
    return out


# --- Cleaning a report's data ---------------------------------------------------------------
@dataclass
class CleanResult:
    """Normalised data and what validation found; `is_valid` is True when there are no errors."""

    data: dict
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    exceedances: list[dict] = field(default_factory=list)
    is_valid: bool = True

    def error(self, path: str, message: str) -> None:
        """Add an error message at `path`."""
        self.errors.setdefault(path, []).append(message)

    def warn(self, path: str, message: str) -> None:
        """Add a warning message at `path`."""
        self.warnings.setdefault(path, []).append(message)

    def missing(self, path: str, *, for_submission: bool) -> None:
        """A required value is empty: an error on submission, a warning in a draft."""
        if for_submission:
            self.error(path, _("This field is required."))
        else:
            self.warn(path, _("Required before submission."))


def _as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _clean_table(spec: dict, raw_rows: Any, result: CleanResult, *, for_submission: bool) -> list[dict]:
    key = spec["key"]
    tpath = f"tables.{key}"
    if raw_rows is None:
        raw_rows = []
    if not isinstance(raw_rows, list):
        result.error(tpath, _("The rows of this table cannot be read."))
        return []
    columns = spec["columns"]
    rule = spec.get("exceedance")
    max_rows = spec.get("max_rows", DEFAULT_MAX_ROWS)
    rows: list[dict] = []
    for raw_row in raw_rows:
        if not isinstance(raw_row, dict):
            continue
        row: dict[str, Any] = {}
        cells: dict[str, Coerced] = {}
        for column in columns:
            cell = coerce(column, raw_row.get(column["key"]))
            cells[column["key"]] = cell
            if cell.value is not None:
                row[column["key"]] = cell.value
        if not row:
            continue  # a blank row
        if len(rows) >= max_rows:
            result.error(tpath, _("This table has more than %(max)d rows; the rows after row %(max)d were left out.")
                         % {"max": max_rows})
            break
        index = len(rows)
        rpath = f"{tpath}.{index}"
        for column in columns:
            cell, cpath = cells[column["key"]], f"{rpath}.{column['key']}"
            for message in cell.errors:
                result.error(cpath, message)
            for message in cell.warnings:
                result.warn(cpath, message)
            if cell.value is None and column.get("required"):
                result.missing(cpath, for_submission=for_submission)
        if rule:
            row["exceeds"] = _check_exceedance(spec, rule, index, row, cells, result, for_submission=for_submission)
        rows.append(row)
    min_rows = spec.get("min_rows", 0)
    if len(rows) < min_rows:
        message = _("At least %(min)d rows are required.") % {"min": min_rows}
        if for_submission:
            result.error(tpath, message)
        else:
            result.warn(tpath, message)
    return rows


def _check_exceedance(spec: dict, rule: dict, index: int, row: dict, cells: dict[str, Coerced],
                      result: CleanResult, *, for_submission: bool) -> bool:
    value_cell = cells[rule["value"]]
    limit_text = row.get(rule["limit"])
    rpath = f"tables.{spec['key']}.{index}"
    if value_cell.number is None or not value_cell.readable or limit_text is None:
        return False
    try:
        limit = parse_limit(limit_text)
    except ValueError:
        result.warn(f"{rpath}.{rule['limit']}",
                    _("“%(limit)s” is not a limit the portal can read (write 50, ≤ 50, ≥ 4 or 5,5 - 9): "
                      "this row is not checked.") % {"limit": _show(limit_text)})
        return False
    if not exceeds(value_cell.number, limit):
        return False
    value = row[rule["value"]]
    result.warn(f"{rpath}.{rule['value']}", _("The result %(value)s exceeds the limit %(limit)s.")
                % {"value": value, "limit": limit_text})
    if row.get(rule["explanation"]) is None:
        epath = f"{rpath}.{rule['explanation']}"
        if for_submission:
            result.error(epath, _("Explain each exceedance."))
        else:
            result.warn(epath, _("Explain this exceedance before submission."))
    result.exceedances.append({
        "table": spec["key"], "row": index, "parameter": row.get(rule.get("parameter", "parameter"), ""),
        "value": value, "limit": limit_text,
    })
    return True


def _column_sum(rows: list[dict], spec: dict, column_key: str) -> Decimal | None:
    column = next(c for c in spec["columns"] if c["key"] == column_key)
    total, found = Decimal(0), False
    for row in rows:
        value = row.get(column_key)
        if value is None:
            continue
        cell = coerce(column, value)
        if cell.readable and cell.number is not None:
            total += cell.number
            found = True
    return total if found else None


def clean_data(definition: dict, raw: dict, *, for_submission: bool = False) -> CleanResult:
    """Normalise a report's data (contract shape) and validate it against its form definition."""
    raw = _as_dict(raw)
    raw_fields, raw_tables = _as_dict(raw.get("fields")), _as_dict(raw.get("tables"))
    result = CleanResult(data={"fields": {}, "tables": {}})
    tables = table_specs(definition)
    for key, spec in tables.items():
        result.data["tables"][key] = _clean_table(spec, raw_tables.get(key), result, for_submission=for_submission)
    for key, spec in field_specs(definition).items():
        path = f"fields.{key}"
        cell = coerce(spec, raw_fields.get(key))
        for message in cell.errors:
            result.error(path, message)
        for message in cell.warnings:
            result.warn(path, message)
        if "total_of" in spec:
            table_key, _dot, column_key = spec["total_of"].partition(".")
            total = _column_sum(result.data["tables"].get(table_key, []), tables[table_key], column_key)
            if total is not None and cell.value is None:
                cell = Coerced(int(total) if spec["type"] == "integer" else canonical_decimal(total), number=total)
            elif total is not None and cell.readable and cell.number is not None:
                tolerance = max(TOTAL_REL_TOLERANCE * abs(total), TOTAL_ABS_TOLERANCE)
                if abs(cell.number - total) > tolerance:
                    result.error(path, _("The total %(total)s differs from the sum of the table, %(sum)s.")
                                 % {"total": cell.value, "sum": canonical_decimal(total)})
        if cell.value is None:
            if spec.get("required"):
                result.missing(path, for_submission=for_submission)
            continue
        result.data["fields"][key] = cell.value
    result.is_valid = not result.errors
    return result


# --- Progress per section -------------------------------------------------------------------
def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p or path.startswith(p + ".") for p in prefixes)


def section_summary(definition: dict, result: CleanResult) -> list[dict]:
    """Per section: key, number, title, status, errors, warnings, items, filled, required, required_filled."""
    summary = []
    fields, tables = result.data.get("fields", {}), result.data.get("tables", {})
    for section in definition.get("sections") or ():
        prefixes, items, filled, required, required_filled = [], 0, 0, 0, 0
        for item in section.get("items") or ():
            items += 1
            if item["kind"] == "field":
                prefixes.append(f"fields.{item['key']}")
                is_filled = item["key"] in fields
                is_required = bool(item.get("required"))
            else:
                prefixes.append(f"tables.{item['key']}")
                is_filled = bool(tables.get(item["key"]))
                is_required = item.get("min_rows", 0) > 0
            filled += is_filled
            required += is_required
            required_filled += is_filled and is_required
        keys = tuple(prefixes)
        summary.append({
            "key": section["key"], "number": section.get("number", ""), "title": section["title"],
            "status": section.get("status", "confirmed"),
            "errors": sum(len(m) for p, m in result.errors.items() if _under(p, keys)),
            "warnings": sum(len(m) for p, m in result.warnings.items() if _under(p, keys)),
            "items": items, "filled": filled, "required": required, "required_filled": required_filled,
        })
    return summary


__all__ = [
    "CleanResult", "Coerced", "DefinitionError", "canonical_decimal", "clean_data", "coerce",
    "field_specs", "iter_items", "label", "parse_boolean", "parse_date", "parse_number", "section_summary",
    "table_specs", "validate_definition",
]
