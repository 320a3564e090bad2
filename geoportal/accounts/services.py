"""Every write to accounts: typed, keyword-only, atomic, audited."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geoportal.accounts.choices import Role
from geoportal.accounts.models import AccountHandover, ApiToken
from geoportal.audit.services import audit_record, diff, snapshot
from geoportal.organisations.choices import OrganisationKind
from geoportal.organisations.models import Organisation

User = get_user_model()

# Which roles fit which kind of organisation (DESIGN.md section 4).
ROLES_BY_KIND: dict[str, set[str]] = {
    OrganisationKind.DEPARTMENT: {Role.DEPT_ADMIN, Role.DEPT_OFFICER},
    OrganisationKind.EZ_BOARD: {Role.EZ_OFFICER},
    OrganisationKind.COMMUNE: {Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN},
    OrganisationKind.ENTERPRISE: {Role.ENTERPRISE_USER},
    OrganisationKind.AGENCY: {Role.CONNECTION},
}


def validate_roles(*, organisation: Organisation | None, roles: list[str]) -> None:
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %(r)s") % {"r": ", ".join(sorted(unknown))}})
    if roles and organisation is None:
        raise ValidationError({"organisation": _("A user with roles must belong to an organisation.")})
    if organisation is not None:
        allowed = ROLES_BY_KIND.get(organisation.kind, set())
        wrong = set(roles) - allowed
        if wrong:
            labels = dict(Role.choices)
            raise ValidationError({"roles": _("%(roles)s cannot be held in a %(kind)s.") % {
                "roles": ", ".join(str(labels[r]) for r in sorted(wrong)),
                "kind": organisation.get_kind_display(),
            }})


def _end_sessions(user) -> int:
    """Log a user out everywhere (server-side sessions), e.g. after deactivation."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_create(
    *, actor, username: str, organisation: Organisation | None, roles: list[str],
    password: str | None = None, email: str = "", first_name: str = "", last_name: str = "",
    is_staff: bool = False,
) -> User:
    """Create an account in an organisation with roles that fit it."""
    validate_roles(organisation=organisation, roles=roles)
    user = User(
        username=username, organisation=organisation, roles=sorted(set(roles)), email=email,
        first_name=first_name, last_name=last_name, is_staff=is_staff,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(actor=actor, action="user.create", obj=user, changes=snapshot(user))
    return user


@transaction.atomic
def user_update_roles(*, actor, user: User, roles: list[str]) -> User:
    before = snapshot(user, ["roles"])
    validate_roles(organisation=user.organisation, roles=roles)
    user.roles = sorted(set(roles))
    user.full_clean()
    user.save(update_fields=["roles"])
    audit_record(actor=actor, action="user.roles", obj=user, changes=diff(before, snapshot(user, ["roles"])))
    return user


@transaction.atomic
def user_mark_reviewed(*, actor, user: User, note: str = "") -> User:
    """Record the periodic review of an account (who checked it, and when)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(locked, ["last_reviewed_at", "last_reviewed_by"])
    locked.last_reviewed_at = timezone.now()
    locked.last_reviewed_by = actor
    locked.save(update_fields=["last_reviewed_at", "last_reviewed_by"])
    changes = diff(before, snapshot(locked, ["last_reviewed_at", "last_reviewed_by"]))
    if note:
        changes["note"] = note
    audit_record(actor=actor, action="user.review", obj=locked, changes=changes)
    return locked


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool, reason: str) -> User:
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(locked, ["is_active"])
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    if not active:
        _end_sessions(locked)
    audit_record(
        actor=actor, action="user.activate" if active else "user.deactivate", obj=locked,
        changes={**diff(before, snapshot(locked, ["is_active"])), "reason": reason},
    )
    return locked


@transaction.atomic
def account_handover(
    *, actor, organisation: Organisation, to_user: User, reason: str,
    deactivate_previous: bool = True,
) -> AccountHandover:
    """Transfer an organisation's account to a new person when staff change.

    The new holder must belong to the organisation. The previous holder is
    deactivated (and logged out everywhere) unless told otherwise.
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the handover.")})
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if to_user.organisation_id != org.pk:
        raise ValidationError({"to_user": _("The new holder must belong to %(org)s.") % {"org": org}})
    if not to_user.is_active:
        raise ValidationError({"to_user": _("The new holder's account is disabled.")})
    previous = org.account_holder
    if previous is not None and previous.pk == to_user.pk:
        raise ValidationError({"to_user": _("This person already holds the account.")})
    handover = AccountHandover.objects.create(
        organisation=org, from_user=previous, to_user=to_user, performed_by=actor,
        reason=reason.strip(), previous_deactivated=bool(previous and deactivate_previous),
    )
    org.account_holder = to_user
    org.save(update_fields=["account_holder", "updated_at"])
    if previous is not None and deactivate_previous:
        User.objects.filter(pk=previous.pk).update(is_active=False)
        _end_sessions(previous)
    audit_record(
        actor=actor, action="organisation.handover", obj=org, organisation=org,
        changes={
            "account_holder": [previous.pk if previous else None, to_user.pk],
            "previous_username": previous.username if previous else None,
            "new_username": to_user.username,
            "previous_deactivated": handover.previous_deactivated,
            "reason": handover.reason,
        },
    )
    return handover


def _hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, actor, user: User, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """Issue an API token. Returns the token and its raw key, shown once."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    raw = "hpg_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=raw[:12], key_hash=_hash_key(raw), expires_at=expires_at)
    token.full_clean()
    token.save()
    audit_record(actor=actor, action="token.create", obj=token,
                 changes={"user": user.pk, "name": name, "expires_at": expires_at})
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke at once: the next request with this key is refused."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="token.revoke", obj=token, changes={"revoked_at": token.revoked_at})
    return token


def token_lookup(raw: str) -> ApiToken | None:
    """The usable token for a raw key, or None (unknown, revoked, expired, user disabled)."""
    if not raw or len(raw) > 200:
        return None
    return ApiToken.objects.usable().select_related("user", "user__organisation").filter(
        key_hash=_hash_key(raw)
    ).first()
