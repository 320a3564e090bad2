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


def replace_children(*, parent, model, rows: list[dict[str, Any]], parent_field: str = "permit") -> dict[str, int]:
    """Make the permit's children (streams or trial periods) equal `rows`: rows with an
    "id" update that child, rows without create one, children not listed are deleted."""
    existing = {c.pk: c for c in model.objects.filter(**{parent_field: parent})}
    kept, created = set(), 0
    for row in rows:
        row = dict(row)
        pk = row.pop("id", None)
        child = existing.get(pk) if pk else None
        if pk and child is None:
            raise ValidationError(_("Unknown row %(id)s.") % {"id": pk})
        child = child or model(**{parent_field: parent})
        for key, value in row.items():
            setattr(child, key, value)
        child.full_clean()
        child.save()
        kept.add(child.pk)
        created += 0 if pk else 1
    removed = [pk for pk in existing if pk not in kept]
    model.objects.filter(pk__in=removed).delete()
    return {"created": created, "updated": len(kept) - created, "deleted": len(removed)}


@transaction.atomic
def permit_save(*, actor, permit: Permit, values: dict[str, Any] | None = None,
                streams: list[dict[str, Any]] | None = None, trials: list[dict[str, Any]] | None = None) -> Permit:
    """Create or update a permit with (optionally) its discharge streams and trial
    operation periods, all in one transaction and one audit trail."""
    from geoportal.audit.services import audit_record as _audit
    from layers.models import DischargeStream, TrialOperation

    values = dict(values or {})
    signed = values.get("signed_on", permit.signed_on)
    expires = values.get("expires_on", permit.expires_on)
    if signed and expires and expires <= signed:
        raise ValidationError({"expires_on": _("The expiry date must be after the signing date.")})
    permit = record_save(actor=actor, obj=permit, values=values)
    children = {}
    if streams is not None:
        children["discharge_streams"] = replace_children(parent=permit, model=DischargeStream, rows=streams)
    if trials is not None:
        children["trial_operations"] = replace_children(parent=permit, model=TrialOperation, rows=trials)
    if children:
        _audit(actor=actor, action="permit.children", obj=permit, changes=children)
    return permit


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
