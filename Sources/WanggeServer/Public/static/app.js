// Wangge pages: small progressive enhancements; every page works without them.
(function () {
  "use strict";
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
