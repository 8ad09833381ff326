// A room's shared tablet, while someone is signed in on it: lock it (as the Lock button does) after the
// nursery's idle minutes without a touch, key or scroll. The server locks it too, on the next request.
// Offline the lock cannot reach the server, so the page locks itself: a full-screen cover, the pages kept
// for offline use forgotten, until the tablet is back online and the server has locked it.
(function () {
  "use strict";
  var bar = document.querySelector("[data-tablet-idle-minutes]");
  var form = document.getElementById("tablet-lock-form");
  if (!bar || !form) {
    return;
  }
  var minutes = parseInt(bar.getAttribute("data-tablet-idle-minutes"), 10);
  var wait = (minutes > 0 ? minutes : 5) * 60 * 1000;
  var timer = null;
  var cover = null;

  function forgetPages() {
    var pages = window.KeyStoryPages;
    if (pages && typeof pages.forget === "function") {
      try {
        pages.forget();
      } catch (error) {
        // nothing more to forget
      }
    }
  }

  function lockHere() {
    forgetPages();
    if (cover) {
      return;
    }
    Array.prototype.forEach.call(document.body.children, function (element) {
      element.setAttribute("inert", "");
      element.setAttribute("aria-hidden", "true");
    });
    cover = document.createElement("div");
    cover.className = "tablet-locked";
    cover.setAttribute("role", "alertdialog");
    cover.setAttribute("aria-modal", "true");
    cover.setAttribute("aria-labelledby", "tablet-locked-title");
    cover.setAttribute("data-tablet-locked", "");
    var box = document.createElement("div");
    box.className = "tablet-locked-box";
    var title = document.createElement("h1");
    title.id = "tablet-locked-title";
    title.className = "h3";
    title.textContent = "Locked \u2014 connect to switch in";
    var text = document.createElement("p");
    text.textContent =
      "The tablet was left unused and is not connected to the internet. When it is connected again, choose your name to carry on.";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-primary btn-lg";
    button.textContent = "Try again";
    button.addEventListener("click", lock);
    box.appendChild(title);
    box.appendChild(text);
    box.appendChild(button);
    cover.appendChild(box);
    document.body.appendChild(cover);
    button.focus();
    window.addEventListener("online", lock);
  }

  function lock() {
    window.clearTimeout(timer);
    if (!navigator.onLine || !window.fetch) {
      lockHere();
      return;
    }
    // Not following the redirect, so the "locked" message is left for the page opened next.
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (!(response.ok || response.type === "opaqueredirect")) {
          throw new Error("not locked");
        }
        window.location.assign("/");
      })
      .catch(lockHere);
  }

  function restart() {
    if (cover) {
      return; // locked here: only the server's lock (Try again, or back online) lifts the cover
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(lock, wait);
  }
  ["pointerdown", "keydown", "scroll", "input"].forEach(function (name) {
    document.addEventListener(name, restart, { passive: true, capture: true });
  });
  restart();
})();
