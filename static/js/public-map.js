/* The public map: published layers as vector tiles (our /tiles/ endpoint) over our own
   administrative units; search, go-to filters, locate by WGS84 or VN-2000 coordinates,
   and a share link that keeps the view (#zoom/lat/lon/layers). No CDN, no inline script. */
(function () {
  "use strict";
  var el = document.getElementById("public-map");
  var optNode = document.getElementById("map-options");
  if (!el || !optNode || !window.L) { return; }
  var opt = JSON.parse(optNode.textContent);
  var panel = document.querySelector(".map-panel");
  var map = L.map(el, { zoomSnap: 0.5, preferCanvas: true });
  // Our units are the base map (overlay pane, 400); the published layers draw above them.
  map.createPane("features").style.zIndex = 450;
  var active = {};
  var byLayer = {};
  var filters = {};  // admin_unit / zone: applied to the tiles themselves
  opt.layers.forEach(function (l) { byLayer[l.slug] = l; });

  if (opt.basemap) { L.tileLayer(opt.basemap, { maxZoom: 19, attribution: opt.basemap_attribution || "" }).addTo(map); }
  var unitsLayer = null;
  var unitsById = {};
  fetch(opt.units_url).then(function (r) { return r.ok ? r.json() : null; }).then(function (fc) {
    if (!fc) { return; }
    unitsLayer = L.geoJSON(fc, {
      interactive: false,
      style: { color: "#8a949e", weight: 1, fillColor: "#f4f1e8", fillOpacity: opt.basemap ? 0.1 : 0.9 },
      onEachFeature: function (f, lyr) { unitsById[String(f.id)] = lyr; }
    }).addTo(map);
    unitsLayer.bringToBack();
    el.dataset.units = String(fc.features.length);
  });

  function popupFor(slug, props) {
    var div = document.createElement("div");
    var b = document.createElement("strong"); b.textContent = props.name || ""; div.appendChild(b);
    var t = document.createElement("div"); t.className = "small"; t.textContent = (byLayer[slug] || {}).title || slug; div.appendChild(t);
    if (props.id !== undefined) {
      var a = document.createElement("a"); a.href = "/" + slug + "/" + props.id + "/"; a.textContent = "Chi tiết / Details";
      div.appendChild(a);
    }
    return div;
  }

  function makeLayer(l) {
    var style = l.kind === "point"
      ? { radius: 4, fill: true, fillColor: l.color, fillOpacity: 0.85, color: "#fff", weight: 1 }
      : { color: l.color, weight: 1.5, fill: true, fillColor: l.color, fillOpacity: 0.15 };
    var styles = {}; styles[l.slug] = style;
    var query = new URLSearchParams(filters).toString();
    var url = opt.tiles_template.replace("{layer}", l.slug) + (query ? "?" + query : "");
    var layer = L.vectorGrid.protobuf(url, {
      vectorTileLayerStyles: styles, interactive: true, maxNativeZoom: 18, rendererFactory: L.canvas.tile, pane: "features",
      getFeatureId: function (f) { return f.properties.id; }
    });
    layer.on("click", function (e) {
      L.popup().setLatLng(e.latlng).setContent(popupFor(l.slug, e.layer.properties || {})).openOn(map);
      el.dataset.popup = (e.layer.properties || {}).name || "";
    });
    return layer;
  }

  function setLayer(slug, on) {
    if (on && !active[slug] && byLayer[slug]) { active[slug] = makeLayer(byLayer[slug]).addTo(map); }
    if (!on && active[slug]) { map.removeLayer(active[slug]); delete active[slug]; }
    var box = panel.querySelector("[data-role=layer][value='" + slug + "']");
    if (box) { box.checked = !!on; }
    writeHash();
  }

  // --- share link: #zoom/lat/lon/layer1,layer2 ---
  function writeHash() {
    if (!map._loaded) { return; }
    var c = map.getCenter();
    var h = "#" + map.getZoom().toFixed(1) + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5) + "/" + Object.keys(active).join(",");
    if (window.location.hash !== h) { history.replaceState(null, "", h); }
  }
  function readHash() {
    var m = /^#([\d.]+)\/(-?[\d.]+)\/(-?[\d.]+)(?:\/([\w,-]*))?$/.exec(window.location.hash);
    if (!m) { return null; }
    return { zoom: parseFloat(m[1]), lat: parseFloat(m[2]), lon: parseFloat(m[3]), layers: m[4] !== undefined ? m[4].split(",").filter(Boolean) : null };
  }
  var start = readHash();
  if (start) { map.setView([start.lat, start.lon], start.zoom); } else { map.setView([20.86, 106.55], 9.5); }
  var initial = start && start.layers ? start.layers : opt.layers.filter(function (l) { return l.on; }).map(function (l) { return l.slug; });
  opt.layers.forEach(function (l) { setLayer(l.slug, initial.indexOf(l.slug) >= 0); });
  map.on("moveend", writeHash);
  writeHash();

  panel.querySelectorAll("[data-role=layer]").forEach(function (box) {
    box.addEventListener("change", function () { setLayer(box.value, box.checked); });
  });

  // --- search (diacritics folded on the server) ---
  var form = panel.querySelector("[data-role=search]");
  var results = panel.querySelector("[data-role=results]");
  var timer = null;
  function search() {
    var q = form.querySelector("input").value.trim();
    results.textContent = "";
    if (q.length < 2) { return; }
    fetch(opt.search_url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) {
        results.textContent = "";
        data.results.forEach(function (hit) {
          var li = document.createElement("li");
          var btn = document.createElement("button"); btn.type = "button";
          btn.textContent = hit.name + (hit.admin_unit ? " – " + hit.admin_unit : "");
          btn.addEventListener("click", function () {
            map.setView([hit.lat, hit.lon], 16);
            L.popup().setLatLng([hit.lat, hit.lon]).setContent(popupFor(hit.layer, { name: hit.name, id: hit.id })).openOn(map);
          });
          li.appendChild(btn); results.appendChild(li);
        });
        el.dataset.searchResults = String(data.results.length);
      });
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); search(); });
  form.querySelector("input").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 300); });

  // --- filter by a unit or a zone: the tiles carry only its features; the map zooms to it ---
  function refresh() {
    Object.keys(active).forEach(function (slug) { map.removeLayer(active[slug]); delete active[slug]; });
    panel.querySelectorAll("[data-role=layer]").forEach(function (box) { if (box.checked) { setLayer(box.value, true); } });
    el.dataset.filters = new URLSearchParams(filters).toString();
  }
  panel.querySelector("[data-role=unit]").addEventListener("change", function (e) {
    if (e.target.value) { filters.admin_unit = e.target.value; } else { delete filters.admin_unit; }
    var lyr = unitsById[e.target.value];
    if (lyr) { map.fitBounds(lyr.getBounds(), { maxZoom: 15 }); }
    refresh();
  });
  panel.querySelector("[data-role=zone]").addEventListener("change", function (e) {
    var o = e.target.selectedOptions[0];
    if (e.target.value) { filters.zone = e.target.value; } else { delete filters.zone; }
    if (o && o.dataset.bbox) {
      var b = o.dataset.bbox.split(",").map(parseFloat);
      map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { maxZoom: 16 });
    }
    refresh();
  });

  // --- locate by coordinates (VN-2000 converted by the server with PROJ) ---
  var loc = panel.querySelector("[data-role=locate]");
  var out = loc.querySelector("[data-role=locate-result]");
  loc.querySelector("[data-role=go]").addEventListener("click", function () {
    var srid = loc.querySelector("[data-role=crs]").value;
    var a = loc.querySelector("[data-role=a]").value, b = loc.querySelector("[data-role=b]").value;
    var url = opt.crs_url + (srid === "4326" ? "?srid=4326&lat=" + encodeURIComponent(a) + "&lon=" + encodeURIComponent(b)
      : "?srid=" + srid + "&x=" + encodeURIComponent(a) + "&y=" + encodeURIComponent(b));
    fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      if (!res.ok) {
        var errs = res.body.errors || {};
        out.textContent = Object.keys(errs).map(function (k) { return [].concat(errs[k]).join(" "); }).join(" ") || res.body.detail || "";
        return;
      }
      out.textContent = res.body.lat.toFixed(6) + ", " + res.body.lon.toFixed(6);
      map.setView([res.body.lat, res.body.lon], 16);
      L.circleMarker([res.body.lat, res.body.lon], { radius: 7, color: "#000" }).addTo(map);
    });
  });

  panel.querySelector("[data-role=share]").addEventListener("click", function () {
    writeHash();
    var link = window.location.href;
    var res = panel.querySelector("[data-role=share-result]");
    if (navigator.clipboard) { navigator.clipboard.writeText(link).then(function () { res.textContent = "✓"; }, function () { res.textContent = link; }); }
    else { res.textContent = link; }
  });
  el.dataset.ready = "1";
})();
