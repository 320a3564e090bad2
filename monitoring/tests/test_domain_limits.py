"""QCVN limit sets, dates in force, Kq/Kf and Kp/Kv factors, exceedance and precedence (no database)."""
import math
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from monitoring.choices import Averaging, Medium
from monitoring.domain.limits import (
    UNCONFIRMED,
    Limit,
    LimitValue,
    apply_factors,
    exceeds,
    kf_for_flow,
    kp_for_flow,
    kq_for_river_flow,
    kv_for_zone,
    limit_in_force,
    local_day,
    precedence,
)
from monitoring.domain.tables import AVERAGINGS, load_limit_sets
from monitoring.domain.units import MEDIA


@pytest.fixture(scope="module")
def sets():
    return load_limit_sets()


def test_vocabularies_match_the_model_choices():
    """The fixtures' averaging and medium codes are monitoring.choices' values."""
    assert set(AVERAGINGS) == set(Averaging.values)
    assert set(MEDIA) == set(Medium.values)


# QCVN 05:2023 Table 1 as DOMAIN.md 3.1 gives it (µg/Nm³), typed again here.
TABLE_1 = [
    ("SO2", "1h", 350), ("SO2", "24h", 125), ("SO2", "year", 50),
    ("CO", "1h", 30000), ("CO", "8h", 10000),
    ("NO2", "1h", 200), ("NO2", "24h", 100), ("NO2", "year", 40),
    ("O3", "1h", 200), ("O3", "8h", 120),
    ("TSP", "1h", 300), ("TSP", "24h", 200), ("TSP", "year", 100),
    ("PM10", "24h", 100), ("PM10", "year", 50),
    ("PM2.5", "year", 25),
    # Table 2 examples.
    ("PB", "24h", D("1.5")), ("NH3", "1h", 200), ("H2S", "1h", 42), ("C6H6", "1h", 22), ("C7H8", "1h", 500),
    ("C8H10", "1h", 1000), ("HCL", "24h", 60), ("HF", "1h", 20), ("HF", "24h", 5), ("HG", "24h", D("0.3")),
    ("CD", "1h", D("0.4")), ("CD", "8h", D("0.2")),
]
NOT_REGULATED = [("SO2", "8h"), ("CO", "24h"), ("CO", "year"), ("NO2", "8h"), ("O3", "24h"), ("O3", "year"),
                 ("PM10", "1h"), ("PM2.5", "1h"), ("PB", "year")]


@pytest.mark.parametrize(("parameter", "averaging", "upper"), TABLE_1)
def test_qcvn_05_2023_values(sets, parameter, averaging, upper):
    """Each Table 1 value (and the Table 2 examples) is in force on 1 June 2024, in µg/Nm³."""
    limit = sets["qcvn_05_2023"].limit(parameter, averaging, date(2024, 6, 1))
    assert limit == Limit(None, D(upper), "µg/Nm³", averaging, "QCVN 05:2023/BTNMT", "confirmed")


@pytest.mark.parametrize(("parameter", "averaging"), NOT_REGULATED)
def test_qcvn_05_2023_dashes_are_not_limits(sets, parameter, averaging):
    """A "–" cell of Table 1 has no limit; lead has no annual value since 2023."""
    assert sets["qcvn_05_2023"].limit(parameter, averaging, date(2024, 6, 1)) is None


@pytest.mark.parametrize(("at", "upper"), [
    (date(2023, 9, 12), 50),
    (date(2025, 12, 31), 50),
    (date(2026, 1, 1), 45),
    (date(2030, 1, 1), 45),
    # Vietnam's calendar: 16:59:59 UTC is 23:59:59 on 31 December, 17:00 UTC is New Year.
    (datetime(2025, 12, 31, 16, 59, 59, tzinfo=UTC), 50),
    (datetime(2025, 12, 31, 17, 0, tzinfo=UTC), 45),
    # Before QCVN 05:2023 took effect.
    (date(2023, 9, 11), None),
])
def test_pm25_24h_50_then_45(sets, at, upper):
    """PM2.5 24 h: 50 µg/Nm³ until 31/12/2025, 45 from 01/01/2026 (two dated values)."""
    limit = limit_in_force(sets["qcvn_05_2023"].values, parameter="PM2.5", averaging="24h", at=at)
    assert (limit.upper if limit else None) == (D(upper) if upper is not None else None)


def test_limit_in_force_refuses_naive_datetimes():
    """A naive datetime has no legal day."""
    with pytest.raises(ValueError):
        local_day(datetime(2026, 1, 1, 0, 0))


def test_limit_in_force_takes_the_latest_effective_value():
    """Of several values in force (e.g. a value without an end and a newer one), the latest wins."""
    values = [LimitValue("COD_WW", "instant", None, D(150), "mg/L", date(2012, 2, 15), None),
              LimitValue("COD_WW", "instant", None, D(100), "mg/L", date(2020, 1, 1), None)]
    assert limit_in_force(values, parameter="COD_WW", averaging="instant", at=date(2019, 12, 31)).upper == 150
    assert limit_in_force(values, parameter="COD_WW", averaging="instant", at=date(2020, 1, 1)).upper == 100
    assert limit_in_force(values, parameter="COD_WW", averaging="1h", at=date(2020, 1, 1)) is None


QCVN_40_B = [("COD_WW", 150), ("BOD5_WW", 50), ("TSS_WW", 100), ("NH4_WW", 10), ("TN_WW", 40), ("TP_WW", 6),
             ("OIL_WW", 10), ("AS_WW", D("0.1")), ("HG_WW", D("0.01")), ("PB_WW", D("0.5")), ("CD_WW", D("0.1")),
             ("CR6_WW", D("0.1")), ("FE_WW", 5), ("CN_WW", D("0.1")), ("CHLORIDE_WW", 1000), ("COLIFORM_WW", 5000)]
QCVN_40_A = [("COD_WW", 75), ("BOD5_WW", 30), ("TSS_WW", 50), ("NH4_WW", 5), ("HG_WW", D("0.005")),
             ("CN_WW", D("0.07")), ("COLIFORM_WW", 3000)]


@pytest.mark.parametrize(("column", "parameter", "upper"),
                         [("b", p, u) for p, u in QCVN_40_B] + [("a", p, u) for p, u in QCVN_40_A])
def test_qcvn_40_2011_columns(sets, column, parameter, upper):
    """QCVN 40:2011 columns A and B as DOMAIN.md 3.2 lists them; each result is compared ("instant")."""
    limit = sets[f"qcvn_40_2011_{column}"].limit(parameter, "instant", date(2020, 1, 1))
    assert limit.upper == D(upper)
    assert limit.source == f"QCVN 40:2011/BTNMT {column.upper()}"


def test_qcvn_40_2011_ph_is_a_range_and_unconfirmed_values_are_tagged(sets):
    """pH is 5.5–9 (B) and 6–9 (A); colour A, fluoride A and chloride A are [U] in DOMAIN.md."""
    b = sets["qcvn_40_2011_b"].limit("PH_WW", "instant", date(2020, 1, 1))
    assert (b.lower, b.upper, b.unit) == (D("5.5"), D(9), "pH")
    a = sets["qcvn_40_2011_a"]
    assert (a.limit("PH_WW", "instant", date(2020, 1, 1)).lower) == D(6)
    tags = {v.parameter: v.certainty for v in a.values}
    assert tags["COLOUR_WW"] == tags["FLUORIDE_WW"] == tags["CHLORIDE_WW"] == UNCONFIRMED
    assert tags["COD_WW"] == "secondary"


def test_qcvn_40_2011_is_still_answered_after_it_was_superseded(sets):
    """A permit issued under QCVN 40:2011 keeps its limits after 01/09/2025 (grandfathering)."""
    s = sets["qcvn_40_2011_b"]
    assert s.superseded_by == "QCVN 40:2025/BTNMT"
    assert s.is_default_on(date(2025, 8, 31)) and not s.is_default_on(date(2025, 9, 1))
    assert s.limit("COD_WW", "instant", date(2026, 3, 1)).upper == 150


@pytest.mark.parametrize(("parameter", "multiplied"), [
    ("PH_WW", False), ("TEMP_WW", False), ("COLIFORM_WW", False), ("COLOUR_WW", False),
    ("COD_WW", True), ("TSS_WW", True), ("NH4_WW", True),
])
def test_qcvn_40_2011_which_values_are_multiplied(sets, parameter, multiplied):
    """pH, temperature and coliform (and colour, [U]) are not multiplied by Kq × Kf."""
    value = next(v for v in sets["qcvn_40_2011_b"].values if v.parameter == parameter)
    assert value.multiplied is multiplied


def test_qcvn_19_2009(sets):
    """Column B (mg/Nm³) all multiplied by Kp × Kv; column A ended with 2014 and is [U]."""
    b, a = sets["qcvn_19_2009_b"], sets["qcvn_19_2009_a"]
    assert b.formula == "Cmax = C × Kp × Kv"
    expected = {"DUST_EM": 200, "SO2_EM": 500, "NOX_EM": 850, "CO_EM": 1000, "H2S_EM": D("7.5"), "NH3_EM": 50,
                "HCL_EM": 50, "HF_EM": 20, "PB_EM": 5}
    assert {v.parameter: v.upper for v in b.values} == {k: D(v) for k, v in expected.items()}
    assert all(v.multiplied and v.unit == "mg/Nm³" for v in b.values)
    assert a.limit("DUST_EM", "instant", date(2014, 12, 31)).upper == 400
    assert a.limit("DUST_EM", "instant", date(2015, 1, 1)) is None
    assert {v.certainty for v in a.values} == {UNCONFIRMED}
    assert {t.certainty for t in b.factor_tables.values()} == {UNCONFIRMED}


@pytest.mark.parametrize(("key", "code", "effective_from", "superseded"), [
    ("qcvn_40_2025", "QCVN 40:2025/BTNMT", date(2025, 9, 1), "QCVN 40:2011/BTNMT"),
    ("qcvn_19_2024", "QCVN 19:2024/BTNMT", date(2025, 7, 1), "QCVN 19:2009/BTNMT"),
])
def test_new_regulations_are_unconfirmed_empty_slots(sets, key, code, effective_from, superseded):
    """QCVN 40:2025 and 19:2024: dates known, values not: unconfirmed, empty, with a note."""
    slots = [s for k, s in sets.items() if k.startswith(key)]
    assert slots
    for s in slots:
        assert (s.code, s.effective_from, s.certainty, s.values) == (code, effective_from, UNCONFIRMED, ())
        assert superseded in s.replaces
        assert s.note["vi"] and s.note["en"]
        assert s.limit("COD_WW", "instant", date(2026, 1, 1)) is None


def test_every_set_says_where_it_comes_from(sets):
    """Each set has code, bilingual title, medium, dates, legal basis, source, certainty on every value."""
    for s in sets.values():
        assert s.code and s.title["vi"] and s.title["en"] and s.legal_basis and s.source
        assert s.medium in MEDIA and s.effective_from
        assert all(v.certainty in ("confirmed", "secondary", "unconfirmed") for v in s.values)


@pytest.mark.parametrize(("flow", "kf"), [
    (0, "1.2"), (50, "1.2"), ("50.01", "1.1"), (500, "1.1"), (501, "1.0"), (5000, "1.0"), (5001, "0.9"),
    (1_000_000, "0.9"),
])
def test_kf_for_flow(flow, kf):
    """Kf of QCVN 40:2011 by m³/day, band ends inclusive ([U] table)."""
    assert kf_for_flow(D(flow) if isinstance(flow, str) else flow) == D(kf)


@pytest.mark.parametrize(("flow", "kq"), [(10, "0.9"), (50, "0.9"), (51, "1.0"), (200, "1.0"), (500, "1.1"),
                                           (501, "1.2")])
def test_kq_for_river_flow(flow, kq):
    """Kq of QCVN 40:2011 by the receiving river's m³/s ([U] table)."""
    assert kq_for_river_flow(flow) == D(kq)


@pytest.mark.parametrize(("flow", "kp"), [(0, "1.0"), (20000, "1.0"), (20001, "0.9"), (100000, "0.9"),
                                           (100001, "0.8")])
def test_kp_for_flow(flow, kp):
    """Kp of QCVN 19:2009 by m³/h ([U] table)."""
    assert kp_for_flow(flow) == D(kp)


@pytest.mark.parametrize(("zone", "kv"), [(1, "0.6"), (2, "0.8"), ("3", "1.0"), (4, "1.2"), (5, "1.4")])
def test_kv_for_zone(zone, kv):
    """Kv of QCVN 19:2009 by zone 1–5 ([U] table)."""
    assert kv_for_zone(zone) == D(kv)


def test_factor_tables_refuse_what_they_do_not_cover():
    """A negative flow or an unknown zone is an error, not a guess."""
    with pytest.raises(ValueError):
        kf_for_flow(-1)
    with pytest.raises(ValueError):
        kv_for_zone(6)


COD_B = Limit(None, D(150), "mg/L", "instant", "QCVN 40:2011/BTNMT B")
PH_B = Limit(D("5.5"), D(9), "pH", "instant", "QCVN 40:2011/BTNMT B")
DUST_B = Limit(None, D(200), "mg/Nm³", "instant", "QCVN 19:2009/BTNMT B")


@pytest.mark.parametrize(("limit", "factors", "multiplied", "upper", "lower"), [
    (COD_B, {"kq": D("0.9"), "kf": D("1.1")}, True, D("148.50"), None),
    (COD_B, {"kq": 1, "kf": D("1.2")}, True, D("180.0"), None),
    (COD_B, {"kf": D("0.9")}, True, D("135.0"), None),          # Kq not stated counts as 1
    (COD_B, {"kq": D("0.9"), "kf": D("1.1")}, False, D(150), None),
    (PH_B, {"kq": D("0.9"), "kf": D("1.2")}, False, D(9), D("5.5")),
    (DUST_B, {"kp": D("0.8"), "kv": D("0.6")}, True, D("96.00"), None),
    (DUST_B, {"kp": 1, "kv": D("1.4")}, True, D("280.0"), None),
])
def test_apply_factors(limit, factors, multiplied, upper, lower):
    """Cmax = C × Kq × Kf or C × Kp × Kv; parameters not multiplied keep C."""
    result = apply_factors(limit, multiplied=multiplied, **factors)
    assert (result.upper, result.lower) == (upper, lower)
    assert result.unit == limit.unit and result.source == limit.source


def test_apply_factors_refuses_mixed_or_invalid_factors():
    """Kq/Kf with Kp/Kv, or a factor ≤ 0, is an error."""
    with pytest.raises(ValueError):
        apply_factors(COD_B, kq=1, kp=1, multiplied=True)
    with pytest.raises(ValueError):
        apply_factors(COD_B, kf=0, multiplied=True)


def test_factors_with_the_fixture_tables():
    """A 300 m³/day discharge into a 120 m³/s river under column B: COD 150 × 1.0 × 1.1 = 165."""
    limit = apply_factors(COD_B, kq=kq_for_river_flow(120), kf=kf_for_flow(300), multiplied=True)
    assert limit.upper == 165 and limit.factor == D("1.1")
    assert exceeds(165, limit) is False and exceeds(D("165.1"), limit) is True


@pytest.mark.parametrize(("value", "limit", "expected"), [
    (150, COD_B, False),              # the limit itself is allowed
    (D("150.01"), COD_B, True),
    (0, COD_B, False),
    (D("5.5"), PH_B, False),
    (D("5.49"), PH_B, True),
    (9, PH_B, False),
    (D("9.01"), PH_B, True),
    (9.01, PH_B, True),
    (None, COD_B, False),             # no value, no exceedance
    (math.nan, COD_B, False),
    (D("NaN"), COD_B, False),
    (1000, None, False),              # no limit, no exceedance
])
def test_exceeds(value, limit, expected):
    """Above the upper or below the lower bound exceeds; the bounds do not."""
    assert exceeds(value, limit) is expected


def test_permit_limits_take_precedence():
    """A limit in the permit wins over the regulation's; without one the regulation applies."""
    permit = Limit(None, D(100), "mg/L", "1h", "permit")
    regulation = Limit(None, D(150), "mg/L", "1h", "QCVN 40:2011/BTNMT B")
    assert precedence(permit, regulation) is permit
    assert precedence(None, regulation) is regulation
    assert precedence(None, None) is None
    # Even a looser permit limit applies: the permit is what the facility must meet.
    looser = Limit(None, D(200), "mg/L", "1h", "permit")
    assert precedence(looser, regulation) is looser
