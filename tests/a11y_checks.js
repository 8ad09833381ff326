// Checks beyond axe-core, run in the page by tests/test_accessibility_every_page.py (WCAG 2.2 AA).
//   ksA11y.prepare(fromMain): remembers how each focusable element looks unfocused, starts noting how each looks
//     when focus reaches it, and returns how many elements Tab should reach: on the whole page, or (fromMain) from
//     the start of the main content on, focus being put there (the navigation is the same on every page).
//   ksA11y.smallTargets(): targets under 24x24 CSS px that the spacing exception does not cover (2.5.8).
//   ksA11y.unseenFocus(): elements that showed no focus indicator when tabbed to (2.4.7).
window.ksA11y = (function () {
  "use strict";
  const FOCUSABLE = [
    "a[href]", "button", "input:not([type=hidden])", "select", "textarea", "summary",
    "[tabindex]:not([tabindex='-1'])", "[contenteditable='true']",
  ].join(",");
  const TARGETS = FOCUSABLE + ", label.btn, [role=button], [role=link]";
  const MIN = 24;
  const unfocused = new WeakMap();
  const focused = [];

  function describe(el) {
    const text = (el.getAttribute("aria-label") || el.innerText || el.value || el.name || "").trim().slice(0, 40);
    const id = el.id ? "#" + el.id : "";
    const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "";
    return `${el.tagName.toLowerCase()}${id}${cls} "${text}"`;
  }

  function hidden(el) {
    const style = getComputedStyle(el);
    if (style.visibility !== "visible" || style.display === "none") return true;
    const rect = el.getBoundingClientRect();
    // Visually hidden (Bootstrap's .visually-hidden, .btn-check): clipped to a pixel for screen readers only.
    return rect.width <= 1 || rect.height <= 1 || style.clipPath === "inset(50%)" || style.clip === "rect(0px, 0px, 0px, 0px)";
  }

  function look(el) {
    const style = getComputedStyle(el);
    el.getAnimations().forEach(function (animation) { animation.finish(); });
    return {
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      outlineShown: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 &&
        !/rgba\(.*, 0\)$/.test(style.outlineColor) && style.outlineColor !== "transparent",
      shadow: style.boxShadow,
    };
  }

  // Where an element's focus is drawn: on itself, or (a visually hidden .btn-check) on its label.
  function drawnOn(el) {
    if (hidden(el) && el.labels && el.labels.length) return el.labels[0];
    return el;
  }

  function prepare(fromMain) {
    // An autofocused field is looked at unfocused too: focus starts again from the top (or the main content).
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    const all = Array.from(document.querySelectorAll(FOCUSABLE));
    all.forEach(function (el) {
      const on = drawnOn(el);
      if (!unfocused.has(on)) unfocused.set(on, look(on));
    });
    document.addEventListener("focusin", function (event) {
      const el = event.target;
      if (el === document.body || el.tabIndex < 0) return;
      const on = drawnOn(el);
      const now = look(on);
      const before = unfocused.get(on) || { outline: "none 0px", shadow: "none", outlineShown: false };
      const changed = now.outline !== before.outline || now.shadow !== before.shadow;
      const shown = (now.outlineShown && now.outline !== before.outline) || (now.shadow !== "none" && now.shadow !== before.shadow);
      focused.push({ what: describe(el), visible: changed && shown });
    });
    const main = document.querySelector("main");
    const reached = all.filter(function (el) {
      if (fromMain && main && main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING) return false;
      return el.tabIndex >= 0 && !el.disabled && !hidden(el);
    });
    if (fromMain && main) main.focus();
    return reached.length;
  }

  function unseenFocus() {
    return focused.filter(function (entry) { return !entry.visible; }).map(function (entry) { return entry.what; });
  }

  // An inline link (or button) in a sentence: its size is set by the line of text, so 2.5.8 excepts it.
  function inSentence(el) {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
    const squash = function (text) { return (text || "").replace(/\s+/g, ""); };
    return block && squash(block.textContent).length > squash(el.textContent).length;
  }

  function distance(x, y, rect) {
    const dx = Math.max(rect.left - x, 0, x - rect.right);
    const dy = Math.max(rect.top - y, 0, y - rect.bottom);
    return Math.hypot(dx, dy);
  }

  function smallTargets() {
    const targets = Array.from(document.querySelectorAll(TARGETS)).filter(function (el) {
      return !el.disabled && !hidden(el) && !inSentence(el) && !el.closest("[inert], .dropdown-menu:not(.show)");
    }).filter(function (el) {
      // A control inside another target (a checkbox in its label) is measured as part of it.
      return !el.parentElement.closest(TARGETS);
    });
    const boxes = targets.map(function (el) {
      const rect = el.getBoundingClientRect();
      return { el: el, rect: rect, x: rect.left + rect.width / 2, y: rect.top + rect.height / 2,
        small: rect.width < MIN - 0.01 || rect.height < MIN - 0.01 };
    });
    return boxes.filter(function (box) {
      if (!box.small) return false;
      // The spacing exception: a 24px circle on its centre meets no other target, nor another small one's circle.
      return boxes.some(function (other) {
        if (other === box || other.el.contains(box.el) || box.el.contains(other.el)) return false;
        if (distance(box.x, box.y, other.rect) < MIN / 2) return true;
        return other.small && Math.hypot(box.x - other.x, box.y - other.y) < MIN;
      });
    }).map(function (box) {
      return `${describe(box.el)} ${Math.round(box.rect.width)}x${Math.round(box.rect.height)}`;
    });
  }

  return { prepare: prepare, unseenFocus: unseenFocus, smallTargets: smallTargets };
})();
