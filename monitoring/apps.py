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
        from monitoring.services import push  # noqa: F401  (its signals drop the parameter look-up cache)

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

        # Units, parameters and limit sets are catalogues the department admin edits at /catalogues/,
        # with a revision history. Readings and limits refer to them (PROTECT): codes are fixed once
        # created, and a limit set or value is ended (valid until today) rather than deleted.
        from geoportal.catalogues.registry import (
            ManagedCatalogue,
            date_order_check,
            end_validity,
            in_force,
            register_managed,
        )
        from monitoring.models import LimitSet, LimitValue, Parameter, Unit

        register_managed(ManagedCatalogue(
            "units", _("Measurement units"), Unit, fields=("code", "name_vi", "name_en", "aliases"),
            ordering=("code",), search_fields=("code", "name_vi", "name_en"), create_only=("code",)))
        register_managed(ManagedCatalogue(
            "parameters", _("Monitoring parameters"), Parameter,
            fields=("code", "name_vi", "name_en", "medium", "unit", "molar_mass", "aliases", "aqi_code"),
            ordering=("medium", "code"), list_display=("code", "name_vi", "medium", "unit", "aqi_code"),
            list_select_related=("unit",), search_fields=("code", "name_vi", "name_en"), create_only=("code",)))
        register_managed(ManagedCatalogue(
            "limit-sets", _("Limit sets (technical regulations)"), LimitSet,
            fields=("code", "column", "title_vi", "title_en", "medium", "effective_from", "effective_to",
                    "certainty", "legal_basis", "source"),
            ordering=("code", "column"),
            list_display=("code", "column", "title_vi", "medium", "effective_from", "effective_to"),
            search_fields=("code", "title_vi", "title_en"), create_only=("code", "column"),
            deactivate=end_validity("effective_from", "effective_to"),
            is_active=in_force("effective_from", "effective_to"),
            checks=(date_order_check("effective_from", "effective_to"),)))
        register_managed(ManagedCatalogue(
            "limit-values", _("Limit values"), LimitValue,
            fields=("limit_set", "parameter", "averaging", "lower", "upper", "unit", "valid_from", "valid_to",
                    "multiplied", "certainty"),
            ordering=("limit_set__code", "limit_set__column", "parameter__code", "averaging"),
            list_display=("limit_set", "parameter", "averaging", "lower", "upper", "unit", "valid_to"),
            list_select_related=("limit_set", "parameter", "unit"),
            search_fields=("limit_set__code", "parameter__code"),
            deactivate=end_validity("valid_from", "valid_to"), is_active=in_force("valid_from", "valid_to"),
            checks=(date_order_check("valid_from", "valid_to"),)))
