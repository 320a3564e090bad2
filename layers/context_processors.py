"""Navigation entries of the register (kept here: geoportal/ does not import layers/)."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from geoportal.accounts.choices import Role
from geoportal.scopes import scope_for
from layers.registry import LAYERS


def register_nav(request):
    user = getattr(request, "user", None)
    items = [{"label": _("Open data"), "url": reverse("layers:catalogue")}]
    if user is not None and user.is_authenticated:
        scope = scope_for(user)
        items.append({"label": _("Register"), "url": reverse("layers:list", args=["facilities"])})
        if not scope.read_only:
            items.append({"label": _("Officer map"), "url": reverse("layers:officer-map")})
        if scope.everything or scope.has(Role.COMMUNE_CHAIRMAN):
            items.append({"label": _("Approvals"), "url": reverse("layers:approvals")})
        if scope.everything or scope.unit_ids or scope.has(Role.EZ_OFFICER):
            items.append({"label": _("Monthly updates"), "url": reverse("layers:monthly")})
            items.append({"label": _("Imports"), "url": reverse("layers:imports:list")})
    return {"all_layers": LAYERS, "register_nav": items}
