/* Station page charts: one uPlot chart per parameter, from the JSON block #chart-data that
   the server wrote (points already aggregated in PostgreSQL: raw readings, hourly or daily
   means), with the limit in force as a dashed red line (two for a range such as pH) and,
   for means, the min–max of each bucket as a faint band. Times shown in Vietnam time.
   Vendored uPlot (static/vendor/uplot), no network, no inline script. */
(function () {
  "use strict";
  var root = document.getElementById("station-charts");
  var node = document.getElementById("chart-data");
  if (!root || !node || !window.uPlot) { return; }
  var data = JSON.parse(node.textContent);
  var tz = data.tz || "Asia/Ho_Chi_Minh";
  var LINE = "#1b6e4b", LIMIT = "#d7191c", BAND = "rgba(27,110,75,0.35)";

  // Vietnamese date and time in the portal's time zone (24-hour clock, day/month).
  function formatter(options) {
    try { return new Intl.DateTimeFormat("en-GB", Object.assign({ timeZone: tz, hourCycle: "h23" }, options)); }
    catch (e) { return new Intl.DateTimeFormat("en-GB", options); }
  }
  var fmtTime = formatter({ hour: "2-digit", minute: "2-digit" });
  var fmtDay = formatter({ day: "2-digit", month: "2-digit" });
  var fmtFull = formatter({ hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric" });
  function axisValues(u, splits) {
    var span = splits.length > 1 ? splits[splits.length - 1] - splits[0] : 0;
    var lastDay = null;
    return splits.map(function (ts) {
      var d = new Date(ts * 1e3);
      var day = fmtDay.format(d);
      if (span > 3 * 86400) { return day; }
      var label = fmtTime.format(d) + (day !== lastDay ? "\n" + day : "");
      lastDay = day;
      return label;
    });
  }

  function constant(n, value) {
    var out = new Array(n);
    for (var i = 0; i < n; i++) { out[i] = value; }
    return out;
  }

  function render(figure, s) {
    var n = s.t.length;
    var series = [{ value: function (u, ts) { return ts === null || ts === undefined ? "–" : fmtFull.format(new Date(ts * 1e3)); } },
                  { label: s.code, stroke: LINE, width: 1.5, spanGaps: false, points: { show: n < 60 } }];
    var columns = [s.t, s.v];
    if (s.min && s.max) {
      series.push({ label: "min", stroke: BAND, width: 1, dash: [2, 3], points: { show: false } });
      series.push({ label: "max", stroke: BAND, width: 1, dash: [2, 3], points: { show: false } });
      columns.push(s.min, s.max);
    }
    if (s.limit) {
      [["upper", s.limit.upper], ["lower", s.limit.lower]].forEach(function (b) {
        if (b[1] === null || b[1] === undefined) { return; }
        series.push({ label: b[0] === "upper" ? "≤ " + b[1] : "≥ " + b[1], stroke: LIMIT, width: 1.5, dash: [6, 4],
                      points: { show: false } });
        columns.push(constant(n, b[1]));
      });
    }
    var width = Math.max(280, figure.clientWidth - 16);
    var opts = {
      width: width,
      height: 220,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), tz); },
      scales: { x: { time: true } },
      axes: [{ values: axisValues, size: 48 }, { label: s.unit, size: 56 }],
      legend: { live: true },
      series: series
    };
    var plot = new uPlot(opts, columns, figure);
    if (s.limit) {
      var note = document.createElement("p");
      note.className = "limit-note";
      note.textContent = s.limit.label + (s.limit.certainty && s.limit.certainty !== "confirmed" ? " (" + s.limit.certainty + ")" : "");
      figure.appendChild(note);
    }
    if (!n) {
      var empty = document.createElement("p");
      empty.className = "empty";
      empty.textContent = figure.dataset.empty || "–";
      figure.appendChild(empty);
    }
    figure.dataset.points = String(n);
    return plot;
  }

  var plots = [];
  data.series.forEach(function (s) {
    var figure = root.querySelector("[data-chart='" + (window.CSS && CSS.escape ? CSS.escape(s.code) : s.code) + "']");
    if (figure) { plots.push({ plot: render(figure, s), figure: figure }); }
  });
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      plots.forEach(function (p) { p.plot.setSize({ width: Math.max(280, p.figure.clientWidth - 16), height: 220 }); });
    }, 150);
  });
  root.dataset.rendered = String(plots.length);
  root.dataset.ready = "1";
})();
