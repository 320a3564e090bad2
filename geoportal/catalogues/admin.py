from django.contrib import admin

from geoportal.catalogues.models import Catalogue, CatalogueEntry, Revision
from geoportal.core.admin import ViewOnlyAdmin, ViewOnlyInline


class CatalogueEntryInline(ViewOnlyInline):
    model = CatalogueEntry
    extra = 0
    fields = ("code", "name_vi", "name_en", "sort_order", "is_active", "valid_from", "valid_to")


@admin.register(Catalogue)
class CatalogueAdmin(ViewOnlyAdmin):
    list_display = ("code", "name_vi", "name_en", "legal_basis")
    search_fields = ("code", "name_vi", "name_en")


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(ViewOnlyAdmin):
    list_display = ("catalogue", "code", "name_vi", "name_en", "is_active", "valid_from", "valid_to")
    list_filter = ("catalogue", "is_active")
    search_fields = ("code", "name_vi", "name_en")
    list_select_related = ("catalogue",)


@admin.register(Revision)
class RevisionAdmin(ViewOnlyAdmin):
    """Read-only: revisions are append-only (a database trigger refuses updates and deletes)."""

    list_display = ("at", "catalogue", "object_repr", "version", "action", "actor_username")
    list_filter = ("catalogue", "action")
    search_fields = ("object_repr", "object_id", "actor_username", "comment")
    date_hierarchy = "at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

