"""Django admin for the register (department admin): every edit audited; maps offline."""
from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from geoportal.core.admin import AuditedModelAdmin
from geoportal.core.widgets import OfflineMapWidget
from layers import models as m


class FeatureAdmin(AuditedModelAdmin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = ("name", "admin_unit", "approval_status", "needs_review", "is_demo", "updated_at")
    list_filter = ("approval_status", "needs_review", "is_demo")
    search_fields = ("name",)
    list_select_related = ("admin_unit",)
    readonly_fields = ("entered_by", "approved_by", "approved_at", "submitted_at", "created_at", "updated_at")
    raw_id_fields = ("admin_unit",)


@admin.register(m.Facility)
class FacilityAdmin(FeatureAdmin):
    list_display = ("name", "tax_code", "admin_unit", "zone", "permit_class", "status", "approval_status")
    list_filter = ("permit_class", "status", "project_group", "approval_status", "needs_review", "is_demo")
    search_fields = ("name", "tax_code", "address")
    list_select_related = ("admin_unit", "zone")
    raw_id_fields = ("admin_unit", "zone", "owner_organisation", "sector")


@admin.register(m.IndustrialZone)
class ZoneAdmin(FeatureAdmin):
    list_display = ("name", "kind", "area_ha", "admin_unit", "approval_status")
    list_filter = ("kind", "approval_status", "is_demo")
    raw_id_fields = ("admin_unit", "investor_organisation", "managing_board")


class SpeciesRecordInline(admin.TabularInline):
    model = m.SpeciesRecord
    extra = 0
    raw_id_fields = ("species",)


@admin.register(m.ProtectedArea)
class ProtectedAreaAdmin(FeatureAdmin):
    inlines = [SpeciesRecordInline]


for model in (m.DegradedArea, m.Incident, m.CraftVillage, m.WasteFacility, m.WaterArea):
    admin.site.register(model, FeatureAdmin)


@admin.register(m.Species)
class SpeciesAdmin(AuditedModelAdmin):
    list_display = ("scientific_name", "vietnamese_name", "red_book", "endangered", "endemic", "migratory",
                    "invasive_alien")
    list_filter = ("endangered", "endemic", "migratory", "invasive_alien")
    search_fields = ("scientific_name", "vietnamese_name")


class DischargeStreamInline(admin.StackedInline):
    model = m.DischargeStream
    extra = 0


class TrialOperationInline(admin.TabularInline):
    model = m.TrialOperation
    extra = 0


@admin.register(m.Permit)
class PermitAdmin(AuditedModelAdmin):
    list_display = ("__str__", "facility", "zone", "signed_on", "term_years", "expires_on", "kind", "approval_status")
    list_filter = ("kind", "approval_status", "is_demo")
    search_fields = ("number", "facility__name")
    raw_id_fields = ("facility", "zone", "supersedes", "issuer")
    list_select_related = ("facility", "zone")
    inlines = [DischargeStreamInline, TrialOperationInline]
    readonly_fields = ("entered_by", "approved_by", "approved_at", "submitted_at")


class RemedyInline(admin.TabularInline):
    model = m.Remedy
    extra = 0


@admin.register(m.Inspection)
class InspectionAdmin(AuditedModelAdmin):
    list_display = ("inspected_on", "authority", "facility", "zone", "kind", "approval_status")
    list_filter = ("kind", "approval_status")
    raw_id_fields = ("facility", "zone")
    list_select_related = ("facility", "zone")
    inlines = [RemedyInline]
    readonly_fields = ("entered_by", "approved_by", "approved_at", "submitted_at")


for model in (m.EnvironmentalRegistration, m.EIADecision):
    admin.site.register(model, type(f"{model.__name__}Admin", (AuditedModelAdmin,), {
        "raw_id_fields": ("facility", "zone", "related_permit"),
        "readonly_fields": ("entered_by", "approved_by", "approved_at", "submitted_at")}))
admin.site.register(m.SEAReport, AuditedModelAdmin)


@admin.register(m.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "media_type", "size", "content_type", "object_id", "uploaded_at")
    readonly_fields = ("file", "original_name", "media_type", "size", "sha256", "uploaded_by", "uploaded_at",
                       "content_type", "object_id")

    def has_add_permission(self, request):
        return False  # documents are attached through the checked upload service


@admin.register(m.ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("original_name", "layer", "status", "created_count", "updated_count", "rejected_count",
                    "uploaded_by", "created_at")
    readonly_fields = [f.name for f in m.ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(m.MonthlyUpdate)
class MonthlyUpdateAdmin(admin.ModelAdmin):
    list_display = ("organisation", "period", "changes", "declared_no_change", "last_at")
    list_filter = ("period",)


@admin.register(m.LayerPublication)
class LayerPublicationAdmin(AuditedModelAdmin):
    """The Department decides which layers and fields are open data."""

    list_display = ("layer", "is_public", "licence", "update_frequency", "updated_at")
    list_filter = ("is_public", "update_frequency")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        from layers.publishing import forget

        forget(obj.layer)
