// The installable app: registers the service worker (static/js/sw.js, served at /sw.js) and keeps the
// tablet's copies of staff pages to the person signed in. The pages kept (capture, care log, register)
// are forgotten when someone signs out, when the log-in page shows (nobody signed in) and when a different
// person signs in. Unsent observations and taps are not pages: outbox.js keeps them for their author.
(function () {
  "use strict";
  const PAGES = "keystory-pages";
  const LAST_USER = "keystory:pages-user";

  function forgetPages() {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget-pages" });
    }
    return window.caches ? window.caches.delete(PAGES).catch(function () { return false; }) : Promise.resolve(false);
  }
  window.KeyStoryPages = { forget: forgetPages };

  const meta = document.querySelector('meta[name="keystory-user"]');
  if (meta) { // not on the offline page, which is the same for everyone
    const user = meta.content;
    let last = null;
    try { last = localStorage.getItem(LAST_USER); } catch (error) { /* storage disabled */ }
    if (!user || (last && last !== user)) forgetPages();
    try { localStorage.setItem(LAST_USER, user); } catch (error) { /* storage disabled */ }
  }

  // Signing out: forget the pages first, then sign out.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.action || !/\/accounts\/logout\/$/.test(new URL(form.action, window.location.href).pathname)) return;
    if (form.dataset.pagesForgotten) return;
    event.preventDefault();
    form.dataset.pagesForgotten = "1";
    const done = function () { form.submit(); };
    forgetPages().then(done, done);
  }, true);

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
        /* not over https, or the browser refuses: the pages work online as before */
      });
    });
  }
})();
