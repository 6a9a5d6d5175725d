// The registry page (issue 20): the import sends the chosen file as the body with the upload's progress shown, then
// says it is checking and writing, then either how many were imported or every problem by row.
(function () {
  "use strict";
  var W = window.Wangge;
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
