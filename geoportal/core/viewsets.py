"""Base views and viewsets: every object is fetched through `for_user(user, action)`."""
from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from rest_framework import permissions, viewsets

from geoportal.scopes import Action, Capability, has_capability

_METHOD_ACTIONS = {
    "GET": Action.VIEW, "HEAD": Action.VIEW, "OPTIONS": Action.VIEW,
    "POST": Action.CHANGE, "PUT": Action.CHANGE, "PATCH": Action.CHANGE, "DELETE": Action.CHANGE,
}


class ScopedViewSetMixin:
    """Applies the scope in get_queryset(), so list, retrieve and every custom action
    see only what the user may; an out-of-scope id is a 404 from get_object()."""

    scope_action: Action | None = None  # default: from the HTTP method

    def get_scope_action(self) -> Action:
        return self.scope_action or _METHOD_ACTIONS.get(self.request.method, Action.VIEW)

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.for_user(self.request.user, self.get_scope_action())


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


def capability_permission(capability: Capability) -> type[permissions.BasePermission]:
    """A DRF permission class: 401 for anonymous, 403 without the capability."""

    class _HasCapability(permissions.BasePermission):
        message = "permission_denied"

        def has_permission(self, request, view) -> bool:
            if not request.user or not request.user.is_authenticated:
                return False
            return has_capability(request.user, capability)

    _HasCapability.__name__ = f"Has_{capability.value.replace('.', '_')}"
    return _HasCapability


class ScopedViewMixin:
    """For Django class-based views: get_queryset() is the model's for_user(...)."""

    model = None
    scope_action: Action = Action.VIEW

    def get_queryset(self):
        return self.model._default_manager.all().for_user(self.request.user, self.scope_action)


class CapabilityRequiredMixin(AccessMixin):
    """HTML pages: anonymous users go to the login page, others need the capability (403)."""

    capability: Capability | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.capability is not None and not has_capability(request.user, self.capability):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
