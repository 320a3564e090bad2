"""Template context shared by every page: navigation for the user's roles."""
from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geoportal.scopes import Capability, has_capability


def portal(request):
    user = getattr(request, "user", None)
    nav = [{"label": _("Home"), "url": reverse("home")}]
    if user is not None and user.is_authenticated:
        if has_capability(user, Capability.ACCOUNTS_VIEW):
            nav.append({"label": _("Accounts"), "url": reverse("accounts:user-list")})
        if has_capability(user, Capability.ORGANISATIONS_VIEW):
            nav.append({"label": _("Organisations"), "url": reverse("organisations:list")})
        if has_capability(user, Capability.AUDIT_VIEW):
            nav.append({"label": _("Audit log"), "url": reverse("audit:list")})
        if has_capability(user, Capability.WORKSPACE):
            nav.append({"label": _("Catalogues"), "url": reverse("catalogues:index")})
        if has_capability(user, Capability.ACCOUNTS_MANAGE):
            nav.append({"label": _("Connection accounts"), "url": reverse("exchange:connection-list")})
        if user.is_staff:
            nav.append({"label": _("Administration"), "url": reverse("admin:index")})
    nav.append({"label": _("API"), "url": reverse("api-docs")})
    return {
        "nav_items": nav,
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "basemap_tile_url": settings.BASEMAP_TILE_URL,
        "basemap_attribution": settings.BASEMAP_ATTRIBUTION,
        "is_demo_site": getattr(settings, "DEMO_SITE", True),
    }
