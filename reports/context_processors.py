"""Navigation entries of the annual reports."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geoportal.accounts.choices import Role
from geoportal.scopes import Capability, scope_for


def reports_nav(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        scope = scope_for(user)
        if scope.has(Role.ENTERPRISE_USER):
            items.append({"label": _("Enterprise portal"), "url": reverse("reports:portal")})
        if Capability.WORKSPACE in scope.capabilities:
            items.append({"label": _("Annual reports"), "url": reverse("reports:officer-list")})
    return {"reports_nav": items}
