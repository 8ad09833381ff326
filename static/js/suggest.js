// The capture page: areas, goals and statements suggested from what is typed (learning_stories/suggest).
// Asks the server 400 ms after typing stops (or the children change); one tap on a suggestion ticks the
// matching box in the form (and its area), a second tap unticks it. The summary is read out politely.
(function () {
  "use strict";
  const form = document.getElementById("capture-form");
  const box = document.getElementById("area-suggest");
  if (!form || !box) return;
  const results = document.getElementById("suggest-results");
  const status = document.getElementById("suggest-status");
  const holder = document.getElementById("accepted-statements");
  const text = form.elements.text;
  const DELAY = 400;
  // A GET address must stay short enough for a proxy (nginx reads 8 kB of request line by default).
  const MAX_TEXT = 2000;
  let timer = null;
  let asking = null;
  let lastQuery = "";

  function query() {
    const params = new URLSearchParams();
    params.set("text", text.value.slice(0, MAX_TEXT));
    for (const el of form.querySelectorAll('input[name="children"]:checked')) params.append("children", el.value);
    return params.toString();
  }

  function checkbox(kind, pk) {
    if (!pk) return null;
    if (kind === "statement") return form.querySelector('input[name="statements"][value="' + CSS.escape(pk) + '"]');
    return document.getElementById(kind + "-" + pk);
  }

  function showPressed() {
    for (const button of results.querySelectorAll("[data-accept]")) {
      const kind = button.dataset.accept;
      const target = checkbox(kind, button.dataset[kind]);
      const on = Boolean(target && target.checked);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.classList.toggle("active", on);
    }
  }

  function ask() {
    const q = query();
    if (q === lastQuery) return;
    lastQuery = q;
    if (asking) asking.abort();
    asking = new AbortController();
    fetch(box.dataset.suggestUrl + "?" + q, { signal: asking.signal, headers: { "HX-Request": "true" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        results.innerHTML = html;
        showPressed();
        const summary = results.querySelector("[data-summary]");
        status.textContent = summary ? summary.dataset.summary : "";
      })
      .catch(function () { lastQuery = ""; /* offline or superseded: the next keystroke asks again */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, DELAY);
  }

  function set(target, on) {
    if (!target || target.checked === on) return;
    target.checked = on;
    target.dispatchEvent(new Event("change", { bubbles: true })); // capture.js saves the change
  }

  results.addEventListener("click", function (event) {
    const button = event.target.closest("[data-accept]");
    if (!button) return;
    const kind = button.dataset.accept;
    const pk = button.dataset[kind];
    const on = button.getAttribute("aria-pressed") !== "true";
    let target = checkbox(kind, pk);
    if (!target && kind === "statement" && on) {
      // Not among the statements shown for the tagged children: keep it ticked in a hidden box of the form.
      target = document.createElement("input");
      target.type = "checkbox";
      target.name = "statements";
      target.value = pk;
      holder.append(target);
    }
    set(target, on);
    if (on) {
      set(checkbox("area", button.dataset.area), true);
      if (kind === "statement") set(checkbox("aspect", button.dataset.aspect), true);
    }
    showPressed();
    const name = button.textContent.trim();
    status.textContent = (on ? "Ticked: " : "Unticked: ") + name;
  });

  text.addEventListener("input", later);
  form.addEventListener("change", function (event) {
    if (event.target.name === "children") later();
    else if (["areas", "aspects", "statements"].includes(event.target.name)) showPressed();
  });
  if (text.value.trim()) ask();
})();
