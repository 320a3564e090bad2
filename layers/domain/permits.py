"""The status of an environmental permit, as a pure function.

Rules (issue 3; Law on Environmental Protection 2020 Art. 40(4) sets the terms, but
the term is taken from the permit as written, never guessed from the project group):
- revoked on or before `today`             -> revoked
- superseded by a re-issued permit          -> superseded (by number X)
- no signing date, or neither a term nor an expiry date -> undetermined
- expiry = the written expiry date, else the signing date + term years (the day before
  the anniversary: a 5-year permit signed 12/03/2021 is valid through 11/03/2026)
- expiry before `today`                     -> expired
- expiry within 12 months of `today`        -> expiring
- otherwise                                 -> valid
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from layers.choices import PermitStatus

EXPIRING_WINDOW_MONTHS = 12


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def permit_expiry(*, signed_on: date | None, term_years: int | None, expires_on: date | None) -> date | None:
    """Last day of validity, or None when it cannot be determined."""
    if expires_on is not None:
        return expires_on
    if signed_on is None or not term_years:
        return None
    return add_years(signed_on, term_years) - timedelta(days=1)


@dataclass(frozen=True)
class PermitState:
    status: PermitStatus
    expiry: date | None = None
    superseded_by: str | None = None  # number of the permit that replaced this one

    @property
    def label(self) -> str:
        from django.utils.translation import gettext as _

        if self.status == PermitStatus.SUPERSEDED and self.superseded_by:
            return _("Superseded by %(number)s") % {"number": self.superseded_by}
        return str(self.status.label)


def permit_status(*, today: date, signed_on: date | None, term_years: int | None, expires_on: date | None,
                  revoked_on: date | None = None, superseded_by: str | None = None) -> PermitState:
    """Compute a permit's status on `today` (see the module docstring for the rules)."""
    expiry = permit_expiry(signed_on=signed_on, term_years=term_years, expires_on=expires_on)
    if revoked_on is not None and revoked_on <= today:
        return PermitState(PermitStatus.REVOKED, expiry)
    if superseded_by:
        return PermitState(PermitStatus.SUPERSEDED, expiry, superseded_by)
    if signed_on is None or expiry is None:
        return PermitState(PermitStatus.UNDETERMINED, expiry)
    if expiry < today:
        return PermitState(PermitStatus.EXPIRED, expiry)
    if expiry <= add_months(today, EXPIRING_WINDOW_MONTHS):
        return PermitState(PermitStatus.EXPIRING, expiry)
    return PermitState(PermitStatus.VALID, expiry)
