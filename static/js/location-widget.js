/* Location widgets (layers/widgets.py): a point or an area on a Leaflet map, plus a
   coordinate box that converts VN-2000 / UTM / WGS 84 input live through
   /api/v1/crs/transform/. Options come from <script type="application/json"
   data-location-widget> (no inline script: the CSP forbids it). The base map is our
   own administrative units; tiles only when a tile URL is configured. */
(function () {
  "use strict";
  if (!window.L) { return; }

  var DIGITS = 7; // ~1 cm in degrees: enough for any cadastral point

  function round(v) { var f = Math.pow(10, DIGITS); return Math.round(v * f) / f; }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(fn, ms);
    };
  }

  function byId(id) { return document.getElementById(id); }

  function numberFormatter(lang, digits) {
    try {
      return new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB",
                                   { minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch (e) {
      return { format: function (v) { return Number(v).toFixed(digits); } };
    }
  }

  function problemMessages(body) {
    var out = [];
    function add(m) { if (m && out.indexOf(m) < 0) { out.push(String(m)); } }
    if (body && body.errors) {
      Object.keys(body.errors).forEach(function (k) {
        var v = body.errors[k];
        (Array.isArray(v) ? v : [v]).forEach(add);
      });
    }
    if (!out.length && body) { add(body.detail || body.title); }
    return out;
  }

  function init(o) {
    var root = byId(o.id + "_wrapper");
    var mapEl = byId(o.id + "_map");
    var value = byId(o.id);
    var sourceSrid = byId(o.id + "_source_srid");
    if (!root || !mapEl || !value) { return; }
    var crsSelect = byId(o.id + "_crs");
    var inputs = { x: byId(o.id + "_x"), y: byId(o.id + "_y"), lat: byId(o.id + "_lat"),
                   lon: byId(o.id + "_lon"), dms: byId(o.id + "_dms") };
    var result = byId(o.id + "_result");
    var applyButton = root.querySelector("[data-role='apply']");
    var degrees = numberFormatter(o.lang, 6);
    var metres = numberFormatter(o.lang, 3);
    var isPoint = o.kind === "point";

    var map = L.map(mapEl, { zoomSnap: 0.5 }).setView(o.center, o.zoom);
    if (o.tile_url) {
      L.tileLayer(o.tile_url, { maxZoom: 19, attribution: o.tile_attribution || "" }).addTo(map);
    }

    // --- the stored value ---------------------------------------------------------
    var marker = null;   // point mode
    var drawn = null;    // area mode: L.FeatureGroup of polygons
    var hasValue = false;

    function readValue() {
      var text = (value.value || "").trim();
      if (text.charAt(0) !== "{") { return null; }
      try { return JSON.parse(text); } catch (e) { return null; }
    }

    function writePoint(latlng) {
      value.value = JSON.stringify({ type: "Point", coordinates: [round(latlng.lng), round(latlng.lat)] });
      value.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function clearTypedCoordinates() {
      Object.keys(inputs).forEach(function (k) { if (inputs[k]) { inputs[k].value = ""; } });
    }

    function placeMarker(latlng) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true, pmIgnore: true }).addTo(map);
        marker.on("dragend", function () { movedOnMap(marker.getLatLng()); });
      } else {
        marker.setLatLng(latlng);
      }
      writePoint(latlng);
    }

    // A position chosen on the map: the map is now the source (WGS 84) and the typed
    // coordinates no longer describe the point, so they are cleared (the server
    // prefers typed coordinates when they are posted).
    function movedOnMap(latlng) {
      placeMarker(latlng);
      if (sourceSrid) { sourceSrid.value = "4326"; }
      clearTypedCoordinates();
      convert({ lon: String(round(latlng.lng)), lat: String(round(latlng.lat)) }, true);
    }

    function syncArea() {
      var parts = [];
      var layers = map.pm && map.pm.getGeomanLayers ? map.pm.getGeomanLayers() : drawn.getLayers();
      layers.forEach(function (layer) {
        if (!(layer instanceof L.Polygon) || !map.hasLayer(layer)) { return; }
        var g = layer.toGeoJSON(DIGITS).geometry;
        if (g.type === "Polygon") { parts.push(g.coordinates); }
        else if (g.type === "MultiPolygon") { g.coordinates.forEach(function (p) { parts.push(p); }); }
      });
      value.value = parts.length ? JSON.stringify({ type: "MultiPolygon", coordinates: parts }) : "";
      if (sourceSrid) { sourceSrid.value = "4326"; }
      value.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function watchLayer(layer) {
      layer.on("pm:edit pm:update pm:dragend pm:rotateend", syncArea);
    }

    var current = readValue();
    if (isPoint) {
      if (current && current.type === "Point") {
        var ll = L.latLng(current.coordinates[1], current.coordinates[0]);
        marker = L.marker(ll, { draggable: true, keyboard: true, pmIgnore: true }).addTo(map);
        marker.on("dragend", function () { movedOnMap(marker.getLatLng()); });
        map.setView(ll, 15);
        hasValue = true;
      }
      map.on("click", function (e) { movedOnMap(e.latlng); });
    } else {
      drawn = L.featureGroup().addTo(map);
      if (current && (current.type === "Polygon" || current.type === "MultiPolygon")) {
        var polys = current.type === "Polygon" ? [current.coordinates] : current.coordinates;
        polys.forEach(function (rings) {
          var layer = L.polygon(L.GeoJSON.coordsToLatLngs(rings, 1)).addTo(drawn);
          watchLayer(layer);
        });
        if (drawn.getLayers().length) { map.fitBounds(drawn.getBounds(), { maxZoom: 16 }); hasValue = true; }
      }
      if (map.pm) {
        if (o.geoman) { map.pm.setLang("portal", o.geoman, "en"); }
        map.pm.setGlobalOptions({ allowSelfIntersection: false, layerGroup: drawn, snappable: true });
        map.pm.addControls({
          position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false,
          drawCircle: false, drawText: false, rotateMode: false, drawRectangle: true,
          drawPolygon: true, editMode: true, dragMode: true, cutPolygon: true, removalMode: true
        });
        map.on("pm:create", function (e) {
          if (!drawn.hasLayer(e.layer)) { drawn.addLayer(e.layer); }
          watchLayer(e.layer);
          syncArea();
        });
        map.on("pm:cut", function (e) {
          if (e.layer && !drawn.hasLayer(e.layer)) { drawn.addLayer(e.layer); }
          if (e.layer) { watchLayer(e.layer); }
          syncArea();
        });
        map.on("pm:remove", syncArea);
        map.on("pm:globaleditmodetoggled pm:globaldragmodetoggled", syncArea);
      }
    }

    // --- base map: our administrative units -------------------------------------
    fetch(o.units_url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (fc) {
        var units = L.geoJSON(fc, {
          pmIgnore: true, interactive: false,
          style: { color: "#5b6673", weight: 1, fillColor: "#4f9d52", fillOpacity: 0.08 }
        }).addTo(map);
        units.bringToBack();
        mapEl.dataset.units = String(fc.features ? fc.features.length : 0);
        if (!hasValue) {
          // Fit the wards and communes; offshore special zones would shrink the city.
          var mainland = (fc.features || []).filter(function (f) { return f.properties.kind !== "dac_khu"; });
          if (mainland.length) { map.fitBounds(L.geoJSON({ type: "FeatureCollection", features: mainland }).getBounds()); }
        }
      })
      .catch(function (err) { mapEl.dataset.error = String(err); });

    // --- coordinate box: live conversion -----------------------------------------
    var preview = null;     // where the typed coordinates fall, before applying them
    var lastResult = null;
    var pending = null;     // AbortController of the request in flight

    function selectedKind() {
      if (!crsSelect) { return "projected"; }
      var opt = crsSelect.options[crsSelect.selectedIndex];
      return opt ? opt.getAttribute("data-kind") : "projected";
    }

    function showInputs() {
      var kind = selectedKind();
      root.querySelectorAll(".location-widget__coords [data-kind]").forEach(function (row) {
        if (row.tagName === "OPTION") { return; }
        row.hidden = row.getAttribute("data-kind") !== kind;
      });
    }

    function setResult(text, state) {
      if (!result) { return; }
      result.textContent = text;
      result.setAttribute("data-state", state || "");
    }

    function clearPreview() {
      if (preview) { map.removeLayer(preview); preview = null; }
    }

    function typedParams() {
      var kind = selectedKind();
      var v = function (k) { return inputs[k] ? inputs[k].value.trim() : ""; };
      if (kind === "projected") {
        if (!v("x") || !v("y")) { return null; }
        return { srid: crsSelect.value, x: v("x"), y: v("y") };
      }
      if (kind === "degrees") {
        if (!v("lat") || !v("lon")) { return null; }
        return { lat: v("lat"), lon: v("lon") };
      }
      if (!v("dms")) { return null; }
      return { dms: v("dms") };
    }

    function describe(body) {
      var lines = [o.i18n.wgs84 + ": " + o.i18n.lat + " " + degrees.format(body.lat) + "°, " +
                   o.i18n.lon + " " + degrees.format(body.lon) + "°"];
      if (body.vn2000_9210) {
        lines.push(o.i18n.vn2000 + ": X = " + metres.format(body.vn2000_9210.x) +
                   " m, Y = " + metres.format(body.vn2000_9210.y) + " m");
      }
      if (!body.in_vietnam) { lines.push(o.i18n.outside_vietnam); }
      else if (!body.in_hai_phong) { lines.push(o.i18n.outside_hai_phong); }
      return lines.join("\n");
    }

    // fromMap: the readout of a position placed on the map (no preview, no button).
    function convert(params, fromMap) {
      if (pending) { pending.abort(); pending = null; }
      lastResult = null;
      if (applyButton) { applyButton.disabled = true; }
      if (!params) { setResult("", ""); clearPreview(); return; }
      var query = Object.keys(params).map(function (k) {
        return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]);
      }).join("&");
      var controller = window.AbortController ? new AbortController() : null;
      pending = controller;
      setResult(o.i18n.converting, "busy");
      fetch(o.transform_url + "?" + query, {
        headers: { Accept: "application/json", "Accept-Language": o.lang },
        credentials: "same-origin", signal: controller ? controller.signal : undefined
      }).then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      }).then(function (res) {
        if (pending === controller) { pending = null; }
        if (!res.ok) {
          clearPreview();
          setResult(problemMessages(res.body).join("\n"), "error");
          return;
        }
        var body = res.body;
        setResult((fromMap ? o.i18n.placed_on_map + " · " : "") + describe(body),
                  body.in_vietnam ? (body.in_hai_phong ? "ok" : "warning") : "error");
        if (fromMap) { return; }
        lastResult = body;
        var ll = L.latLng(body.lat, body.lon);
        if (!preview) {
          preview = L.circleMarker(ll, { radius: 8, color: "#c9762b", dashArray: "3 3", pmIgnore: true,
                                         interactive: false }).addTo(map);
        } else {
          preview.setLatLng(ll);
        }
        if (body.in_vietnam && applyButton) { applyButton.disabled = false; }
      }).catch(function (err) {
        if (err && err.name === "AbortError") { return; }
        if (pending === controller) { pending = null; }
        setResult(isPoint ? o.i18n.unavailable : o.i18n.unavailable_area, "error");
      });
    }

    var convertSoon = debounce(function () { convert(typedParams(), false); }, o.debounce_ms || 400);

    if (crsSelect) {
      crsSelect.addEventListener("change", function () { showInputs(); convertSoon(); });
    }
    Object.keys(inputs).forEach(function (k) {
      if (inputs[k]) { inputs[k].addEventListener("input", convertSoon); }
    });
    if (applyButton) {
      applyButton.addEventListener("click", function () {
        if (!lastResult) { return; }
        var ll = L.latLng(lastResult.lat, lastResult.lon);
        clearPreview();
        if (isPoint) {
          placeMarker(ll);
          if (sourceSrid) { sourceSrid.value = String(lastResult.srid); }
        } else {
          preview = L.marker(ll, { pmIgnore: true, interactive: false }).addTo(map);
        }
        map.setView(ll, Math.max(map.getZoom(), 15));
      });
    }
    showInputs();
    if (typedParams()) { convert(typedParams(), false); }  // re-shown after a failed submit
    root.setAttribute("data-ready", "1");
  }

  function start() {
    document.querySelectorAll("script[type='application/json'][data-location-widget]").forEach(function (node) {
      if (node.getAttribute("data-started")) { return; }
      node.setAttribute("data-started", "1");
      try { init(JSON.parse(node.textContent)); }
      catch (e) { if (window.console) { window.console.error("location widget:", e); } }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
