"""Django admin of the reports (department admin). Form versions' deadlines and validity
dates are editable (audited); reports and copies of record are read-only here: their
status changes only through reports/services/workflow.py."""
from django.contrib import admin

from geoportal.core.admin import ViewOnlyAdmin
from reports import models as m


@admin.register(m.FormDefinition)
class FormDefinitionAdmin(ViewOnlyAdmin):
    list_display = ("code", "version", "applies_to", "effective_from", "effective_to", "deadline_day",
                    "deadline_month", "loaded_at")
    list_filter = ("applies_to", "code")
    readonly_fields = ("code", "version", "applies_to", "definition", "sha256", "loaded_at")
    fields = ("code", "version", "applies_to", "title_vi", "title_en", "legal_basis", "effective_from",
              "effective_to", "deadline_month", "deadline_day", "sha256", "loaded_at", "definition")

    def has_add_permission(self, request):
        return False  # new versions are data files: fixtures/reports/forms/ + load_report_forms

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Report)
class ReportAdmin(ViewOnlyAdmin):
    list_display = ("__str__", "year", "status", "revision", "organisation", "admin_unit", "first_submitted_at")
    list_filter = ("year", "status", "form__code")
    search_fields = ("facility__name", "zone__name", "organisation__name", "organisation__tax_code")
    list_select_related = ("form", "facility", "zone", "organisation", "admin_unit")


@admin.register(m.ReportSubmission)
class ReportSubmissionAdmin(ViewOnlyAdmin):
    list_display = ("__str__", "received_at", "sha256", "signer_name", "signer_tax_code", "outcome")
    list_filter = ("outcome", "signing_path")
    list_select_related = ("report__form", "report__facility", "report__zone")


@admin.register(m.ReminderLog)
class ReminderLogAdmin(ViewOnlyAdmin):
    list_display = ("year", "kind", "facility", "zone", "recipients", "sent_at")
    list_filter = ("year", "kind")
