// Grid worker page: every report goes into an IndexedDB outbox first, with its idempotency key, and is sent when
// there is a network; the server answers a resend of the same key with the same case, so each is created once.
(function () {
  "use strict";
  var W = window.Wangge;
  var form = document.getElementById("quick-report");
  if (!form) return;
  var countEl = document.getElementById("outbox-count"), statusEl = document.getElementById("outbox-status");
  var failedEl = document.getElementById("outbox-failed");
  var DB = "wangge-outbox", STORE = "reports";

  function db() {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open(DB, 1);
      open.onupgradeneeded = function () { open.result.createObjectStore(STORE, { keyPath: "key" }); };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { reject(open.error); };
    });
  }
  function tx(mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(STORE, mode), store = t.objectStore(STORE), result;
        var req = fn(store);
        if (req) req.onsuccess = function () { result = req.result; };
        t.oncomplete = function () { d.close(); resolve(result); };
        t.onerror = function () { d.close(); reject(t.error); };
      });
    });
  }
  function all() { return tx("readonly", function (s) { return s.getAll(); }).then(function (r) { return r || []; }); }
  function put(item) { return tx("readwrite", function (s) { return s.put(item); }); }
  function remove(key) { return tx("readwrite", function (s) { return s.delete(key); }); }

  function show() {
    return all().then(function (items) {
      var waiting = items.filter(function (i) { return !i.error; });
      countEl.textContent = waiting.length;
      document.body.classList.toggle("has-outbox", waiting.length > 0);
      failedEl.innerHTML = "";
      items.filter(function (i) { return i.error; }).forEach(function (i) {
        var li = document.createElement("li");
        li.textContent = i.report.description.slice(0, 30) + " — " + i.error + " ";
        var drop = document.createElement("button");
        drop.type = "button"; drop.textContent = W.s("remove");
        drop.addEventListener("click", function () { remove(i.key).then(show); });
        li.appendChild(drop);
        failedEl.appendChild(li);
      });
    });
  }

  var flushing = false;
  function flush() {
    if (flushing) return Promise.resolve();
    if (!navigator.onLine) { statusEl.textContent = W.s("offlineWaiting"); return show(); }
    flushing = true;
    return all().then(function (items) {
      var chain = Promise.resolve(), sent = 0, stop = false;
      items.filter(function (i) { return !i.error; }).forEach(function (item) {
        chain = chain.then(function () {
          if (stop) return;
          return W.request("POST", W.path("apiCases"), W.reportBody(item.report, item.photos), { "Idempotency-Key": item.key }).then(function (res) {
            if (res.ok) { sent++; return remove(item.key).then(show); }
            if (res.status === 401) { stop = true; statusEl.textContent = W.s("signedOutToSend"); return; }
            // A stale page (its form token no longer matches): the report is fine, the page is not. Keep it for a reload.
            var code = res.body && res.body.error && res.body.error.code;
            if (res.status === 403 && (code === "csrf_failed" || code === "cross_site")) { stop = true; statusEl.textContent = W.s("reloadToSend"); return; }
            if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
              item.error = W.errorText(res);
              return put(item).then(show);
            }
            stop = true;  // the server is busy or failing: keep it and try later
          }, function () { stop = true; statusEl.textContent = W.s("willRetry"); });
        });
      });
      return chain.then(function () {
        if (sent) { statusEl.textContent = W.s("sentCount", { n: sent }); refreshTasks(); }
      });
    }).then(function () { flushing = false; return show(); }, function (e) { flushing = false; statusEl.textContent = String(e); });
  }

  var saving = false;
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (saving) return;  // a double tap is one report
    W.showError(form, null);
    var f = form.elements;
    if (!f.category_code.value) { W.showError(form, { body: { error: { field: "category_code", message: W.s("chooseCategory") } } }); return; }
    if (!f.description.value.trim()) { W.showError(form, { body: { error: { field: "description", message: W.s("writeFewWords") } } }); return; }
    var report = { category_code: f.category_code.value, description: f.description.value.trim(), source: "grid_worker" };
    if (f.lat.value && f.lon.value) { report.lat = +f.lat.value; report.lon = +f.lon.value; } else { report.area_code = f.area_code.value; }
    // Photos are kept in the outbox as files (IndexedDB stores them), so a report made offline keeps its evidence.
    var files = f.photos ? Array.prototype.slice.call(f.photos.files, 0, 9) : [];
    var item = { key: W.newKey(), report: report, photos: files, createdAt: new Date().toISOString() };
    saving = true;
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    put(item).then(function () {
      saving = false; button.disabled = false;
      f.description.value = "";
      if (f.photos) f.photos.value = "";
      statusEl.textContent = W.s("savedSending");
      return show();
    }, function (err) {
      saving = false; button.disabled = false;
      statusEl.textContent = String(err);
    }).then(flush);
  });

  document.getElementById("outbox-send").addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { statusEl.textContent = W.s("offlineWaiting"); });
  setInterval(flush, 10000);

  document.getElementById("qr-here").addEventListener("click", function () {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.lat.value = pos.coords.latitude.toFixed(6);
      form.elements.lon.value = pos.coords.longitude.toFixed(6);
      document.getElementById("qr-place").textContent = W.s("usingHere") +
        pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5);
    });
  });

  // ---- tasks ----
  var tasks = document.getElementById("tasks");
  function refreshTasks() { if (navigator.onLine) W.refresh(tasks, W.path("worker")).catch(function () {}); }
  tasks.addEventListener("click", function (e) {
    var b = e.target.closest("button.quick-act");
    if (!b) return;
    b.disabled = true;
    W.request("POST", W.path("apiCaseActions", { id: b.dataset.id }), { action: b.dataset.action }).then(function (res) {
      if (res.ok) { refreshTasks(); return; }
      b.disabled = false;
      b.closest("li").querySelector(".field-error").textContent = W.errorText(res);
    }, function () { b.disabled = false; b.closest("li").querySelector(".field-error").textContent = W.errorText({}); });
  });
  W.live(function () { refreshTasks(); });

  if ("serviceWorker" in navigator) navigator.serviceWorker.register(W.path("serviceWorker"), { scope: W.path("worker") }).catch(function () {});
  show().then(flush);
})();
