"""Averaging windows: definitions, coverage rule and the reference means the SQL is tested against."""
import math
from decimal import Decimal as D

import pytest

from monitoring.choices import Averaging
from monitoring.domain.windows import WINDOWS, required_count, running_means, window_mean


def test_windows_are_the_averagings_of_the_models():
    """Every averaging but "instant" (a single result) is a window."""
    assert set(WINDOWS) == set(Averaging.values) - {"instant"}


@pytest.mark.parametrize(("key", "interval", "bucket", "running", "averages", "expected"), [
    ("1h", "1 hour", "hour", False, "reading", None),
    ("8h", "8 hours", None, True, "1h", 8),
    ("24h", "1 day", "day", False, "1h", 24),
    ("year", "1 year", "year", False, "24h", None),
])
def test_window_definitions(key, interval, bucket, running, averages, expected):
    """SQL interval, date_trunc bucket, running or not, what is averaged, values in a full window."""
    w = WINDOWS[key]
    assert (w.sql_interval, w.bucket, w.running, w.averages, w.expected) == (
        interval, bucket, running, averages, expected)
    assert w.min_coverage == D("0.75")


def test_running_8h_uses_a_range_frame():
    """A RANGE frame over 7 hours back, so that a missing hour is not replaced by an older row."""
    assert WINDOWS["8h"].sql_frame == "RANGE BETWEEN INTERVAL '7 hours' PRECEDING AND CURRENT ROW"


@pytest.mark.parametrize(("expected", "coverage", "count"), [
    (8, "0.75", 6),      # 0.75 × 8 is exactly 6, not 7 by a float rounding up
    (24, "0.75", 18),
    (12, "0.75", 9),     # 5-minute readings: 45 minutes of an hour
    (60, "0.75", 45),
    (365, "0.75", 274),  # 273.75 rounds up
    (366, "0.9", 330),   # 329.4 rounds up
    (1, "0.75", 1),
])
def test_required_count(expected, coverage, count):
    """The number of values a mean needs: coverage × expected, rounded up, at least one."""
    assert required_count(expected, D(coverage)) == count
    assert required_count(expected, float(coverage)) == count


@pytest.mark.parametrize("coverage", [0, -0.1, 1.01])
def test_required_count_refuses_nonsense(coverage):
    """Coverage is a fraction in (0, 1]."""
    with pytest.raises(ValueError):
        required_count(24, coverage)


@pytest.mark.parametrize(("values", "window", "kwargs", "expected"), [
    ([10.0] * 6 + [None] * 2, "8h", {}, 10.0),            # 6 of 8: enough
    ([10.0] * 5 + [None] * 3, "8h", {}, None),            # 5 of 8: not
    ([10.0] * 5, "8h", {}, None),                         # a short list is missing values too
    ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], "8h", {}, 4.5),
    ([20.0] * 18 + [None] * 6, "24h", {}, 20.0),
    ([20.0] * 17 + [None] * 6, "24h", {}, None),
    ([5.0] * 9 + [None] * 3, "1h", {}, 5.0),              # 1 h: expected = len(values) by default
    ([5.0] * 8 + [None] * 4, "1h", {}, None),
    ([5.0] * 9, "1h", {"expected": 12}, 5.0),             # 1 h of 5-minute readings: 9 of 12
    ([5.0] * 8, "1h", {"expected": 12}, None),
    ([5.0] * 8, "1h", {"expected": 12, "coverage": 0.5}, 5.0),
    ([1.0] * 300, "year", {"expected": 365}, 1.0),
    ([1.0] * 300, "year", {"expected": 365, "coverage": 0.9}, None),   # the EU annual rule
    ([math.nan, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0], "8h", {}, 10.0),   # NaN counts as missing
    ([], "24h", {}, None),
])
def test_window_mean(values, window, kwargs, expected):
    """Mean of the valid values, or None below the coverage (75 % by default, [U])."""
    assert window_mean(values, window=window, **kwargs) == expected


def test_window_mean_refuses_too_many_values_and_unknown_windows():
    """More values than the window holds, or an unknown window, is a caller's error."""
    with pytest.raises(ValueError):
        window_mean([1.0] * 9, window="8h")
    with pytest.raises(ValueError):
        window_mean([1.0], window="2h")


# Decision 1459 §2.2.2.a: O3 hourly means 18:00 (previous day) … 00:00 and the printed 8 h means.
O3_HOURLY = [15.7, 14.2, 17.7, 18.9, 19.3, 15.7, 19.7,
             22.6, 27.1, 29.0, 31.9, 25.3, 34.7, 35.2, 41.6, 45.7, 49.2, 55.8, 69.6, 78.3, 91.5, 97.7, 81.2,
             71.8, 43.5, 34.3, 21.5, 20.5, 19.4, 20.4, 21.3]
O3_8H_PRINTED = [18.0, 19.4, 21.2, 23.0, 23.8, 25.8, 28.2, 30.9, 33.8, 36.6, 39.9, 44.7, 51.3, 58.4, 66.2, 71.1,
                 74.4, 73.7, 71.0, 65.0, 57.8, 48.7, 39.1, 31.6]


def test_running_means_reproduce_the_decisions_8h_table():
    """The 24 running 8 h means of the example day match the printed ones (one decimal).

    Two printed figures are off the exact means: 21.25 is printed 21.2 and 44.6375 (the
    mean of 25.3 … 69.6) is printed 44.7; every other one is the exact mean rounded.
    """
    means = running_means(O3_HOURLY, window="8h")
    assert len(means) == 24
    for got, printed in zip(means, O3_8H_PRINTED, strict=True):
        assert got == pytest.approx(printed, abs=0.07)
    assert [n for n, (got, printed) in enumerate(zip(means, O3_8H_PRINTED, strict=True))
            if abs(got - printed) > 0.05 + 1e-9] == [11]
    assert max(means) == pytest.approx(74.4, abs=0.05)


def test_running_means_skip_windows_below_coverage():
    """A run of 3 missing hours leaves the windows that hold all three without a mean."""
    hours = [10.0] * 8 + [None] * 3 + [10.0] * 8
    means = running_means(hours, window="8h")
    assert means[:3] == [10.0, 10.0, 10.0]     # windows ending at hours 8, 9, 10 (1-based) hold 0, 1, 2 missing
    assert means[3:9] == [None] * 6            # windows ending at hours 11 … 16 hold all 3: 5 of 8
    assert means[9:] == [10.0] * 3


def test_running_means_need_a_running_window():
    """A calendar window has no running means."""
    with pytest.raises(ValueError):
        running_means([1.0] * 30, window="24h")
