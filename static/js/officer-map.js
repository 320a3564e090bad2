/* Officer map: facilities in scope coloured by compliance; filters and the visible
   bounding box drive both the map data and the "export what I see" link. */
(function () {
  "use strict";
  var el = document.getElementById("officer-map");
  if (!el || !window.L) { return; }
  var colors = JSON.parse(document.getElementById("compliance-colors").textContent);
  var form = document.querySelector("[data-role=filters]");
  var exportLink = document.querySelector("[data-role=export]");
  var shown = document.querySelector("[data-role=shown]");
  var map = L.map(el, { preferCanvas: true }).setView([20.86, 106.6], 10);
  if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map); }
  fetch(el.dataset.units).then(function (r) { return r.ok ? r.json() : null; }).then(function (fc) {
    if (fc) { L.geoJSON(fc, { interactive: false, style: { color: "#8a949e", weight: 1, fillColor: "#f4f1e8", fillOpacity: 0.8 } }).addTo(map).bringToBack(); }
  });
  var layer = L.layerGroup().addTo(map);
  function params(withBbox) {
    var p = new URLSearchParams(new FormData(form));
    if (withBbox) { var b = map.getBounds(); p.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",")); }
    return p;
  }
  function load() {
    fetch(el.dataset.url + "?" + params(false).toString()).then(function (r) { return r.json(); }).then(function (fc) {
      layer.clearLayers();
      L.geoJSON(fc, {
        pointToLayer: function (f, ll) { return L.circleMarker(ll, { radius: 5, weight: 1, color: "#fff", fillColor: colors[f.properties.compliance] || "#555", fillOpacity: 0.9 }); },
        onEachFeature: function (f, lyr) {
          var div = document.createElement("div");
          var a = document.createElement("a"); a.href = "/facilities/" + f.id + "/"; a.textContent = f.properties.name; div.appendChild(a);
          var s = document.createElement("div"); s.className = "small";
          s.textContent = (f.properties.permit_expiry ? "GPMT → " + f.properties.permit_expiry : "") + (f.properties.open_remedies ? " · " + f.properties.open_remedies + " ⚠" : "");
          div.appendChild(s); lyr.bindPopup(div);
        }
      }).addTo(layer);
      shown.textContent = String(fc.features.length);
      el.dataset.loaded = String(fc.features.length);
    });
  }
  function updateExport() { var p = params(true); p.set("format", "csv"); exportLink.href = el.dataset.url + "?" + p.toString(); }
  form.addEventListener("change", function () { load(); updateExport(); });
  map.on("moveend", updateExport);
  load(); updateExport();
})();
