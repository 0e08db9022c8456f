// The till: one tap logs a customer's review site. Taps wait in localStorage until the server
// has stored them, each with its own key, so a tap sent twice (network back, page reloaded)
// is stored once. Redemption needs the server's answer, so it is never queued.
(function () {
  "use strict";
  const root = document.getElementById("till");
  if (!root) return;
  const texts = JSON.parse(document.getElementById("till-texts").textContent);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const queueName = root.dataset.queueName;
  const undoSeconds = Number(root.dataset.undoSeconds);
  const deviceName = "cta-kit-till-device";
  const status = document.getElementById("till-status");
  const last = document.getElementById("till-last");
  let lastTap = null;
  let undoTimer = null;
  let sending = false;
  let blocked = false; // the session ended: wait for a new login

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function deviceKey() {
    let key = localStorage.getItem(deviceName);
    if (!key) { key = newKey(); localStorage.setItem(deviceName, key); }
    return key;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, name) => values[name]);
  }

  function readQueue() {
    try { return JSON.parse(localStorage.getItem(queueName) || "[]"); } catch (e) { return []; }
  }

  function writeQueue(queue) {
    localStorage.setItem(queueName, JSON.stringify(queue));
    showStatus();
  }

  function showStatus(message) {
    const waiting = readQueue().length;
    const parts = [];
    if (message) parts.push(message);
    else if (blocked) parts.push(texts.login);
    else if (!navigator.onLine && waiting) parts.push(texts.offline);
    if (waiting) parts.push(fill(texts.queued, { count: waiting }));
    status.hidden = parts.length === 0;
    status.classList.toggle("till-alert", blocked);
    status.textContent = "";
    parts.forEach((part, index) => {
      if (index) status.append(" · ");
      if (blocked && part === texts.login) {
        const link = document.createElement("a");
        link.href = root.dataset.loginUrl;
        link.textContent = part;
        status.append(link);
      } else {
        status.append(part);
      }
    });
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify(body),
    });
    const isJson = (response.headers.get("Content-Type") || "").includes("application/json");
    // An ended session is redirected to the login page, or refused for its old token.
    if (!isJson || (response.redirected && new URL(response.url).pathname === root.dataset.loginUrl)) {
      return { session: false };
    }
    const data = await response.json();
    if (data.error === "csrf") return { session: false };
    return { session: true, ok: response.ok, data };
  }

  function setCounts(tally) {
    const pending = {};
    readQueue().forEach((item) => {
      if (item.kind === "tap") pending[item.body.platform] = (pending[item.body.platform] || 0) + 1;
    });
    document.querySelectorAll("[data-count-for]").forEach((badge) => {
      const platform = badge.dataset.countFor;
      badge.textContent = (tally[platform] || 0) + (pending[platform] || 0);
    });
  }

  function bump(platform, by) {
    document.querySelectorAll(`[data-count-for="${platform}"]`).forEach((badge) => {
      badge.textContent = Math.max(0, Number(badge.textContent) + by);
    });
  }

  async function flush() {
    if (sending || blocked) return;
    sending = true;
    try {
      let queue = readQueue();
      while (queue.length) {
        const item = queue[0];
        let answer;
        try {
          answer = await post(item.url, item.body);
        } catch (error) {
          showStatus(); // offline: the queue waits for the "online" event
          return;
        }
        if (!answer.session) { blocked = true; showStatus(); return; }
        queue = readQueue().filter((queued) => queued.id !== item.id);
        writeQueue(queue);
        if (answer.ok && answer.data.tally) setCounts(answer.data.tally);
        if (!answer.ok && item.kind === "undo") showStatus(texts.too_late);
      }
    } finally {
      sending = false;
    }
  }

  function enqueue(kind, url, body) {
    const queue = readQueue();
    queue.push({ id: newKey(), kind, url, body });
    writeQueue(queue);
    flush();
  }

  function details() {
    const fields = { table: "till-table", code: "till-card", name: "till-name" };
    const values = {};
    Object.entries(fields).forEach(([name, id]) => {
      const input = document.getElementById(id);
      if (input.value.trim()) values[name] = input.value.trim();
      input.value = "";
    });
    return values;
  }

  function tap(button) {
    const body = Object.assign(
      { platform: button.dataset.platform, key: newKey(), at: new Date().toISOString() },
      button.dataset.destination ? { destination: Number(button.dataset.destination) } : {},
      details()
    );
    bump(body.platform, 1);
    enqueue("tap", root.dataset.preferencesUrl, body);
    lastTap = { key: body.key, platform: body.platform, destination: button.dataset.destination,
                presence: button.dataset.presence === "true", label: button.dataset.label };
    showLast();
  }

  function showLast() {
    document.getElementById("till-last-text").textContent = fill(texts.logged, { site: lastTap.label });
    document.getElementById("till-show-qr").hidden = lastTap.presence;
    document.querySelectorAll(".till-slip").forEach((slip) => { slip.hidden = lastTap.presence; });
    const undo = document.getElementById("till-undo");
    undo.hidden = false;
    last.hidden = false;
    let left = undoSeconds;
    const seconds = document.getElementById("till-undo-seconds");
    seconds.textContent = `(${left})`;
    clearInterval(undoTimer);
    undoTimer = setInterval(() => {
      left -= 1;
      seconds.textContent = `(${left})`;
      if (left <= 0) { clearInterval(undoTimer); undo.hidden = true; }
    }, 1000);
  }

  function undo() {
    if (!lastTap) return;
    clearInterval(undoTimer);
    const queue = readQueue();
    const waiting = queue.find((item) => item.kind === "tap" && item.body.key === lastTap.key);
    if (waiting) {
      writeQueue(queue.filter((item) => item !== waiting)); // never sent: forget it here
    } else {
      enqueue("undo", root.dataset.undoUrl, { key: lastTap.key });
    }
    bump(lastTap.platform, -1);
    document.getElementById("till-undo").hidden = true;
    document.getElementById("till-last-text").textContent = texts.undone;
    document.getElementById("till-show-qr").hidden = true;
    document.querySelectorAll(".till-slip").forEach((slip) => { slip.hidden = true; });
    lastTap = null;
  }

  function showQr() {
    if (!lastTap || !lastTap.destination) return;
    const overlay = document.getElementById(`till-qr-${lastTap.destination}`);
    if (!overlay) return;
    overlay.hidden = false;
    overlay.querySelector(".till-qr-close").focus();
  }

  async function printSlip(layout) {
    if (!lastTap || !lastTap.destination) return;
    const target = window.open("", "_blank"); // opened on the tap itself, or popup blockers refuse it
    showStatus(texts.printing);
    try {
      const answer = await post(root.dataset.slipUrl, { destination: Number(lastTap.destination), layout });
      if (!answer.session) { blocked = true; showStatus(); if (target) target.close(); return; }
      if (!answer.ok) { showStatus(answer.data.message); if (target) target.close(); return; }
      if (target) target.location = answer.data.pdf; else window.location = answer.data.pdf;
      showStatus();
    } catch (error) {
      if (target) target.close();
      showStatus(texts.failed);
    }
  }

  async function redeem(event) {
    event.preventDefault();
    const input = document.getElementById("till-code");
    const out = document.getElementById("till-redeem-answer");
    if (!input.value.trim()) return;
    out.hidden = false;
    try {
      const answer = await post(root.dataset.redeemUrl, { code: input.value, key: newKey(), device: deviceKey() });
      if (!answer.session) { blocked = true; showStatus(); return; }
      out.textContent = answer.data.message;
      out.dataset.result = answer.data.result || "error";
      out.scrollIntoView({ block: "nearest" }); // above the bar of the last tap, on a phone
      if (answer.data.result === "redeemed") input.value = "";
    } catch (error) {
      out.textContent = texts.redeem_offline;
      out.dataset.result = "offline";
    }
  }

  document.querySelectorAll(".till-site").forEach((button) => button.addEventListener("click", () => tap(button)));
  document.getElementById("till-undo").addEventListener("click", undo);
  document.getElementById("till-show-qr").addEventListener("click", showQr);
  document.querySelectorAll(".till-slip").forEach((button) => button.addEventListener("click", () => printSlip(button.dataset.layout)));
  document.querySelectorAll(".till-qr-close").forEach((button) => button.addEventListener("click", () => {
    button.closest(".till-qr").hidden = true;
  }));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") document.querySelectorAll(".till-qr").forEach((overlay) => { overlay.hidden = true; });
  });
  document.getElementById("till-redeem-form").addEventListener("submit", redeem);
  window.addEventListener("online", flush);
  window.addEventListener("offline", () => showStatus());
  setInterval(flush, 15000);
  showStatus();
  flush();
})();
