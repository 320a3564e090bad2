"""Every write to accounts: typed, keyword-only, atomic, audited."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

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
    # The same rules as the access page (one department admin, commune roles need a commune…).
    validate_access(actor=actor, user=user, organisation=user.organisation, roles=roles,
                    unit_ids=list(user.scope_units.values_list("pk", flat=True)))
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
    if not active:
        # Re-enabling the account later must not bring old keys back to life.
        for token in ApiToken.objects.filter(user=locked, revoked_at__isnull=True).order_by("pk"):
            token_revoke(actor=actor, token=token)
    return locked


@transaction.atomic
def user_oidc_unbind(*, actor, user: User, reason: str) -> User:
    """Release the account from its bound central identity (geoportal/accounts/oidc.py)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = locked.oidc_subject
    locked.oidc_subject = ""
    locked.save(update_fields=["oidc_subject"])
    audit_record(actor=actor, action="auth.oidc_unbind", obj=locked, changes={"oidc_subject": [before, ""],
                                                                             "reason": reason})
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


# --- Roles and data scopes, periodic review in bulk (issue 7) ---------------------------------
_COMMUNE_ROLES = {Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN}


def _access_of(user: User) -> dict:
    """What an account may do and cover, as stored: the before/after of an access change."""
    return {
        "roles": sorted(user.roles or []),
        "organisation": user.organisation_id,
        "scope_units": sorted(user.scope_units.values_list("pk", flat=True)),
    }


def validate_access(
    *, actor, user: User, organisation: Organisation | None, roles: list[str], unit_ids: list[int],
) -> None:
    """The rules of an account's access beyond `validate_roles` (DESIGN.md section 4)."""
    validate_roles(organisation=organisation, roles=roles)
    commune_roles = set(roles) & _COMMUNE_ROLES
    if commune_roles and not unit_ids and not (organisation is not None and organisation.admin_unit_id):
        raise ValidationError({"scope_units": _("A commune role needs a commune: the organisation's own "
                                                "commune or additional communes.")})
    if unit_ids and not commune_roles:
        # scope_for() widens any account by its extra units: on an enterprise or a connection
        # account they would open whole communes, so only commune roles may hold them.
        raise ValidationError({"scope_units": _("Additional communes can only be given to commune officers "
                                                "and chairmen.")})
    if Role.DEPT_ADMIN in roles:
        # Lock the Department's rows so that two concurrent grants cannot both pass the check.
        list(Organisation.objects.select_for_update().filter(kind=OrganisationKind.DEPARTMENT).values_list("pk"))
        other = (User.objects.filter(is_active=True, roles__contains=[Role.DEPT_ADMIN])
                 .exclude(pk=user.pk).order_by("pk").first())
        if other is not None:
            raise ValidationError({"roles": _(
                "%(u)s is already the department administrator; the regulation allows one. "
                "Remove the role from that account first.") % {"u": other.username}})
    if actor is not None and actor.pk == user.pk and Role.DEPT_ADMIN in (user.roles or []) \
            and Role.DEPT_ADMIN not in roles:
        raise ValidationError({"roles": _("You cannot remove your own administrator role.")})
    if organisation is None or organisation.pk != user.organisation_id:
        held = Organisation.objects.filter(account_holder=user).order_by("pk").first()
        if held is not None:
            raise ValidationError({"organisation": _(
                "This person holds the account of %(org)s: hand it over before moving them.") % {"org": held}})


@transaction.atomic
def user_update_access(
    *, actor, user: User, roles: list[str], organisation: Organisation | None, scope_units, reason: str,
) -> User:
    """Set an account's roles, organisation and additional communes; audited with before and after.

    Nothing is written (and no event recorded) when nothing changes.
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    locked = User.objects.select_for_update().get(pk=user.pk)
    unit_ids = sorted({unit.pk for unit in scope_units})
    roles = sorted(set(roles))
    validate_access(actor=actor, user=locked, organisation=organisation, roles=roles, unit_ids=unit_ids)
    before = _access_of(locked)
    after = {"roles": roles, "organisation": organisation.pk if organisation else None, "scope_units": unit_ids}
    if before == after:
        return locked
    locked.roles = roles
    locked.organisation = organisation
    locked.full_clean()
    locked.save(update_fields=["roles", "organisation"])
    locked.scope_units.set(unit_ids)
    audit_record(actor=actor, action="user.access", obj=locked,
                 changes={"before": before, "after": after, "reason": reason.strip()})
    return locked


@transaction.atomic
def users_mark_reviewed(*, actor, users: list[User], note: str = "") -> list[User]:
    """The periodic review of several accounts at once: one audit event per account."""
    if not users:
        raise ValidationError({"accounts": _("Select at least one account.")})
    return [user_mark_reviewed(actor=actor, user=user, note=note) for user in users]


@transaction.atomic
def users_disable(*, actor, users: list[User], reason: str) -> list[User]:
    """Disable several accounts after a review: logged out everywhere, their API tokens revoked.

    All or nothing: one refused account (the actor's own) refuses the whole batch.
    """
    if not users:
        raise ValidationError({"accounts": _("Select at least one account.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    if actor is not None and any(user.pk == actor.pk for user in users):
        raise ValidationError({"accounts": _("You cannot disable your own account.")})
    disabled = []
    for user in users:
        disabled.append(user_set_active(actor=actor, user=user, active=False, reason=reason.strip()))
        for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("pk"):
            token_revoke(actor=actor, token=token)
    return disabled


def _hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


# A connection account's token lives at most a year: data-sharing agreements between agencies
# are renewed yearly, and a key that leaks (config files, e-mails) stays usable only until its
# expiry. Renewal is a new token, issued after checking the agreement still holds.
CONNECTION_TOKEN_MAX_DAYS = 365
# Upper bound of a stated rate: far above any agency's batch job, low enough that a runaway
# client cannot take the API down for the others.
TOKEN_RATE_LIMIT_MAX = 6000


def token_validate_grants(grants: dict) -> dict[str, list[str] | str]:
    """Check {collection: [field, …] or "*"} against the exchange schema; returns it normalised
    (fields in schema order, duplicates dropped)."""
    from exchange.schema import COLLECTIONS  # lazy: the schema is the exchange app's contract

    if not isinstance(grants, dict):
        raise ValidationError({"grants": _("The grants must map collections to fields.")})
    clean: dict[str, list[str] | str] = {}
    for key, fields in grants.items():
        collection = COLLECTIONS.get(key)
        if collection is None:
            raise ValidationError({"grants": _("Unknown collection: %(c)s.") % {"c": key}})
        if fields == "*":
            clean[key] = "*"
            continue
        if not isinstance(fields, (list, tuple)) or not all(isinstance(f, str) for f in fields):
            raise ValidationError({"grants": _("The fields of %(c)s must be a list of names.") % {"c": key}})
        unknown = set(fields) - collection.field_set
        if unknown:
            raise ValidationError({"grants": _("Unknown fields of %(c)s: %(f)s.") % {
                "c": key, "f": ", ".join(sorted(unknown))}})
        if not fields:
            raise ValidationError({"grants": _("Choose at least one field of %(c)s.") % {"c": key}})
        clean[key] = [f for f in collection.fields if f in set(fields)]
    return clean


@transaction.atomic
def token_create(
    *, actor, user: User, name: str, expires_at: datetime | None = None, grants: dict | None = None,
    rate_limit_per_minute: int | None = None,
) -> tuple[ApiToken, str]:
    """Issue an API token. Returns the token and its raw key, shown once."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    if rate_limit_per_minute is not None and not 1 <= rate_limit_per_minute <= TOKEN_RATE_LIMIT_MAX:
        raise ValidationError({"rate_limit_per_minute": _("Give a rate between 1 and %(max)d requests per minute.")
                               % {"max": TOKEN_RATE_LIMIT_MAX}})
    grants = token_validate_grants(grants) if grants else {}
    raw = "hpg_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=raw[:12], key_hash=_hash_key(raw), expires_at=expires_at,
                     grants=grants, rate_limit_per_minute=rate_limit_per_minute)
    token.full_clean()
    token.save()
    audit_record(actor=actor, action="token.create", obj=token,
                 changes={"user": user.pk, "name": name, "expires_at": expires_at, "grants": grants,
                          "rate_limit_per_minute": rate_limit_per_minute})
    return token, raw


@transaction.atomic
def connection_token_create(
    *, actor, user: User, name: str, expires_at: datetime, grants: dict, rate_limit_per_minute: int,
) -> tuple[ApiToken, str]:
    """Issue another agency's token: a connection account, stated grants, a rate and an expiry
    within CONNECTION_TOKEN_MAX_DAYS. Returns the token and its raw key, shown once."""
    if Role.CONNECTION not in (user.roles or []):
        raise ValidationError({"user": _("Only connection accounts get tokens here.")})
    if not user.is_active:
        raise ValidationError({"user": _("This account is disabled.")})
    if expires_at is None:
        raise ValidationError({"expires_at": _("A connection token needs an expiry.")})
    if expires_at > timezone.now() + timedelta(days=CONNECTION_TOKEN_MAX_DAYS + 1):
        raise ValidationError({"expires_at": _("A connection token lasts at most %(days)d days.")
                               % {"days": CONNECTION_TOKEN_MAX_DAYS}})
    if not grants:
        raise ValidationError({"grants": _("Grant at least one collection.")})
    if rate_limit_per_minute is None:
        raise ValidationError({"rate_limit_per_minute": _("State the rate limit.")})
    return token_create(actor=actor, user=user, name=name, expires_at=expires_at, grants=grants,
                        rate_limit_per_minute=rate_limit_per_minute)


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke at once: the next request with this key is refused (keys are looked up in the
    database on every request, never cached)."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="token.revoke", obj=locked, changes={"revoked_at": locked.revoked_at})
    token.revoked_at = locked.revoked_at
    return locked


class TokenRefused(Exception):
    """A raw key that does not authenticate; `code` says why (TOKEN_* constants)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


TOKEN_INVALID = "invalid"
TOKEN_REVOKED = "revoked"
TOKEN_EXPIRED = "expired"
TOKEN_USER_DISABLED = "user_disabled"


def token_check(raw: str, *, now: datetime | None = None) -> ApiToken:
    """The token of a raw key, or TokenRefused. One query, no cache, so that a revocation or an
    expiry takes effect on the very next request."""
    if not raw or len(raw) > 200:
        raise TokenRefused(TOKEN_INVALID)
    token = ApiToken.objects.select_related("user", "user__organisation").filter(key_hash=_hash_key(raw)).first()
    if token is None:
        raise TokenRefused(TOKEN_INVALID)
    if token.revoked_at is not None:
        raise TokenRefused(TOKEN_REVOKED)
    if token.expires_at is not None and token.expires_at <= (now or timezone.now()):
        raise TokenRefused(TOKEN_EXPIRED)
    if not token.user.is_active:
        raise TokenRefused(TOKEN_USER_DISABLED)
    return token


def token_lookup(raw: str) -> ApiToken | None:
    """The usable token for a raw key, or None (unknown, revoked, expired, user disabled)."""
    try:
        return token_check(raw)
    except TokenRefused:
        return None
