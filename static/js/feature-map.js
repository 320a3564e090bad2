/* Small map on a feature page: the feature over our administrative units. */
(function () {
  "use strict";
  var el = document.getElementById("feature-map");
  var data = document.getElementById("feature-geojson");
  if (!el || !data || !window.L) { return; }
  var feature = JSON.parse(data.textContent);
  var map = L.map(el, { scrollWheelZoom: false });
  if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map); }
  fetch(el.dataset.units).then(function (r) { return r.ok ? r.json() : null; }).then(function (fc) {
    if (fc) {
      L.geoJSON(fc, { interactive: false, style: { color: "#8a949e", weight: 1, fillColor: "#dfe9f0", fillOpacity: 0.6 } })
        .addTo(map).bringToBack();
    }
  });
  var layer = L.geoJSON(feature, {
    style: { color: "#b3261e", weight: 2, fillOpacity: 0.25 },
    pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 8, color: "#b3261e", fillOpacity: 0.8 }); }
  }).addTo(map);
  var b = layer.getBounds();
  if (feature.geometry.type === "Point") { map.setView(b.getCenter(), 14); } else { map.fitBounds(b, { maxZoom: 15 }); }
  el.dataset.loaded = "1";
})();
