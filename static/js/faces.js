/* Faces on capture page photo cards (templates/learning_stories/faces/_faces.html): place each face box over
   the photo, tap a box to name it (focuses its list of children), and draw a box over a face the detector
   missed (the numbers form below is the keyboard way to do the same; the server checks either). */
(function () {
  "use strict";

  function pct(value) { return (parseFloat(value) * 100).toFixed(3) + "%"; }

  function layout(root) {
    root.querySelectorAll("[data-face-box]").forEach(function (box) {
      box.style.left = pct(box.dataset.x);
      box.style.top = pct(box.dataset.y);
      box.style.width = pct(box.dataset.w);
      box.style.height = pct(box.dataset.h);
    });
  }

  function panelOf(el) { return el.closest("[data-faces]"); }

  document.addEventListener("click", function (event) {
    var box = event.target.closest("[data-face-box]");
    if (box) {
      var select = document.getElementById(box.dataset.for);
      if (select) { select.focus(); }
      return;
    }
    var draw = event.target.closest("[data-face-draw]");
    if (draw) {
      var frame = panelOf(draw).querySelector("[data-faces-frame]");
      var on = !frame.classList.contains("drawing");
      frame.classList.toggle("drawing", on);
      draw.setAttribute("aria-pressed", on ? "true" : "false");
      draw.textContent = on ? "Drag over the face on the photo (tap here to stop)" : "Draw a box over a missed face";
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-face-input]")) {
      event.preventDefault(); // not the whole observation: only this box
      var add = panelOf(event.target).querySelector("[data-face-add]");
      if (add) { add.click(); }
    }
  });

  var drag = null;

  function point(frame, event) {
    var rect = frame.getBoundingClientRect();
    return {
      x: Math.min(Math.max((event.clientX - rect.left) / rect.width, 0), 1),
      y: Math.min(Math.max((event.clientY - rect.top) / rect.height, 0), 1)
    };
  }

  function box(start, end) {
    return {
      x: Math.min(start.x, end.x), y: Math.min(start.y, end.y),
      w: Math.abs(end.x - start.x), h: Math.abs(end.y - start.y)
    };
  }

  document.addEventListener("pointerdown", function (event) {
    var frame = event.target.closest("[data-faces-frame].drawing");
    if (!frame || event.target.closest("[data-face-box]")) { return; }
    event.preventDefault();
    frame.setPointerCapture(event.pointerId);
    drag = { frame: frame, start: point(frame, event), shape: frame.querySelector("[data-face-drawn]") };
    drag.shape.hidden = false;
  });

  document.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var b = box(drag.start, point(drag.frame, event));
    drag.shape.style.left = pct(b.x); drag.shape.style.top = pct(b.y);
    drag.shape.style.width = pct(b.w); drag.shape.style.height = pct(b.h);
  });

  document.addEventListener("pointerup", function (event) {
    if (!drag) { return; }
    var b = box(drag.start, point(drag.frame, event));
    var panel = panelOf(drag.frame);
    drag.shape.hidden = true;
    drag = null;
    if (b.w < 0.01 || b.h < 0.01) { return; } // a tap, not a box
    ["x", "y", "w", "h"].forEach(function (part) {
      panel.querySelector('[data-face-input="' + part + '"]').value = (b[part] * 100).toFixed(2);
    });
    panel.querySelector("[data-face-add]").click();
  });

  if (window.htmx) { window.htmx.onLoad(layout); }
  document.addEventListener("DOMContentLoaded", function () { layout(document); });
})();
