/* Polls a background export until it is done, then shows the download link. */
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) { return; }
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (job) {
      box.querySelector("[data-role=progress]").value = job.progress;
      box.querySelector("[data-role=rows]").textContent = job.rows_done;
      box.querySelector("[data-role=status]").textContent = job.status;
      box.dataset.status = job.status;
      if (job.status === "done") { box.querySelector("[data-role=download]").hidden = false; return; }
      if (job.status !== "failed") { setTimeout(poll, 1500); }
    });
  }
  if (box.dataset.status !== "done" && box.dataset.status !== "failed") { setTimeout(poll, 800); }
})();
