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
  // Registering: the place type's attributes are drawn from the catalogue the page carries; the point decides the grid.
  var add = document.getElementById("registry-new");
  if (add) {
    var types = JSON.parse((document.getElementById("place-types") || {}).textContent || "[]");
    var box = document.getElementById("registry-new-attributes");
    var drawAttributes = function () {
      if (!box) return;
      box.textContent = "";
      var t = types.filter(function (x) { return x.code === add.elements.type_code.value; })[0];
      (t ? t.attributes : []).forEach(function (a) {
        var label = document.createElement("label");
        label.textContent = a.name + " ";
        var input;
        var kind = a.kind;
        var choices = kind && kind.choice ? kind.choice._0 : (kind && kind.yesNo !== undefined ? ["yes", "no"] : null);
        if (choices) {
          input = document.createElement("select");
          [""].concat(choices).forEach(function (c) {
            var o = document.createElement("option");
            o.value = c;
            o.textContent = c === "yes" ? W.pick("是", "yes") : c === "no" ? W.pick("否", "no") : c;
            input.appendChild(o);
          });
        } else {
          input = document.createElement("input");
          input.type = kind && kind.number !== undefined ? "number" : "text";
          input.maxLength = 200;
        }
        input.dataset.attribute = a.code;
        if (a.required) input.required = true;
        label.appendChild(input);
        box.appendChild(label);
      });
    };
    if (add.elements.type_code) { add.elements.type_code.addEventListener("change", drawAttributes); drawAttributes(); }
    document.getElementById("registry-here").addEventListener("click", function () {
      if (!navigator.geolocation) return;
      navigator.geolocation.getCurrentPosition(function (p) {
        add.elements.lat.value = p.coords.latitude.toFixed(6);
        add.elements.lon.value = p.coords.longitude.toFixed(6);
      }, function () {}, { timeout: 8000 });
    });
    add.addEventListener("submit", function (e) {
      e.preventDefault();
      W.showError(add, null);
      var f = add.elements, body = { address: f.address.value.trim(), lat: +f.lat.value, lon: +f.lon.value };
      if (f.name && f.name.value.trim()) body.name = f.name.value.trim();
      if (f.size) body.size = +f.size.value;
      if (f.type_code) body.type_code = f.type_code.value;
      if (f.contact_name && f.contact_name.value.trim()) body.contact_name = f.contact_name.value.trim();
      if (f.contact_phone && f.contact_phone.value.trim()) body.contact_phone = f.contact_phone.value.trim();
      var attributes = {};
      add.querySelectorAll("[data-attribute]").forEach(function (el) { if (el.value) attributes[el.dataset.attribute] = el.value; });
      if (Object.keys(attributes).length) body.attributes = attributes;
      var button = add.querySelector("button[type=submit]");
      button.disabled = true;
      W.request("POST", W.path("apiRegistry", { kind: add.dataset.kind }), body, { "Idempotency-Key": add.dataset.key || (add.dataset.key = W.newKey()) })
        .then(function (res) {
          button.disabled = false;
          if (res.ok && res.body && res.body.entry) {
            window.location.href = window.location.pathname.replace(/\/registry.*$/, "/registry/") + add.dataset.kind + "/" + res.body.entry.id;
            return;
          }
          W.showError(add, res);
        }, function () { button.disabled = false; W.showError(add, {}); });
    });
  }
  // A household's care plan, with the resident's consent.
  var care = document.getElementById("care-plan");
  if (care) care.addEventListener("submit", function (e) {
    e.preventDefault();
    W.showError(care, null);
    var f = care.elements;
    var body = { household_id: care.dataset.household, consent: { given_on: f.given_on.value, how: f.how.value.trim() }, needs: f.needs.value.trim(), every: f.every.value };
    var button = care.querySelector("button[type=submit]");
    button.disabled = true;
    W.request("POST", W.path("apiCarePlans"), body, { "Idempotency-Key": care.dataset.key || (care.dataset.key = W.newKey()) }).then(function (res) {
      button.disabled = false;
      if (res.ok) { care.closest("details").querySelector("summary").textContent += " ✔"; care.hidden = true; return; }
      W.showError(care, res);
    }, function () { button.disabled = false; W.showError(care, {}); });
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
