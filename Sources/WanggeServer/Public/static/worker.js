// Grid worker page: every report, inspection and visit goes into an IndexedDB outbox first, with its idempotency
// key, and is sent when there is a network; the server answers a resend of the same key with the same case,
// inspection or visit, so each is created once. An item's `kind` says which ("report" when absent: older items).
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
        li.textContent = label(i).slice(0, 30) + " — " + i.error + " ";
        var drop = document.createElement("button");
        drop.type = "button"; drop.textContent = W.s("remove");
        drop.addEventListener("click", function () { remove(i.key).then(show); });
        li.appendChild(drop);
        failedEl.appendChild(li);
      });
    });
  }

  function label(i) { return i.label || (i.report && i.report.description) || ""; }

  // Photos kept with an inspection are uploaded first (the same file is the same photo), then the inspection names them.
  function upload(files) {
    if (!files || !files.length) return Promise.resolve([]);
    var data = new FormData();
    files.forEach(function (f, k) { data.append("photos", f, f.name || ("photo-" + k + ".jpg")); });
    return W.request("POST", W.path("apiPhotos"), data).then(function (res) {
      if (!res.ok) return Promise.reject(res);
      return res.body.map(function (p) { return p.sha256; });
    });
  }
  // A patrol's findings and end name the patrol by the outbox key of its start: the id the server gave that start is
  // kept here (the start item leaves the outbox once sent), so a patrol begun offline is sent in order.
  var PATROLS = "wangge-patrol-ids", CURRENT = "wangge-patrol";
  function patrolIds() { try { return JSON.parse(localStorage.getItem(PATROLS) || "{}"); } catch (e) { return {}; } }
  function current() { try { return JSON.parse(localStorage.getItem(CURRENT) || "null"); } catch (e) { return null; } }
  function send(item) {
    var headers = { "Idempotency-Key": item.key };
    if (item.kind === "visit") return W.request("POST", W.path("apiVisits"), item.body, headers);
    if (item.kind === "care_visit") return W.request("POST", W.path("apiCareVisits", { id: item.plan }), item.body, headers);
    if (item.kind === "patrol_start") {
      return W.request("POST", W.path("apiPatrols"), item.body, headers).then(function (res) {
        if (res.ok && res.body && res.body.id) {
          var ids = patrolIds();
          ids[item.key] = res.body.id;
          localStorage.setItem(PATROLS, JSON.stringify(ids));
        }
        return res;
      });
    }
    if (item.kind === "patrol_finding" || item.kind === "patrol_end") {
      var id = patrolIds()[item.patrol];
      // Its start is not sent yet (it is earlier in the outbox, so this happens only when that failed): wait.
      if (!id) return Promise.resolve({ ok: false, status: 0, body: null });
      if (item.kind === "patrol_end") {
        // The end is the patrol's last item: once it is sent its id is no longer needed.
        return W.request("POST", W.path("apiPatrolEnd", { id: id }), item.body, headers).then(function (res) {
          if (res.ok) { var ids = patrolIds(); delete ids[item.patrol]; localStorage.setItem(PATROLS, JSON.stringify(ids)); }
          return res;
        });
      }
      var url = W.path("apiPatrolFindings", { id: id });
      if (!item.photos || !item.photos.length || item.body.photo_ids) return W.request("POST", url, item.body, headers);
      return upload(item.photos).then(function (ids) { item.body.photo_ids = ids; return W.request("POST", url, item.body, headers); },
                                      function (res) { return res && res.status ? res : Promise.reject(res); });
    }
    if (item.kind === "inspection") {
      var results = item.body.results, chain = Promise.resolve();
      results.forEach(function (r) {
        var files = (item.photos || {})[r.item_code];
        if (!files || !files.length || r.photo_ids) return;
        chain = chain.then(function () { return upload(files).then(function (ids) { r.photo_ids = ids; }); });
      });
      return chain.then(function () { return W.request("POST", W.path("apiInspections"), item.body, headers); },
                        function (res) { return res && res.status ? res : Promise.reject(res); });
    }
    return W.request("POST", W.path("apiCases"), W.reportBody(item.report, item.photos), headers);
  }

  var flushing = false;
  function flush() {
    if (flushing) return Promise.resolve();
    if (!navigator.onLine) { statusEl.textContent = W.s("offlineWaiting"); return show(); }
    flushing = true;
    return all().then(function (items) {
      var chain = Promise.resolve(), sent = 0, stop = false;
      items.filter(function (i) { return !i.error; })
        .sort(function (a, b) { return (a.createdAt || "") < (b.createdAt || "") ? -1 : (a.createdAt || "") > (b.createdAt || "") ? 1 : 0; })
        .forEach(function (item) {
        chain = chain.then(function () {
          if (stop) return;
          return send(item).then(function (res) {
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
    var item = { key: W.newKey(), kind: "report", report: report, photos: files, createdAt: new Date().toISOString() };
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

  // ---- field work: inspections of the grid's key places and household visits ----
  var insp = document.getElementById("inspection");
  var fieldDoc = document.getElementById("field-doc");
  var labels = JSON.parse((document.getElementById("field-labels") || {}).textContent || "{}");
  var places = fieldDoc ? JSON.parse(fieldDoc.textContent) : [];
  function place() { var id = insp.elements.place_id.value; return places.filter(function (p) { return p.id === id; })[0]; }
  function checklist() {
    var p = place(), code = insp.elements.checklist_code.value;
    return p ? p.checklists.filter(function (c) { return c.code === code; })[0] : null;
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }
  function drawLists() {
    var p = place(), sel = insp.elements.checklist_code;
    sel.innerHTML = "";
    (p ? p.checklists : []).forEach(function (c) { sel.appendChild(el("option", { value: c.code }, c.name)); });
    drawItems();
  }
  function drawItems() {
    var list = document.getElementById("insp-items"), c = checklist();
    list.innerHTML = "";
    (c ? c.items : []).forEach(function (item) {
      var li = el("li", { "data-item": item.code, "data-photo": item.photo ? "1" : "" });
      li.appendChild(el("span", { "class": "item-name" }, item.name));
      var row = el("div", { "class": "row pass-fail" });
      ["pass", "fail"].forEach(function (v) {
        var lab = el("label", { "class": "check" });
        var r = el("input", { type: "radio", name: "r-" + item.code, value: v });
        lab.appendChild(r);
        lab.appendChild(document.createTextNode(" " + labels[v]));
        row.appendChild(lab);
      });
      li.appendChild(row);
      var more = el("div", { "class": "failed-detail", hidden: "" });
      var note = el("input", { name: "note-" + item.code, maxlength: "500", "aria-label": labels.note, placeholder: labels.note });
      more.appendChild(note);
      if (item.photo) {
        var ph = el("label", {}, labels.photo + " ");
        ph.appendChild(el("input", { type: "file", name: "photo-" + item.code, accept: "image/jpeg,image/png,image/webp", multiple: "" }));
        more.appendChild(ph);
      }
      li.appendChild(more);
      li.appendChild(el("span", { "class": "field-error", "data-for": "item-" + item.code }));
      list.appendChild(li);
    });
  }
  if (insp && places.length) {
    insp.elements.place_id.addEventListener("change", drawLists);
    insp.elements.checklist_code.addEventListener("change", drawItems);
    insp.addEventListener("change", function (e) {
      if (e.target.type !== "radio") return;
      var li = e.target.closest("li");
      li.querySelector(".failed-detail").hidden = e.target.value !== "fail";
    });
    drawLists();
    insp.addEventListener("submit", function (e) {
      e.preventDefault();
      W.showError(insp, null);
      var c = checklist(), p = place();
      if (!c || !p) return;
      var results = [], photos = {}, problem = null;
      c.items.forEach(function (item) {
        var li = insp.querySelector('li[data-item="' + item.code + '"]');
        var chosen = li.querySelector("input[type=radio]:checked");
        if (!chosen) { problem = problem || { field: "item-" + item.code, message: labels.chooseAll }; return; }
        var r = { item_code: item.code, passed: chosen.value === "pass" };
        if (!r.passed) {
          var note = li.querySelector('input[name="note-' + item.code + '"]').value.trim();
          if (note) r.note = note;
          var input = li.querySelector('input[type="file"]');
          var files = input ? Array.prototype.slice.call(input.files, 0, 6) : [];
          if (item.photo && !files.length) problem = problem || { field: "item-" + item.code, message: labels.needPhoto };
          if (files.length) photos[item.code] = files;
        }
        results.push(r);
      });
      if (problem) { W.showError(insp, { body: { error: problem } }); return; }
      var item = { key: W.newKey(), kind: "inspection", label: p.name + " · " + c.name, photos: photos,
                   body: { place_id: p.id, checklist_code: c.code, results: results }, createdAt: new Date().toISOString() };
      put(item).then(function () {
        statusEl.textContent = labels.saved;
        drawItems();
        return show();
      }).then(flush);
    });
  }
  // ---- the patrol: start, findings, end, each an outbox item ----
  var pStart = document.getElementById("patrol-start"), pFind = document.getElementById("patrol-finding"), pEnd = document.getElementById("patrol-end");
  var pState = document.getElementById("patrol-state");
  function drawPatrol() {
    if (!pStart) return;
    var c = current();
    pStart.hidden = !!c;
    pFind.hidden = !c;
    pEnd.hidden = !c;
    if (c) pState.textContent = labels.patrolOn + new Date(c.startedAt).toLocaleTimeString() + labels.patrolOnEnd;
  }
  if (pStart) {
    drawPatrol();
    pStart.addEventListener("click", function () {
      var key = W.newKey(), at = new Date().toISOString();
      localStorage.setItem(CURRENT, JSON.stringify({ key: key, startedAt: at }));
      drawPatrol();
      put({ key: key, kind: "patrol_start", label: pStart.textContent, body: { grid_code: pStart.dataset.grid }, createdAt: at }).then(show).then(flush);
    });
    pFind.addEventListener("submit", function (e) {
      e.preventDefault();
      var c = current(), f = pFind.elements;
      W.showError(pFind, null);
      if (!c) return;
      if (!f.note.value.trim()) { W.showError(pFind, { body: { error: { field: "form", message: labels.writeFinding } } }); return; }
      var body = { note: f.note.value.trim() };
      if (f.category_code.value) body.category_code = f.category_code.value;
      if (f.place_id && f.place_id.value) body.place_id = f.place_id.value;
      var save = function () {
        var files = f.photos ? Array.prototype.slice.call(f.photos.files, 0, 9) : [];
        return put({ key: W.newKey(), kind: "patrol_finding", patrol: c.key, label: body.note, body: body, photos: files,
                     createdAt: new Date().toISOString() }).then(function () {
          f.note.value = ""; f.category_code.value = ""; f.here.checked = false; if (f.photos) f.photos.value = ""; if (f.place_id) f.place_id.value = "";
          pState.textContent = labels.findingSaved;
          return show();
        }).then(flush);
      };
      // A point only where the worker asks for one, read once now.
      if (f.here.checked && navigator.geolocation) {
        navigator.geolocation.getCurrentPosition(function (p) { body.lat = +p.coords.latitude.toFixed(6); body.lon = +p.coords.longitude.toFixed(6); save(); },
                                                 function () { save(); }, { timeout: 8000, maximumAge: 60000 });
      } else { save(); }
    });
    pEnd.addEventListener("submit", function (e) {
      e.preventDefault();
      var c = current();
      if (!c) return;
      var summary = pEnd.elements.summary.value.trim();
      localStorage.removeItem(CURRENT);
      put({ key: W.newKey(), kind: "patrol_end", patrol: c.key, label: pStart.textContent, body: summary ? { summary: summary } : {},
            createdAt: new Date().toISOString() }).then(function () {
        pEnd.elements.summary.value = "";
        drawPatrol();
        pState.textContent = labels.patrolEnded;
        return show();
      }).then(flush);
    });
  }

  // ---- care visits due: one tap opens the short form for that plan ----
  var care = document.getElementById("care"), careForm = document.getElementById("care-visit");
  if (care && careForm) {
    care.addEventListener("click", function (e) {
      var b = e.target.closest("button.care-act");
      if (!b) return;
      var li = b.closest("li");
      careForm.dataset.plan = li.dataset.plan;
      careForm.dataset.label = li.querySelector("span").textContent;
      careForm.hidden = false;
      li.after(careForm);
      careForm.elements.note.focus();
    });
    careForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var f = careForm.elements, body = {};
      if (f.note.value.trim()) body.note = f.note.value.trim();
      if (f.help_category_code.value) body.help_category_code = f.help_category_code.value;
      var plan = careForm.dataset.plan;
      put({ key: W.newKey(), kind: "care_visit", plan: plan, label: careForm.dataset.label, body: body, createdAt: new Date().toISOString() }).then(function () {
        var li = care.querySelector('li[data-plan="' + plan + '"]');
        if (li) li.hidden = true;
        careForm.hidden = true;
        f.note.value = ""; f.help_category_code.value = "";
        document.getElementById("care-status").textContent = labels.careSaved;
        return show();
      }).then(flush);
    });
  }

  // A place due for inspection again: its button picks the place in the inspection form.
  var again = document.getElementById("reinspections");
  if (again && insp) again.addEventListener("click", function (e) {
    var b = e.target.closest("button.reinspect-act");
    if (!b) return;
    insp.elements.place_id.value = b.dataset.place;
    insp.elements.place_id.dispatchEvent(new Event("change"));
    insp.scrollIntoView({ behavior: "smooth", block: "start" });
  });
  var visits = document.getElementById("visits");
  if (visits) visits.addEventListener("click", function (e) {
    var b = e.target.closest("button.visit-act");
    if (!b) return;
    var li = b.closest("li");
    var item = { key: W.newKey(), kind: "visit", label: li.querySelector("span").textContent,
                 body: { household_id: li.dataset.household, outcome: b.dataset.outcome }, createdAt: new Date().toISOString() };
    li.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
    put(item).then(function () {
      document.getElementById("visit-status").textContent = labels.visitSaved;
      if (b.dataset.outcome === "met") li.hidden = true;
      return show();
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
