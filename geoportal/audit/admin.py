from django.contrib import admin

from geoportal.audit.models import AuditEvent
from geoportal.core.admin import ViewOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyAdmin):
    """Read-only: the log is append-only, the database refuses updates and deletes."""

    list_display = ("at", "actor_username", "organisation", "action", "object_repr", "ip")
    list_filter = ("action", "content_type")
    search_fields = ("actor_username", "object_repr", "action", "object_id", "digest")
    date_hierarchy = "at"
    list_select_related = ("organisation",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

