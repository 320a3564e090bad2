from django.contrib import admin

from geoportal.catalogues.models import Catalogue, CatalogueEntry
from geoportal.core.admin import AuditedModelAdmin


class CatalogueEntryInline(admin.TabularInline):
    model = CatalogueEntry
    extra = 0
    fields = ("code", "name_vi", "name_en", "sort_order", "is_active", "valid_from", "valid_to")


@admin.register(Catalogue)
class CatalogueAdmin(AuditedModelAdmin):
    list_display = ("code", "name_vi", "name_en", "legal_basis")
    search_fields = ("code", "name_vi", "name_en")


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(AuditedModelAdmin):
    list_display = ("catalogue", "code", "name_vi", "name_en", "is_active", "valid_from", "valid_to")
    list_filter = ("catalogue", "is_active")
    search_fields = ("code", "name_vi", "name_en")
    list_select_related = ("catalogue",)
