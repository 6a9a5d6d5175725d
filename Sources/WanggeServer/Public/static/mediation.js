// The mediation case page: each action's form goes to the action API as JSON; the page reloads with the result.
// The case page's "open as mediation" button registers the dispute and goes to its mediation.
(function () {
  "use strict";
  var W = window.Wangge;
  /** The form's fields as the API's JSON: "terms.0.obligor" becomes terms[0].obligor, "consent.applicant" a flag,
   *  mediator_ids the ticked boxes, participants a list, numbers as numbers, a local date-time as an instant. */
  function body(form) {
    var out = { action: form.dataset.action };
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled) return;
      var v = el.value;
      if (el.type === "checkbox") {
        if (el.name === "mediator_ids") { if (el.checked) (out.mediator_ids = out.mediator_ids || []).push(v); return; }
        var parts = el.name.split(".");
        out[parts[0]] = out[parts[0]] || {};
        out[parts[0]][parts[1]] = el.checked;
        return;
      }
      if (v === "") return;
      if (el.type === "number") v = Number(v);
      if (el.type === "datetime-local") v = new Date(v).toISOString();
      if (el.name === "participants") v = v.split(/[,，、]/).map(function (x) { return x.trim(); }).filter(Boolean);
      var m = /^terms\.(\d+)\.(\w+)$/.exec(el.name);
      if (m) {
        out.terms = out.terms || [];
        out.terms[+m[1]] = out.terms[+m[1]] || {};
        out.terms[+m[1]][m[2]] = v;
        return;
      }
      out[el.name] = v;
    });
    if (out.terms) out.terms = out.terms.filter(function (t) { return t && t.obligor; });
    return out;
  }
  var page = document.getElementById("mediation");
  if (page) {
    page.addEventListener("submit", function (e) {
      var form = e.target.closest("form.m-action");
      if (!form) return;
      e.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      W.request("POST", W.path("apiMediationActions", { id: page.dataset.id }), body(form)).then(function (res) {
        button.disabled = false;
        if (res.ok) { window.location.reload(); return; }
        W.showError(form, res);
      }, function () { button.disabled = false; W.showError(form, {}); });
    });
    // Someone else changed this mediation: say so, with a way to see it (a form being filled in is not thrown away).
    W.live(function (ev) {
      if (ev.id !== page.dataset.id || document.getElementById("m-changed")) return;
      var note = document.createElement("p");
      note.id = "m-changed";
      note.className = "notice";
      note.setAttribute("role", "status");
      var link = document.createElement("a");
      link.href = location.pathname;
      link.textContent = W.s("mediationChanged", { state: ev.state_name && W.pick(ev.state_name, ev.state_name_en) });
      note.appendChild(link);
      page.insertBefore(note, page.firstChild);
    }, "mediation");
  }
  // The reporter's tracking code for a call taker (audited by the server).
  document.addEventListener("submit", function (e) {
    var reveal = e.target.closest && e.target.closest("form.reveal-code");
    if (!reveal) return;
    e.preventDefault();
    W.request("POST", W.path("apiCaseTrackingCode", { id: reveal.dataset.case })).then(function (res) {
      if (res.ok && res.body) { reveal.querySelector("output").textContent = res.body.tracking_code; return; }
      W.showError(reveal, res);
    }, function () { W.showError(reveal, {}); });
  });
  // Delegated: the case page's live updates replace the part that holds the button.
  document.addEventListener("submit", function (e) {
    var open = e.target.closest && e.target.closest("form.open-mediation");
    if (!open) return;
    e.preventDefault();
    W.request("POST", W.path("apiMediations"), { case_id: open.dataset.case }, { "Idempotency-Key": W.newKey() }).then(function (res) {
      if (res.ok && res.body) { window.location.href = W.path("mediationView", { id: res.body.id }); return; }
      W.showError(open, res);
    }, function () { W.showError(open, {}); });
  });
})();
