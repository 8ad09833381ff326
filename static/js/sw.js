// KeyStory's service worker, served at /sw.js by core.pwa.service_worker, which puts
// self.KEYSTORY = {version, precache, offline, outbox} in front of this file.
//
// - The static shell (CSS, JS, vendor files, icons, the offline page) is stored at install.
// - Only three staff pages are kept, and only once the signed-in person has opened them: the capture
//   page, a room's care log and a room's register. They are fetched from the network first; the stored
//   copy opens them when there is no connection. Nothing else a person opens is kept.
// - pwa.js empties the page store when someone signs out or a different person signs in.
// - Background Sync ("keystory-outbox") sends what outbox.js queued while the page was closed.
/* global self, caches, KEYSTORY */
"use strict";

const SHELL = "keystory-shell-" + KEYSTORY.version;
const PAGES = "keystory-pages";
const KEPT_PAGES = [
  /^\/stories\/observations\/new\/$/,
  /^\/children\/rooms\/\d+\/care-log\/$/,
  /^\/children\/rooms\/\d+\/register\/$/,
];

if (KEYSTORY.outbox) self.importScripts(KEYSTORY.outbox);

function keptPage(url) {
  return url.origin === self.location.origin && KEPT_PAGES.some(function (pattern) { return pattern.test(url.pathname); });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL)
      .then(function (cache) { return cache.addAll(KEYSTORY.precache.concat([KEYSTORY.offline])); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.startsWith("keystory-shell-") && name !== SHELL;
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

// A kept page: the network's answer when there is one (stored for next time), else the stored copy.
function networkFirst(request) {
  const url = new URL(request.url);
  return fetch(request).then(function (response) {
    // Only a page really shown to the person: not a redirect to the log-in page, not an error page.
    if (response.ok && !response.redirected && response.type === "basic") {
      const copy = response.clone();
      caches.open(PAGES).then(function (cache) { return cache.put(url.pathname, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES)
      .then(function (cache) { return cache.match(url.pathname); })
      .then(function (stored) { return stored || offlinePage(); });
  });
}

function offlinePage() {
  return caches.match(KEYSTORY.offline, { cacheName: SHELL }).then(function (page) {
    return page || new Response("No connection to KeyStory.", { status: 503, headers: { "Content-Type": "text/plain" } });
  });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return; // saving always goes to the server (outbox.js queues what fails)
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (keptPage(url)) event.respondWith(networkFirst(request));
    else event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (KEYSTORY.precache.includes(url.pathname)) {
    event.respondWith(
      caches.match(url.pathname, { cacheName: SHELL }).then(function (stored) { return stored || fetch(request); })
    );
  }
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "forget-pages") {
    event.waitUntil(caches.delete(PAGES));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "keystory-outbox" && self.KeyStoryOutbox) {
    event.waitUntil(self.KeyStoryOutbox.sendAll({ fromWorker: true }));
  }
});
