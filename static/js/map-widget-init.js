/* Starts Django's MapWidget for every widget on the page from its JSON options
   (see geoportal/core/widgets.py). Base map: our administrative units, plus tiles
   when a tile URL is configured. */
(function () {
  "use strict";
  function start() {
    document.querySelectorAll("script[data-map-widget]").forEach(function (node) {
      if (node.dataset.started) { return; }
      node.dataset.started = "1";
      var o = JSON.parse(node.textContent);
      var units = new ol.layer.Vector({
        source: new ol.source.Vector({ url: o.units_url, format: new ol.format.GeoJSON() }),
        style: new ol.style.Style({ stroke: new ol.style.Stroke({ color: "#5b6673", width: 1 }),
                                    fill: new ol.style.Fill({ color: "rgba(79,157,82,0.12)" }) })
      });
      var base = units;
      if (o.tile_url) {
        base = new ol.layer.Group({ layers: [new ol.layer.Tile({ source: new ol.source.XYZ({ url: o.tile_url }) }), units] });
      }
      var widget = new MapWidget({
        base_layer: base, geom_name: o.geom_name, id: o.id, map_id: o.map_id, map_srid: o.map_srid,
        name: o.name, default_lon: o.default_lon, default_lat: o.default_lat, default_zoom: o.default_zoom
      });
      window["geodjango_" + o.name] = widget;
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
