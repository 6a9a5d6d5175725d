// Wangge pages: shared helpers (window.Wangge) and the jurisdiction page's enhancements.
(function () {
  "use strict";
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  var W = window.Wangge = window.Wangge || {};
  // The page's data block (Layout.dataBlock): the string table's texts for the scripts, in the page's language, and
  // the route table's paths they build URLs from.
  var data = {};
  var block = document.getElementById("w-text");
  if (block) { try { data = JSON.parse(block.textContent); } catch (e) { data = {}; } }
  var texts = data.text || {}, paths = data.paths || {};
  /** A UI text from the string table: W.s("sentCount", {n: 3}) fills {n}; an unknown key shows as itself. */
  W.s = function (key, values) {
    var s = Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : key;
    if (values) s = s.replace(/\{(\w+)\}/g, function (m, k) { return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m; });
    return s;
  };
  /** One of two data fields of an API answer by the page's language: W.pick(c.name, c.name_en). */
  W.pick = function (zhValue, enValue) { return zh ? zhValue : enValue; };
  /** A URL from a route table path: W.path("apiCaseActions", {id: id}) is /api/v1/cases/ID/actions; query values
   *  that are null or undefined are left out. */
  W.path = function (name, params, query) {
    if (!Object.prototype.hasOwnProperty.call(paths, name)) throw new Error("no path " + name);
    var url = paths[name].replace(/:(\w+)/g, function (m, k) { return encodeURIComponent(params[k]); });
    var q = Object.keys(query || {}).filter(function (k) { return query[k] != null; })
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(query[k]); });
    return q.length ? url + "?" + q.join("&") : url;
  };
  /** A random idempotency key; crypto.getRandomValues works on plain http too, unlike randomUUID. */
  W.newKey = function () {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  };
  /** fetch that resolves to {ok, status, body}; body is the parsed JSON or null. Never rejects on HTTP errors. */
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  /** The page's CSRF token, sent with every write made with the session cookie. */
  W.csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  W.request = function (method, url, body, headers) {
    var init = { method: method, credentials: "same-origin", headers: Object.assign({ Accept: "application/json" }, headers || {}) };
    if (method !== "GET" && W.csrf) init.headers["X-CSRF-Token"] = W.csrf;
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
    return fetch(url, init).then(function (r) {
      return r.text().then(function (text) {
        var parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
        return { ok: r.ok, status: r.status, body: parsed };
      });
    });
  };
  /** Shows an API error next to its field in the form (elements with data-for="field"), or in the fallback. */
  W.showError = function (form, res, fallback) {
    form.querySelectorAll(".field-error").forEach(function (e) { e.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); });
    if (!res) return;
    var err = (res.body && res.body.error) || { message: W.s("noNetwork") };
    var field = err.field || "form";
    var box = form.querySelector('[data-for="' + field + '"]') || form.querySelector('[data-for="form"]') ||
      form.querySelector('[data-for="action"]') || fallback;
    if (box) box.textContent = err.message;
    var input = form.querySelector('[name="' + field + '"]');
    if (input) { input.setAttribute("aria-invalid", "true"); input.focus(); }
  };
  /** The body of POST /api/v1/cases: the report as JSON, or multipart (part "case" and parts "photos") with photos. */
  W.reportBody = function (report, photos) {
    if (!photos || !photos.length) return report;
    var body = new FormData();
    body.append("case", new Blob([JSON.stringify(report)], { type: "application/json" }), "case.json");
    photos.forEach(function (p, i) { body.append("photos", p, p.name || ("photo-" + i + ".jpg")); });
    return body;
  };
  /** Calls onEvent(caseEvent) for every live case event in the user's scope; reconnects by itself. */
  W.live = function (onEvent) {
    if (!window.EventSource) return null;
    var es = new EventSource(W.path("apiEvents"));
    es.addEventListener("case", function (e) { try { onEvent(JSON.parse(e.data)); } catch (x) { /* ignore */ } });
    es.addEventListener("open", function () { document.body.classList.add("is-live"); });
    es.addEventListener("error", function () { document.body.classList.remove("is-live"); });
    return es;
  };
  /** Replaces el's content with the page's fragment (same URL, fragment=1). */
  W.refresh = function (el, url) {
    var u = url || (location.pathname + location.search);
    u += (u.indexOf("?") >= 0 ? "&" : "?") + "fragment=1";
    return fetch(u, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (html) { el.innerHTML = html; });
  };

  var tree = document.querySelector("ul.tree");
  if (!tree) return;

  // A grid's team is fetched when its row is opened.
  tree.addEventListener("toggle", function (e) {
    var d = e.target;
    if (!d.open || !d.dataset.team || d.dataset.loaded) return;
    var box = d.querySelector(".team");
    d.dataset.loaded = "1";
    box.textContent = tree.dataset.loading;
    fetch(d.dataset.team, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (team) {
        box.textContent = "";
        if (!team.members.length) { box.textContent = tree.dataset.empty; return; }
        var ul = document.createElement("ul");
        ul.className = "members";
        team.members.forEach(function (m) {
          var li = document.createElement("li");
          var pos = document.createElement("span"); pos.className = "pos"; pos.textContent = m.position_name;
          var phone = document.createElement("span"); phone.className = "phone"; phone.textContent = m.phone || "";
          li.append(pos, " " + m.name + " ", phone);
          ul.appendChild(li);
        });
        box.appendChild(ul);
      })
      .catch(function () { delete d.dataset.loaded; box.textContent = "⚠"; });
  }, true);

  // Clicking a grid on the map opens it in the tree.
  var map = document.querySelector("svg.map");
  if (map) map.addEventListener("click", function (e) {
    var code = e.target.getAttribute && e.target.getAttribute("data-code");
    if (!code) return;
    var li = document.getElementById("grid-" + code);
    if (!li) return;
    for (var p = li; p && p !== tree; p = p.parentElement) if (p.tagName === "DETAILS") p.open = true;
    li.querySelector("details").open = true;
    li.scrollIntoView({ block: "center" });
    li.querySelector("summary").focus();
  });

  // Filter the tree by name or code: matching rows and their ancestors stay.
  var filter = document.getElementById("tree-filter");
  if (filter) filter.addEventListener("input", function () {
    var q = filter.value.trim().toLowerCase();
    var items = tree.querySelectorAll("li");
    items.forEach(function (li) { li.hidden = false; });
    if (!q) return;
    items.forEach(function (li) {
      var own = (li.dataset.name || "").toLowerCase().indexOf(q) >= 0;
      var inside = Array.prototype.some.call(li.querySelectorAll("li"), function (c) { return (c.dataset.name || "").toLowerCase().indexOf(q) >= 0; });
      li.hidden = !(own || inside);
      if (inside) { var d = li.querySelector("details"); if (d) d.open = true; }
    });
  });
})();
