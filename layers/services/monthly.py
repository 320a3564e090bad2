"""Monthly updates, due before the 30th (Hai Phong regulation)."""
from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from geoportal.audit.services import audit_record
from layers.models import MonthlyUpdate

DUE_DAY = 30  # updates are due *before* the 30th: a unit with none by the 29th is late


def month_start(day: date) -> date:
    return day.replace(day=1)


def local_today() -> date:
    return timezone.localdate()


def record_monthly_update(*, organisation, day: date | None = None) -> None:
    """Count one changed entry for the organisation's month (inside the caller's transaction)."""
    if organisation is None:
        return
    period = month_start(day or local_today())
    updated = MonthlyUpdate.objects.filter(organisation=organisation, period=period).update(
        changes=F("changes") + 1, last_at=timezone.now())
    if not updated:
        MonthlyUpdate.objects.get_or_create(organisation=organisation, period=period, defaults={"changes": 1})


@transaction.atomic
def monthly_declare_no_change(*, actor, day: date | None = None) -> MonthlyUpdate:
    """The unit states that nothing changed this month: that counts as its update."""
    period = month_start(day or local_today())
    update, _ = MonthlyUpdate.objects.get_or_create(organisation=actor.organisation, period=period)
    update.declared_no_change = True
    update.save()
    audit_record(actor=actor, action="monthly.no_change", obj=update, changes={"period": period})
    return update


def is_late(update_exists: bool, *, period: date, today: date) -> bool:
    """A unit is late for `period` when it has no update and the 30th (or the month's
    end, in February) has come."""
    if update_exists:
        return False
    if today.replace(day=1) > period:
        return True
    return today.day >= DUE_DAY
