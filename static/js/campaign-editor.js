// Live preview of one card and the rules check while the owner types. Nothing is saved.
(function () {
  "use strict";
  const form = document.getElementById("campaign-form");
  const preview = document.getElementById("card-preview");
  const findings = document.getElementById("findings");
  const layout = document.getElementById("preview-layout");
  const status = document.getElementById("preview-status");
  const printLayout = document.getElementById("layout");
  if (!form || !preview || !findings || !status) return;

  let timer = null;
  let latest = 0;

  function showFindings(items) {
    findings.replaceChildren();
    if (items.length === 0) {
      const li = document.createElement("li");
      li.className = "finding finding-ok";
      li.textContent = findings.dataset.none || "✓";
      findings.append(li);
      return;
    }
    for (const item of items) {
      const li = document.createElement("li");
      li.className = "finding finding-" + item.severity;
      if (item.field) {
        // Which field the finding is about, so that the same phrase in two fields reads as two findings.
        const field = document.createElement("strong");
        field.className = "finding-field";
        field.textContent = item.field;
        li.append(field, " ");
      }
      li.append(item.message + " ");
      if (item.source) {
        const link = document.createElement("a");
        link.href = item.source;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        link.textContent = "↗";
        li.append(link);
      }
      findings.append(li);
    }
  }

  function showStatus(message) {
    status.textContent = message;
    status.hidden = !message;
  }

  async function refresh() {
    const ticket = ++latest;
    // Posted, not put in the URL: long non-Latin wording would outgrow the server's request-line limit.
    const body = new URLSearchParams(new FormData(form));
    body.set("preview_layout", layout.value);
    let data = null;
    try {
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const isJson = (response.headers.get("Content-Type") || "").startsWith("application/json");
      data = isJson ? await response.json() : null;
    } catch (error) {
      data = null; // offline or server restarting
    }
    if (ticket !== latest) return;
    if (data === null) {
      // Keep the last preview, and say it is out of date.
      showStatus(status.dataset.failed);
      return;
    }
    showStatus("");
    // The SVG is built on the server from escaped text only.
    preview.innerHTML = data.svg || "";
    if (data.error) preview.textContent = data.error;
    showFindings(data.findings || []);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  layout.addEventListener("change", function () {
    // The preview shows the layout that will print, and the other way round.
    if (printLayout) printLayout.value = layout.value;
    refresh();
  });
  if (printLayout) {
    printLayout.addEventListener("change", function () {
      layout.value = printLayout.value;
      refresh();
    });
  }
  refresh();
})();
