"""Limit values of the regulations (QCVN) and permits, and the exceedance test.

Limit sets are versioned data, one file per regulation under fixtures/monitoring/limit_sets/
(read by monitoring.domain.tables.load_limit_sets into one LimitSet per column):
- QCVN 05:2023/BTNMT ambient air (in force 12/09/2023; PM2.5 24 h 50 µg/Nm³, 45 from 01/01/2026);
- QCVN 40:2011/BTNMT industrial wastewater, columns A/B, Cmax = C × Kq × Kf (superseded
  on 01/09/2025 by QCVN 40:2025, whose values are not yet known: an empty, unconfirmed slot);
- QCVN 19:2009/BTNMT industrial emissions, columns A/B, Cmax = C × Kp × Kv (superseded on
  01/07/2025 by QCVN 19:2024: an empty, unconfirmed slot).

Dates: a value is in force from `effective_from` through `effective_to` (both inclusive,
Vietnam's calendar: a reading at 2025-12-31T17:30Z is 1 January 2026 in Hai Phong). A
superseded regulation keeps answering: permits issued under it still cite it
(grandfathering, DOMAIN.md 3.3), so the set's own end date says when it stopped being the
default for new permits, not when its values vanish; only dates on a value or a column
(PM2.5 50 → 45, QCVN 19:2009 column A until 2014) end a value.

Precedence: a limit written in the permit for the discharge stream wins over the
regulation's (Decree 08/2022: the permit states the limits a facility must meet).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

CONFIRMED, SECONDARY, UNCONFIRMED = "confirmed", "secondary", "unconfirmed"
CERTAINTIES = (CONFIRMED, SECONDARY, UNCONFIRMED)
# Legal dates are Vietnam's calendar days (UTC+7, no daylight saving).
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Number = float | int | Decimal


@dataclass(frozen=True)
class Limit:
    """Bounds a value must stay within (ends allowed); None means unbounded on that side."""

    lower: Decimal | None
    upper: Decimal | None
    unit: str
    averaging: str
    source: str = ""                 # "QCVN 40:2011/BTNMT B" or "permit"
    certainty: str = CONFIRMED
    factor: Decimal = Decimal(1)     # the Kq×Kf or Kp×Kv already applied to `upper`


@dataclass(frozen=True)
class LimitValue:
    """One value of a limit set: parameter, averaging window, bounds and validity."""

    parameter: str
    averaging: str                   # monitoring.choices.Averaging: instant, 1h, 8h, 24h, year
    lower: Decimal | None
    upper: Decimal | None
    unit: str
    effective_from: date | None = None
    effective_to: date | None = None   # last day in force
    multiplied: bool = True          # False for pH, temperature, colour, coliform (QCVN 40:2011)
    certainty: str = CONFIRMED
    regulation: str = ""             # "QCVN 05:2023/BTNMT"
    clause: str = ""                 # "Bảng 1"
    note: str = ""

    def in_force(self, day: date) -> bool:
        return ((self.effective_from is None or self.effective_from <= day)
                and (self.effective_to is None or day <= self.effective_to))

    def as_limit(self) -> Limit:
        return Limit(self.lower, self.upper, self.unit, self.averaging, self.regulation, self.certainty)


@dataclass(frozen=True)
class FactorBand:
    """One row of a factor table: the factor for quantities up to `upto` (inclusive)."""

    upto: Decimal | None             # None: no upper bound (the last row)
    value: Decimal


@dataclass(frozen=True)
class FactorTable:
    """A multiplier table (Kq, Kf, Kp, Kv): by a flow band or by a key such as a zone."""

    key: str
    basis: Mapping[str, str]
    unit: str | None
    certainty: str
    bands: tuple[FactorBand, ...] = ()
    by_key: Mapping[str, Decimal] = field(default_factory=dict)
    note: str = ""

    def lookup(self, quantity: Number | str) -> Decimal:
        """The factor for a flow (bands) or a key (by_key); raises ValueError outside the table."""
        if self.by_key:
            try:
                return self.by_key[str(quantity)]
            except KeyError:
                raise ValueError(f"{self.key}: no factor for {quantity!r}; known: {', '.join(self.by_key)}") from None
        q = _decimal(quantity)  # type: ignore[arg-type]
        if q < 0:
            raise ValueError(f"{self.key}: a flow cannot be negative ({quantity})")
        for band in self.bands:
            if band.upto is None or q <= band.upto:
                return band.value
        raise ValueError(f"{self.key}: {quantity} is above the table")


@dataclass(frozen=True)
class LimitSet:
    """A regulation's column of limits with its validity, legal basis, factor rules and values."""

    key: str                         # "qcvn_40_2011_b"
    code: str                        # "QCVN 40:2011/BTNMT"
    column: str                      # "", "A", "B", "C"
    title: Mapping[str, str]
    medium: str
    effective_from: date
    effective_to: date | None
    legal_basis: str
    source: str
    certainty: str
    values: tuple[LimitValue, ...]
    column_title: Mapping[str, str] = field(default_factory=dict)
    note: Mapping[str, str] = field(default_factory=dict)
    replaces: tuple[str, ...] = ()
    superseded_by: str = ""
    formula: str = ""                # "C × Kq × Kf"
    factor_tables: Mapping[str, FactorTable] = field(default_factory=dict)
    factors_data: Mapping[str, Any] = field(default_factory=dict)   # the fixture's "factors" block, as stored
    file: str = ""                   # the fixture file it was read from ("qcvn_40_2011.json")

    @property
    def label(self) -> str:
        return f"{self.code} {self.column}".strip()

    def is_default_on(self, at: datetime | date) -> bool:
        """True when this regulation is the one in force for new permits on `at`."""
        day = local_day(at)
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def limit(self, parameter: str, averaging: str, at: datetime | date) -> Limit | None:
        """This set's limit for a parameter and window on `at`, or None."""
        return limit_in_force(self.values, parameter=parameter, averaging=averaging, at=at)


def _decimal(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def local_day(at: datetime | date) -> date:
    """The Vietnamese calendar day of an aware datetime (a date is returned as is)."""
    if isinstance(at, datetime):
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("a naive datetime has no legal day: pass an aware datetime")
        return at.astimezone(VN_TZ).date()
    return at


def limit_in_force(values: Iterable[LimitValue], *, parameter: str, averaging: str,
                   at: datetime | date) -> Limit | None:
    """The limit of `parameter` over `averaging` in force on `at`: of several, the latest to take effect."""
    day = local_day(at)
    found = [v for v in values if v.parameter == parameter and v.averaging == averaging and v.in_force(day)]
    if not found:
        return None
    return max(found, key=lambda v: v.effective_from or date.min).as_limit()


def apply_factors(limit: Limit, *, kq: Number | None = None, kf: Number | None = None, kp: Number | None = None,
                  kv: Number | None = None, multiplied: bool) -> Limit:
    """Cmax = C × Kq × Kf (QCVN 40:2011) or C × Kp × Kv (QCVN 19:2009); unchanged when not `multiplied`.

    A factor left out counts as 1. Only the upper bound is multiplied: the factors loosen or
    tighten a maximum; the parameters with a range or a floor (pH, temperature, colour,
    coliform) are the ones the regulations exclude.
    """
    water, air = (kq, kf), (kp, kv)
    if any(f is not None for f in water) and any(f is not None for f in air):
        raise ValueError("Kq/Kf (wastewater) and Kp/Kv (emissions) do not combine")
    if not multiplied:
        return limit
    factor = Decimal(1)
    for f in (*water, *air):
        if f is None:
            continue
        d = _decimal(f)
        if d <= 0:
            raise ValueError(f"a factor must be positive, not {f}")
        factor *= d
    if limit.upper is None or factor == 1:
        return replace(limit, factor=limit.factor * factor)
    return replace(limit, upper=limit.upper * factor, factor=limit.factor * factor)


@cache
def _default_factor_table(key: str) -> FactorTable:
    from monitoring.domain.tables import load_limit_sets

    for limit_set in load_limit_sets().values():
        if key in limit_set.factor_tables:
            return limit_set.factor_tables[key]
    raise LookupError(f"no factor table {key!r} in the limit sets")


def kf_for_flow(m3_day: Number, *, table: FactorTable | None = None) -> Decimal:
    """Kf of QCVN 40:2011 for a discharge flow in m³/day (table [U]: 1.2 ≤ 50, 1.1 ≤ 500, 1.0 ≤ 5000, else 0.9)."""
    return (table or _default_factor_table("kf")).lookup(m3_day)


def kq_for_river_flow(m3_s: Number, *, table: FactorTable | None = None) -> Decimal:
    """Kq of QCVN 40:2011 for a receiving river's flow in m³/s (table [U]: 0.9 ≤ 50, 1.0 ≤ 200, 1.1 ≤ 500, 1.2)."""
    return (table or _default_factor_table("kq_river")).lookup(m3_s)


def kp_for_flow(m3_h: Number, *, table: FactorTable | None = None) -> Decimal:
    """Kp of QCVN 19:2009 for a stack flow in m³/h (table [U]: 1.0 ≤ 20 000, 0.9 ≤ 100 000, else 0.8)."""
    return (table or _default_factor_table("kp")).lookup(m3_h)


def kv_for_zone(zone: int | str, *, table: FactorTable | None = None) -> Decimal:
    """Kv of QCVN 19:2009 for a zone 1–5 (table [U]: 0.6, 0.8, 1.0, 1.2, 1.4)."""
    return (table or _default_factor_table("kv")).lookup(str(zone))


def exceeds(value: Number | None, limit: Limit | None) -> bool:
    """True when `value` is above the upper or below the lower bound (the bounds themselves are allowed)."""
    if limit is None or value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    v = _decimal(value)
    if v.is_nan():
        return False
    return (limit.upper is not None and v > limit.upper) or (limit.lower is not None and v < limit.lower)


def precedence(permit_limit: Limit | None, regulation_limit: Limit | None) -> Limit | None:
    """The limit that applies: the permit's when it states one, else the regulation's."""
    return permit_limit if permit_limit is not None else regulation_limit
