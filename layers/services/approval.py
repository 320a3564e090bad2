"""The Article 7 workflow of the Hai Phong regulation, as one explicit state machine.

    draft ──submit──> awaiting ──approve──> approved
      ^                  │
      └────(edit)─── rejected <──reject──┘

Entries of the Department and of the EZ board are approved on save. A commune's
entries wait for the commune chairman. An enterprise's entries wait for a Department
officer. Only approved data counts in statistics and is published. Each transition
writes an audit row in the same transaction.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geoportal.accounts.choices import Role
from geoportal.audit.services import audit_record
from geoportal.scopes import Action, scope_for
from layers.choices import ApprovalStatus as S

# Explicit transitions (submit, approve, reject). Saving an entry is not a transition
# of its own: it puts the entry in the status its author's role gives (status_on_save),
# so an approved entry edited by a commune goes back for approval.
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.AWAITING},
    S.REJECTED: {S.AWAITING},
    S.AWAITING: {S.APPROVED, S.REJECTED},
    S.APPROVED: set(),
}


class TransitionError(ValidationError):
    """An illegal move in the workflow (answers 409 in the API)."""


def self_approving(user) -> bool:
    """Does this user's entry count at once? (the Department and the EZ board)"""
    scope = scope_for(user)
    return scope.everything or scope.has(Role.EZ_OFFICER)


def status_on_save(user, *, submit: bool = True) -> str:
    """Status an entry gets when `user` creates or edits it (`submit=False` keeps a
    commune's or an enterprise's entry as a draft)."""
    if self_approving(user):
        return S.APPROVED
    return S.AWAITING if submit else S.DRAFT


def _check(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, set()):
        raise TransitionError(
            _("An entry that is %(from)s cannot become %(to)s.") % {
                "from": S(current).label, "to": S(target).label},
            code="illegal_transition",
        )


def _can_approve(user, obj: models.Model) -> bool:
    scope = scope_for(user)
    if scope.everything:
        return True
    manager = type(obj)._default_manager
    return scope.has(Role.COMMUNE_CHAIRMAN) and manager.for_user(user, Action.APPROVE).filter(pk=obj.pk).exists()


def _lock(obj: models.Model) -> models.Model:
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def stamp_on_save(*, actor, obj: models.Model, was_created: bool, submit: bool = True) -> None:
    """Set the workflow fields of an entry being saved by `actor` (no save, no audit:
    the calling service does both in its transaction)."""
    target = status_on_save(actor, submit=submit)
    now = timezone.now()
    if was_created and obj.entered_by_id is None:
        obj.entered_by = getattr(actor, "organisation", None)
    obj.approval_status = target
    obj.rejection_reason = ""
    if target == S.APPROVED:
        obj.approved_by, obj.approved_at, obj.submitted_at = actor, now, obj.submitted_at or now
    else:
        obj.approved_by, obj.approved_at, obj.submitted_at = None, None, now


@transaction.atomic
def entry_submit(*, actor, obj: models.Model) -> models.Model:
    """Send a draft (or a rejected entry, once fixed) to the chairman for approval."""
    obj = _lock(obj)
    if not type(obj)._default_manager.for_user(actor, Action.CHANGE).filter(pk=obj.pk).exists():
        raise PermissionDenied
    _check(obj.approval_status, S.AWAITING)
    before = obj.approval_status
    obj.approval_status, obj.submitted_at = S.AWAITING, timezone.now()
    obj.save(update_fields=["approval_status", "submitted_at", "updated_at"])
    audit_record(actor=actor, action=f"{obj._meta.model_name}.submit", obj=obj,
                 changes={"approval_status": [before, S.AWAITING]})
    return obj


@transaction.atomic
def entry_approve(*, actor, obj: models.Model) -> models.Model:
    """The commune chairman (or the Department) approves an entry awaiting approval."""
    obj = _lock(obj)
    if not _can_approve(actor, obj):
        raise PermissionDenied
    _check(obj.approval_status, S.APPROVED)
    before = obj.approval_status
    obj.approval_status, obj.approved_by, obj.approved_at = S.APPROVED, actor, timezone.now()
    obj.rejection_reason = ""
    obj.save(update_fields=["approval_status", "approved_by", "approved_at", "rejection_reason", "updated_at"])
    audit_record(actor=actor, action=f"{obj._meta.model_name}.approve", obj=obj,
                 changes={"approval_status": [before, S.APPROVED]})
    return obj


@transaction.atomic
def entry_reject(*, actor, obj: models.Model, reason: str) -> models.Model:
    """Return an entry to its author with a reason."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    obj = _lock(obj)
    if not _can_approve(actor, obj):
        raise PermissionDenied
    _check(obj.approval_status, S.REJECTED)
    before = obj.approval_status
    obj.approval_status, obj.rejection_reason = S.REJECTED, reason.strip()[:1000]
    obj.approved_by, obj.approved_at = None, None
    obj.save(update_fields=["approval_status", "rejection_reason", "approved_by", "approved_at", "updated_at"])
    audit_record(actor=actor, action=f"{obj._meta.model_name}.reject", obj=obj,
                 changes={"approval_status": [before, S.REJECTED], "reason": obj.rejection_reason})
    return obj
