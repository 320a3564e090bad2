"""Scoped reads for user accounts and API tokens."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import UserManager
from django.db.models import Q
from django.utils import timezone

from geoportal.accounts.choices import Role
from geoportal.scopes import EVERYTHING, NOTHING, Action, Scope, ScopedQuerySet


class UserQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope, action: Action) -> Q:
        if scope.is_anonymous:
            return NOTHING
        if action == Action.VIEW:
            if scope.everything:
                return EVERYTHING
            own = Q(pk=scope.user_id)
            if scope.organisation_id and not scope.read_only:
                own |= Q(organisation_id=scope.organisation_id)
            return own
        if action == Action.APPROVE:  # periodic review: the Department checks every account
            return EVERYTHING if scope.everything else NOTHING
        if action in (Action.CHANGE, Action.MANAGE):
            return EVERYTHING if scope.is_admin else NOTHING
        return NOTHING

    def due_for_review(self, now=None) -> "UserQuerySet":
        now = now or timezone.now()
        limit = now - timedelta(days=settings.ACCOUNT_REVIEW_INTERVAL_DAYS)
        return self.filter(is_active=True).filter(
            Q(last_reviewed_at__isnull=True) | Q(last_reviewed_at__lt=limit)
        )

    def unused(self, now=None) -> "UserQuerySet":
        now = now or timezone.now()
        limit = now - timedelta(days=settings.ACCOUNT_UNUSED_DAYS)
        return self.filter(is_active=True).filter(
            Q(last_login__isnull=True, date_joined__lt=limit) | Q(last_login__lt=limit)
        )

    def with_role(self, role: Role) -> "UserQuerySet":
        return self.filter(roles__contains=[role])


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class ApiTokenQuerySet(ScopedQuerySet):
    def scope_q(self, scope: Scope, action: Action) -> Q:
        if scope.is_anonymous:
            return NOTHING
        if scope.is_admin:
            return EVERYTHING
        return Q(user_id=scope.user_id) if action == Action.VIEW else NOTHING

    def usable(self, now=None) -> "ApiTokenQuerySet":
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )
