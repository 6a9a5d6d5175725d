// The registry page (issue 20): the import sends the chosen file as the body with the upload's progress shown, then
// says it is checking and writing, then either how many were imported or every problem by row.
(function () {
  "use strict";
  var W = window.Wangge;
  // An entry's form: what the registry holds is filled in; only the fields changed are sent, with the version read.
  var edit = document.getElementById("registry-edit");
  if (edit) edit.addEventListener("submit", function (e) {
    e.preventDefault();
    W.showError(edit, null);
    var body = { version: +edit.dataset.version }, attributes = {}, changed = false;
    edit.querySelectorAll("[data-initial]").forEach(function (el) {
      if (el.value === el.dataset.initial) return;
      changed = true;
      if (el.dataset.attribute) { attributes[el.dataset.attribute] = el.value; return; }
      body[el.name] = el.name === "size" ? +el.value : el.value;
    });
    if (Object.keys(attributes).length) body.attributes = attributes;
    if (!changed) return;
    var button = edit.querySelector("button[type=submit]");
    button.disabled = true;
    W.request("PATCH", W.path("apiRegistryEntry", { kind: edit.dataset.kind, id: edit.dataset.id }), body).then(function (res) {
      button.disabled = false;
      if (res.ok) { window.location.reload(); return; }
      W.showError(edit, res);
    }, function () { button.disabled = false; W.showError(edit, {}); });
  });
  var form = document.getElementById("registry-import");
  if (!form) return;
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var file = form.querySelector("input[type=file]").files[0];
    var box = document.getElementById("registry-import-result");
    var bar = form.querySelector("progress");
    box.textContent = "";
    if (!file) return;
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", W.path("apiRegistryImport", { kind: form.getAttribute("data-kind") }));
    xhr.setRequestHeader("Content-Type", /\.xlsx$/i.test(file.name) ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
    xhr.setRequestHeader("X-CSRF-Token", W.csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (ev) {
      if (!ev.lengthComputable) return;
      bar.value = Math.round(ev.loaded * 90 / ev.total);
      box.textContent = W.pick("正在上传 ", "Uploading ") + Math.round(ev.loaded * 100 / ev.total) + "%";
    };
    xhr.upload.onload = function () { bar.removeAttribute("value"); box.textContent = W.pick("已上传，正在逐行校验并写入…", "Uploaded; checking every row and writing…"); };
    xhr.onerror = function () { button.disabled = false; bar.hidden = true; box.textContent = W.errorText({}); };
    xhr.onload = function () {
      button.disabled = false;
      bar.hidden = true;
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
      box.textContent = "";
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        box.textContent = W.pick("已导入 ", "Imported ") + body.imported + W.pick(" 条，用时 ", " entries in ") + body.seconds + W.pick(" 秒。", " s.");
        return;
      }
      var p = document.createElement("p");
      p.textContent = W.errorText({ ok: false, status: xhr.status, body: body });
      box.appendChild(p);
      var list = document.createElement("ul");
      ((body && body.problems) || []).forEach(function (x) {
        var li = document.createElement("li");
        li.textContent = (x.row ? W.pick("第 " + x.row + " 行", "Row " + x.row) : "") + (x.column ? " · " + x.column : "") + "：" + x.reason;
        list.appendChild(li);
      });
      box.appendChild(list);
    };
    xhr.send(file);
  });
})();
