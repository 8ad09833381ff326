// The observation capture page: nothing typed is lost.
// Every change is copied to localStorage at once and saved to the server a few seconds later; photos
// upload one by one as they are chosen; "Send" saves first and only then submits, so a dropped
// connection keeps the observation on the tablet and sends it when the connection comes back.
(function () {
  "use strict";
  const form = document.getElementById("capture-form");
  if (!form) return;

  const CURRENT = "keystory:observation:current";
  const SAVE_DELAY = 3000;
  const status = document.getElementById("save-status");
  const photoStatus = document.getElementById("photo-status");
  const photoList = document.getElementById("photo-list");
  const offline = document.getElementById("offline-notice");
  let timer = null;
  let dirty = false;
  let saving = null;
  let sending = false;
  let lastChildren = taggedChildren().join(",");
  const waitingPhotos = [];
  const outbox = window.KeyStoryOutbox;
  const keptPhotos = window.KeyStoryWaitingPhotos; // static/js/waiting-photos.js: chosen photos survive a closed page
  const params = new URLSearchParams(window.location.search);
  // The page may come from the tablet's copy (no connection): its key and "fresh" are not this visit's.
  form.dataset.fresh = params.has("fresh") ? "1" : "";
  if (!form.dataset.editUrl && outbox) form.elements.client_key.value = outbox.newKey();

  // Who is typing: a shared tablet keeps each person's unsent text for them alone.
  const userMeta = document.querySelector('meta[name="keystory-user"]');
  const me = userMeta ? userMeta.content : "";

  function key() { return form.elements.client_key.value; }
  function storeKey() { return "keystory:observation:" + key(); }
  function csrf() { return form.elements.csrfmiddlewaretoken.value; }

  function fields() {
    const out = [];
    for (const el of form.elements) {
      if (!el.name || el.type === "file" || el.name === "csrfmiddlewaretoken" || el.type === "submit") continue;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) continue;
      out.push([el.name, el.value]);
    }
    return out;
  }

  // synced: the server has exactly this copy (so reopening the page has nothing to bring back).
  function keepLocal(pendingSubmit, synced) {
    try {
      localStorage.setItem(storeKey(), JSON.stringify({
        fields: fields(), at: Date.now(), pendingSubmit: Boolean(pendingSubmit),
        synced: Boolean(synced) && waitingPhotos.length === 0,
        url: form.dataset.editUrl || "", author: me,
      }));
      localStorage.setItem(CURRENT, key());
    } catch (error) { /* storage full or disabled: the server copy still saves */ }
  }

  function readLocal(k) {
    try { return JSON.parse(localStorage.getItem("keystory:observation:" + k) || "null"); } catch (error) { return null; }
  }

  function fill(saved) {
    const values = {};
    for (const [name, value] of saved.fields) (values[name] = values[name] || []).push(value);
    for (const el of form.elements) {
      if (!el.name || el.type === "file" || el.name === "csrfmiddlewaretoken" || el.name === "client_key") continue;
      if (el.type === "checkbox" || el.type === "radio") el.checked = (values[el.name] || []).includes(el.value);
      else if (el.type !== "submit" && el.type !== "hidden") el.value = (values[el.name] || [""])[0];
    }
  }

  function taggedChildren() {
    return Array.from(form.querySelectorAll("[data-child-chip]:checked")).map(function (el) { return el.value; });
  }

  // Show each tagged child's next-step box and their tick in each photo; untouched photos follow the tags.
  function syncChildren() {
    const tagged = new Set(taggedChildren());
    form.querySelectorAll("[data-next-steps]").forEach(function (box) { box.hidden = !tagged.has(box.dataset.nextSteps); });
    const empty = document.getElementById("next-steps-empty");
    if (empty) empty.hidden = tagged.size > 0;
    form.querySelectorAll("[data-photo-card]").forEach(function (card) {
      card.querySelectorAll("[data-photo-child]").forEach(function (row) {
        const box = row.querySelector("input");
        row.hidden = !tagged.has(row.dataset.photoChild);
        if (row.hidden) box.checked = false;
        else if (card.dataset.chosen !== "1") box.checked = true;
      });
      warnConsent(card);
    });
  }

  function warnConsent(card) {
    const problem = card.querySelector("[data-no-photo-consent]:checked");
    card.querySelector("[data-consent-warning]").classList.toggle("d-none", !problem);
  }

  function say(text) { if (status) status.textContent = text; }

  // --- Children from other rooms: fetched the first time their list is opened (or a restore needs them) ---
  const others = document.getElementById("other-rooms");
  let othersLoading = null;

  function loadOthers() {
    if (!others || !others.dataset.url) return Promise.resolve();
    if (othersLoading) return othersLoading;
    const note = document.getElementById("other-children-status");
    if (note) note.textContent = "Loading the children…";
    othersLoading = fetch(others.dataset.url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        const answer = document.createElement("template");
        answer.innerHTML = html;
        document.getElementById("other-children").append(...answer.content.querySelector("[data-other-chips]").childNodes);
        document.getElementById("more-next-steps").append(...answer.content.querySelector("[data-other-next-steps]").childNodes);
        delete others.dataset.url; // loaded: opening the list again shows what is here
        if (note) note.textContent = "";
        syncChildren();
      })
      .catch(function () {
        othersLoading = null; // closing and opening the list tries again
        if (note) note.textContent = "The children from other rooms could not be loaded. Check the connection, then close and open this list again.";
      });
    return othersLoading;
  }

  function body() {
    const data = new FormData();
    for (const [name, value] of fields()) data.append(name, value);
    data.append("csrfmiddlewaretoken", csrf());
    return data;
  }

  function adopt(answer) {
    // The server knows this draft now: later saves and photos go to its own addresses.
    form.dataset.autosaveUrl = answer.autosave_url;
    form.dataset.photoUrl = answer.photo_url;
    if (form.dataset.editUrl !== answer.edit_url) {
      form.dataset.editUrl = answer.edit_url;
      form.action = answer.edit_url;
      window.history.replaceState(null, "", answer.edit_url);
    }
    const warning = document.getElementById("name-warning");
    if (warning) {
      document.getElementById("named-children").textContent = answer.mentioned.join(", ");
      warning.classList.toggle("d-none", answer.mentioned.length === 0);
    }
  }

  // Save to the server; resolves to "saved", "invalid" (the server said no: submit shows why) or "offline".
  function save() {
    if (saving) return saving.then(save);
    window.clearTimeout(timer);
    dirty = false;
    say("Saving…");
    saving = fetch(form.dataset.autosaveUrl, { method: "POST", body: body(), headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.status === 400) {
          return response.json().catch(function () { return {}; }).then(function (answer) {
            const first = Object.values(answer.errors || {}).flat()[0];  // e.g. "Keep this to 10,000 characters…"
            say("Not saved: " + (first && first.message ? first.message : "please check the form."));
            return "invalid";
          });
        }
        if (!response.ok) throw new Error("server " + response.status);
        return response.json().then(function (answer) {
          adopt(answer);
          offline.classList.add("d-none");
          say("Saved " + answer.saved_at);
          if (!dirty) keepLocal(false, true);
          refreshSuggestions();
          return "saved";
        });
      })
      .catch(function () {
        dirty = true;
        say("Kept on this tablet: no connection to KeyStory.");
        return "offline";
      })
      .finally(function () { saving = null; });
    return saving;
  }

  function changed() {
    dirty = true;
    keepLocal(false);
    window.clearTimeout(timer);
    timer = window.setTimeout(save, SAVE_DELAY);
  }

  // Suggested statements depend on the tagged children's ages: reload that part from the saved draft.
  function refreshSuggestions() {
    const now = taggedChildren().join(",");
    if (now === lastChildren || !form.dataset.editUrl) return;
    lastChildren = now;
    fetch(form.dataset.editUrl).then(function (response) { return response.text(); }).then(function (html) {
      const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("suggestions");
      const mine = document.getElementById("suggestions");
      if (fresh && mine) mine.innerHTML = fresh.innerHTML;
    }).catch(function () { /* offline: suggestions come back with the next save */ });
  }

  function uploadPhotos() {
    if (!waitingPhotos.length) return Promise.resolve();
    const ready = form.dataset.photoUrl ? Promise.resolve("saved") : save();
    return ready.then(function (result) {
      if (result !== "saved" || !form.dataset.photoUrl) {
        photoStatus.textContent = waitingPhotos.length + " photo(s) waiting for the connection.";
        return;
      }
      const file = waitingPhotos[0];
      photoStatus.textContent = "Uploading " + file.name + "…";
      const data = new FormData();
      data.append("photo", file);
      data.append("csrfmiddlewaretoken", csrf());
      return fetch(form.dataset.photoUrl, { method: "POST", body: data, headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          return response.json().then(function (answer) {
            waitingPhotos.shift();
            if (keptPhotos) keptPhotos.forget(file.keptId);
            if (answer.ok) {
              photoList.insertAdjacentHTML("beforeend", answer.html);
              if (window.htmx) window.htmx.process(photoList.lastElementChild);
              syncChildren();
              photoStatus.textContent = "Photo added.";
            } else {
              photoError(answer.error);
            }
            return uploadPhotos();
          });
        })
        .catch(function () {
          photoStatus.textContent = waitingPhotos.length + " photo(s) will upload when the connection comes back.";
        });
    });
  }

  function photoError(message) {
    const alert = document.createElement("div");
    alert.className = "alert alert-danger mt-2";
    alert.setAttribute("role", "alert");
    alert.textContent = message + " Everything else you typed is kept.";
    photoStatus.after(alert);
    photoStatus.textContent = "";
  }

  function send(action) {
    if (sending) return;
    sending = true;
    keepLocal(action === "submit");
    uploadPhotos().then(save).then(function (result) {
      if (result === "offline") {
        if (outbox) return queueOnTablet(action);
        sending = false;
        offline.classList.remove("d-none");
        offline.focus();
        return;
      }
      const choice = document.createElement("input");
      choice.type = "hidden";
      choice.name = "action";
      choice.value = action;
      form.appendChild(choice);
      form.submit(); // the same draft key: a second tap or a retry finds the observation already sent
    });
  }

  // No connection: the whole observation, photos too, waits in the tablet's outbox (static/js/outbox.js),
  // and the page starts the next one. Should the tablet have no room for it, the page keeps it as before.
  function queueOnTablet(action) {
    const clips = form.querySelector("input[type=file][name=clips]");
    if (clips && clips.files.length) return refuseClips(clips);
    const chips = Array.from(form.querySelectorAll("[data-child-chip]:checked"));
    const names = chips.map(function (chip) { return chip.dataset.name || chip.value; });
    const photos = waitingPhotos.slice();
    return outbox.queue({
      id: key(),
      kind: "observation",
      author: outbox.user,
      url: form.dataset.queueUrl,
      csrf: csrf(),
      fields: fields().concat([["action", action]]),
      files: photos.map(function (file) {
        return { field: "photos", keyField: "photo_keys", key: outbox.newKey(), blob: file, filename: file.name };
      }),
      summary: {
        title: action === "draft" ? "Observation draft" : "Observation",
        children: names.join(", "),
        text: form.elements.text.value,
        photos: photos.length,
      },
    }).then(function (kept) {
      if (keptPhotos) photos.forEach(function (file) { keptPhotos.forget(file.keptId); });
      try {
        localStorage.removeItem(storeKey());
        if (localStorage.getItem(CURRENT) === key()) localStorage.removeItem(CURRENT);
        if (kept.warning) sessionStorage.setItem("keystory:outbox-warning", kept.warning);
      } catch (error) { /* storage disabled: the outbox has it */ }
      dirty = false;
      window.location.assign(window.location.pathname.replace(/[^/]+\/edit\/$|new\/$/, "new/") + "?fresh=1&queued=1");
    }, function (problem) {
      sending = false;
      offline.textContent = problem.message;
      offline.classList.remove("d-none");
      offline.focus();
    });
  }

  // A clip is too big to keep on the tablet: nothing is queued without it, and nothing typed is lost. The
  // page keeps trying to send all of it when the connection comes back ("online").
  function refuseClips(clips) {
    sending = false;
    offline.textContent = "Videos and sound recordings need a connection: send this when you're back online, "
      + "or remove the clip to keep the rest on the tablet.";
    const drop = document.createElement("button");
    drop.type = "button";
    drop.className = "btn btn-sm btn-outline-secondary ms-2";
    drop.textContent = "Remove the clip";
    drop.addEventListener("click", function () {
      clips.value = "";
      offline.textContent = "Clip removed. Press Send again to keep the rest on this tablet.";
      offline.focus();
    });
    offline.append(drop);
    offline.classList.remove("d-none");
    offline.focus();
    return Promise.resolve();
  }

  function showQueued() {
    if (!params.has("queued")) return;
    let warning = "";
    try {
      warning = sessionStorage.getItem("keystory:outbox-warning") || "";
      sessionStorage.removeItem("keystory:outbox-warning");
    } catch (error) { /* storage disabled */ }
    offline.textContent = "No connection: your observation is kept on this tablet and will be sent when the "
      + "connection comes back. You can start the next one. " + warning;
    offline.classList.remove("d-none");
  }

  // --- Wiring ---
  form.addEventListener("input", changed);
  form.addEventListener("change", function (event) {
    const target = event.target;
    if (target.matches("[data-photo-input]")) {
      const chosen = Array.from(target.files);
      target.value = "";
      Promise.all(chosen.map(function (file) {
        if (!keptPhotos) return file;
        return keptPhotos.keep(key(), me, file).then(function (id) { file.keptId = id; return file; });
      })).then(function (files) {
        waitingPhotos.push(...files);
        keepLocal(false); // the page's copy says photos wait, so reopening it brings them back
        uploadPhotos();
      });
      return;
    }
    if (target.matches("[data-child-chip]")) syncChildren();
    const card = target.closest("[data-photo-card]");
    if (card) { card.dataset.chosen = "1"; warnConsent(card); }
    changed();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const action = event.submitter && event.submitter.value === "draft" ? "draft" : "submit";
    send(action);
  });
  window.addEventListener("online", function () {
    const saved = readLocal(key());
    uploadPhotos();
    if (saved && saved.pendingSubmit) send("submit");
    else if (dirty) save();
  });
  window.addEventListener("pagehide", function () { if (dirty) keepLocal(false); });
  window.setInterval(function () { if (dirty && !saving) save(); }, 10000);

  // Someone else's unsent observation (they left the tablet, this person signed in): never shown or sent as
  // this person. It moves to the outbox under its author, sent when they sign in again; with no outbox (or
  // no room) it stays in this tablet's storage under its own key, only no longer "the current one".
  function keepForAuthor(previousKey, saved) {
    try { if (localStorage.getItem(CURRENT) === previousKey) localStorage.removeItem(CURRENT); } catch (error) { /* disabled */ }
    if (!outbox || !saved.author) return;
    const photosOf = keptPhotos ? keptPhotos.of(previousKey, saved.author) : Promise.resolve([]);
    photosOf.then(function (files) { if (files.length || !saved.synced) queueForAuthor(previousKey, saved, files); });
  }

  function queueForAuthor(previousKey, saved, photos) {
    const text = (saved.fields.find(function (field) { return field[0] === "text"; }) || ["", ""])[1];
    outbox.queue({
      id: previousKey,
      kind: "observation",
      author: saved.author,
      url: form.dataset.queueUrl,
      csrf: "",
      fields: saved.fields.filter(function (field) { return field[0] !== "action"; })
        .concat([["action", saved.pendingSubmit ? "submit" : "draft"]]),
      files: photos.map(function (file) {
        return { field: "photos", keyField: "photo_keys", key: outbox.newKey(), blob: file, filename: file.name };
      }),
      summary: { title: saved.pendingSubmit ? "Observation" : "Observation draft", children: "", text: text, photos: photos.length },
    }).then(function () {
      if (keptPhotos) photos.forEach(function (file) { keptPhotos.forget(file.keptId); });
      try { localStorage.removeItem("keystory:observation:" + previousKey); } catch (error) { /* the outbox has it */ }
    }, function () { /* no room in the outbox: it stays in localStorage, still never shown to this person */ });
  }

  // --- Bring back what was not sent ---
  (function restore() {
    if (form.dataset.fresh) { localStorage.removeItem(CURRENT); return; }
    const notice = document.getElementById("restored-notice");
    const isNew = !form.dataset.editUrl;
    const previous = isNew ? localStorage.getItem(CURRENT) : key();
    const saved = previous && readLocal(previous);
    if (new URLSearchParams(window.location.search).has("restored")) notice.classList.remove("d-none");
    if (!saved) return;
    if (String(saved.author || "") !== me) { keepForAuthor(previous, saved); return; }
    if (isNew && saved.url && navigator.onLine) { window.location.replace(saved.url + "?restored=1"); return; }
    const stale = saved.synced || saved.at <= Number(form.dataset.savedAt) * 1000;
    (keptPhotos ? keptPhotos.of(previous, me) : Promise.resolve([])).then(function (photos) {
      if (stale && !photos.length) {
        // The server has all of it (e.g. "Save draft" was tapped): a new observation starts empty.
        localStorage.removeItem("keystory:observation:" + previous);
        if (localStorage.getItem(CURRENT) === previous) localStorage.removeItem(CURRENT);
        return;
      }
      if (isNew) form.elements.client_key.value = previous;
      // A child from another room tapped before the page closed needs their chip back before refilling.
      const missing = saved.fields.some(function (field) {
        return field[0] === "children" && !form.querySelector('[data-child-chip][value="' + field[1] + '"]');
      });
      return (missing ? loadOthers() : Promise.resolve()).then(function () {
        if (!stale) fill(saved); // the server's copy is newer: only the photos come back
        syncChildren();
        if (others && others.querySelector("[data-child-chip]:checked")) others.open = true;
        notice.classList.remove("d-none");
        dirty = true;
        waitingPhotos.push(...photos);
        if (photos.length) photoStatus.textContent = photos.length + " photo(s) kept on this tablet, waiting to upload.";
        if (saved.pendingSubmit) send("submit");
        else uploadPhotos().then(save);
      });
    });
  })();
  if (others) others.addEventListener("toggle", function () { if (others.open) loadOthers(); });
  document.getElementById("start-fresh").addEventListener("click", function () { localStorage.removeItem(CURRENT); });
  syncChildren();
  showQueued();
})();
