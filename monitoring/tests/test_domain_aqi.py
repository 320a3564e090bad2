"""VN_AQI (Decision 1459/QĐ-TCMT): the decision's worked examples, every breakpoint, NowCast (no database)."""
import math
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
)
from decimal import Decimal as D

import pytest

from monitoring.domain.aqi import (
    DAILY,
    HOURLY,
    AqiError,
    category,
    daily_aqi,
    daily_statistics,
    hourly_aqi,
    nowcast,
    nowcast_weight,
    round_aqi,
    sub_index,
)
from monitoring.domain.tables import load_aqi_table


@pytest.fixture(scope="module")
def table():
    return load_aqi_table()


# §2.3.a: PM2.5 hourly means 09:00 … 20:00, as printed; NowCast wants c1 = the current hour first.
PM25_09_TO_20 = [26.9, 24.7, 20.5, 23.5, 19.5, 16.5, 19.0, 16.5, 20.3, 22.4, 19.6, 20.6]
PM25_C1_FIRST = PM25_09_TO_20[::-1]

# §2.3.b and c, with the exact Formula 1 value and the figure the decision prints.
HOURLY_EXAMPLE = [
    # parameter, averaging, concentration, exact, printed
    ("O3", "1h", "136.1", D("42.53125"), 43),
    ("NO2", "1h", "118.7", D("59.35"), 60),
    ("PM2.5", "nowcast", "20.3", D("40.6"), 41),
]
DAILY_EXAMPLE = [
    ("O3", "8h", "89.3", D("44.65"), 45),
    ("O3", "1h", "114.6", D("35.8125"), 36),
    ("NO2", "1h", "130.8", D("65.4"), 65),
    ("PM2.5", "24h", "55.7", D("109.5"), 110),
]


@pytest.mark.parametrize(("parameter", "averaging", "concentration", "exact", "printed"),
                         HOURLY_EXAMPLE + DAILY_EXAMPLE)
def test_sub_index_exact_values_of_the_worked_examples(table, parameter, averaging, concentration, exact, printed):
    """Formula 1 gives the exact value, e.g. NO2 118.7 µg/m³ → 59.35 (the decision prints 60)."""
    assert sub_index(parameter, D(concentration), averaging=averaging, table=table) == exact
    # A float input is read as the decimal it prints as.
    assert sub_index(parameter, float(concentration), averaging=averaging, table=table) == exact


@pytest.mark.parametrize(("parameter", "averaging", "concentration", "exact", "printed"), HOURLY_EXAMPLE)
def test_hourly_sub_indices_published_and_printed(table, parameter, averaging, concentration, exact, printed):
    """Published: half up (NO2 59); printed_rounding reproduces the decision's figures (NO2 60)."""
    published = {"O3": 43, "NO2": 59, "PM2.5": 41}[parameter]
    assert round_aqi(exact, period=HOURLY) == published
    assert round_aqi(exact, period=HOURLY, printed_rounding=True) == printed


@pytest.mark.parametrize(("parameter", "averaging", "concentration", "exact", "printed"), DAILY_EXAMPLE)
def test_daily_sub_indices_published_and_printed(table, parameter, averaging, concentration, exact, printed):
    """Every daily figure is printed as half up gives it, so both options agree."""
    assert round_aqi(exact, period=DAILY) == printed
    assert round_aqi(exact, period=DAILY, printed_rounding=True) == printed


def test_hourly_example_published_rounding_gives_59(table):
    """AQI^h of §2.3.b published half up is 59, dominant NO2, moderate (yellow)."""
    result = hourly_aqi({"O3": 136.1, "NO2": 118.7, "PM2.5": 20.3}, table)
    assert result.aqi == 59
    assert result.exact == D("59.35")
    assert result.dominant == "NO2"
    assert {p: s.value for p, s in result.sub_indices.items()} == {"O3": 43, "NO2": 59, "PM2.5": 41}
    assert result.category.key == "moderate"


def test_hourly_example_printed_rounding_gives_60(table):
    """With printed_rounding the hourly example is 60, as the decision prints it."""
    result = hourly_aqi({"O3": 136.1, "NO2": 118.7, "PM2.5": 20.3}, table, printed_rounding=True)
    assert result.aqi == 60
    assert {p: s.value for p, s in result.sub_indices.items()} == {"O3": 43, "NO2": 60, "PM2.5": 41}
    assert result.printed_rounding is True


def test_hourly_example_from_the_pm25_series(table):
    """Giving the 12 hourly PM2.5 means instead of the NowCast yields the same sub-index (41)."""
    result = hourly_aqi({"O3": 136.1, "NO2": 118.7, "PM2.5": PM25_C1_FIRST}, table)
    pm = result.sub_indices["PM2.5"]
    assert pm.averaging == "nowcast"
    assert round(float(pm.concentration), 1) == 20.3
    assert pm.value == 41
    assert result.aqi == 59


@pytest.mark.parametrize("printed_rounding", [False, True])
def test_daily_example_gives_110(table, printed_rounding):
    """AQI^d of §2.3.c is 110 with either rounding; O3 counts with its 8 h value (45 > 36)."""
    result = daily_aqi({"O3": {"1h": 114.6, "8h": 89.3}, "NO2": 130.8, "PM2.5": 55.7}, table,
                       printed_rounding=printed_rounding)
    assert result.aqi == 110
    assert result.dominant == "PM2.5"
    assert result.sub_indices["O3"].averaging == "8h"
    assert result.sub_indices["O3"].value == 45
    assert sorted((s.parameter, s.averaging, s.value) for s in result.components) == [
        ("NO2", "1h", 65), ("O3", "1h", 36), ("O3", "8h", 45), ("PM2.5", "24h", 110)]
    assert result.category.key == "poor"


@pytest.mark.parametrize("mode", [ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_HALF_DOWN, ROUND_CEILING, ROUND_FLOOR,
                                  ROUND_UP, ROUND_DOWN])
def test_no_single_rounding_reproduces_every_printed_figure(mode):
    """The module docstring's claim: 59.35 printed 60 and 65.4 printed 65 exclude any one rule."""
    rows = HOURLY_EXAMPLE + DAILY_EXAMPLE
    assert not all(int(exact.to_integral_value(rounding=mode)) == printed for *_, exact, printed in rows)


def test_nowcast_of_the_decision_series():
    """§2.3.a: w* = 16.5 / 26.9 = 0.61 > 1/2, NowCast = 20.3 µg/m³."""
    w = nowcast_weight(PM25_C1_FIRST)
    assert w == pytest.approx(16.5 / 26.9)
    assert round(w, 2) == 0.61
    value = nowcast(PM25_C1_FIRST)
    # Independent computation, term by term as the decision writes it: 0.61^0 × 20.6 + 0.61^1 × 19.6 + …
    weights = [w ** i for i in range(12)]
    expected = sum(wi * ci for wi, ci in zip(weights, PM25_C1_FIRST, strict=True)) / sum(weights)
    assert value == pytest.approx(expected, rel=1e-12)
    assert round(value, 1) == 20.3
    # With w rounded to 0.61 as printed, the NowCast still rounds to 20.3.
    printed_w = [0.61 ** i for i in range(12)]
    assert round(sum(a * b for a, b in zip(printed_w, PM25_C1_FIRST, strict=True)) / sum(printed_w), 1) == 20.3


def test_nowcast_weight_half_matches_the_decisions_unnormalised_formula():
    """w* ≤ 1/2 → w = 1/2; with 12 values the normalised mean equals Σ (1/2)^i·ci within 0.03 %."""
    series = [80.0, 10.0, 12.0, 15.0, 20.0, 25.0, 30.0, 28.0, 26.0, 24.0, 22.0, 20.0]
    assert nowcast_weight(series) == 0.5
    decision = sum(0.5 ** (i + 1) * c for i, c in enumerate(series))
    assert nowcast(series) == pytest.approx(decision, rel=3e-4)


@pytest.mark.parametrize(("series", "expected"), [
    # c1 missing, c2 and c3 present: computed, the missing hour weighing 0.
    # w = 20/30: (w·20 + w²·30) / (w + w²) = 24.
    ([None, 20.0, 30.0], 24.0),
    # Two of c1..c3 missing: "no data".
    ([None, None, 30.0, 30.0, 30.0], None),
    ([10.0, None, None, 30.0], None),
    ([], None),
    # All equal: w = 1, the plain mean.
    ([25.0] * 12, 25.0),
    # NaN counts as missing.
    ([20.0, math.nan, 20.0], 20.0),
    # All zero: 0, without dividing by zero.
    ([0.0, 0.0, 0.0], 0.0),
])
def test_nowcast_missing_values(series, expected):
    """At least 2 of c1..c3 are needed; a missing ci gets weight 0 (§2.2.1.a)."""
    value = nowcast(series)
    if expected is None:
        assert value is None
    else:
        assert value == pytest.approx(expected)


def test_nowcast_uses_only_the_last_12_hours():
    """A 13th value (older than 12 hours) is ignored."""
    assert nowcast(PM25_C1_FIRST + [1000.0]) == nowcast(PM25_C1_FIRST)


# Table 2 of the decision, typed again here so that a wrong fixture fails the test.
INDEX = [0, 50, 100, 150, 200, 300, 400, 500]
TABLE_2 = {
    ("O3", "1h"): [0, 160, 200, 300, 400, 800, 1000, 1200],
    ("O3", "8h"): [0, 100, 120, 170, 210, 400],
    ("CO", "1h"): [0, 10000, 30000, 45000, 60000, 90000, 120000, 150000],
    ("SO2", "1h"): [0, 125, 350, 550, 800, 1600, 2100, 2630],
    ("NO2", "1h"): [0, 100, 200, 700, 1200, 2350, 3100, 3850],
    ("PM10", "24h"): [0, 50, 150, 250, 350, 420, 500, 600],
    ("PM10", "nowcast"): [0, 50, 150, 250, 350, 420, 500, 600],
    ("PM2.5", "24h"): [0, 25, 50, 80, 150, 250, 350, 500],
    ("PM2.5", "nowcast"): [0, 25, 50, 80, 150, 250, 350, 500],
}
EDGES = [(p, avg, bp, INDEX[i]) for (p, avg), bps in TABLE_2.items() for i, bp in enumerate(bps)]


@pytest.mark.parametrize(("parameter", "averaging", "bp", "index"), EDGES,
                         ids=[f"{p}-{a}-{bp}" for p, a, bp, _ in EDGES])
def test_sub_index_at_every_breakpoint(table, parameter, averaging, bp, index):
    """At each BPi the sub-index is exactly Ii; just below it is lower, just above (if any) higher."""
    assert sub_index(parameter, bp, averaging=averaging, table=table) == index
    if bp > 0:
        assert sub_index(parameter, D(bp) - D("0.01"), averaging=averaging, table=table) < index
    above = sub_index(parameter, D(bp) + D("0.01"), averaging=averaging, table=table)
    if index == 500:
        assert above == 500   # capped
    elif (parameter, averaging) == ("O3", "8h") and bp == 400:
        assert above is None  # the 8 h column stops at 400 µg/m³
    else:
        assert above > index


@pytest.mark.parametrize(("parameter", "averaging", "concentration", "expected"), [
    # Midpoints of segments (linear interpolation).
    ("PM2.5", "24h", "37.5", D(75)),
    ("CO", "1h", "20000", D(75)),
    ("SO2", "1h", "1200", D(250)),
    ("PM10", "nowcast", "460", D(350)),
    # At and above the open-ended top: 500.
    ("PM2.5", "24h", "500", D(500)),
    ("PM2.5", "24h", "1500", D(500)),
    ("O3", "1h", "5000", D(500)),
    # O3 8 h above 400 µg/m³: no 8 h sub-index.
    ("O3", "8h", "400.1", None),
    ("O3", "8h", "900", None),
    # Negative or missing concentrations have none.
    ("NO2", "1h", "-0.1", None),
    ("NO2", "1h", None, None),
    ("NO2", "1h", math.nan, None),
    ("NO2", "1h", D("NaN"), None),
])
def test_sub_index_edges(table, parameter, averaging, concentration, expected):
    """Interpolation, the 500 cap, the O3 8 h ceiling and invalid input."""
    value = D(concentration) if isinstance(concentration, str) else concentration
    assert sub_index(parameter, value, averaging=averaging, table=table) == expected


@pytest.mark.parametrize(("parameter", "averaging"), [("PM2.5", "1h"), ("O3", "24h"), ("SO2", "8h"), ("TSP", "1h")])
def test_sub_index_refuses_what_table_2_does_not_define(table, parameter, averaging):
    """PM at 1 h, O3 at 24 h, SO2 at 8 h and TSP have no breakpoints."""
    with pytest.raises(AqiError):
        sub_index(parameter, 10, averaging=averaging, table=table)


def test_hourly_aqi_requires_pm(table):
    """Without a PM10 or PM2.5 sub-index there is no AQI, but the gas sub-indices are still given."""
    result = hourly_aqi({"O3": 136.1, "NO2": 118.7}, table)
    assert result.aqi is None and result.dominant is None and result.category is None
    assert set(result.sub_indices) == {"O3", "NO2"}
    # NowCast impossible (only c1 of c1..c3): also no AQI.
    assert hourly_aqi({"NO2": 118.7, "PM2.5": [20.0, None, None]}, table).aqi is None
    # PM10 alone is enough.
    assert hourly_aqi({"PM10": 75}, table).aqi == 63


def test_hourly_aqi_gas_series_uses_the_current_hour(table):
    """A gas given as a series counts with its first value (the current hour); other keys are ignored."""
    result = hourly_aqi({"NO2": [118.7, 500.0], "PM2.5": 20.3, "TSP": 999}, table)
    assert result.sub_indices["NO2"].exact == D("59.35")
    assert "TSP" not in result.sub_indices


def test_dominant_parameter_on_a_tie_is_the_higher_exact_value(table):
    """Two parameters with the same published value: the higher exact value is the dominant one."""
    # PM10 50 → 50 exactly; PM2.5 25.1 → 50.2, published 50 as well.
    result = hourly_aqi({"PM10": 50, "PM2.5": D("25.1")}, table)
    assert result.aqi == 50
    assert result.dominant == "PM2.5"


def test_daily_o3_above_400_uses_the_1h_value_only(table):
    """§2.2.2.b: when the max 8 h O3 is above 400 µg/m³ only the 1 h value counts."""
    result = daily_aqi({"O3": {"1h": 500, "8h": 450}, "PM10": 40}, table)
    assert [s.averaging for s in result.components if s.parameter == "O3"] == ["1h"]
    assert result.sub_indices["O3"].exact == D(225)
    assert result.aqi == 225 and result.dominant == "O3"
    assert result.category.key == "very_bad"


def test_daily_o3_1h_wins_when_larger(table):
    """O3 counts with the larger of its two sub-indices."""
    result = daily_aqi({"O3": {"1h": 300, "8h": 100}, "PM2.5": 10}, table)
    assert result.sub_indices["O3"].averaging == "1h"
    assert result.sub_indices["O3"].value == 150


# §2.2.2.a: O3 hourly means 18:00 (previous day) … 00:00 (the 8 h means are checked in test_domain_windows).
O3_HOURLY = [15.7, 14.2, 17.7, 18.9, 19.3, 15.7, 19.7,
             22.6, 27.1, 29.0, 31.9, 25.3, 34.7, 35.2, 41.6, 45.7, 49.2, 55.8, 69.6, 78.3, 91.5, 97.7, 81.2,
             71.8, 43.5, 34.3, 21.5, 20.5, 19.4, 20.4, 21.3]


def test_daily_statistics_of_the_decisions_o3_example():
    """The day's max 8 h mean is 74.4 µg/m³ as printed; the first 8 h means reach into the previous day."""
    stats = daily_statistics(O3_HOURLY[7:], previous_hours=O3_HOURLY[:7])
    assert round(stats.max_8h, 1) == 74.4
    assert stats.max_1h == 97.7
    assert stats.mean_24h == pytest.approx(sum(O3_HOURLY[7:]) / 24)


def test_daily_aqi_from_hourly_series(table):
    """A 31-value O3 series (7 previous hours + 24) gives max 1 h 97.7 and max 8 h 74.4."""
    result = daily_aqi({"O3": O3_HOURLY, "PM2.5": [55.7] * 24}, table)
    by_avg = {s.averaging: s for s in result.components if s.parameter == "O3"}
    assert by_avg["1h"].concentration == D("97.7")
    assert round(float(by_avg["8h"].concentration), 1) == 74.4
    assert result.aqi == 110


def test_daily_statistics_below_coverage_is_none():
    """A day with fewer than 18 valid hours has no statistics (75 % coverage, [U])."""
    day = [30.0] * 17 + [None] * 7
    assert daily_statistics(day).mean_24h is None
    assert daily_aqi({"PM2.5": day, "NO2": [100.0] * 24}).aqi is None


@pytest.mark.parametrize(("aqi", "key", "hex_code", "rgb"), [
    (0, "good", "#00E400", (0, 228, 0)),
    (50, "good", "#00E400", (0, 228, 0)),
    (51, "moderate", "#FFFF00", (255, 255, 0)),
    (100, "moderate", "#FFFF00", (255, 255, 0)),
    (101, "poor", "#FF7E00", (255, 126, 0)),
    (150, "poor", "#FF7E00", (255, 126, 0)),
    (151, "bad", "#FF0000", (255, 0, 0)),
    (200, "bad", "#FF0000", (255, 0, 0)),
    (201, "very_bad", "#8F3F97", (143, 63, 151)),
    (300, "very_bad", "#8F3F97", (143, 63, 151)),
    (301, "hazardous", "#7E0023", (126, 0, 35)),
    (500, "hazardous", "#7E0023", (126, 0, 35)),
])
def test_category_bands_and_colours(table, aqi, key, hex_code, rgb):
    """Table 1: bands, colours and RGB codes."""
    band = category(aqi, table=table)
    assert (band.key, band.hex, band.rgb) == (key, hex_code, rgb)


def test_category_names_and_advice(table):
    """Names in Vietnamese and English; health advice from Tables 4–5."""
    band = category(120, table=table)
    assert band.name("vi") == "Kém" and band.name("en") == "Poor"
    assert "hen suyễn" in band.advice_sensitive["vi"]
    with pytest.raises(ValueError):
        category(-1, table=table)
