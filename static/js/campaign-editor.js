// Live preview of one card and the rules check while the owner types. Nothing is saved.
(function () {
  "use strict";
  const form = document.getElementById("campaign-form");
  const preview = document.getElementById("card-preview");
  const findings = document.getElementById("findings");
  const layout = document.getElementById("preview-layout");
  const printLayout = document.getElementById("layout");
  if (!form || !preview || !findings) return;

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

  async function refresh() {
    const ticket = ++latest;
    const params = new URLSearchParams(new FormData(form));
    params.delete("csrf_token");
    params.set("preview_layout", layout.value);
    try {
      const response = await fetch(form.dataset.previewUrl + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const data = await response.json();
      if (ticket !== latest) return;
      // The SVG is built on the server from escaped text only.
      preview.innerHTML = data.svg || "";
      if (data.error) preview.textContent = data.error;
      showFindings(data.findings || []);
    } catch (error) {
      // Offline or server restarting: keep the last preview.
    }
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
