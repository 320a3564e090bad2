"""Pure readers for imported cells: folded text, Vietnamese numbers, dates, booleans.

No database, no Django models: table-driven tests cover them (STYLE.md 10).
Numbers go through geoportal.core.crs.parse_vn_number_ex, the portal's one reader of
Vietnamese number formats; this module only decides which of its "ambiguous" readings
an importer must flag for review (see ``parse_number``).
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from geoportal.core.crs import parse_vn_number_ex


class CellError(ValueError):
    """A cell that cannot be read. The message is for the user; the caller adds the
    column and the row."""


@dataclass(frozen=True)
class Reading:
    """A value read from a cell, with a note when the reading is uncertain (the row
    then needs review: never a silent guess)."""

    value: Any
    note: str = ""


# --- Text ------------------------------------------------------------------------------
def fold(text: Any) -> str:
    """Case- and diacritic-insensitive form: "Tên  Cơ sở" -> "ten co so", "Đình Vũ" ->
    "dinh vu". Matches geoportal.organisations.filters.folded_search (unaccent, đ -> d)."""
    s = unicodedata.normalize("NFD", str(text))
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    s = s.replace("đ", "d").replace("Đ", "d").lower()
    return " ".join(s.split())


def column_key(text: Any) -> str:
    """A header as a key: "Mã số thuế" -> "ma_so_thue", "Nước thải (m3/ngày đêm)" ->
    "nuoc_thai_m3_ngay_dem"."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def clean_text(value: Any, *, max_length: int | None = None) -> str:
    """A cell as text: NFC, trimmed, inner whitespace runs collapsed; a number that came
    as a float ("1949.0" from a DBF) is written without its ".0"."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        value = value.strftime("%d/%m/%Y")
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    if max_length is not None and len(text) > max_length:
        raise CellError(_("longer than %(n)d characters") % {"n": max_length})
    return text


# --- Numbers ---------------------------------------------------------------------------
def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_number(value: Any) -> Reading | None:
    """A number, Vietnamese style: "1.949" = 1949, "3074,5" = 3074.5, "1.234.567,8".

    ``parse_vn_number_ex`` calls a single dot or comma followed by exactly three digits
    ambiguous. The importers follow the Vietnamese reading (dot = thousands, comma =
    decimal) and flag the value for review when the other reading is plausible too:
    - a dot whose three digits end in 0 ("12.500", "1.000") may be an English decimal
      written to fixed places, so it is flagged; "1.949" is read as 1949;
    - a comma followed by three digits ("1,949", "12,500") may be an English thousands
      separator, so it is always flagged.
    Numbers from typed cells (Excel, DBF, GeoPackage) are exact and never flagged.
    Returns None for an empty cell; raises CellError for text that is not a number.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(v)s” is not a number") % {"v": value})
    if isinstance(value, int):
        return Reading(Decimal(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(_("“%(v)s” is not a finite number") % {"v": value})
        return Reading(Decimal(repr(value)))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CellError(_("“%(v)s” is not a finite number") % {"v": value})
        return Reading(value)
    text = str(value).strip()
    if len(text) > 40:
        raise CellError(_("“%(v)s” is not a number") % {"v": text[:40]})
    try:
        number, ambiguous = parse_vn_number_ex(text)
    except (TypeError, ValueError):
        raise CellError(_("“%(v)s” is not a number") % {"v": text}) from None
    if not ambiguous:
        return Reading(number)
    body = text.lstrip("+-−").strip()
    head, _sep, tail = body.partition("." if "." in body else ",")
    if "." in body and not tail.endswith("0"):
        return Reading(number)
    other = Decimal(f"{head}{tail}") if "," in body else Decimal(f"{head}.{tail}")
    if number < 0:
        other = -other
    return Reading(number, _("“%(raw)s” is ambiguous: read as %(chosen)s, but it could be %(other)s")
                   % {"raw": text, "chosen": _plain(number), "other": _plain(other)})


def format_vn_number(value: Decimal | int | float | None) -> str:
    """A number written the Vietnamese way, so that ``parse_number`` reads it back exactly
    and without a review flag: 1949 -> "1.949", 3074.5 -> "3.074,5", 1234567 ->
    "1.234.567". Integers that would look ambiguous with one dot group ("12.500") are
    written without grouping ("12500")."""
    if value is None:
        return ""
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    sign = "-" if number < 0 else ""
    text = _plain(abs(number))
    int_part, _sep, frac = text.partition(".")
    groups = []
    while len(int_part) > 3:
        groups.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    digits = "".join([int_part, *groups])
    grouped = ".".join([int_part, *groups])
    out = f"{sign}{grouped},{frac}" if frac else f"{sign}{grouped}"
    if not _reads_back(out, number):
        # "12.500" -> "12500"; "1,949" (1.949) -> "1,9490": the same value, unambiguous.
        out = f"{sign}{grouped},{frac}0" if frac else f"{sign}{digits}"
    return out


def _reads_back(text: str, number: Decimal) -> bool:
    reading = parse_number(text)
    return reading is not None and not reading.note and reading.value == number


# --- Dates -----------------------------------------------------------------------------
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")


def _make_date(year: str, month: str, day: str, raw: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(_("“%(v)s” is not a valid date") % {"v": raw}) from None


def parse_date(value: Any) -> date | None:
    """A date: a typed cell, "12/3/2023" (day first, as Vietnam writes it), "2023-03-12",
    or "ngày 12 tháng 3 năm 2023"."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = clean_text(value)
    match = _ISO.match(raw)
    if match:
        return _make_date(match.group(1), match.group(2), match.group(3), raw)
    match = _DMY.fullmatch(raw)
    if match:
        return _make_date(match.group(3), match.group(2), match.group(1), raw)
    match = _WORDS.fullmatch(fold(raw))
    if match:
        return _make_date(match.group(3), match.group(2), match.group(1), raw)
    raise CellError(_("“%(v)s” is not a date (write it as dd/mm/yyyy)") % {"v": raw})


def find_date(text: str) -> tuple[date | None, str]:
    """The first date written inside a longer text ("... ngày 7 tháng 2 năm 2023",
    "..., 05/01/2024"); returns (date or None, the matched text)."""
    folded = fold(text)
    match = _WORDS.search(folded)
    if match:
        return _make_date(match.group(3), match.group(2), match.group(1), text), match.group(0)
    match = _DMY.search(text)
    if match:
        return _make_date(match.group(3), match.group(2), match.group(1), text), match.group(0)
    return None, ""


# --- Booleans --------------------------------------------------------------------------
_TRUE = {"1", "x", "co", "yes", "true", "y", "dung", "da co"}
_FALSE = {"0", "khong", "no", "false", "n", "sai", "chua", "chua co"}


def parse_bool(value: Any) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    folded = fold(value)
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError(_("“%(v)s” is not yes/no (có/không)") % {"v": clean_text(value)})
