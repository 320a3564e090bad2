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
