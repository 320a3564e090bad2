"""Permit status rules, table-driven, no database."""
from datetime import date

import pytest

from layers.choices import PermitStatus as S
from layers.domain.permits import add_years, permit_expiry, permit_status

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize("signed,term,expires,revoked,superseded,expected", [
    (date(2024, 1, 10), 7, None, None, None, S.VALID),
    (date(2021, 3, 12), 5, None, None, None, S.EXPIRED),            # valid through 11/03/2026
    (date(2021, 11, 21), 5, None, None, None, S.EXPIRED),           # last day was 20/11/2026
    (date(2021, 11, 22), 5, None, None, None, S.EXPIRING),          # last day is today
    (date(2022, 6, 1), 5, None, None, None, S.EXPIRING),            # 31/05/2027: within 12 months
    (date(2022, 11, 22), 5, None, None, None, S.EXPIRING),          # 21/11/2027: exactly 12 months
    (date(2022, 11, 23), 5, None, None, None, S.VALID),             # 22/11/2027: beyond 12 months
    (date(2020, 1, 1), None, date(2030, 1, 1), None, None, S.VALID),  # written expiry wins
    (date(2020, 1, 1), 10, date(2026, 12, 1), None, None, S.EXPIRING),
    (None, 5, None, None, None, S.UNDETERMINED),                    # no signing date
    (date(2024, 1, 10), None, None, None, None, S.UNDETERMINED),    # no term: never guessed
    (date(2024, 1, 10), 7, None, date(2026, 1, 1), None, S.REVOKED),
    (date(2024, 1, 10), 7, None, date(2027, 1, 1), None, S.VALID),  # revocation not yet in force
    (date(2022, 1, 10), 7, None, None, "12/GPMT-UBND", S.SUPERSEDED),
    (None, None, None, None, "12/GPMT-UBND", S.SUPERSEDED),
])
def test_permit_status(signed, term, expires, revoked, superseded, expected):
    state = permit_status(today=TODAY, signed_on=signed, term_years=term, expires_on=expires,
                          revoked_on=revoked, superseded_by=superseded)
    assert state.status == expected


def test_superseded_label_names_the_new_permit():
    state = permit_status(today=TODAY, signed_on=date(2022, 1, 1), term_years=7, expires_on=None,
                          superseded_by="45/GPMT-UBND")
    assert "45/GPMT-UBND" in state.label


@pytest.mark.parametrize("day,years,expected", [
    (date(2024, 2, 29), 1, date(2025, 2, 28)),
    (date(2021, 3, 12), 5, date(2026, 3, 12)),
])
def test_add_years(day, years, expected):
    assert add_years(day, years) == expected


def test_expiry_is_the_day_before_the_anniversary():
    assert permit_expiry(signed_on=date(2021, 3, 12), term_years=5, expires_on=None) == date(2026, 3, 11)
