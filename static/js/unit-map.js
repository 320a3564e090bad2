/* Map of the administrative units. Works with no tile server: the units drawn from
   our own database are the base map; tiles are added only when configured. */
(function () {
  "use strict";
  var el = document.getElementById("unit-map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { zoomSnap: 0.5, attributionControl: true }).setView([20.86, 106.6], 9);
  var tiles = el.dataset.tiles;
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
  }
  var colours = { phuong: "#2b7bb9", xa: "#4f9d52", dac_khu: "#c9762b" };
  fetch(el.dataset.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(function (fc) {
      var layer = L.geoJSON(fc, {
        style: function (f) {
          return { color: "#ffffff", weight: 1, fillColor: colours[f.properties.kind] || "#888", fillOpacity: 0.55 };
        },
        onEachFeature: function (f, lyr) {
          var p = f.properties;
          var div = document.createElement("div");
          var b = document.createElement("strong"); b.textContent = p.name; div.appendChild(b);
          var s = document.createElement("div"); s.textContent = p.former_district ? (p.former_district + " · " + p.former_province) : ""; div.appendChild(s);
          lyr.bindPopup(div);
          lyr.bindTooltip(p.name, { sticky: true });
        }
      }).addTo(map);
      el.dataset.loaded = String(fc.features.length);
      // Fit the wards and communes; the offshore special zones (Bạch Long Vĩ is 130 km
      // out at sea) would zoom the city out to a speck.
      var mainland = fc.features.filter(function (f) { return f.properties.kind !== "dac_khu"; });
      if (mainland.length) { map.fitBounds(L.geoJSON({ type: "FeatureCollection", features: mainland }).getBounds()); }
    })
    .catch(function (err) { el.dataset.error = String(err); });
})();
