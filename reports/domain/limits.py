"""Permitted limits as written in permits and QCVN tables, and the exceedance test.

A limit is text, the way it is written on the environmental permit or in the national
technical regulation (QCVN) column it cites:

    "50"          upper bound (QCVN columns are maxima: 50 mg/l means ≤ 50)
    "≤ 50", "<=50", "max 50", "tối đa 50"     upper bound, 50 allowed
    "< 50"        strict upper bound, 50 exceeds
    "≥ 4", ">= 4", "min 4", "tối thiểu 4"     lower bound (e.g. dissolved oxygen)
    "> 4"         strict lower bound
    "5,5 - 9", "5.5–9", "5,5 ÷ 9", "5,5 đến 9", "từ 5,5 đến 9"   range, ends allowed (pH)
    "", "-", "KQĐ", "không quy định"          no limit

Numbers follow Vietnamese notation (geoportal.core.crs.parse_vn_number): "5.000" is
five thousand (coliform, MPN/100 ml), "0,05" is five hundredths. A unit may follow the
number(s): "50 mg/l", "5.000 MPN/100ml".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from geoportal.core.crs import parse_vn_number


@dataclass(frozen=True)
class Limit:
    """Bounds of a permitted value; None means unbounded on that side."""

    lower: Decimal | None = None
    upper: Decimal | None = None
    lower_strict: bool = False   # "> 4": the bound itself breaks the limit
    upper_strict: bool = False   # "< 50"

    @property
    def is_empty(self) -> bool:
        return self.lower is None and self.upper is None


NO_LIMIT = Limit()

_NONE_WORDS = {"", "-", "–", "—", "kqđ", "kqd", "không quy định", "khong quy dinh", "n/a", "na", "none"}
# A number as people write it: digits with ".", "," or a space between groups.
_NUM = r"\d+(?:[.,]\d+|\s\d{3})*"
_RANGE = re.compile(rf"^(?:từ\s+)?(?P<a>{_NUM})\s*(?:-|–|—|÷|~|đến|to)\s*(?P<b>{_NUM})(?P<unit>\s*\D.*)?$", re.I)
_UPPER = re.compile(rf"^(?P<op><=|=<|≤|⩽|<|max\.?|tối đa|không (?:lớn|vượt) quá)\s*(?P<a>{_NUM})(?P<unit>\s*\D.*)?$", re.I)
_LOWER = re.compile(rf"^(?P<op>>=|=>|≥|⩾|>|min\.?|tối thiểu|không (?:nhỏ|thấp) hơn)\s*(?P<a>{_NUM})(?P<unit>\s*\D.*)?$",
                    re.I)
_PLAIN = re.compile(rf"^(?P<a>{_NUM})(?P<unit>\s*\D.*)?$")


def _number(text: str) -> Decimal:
    return parse_vn_number(text.strip())


def _unit_ok(unit: str | None) -> bool:
    # A unit starts with a letter, "%", "°", "µ" or "(": anything else (a second number
    # glued on, a stray operator) makes the text unreadable rather than guessed.
    if not unit or not unit.strip():
        return True
    head = unit.strip()[0]
    return head.isalpha() or head in "%°µ(/"


def parse_limit(text: str | None) -> Limit:
    """Read a limit written as in a permit or QCVN column; raises ValueError when unreadable."""
    if text is None:
        return NO_LIMIT
    s = " ".join(str(text).replace("\u00a0", " ").split())
    if s.casefold() in _NONE_WORDS:
        return NO_LIMIT
    for pattern in (_RANGE, _UPPER, _LOWER, _PLAIN):
        match = pattern.match(s)
        if match is None or not _unit_ok(match.group("unit")):
            continue
        try:
            a = _number(match.group("a"))
            if pattern is _RANGE:
                b = _number(match.group("b"))
                if a > b:
                    raise ValueError(f"range reversed: {text!r}")
                return Limit(lower=a, upper=b)
        except ValueError:
            if pattern is _RANGE:
                raise
            continue
        if pattern is _PLAIN:
            return Limit(upper=a)
        op = match.group("op").casefold()
        if pattern is _UPPER:
            return Limit(upper=a, upper_strict=op == "<")
        return Limit(lower=a, lower_strict=op == ">")
    raise ValueError(f"not a limit: {text!r}")


def exceeds(value: Decimal | int | float | None, limit: Limit) -> bool:
    """True when `value` breaks `limit` (a missing value or an empty limit never does)."""
    if value is None or limit.is_empty:
        return False
    v = value if isinstance(value, Decimal) else Decimal(str(value))
    if limit.upper is not None and (v >= limit.upper if limit.upper_strict else v > limit.upper):
        return True
    if limit.lower is not None and (v <= limit.lower if limit.lower_strict else v < limit.lower):
        return True
    return False


def format_limit(limit: Limit) -> str:
    """The limit written back in canonical form ("≤ 50", "5.5 - 9", "≥ 4"; "" for none)."""
    if limit.is_empty:
        return ""
    if limit.lower is not None and limit.upper is not None:
        return f"{limit.lower} - {limit.upper}"
    if limit.upper is not None:
        return f"{'<' if limit.upper_strict else '≤'} {limit.upper}"
    return f"{'>' if limit.lower_strict else '≥'} {limit.lower}"
