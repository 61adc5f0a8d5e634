// While a report is being generated, reload the page every five seconds so that its status and download link
// appear by themselves; never while someone is filling in a form. Without JavaScript the Refresh link does it.
(function () {
  var list = document.getElementById("past-reports");
  if (!list || list.dataset.pending !== "true") return;
  window.setInterval(function () {
    var active = document.activeElement;
    if (active && active.form) return;
    window.location.reload();
  }, 5000);
})();
