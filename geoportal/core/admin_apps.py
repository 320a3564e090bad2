from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "geoportal.core.admin_site.PortalAdminSite"
