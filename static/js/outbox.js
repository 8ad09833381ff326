// The outbox: what staff save with no connection waits here, in the tablet's IndexedDB, until it is sent.
//
// Each item is one request to make later (an observation with its photos as Blobs, a care-log tap, a
// sign-in) with its author's user id, what to show about it, and a key the server uses to make it once:
// sending it twice (a retry after a dropped connection, the service worker and a page both trying)
// answers with what was made the first time. An item is removed once the server has it.
//
// Who sees and sends what: a page sends and shows only the items of the person signed in. Items of
// someone else stay on the tablet, counted but not shown, until their author signs in again (the server
// also refuses an item whose author is not the person signed in: 409 wrong_person).
//
// When: on every page load, on the "online" event, and by Background Sync in the service worker (which
// loads this file too) where the browser has it.
//
// A refusal (422/409/404: a child who has left, a care entry changed meanwhile) is never dropped: the
// item stays, marked, with the reasons, until the person tries again or removes it.
(function (global) {
  "use strict";
  const DB_NAME = "keystory-outbox";
  const STORE = "items";
  const SYNC_TAG = "keystory-outbox";
  const channel = "BroadcastChannel" in global ? new global.BroadcastChannel("keystory-outbox") : null;

  // --- Storage ---
  // A store of objects keyed by "id" in database ``dbName`` (also used by waiting-photos.js). The returned
  // function runs ``work(store)`` in one transaction and resolves with what its last request gave.
  function storeIn(dbName, storeName) {
    function openDb() {
      return new Promise(function (resolve, reject) {
        const request = global.indexedDB.open(dbName, 1);
        request.onupgradeneeded = function () { request.result.createObjectStore(storeName, { keyPath: "id" }); };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return function withStore(mode, work) {
      return openDb().then(function (db) {
        return new Promise(function (resolve, reject) {
          let result;
          const transaction = db.transaction(storeName, mode);
          const request = work(transaction.objectStore(storeName));
          if (request) request.onsuccess = function () { result = request.result; };
          transaction.oncomplete = function () { db.close(); resolve(result); };
          transaction.onerror = transaction.onabort = function () { db.close(); reject(transaction.error); };
        });
      });
    };
  }
  const withStore = storeIn(DB_NAME, STORE);

  function all() {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.createdAt - b.createdAt; });
    });
  }
  function put(item) { return withStore("readwrite", function (store) { return store.put(item); }); }
  function remove(id) { return withStore("readwrite", function (store) { return store.delete(id); }).then(changed); }

  function changed() {
    if (channel) channel.postMessage("changed");
    if (global.document) global.document.dispatchEvent(new CustomEvent("keystory:outbox"));
  }

  function sizeOf(item) {
    return (item.files || []).reduce(function (total, file) { return total + (file.blob ? file.blob.size : 0); }, 0)
      + JSON.stringify(item.fields || []).length;
  }

  const FULL = "This tablet's storage is full, so this was NOT kept on the tablet. Keep this page open until "
    + "the connection comes back, or free some space on the tablet (delete old photos or videos).";

  // Keep an item until it is sent. Resolves to {warning} (storage nearly full) or rejects with {message}.
  function queue(item) {
    item.createdAt = item.createdAt || Date.now();
    item.status = "waiting";
    item.errors = [];
    const estimate = global.navigator.storage && global.navigator.storage.estimate
      ? global.navigator.storage.estimate().catch(function () { return {}; }) : Promise.resolve({});
    return estimate.then(function (space) {
      const needed = sizeOf(item);
      if (space.quota && space.usage + needed > space.quota) return Promise.reject({ quota: true, message: FULL });
      let warning = "";
      if (space.quota && space.usage + needed > space.quota * 0.8) {
        warning = "This tablet's storage is nearly full. What is waiting is kept, but connect soon: when it is "
          + "full, new observations cannot be kept on the tablet.";
      }
      if (global.navigator.storage && global.navigator.storage.persist) global.navigator.storage.persist().catch(function () {});
      return put(item).then(function () {
        changed();
        askForSync();
        return { warning: warning };
      }, function (error) {
        if (error && (error.name === "QuotaExceededError" || /quota/i.test(error.message || ""))) {
          return Promise.reject({ quota: true, message: FULL });
        }
        return Promise.reject({ message: "This could not be kept on the tablet (" + (error && error.name) + "). Keep this page open until the connection comes back." });
      });
    });
  }

  function askForSync() {
    if (!global.navigator.serviceWorker || global.registration) return;
    global.navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register(SYNC_TAG);
    }).catch(function () { /* no Background Sync: sent on the next page load or when back online */ });
  }

  // --- Sending ---
  function body(item) {
    const data = new FormData();
    for (const [name, value] of item.fields) data.append(name, value);
    for (const file of item.files || []) {
      data.append(file.field, file.blob, file.filename || "photo.jpg");
      if (file.keyField) data.append(file.keyField, file.key);
    }
    return data;
  }

  // "sent", "offline" (stop: no connection), "later" (keep it waiting) or "refused" (marked for the person).
  function sendOne(item, csrf) {
    return fetch(item.url, {
      method: "POST",
      body: body(item),
      credentials: "same-origin",
      redirect: "manual", // a redirect means "sign in first": the item waits
      headers: {
        "X-CSRFToken": csrf || item.csrf,
        "X-KeyStory-Author": String(item.author),
        "X-KeyStory-Outbox": "1",
        "X-Requested-With": "fetch",
        Accept: "application/json",
      },
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 0) return note(item, "later", "Waiting for you to sign in again.");
      if (response.ok) return remove(item.id).then(function () { return "sent"; });
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (answer.wrong_person) return "later";
        if (response.status === 403) { // a token from before a new sign-in: the next page load sends a fresh one
          return note(item, "later", "Waiting: it will be sent the next time you open KeyStory.");
        }
        if (response.status >= 500) {
          return note(item, "later", "KeyStory could not take it just now. It will try again.");
        }
        item.status = "refused";
        item.errors = answer.errors && answer.errors.length ? answer.errors : ["KeyStory could not accept this (error " + response.status + ")."];
        item.link = answer.draft_url || "";
        item.confirm = answer.confirm || null; // a question ("a sleep under 5 minutes?"): "Send anyway" answers it
        return put(item).then(changed).then(function () { return "refused"; });
      });
    }, function () { return "offline"; });
  }

  function note(item, result, text) {
    item.note = text;
    return put(item).then(changed).then(function () { return result; });
  }

  let running = null;
  // Send what is waiting, oldest first. ``user``: only that person's items (a page); none: all (the worker,
  // where the server refuses anyone else's). Stops at the first sign of no connection.
  function sendAll(options) {
    options = options || {};
    if (running) return running;
    const work = function () {
      return all().then(function (items) {
        const mine = items.filter(function (item) {
          return item.status === "waiting" && (options.user === undefined || String(item.author) === String(options.user));
        });
        let chain = Promise.resolve("sent");
        mine.forEach(function (item) {
          chain = chain.then(function (last) { return last === "offline" ? last : sendOne(item, options.csrf); });
        });
        return chain;
      });
    };
    const locked = global.navigator.locks ? global.navigator.locks.request("keystory-outbox", work) : work();
    running = locked.finally(function () { running = null; });
    return running;
  }

  // The page's current CSRF token replaces the one saved when each of ``user``'s items was queued (stale
  // after a new sign-in), so Background Sync, which has no page to ask, sends the fresh one too.
  function refreshToken(user, token) {
    if (!token) return Promise.resolve();
    return all().then(function (items) {
      const stale = items.filter(function (item) { return String(item.author) === String(user) && item.csrf !== token; });
      if (!stale.length) return;
      return withStore("readwrite", function (store) {
        stale.forEach(function (item) { item.csrf = token; store.put(item); });
      });
    });
  }

  // ``confirm``: {name, value} the server asked for, added to the item's fields before it is sent again.
  function retry(id, confirm) {
    return withStore("readonly", function (store) { return store.get(id); }).then(function (item) {
      if (!item) return;
      if (confirm) {
        item.fields = item.fields.filter(function (field) { return field[0] !== confirm.name; });
        item.fields.push([confirm.name, confirm.value]);
        item.confirm = null;
      }
      item.status = "waiting";
      item.errors = [];
      item.note = "";
      return put(item).then(changed);
    });
  }

  function newKey() {
    if (global.crypto && global.crypto.randomUUID) return global.crypto.randomUUID();
    const bytes = global.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  global.KeyStoryOutbox = {
    queue: queue, all: all, remove: remove, retry: retry, sendAll: sendAll, newKey: newKey, refreshToken: refreshToken,
    storeIn: storeIn,
  };
  if (!global.document) return; // in the service worker: no page to draw on

  // --- The page: "Waiting to send: N" in the navigation, and what is waiting, to check or retry ---
  const document = global.document;
  const meta = document.querySelector('meta[name="keystory-user"]');
  const user = meta ? meta.content : "";
  global.KeyStoryOutbox.user = user;

  // This page's CSRF token (current, unlike one saved with an item before a new sign-in).
  function csrf() {
    try {
      const header = JSON.parse(document.body.dataset.hxHeaders || "{}")["X-CSRFToken"];
      if (header) return header;
    } catch (error) { /* no usable header: the form field or the cookie */ }
    const field = document.querySelector("[name=csrfmiddlewaretoken]");
    if (field && field.value) return field.value;
    const cookie = document.cookie.split("; ").find(function (pair) { return pair.startsWith("csrftoken="); });
    return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function button(text, className, action) {
    const node = element("button", "btn btn-sm " + className, text);
    node.type = "button";
    node.addEventListener("click", action);
    return node;
  }

  function card(item) {
    const refused = item.status === "refused";
    const box = element("li", "list-group-item" + (refused ? " list-group-item-danger" : ""));
    box.dataset.outboxItem = item.id;
    const summary = item.summary || {};
    const when = new Date(item.createdAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    box.append(element("p", "fw-semibold mb-1", (summary.title || "Saved") + " · " + when + (summary.children ? " · " + summary.children : "")));
    if (summary.text) box.append(element("p", "mb-1 ks-outbox-text", summary.text));
    if (summary.photos) box.append(element("p", "small mb-1", summary.photos + (summary.photos === 1 ? " photo" : " photos")));
    if (refused) {
      const why = element("div", "mb-2");
      why.setAttribute("role", "alert");
      why.append(element("p", "mb-1", item.confirm ? "Not sent yet: please check." : "Not sent: KeyStory could not accept it as it is."));
      const list = element("ul", "mb-0");
      item.errors.forEach(function (text) { list.append(element("li", "", text)); });
      why.append(list);
      box.append(why);
      const actions = element("div", "d-flex flex-wrap gap-2");
      if (item.confirm) {
        actions.append(button("Send anyway", "btn-primary", function () {
          retry(item.id, item.confirm).then(function () { return sendAll({ user: user, csrf: csrf() }); });
        }));
      } else {
        actions.append(button("Try again", "btn-primary", function () { retry(item.id).then(function () { return sendAll({ user: user, csrf: csrf() }); }); }));
      }
      if (item.link) {
        const open = element("a", "btn btn-sm btn-outline-primary", "Open the draft to fix it");
        open.href = item.link;
        open.addEventListener("click", function (event) { // the server keeps all of it in the draft
          event.preventDefault();
          const go = function () { global.location.assign(item.link); };
          remove(item.id).then(go, go);
        });
        actions.append(open);
      }
      actions.append(button("Remove from this tablet", "btn-outline-danger", function () {
        if (global.confirm("Remove this from the tablet? It has not been sent, and what you wrote will be lost.")) remove(item.id);
      }));
      box.append(actions);
    } else {
      box.append(element("p", "small text-body-secondary mb-0", item.note || "Waiting for the connection."));
    }
    return box;
  }

  let drawn = 0;
  // Draw what is waiting; only the latest call draws (an earlier one may have read before a change).
  function draw() {
    const holder = document.getElementById("outbox");
    if (!holder) return Promise.resolve();
    const turn = ++drawn;
    return all().then(function (items) {
      if (turn !== drawn) return;
      const mine = items.filter(function (item) { return String(item.author) === String(user); });
      const others = items.length - mine.length;
      const refused = mine.filter(function (item) { return item.status === "refused"; }).length;
      const toggle = document.getElementById("outbox-toggle");
      const count = document.getElementById("outbox-count");
      const panel = document.getElementById("outbox-panel");
      let text = mine.length ? "Waiting to send: " + mine.length : "";
      if (refused) text += " (not sent: " + refused + ")";
      if (others) text += (text ? " · " : "") + "Kept for someone else: " + others;
      if (count.textContent !== text) count.textContent = text;
      toggle.hidden = !text;
      toggle.classList.toggle("btn-danger", refused > 0);
      toggle.classList.toggle("btn-warning", refused === 0);
      const list = document.getElementById("outbox-items");
      list.replaceChildren(...mine.map(card));
      if (others) {
        list.append(element("li", "list-group-item small text-body-secondary",
          others + " saved by someone else on this tablet: sent when they sign in here again."));
      }
      if (!text) { panel.hidden = true; toggle.setAttribute("aria-expanded", "false"); }
      if (refused && !panel.dataset.shownRefusal) { // a refusal is never hidden away: open the list once
        panel.dataset.shownRefusal = "1";
        panel.hidden = false;
        toggle.setAttribute("aria-expanded", "true");
      }
    }).catch(function () { /* IndexedDB unavailable (private browsing): nothing can be waiting */ });
  }

  function sendMine() {
    if (!user) return Promise.resolve();
    const token = csrf();
    return refreshToken(user, token).catch(function () {}).then(function () {
      return sendAll({ user: user, csrf: token });
    }).then(draw, draw);
  }

  function start() {
    const toggle = document.getElementById("outbox-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        const panel = document.getElementById("outbox-panel");
        panel.hidden = !panel.hidden;
        toggle.setAttribute("aria-expanded", String(!panel.hidden));
      });
    }
    draw().then(sendMine);
  }

  // --- Care-log taps and register sign-ins (htmx) that could not reach the server: queued the same way ---
  const QUEUED_TAPS = [
    { kind: "care", path: /^\/children\/rooms\/\d+\/care-log\/$/, title: "Care log" },
    { kind: "sign-in", path: /^\/children\/\d+\/sign-in\/$/, title: "Signed in" },
  ];

  function two(n) { return String(n).padStart(2, "0"); }
  function clock(date) { return two(date.getHours()) + ":" + two(date.getMinutes()); }
  // The tablet's local date and time ("2026-03-04T10:15"): the server records it on the day it was made,
  // or refuses it (an earlier day, a time still to come) with the reason, never on the day it arrives.
  function localMoment(date) { return date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate()) + "T" + clock(date); }

  function labelOf(form, input) {
    const label = form.querySelector('label[for="' + input.id + '"]');
    return (label ? label.textContent : input.value).trim();
  }

  document.addEventListener("htmx:sendError", function (event) {
    const config = event.detail.requestConfig;
    if (!config || !user || config.verb !== "post") return;
    const path = new URL(config.path, global.location.href).pathname;
    const rule = QUEUED_TAPS.find(function (candidate) { return candidate.path.test(path); });
    if (!rule) return;
    const elt = event.detail.elt;
    const form = elt.closest("form") || elt;
    const fields = [];
    let at = "";
    for (const [name, value] of config.formData.entries()) {
      if (name === "csrfmiddlewaretoken" || typeof value !== "string") continue;
      if (name === "at") { at = value; continue; }
      fields.push([name, value]);
    }
    const now = new Date();
    const typed = /^\d\d:\d\d/.test(at) ? at.slice(0, 5) : "";
    const when = typed || clock(now); // the time typed, else now (to the second), whenever it is sent
    const id = global.KeyStoryOutbox.newKey();
    const moment = typed ? localMoment(now).slice(0, 11) + typed : localMoment(now) + ":" + two(now.getSeconds());
    fields.push(["at", moment], ["client_key", id]);
    let children = "";
    let what = "";
    if (rule.kind === "care") {
      children = Array.from(form.querySelectorAll("[name=child]:checked")).map(function (input) { return labelOf(form, input); }).join(", ");
      const action = fields.find(function (field) { return field[0] === "action"; });
      const tapped = action && form.querySelector('[name=action][value="' + action[1] + '"]');
      what = (tapped ? tapped.textContent.trim() : "") + " at " + when;
      const note = fields.find(function (field) { return field[0] === "note"; });
      if (note && note[1]) what += ": " + note[1];
    } else {
      const row = form.closest("tr");
      const name = row && row.querySelector("th .fw-semibold");
      children = name ? name.textContent.trim() : "";
      what = "Signed in at " + when;
    }
    const status = rule.kind === "care" ? document.getElementById("care-status") : null;
    function say(text, failed) {
      const box = element("div", "alert mb-2 " + (failed ? "alert-danger" : "alert-warning"), text);
      if (failed) box.setAttribute("role", "alert");
      if (status) { status.replaceChildren(box); return; }
      const cell = form.closest("td") || form.parentElement;
      const old = cell.querySelector("[data-outbox-note]");
      if (old) old.remove();
      box.dataset.outboxNote = "1";
      box.classList.add("small", "mt-1", "py-1");
      cell.append(box);
    }
    global.KeyStoryOutbox.queue({
      id: id,
      kind: rule.kind,
      author: user,
      url: path,
      csrf: csrf(),
      fields: fields,
      summary: { title: rule.title, children: children, text: what },
    }).then(function (kept) {
      say("No connection: " + (children ? children + ", " : "") + what + " is kept on this tablet and will be sent when the connection comes back. " + kept.warning, false);
      if (rule.kind === "sign-in") form.querySelectorAll("button").forEach(function (btn) { btn.disabled = true; });
    }, function (problem) {
      say(problem.message || "No connection, and this could not be kept on the tablet. Nothing was saved.", true);
    });
  });

  document.addEventListener("keystory:outbox", draw);
  if (channel) channel.addEventListener("message", draw);
  global.addEventListener("online", sendMine);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(self);
