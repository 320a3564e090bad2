"""Permitted limits as written in permits and QCVN columns, and the exceedance test (no database)."""
from decimal import Decimal as D

import pytest

from reports.domain.limits import NO_LIMIT, Limit, exceeds, format_limit, parse_limit


@pytest.mark.parametrize(("text", "expected"), [
    # A plain number is a maximum (QCVN columns list maxima).
    ("50", Limit(upper=D(50))),
    ("50 mg/l", Limit(upper=D(50))),
    ("0,05", Limit(upper=D("0.05"))),
    ("0,05 mg/Nm3", Limit(upper=D("0.05"))),
    # Vietnamese thousands: coliform 5.000 MPN/100 ml is five thousand.
    ("5.000 MPN/100ml", Limit(upper=D(5000))),
    ("1 000", Limit(upper=D(1000))),
    ("≤ 50", Limit(upper=D(50))),
    ("<=50", Limit(upper=D(50))),
    ("=< 50", Limit(upper=D(50))),
    ("max 50", Limit(upper=D(50))),
    ("tối đa 50", Limit(upper=D(50))),
    ("< 50", Limit(upper=D(50), upper_strict=True)),
    ("≥ 4", Limit(lower=D(4))),
    (">=4", Limit(lower=D(4))),
    ("tối thiểu 4", Limit(lower=D(4))),
    ("> 4", Limit(lower=D(4), lower_strict=True)),
    ("5,5 - 9", Limit(lower=D("5.5"), upper=D(9))),
    ("5.5–9", Limit(lower=D("5.5"), upper=D(9))),
    ("5,5 ÷ 9", Limit(lower=D("5.5"), upper=D(9))),
    ("5,5-9", Limit(lower=D("5.5"), upper=D(9))),
    ("từ 5,5 đến 9", Limit(lower=D("5.5"), upper=D(9))),
    ("6 - 8,5 (pH)", Limit(lower=D(6), upper=D("8.5"))),
    ("  ≤\u00a050  ", Limit(upper=D(50))),
    # No limit.
    ("", NO_LIMIT),
    (None, NO_LIMIT),
    ("-", NO_LIMIT),
    ("—", NO_LIMIT),
    ("KQĐ", NO_LIMIT),
    ("Không quy định", NO_LIMIT),
])
def test_parse_limit(text, expected):
    """Each way a limit is written reads to the same bounds."""
    assert parse_limit(text) == expected


@pytest.mark.parametrize("text", ["abc", "50 60", "9 - 5", "≤", "1.2.3", "mg/l 50", "-5"])
def test_parse_limit_refuses_what_it_cannot_read(text):
    """Unreadable limits raise instead of being guessed."""
    with pytest.raises(ValueError):
        parse_limit(text)


@pytest.mark.parametrize(("value", "limit", "expected"), [
    (D("50"), "50", False),          # at the maximum: allowed
    (D("50.01"), "50", True),
    (D("49.9"), "≤ 50", False),
    (D("50"), "< 50", True),         # strict bound: the bound itself breaks it
    (D("49.99"), "< 50", False),
    (D("4"), "≥ 4", False),
    (D("3.9"), "≥ 4", True),
    (D("4"), "> 4", True),
    (D("5.5"), "5,5 - 9", False),
    (D("9"), "5,5 - 9", False),
    (D("9.1"), "5,5 - 9", True),
    (D("5.4"), "5,5 - 9", True),
    (D("5001"), "5.000", True),
    (D("1000000"), "", False),       # no limit, no exceedance
    (None, "50", False),             # no value, no exceedance
    (75, "75", False),
    (75.5, "75", True),
])
def test_exceeds(value, limit, expected):
    """A value breaks a limit only outside its bounds."""
    assert exceeds(value, parse_limit(limit)) is expected


@pytest.mark.parametrize(("text", "canonical"), [
    ("≤50", "≤ 50"), ("< 50", "< 50"), ("5,5 - 9", "5.5 - 9"), (">= 4", "≥ 4"), ("", "")])
def test_format_limit(text, canonical):
    assert format_limit(parse_limit(text)) == canonical
