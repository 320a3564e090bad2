/* The public AQI map: each ambient station of the city network as a circle coloured by
   its VN_AQI category (Decision 1459/QĐ-TCMT Table 1), over our own administrative units
   (tiles only when a base map is configured). The popup lists every parameter's
   concentration and sub-index with the dominant one highlighted, and the health advice
   (Tables 4–5), as Table 3 requires. Data from #aqi-options; no CDN, no inline script. */
(function () {
  "use strict";
  var el = document.getElementById("aqi-map");
  var optNode = document.getElementById("aqi-options");
  if (!el || !optNode || !window.L) { return; }
  var opt = JSON.parse(optNode.textContent);
  var labels = opt.labels || {};
  var map = L.map(el, { zoomSnap: 0.5, preferCanvas: true });
  map.createPane("stations").style.zIndex = 450;
  if (opt.basemap) { L.tileLayer(opt.basemap, { maxZoom: 19, attribution: opt.basemap_attribution || "" }).addTo(map); }
  fetch(opt.units_url).then(function (r) { return r.ok ? r.json() : null; }).then(function (fc) {
    if (!fc) { return; }
    var units = L.geoJSON(fc, {
      interactive: false,
      style: { color: "#8a949e", weight: 1, fillColor: "#f4f1e8", fillOpacity: opt.basemap ? 0.1 : 0.9 }
    }).addTo(map);
    units.bringToBack();
    el.dataset.units = String(fc.features.length);
  });

  function text(tag, value, cls) {
    var n = document.createElement(tag);
    n.textContent = value === null || value === undefined ? "" : String(value);
    if (cls) { n.className = cls; }
    return n;
  }

  function popup(s) {
    var div = document.createElement("div");
    div.className = "aqi-popup";
    div.appendChild(text("strong", s.name));
    div.appendChild(text("div", s.code, "small"));
    if (s.aqi === null) {
      div.appendChild(text("p", labels.no_data));
    } else {
      var head = document.createElement("p");
      var badge = text("span", s.aqi, "aqi-badge" + (s.aqi > 200 ? " dark" : ""));
      badge.style.setProperty("--c", s.category.colour);
      head.appendChild(text("span", labels.aqi + " "));
      head.appendChild(badge);
      head.appendChild(text("span", " " + s.category.name));
      div.appendChild(head);
      var table = document.createElement("table");
      var tr = document.createElement("tr");
      [labels.parameter, labels.concentration, labels.sub_index].forEach(function (h) { tr.appendChild(text("th", h)); });
      table.appendChild(tr);
      s.sub_indices.forEach(function (x) {
        var row = document.createElement("tr");
        if (x.dominant) { row.className = "dominant"; row.dataset.dominant = "1"; }
        row.appendChild(text("td", x.parameter + (x.dominant ? " (" + labels.dominant + ")" : "")));
        row.appendChild(text("td", x.concentration));
        row.appendChild(text("td", x.aqi));
        table.appendChild(row);
      });
      div.appendChild(table);
      if (s.category.health) { div.appendChild(text("p", s.category.health, "small")); }
      if (s.category.advice_general) { div.appendChild(text("p", labels.general + ": " + s.category.advice_general, "small")); }
      if (s.category.advice_sensitive) { div.appendChild(text("p", labels.sensitive + ": " + s.category.advice_sensitive, "small")); }
    }
    var a = text("a", labels.details);
    a.href = s.url;
    div.appendChild(a);
    return div;
  }

  var bounds = [];
  var markers = {};
  opt.stations.forEach(function (s) {
    var colour = s.category ? s.category.colour : "#c8ccd0";
    var marker = L.circleMarker([s.lat, s.lon], {
      pane: "stations", radius: 11, color: "#333", weight: 1, fillColor: colour, fillOpacity: 0.95
    }).addTo(map);
    marker.bindTooltip(s.name + (s.aqi !== null ? " – " + s.aqi : ""));
    marker.bindPopup(function () { return popup(s); }, { maxWidth: 340 });
    marker.on("popupopen", function () { el.dataset.popup = s.code; });
    markers[s.code] = marker;
    bounds.push([s.lat, s.lon]);
  });
  if (bounds.length > 1) { map.fitBounds(bounds, { padding: [40, 40], maxZoom: 12 }); }
  else if (bounds.length === 1) { map.setView(bounds[0], 12); }
  else { map.setView([20.86, 106.55], 9.5); }
  // The station list opens the same popups (keyboard users cannot click a canvas marker).
  document.querySelectorAll("[data-role=show][data-station]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var m = markers[btn.dataset.station];
      if (!m) { return; }
      map.setView(m.getLatLng(), Math.max(map.getZoom(), 12));
      m.openPopup();
    });
  });
  el.dataset.stations = String(opt.stations.length);
  el.dataset.ready = "1";
})();
