// KeyStory page behaviour. Kept in a static file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  // A demo account button fills the login form, so trying each role takes two taps.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-fill-login]");
    if (!button) return;
    const form = document.querySelector("form.login-form");
    if (!form) return;
    form.querySelector("[name=username]").value = button.dataset.fillLogin;
    form.querySelector("[name=password]").value = button.dataset.password;
    form.querySelector("[type=submit]").focus();
  });
  // Stop a double tap from submitting a form twice.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.dataset.submitted) {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    window.setTimeout(function () { delete form.dataset.submitted; }, 5000);
  });
})();
// Learning story: a print button, and forgetting the tablet's copy of an observation once it is sent.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  const sent = document.querySelector("[data-sent-observation]");
  const key = sent && sent.dataset.sentObservation;
  if (key) {
    try {
      localStorage.removeItem("keystory:observation:" + key);
      if (localStorage.getItem("keystory:observation:current") === key) localStorage.removeItem("keystory:observation:current");
    } catch (error) { /* storage disabled: nothing to forget */ }
  }
})();
// htmx under a strict Content-Security-Policy (style-src 'self'): no injected indicator styles, and no
// "style" among the attributes htmx settles after a swap. Settling copies an element's old attributes onto
// its new copy with setAttribute, and a style attribute set that way is an inline style the policy blocks
// (the console then reports "Applying inline style violates ... style-src 'self'").
(function () {
  "use strict";
  if (!window.htmx) return;
  htmx.config.includeIndicatorStyles = false;
  htmx.config.attributesToSettle = htmx.config.attributesToSettle.filter(function (name) { return name !== "style"; });
})();
// The care log: Undo is offered for a few seconds after each tap, and "No" to a question closes it.
(function () {
  "use strict";
  const UNDO_SECONDS = 10;
  function armUndo() {
    document.querySelectorAll("[data-undo-offer]:not([data-armed])").forEach(function (offer) {
      offer.dataset.armed = "1";
      window.setTimeout(function () { offer.remove(); }, UNDO_SECONDS * 1000);
    });
  }
  document.addEventListener("htmx:afterSettle", armUndo);
  document.addEventListener("DOMContentLoaded", armUndo);
  document.addEventListener("click", function (event) {
    const dismiss = event.target.closest("[data-dismiss-status]");
    if (!dismiss) return;
    const status = document.getElementById(dismiss.dataset.dismissStatus);
    if (!status) return;
    event.preventDefault();
    status.replaceChildren();
  });
})();
