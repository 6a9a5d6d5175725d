// The risk register's pages: an entry's action forms go to the action API as JSON (a review's L and S as its
// assessment) and the page reloads; the register's import sends the chosen file as the body and lists the problems.
(function () {
  "use strict";
  var W = window.Wangge;
  var page = document.getElementById("risk");
  if (page) {
    document.addEventListener("submit", function (e) {
      var form = e.target.closest("form.r-action");
      if (!form) return;
      e.preventDefault();
      var out = { action: form.dataset.action };
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.value === "") return;
        if (el.name === "likelihood" || el.name === "severity") {
          out.assessment = out.assessment || { method: "matrix" };
          out.assessment[el.name] = Number(el.value);
          return;
        }
        out[el.name] = el.value;
      });
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      W.request("POST", W.path("apiRiskActions", { id: page.dataset.id }), out).then(function (res) {
        button.disabled = false;
        if (res.ok) { window.location.reload(); return; }
        W.showError(form, res);
      }, function () { button.disabled = false; W.showError(form, {}); });
    });
  }
  var imp = document.getElementById("risk-import");
  if (imp) {
    imp.addEventListener("submit", function (e) {
      e.preventDefault();
      var file = imp.querySelector("input[type=file]").files[0];
      var box = document.getElementById("risk-import-result");
      box.textContent = "";
      if (!file) return;
      var type = /\.xlsx$/i.test(file.name) ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv";
      var button = imp.querySelector("button[type=submit]");
      button.disabled = true;
      box.textContent = W.pick("正在导入…", "Importing…");
      fetch(W.path("apiRisksImport"), { method: "POST", credentials: "same-origin", body: file,
                                         headers: { "Content-Type": type, "X-CSRF-Token": W.csrf, Accept: "application/json" } })
        .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, status: r.status, body: b }; }, function () { return { ok: r.ok, status: r.status, body: null }; }); })
        .then(function (res) {
          button.disabled = false;
          box.textContent = "";
          if (res.ok) { box.textContent = W.pick("已导入 ", "Imported ") + res.body.imported + W.pick(" 项。", " entries."); return; }
          var p = document.createElement("p");
          p.textContent = W.errorText(res);
          box.appendChild(p);
          var list = document.createElement("ul");
          ((res.body && res.body.problems) || []).forEach(function (x) {
            var li = document.createElement("li");
            li.textContent = (x.row ? W.pick("第 " + x.row + " 行", "Row " + x.row) : "") + (x.column ? " · " + x.column : "") + "：" + x.reason;
            list.appendChild(li);
          });
          box.appendChild(list);
        }, function () { button.disabled = false; box.textContent = W.errorText({}); });
    });
  }
})();
