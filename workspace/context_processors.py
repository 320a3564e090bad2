"""Navigation entry of the officer workspace (for users with Capability.WORKSPACE)."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geoportal.scopes import Capability, has_capability, scope_for


def workspace_nav(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated and has_capability(user, Capability.WORKSPACE):
        items.append({"label": _("Workspace"), "url": reverse("workspace:dashboard")})
        items.append({"label": _("Statistics"), "url": reverse("workspace:statistics")})
        if scope_for(user).everything:  # packages hold the whole city: the Department's
            items.append({"label": _("Data packages"), "url": reverse("exchange:packages")})
    return {"workspace_nav": items}
