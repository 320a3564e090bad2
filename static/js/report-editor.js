// Live validation and row handling of the report editor (no inline script: CSP nonce).
// The server is the judge: every change posts the section's values to
// /api/v1/reports/<id>/validate/?section=<key> and marks what it answers.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var status = document.getElementById("live-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timer = null;
  var CELL = /^t\.([a-z0-9_]+)\.(\d+)\.([a-z0-9_]+)$/;

  function collect() {
    var data = { fields: {}, tables: {} };
    form.querySelectorAll("table[data-table]").forEach(function (t) { data.tables[t.dataset.table] = {}; });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) { return; }
      if (el.name.indexOf("f.") === 0) {
        data.fields[el.name.slice(2)] = el.type === "checkbox" ? el.checked : el.value;
        return;
      }
      var m = CELL.exec(el.name);
      if (m) {
        var rows = data.tables[m[1]];
        (rows[m[2]] = rows[m[2]] || {})[m[3]] = el.value;
      }
    });
    Object.keys(data.tables).forEach(function (key) {
      var rows = data.tables[key];
      data.tables[key] = Object.keys(rows).map(Number).sort(function (a, b) { return a - b; })
        .map(function (i) { return rows[i]; })
        .filter(function (row) { return Object.keys(row).some(function (k) { return String(row[k]).trim() !== ""; }); });
    });
    return data;
  }

  function clear() {
    form.querySelectorAll(".live-msg").forEach(function (el) { el.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    form.querySelectorAll("tr.exceeds").forEach(function (el) { el.classList.remove("exceeds"); });
  }

  // Paths are counted over the non-empty rows; map them back to the drawn rows.
  function rowMap(table) {
    var map = [];
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      var filled = Array.prototype.some.call(tr.querySelectorAll("input,select,textarea"), function (el) {
        return el.value.trim() !== "";
      });
      if (filled) { map.push(tr); }
    });
    return map;
  }

  function mark(messages, cls) {
    Object.keys(messages).forEach(function (path) {
      var parts = path.split(".");
      var target = null;
      if (parts[0] === "fields") {
        target = form.querySelector('[data-path="' + path + '"]');
      } else if (parts[0] === "tables") {
        var table = form.querySelector('table[data-table="' + parts[1] + '"]');
        if (!table) { return; }
        if (parts.length >= 3) {
          var tr = rowMap(table)[Number(parts[2])];
          if (!tr) { return; }
          target = parts.length === 4 ? tr.querySelector('[name$=".' + parts[3] + '"]').parentNode : tr.cells[0];
        } else {
          target = table.parentNode;
        }
      }
      if (!target) { return; }
      messages[path].forEach(function (text) {
        var span = document.createElement("span");
        span.className = "live-msg " + cls;
        span.textContent = text;
        target.appendChild(span);
      });
      if (cls === "field-error") {
        var input = target.querySelector("input,select,textarea");
        if (input) { input.setAttribute("aria-invalid", "true"); }
      }
    });
  }

  function validate() {
    status.textContent = "…";
    fetch(form.dataset.validateUrl + "?section=" + encodeURIComponent(form.dataset.section), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ data: collect() })
    }).then(function (r) { return r.json(); }).then(function (body) {
      clear();
      form.querySelectorAll(".field-error,.field-warning").forEach(function (el) { el.hidden = true; });
      mark(body.errors || {}, "field-error");
      mark(body.warnings || {}, "field-warning");
      (body.exceedances || []).forEach(function (e) {
        var table = form.querySelector('table[data-table="' + e.table + '"]');
        var tr = table && rowMap(table)[e.row];
        if (tr) { tr.classList.add("exceeds"); }
      });
      var n = Object.keys(body.errors || {}).length;
      status.textContent = n ? (n + " ✗") : "✓";
      status.dataset.errors = String(n);
    }).catch(function () { status.textContent = ""; });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(validate, 400);
  });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(validate, 100); });

  form.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var table = form.querySelector('table[data-table="' + button.dataset.addRow + '"] tbody');
      var last = table.rows[table.rows.length - 1];
      var index = table.rows.length;
      var row = last.cloneNode(true);
      row.dataset.row = String(index);
      row.classList.remove("exceeds");
      row.cells[0].textContent = String(index + 1);
      row.querySelectorAll("input,select,textarea").forEach(function (el) {
        el.name = el.name.replace(/\.\d+\./, "." + index + ".");
        el.value = "";
        el.removeAttribute("aria-invalid");
      });
      row.querySelectorAll(".field-error,.field-warning,.live-msg").forEach(function (el) { el.remove(); });
      table.appendChild(row);
      row.querySelector("input,select,textarea").focus();
    });
  });
}());
