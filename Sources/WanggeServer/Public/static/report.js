// Resident reporting: search a category as you type, photos, the place from the phone or a tap on the map, and
// one multipart request with an idempotency key (a retry after a lost answer never makes a second case).
(function () {
  "use strict";
  var W = window.Wangge;
  var form = document.getElementById("report");
  if (!form) return;
  var cats = JSON.parse(document.getElementById("categories").textContent);
  var select = form.elements.category_code;
  var search = document.getElementById("cat-search");
  var hits = document.getElementById("cat-hits");
  var key = W.newKey();

  // ---- category search ----
  function label(c) { return W.pick(c.major + " › " + c.name, c.major_en + " › " + c.name_en); }
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    hits.innerHTML = "";
    if (!q) return;
    cats.filter(function (c) {
      return [c.name, c.name_en, c.major, c.major_en].concat(c.keywords).some(function (w) { return w && w.toLowerCase().indexOf(q) >= 0; });
    }).slice(0, 8).forEach(function (c) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button"; b.textContent = label(c);
      b.addEventListener("click", function () {
        select.value = c.code; hits.innerHTML = ""; search.value = W.pick(c.name, c.name_en);
        select.dispatchEvent(new Event("change"));
      });
      li.appendChild(b); hits.appendChild(li);
    });
  });

  // ---- photos ----
  var photos = form.elements.photos, previews = document.getElementById("previews");
  photos.addEventListener("change", function () {
    previews.innerHTML = "";
    Array.prototype.slice.call(photos.files, 0, 9).forEach(function (f) {
      var img = document.createElement("img");
      img.alt = f.name; img.src = URL.createObjectURL(f);
      previews.appendChild(img);
    });
  });

  // ---- place ----
  var map = form.querySelector("svg.map.tap"), pin = document.getElementById("pin"), chosen = document.getElementById("place-chosen");
  function setPlace(lat, lon, how) {
    form.elements.lat.value = lat.toFixed(6); form.elements.lon.value = lon.toFixed(6);
    if (map && pin) {
      var d = map.dataset;
      pin.setAttribute("cx", (lon - d.minLon) * d.kx); pin.setAttribute("cy", (d.maxLat - lat) * d.ky);
    }
    chosen.textContent = W.s("placeChosen") + "：" + lat.toFixed(5) + ", " + lon.toFixed(5) + (how ? "（" + how + "）" : "");
    W.request("GET", W.path("apiLocate", null, { lat: lat, lon: lon })).then(function (res) {
      var b = res.body || {}, names = [b.township, b.village, b.grid].filter(Boolean).map(function (a) { return a.name; });
      if (res.ok && names.length) {
        chosen.textContent = W.s("placeChosen") + "：" + names.join(" › ");
      } else if (res.ok || res.status === 404) {
        chosen.textContent = W.s("outsideCounty");
      }
    });
  }
  if (map) map.addEventListener("click", function (e) {
    var pt = map.createSVGPoint(); pt.x = e.clientX; pt.y = e.clientY;
    var p = pt.matrixTransform(map.getScreenCTM().inverse()), d = map.dataset;
    setPlace(d.maxLat - p.y / d.ky, +d.minLon + p.x / d.kx, W.s("tappedOnMap"));
  });
  document.getElementById("locate-me").addEventListener("click", function () {
    if (!navigator.geolocation) { chosen.textContent = W.s("cannotLocate"); return; }
    chosen.textContent = W.s("locating");
    navigator.geolocation.getCurrentPosition(function (pos) {
      setPlace(pos.coords.latitude, pos.coords.longitude, W.s("phoneLocation"));
    }, function () {
      chosen.textContent = W.s("noLocation");
    }, { enableHighAccuracy: true, timeout: 15000 });
  });

  // ---- send ----
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    W.showError(form, null);
    var f = form.elements, report = { category_code: f.category_code.value, description: f.description.value.trim(), source: "resident" };
    if (!report.category_code) { W.showError(form, { body: { error: { field: "category_code", message: W.s("chooseProblemCategory") } } }); return; }
    if (!report.description) { W.showError(form, { body: { error: { field: "description", message: W.s("describeIt") } } }); return; }
    if (f.lat.value) { report.lat = +f.lat.value; report.lon = +f.lon.value; }
    if (f.address.value.trim()) report.address = f.address.value.trim();
    if (!report.lat && !report.address) { W.showError(form, { body: { error: { field: "lat", message: W.s("givePlace") } } }); return; }
    var name = f["reporter.name"].value.trim(), phone = f["reporter.phone"].value.trim();
    if (name || phone) report.reporter = { name: name || undefined, phone: phone || undefined };
    var body = W.reportBody(report, Array.prototype.slice.call(photos.files, 0, 10));
    var button = form.querySelector("button[type=submit]"), was = button.textContent;
    button.disabled = true; button.textContent = W.s("sending");
    W.request("POST", W.path("apiCases"), body, { "Idempotency-Key": key }).then(function (res) {
      button.disabled = false; button.textContent = was;
      if (!res.ok) { W.showError(form, res); return; }
      key = W.newKey();
      form.hidden = true;
      var done = document.getElementById("done");
      document.getElementById("done-code").textContent = res.body.tracking_code;
      document.getElementById("done-link").href = W.path("track", { code: res.body.tracking_code });
      done.hidden = false;
      var heading = done.querySelector("h2");
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }, function () {
      button.disabled = false; button.textContent = was;
      W.showError(form, { body: { error: { message: W.s("noNetworkNotTwice") } } });
    });
  });
})();
