"""Permit status with the database: the replacement chain and the SQL expiry."""
from datetime import date

import pytest

from layers.choices import PermitStatus
from layers.models import Permit
from layers.services.permits import permit_reissue, permit_save
from tests.layer_factories import FacilityFactory

TODAY = date(2026, 11, 21)


@pytest.fixture
def facility(world):
    return FacilityFactory(owner_organisation=world.enterprise_a, admin_unit=world.unit_a)


def test_reissued_permit_supersedes_the_older_one(world, facility):
    officer = world.users["dept_officer"]
    old = permit_save(actor=officer, permit=Permit(facility=facility),
                      values={"number": "12", "symbol": "GPMT-UBND", "signed_on": date(2022, 1, 5), "term_years": 7})
    assert old.state(TODAY).status == PermitStatus.VALID
    new = permit_reissue(actor=officer, old=old, values={"number": "45", "symbol": "GPMT-UBND",
                                                          "signed_on": date(2025, 6, 1), "term_years": 10})
    old.refresh_from_db()
    state = old.state(TODAY)
    assert state.status == PermitStatus.SUPERSEDED and state.superseded_by == "45/GPMT-UBND"
    assert new.state(TODAY).status == PermitStatus.VALID and new.supersedes == old
    listed = {p.pk: p for p in Permit.objects.with_successor()}
    assert listed[old.pk].state(TODAY).superseded_by == "45/GPMT-UBND"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        permit_reissue(actor=officer, old=old, values={"number": "46", "signed_on": date(2025, 7, 1)})


def test_sql_expiry_matches_the_python_rule(world, facility):
    officer = world.users["dept_officer"]
    cases = [(date(2021, 3, 12), 5, None), (date(2024, 2, 29), 1, None), (date(2020, 1, 1), 10, date(2026, 12, 1)),
             (None, 5, None), (date(2024, 1, 1), None, None)]
    for i, (signed, term, expires) in enumerate(cases):
        permit_save(actor=officer, permit=Permit(facility=facility),
                    values={"number": f"T{i}", "signed_on": signed, "term_years": term, "expires_on": expires})
    for p in Permit.objects.with_expiry():
        assert p.expiry == p.state(TODAY).expiry, p.number
    soon = set(Permit.objects.expiring_or_expired(TODAY).values_list("number", flat=True))
    assert soon == {"T0", "T1", "T2"}  # T1: 29/02/2024 + 1 year ended 27/02/2025
