"""The public map at `/`: published layers as vector tiles over our own
administrative units (tiles from a base-map server only when configured)."""
from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db.models.functions import Envelope
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from geoportal.core.html import json_for_script
from geoportal.organisations.models import AdministrativeUnit
from layers.models import LAYER_MODELS, IndustrialZone, LayerPublication

# Map style of each layer (the legend shows the same colours).
LAYER_STYLE = {
    "facilities": {"color": "#b3261e", "kind": "point"},
    "zones": {"color": "#6a3d9a", "kind": "area"},
    "protected-areas": {"color": "#1b7837", "kind": "area"},
    "degraded-areas": {"color": "#e66101", "kind": "area"},
    "incidents": {"color": "#d6604d", "kind": "point"},
    "craft-villages": {"color": "#8c510a", "kind": "point"},
    "waste-facilities": {"color": "#4d4d4d", "kind": "point"},
    "water-areas": {"color": "#2166ac", "kind": "area"},
}
DEFAULT_ON = ("facilities", "zones", "protected-areas")


@require_safe
def public_map(request):
    pubs = {p.layer: p for p in LayerPublication.objects.filter(is_public=True)}
    layers = [{"slug": slug, "title": pubs[slug].title, "on": slug in DEFAULT_ON, **LAYER_STYLE[slug]}
              for slug in LAYER_MODELS if slug in pubs]
    options = {
        "layers": layers,
        "units_url": reverse("adminunit-geojson") + "?simplify=0.0005",
        "tiles_template": "/tiles/{layer}/{z}/{x}/{y}.mvt",
        "search_url": reverse("search"),
        "crs_url": reverse("crs-transform"),
        "basemap": settings.BASEMAP_TILE_URL,
        "basemap_attribution": settings.BASEMAP_ATTRIBUTION,
    }
    context = {
        "map_options": json_for_script(options),
        "layers": layers,
        "units": AdministrativeUnit.objects.order_by("name").only("pk", "name", "kind"),
        "zones": [{"pk": z.pk, "name": z.name, "bbox": ",".join(f"{v:.5f}" for v in z.env.extent)}
                  for z in IndustrialZone.objects.published().annotate(env=Envelope("geom")).order_by("name")
                  .only("pk", "name")],
    }
    return render(request, "layers/public_map.html", context)
