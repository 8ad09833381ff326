// Photos chosen on the capture page that have not reached the server yet, kept in the tablet's IndexedDB
// the moment they are chosen: closing the page, or the tablet locking itself, does not lose them.
// Each is kept with its observation's client key and its author, and given back only to that author.
(function (global) {
  "use strict";
  const DB_NAME = "keystory-waiting-photos";
  const STORE = "photos";

  // Loaded after outbox.js (base.html), whose IndexedDB helper it shares.
  const withStore = global.KeyStoryOutbox.storeIn(DB_NAME, STORE);

  function newId() {
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  // Keep ``file`` for the observation ``observation`` by ``author``; resolves to its id (or "" if it could not).
  function keep(observation, author, file) {
    const id = newId();
    return withStore("readwrite", function (store) {
      return store.put({ id: id, observation: observation, author: String(author), blob: file, name: file.name, at: Date.now() });
    }).then(function () { return id; }, function () { return ""; });
  }

  // That author's photos for that observation, oldest first, as Files carrying their id (``keptId``).
  function of(observation, author) {
    return withStore("readonly", function (store) { return store.getAll(); }).then(function (rows) {
      return (rows || [])
        .filter(function (row) { return row.observation === observation && row.author === String(author); })
        .sort(function (a, b) { return a.at - b.at; })
        .map(function (row) {
          const file = row.blob instanceof File ? row.blob : new File([row.blob], row.name || "photo.jpg", { type: row.blob.type });
          file.keptId = row.id;
          return file;
        });
    }).catch(function () { return []; });
  }

  function forget(id) {
    if (!id) return Promise.resolve();
    return withStore("readwrite", function (store) { return store.delete(id); }).catch(function () {});
  }

  function forgetAll(observation, author) {
    return of(observation, author).then(function (files) {
      return Promise.all(files.map(function (file) { return forget(file.keptId); }));
    });
  }

  global.KeyStoryWaitingPhotos = { keep: keep, of: of, forget: forget, forgetAll: forgetAll };
})(self);
