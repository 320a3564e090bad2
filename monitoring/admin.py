"""Django admin of the monitoring network (department admin); every change audited,
maps offline. Readings are not edited here: they are data of record from the stations."""
from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from geoportal.core.admin import AuditedModelAdmin, ViewOnlyAdmin, ViewOnlyInline
from geoportal.core.widgets import OfflineMapWidget
from monitoring import models as m


class StationParameterInline(admin.TabularInline):
    model = m.StationParameter
    extra = 0
    autocomplete_fields = ("parameter",)


@admin.register(m.Station)
class StationAdmin(AuditedModelAdmin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = ("code", "name", "kind", "mode", "facility", "admin_unit", "last_reading_at", "approval_status")
    list_filter = ("kind", "mode", "approval_status", "is_demo")
    search_fields = ("code", "name", "datalogger_code")
    list_select_related = ("facility", "admin_unit")
    raw_id_fields = ("facility", "operator", "discharge_stream", "admin_unit")
    readonly_fields = ("last_reading_at", "created_at", "updated_at")
    inlines = [StationParameterInline]


@admin.register(m.Parameter)
class ParameterAdmin(ViewOnlyAdmin):
    list_display = ("code", "name_vi", "medium", "unit", "aqi_code")
    list_filter = ("medium",)
    search_fields = ("code", "name_vi", "name_en", "aliases")


@admin.register(m.Unit)
class UnitAdmin(ViewOnlyAdmin):
    list_display = ("code", "name_vi")
    search_fields = ("code", "aliases")


class LimitValueInline(ViewOnlyInline):
    model = m.LimitValue
    extra = 0
    raw_id_fields = ("parameter", "unit")


@admin.register(m.LimitSet)
class LimitSetAdmin(ViewOnlyAdmin):
    list_display = ("code", "column", "medium", "effective_from", "effective_to", "certainty")
    list_filter = ("medium", "certainty")
    readonly_fields = ("sha256",)
    inlines = [LimitValueInline]


@admin.register(m.PermitLimit)
class PermitLimitAdmin(AuditedModelAdmin):
    list_display = ("discharge_stream", "parameter", "averaging", "lower", "upper", "unit")
    raw_id_fields = ("discharge_stream", "parameter", "unit")


@admin.register(m.StationToken)
class StationTokenAdmin(admin.ModelAdmin):
    list_display = ("station", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("station", "prefix", "digest", "created_at", "created_by", "expires_at", "last_used_at")

    def has_add_permission(self, request):
        return False  # tokens are made with `manage.py station_token` (the secret is shown once)


@admin.register(m.ExceedanceEvent)
class ExceedanceEventAdmin(admin.ModelAdmin):
    list_display = ("station", "parameter", "averaging", "started_at", "ended_at", "peak_value", "limit_upper",
                    "notified_at")
    list_filter = ("averaging",)
    list_select_related = ("station", "parameter")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(m.SamplingCampaign)
class SamplingCampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "sampled_from", "sampled_to", "rows", "created_at")
