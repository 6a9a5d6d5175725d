// Big screen: counters, points and the newest list move with every live event; the whole wall re-reads itself
// every five minutes (no reload needed) so the monthly figures stay current.
(function () {
  "use strict";
  var W = window.Wangge;
  var clock = document.getElementById("s-clock");
  function tick() { clock.textContent = new Date().toLocaleString(document.documentElement.lang, { timeZone: "Asia/Shanghai", hour12: false }); }
  tick(); setInterval(tick, 1000);
  var map = document.querySelector(".s-map svg.map"), list = document.getElementById("s-newest");
  function bump(id) { var e = document.getElementById(id); e.textContent = parseInt(e.textContent, 10) + 1; e.classList.add("flash"); setTimeout(function () { e.classList.remove("flash"); }, 1200); }
  W.live(function (ev) {
    if (ev.kind === "created") {
      bump("c-reported"); bump("c-open");
      if (map && ev.lat != null) {
        var d = map.dataset, c = document.createElementNS("http://www.w3.org/2000/svg", "circle");
        c.setAttribute("cx", (ev.lon - d.minLon) * d.kx); c.setAttribute("cy", (d.maxLat - ev.lat) * d.ky);
        c.setAttribute("r", 9); c.setAttribute("class", "new");
        map.appendChild(c);
      }
    }
    if (ev.kind === "changed" && ev.state === "closed") bump("c-closed");
    var li = list.querySelector('li[data-id="' + ev.id + '"]');
    if (!li) {
      li = document.createElement("li"); li.dataset.id = ev.id;
      list.insertBefore(li, list.firstChild);
      while (list.children.length > 12) list.removeChild(list.lastChild);
    }
    var t = new Date(ev.at).toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
    li.innerHTML = "";
    var s1 = document.createElement("span"); s1.className = "t"; s1.textContent = t;
    var s2 = document.createElement("span"); s2.className = "state st-" + ev.state; s2.textContent = W.pick(ev.state_name, ev.state_name_en);
    var s3 = document.createElement("span"); s3.textContent = " " + ev.code;
    li.append(s1, " ", s2, s3);
    li.classList.add("flash");
  });
  setInterval(function () {
    fetch(location.href, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
      if (!html) return;
      var doc = new DOMParser().parseFromString(html, "text/html"), fresh = doc.querySelector(".s-wrap");
      if (fresh) document.querySelector(".s-wrap").replaceWith(fresh);
      map = document.querySelector(".s-map svg.map"); list = document.getElementById("s-newest"); clock = document.getElementById("s-clock"); tick();
    }).catch(function () {});
  }, 300000);
})();
