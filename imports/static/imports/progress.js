// Follows a running import job on its page: asks the progress endpoint every few seconds, shows the phase and the
// rows done, and reloads the page once the job has stopped running (its result is rendered by the server).
// Without JavaScript the page refreshes itself instead (<noscript> meta refresh).
(function () {
  "use strict";
  var live = document.getElementById("job-live");
  if (!live || !window.fetch) { return; }
  var url = live.getAttribute("data-progress-url");
  var delay = 1000 * (parseFloat(live.getAttribute("data-poll-seconds")) || 2);
  var phase = document.getElementById("job-phase");
  var bar = document.getElementById("job-progress");
  var template = live.getAttribute("data-of-text") || "{done} / {total}";

  function show(state) {
    var text = state.phaseText;
    if (state.total) {
      text += " — " + template.replace("{done}", state.done.toLocaleString()).replace("{total}", state.total.toLocaleString());
    }
    phase.textContent = text;
    if (state.percent === null) { bar.removeAttribute("value"); } else { bar.value = state.percent; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (state) {
        if (!state.running) { window.location.reload(); return; }
        show(state);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, delay * 2); });
  }

  window.setTimeout(poll, delay);
}());
