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
