from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    label = "reports"
    verbose_name = _("Annual environmental protection reports")

    def ready(self):
        from layers.panels import register_panel
        from reports.panels import reports_panel

        register_panel(reports_panel)

        # The monitoring sections of a report are prefilled from the station data
        # (reports may read monitoring; monitoring never imports reports: DESIGN.md 2).
        from django.apps import apps

        if apps.is_installed("monitoring"):
            from monitoring.prefill import monitoring_prefill
            from reports.prefill import PREFILL_PROVIDERS

            if monitoring_prefill not in PREFILL_PROVIDERS:
                PREFILL_PROVIDERS.append(monitoring_prefill)

        # Form versions and their deadlines are a catalogue the department admin edits at /catalogues/,
        # with a revision history. New versions come as files (load_report_forms). A version that already
        # has submissions (copies of record) is not changed: the rule of reports/formdefs.py.
        from geoportal.catalogues.registry import (
            ManagedCatalogue,
            date_order_check,
            in_force,
            month_day_check,
            register_managed,
        )
        from reports.models import FormDefinition, ReportSubmission

        def _has_submissions(form):
            if ReportSubmission.objects.filter(form=form).exists():
                return _("This form version already has submitted reports, so it is not changed: "
                         "publish a new version instead.")
            return None

        register_managed(ManagedCatalogue(
            "form-versions", _("Report form versions and deadlines"), FormDefinition,
            fields=("title_vi", "title_en", "legal_basis", "effective_from", "effective_to",
                    "deadline_month", "deadline_day"),
            ordering=("code", "-effective_from"),
            list_display=("code", "version", "applies_to", "effective_from", "effective_to",
                          "deadline_month", "deadline_day"),
            search_fields=("code", "version", "title_vi", "title_en"),
            is_active=in_force("effective_from", "effective_to"), locked=_has_submissions,
            checks=(date_order_check("effective_from", "effective_to"),
                    month_day_check("deadline_month", "deadline_day")),
            snapshot_exclude=("definition",), allow_create=False))
