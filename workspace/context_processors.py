"""Navigation of the officer workspace (for users with Capability.WORKSPACE): one entry in the
site menu, and the workspace's own pages, linked from its dashboard."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geoportal.accounts.choices import Role
from geoportal.scopes import Capability, has_capability, scope_for


def workspace_nav(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not has_capability(user, Capability.WORKSPACE):
        return {"workspace_nav": [], "workspace_links": []}
    links = [{"label": _("Work queues"), "url": reverse("workspace:queues")},
             {"label": _("Statistics"), "url": reverse("workspace:statistics")}]
    scope = scope_for(user)
    if scope.everything or scope.has(Role.EZ_OFFICER):  # Mẫu 03 (the city) and Mẫu 02 (the EZ board)
        links.append({"label": _("Compiled reports"), "url": reverse("workspace:compiled")})
    if scope.everything:  # packages hold the whole city: the Department's
        links.append({"label": _("Data packages"), "url": reverse("exchange:packages")})
    if has_capability(user, Capability.ACCOUNTS_REVIEW):
        links.append({"label": _("Periodic account review"), "url": reverse("accounts:review-queue")})
    return {"workspace_nav": [{"label": _("Workspace"), "url": reverse("workspace:dashboard")}],
            "workspace_links": links}
