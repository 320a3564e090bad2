"""Vietnam's air quality index VN_AQI (Decision 1459/QĐ-TCMT of 12/11/2019), as pure functions.

The breakpoints (Table 2), the categories and colours (Table 1) and the health advice
(Tables 4–5) are versioned data: fixtures/monitoring/aqi/vn_aqi_1459_2019.json, read by
monitoring.domain.tables.load_aqi_table(). The decision replaced Decision 878/QĐ-TCMT
(2011); a later method would be a new file with its own effective date.

Method (§2.2, DOMAIN.md section 4):
- AQIx = (I(i+1) − Ii) / (BP(i+1) − BPi) × (Cx − BPi) + Ii (Formula 1; Formula 2 is the same
  with NowCast for PM10 and PM2.5). Computed in Decimal, multiplying before dividing, so
  that exactly representable results stay exact (PM2.5 55.7 gives 109.5, not 109.4999…).
- A concentration at or above the top breakpoint of an open-ended column (the "≥" row)
  gets 500. O3 8 h has no breakpoint above 400 µg/m³: there is no 8 h sub-index above
  it, which is the decision's rule "above 400 use the 1 h value only". A negative
  concentration has no sub-index.
- Hourly: NowCast of the last 12 hourly means for PM, the 1 h mean for SO2, CO, NO2, O3
  (1 h column). Daily: the 24 h mean for PM; the larger of the O3 1 h-max and 8 h-max
  sub-indices; the 1 h max for SO2, NO2, CO. AQI = max of the sub-indices, and the
  parameter that gives it is the dominant one, which the publication must highlight (Table 3).
- At least one of PM10, PM2.5 must have a sub-index, otherwise there is no AQI (§2.1.b).

Rounding. The decision says only that hourly and daily AQI are "rounded to integers".
We publish ROUND_HALF_UP of the exact Formula 1 value, sub-index by sub-index (the AQI is
the max, so rounding before or after the max gives the same integer). Against the
decision's worked examples (§2.3) this gives every printed figure but one:

    hourly  O3 136.1 → 42.53 → 43    NO2 118.7 → 59.35 → 59 (printed 60)   PM2.5 20.3 → 40.6 → 41
            AQI^h = 59 (printed 60)
    daily   O3-8h 89.3 → 44.65 → 45  O3-1h 114.6 → 35.81 → 36  NO2 130.8 → 65.4 → 65
            PM2.5 55.7 → 109.5 → 110  AQI^d = 110 (as printed)

No single rounding of the exact value reproduces all nine printed figures: 59.35 is printed
up (60) while 65.4 is printed down (65), so any threshold on the fraction would have to be
both ≤ 0.35 and > 0.4. Ceiling reproduces the hourly figures but prints 66 for the daily
NO2; half-up (or half-even) reproduces the daily ones but gives 59 for the hourly NO2. The
only rule consistent with every printed figure is "ceiling for hourly sub-indices, half-up
for daily", which we offer as `printed_rounding=True` to reproduce the document, and do not
publish: the exact hourly NO2 value is 59.35, which the decision's own Formula 1 gives, and
no rounding convention rounds it to 60 that does not also round the daily 65.4 to 66 (the
repository that transcribed the decision reached the same conclusion: a slip in the example).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, localcontext
from functools import cache

from django.utils.translation import get_language

from monitoring.domain.windows import running_means, window_mean

HOURLY, DAILY = "hourly", "daily"
NOWCAST = "nowcast"          # the averaging of PM sub-indices in the hourly AQI
NOWCAST_HOURS = 12
Number = float | int | Decimal


class AqiError(ValueError):
    """A parameter or averaging that the AQI table does not define."""


@dataclass(frozen=True)
class Category:
    """One band of Table 1: AQI range, name, colour, and the health advice of Tables 4–5."""

    key: str
    low: int
    high: int
    label: Mapping[str, str]
    colour: Mapping[str, str]      # the colour's name
    hex: str                       # "#00E400"
    rgb: tuple[int, int, int]      # as printed in Table 1
    health: Mapping[str, str] = field(default_factory=dict)
    advice_general: Mapping[str, str] = field(default_factory=dict)
    advice_sensitive: Mapping[str, str] = field(default_factory=dict)

    def name(self, language: str | None = None) -> str:
        """The category's name in `language` (the active one by default; Vietnamese otherwise)."""
        lang = (language or get_language() or "vi")[:2]
        return self.label.get(lang) or self.label["vi"]


@dataclass(frozen=True)
class BreakpointColumn:
    """One column of Table 2: (BPi, Ii) pairs of a parameter for the averagings it serves."""

    parameter: str
    averaging: tuple[str, ...]            # "1h", "8h", "24h", "nowcast"
    points: tuple[tuple[Decimal, Decimal], ...]   # (BP, I), both strictly increasing
    open_ended: bool                      # the last BP is "≥": everything above it gets the top I


@dataclass(frozen=True)
class AqiTable:
    """A version of the VN_AQI method: breakpoints, categories and where they come from."""

    code: str
    version: str
    title: Mapping[str, str]
    legal_basis: str
    replaces: str
    effective_from: date
    effective_to: date | None
    source: str
    certainty: str
    unit: str
    parameters: tuple[str, ...]           # Table 2's order, used to break ties for the dominant parameter
    required_any: tuple[str, ...]         # PM10, PM2.5: at least one must have a sub-index
    nowcast_parameters: tuple[str, ...]
    columns: tuple[BreakpointColumn, ...]
    categories: tuple[Category, ...]

    def column(self, parameter: str, averaging: str) -> BreakpointColumn:
        """The breakpoint column of `parameter` for `averaging`; raises AqiError when none."""
        for col in self.columns:
            if col.parameter == parameter and averaging in col.averaging:
                return col
        raise AqiError(f"{self.code}: no breakpoints for {parameter} at {averaging}")


@dataclass(frozen=True)
class SubIndex:
    """One parameter's AQIx: the concentration used, the exact Formula 1 value and the rounded one."""

    parameter: str
    averaging: str
    concentration: Decimal
    exact: Decimal
    value: int


@dataclass(frozen=True)
class AqiResult:
    """An hourly or daily AQI of one station, with its sub-indices and dominant parameter."""

    period: str                                # "hourly" or "daily"
    aqi: int | None                            # None: no PM10/PM2.5 sub-index ("no data")
    dominant: str | None
    sub_indices: Mapping[str, SubIndex]        # the sub-index that counts, per parameter
    components: tuple[SubIndex, ...]           # every one computed (daily O3: both 1 h and 8 h)
    category: Category | None
    printed_rounding: bool = False

    @property
    def exact(self) -> Decimal | None:
        """The unrounded AQI (max of the exact sub-indices), or None."""
        if self.dominant is None:
            return None
        return self.sub_indices[self.dominant].exact


@cache
def _default_table() -> AqiTable:
    from monitoring.domain.tables import load_aqi_table

    return load_aqi_table()


def _decimal(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))   # 118.7 stays 118.7, not its binary expansion
    return Decimal(value)


def _missing(value: object) -> bool:
    return (value is None or (isinstance(value, float) and math.isnan(value))
            or (isinstance(value, Decimal) and value.is_nan()))


def sub_index(parameter: str, concentration: Number | None, *, averaging: str,
              table: AqiTable | None = None) -> Decimal | None:
    """Exact AQIx of `concentration` (µg/m³) by Formula 1, or None when it has none.

    :param averaging: "1h", "8h" (O3 only), "24h" or "nowcast" (PM10, PM2.5).
    :returns: the unrounded index, 500 at or above an open-ended top breakpoint; None for a
        missing or negative concentration, or above the O3 8 h column (400 µg/m³).
    """
    col = (table or _default_table()).column(parameter, averaging)
    if _missing(concentration):
        return None
    c = _decimal(concentration)  # type: ignore[arg-type]
    if c < 0:
        return None
    points = col.points
    top_bp, top_i = points[-1]
    if c >= top_bp:
        return top_i if (col.open_ended or c == top_bp) else None
    with localcontext() as ctx:
        ctx.prec = 34
        for (bp_lo, i_lo), (bp_hi, i_hi) in zip(points, points[1:], strict=False):
            if c <= bp_hi:
                return (i_hi - i_lo) * (c - bp_lo) / (bp_hi - bp_lo) + i_lo
    raise AssertionError("unreachable: c < top breakpoint")


def round_aqi(exact: Decimal, *, period: str = HOURLY, printed_rounding: bool = False) -> int:
    """The published integer of an exact AQI (half up); `printed_rounding` reproduces the decision's figures."""
    if period not in (HOURLY, DAILY):
        raise ValueError(f"period must be {HOURLY!r} or {DAILY!r}")
    mode = ROUND_CEILING if printed_rounding and period == HOURLY else ROUND_HALF_UP
    return int(exact.to_integral_value(rounding=mode))


def _nowcast_parts(hourly: Sequence[Number | None]) -> tuple[float, list[float | None]] | None:
    c = [None if _missing(v) else float(v) for v in list(hourly)[:NOWCAST_HOURS]]  # type: ignore[arg-type]
    # §2.2.1.a note: at least 2 of c1, c2, c3 must exist, otherwise "no data".
    if sum(v is not None for v in c[:3]) < 2:
        return None
    present = [v for v in c if v is not None]
    c_max, c_min = max(present), min(present)
    w_star = c_min / c_max if c_max > 0 else 0.0
    return (0.5 if w_star <= 0.5 else w_star), c


def nowcast_weight(hourly: Sequence[Number | None]) -> float | None:
    """The NowCast weight w = max(Cmin / Cmax, 1/2) of the last 12 hourly means (c1 first), or None."""
    parts = _nowcast_parts(hourly)
    return None if parts is None else parts[0]


def nowcast(hourly: Sequence[Number | None]) -> float | None:
    """NowCast of the last 12 hourly means, c1 (the current hour) first; None without 2 of c1..c3.

    A missing ci gets weight 0. For w = 1/2 the decision writes Σ (1/2)^i·ci without the
    denominator, which equals the normalised Σ w^(i−1)·ci / Σ w^(i−1) to 0.02 % when all 12
    values exist (Σ (1/2)^(i−1) = 2 − 2^−11) but would shrink the value whenever one is
    missing; the normalised form is used for every w.
    """
    parts = _nowcast_parts(hourly)
    if parts is None:
        return None
    w, c = parts
    num = math.fsum(w ** i * v for i, v in enumerate(c) if v is not None)
    den = math.fsum(w ** i for i, v in enumerate(c) if v is not None)
    return num / den


def category(aqi: Number, *, table: AqiTable | None = None) -> Category:
    """The Table 1 band of a published AQI (0–50 good … 301–500 hazardous; above 500 hazardous)."""
    value = _decimal(aqi)
    if value < 0:
        raise ValueError(f"AQI cannot be negative: {aqi}")
    bands = (table or _default_table()).categories
    for band in bands:
        if value <= band.high:
            return band
    return bands[-1]


def _is_series(value: object) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _result(period: str, components: list[SubIndex], counted: dict[str, SubIndex], table: AqiTable,
            printed_rounding: bool) -> AqiResult:
    has_pm = any(p in counted for p in table.required_any)
    dominant = None
    if has_pm and counted:
        order = {p: n for n, p in enumerate(table.parameters)}
        # Highest published value; on a tie the higher exact value, then Table 2's order.
        dominant = min(counted.values(), key=lambda s: (-s.value, -s.exact, order.get(s.parameter, 99))).parameter
    aqi = counted[dominant].value if dominant else None
    return AqiResult(period=period, aqi=aqi, dominant=dominant, sub_indices=counted, components=tuple(components),
                     category=category(aqi, table=table) if aqi is not None else None,
                     printed_rounding=printed_rounding)


def _make(parameter: str, concentration: Number | None, averaging: str, table: AqiTable, period: str,
          printed_rounding: bool) -> SubIndex | None:
    exact = sub_index(parameter, concentration, averaging=averaging, table=table)
    if exact is None:
        return None
    return SubIndex(parameter, averaging, _decimal(concentration), exact,  # type: ignore[arg-type]
                    round_aqi(exact, period=period, printed_rounding=printed_rounding))


def hourly_aqi(values: Mapping[str, Number | Sequence[Number | None] | None], table: AqiTable | None = None, *,
               printed_rounding: bool = False) -> AqiResult:
    """AQI^h of one station and hour (§2.2.1).

    :param values: AQI parameter code → for PM10/PM2.5 the last 12 hourly means (current
        hour first; their NowCast is taken) or an already computed NowCast; for SO2, CO, NO2,
        O3 the hour's mean (or a series whose first value is the current hour). Keys that are
        not VN_AQI parameters (TSP, NO, ...) are ignored.
    """
    t = table or _default_table()
    components: list[SubIndex] = []
    for parameter in t.parameters:
        if parameter not in values:
            continue
        raw = values[parameter]
        if parameter in t.nowcast_parameters:
            averaging = NOWCAST
            conc = nowcast(raw) if _is_series(raw) else raw  # type: ignore[arg-type]
        else:
            averaging = "1h"
            conc = (raw[0] if raw else None) if _is_series(raw) else raw  # type: ignore[index]
        s = _make(parameter, conc, averaging, t, HOURLY, printed_rounding)  # type: ignore[arg-type]
        if s is not None:
            components.append(s)
    return _result(HOURLY, components, {s.parameter: s for s in components}, t, printed_rounding)


@dataclass(frozen=True)
class DailyStatistics:
    """The figures of one day that daily AQI uses: 24 h mean, max 1 h mean, max 8 h mean."""

    mean_24h: float | None
    max_1h: float | None
    max_8h: float | None


def daily_statistics(hourly: Sequence[Number | None], *, previous_hours: Sequence[Number | None] = (),
                     coverage: float | Decimal | None = None) -> DailyStatistics:
    """24 h mean, max 1 h and max 8 h of a day's 24 hourly means (hours ending 01:00 … 00:00).

    :param previous_hours: the hourly means before the day (the last 7 are used): the first
        8 h means of the day reach back into the previous day (§2.2.2.a, 24 running values).
    :param coverage: minimum share of valid hours, for the day and for each 8 h mean (75 %, [U]).
    A day below the coverage has no statistics at all.
    """
    if len(hourly) > 24:
        raise ValueError(f"{len(hourly)} hourly means for one day")
    day = [None if _missing(v) else float(v) for v in hourly]  # type: ignore[arg-type]
    mean = window_mean(day, window="24h", coverage=coverage)
    if mean is None:
        return DailyStatistics(None, None, None)
    before = [None if _missing(v) else float(v) for v in list(previous_hours)[-7:]]  # type: ignore[arg-type]
    series = [None] * (7 - len(before)) + before + day
    eights = [m for m in running_means(series, window="8h", coverage=coverage) if m is not None]
    return DailyStatistics(mean, max(v for v in day if v is not None), max(eights) if eights else None)


def _daily_inputs(parameter: str, raw: object, pm: bool) -> dict[str, Number | None]:
    """Averaging → concentration for one parameter of `daily_aqi`'s input."""
    if isinstance(raw, Mapping):
        return dict(raw)
    if _is_series(raw):
        seq = list(raw)  # type: ignore[call-overload]
        stats = daily_statistics(seq[-24:], previous_hours=seq[:-24])
        return {"24h": stats.mean_24h} if pm else {"1h": stats.max_1h, "8h": stats.max_8h}
    return {"24h": raw} if pm else {"1h": raw}  # type: ignore[dict-item]


def daily_aqi(day_values: Mapping[str, object], table: AqiTable | None = None, *,
              printed_rounding: bool = False) -> AqiResult:
    """AQI^d of one station and day (§2.2.2).

    :param day_values: AQI parameter code → either the day's figure (PM: 24 h mean; SO2, CO,
        NO2, O3: max 1 h mean), or a mapping {"1h": max 1 h, "8h": max 8 h, "24h": mean}
        (O3 takes "1h" and "8h"), or the hourly means (the day's 24, optionally preceded by up
        to 7 of the previous day for the 8 h means; see daily_statistics).
    O3 counts with the larger of its 1 h and 8 h sub-indices; above 400 µg/m³ the 8 h value
    has no sub-index and only the 1 h one counts.
    """
    t = table or _default_table()
    components: list[SubIndex] = []
    counted: dict[str, SubIndex] = {}
    for parameter in t.parameters:
        if parameter not in day_values or day_values[parameter] is None:
            continue
        pm = parameter in t.nowcast_parameters
        inputs = _daily_inputs(parameter, day_values[parameter], pm)
        wanted = ("24h",) if pm else (("1h", "8h") if parameter == "O3" else ("1h",))
        found = [s for avg in wanted if avg in inputs
                 for s in [_make(parameter, inputs[avg], avg, t, DAILY, printed_rounding)] if s is not None]
        components.extend(found)
        if found:
            counted[parameter] = max(found, key=lambda s: s.exact)
    return _result(DAILY, components, counted, t, printed_rounding)
