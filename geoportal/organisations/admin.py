from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from geoportal.core.admin import AuditedModelAdmin
from geoportal.core.widgets import OfflineMapWidget
from geoportal.organisations.models import AdministrativeUnit, Organisation


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(AuditedModelAdmin, GISModelAdmin):
    list_display = ("name", "kind", "code", "former_district", "former_province", "is_approximate")
    list_filter = ("kind", "former_province", "is_approximate")
    search_fields = ("name", "code", "former_district")
    readonly_fields = ("updated_at",)
    # Vendored OpenLayers, our own units as the base map: works with no tile server.
    gis_widget = OfflineMapWidget


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "admin_unit", "tax_code", "account_holder", "is_active", "is_demo")
    list_filter = ("kind", "is_active", "is_demo")
    search_fields = ("name", "short_name", "tax_code", "admin_unit__name")
    autocomplete_fields = ("admin_unit", "account_holder")
    list_select_related = ("admin_unit", "account_holder")
    readonly_fields = ("created_at", "updated_at")
