// Dashboard: new reports appear on the map at once (a pulsing point) and the count goes up; the figures are
// recounted by reloading the data part when the page has been idle for a moment.
(function () {
  "use strict";
  var W = window.Wangge;
  var map = document.querySelector("svg.map.heat"), layer = map && map.querySelector(".live-pts");
  var count = document.getElementById("reported-count");
  W.live(function (ev) {
    if (ev.kind !== "created") return;
    if (count) count.textContent = (parseInt(count.textContent.replace(/,/g, ""), 10) + 1).toLocaleString("en-US");
    if (!layer || ev.lat == null) return;
    var d = map.dataset, c = document.createElementNS("http://www.w3.org/2000/svg", "circle");
    c.setAttribute("cx", (ev.lon - d.minLon) * d.kx); c.setAttribute("cy", (d.maxLat - ev.lat) * d.ky);
    c.setAttribute("r", 7); c.setAttribute("class", "new");
    var t = document.createElementNS("http://www.w3.org/2000/svg", "title"); t.textContent = ev.code; c.appendChild(t);
    layer.appendChild(c);
  });
})();
