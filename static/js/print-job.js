// Follows a print job: moves the progress bar, then reloads the page, which offers the PDF.
// Without JavaScript the page's own refresh link does the same.
(function () {
  "use strict";
  const job = document.getElementById("print-job");
  const bar = document.getElementById("job-progress");
  if (!job || !bar || !job.dataset.statusUrl) return;
  const POLL_MS = 1000;
  let lastState = null;

  async function poll() {
    try {
      const response = await fetch(job.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const status = await response.json();
        if (status.finished || (lastState !== null && status.state !== lastState)) {
          window.location.reload();
          return;
        }
        lastState = status.state;
        bar.value = status.done;
        const done = document.getElementById("job-done");
        if (done) done.textContent = String(status.done);
      }
    } catch (error) {
      // A missed poll (network, server restart) is retried at the next tick.
    }
    window.setTimeout(poll, POLL_MS);
  }

  window.setTimeout(poll, POLL_MS);
})();
