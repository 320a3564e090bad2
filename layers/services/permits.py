"""Permit writes: save, re-issue (supersedes the older permit), revoke."""
from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from geoportal.audit.services import audit_record
from layers.choices import PermitKind
from layers.models import Permit
from layers.services.features import record_save


@transaction.atomic
def permit_save(*, actor, permit: Permit, values: dict[str, Any] | None = None) -> Permit:
    values = dict(values or {})
    if values.get("expires_on") and values.get("signed_on") and values["expires_on"] <= values["signed_on"]:
        raise ValidationError({"expires_on": _("The expiry date must be after the signing date.")})
    return record_save(actor=actor, obj=permit, values=values)


@transaction.atomic
def permit_reissue(*, actor, old: Permit, values: dict[str, Any]) -> Permit:
    """Record a re-issued permit that supersedes `old` (the replacement chain)."""
    old = Permit.objects.select_for_update().get(pk=old.pk)
    if Permit.objects.filter(supersedes=old).exists():
        raise ValidationError({"supersedes": _("Permit %(n)s has already been superseded.") % {"n": old.full_number}})
    new = Permit(facility=old.facility, zone=old.zone, kind=PermitKind.REISSUED, supersedes=old)
    new = record_save(actor=actor, obj=new, values=values)
    audit_record(actor=actor, action="permit.supersede", obj=old, changes={"superseded_by": new.full_number})
    return new


@transaction.atomic
def permit_revoke(*, actor, permit: Permit, revoked_on: date, reason: str) -> Permit:
    if not reason.strip():
        raise ValidationError({"revocation_reason": _("Give the reason for the revocation.")})
    return record_save(actor=actor, obj=permit, values={"revoked_on": revoked_on, "revocation_reason": reason.strip()})
