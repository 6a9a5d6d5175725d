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
  function label(c) { return W.t(c.major + " › " + c.name, c.major_en + " › " + c.name_en); }
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    hits.innerHTML = "";
    if (!q) return;
    cats.filter(function (c) {
      return [c.name, c.name_en, c.major, c.major_en].concat(c.keywords).some(function (w) { return w && w.toLowerCase().indexOf(q) >= 0; });
    }).slice(0, 8).forEach(function (c) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button"; b.textContent = label(c); b.setAttribute("role", "option");
      b.addEventListener("click", function () {
        select.value = c.code; hits.innerHTML = ""; search.value = W.t(c.name, c.name_en);
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
    chosen.textContent = W.t("已选位置", "Place chosen") + "：" + lat.toFixed(5) + ", " + lon.toFixed(5) + (how ? "（" + how + "）" : "");
    W.request("GET", "/api/v1/locate?lat=" + lat + "&lon=" + lon).then(function (res) {
      var b = res.body || {}, names = [b.township, b.village, b.grid].filter(Boolean).map(function (a) { return a.name; });
      if (res.ok && names.length) {
        chosen.textContent = W.t("已选位置", "Place chosen") + "：" + names.join(" › ");
      } else if (res.ok || res.status === 404) {
        chosen.textContent = W.t("这个位置不在本县范围内，请重新选择或填写地址", "This place is outside the county; choose again or give an address");
      }
    });
  }
  if (map) map.addEventListener("click", function (e) {
    var pt = map.createSVGPoint(); pt.x = e.clientX; pt.y = e.clientY;
    var p = pt.matrixTransform(map.getScreenCTM().inverse()), d = map.dataset;
    setPlace(d.maxLat - p.y / d.ky, +d.minLon + p.x / d.kx, W.t("地图点选", "tapped on the map"));
  });
  document.getElementById("locate-me").addEventListener("click", function () {
    if (!navigator.geolocation) { chosen.textContent = W.t("此浏览器不能定位，请在地图上点选", "This browser cannot locate; tap the map"); return; }
    chosen.textContent = W.t("定位中…", "Locating…");
    navigator.geolocation.getCurrentPosition(function (pos) {
      setPlace(pos.coords.latitude, pos.coords.longitude, W.t("手机定位", "phone location"));
    }, function () {
      chosen.textContent = W.t("未能定位，请在地图上点选或填写地址", "No location; tap the map or give an address");
    }, { enableHighAccuracy: true, timeout: 15000 });
  });

  // ---- send ----
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    W.showError(form, null);
    var f = form.elements, report = { category_code: f.category_code.value, description: f.description.value.trim(), source: "resident" };
    if (!report.category_code) { W.showError(form, { body: { error: { field: "category_code", message: W.t("请选择问题类别", "Choose a category") } } }); return; }
    if (!report.description) { W.showError(form, { body: { error: { field: "description", message: W.t("请写几句话说明情况", "Write a few words about it") } } }); return; }
    if (f.lat.value) { report.lat = +f.lat.value; report.lon = +f.lon.value; }
    if (f.address.value.trim()) report.address = f.address.value.trim();
    if (!report.lat && !report.address) { W.showError(form, { body: { error: { field: "lat", message: W.t("请定位、在地图上点选，或填写地址", "Use your location, tap the map, or give an address") } } }); return; }
    var name = f["reporter.name"].value.trim(), phone = f["reporter.phone"].value.trim();
    if (name || phone) report.reporter = { name: name || undefined, phone: phone || undefined };
    var body = W.reportBody(report, Array.prototype.slice.call(photos.files, 0, 10));
    var button = form.querySelector("button[type=submit]"), was = button.textContent;
    button.disabled = true; button.textContent = W.t("提交中…", "Sending…");
    W.request("POST", "/api/v1/cases", body, { "Idempotency-Key": key }).then(function (res) {
      button.disabled = false; button.textContent = was;
      if (!res.ok) { W.showError(form, res); return; }
      key = W.newKey();
      form.hidden = true;
      var done = document.getElementById("done");
      document.getElementById("done-code").textContent = res.body.tracking_code;
      document.getElementById("done-link").href = "/track/" + res.body.tracking_code;
      done.hidden = false;
      var heading = done.querySelector("h2");
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }, function () {
      button.disabled = false; button.textContent = was;
      W.showError(form, { body: { error: { message: W.t("网络不通，请稍后再试（不会重复提交）", "No network; try again (it will not be sent twice)") } } });
    });
  });
})();
