// Workbench and case page: bulk dispatch, actions without a full reload, live refresh by server-sent events.
(function () {
  "use strict";
  var W = window.Wangge;

  // ----- the queue -----
  var queue = document.getElementById("queue");
  var bulk = document.getElementById("bulk");
  function checked() { return Array.prototype.slice.call(queue.querySelectorAll('input[name="case"]:checked')); }
  function updateCount() { if (bulk) bulk.querySelector(".count").textContent = queue ? checked().length : 0; }
  function refreshQueue() {
    var keep = checked().map(function (b) { return b.value; });
    return W.refresh(queue).then(function () {
      keep.forEach(function (id) { var b = queue.querySelector('input[name="case"][value="' + id + '"]'); if (b) b.checked = true; });
      updateCount();
    });
  }
  if (queue) {
    queue.addEventListener("change", function (e) {
      if (e.target.id === "select-all") {
        queue.querySelectorAll('input[name="case"]').forEach(function (b) { b.checked = e.target.checked; });
      }
      updateCount();
    });
    if (bulk) bulk.addEventListener("submit", function (e) {
      e.preventDefault();
      var boxes = checked(), dept = bulk.elements.department_code.value, out = bulk.querySelector(".bulk-result");
      if (!boxes.length) { out.textContent = W.s("selectCasesFirst"); return; }
      if (!dept) { out.textContent = W.s("pleaseChooseDepartment"); bulk.elements.department_code.focus(); return; }
      var done = 0, failed = [];
      out.textContent = W.s("dispatching");
      var chain = Promise.resolve();
      boxes.forEach(function (b) {
        chain = chain.then(function () {
          return W.request("POST", W.path("apiCaseActions", { id: b.value }), { action: "dispatch", department_code: dept })
            .then(function (res) {
              if (res.ok) done++;
              else failed.push(b.closest("tr").querySelector("a").textContent + ": " + W.errorText(res));
              out.textContent = W.s("dispatchedOf", { done: done, total: boxes.length });
            });
        });
      });
      chain.then(function () {
        out.textContent = W.s("dispatchedCount", { n: done }) + (failed.length ? W.s("notDone") + failed.join("；") : "");
        boxes.forEach(function (b) { b.checked = false; });
        return refreshQueue();
      });
    });
    var timer = null;
    W.live(function () {
      clearTimeout(timer);
      timer = setTimeout(refreshQueue, 250);
    });
  }

  // ----- the case page -----
  var box = document.getElementById("case");
  if (!box) return;
  var id = box.dataset.id;
  var message = "";
  function refreshCase() {
    return W.refresh(box, location.pathname).then(function () {
      var out = box.querySelector(".act-result");
      if (out && message) { out.textContent = message; }
    });
  }
  function uploadPhotos(form) {
    var input = form.querySelector('input[type="file"]');
    if (!input || !input.files.length) return Promise.resolve([]);
    var data = new FormData();
    Array.prototype.forEach.call(input.files, function (f) { data.append("photos", f, f.name); });
    return W.request("POST", W.path("apiPhotos"), data).then(function (res) {
      if (!res.ok) { var e = new Error("upload"); e.res = res; throw e; }
      return res.body.map(function (p) { return p.sha256; });
    });
  }
  box.addEventListener("submit", function (e) {
    var form = e.target.closest("form.act");
    if (!form) return;
    e.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    W.showError(form, null);
    uploadPhotos(form).then(function (attachments) {
      var body = { action: form.dataset.action };
      ["note", "department_code", "merge_into", "extension"].forEach(function (k) {
        var f = form.elements[k];
        if (f && f.value.trim()) body[k] = f.value.trim();
      });
      if (attachments.length) body.attachments = attachments;
      return W.request("POST", W.path("apiCaseActions", { id: id }), body);
    }).then(function (res) {
      button.disabled = false;
      if (!res.ok) { W.showError(form, res); return; }
      message = W.s("actionDone") + button.textContent.replace(/^[^:：]*[:：]\s*/, "");
      return refreshCase();
    }).catch(function (err) {
      button.disabled = false;
      W.showError(form, err.res || {});  // no answer at all: showError says the network is down
    });
  });
  W.live(function (ev) {
    if (ev.id !== id) return;
    if (box.querySelector("details.act-box[open]")) return;  // do not pull a form away from someone typing
    message = "";
    refreshCase();
  });
})();
