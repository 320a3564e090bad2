"""Map widgets that work offline and under our CSP.

Django's OpenLayers widgets load OpenLayers from a CDN, draw NASA or OSM tiles and
configure the map in an inline <script>. Ours use the vendored OpenLayers, pass the
options as JSON data (not executable, so the CSP allows it), and draw our own
administrative units as the base map, adding tiles only when BASEMAP_TILE_URL is set.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.gis.forms.widgets import OpenLayersWidget
from django.urls import reverse

from geoportal.core.html import json_for_script


class OfflineMapWidget(OpenLayersWidget):
    template_name = "gis/portal-openlayers.html"
    default_lon = 106.68
    default_lat = 20.86
    default_zoom = 10

    class Media:
        extend = False  # drop the parent's CDN assets
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/ol.js", "gis/js/OLMapWidget.js", "js/map-widget-init.js")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget_options"] = {
            "geom_name": context["geom_type"],
            "id": context["id"],
            "map_id": f"{context['id']}_map",
            "map_srid": self.map_srid,
            "name": name,
            "default_lon": self.attrs.get("default_lon", self.default_lon),
            "default_lat": self.attrs.get("default_lat", self.default_lat),
            "default_zoom": self.attrs.get("default_zoom", self.default_zoom),
            "units_url": reverse("adminunit-geojson") + "?simplify=0.0005",
            "tile_url": settings.BASEMAP_TILE_URL,
        }
        # json_script-style escaping: no "</script>" can break out of the data block.
        context["widget_options_json"] = json_for_script(context["widget_options"])
        return context
