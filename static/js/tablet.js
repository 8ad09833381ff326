// A room's shared tablet, while someone is switched in with their PIN: lock it (press the Lock button) after
// the nursery's idle minutes without a touch, key or scroll. The server locks it too, on the next request.
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
  function lock() {
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }
  function restart() {
    window.clearTimeout(timer);
    timer = window.setTimeout(lock, wait);
  }
  ["pointerdown", "keydown", "scroll", "input"].forEach(function (name) {
    document.addEventListener(name, restart, { passive: true, capture: true });
  });
  restart();
})();
