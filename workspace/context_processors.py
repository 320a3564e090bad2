"""Navigation entry of the officer workspace (for users with Capability.WORKSPACE)."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geoportal.accounts.choices import Role
from geoportal.scopes import Capability, has_capability, scope_for


def workspace_nav(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated and has_capability(user, Capability.WORKSPACE):
        items.append({"label": _("Workspace"), "url": reverse("workspace:dashboard")})
        items.append({"label": _("Statistics"), "url": reverse("workspace:statistics")})
        scope = scope_for(user)
        if scope.everything or scope.has(Role.EZ_OFFICER):  # Mẫu 03 (the city) and Mẫu 02 (the EZ board)
            items.append({"label": _("Compiled reports"), "url": reverse("workspace:compiled")})
        if scope.everything:  # packages hold the whole city: the Department's
            items.append({"label": _("Data packages"), "url": reverse("exchange:packages")})
    return {"workspace_nav": items}
