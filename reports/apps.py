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
