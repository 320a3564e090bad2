"""The Django admin belongs to the department admin: staff status alone is not enough."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from geoportal.scopes import Capability, has_capability


class PortalAdminSite(admin.AdminSite):
    site_header = _("Hai Phong environmental geoportal – administration")
    site_title = _("Geoportal administration")
    index_title = _("Organisations, accounts and catalogues")

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(
            user.is_active and user.is_staff
            and has_capability(user, Capability.CATALOGUES_MANAGE)
        )
