"""Averaging windows (1 h, 8 h running, 24 h, year) and their reference implementation.

The database computes the windows (GROUP BY date_trunc for calendar windows, a RANGE
frame over hourly means for the running 8 h); `window_mean` and `running_means` are the
reference those queries are tested against, and what the VN_AQI functions use.

Conventions (the SQL must follow them too):
- Time is Vietnam's legal time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving): days and
  years are local calendar days and years.
- A 1 h mean averages the valid readings of one clock hour and is labelled by the hour's
  end, as Decision 1459/QĐ-TCMT labels its tables (the 24 h of a day are the hours ending
  01:00 … 00:00 next day, i.e. the readings of the local calendar day) [C for the labels;
  which hour a reading stamped exactly on the hour belongs to is [U]: we put it in the hour
  it opens, date_trunc('hour', observed_at)].
- An 8 h mean is the mean of 8 consecutive hourly means (Decision 1459 §2.2.2.a: 24
  running values per day, the first one reaching back 7 hours into the previous day).
- A 24 h mean is the mean of the day's hourly means; a year mean the mean of its daily
  means (QCVN 05:2023 §1.3.6–1.3.9).
- Readings under calibration or in error never enter a mean (Circular 10/2021 Art. 39
  status); they count as missing.

Minimum coverage [U]: neither QCVN 05:2023 nor Decision 1459 says how many values a mean
needs. We require 75 % of the values of a full window (45 min of 5-minute readings for an
hour, 6 of 8 hours, 18 of 24 hours, 75 % of the days of a year), the rule of EU Directive
2008/50/EC Annex VII for hourly, 8 h and daily values and of US EPA practice (40 CFR 50
App. N, 75 % completeness); the EU asks 90 % for a year, which a caller can pass. It is a
default argument, not a constant baked into the SQL: pass `coverage` to change it.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LOCAL_TZ = "Asia/Ho_Chi_Minh"
DEFAULT_MIN_COVERAGE = Decimal("0.75")


@dataclass(frozen=True)
class Window:
    """One averaging window: its length, what it averages and how many values it needs."""

    key: str                     # monitoring.choices.Averaging value
    label: str | Promise
    sql_interval: str            # PostgreSQL interval of the window's length
    bucket: str | None           # date_trunc field of a calendar window; None for a running window
    running: bool
    averages: str                # what is averaged: "reading", "1h" (hourly means) or "24h" (daily means)
    expected: int | None         # values in a full window; None: depends on the reading interval / year
    min_coverage: Decimal = DEFAULT_MIN_COVERAGE
    sql_frame: str | None = None  # window frame of a running mean over hourly means


WINDOWS: dict[str, Window] = {
    # 1 h: readings of one clock hour; expected = 60 / the station's interval (12 at 5 minutes).
    "1h": Window("1h", _("1 hour"), "1 hour", "hour", False, "reading", None),
    # 8 h: running mean of hourly means; RANGE (not ROWS) so that a missing hour is not
    # replaced by an older one.
    "8h": Window("8h", _("8 hours"), "8 hours", None, True, "1h", 8,
                 sql_frame="RANGE BETWEEN INTERVAL '7 hours' PRECEDING AND CURRENT ROW"),
    "24h": Window("24h", _("24 hours"), "1 day", "day", False, "1h", 24),
    # Year: mean of daily means; expected = days in the year (365 or 366).
    "year": Window("year", _("Year"), "1 year", "year", False, "24h", None),
}


def _window(window: str | Window) -> Window:
    if isinstance(window, Window):
        return window
    try:
        return WINDOWS[window]
    except KeyError:
        raise ValueError(f"unknown averaging window {window!r}; known: {', '.join(WINDOWS)}") from None


def required_count(expected: int, coverage: float | Decimal) -> int:
    """How many of `expected` values a mean needs at `coverage` (at least one)."""
    cov = coverage if isinstance(coverage, Decimal) else Decimal(repr(float(coverage)))
    if not Decimal(0) < cov <= Decimal(1):
        raise ValueError(f"coverage must be in (0, 1], not {coverage}")
    # Decimal, so that 0.75 × 8 is exactly 6 and not 6.000000000000001 rounded up to 7.
    return max(1, int((cov * expected).to_integral_value(rounding=ROUND_CEILING)))


def _present(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def window_mean(values: Sequence[float | None], *, window: str | Window, coverage: float | Decimal | None = None,
                expected: int | None = None) -> float | None:
    """Mean of the valid values of one window, or None when fewer than the coverage needs.

    :param values: the window's values in time order; None (or NaN) for a missing or excluded one.
    :param window: "1h", "8h", "24h", "year" or a Window.
    :param coverage: minimum fraction of `expected` present; the window's default (75 %) if None.
    :param expected: values in a full window; the window's own (8, 24) or else len(values).
    """
    w = _window(window)
    n = expected if expected is not None else (w.expected if w.expected is not None else len(values))
    if n <= 0:
        return None
    if len(values) > n:
        raise ValueError(f"{len(values)} values for a {w.key} window of {n}")
    present = [float(v) for v in values if _present(v)]
    if len(present) < required_count(n, w.min_coverage if coverage is None else coverage):
        return None
    return math.fsum(present) / len(present)


def running_means(values: Sequence[float | None], *, window: str | Window = "8h",
                  coverage: float | Decimal | None = None) -> list[float | None]:
    """Running means over consecutive hourly means: one per window ending at each value from the n-th on."""
    w = _window(window)
    if not w.running or w.expected is None:
        raise ValueError(f"{w.key} is not a running window")
    n = w.expected
    return [window_mean(values[i - n + 1:i + 1], window=w, coverage=coverage) for i in range(n - 1, len(values))]
