"""How values print in the official (Vietnamese) documents: pure functions, no database.

Numbers use the Vietnamese convention, "." between thousands and "," before decimals
(1.234,5). Dates print dd/mm/yyyy. Stored values follow the report data contract
(decimals as canonical strings "1234.5", integers as ints, dates ISO, booleans, choice keys);
a value that could not be parsed is kept as typed and printed as it is.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

EMPTY = "—"


def vn_number(value: Any) -> str:
    """1234.5 / "1234.5" → "1.234,5"; keeps the digits given (no rounding); other text unchanged."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, (float, Decimal)):
        text = format(Decimal(str(value)), "f")
    else:
        text = str(value).strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        if not number.is_finite():
            return text
        text = format(number, "f")
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("+-")
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


def vn_date(value: Any) -> str:
    """ISO "2025-03-07" (or a date) → "07/03/2025"; other text unchanged."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def vn_place_date(place: str, day: dt.date) -> str:
    """"Hải Phòng, ngày 05 tháng 01 năm 2026".

    Decree 30/2020/NĐ-CP, Appendix I: a day below 10 and the months 1 and 2 get a leading zero.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def text_of(obj: Any) -> str:
    """The Vietnamese text of a bilingual {"vi": ..., "en": ...} (the official document is in Vietnamese)."""
    if obj is None:
        return ""
    if isinstance(obj, dict):
        return obj.get("vi") or obj.get("en") or ""
    return str(obj)


def format_value(spec: dict, value: Any) -> str:
    """A stored value as printed, by the field or column type of `spec`."""
    if value is None or value == "":
        return EMPTY
    kind = spec.get("type", "text")
    if kind in ("integer", "decimal"):
        return vn_number(value)
    if kind == "date":
        return vn_date(value)
    if kind == "boolean":
        if isinstance(value, bool):
            return "Có" if value else "Không"
        return str(value)
    if kind == "choice":
        for option in spec.get("options") or ():
            if option.get("key") == value:
                return text_of(option.get("label")) or str(value)
        return str(value)
    return str(value)
