// Service worker of the grid worker page: keeps the page and its files so it opens with no network. It never
// touches API calls: reports wait in the page's IndexedDB outbox instead, so nothing is sent twice.
var CACHE = "wangge-worker-v1";
var SHELL = ["/worker", "/static/app.css", "/static/app.js", "/static/worker.js", "/static/manifest.webmanifest", "/static/icon.svg"];

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});
self.addEventListener("fetch", function (e) {
  var url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname === "/worker" && !url.search) {
    // the page: fresh when online, the kept copy when not
    e.respondWith(fetch(e.request).then(function (r) {
      if (r.ok) { var copy = r.clone(); caches.open(CACHE).then(function (c) { c.put("/worker", copy); }); }
      return r;
    }).catch(function () { return caches.match("/worker"); }));
  } else if (url.pathname.indexOf("/static/") === 0) {
    e.respondWith(fetch(e.request).then(function (r) {
      if (r.ok) { var copy = r.clone(); caches.open(CACHE).then(function (c) { c.put(e.request, copy); }); }
      return r;
    }).catch(function () { return caches.match(e.request); }));
  }
});
