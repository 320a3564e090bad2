"""What each layer page shows: its model, list columns and filters. One place, so that
lists, detail pages, imports and (later) publishing agree on the layers."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from layers import filters
from layers.models import (
    CraftVillage,
    DegradedArea,
    Facility,
    Incident,
    IndustrialZone,
    ProtectedArea,
    WasteFacility,
    WaterArea,
)


@dataclass(frozen=True)
class Layer:
    slug: str
    model: type
    title: object
    columns: tuple[str, ...]  # field names shown in the list after name and unit
    filterset: type
    select_related: tuple[str, ...] = ("admin_unit",)
    detail_fields: tuple[str, ...] = field(default_factory=tuple)


LAYERS: dict[str, Layer] = {layer.slug: layer for layer in [
    Layer("facilities", Facility, _("Facilities"), ("zone", "sector", "permit_class", "status"),
          filters.FacilityFilter, ("admin_unit", "zone", "sector"),
          ("owner_organisation", "tax_code", "business_registration", "address", "admin_unit", "zone", "sector",
           "activity", "capacity", "operating_frequency", "season_note", "project_group", "permit_class",
           "iso14001", "iso14001_certificate", "status", "representative", "contact_phone")),
    Layer("zones", IndustrialZone, _("Industrial zones and clusters"), ("kind", "area_ha", "occupancy_pct"),
          filters.ZoneFilter, ("admin_unit",),
          ("kind", "code", "area_ha", "investor_organisation", "managing_board", "occupancy_pct", "established_by",
           "cwwtp_capacity_m3_day", "cwwtp_status", "admin_unit")),
    Layer("protected-areas", ProtectedArea, _("Protected areas and biodiversity sites"),
          ("category", "designation", "area_ha"), filters.feature_filter_for(ProtectedArea), ("admin_unit",),
          ("category", "designation", "legal_basis", "area_ha", "management_body", "admin_unit")),
    Layer("degraded-areas", DegradedArea, _("Polluted, sensitive or degraded areas"), ("kind", "media"),
          filters.feature_filter_for(DegradedArea), ("admin_unit",),
          ("kind", "media", "pollutants", "identified_on", "measures", "admin_unit")),
    Layer("incidents", Incident, _("Environmental incidents"), ("occurred_on", "resolved_on"),
          filters.feature_filter_for(Incident), ("admin_unit",),
          ("occurred_on", "cause", "response", "facility", "resolved_on", "admin_unit")),
    Layer("craft-villages", CraftVillage, _("Craft villages"), ("products", "households"),
          filters.feature_filter_for(CraftVillage), ("admin_unit",),
          ("products", "households", "recognised_by", "pollution_note", "admin_unit")),
    Layer("waste-facilities", WasteFacility, _("Waste treatment facilities"), ("kind", "capacity_t_day"),
          filters.feature_filter_for(WasteFacility), ("admin_unit",),
          ("kind", "operator", "capacity_t_day", "technology", "admin_unit")),
    Layer("water-areas", WaterArea, _("River basins, coastal and marine areas"), ("kind", "water_bodies"),
          filters.feature_filter_for(WaterArea), ("admin_unit",), ("kind", "water_bodies", "admin_unit")),
]}


def layer_for_model(model) -> Layer | None:
    return next((layer for layer in LAYERS.values() if layer.model is model), None)


def register_layer(layer: Layer, *, api_fields: tuple[str, ...], style: dict, import_columns: tuple = ()) -> None:
    """Add a layer defined by an app built on layers (monitoring's stations) to every
    layer-driven part: pages, API, tiles, OGC API, exports, publication, map style and
    (when `import_columns` are given) the importer. Called from the app's ready()."""
    from layers.api.views import API_FIELDS
    from layers.imports.columns import LAYER_COLUMNS
    from layers.map_views import LAYER_STYLE
    from layers.models import LAYER_MODELS

    LAYERS[layer.slug] = layer
    LAYER_MODELS[layer.slug] = layer.model
    API_FIELDS[layer.slug] = api_fields
    LAYER_STYLE[layer.slug] = style
    if import_columns:
        LAYER_COLUMNS[layer.slug] = import_columns
