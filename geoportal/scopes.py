"""The scope mechanism: who may see or act on what, decided in one place.

Every scoped model's QuerySet subclasses `ScopedQuerySet` and implements
`scope_q(scope, action)`; views and viewsets fetch objects only through
`Model.objects.for_user(user, action)`. An object outside the user's scope is
simply absent, so it answers 404, never 403 (DESIGN.md section 4, STYLE.md 4).

Function-level rights (may this user open the audit log at all?) are
capabilities granted by roles, listed in `ROLE_CAPABILITIES`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.http import Http404

from geoportal.accounts.choices import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    APPROVE = "approve"
    MANAGE = "manage"  # administer: users, roles, scopes, catalogues, handovers


class Capability(StrEnum):
    ACCOUNTS_VIEW = "accounts.view"
    ACCOUNTS_REVIEW = "accounts.review"
    ACCOUNTS_MANAGE = "accounts.manage"  # handover, roles, scopes, tokens
    ORGANISATIONS_VIEW = "organisations.view"
    AUDIT_VIEW = "audit.view"
    CATALOGUES_MANAGE = "catalogues.manage"
    # The officer workspace (/officer/…): dashboard, statistics, work queues, report review
    # lists. What each page then shows is still limited by the officer's scope.
    WORKSPACE = "workspace.view"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.DEPT_ADMIN: frozenset(Capability),
    Role.DEPT_OFFICER: frozenset(
        {Capability.ACCOUNTS_VIEW, Capability.ACCOUNTS_REVIEW, Capability.ORGANISATIONS_VIEW, Capability.WORKSPACE}
    ),
    Role.EZ_OFFICER: frozenset({Capability.ACCOUNTS_VIEW, Capability.ORGANISATIONS_VIEW, Capability.WORKSPACE}),
    Role.COMMUNE_OFFICER: frozenset({Capability.ACCOUNTS_VIEW, Capability.ORGANISATIONS_VIEW, Capability.WORKSPACE}),
    Role.COMMUNE_CHAIRMAN: frozenset({Capability.ACCOUNTS_VIEW, Capability.ORGANISATIONS_VIEW, Capability.WORKSPACE}),
    Role.ENTERPRISE_USER: frozenset({Capability.ACCOUNTS_VIEW, Capability.ORGANISATIONS_VIEW}),
    Role.CONNECTION: frozenset(),
}

NOTHING = Q(pk__in=[])
EVERYTHING = Q()


@dataclass(frozen=True)
class Scope:
    """What a user covers. Built once per request from the user's roles and organisation."""

    user_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    organisation_id: int | None = None
    organisation_kind: str | None = None
    unit_ids: frozenset[int] = field(default_factory=frozenset)  # communes covered
    everything: bool = False  # the Department sees the whole city
    read_only: bool = False  # connection accounts

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def is_admin(self) -> bool:
        return Role.DEPT_ADMIN in self.roles

    @property
    def capabilities(self) -> frozenset[Capability]:
        caps: set[Capability] = set()
        for role in self.roles:
            caps |= ROLE_CAPABILITIES.get(role, frozenset())
        return frozenset(caps)

    def has(self, role: str) -> bool:
        return role in self.roles


PUBLIC = Scope()
_DEPARTMENT_ROLES = {Role.DEPT_ADMIN, Role.DEPT_OFFICER}
_COMMUNE_ROLES = {Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN}


def scope_for(user: "AnonymousUser | models.Model | None") -> Scope:
    """The scope of `user`, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return PUBLIC
    cached = getattr(user, "_geoportal_scope", None)
    if cached is not None:
        return cached
    roles = frozenset(user.roles or [])
    if user.is_superuser:
        roles = roles | {Role.DEPT_ADMIN}
    org = user.organisation  # select_related by the auth backend's get_user
    org_kind = org.kind if org else None
    unit_ids: set[int] = set(user.scope_units.values_list("pk", flat=True)) if user.pk else set()
    if org is not None and org.admin_unit_id and roles & _COMMUNE_ROLES:
        unit_ids.add(org.admin_unit_id)
    scope = Scope(
        user_id=user.pk,
        roles=roles,
        organisation_id=org.pk if org else None,
        organisation_kind=org_kind,
        unit_ids=frozenset(unit_ids),
        everything=bool(roles & _DEPARTMENT_ROLES),
        read_only=roles <= {Role.CONNECTION} and bool(roles),
    )
    user._geoportal_scope = scope
    return scope


def has_capability(user, capability: Capability) -> bool:
    return capability in scope_for(user).capabilities


class ScopedQuerySet(models.QuerySet):
    """Base of every scoped model's QuerySet: the single permission choke point."""

    def for_user(self, user, action: Action = Action.VIEW) -> "ScopedQuerySet":
        return self.filter(self.scope_q(scope_for(user), Action(action)))

    def scope_q(self, scope: Scope, action: Action) -> Q:  # pragma: no cover - abstract
        raise NotImplementedError(f"{self.model.__name__} must define scope_q()")


def get_scoped_or_404(queryset: ScopedQuerySet, user, action: Action = Action.VIEW, **lookup):
    """Fetch one object through the user's scope; anything else is a 404."""
    try:
        return queryset.for_user(user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
