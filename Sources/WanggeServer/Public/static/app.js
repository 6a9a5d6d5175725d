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
  var texts = data.text || {}, paths = data.paths || {}, errors = data.errors || {};
  function own(table, key) { return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : null; }
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
  /** What to show for a failed W.request answer, in the page's language: the text table's text for the error's
   *  code and field, or for its code (Text.apiErrors, in the data block); the API's message only for a code without
   *  a text (and for the errors the scripts make themselves, whose message is a W.s text already). An invalid field
   *  is named by its label (at.label) where the page knows it, or said "this field" when shown beside it (at.field).
   *  An answer without a body says its HTTP status; no answer at all (res {} or undefined) says the network is down. */
  W.errorText = function (res, at) {
    var err = res && res.body && res.body.error;
    if (!err) return res && res.status ? W.s("httpFailed", { status: res.status }) : W.s("noNetwork");
    if (!err.code) return err.message || W.s("httpFailed", { status: res.status || 0 });
    var specific = err.field ? own(errors, err.code + ":" + err.field) : null;
    if (specific) return specific;
    if (err.code === "invalid_input" && err.field && at) {
      if (at.label) return W.s("fieldInvalidNamed", { label: at.label });
      if (at.field) return W.s("fieldInvalid");
    }
    return own(errors, err.code) || err.message || W.s("httpFailed", { status: res.status || 0 });
  };
  /** The form control an API field names: "terms[0].obligor" is the control named "terms.0.obligor". */
  function control(form, field) {
    var q = function (name) { return form.querySelector('[name="' + name.replace(/["\\]/g, "\\$&") + '"]'); };
    return q(field) || q(field.replace(/\[(\d+)\]/g, ".$1"));
  }
  /** A control's label as the page shows it: the label's own words (a wrapping label's text, not its options). */
  function labelOf(el) {
    var l = el.labels && el.labels[0];
    var by = (el.getAttribute("aria-labelledby") || "").split(/\s+/).map(function (id) { return document.getElementById(id); })
      .filter(Boolean).map(function (e) { return e.textContent.trim(); }).join(" ");
    // A fieldset's legend names its field as a numbered step ("4. 说说情况"): the step number is left out.
    if (by) return by.replace(/^\d+\.\s*/, "");
    if (!l) return el.getAttribute("aria-label") || "";
    var words = Array.prototype.filter.call(l.childNodes, function (n) { return n.nodeType === 3; })
      .map(function (n) { return n.textContent; }).join("").trim();
    return words || l.textContent.trim();
  }
  /** Shows an API error next to its field in the form (elements with data-for="field"), or in the fallback; the text
   *  is W.errorText's. res undefined or null only clears the form's errors; res {} says the network is down. */
  W.showError = function (form, res, fallback) {
    form.querySelectorAll(".field-error").forEach(function (e) { e.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); });
    if (!res) return;
    var err = (res.body && res.body.error) || {};
    var field = err.field || "form";
    var byField = form.querySelector('[data-for="' + field.replace(/["\\]/g, "\\$&") + '"]');
    var box = byField || form.querySelector('[data-for="form"]') || form.querySelector('[data-for="action"]') || fallback;
    var input = err.field ? control(form, err.field) : null;
    var label = input ? labelOf(input) : (byField && byField.getAttribute("data-label")) || "";
    if (box) box.textContent = W.errorText(res, { label: label, field: !!byField });
    if (input && input.type !== "hidden") { input.setAttribute("aria-invalid", "true"); input.focus(); }
  };
  /** The body of POST /api/v1/cases: the report as JSON, or multipart (part "case" and parts "photos") with photos. */
  W.reportBody = function (report, photos) {
    if (!photos || !photos.length) return report;
    var body = new FormData();
    body.append("case", new Blob([JSON.stringify(report)], { type: "application/json" }), "case.json");
    photos.forEach(function (p, i) { body.append("photos", p, p.name || ("photo-" + i + ".jpg")); });
    return body;
  };
  /** Calls onEvent(event) for every live event of a kind of record ("case" unless kind names another, such as
   *  "mediation") in the user's scope; reconnects by itself. */
  W.live = function (onEvent, kind) {
    if (!window.EventSource) return null;
    var es = new EventSource(W.path("apiEvents"));
    es.addEventListener(kind || "case", function (e) { try { onEvent(JSON.parse(e.data)); } catch (x) { /* ignore */ } });
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

  function registerPath(name, id) {
    switch (name) {
      case "apiHeightenedPeriods": return W.path("apiHeightenedPeriods");
      case "apiHeightenedPeriodCallOff": return W.path("apiHeightenedPeriodCallOff", { id: id });
      case "apiGraveEvents": return W.path("apiGraveEvents");
      case "apiGraveEventWithdraw": return W.path("apiGraveEventWithdraw", { id: id });
    }
    throw new Error("no register path " + name);
  }
  // A form of a small register (heightened periods, grave events): posted as JSON to the path named by data-path
  // (with data-id), then the page reloads. A datetime-local field with data-instant gets the county's offset
  // (the form's data-offset); a multiple select is sent as a list.
  document.addEventListener("submit", function (e) {
    var form = e.target.closest && e.target.closest("form.j-post");
    if (!form) return;
    e.preventDefault();
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      if (el.multiple) { out[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; }); return; }
      if (el.value === "") return;
      out[el.name] = el.hasAttribute("data-instant") ? el.value + (el.value.length === 16 ? ":00" : "") + (form.dataset.offset || "+08:00") : el.value;
    });
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    W.request("POST", registerPath(form.dataset.path, form.dataset.id), out).then(function (res) {
      if (button) button.disabled = false;
      if (res.ok) { window.location.reload(); return; }
      W.showError(form, res);
    }, function () { if (button) button.disabled = false; W.showError(form, {}); });
  });

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
