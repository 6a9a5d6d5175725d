"""The risk register and the safety index in the browser, on a demo with its year of history (risks, twelve
published months of the index, warnings): an operator reviews a risk on a phone (and a review the rules refuse
shows its error and changes nothing); the administrator previews and saves a new version of the index's formula
(a negative weight is refused, nothing saved); the public safety page fits a phone and carries its share tags; a
leader's index page draws the coloured map and the ranking."""
import atexit
import os
import re
import subprocess
import unittest
import uuid

from selenium.webdriver.common.by import By

from support import (BIN, DESKTOP, PHONE, API, DemoServer, check_server, click, console_errors, log, login, make_driver,
                     start_server, visible, wait)

BAND_COLOURS = {"#16a34a", "#2563eb", "#ea580c", "#dc2626"}  # green, blue, orange, red (SafetyIndexView.colour)
BAND_NAMES = ("绿色", "蓝色", "橙色", "红色")
# L and S whose product the standard matrix bands turn into each level (1 重大 … 4 低).
LS_FOR_LEVEL = {1: (5, 5), 2: (3, 3), 3: (2, 2), 4: (1, 1)}


def history_server():
    """A demo server with the year of history. support.DemoServer runs `demo --no-history`, which reuses a database
    that already holds a county: generate the full demo into its data directory first (about two minutes)."""
    if os.environ.get("WANGGE_BASE_URL"):
        return start_server()
    s = DemoServer()
    env = dict(os.environ, DATA_DIR=s.data, PORT=str(s.port), HOST="127.0.0.1")
    env.pop("DATABASE_URL", None)
    log(f"generating the demo with its year of history into {s.data} (takes a while)")
    with open(s.log_path, "ab") as out:
        done = subprocess.run([BIN, "demo", "--no-serve"], env=env, stdout=out, stderr=subprocess.STDOUT, timeout=900)
    if done.returncode != 0:
        tail = s.tail()
        s.stop()
        raise RuntimeError(f"demo generation exited with {done.returncode}; log:\n{tail}")
    s.start()
    atexit.register(s.stop)
    return s


def markup_shown(d):
    """HTML tags that the page shows as text (markup escaped by mistake), at most three."""
    text = d.find_element(By.TAG_NAME, "main").text
    return re.findall(r"</?(?:a|p|h2|ul|li|form|section|label|select|div)\b[^>]{0,40}>", text)[:3]


class RisksSafety(unittest.TestCase):
    drivers = {}

    @classmethod
    def setUpClass(cls):
        cls.srv = history_server()
        cls.base = cls.srv.base
        cls.api = API(cls.base)

    @classmethod
    def tearDownClass(cls):
        try:
            for d in cls.drivers.values():
                d.quit()
            cls.drivers.clear()
        finally:
            cls.srv.stop()

    def tearDown(self):
        check_server(self.srv)

    def driver(self, size):
        d = self.drivers.get(size)
        if d is None:
            d = self.drivers[size] = make_driver(size)
        return d

    # ------------------------------------------------------------ (a) a review of a risk on a phone

    def open_risk_to_review(self):
        """An open risk of the county that the operator may review now, and its detail."""
        status = "registered,reviewed,approved,active"
        listing = self.api.ok("GET", f"/api/v1/risks?area=330599&status={status}&per=100", user="operator")
        self.assertGreater(listing["total"], 0, "the demo's register has open risks")
        for r in listing["risks"]:
            detail = self.api.ok("GET", f"/api/v1/risks/{r['id']}", user="operator")
            if "review" in detail["allowed_actions"]:
                return r["id"], detail
        self.fail("no open risk that the operator may review")

    def test_a_review_a_risk_on_a_phone(self):
        d = self.driver(PHONE)
        rid, before = self.open_risk_to_review()
        level = before["summary"]["level"]
        login(d, self.base, "operator")
        d.get(f"{self.base}/risks/{rid}")
        visible(d, "#risk")
        console_errors(d)
        self.assertEqual(markup_shown(d), [], "the risk page shows HTML as text")
        entries = len(d.find_elements(By.CSS_SELECTOR, "ol.timeline > li"))
        self.assertGreater(entries, 0, "the risk's history lists at least its registration")

        def fill(form, l, s, decision, note):
            for name, value in (("likelihood", l), ("severity", s), ("decision", decision)):
                select = form.find_element(By.NAME, name)
                self.assertIn(str(value), [o.get_attribute("value") for o in select.find_elements(By.TAG_NAME, "option")],
                              f"{name} offers {value}")
                d.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}))",
                                 select, str(value))
            box = form.find_element(By.NAME, "note")
            box.clear()
            box.send_keys(note)

        forms = d.find_elements(By.CSS_SELECTOR, 'form.r-action[data-action="review"]')
        if not forms:
            main = d.find_element(By.TAG_NAME, "main").text
            self.fail("no review form on the risk page" + (": the action forms are shown as escaped HTML text"
                                                          if '<form class="r-action' in main else ""))

        # A bad review: "raise" with L 1 × S 1, which proposes the lowest level (never one above the risk's own).
        form = visible(d, 'form.r-action[data-action="review"]')
        fill(form, 1, 1, "raise", "测试：不应保存的升级")
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        error = wait(d).until(lambda drv: form.find_element(By.CSS_SELECTOR, ".field-error").text.strip() or None)
        log(f"the refused review says: {error}")
        self.assertIn("/risks/", d.current_url, "the page stays")
        after_bad = self.api.ok("GET", f"/api/v1/risks/{rid}", user="operator")
        self.assertEqual(len(after_bad["reviews"]), len(before["reviews"]), "a refused review records nothing")
        self.assertEqual(after_bad["version"], before["version"], "a refused review changes nothing")
        self.assertEqual(after_bad["summary"]["level"], level)

        # A good review: L and S proposing the risk's own level, decision "keep", with a note.
        note = f"浏览器复核 {uuid.uuid4().hex[:8]}：现场查看，管控措施落实"
        l, s = LS_FOR_LEVEL[level]
        fill(form, l, s, "keep", note)
        marker = d.find_element(By.ID, "risk")
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))

        def reloaded(drv):
            try:
                marker.get_attribute("id")
                text = form.find_element(By.CSS_SELECTOR, ".field-error").text.strip()
            except Exception:  # noqa: BLE001 - the old page is gone: reloaded
                return True
            if text and text != error:
                raise AssertionError(f"the review was refused: {text}")
            return False
        wait(d).until(reloaded)
        visible(d, "#risk")
        history = d.find_elements(By.CSS_SELECTOR, "ol.timeline > li")
        self.assertEqual(len(history), entries + 1, "the history has one entry more")
        self.assertIn(note, d.find_element(By.CSS_SELECTOR, "ol.timeline").text, "the history shows the review's note")
        after = self.api.ok("GET", f"/api/v1/risks/{rid}", user="operator")
        self.assertEqual(len(after["reviews"]), len(before["reviews"]) + 1, "the API counts one review more")
        newest = max(after["reviews"], key=lambda r: r["at"])
        self.assertEqual(newest["decision"], "keep")
        self.assertEqual(newest["note"], note)
        self.assertEqual(after["summary"]["level"], level)
        swatch = d.find_element(By.CSS_SELECTOR, "#risk h1 .risk-level svg.swatch rect")
        self.assertNotIn(d.execute_script("return getComputedStyle(arguments[0]).fill", swatch), ("none", "rgb(0, 0, 0)", ""),
                         "the level badge shows its level's colour (as an SVG fill: an inline style is blocked by the CSP)")
        self.assertEqual(console_errors(d, also_ignore=("status of 400",)), [])

    # ------------------------------------------------------------ (b) the formula as the administrator

    def formula(self):
        return self.api.ok("GET", "/api/v1/safety-index/formula", user="admin")

    @staticmethod
    def weight(doc, code):
        return next(i["weight"] for g in doc["formula"]["groups"] for i in g["indicators"] if i["code"] == code)

    def test_b_formula_preview_and_save(self):
        d = self.driver(DESKTOP)
        before = self.formula()
        login(d, self.base, "admin")
        d.get(f"{self.base}/safety-index/formula")
        inputs = visible(d, "#formula-form").find_elements(By.CSS_SELECTOR, 'input[name^="weight."]')
        self.assertGreater(len(inputs), 1, "a weight input per indicator")
        self.assertEqual(markup_shown(d), [], "the formula page shows HTML as text")
        field = inputs[0]
        code = field.get_attribute("name").split(".", 1)[1]
        old = self.weight(before, code)

        def set_value(el, value):
            el.clear()
            el.send_keys(str(value))

        # A negative weight: an error, nothing saved, the page not reloaded.
        set_value(field, -5)
        click(d, d.find_element(By.ID, "formula-save"))
        error = wait(d).until(lambda drv: drv.find_element(By.ID, "formula-error").text.strip() or None)
        log(f"the negative weight says: {error}")
        unchanged = self.formula()
        self.assertEqual(unchanged["version"], before["version"], "a negative weight saves nothing")
        self.assertEqual(self.weight(unchanged, code), old)

        # A good weight: preview on last month, then save as a new version.
        new = old + 2.5
        set_value(field, new)
        click(d, d.find_element(By.ID, "formula-preview"))
        result = visible(d, "#formula-result", timeout=60)
        wait(d, 60).until(lambda drv: result.find_elements(By.CSS_SELECTOR, "table tr td"))
        text = result.text
        for name in BAND_NAMES:
            self.assertRegex(text, name + r" \d+", f"the preview counts the {name} band")
        self.assertEqual(d.find_element(By.ID, "formula-error").text.strip(), "", "the preview went through")
        self.assertEqual(self.formula()["version"], before["version"], "a preview saves nothing")
        marker = d.find_element(By.ID, "formula-form")
        click(d, d.find_element(By.ID, "formula-save"))

        def reloaded(drv):
            try:
                marker.get_attribute("id")
                msg = marker.find_element(By.ID, "formula-error").text.strip()
            except Exception:  # noqa: BLE001 - the old page is gone
                return True
            if msg and msg != error:
                raise AssertionError(f"saving was refused: {msg}")
            return False
        wait(d, 30).until(reloaded)
        after = self.formula()
        self.assertEqual(after["version"], before["version"] + 1, "saving makes one new version")
        self.assertAlmostEqual(self.weight(after, code), new, places=3)
        shown = visible(d, f'input[name="weight.{code}"]').get_attribute("value")
        self.assertAlmostEqual(float(shown), new, places=3, msg="the reloaded page shows the new weight")
        self.assertIn(str(after["version"]), d.find_element(By.CSS_SELECTOR, "main h1").text)
        self.assertEqual(console_errors(d, also_ignore=("status of 400",)), [])

    # ------------------------------------------------------------ (c) the public page on a phone

    def test_c_public_page_fits_a_phone(self):
        d = self.driver(PHONE)
        d.delete_all_cookies()
        d.get(f"{self.base}/safety/330599")
        score = visible(d, ".big-score strong").text.strip()
        self.assertRegex(score, r"^\d{1,3}\.\d\d$", "a score with two decimals")
        band = d.find_element(By.CSS_SELECTOR, ".big-score .band").text.strip()
        self.assertIn(band, BAND_NAMES)
        self.assertNotIn("/login", d.current_url, "no sign-in")

        def meta(prop):
            found = d.find_elements(By.CSS_SELECTOR, f'meta[property="{prop}"]')
            self.assertTrue(found, f"{prop} meta tag")
            return found[0].get_attribute("content")
        self.assertIn("平安指数", meta("og:title"))
        self.assertIn(score, meta("og:description"))
        self.assertIn(band, meta("og:description"))
        self.assertGreaterEqual(len(d.find_elements(By.CSS_SELECTOR, "svg.chart rect")), 2, "the months' chart")
        d.execute_async_script("var done = arguments[arguments.length - 1]; setTimeout(done, 500);")
        width = d.execute_script("return document.documentElement.scrollWidth")
        self.assertLessEqual(width, PHONE[0] + 1, f"the public page is {width} px wide on a {PHONE[0]} px phone")
        self.assertEqual(markup_shown(d), [], "the public page shows HTML as text")
        self.assertTrue(d.find_elements(By.CSS_SELECTOR, 'main a[href^="/safety/330599"]'), "links to the townships' public pages")
        self.assertEqual(console_errors(d), [])

    # ------------------------------------------------------------ (d) the leader's map and ranking

    def test_d_index_map_and_ranking(self):
        d = self.driver(DESKTOP)
        login(d, self.base, "leader")
        d.get(f"{self.base}/safety-index")
        svg = visible(d, "svg.index-map")
        self.assertEqual(markup_shown(d), [], "the index page shows HTML as text")
        fills = [p.get_attribute("fill").lower() for p in svg.find_elements(By.CSS_SELECTOR, "path[data-code]")]
        self.assertGreater(len(fills), 1, "the map draws the areas")
        coloured = [f for f in fills if f in BAND_COLOURS]
        self.assertEqual(len(coloured), len(fills), f"every area is coloured by its band: {sorted(set(fills))}")
        rows = d.find_elements(By.CSS_SELECTOR, "#ranking table.list tbody tr")
        self.assertEqual(len(rows), len(fills), "one ranking row per area on the map")
        ranks = [int(r.find_elements(By.TAG_NAME, "td")[0].text) for r in rows]
        self.assertEqual(ranks[0], 1)
        self.assertEqual(ranks, sorted(ranks), "ranked in order")
        scores = [float(r.find_elements(By.TAG_NAME, "td")[2].text) for r in rows]
        self.assertEqual(scores, sorted(scores, reverse=True), "highest score first")
        for r in rows:
            self.assertIn(r.find_element(By.CSS_SELECTOR, ".band").text.strip(), BAND_NAMES)
        ranking = self.api.ok("GET", "/api/v1/safety-index/ranking?parent=330599", user="leader")
        self.assertEqual([a["area"]["code"] for a in ranking["areas"]],
                         [r.find_element(By.CSS_SELECTOR, "td a").get_attribute("href").split("/areas/")[1].split("?")[0] for r in rows],
                         "the page ranks what the API ranks")
        swatches = d.find_elements(By.CSS_SELECTOR, ".legend-item svg.swatch rect")
        self.assertEqual(len(swatches), 4, "a legend swatch per band")
        fills = {d.execute_script("return arguments[0].getAttribute('fill')", sw).lower() for sw in swatches}
        self.assertEqual(fills, BAND_COLOURS, "the legend's swatches have their bands' colours")
        self.assertEqual(console_errors(d), [])

    # ------------------------------------------------------------ (e) a heightened period and a grave event

    def set_value(self, d, el, value):
        d.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}))", el, value)

    def test_e_heightened_period_on_the_register(self):
        d = self.driver(DESKTOP)
        login(d, self.base, "operator")
        d.get(f"{self.base}/risks")
        form = visible(d, "#period-form")
        self.assertEqual(markup_shown(d), [], "the register shows HTML as text")
        before = self.api.ok("GET", "/api/v1/heightened-periods?withdrawn=true", user="operator")["periods"]
        name = "测试时段" + uuid.uuid4().hex[:6]
        form.find_element(By.NAME, "name").send_keys(name)
        # The end before the start: refused with the field named, nothing saved.
        self.set_value(d, form.find_element(By.NAME, "start"), "2099-05-02T08:00")
        self.set_value(d, form.find_element(By.NAME, "end"), "2099-05-01T08:00")
        select = form.find_element(By.NAME, "area_codes")
        d.execute_script("arguments[0].options[0].selected = true", select)
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        error = wait(d).until(lambda drv: form.find_element(By.CSS_SELECTOR, ".field-error").text.strip() or None)
        log(f"the refused period says: {error}")
        console_errors(d)  # the refused request's 400, expected
        self.assertEqual(len(self.api.ok("GET", "/api/v1/heightened-periods?withdrawn=true", user="operator")["periods"]), len(before))
        self.set_value(d, form.find_element(By.NAME, "end"), "2099-05-05T08:00")
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        def listed(drv):
            try:
                return name in drv.find_element(By.ID, "heightened-periods").text
            except Exception:  # noqa: BLE001 - the page is reloading
                return False
        wait(d).until(listed)
        made = [p for p in self.api.ok("GET", "/api/v1/heightened-periods", user="operator")["periods"] if p["name"] == name]
        self.assertEqual(len(made), 1)
        self.assertEqual(made[0]["start"], "2099-05-02T00:00:00Z", "the form's time is the county's (UTC+8)")
        # Called off on the page.
        row = [r for r in d.find_elements(By.CSS_SELECTOR, "#heightened-periods tbody tr") if name in r.text][0]
        row.find_element(By.NAME, "note").send_keys("测试取消")
        click(d, row.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        wait(d).until(lambda drv: not self.api.ok("GET", "/api/v1/heightened-periods", user="operator")["periods"]
                      or name not in [p["name"] for p in self.api.ok("GET", "/api/v1/heightened-periods", user="operator")["periods"]])
        self.assertEqual(console_errors(d), [])

    def test_f_grave_event_on_the_index_page(self):
        d = self.driver(PHONE)
        login(d, self.base, "operator")
        d.get(f"{self.base}/safety-index")
        form = visible(d, "#grave-form")
        self.assertEqual(markup_shown(d), [], "the index page shows HTML as text")
        day = d.execute_script("var t = new Date(Date.now() + 8 * 3600e3); return t.toISOString().slice(0, 10)")
        self.set_value(d, form.find_element(By.NAME, "occurred_on"), "2099-01-01")
        text = "测试：一处仓库失火，无人员伤亡" + uuid.uuid4().hex[:4]
        form.find_element(By.NAME, "summary").send_keys(text)
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        error = wait(d).until(lambda drv: form.find_element(By.CSS_SELECTOR, ".field-error").text.strip() or None)
        log(f"the refused event says: {error}")
        console_errors(d)  # the refused request's 400, expected
        self.set_value(d, form.find_element(By.NAME, "occurred_on"), day)
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        wait(d).until(lambda drv: any(e["summary"] == text for e in self.api.ok("GET", "/api/v1/grave-events", user="operator")["events"]))
        self.assertEqual(console_errors(d), [])


if __name__ == "__main__":
    unittest.main()
