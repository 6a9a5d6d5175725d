// The safety index's pages: the formula page (preview on last month, save as a new version), the warnings'
// actions (acknowledge, dismiss, review) and the report's print link. Plain JavaScript, no inline scripts (CSP).
(function () {
  "use strict";
  var W = window.Wangge;

  document.querySelectorAll("[data-print]").forEach(function (a) {
    a.addEventListener("click", function (e) { e.preventDefault(); window.print(); });
  });

  // Warnings: each button posts its action with the note beside it.
  document.querySelectorAll(".warning-act").forEach(function (b) {
    b.addEventListener("click", function () {
      var box = b.closest(".warning-actions");
      var note = box.querySelector(".warning-note");
      var err = box.querySelector(".field-error");
      err.textContent = "";
      b.disabled = true;
      W.request("POST", W.path("apiWarningActions", { id: b.dataset.id }), { action: b.dataset.action, note: note.value || null })
        .then(function (res) {
          b.disabled = false;
          if (!res.ok) { err.textContent = W.errorText(res, { field: "note" }); return; }
          window.location.reload();
        }, function () { b.disabled = false; err.textContent = W.errorText({}); });
    });
  });

  // The formula page.
  var form = document.getElementById("formula-form");
  var docEl = document.getElementById("formula-doc");
  if (!form || !docEl) return;
  var doc = JSON.parse(docEl.textContent);
  var out = document.getElementById("formula-result");
  var errEl = document.getElementById("formula-error");

  function edited() {
    var d = JSON.parse(JSON.stringify(doc));
    var bad = null;
    function num(name) {
      var el = form.querySelector('[name="' + name + '"]');
      var v = el ? Number(el.value) : NaN;
      if (el && (el.value === "" || !isFinite(v))) { bad = bad || el; el.setAttribute("aria-invalid", "true"); }
      else if (el) el.removeAttribute("aria-invalid");
      return v;
    }
    d.formula.groups.forEach(function (g) {
      g.indicators.forEach(function (i) { i.weight = num("weight." + i.code); });
    });
    d.formula.bands.green = num("bands.green");
    d.formula.bands.blue = num("bands.blue");
    d.formula.bands.orange = num("bands.orange");
    d.ladder.red_months_for_rectification = num("ladder.red_months_for_rectification");
    d.ladder.rectification_days = num("ladder.rectification_days");
    d.public_page = form.querySelector('[name="public_page"]').checked;
    return bad ? null : d;
  }

  function bandName(b) {
    return { green: W.pick("绿色", "Green"), blue: W.pick("蓝色", "Blue"), orange: W.pick("橙色", "Orange"), red: W.pick("红色", "Red") }[b] || b;
  }

  function cell(tr, text, cls) { var td = document.createElement("td"); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); }

  function showPreview(p) {
    out.hidden = false;
    out.textContent = "";
    var h = document.createElement("h2");
    h.textContent = W.pick("预览：", "Preview: ") + p.month;
    out.appendChild(h);
    var summary = document.createElement("p");
    summary.textContent = ["green", "blue", "orange", "red"].map(function (b) {
      return bandName(b) + " " + (p.bands[b] || 0) + W.pick("（现 ", " (now ") + (p.published_bands[b] || 0) + W.pick("）", ")");
    }).join(" · ");
    out.appendChild(summary);
    var changed = p.areas.filter(function (a) { return a.published == null || a.published_band !== a.band || Math.abs(a.score - a.published) >= 0.01; });
    changed.sort(function (a, b) { return Math.abs(b.score - (b.published || 0)) - Math.abs(a.score - (a.published || 0)); });
    var table = document.createElement("table");
    table.className = "list";
    var head = document.createElement("tr");
    [W.pick("区域", "Area"), W.pick("预览得分", "Preview"), W.pick("等级", "Band"), W.pick("已发布", "Published"), W.pick("等级", "Band")].forEach(function (t) {
      var th = document.createElement("th"); th.textContent = t; head.appendChild(th);
    });
    table.appendChild(head);
    changed.slice(0, 40).forEach(function (a) {
      var tr = document.createElement("tr");
      cell(tr, a.area.name);
      cell(tr, a.score.toFixed(2), "num");
      cell(tr, bandName(a.band), "band-text band-" + a.band);
      cell(tr, a.published == null ? "—" : a.published.toFixed(2), "num");
      cell(tr, a.published_band ? bandName(a.published_band) : "—", a.published_band ? "band-text band-" + a.published_band : "");
      table.appendChild(tr);
    });
    out.appendChild(table);
    var note = document.createElement("p");
    note.className = "meta";
    note.textContent = W.pick("列出变化最大的 40 个区域，共 ", "The 40 areas that change most, of ") + p.areas.length + W.pick(" 个区域。", " areas.");
    out.appendChild(note);
  }

  function send(method, url, button, done) {
    errEl.textContent = "";
    var d = edited();
    if (!d) { errEl.textContent = W.s("fieldInvalid"); return; }
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    W.request(method, url, d).then(function (res) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      if (!res.ok) {
        var e = res.body && res.body.error;
        errEl.textContent = (e && e.message) ? e.message : W.errorText(res);
        return;
      }
      done(res.body);
    }, function () { button.disabled = false; button.removeAttribute("aria-busy"); errEl.textContent = W.errorText({}); });
  }

  document.getElementById("formula-preview").addEventListener("click", function (e) {
    send("POST", W.path("apiSafetyPreview", {}, { month: form.dataset.month }), e.currentTarget, showPreview);
  });
  document.getElementById("formula-save").addEventListener("click", function (e) {
    send("PUT", W.path("apiSafetyFormula"), e.currentTarget, function () { window.location.reload(); });
  });
})();
