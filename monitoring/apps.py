from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    label = "monitoring"
    verbose_name = _("Environmental monitoring")

    def ready(self):
        # Stations are a map layer: register them with every layer-driven part of layers/
        # (pages, API, tiles, OGC API, exports, publication), which never imports monitoring.
        from layers import filters
        from layers.registry import Layer, register_layer
        from monitoring.models import Station

        register_layer(
            Layer("stations", Station, _("Monitoring stations"), ("code", "kind", "mode", "facility"),
                  filters.feature_filter_for(Station), ("admin_unit", "facility"),
                  ("code", "kind", "mode", "facility", "operator", "discharge_stream", "datalogger_code",
                   "transmits_since", "last_reading_at", "admin_unit")),
            api_fields=("code", "kind", "mode", "facility", "admin_unit", "last_reading_at"),
            style={"color": "#6a3d9a", "kind": "point"})

        from layers.panels import register_panel
        from monitoring.panels import monitoring_panel

        register_panel(monitoring_panel)

        # The officer map colours a facility with an ongoing exceedance first.
        from django.db.models import Exists, OuterRef

        from layers.officer_map import ComplianceFlag, register_compliance_flag
        from monitoring.models import ExceedanceEvent

        register_compliance_flag(ComplianceFlag(
            "exceedance", _("Ongoing exceedance at a monitoring station"), "#d7191c",
            lambda: Exists(ExceedanceEvent.objects.filter(station__facility=OuterRef("pk"), ended_at__isnull=True))))
