"""Field work on the grid worker's phone page: a key-place inspection filled in without a network waits in the
outbox with its photo and, when the network returns, raises exactly one hazard case for its failed item, in the
place's grid and routed by the item's category; a household visit is recorded from the due list; a patrol started,
noted and ended offline is sent in order and its finding becomes one case; a care visit is recorded on its plan."""
import datetime
import urllib.parse
import os
import tempfile
import time
import unittest
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import InOneBrowser, check_server, click, console_errors, deepest_point, grid_of, log, login, set_offline, visible, wait


def jpeg(size=3000, seed=5):
    """A small JPEG the server takes (the same bytes as the Swift tests' `TrustRoundTwoTests.jpeg`)."""
    b = [0xFF, 0xD8] + [0xFF, 0xDB, 0x00, 0x43, 0x00] + [1] * 64
    b += [0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00]
    b += [0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01] + [0] * 15 + [0x00]
    b += [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]
    b += [((i * 31 + seed) & 0xFF) & 0x7F for i in range(max(0, size - len(b) - 2))]
    b += [0xFF, 0xD9]
    return bytes(b)


class FieldWork(InOneBrowser):
    @classmethod
    def prepare(cls):
        grid = grid_of(cls.api, "gridworker")
        cls.grid = grid["properties"]["code"]
        lon, lat = deepest_point(grid["geometry"])
        cls.place_name = "测试面馆 " + uuid.uuid4().hex[:6]
        made = cls.api.ok("POST", "/api/v1/registry/places", user="gridworker", body={
            "name": cls.place_name, "address": "测试街 8 号", "lat": lat, "lon": lon, "type_code": "restaurant",
            "attributes": {"gas": "cylinder"}})
        cls.place = made["entry"]["id"]
        cls.point = (lat, lon)
        cls.household = cls.api.ok("POST", "/api/v1/registry/households", user="gridworker", body={
            "address": "测试街 8 号 3 楼 " + uuid.uuid4().hex[:4], "size": 2, "lat": lat, "lon": lon})["entry"]["id"]
        cared = cls.api.ok("POST", "/api/v1/registry/households", user="gridworker", body={
            "address": "测试街 9 号 " + uuid.uuid4().hex[:4], "size": 1, "lat": lat, "lon": lon})["entry"]["id"]
        today = datetime.date.today().isoformat()
        cls.plan = cls.api.ok("POST", "/api/v1/care-plans", user="gridworker", body={
            "household_id": cared, "consent": {"given_on": today, "how": "本人口头同意"}, "needs": "独居，希望每周有人来看看", "every": "7d"})["id"]
        fd, cls.photo = tempfile.mkstemp(suffix=".jpg")
        with os.fdopen(fd, "wb") as f:
            f.write(jpeg())

    def count(self):
        return self.d.find_element(By.ID, "outbox-count").text.strip()

    def tearDown(self):
        try:
            set_offline(self.d, False)
        finally:
            check_server(self.srv)

    def open_worker(self):
        d = self.d
        login(d, self.base, "gridworker")
        d.get(self.base + "/worker")
        visible(d, "#inspection")
        d.execute_async_script("""
            var done = arguments[arguments.length - 1];
            if (!navigator.serviceWorker) { done("none"); return; }
            var t = setTimeout(function () { done("timeout"); }, 8000);
            navigator.serviceWorker.ready.then(function () { clearTimeout(t); done("ready"); });""")

    def drain(self):
        d = self.d
        set_offline(d, False)
        deadline = time.time() + 25
        clicked = False
        while self.count() != "0" and time.time() < deadline:
            if not clicked and time.time() > deadline - 18:
                click(d, d.find_element(By.ID, "outbox-send"))
                clicked = True
            time.sleep(0.2)
        self.assertEqual(self.count(), "0", f"the outbox still holds {self.count()}: {d.find_element(By.ID, 'outbox-status').text}")
        self.assertEqual(d.find_element(By.ID, "outbox-failed").text.strip(), "", "the server refused an item")

    def test_a_offline_inspection_raises_exactly_one_case(self):
        d, api = self.d, self.api
        self.open_worker()
        form = d.find_element(By.ID, "inspection")
        Select(form.find_element(By.NAME, "place_id")).select_by_value(self.place)
        Select(form.find_element(By.NAME, "checklist_code")).select_by_value("food")
        items = form.find_elements(By.CSS_SELECTOR, "#insp-items > li")
        self.assertEqual([i.get_attribute("data-item") for i in items], ["licence", "kitchen", "expiry"])
        set_offline(d, True)
        wait(d).until(lambda drv: drv.execute_script("return navigator.onLine") is False)
        note = "未见食品经营许可证 " + uuid.uuid4().hex[:6]
        for li in items:
            value = "fail" if li.get_attribute("data-item") == "licence" else "pass"
            click(d, li.find_element(By.CSS_SELECTOR, f'input[type=radio][value="{value}"]'))
        licence = items[0]
        # Without the photo the failed item asks for: refused on the page, nothing saved.
        licence.find_element(By.CSS_SELECTOR, "input[name=note-licence]").send_keys(note)
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        wait(d).until(lambda drv: licence.find_element(By.CSS_SELECTOR, ".field-error").text.strip() or None)
        self.assertEqual(self.count(), "0")
        licence.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(self.photo)
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        wait(d).until(lambda drv: self.count() == "1", "the inspection did not wait in the outbox")
        time.sleep(1)
        self.assertEqual(api.cases_with(note), [], "sent while offline")

        self.drain()
        found = api.cases_with(note)
        self.assertEqual(len(found), 1, f"{len(found)} cases for one failed item")
        case = found[0]
        self.assertEqual(case["area"]["code"], self.grid, "in the place's grid")
        self.assertEqual(case["category"]["code"] if isinstance(case.get("category"), dict) else case.get("category_code"), "0302")
        log(f"the inspection's case {case['code']} went to {case.get('department')}")
        # Sent once: after a reload nothing more.
        d.refresh()
        visible(d, "#inspection")
        time.sleep(1.5)
        self.assertEqual(len(api.cases_with(note)), 1)
        self.assertEqual(console_errors(d), [])

    def test_b_visit_from_the_due_list(self):
        d, api = self.d, self.api
        self.open_worker()
        before = api.ok("GET", "/api/v1/field/today", user="gridworker")["households_due"]
        row = visible(d, f'#visits li[data-household="{self.household}"]')
        click(d, row.find_element(By.CSS_SELECTOR, 'button[data-outcome="met"]'))
        wait(d, 20).until(lambda drv: self.count() == "0" and api.ok("GET", "/api/v1/field/today", user="gridworker")["households_due"] == before - 1,
                          "the visit was not recorded")
        self.assertEqual(console_errors(d), [])

    def test_c_patrol_offline_is_sent_in_order_and_its_finding_becomes_one_case(self):
        d, api = self.d, self.api
        self.open_worker()
        d.execute_script("localStorage.removeItem('wangge-patrol')")
        d.refresh()
        visible(d, "#patrol-start")
        set_offline(d, True)
        wait(d).until(lambda drv: drv.execute_script("return navigator.onLine") is False)
        click(d, d.find_element(By.ID, "patrol-start"))
        finding = visible(d, "#patrol-finding")
        note = "路口井盖缺失 " + uuid.uuid4().hex[:6]
        finding.find_element(By.NAME, "note").send_keys(note)
        options = [o.get_attribute("value") for o in finding.find_elements(By.CSS_SELECTOR, "select[name=category_code] option") if o.get_attribute("value")]
        Select(finding.find_element(By.NAME, "category_code")).select_by_value(options[0])
        finding.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(self.photo)
        Select(finding.find_element(By.NAME, "place_id")).select_by_value(self.place)
        click(d, finding.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        wait(d).until(lambda drv: self.count() == "2", "the finding did not wait in the outbox")
        end = visible(d, "#patrol-end")
        end.find_element(By.NAME, "summary").send_keys("巡查完毕")
        click(d, end.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        wait(d).until(lambda drv: self.count() == "3")
        self.assertTrue(d.find_element(By.ID, "patrol-start").is_displayed(), "the patrol ended on the page")
        time.sleep(1)
        self.assertEqual(api.cases_with(note), [], "sent while offline")
        self.drain()
        found = api.cases_with(note)
        self.assertEqual(len(found), 1, f"{len(found)} cases for one finding")
        self.assertEqual(found[0]["area"]["code"], self.grid)
        self.assertIn("测试面馆", found[0].get("description", "") or api.ok("GET", f"/api/v1/cases/{found[0]['id']}", user="operator").get("description", ""),
                      "the case names the place picked from the registry")
        self.assertEqual(console_errors(d), [])

    def test_d_care_visit_on_its_plan(self):
        d, api = self.d, self.api
        self.open_worker()
        row = visible(d, f'#care li[data-plan="{self.plan}"]')
        click(d, row.find_element(By.CSS_SELECTOR, "button.care-act"))
        form = visible(d, "#care-visit")
        form.find_element(By.NAME, "note").send_keys("老人精神不错")
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        wait(d, 20).until(lambda drv: self.count() == "0" and len(api.ok("GET", f"/api/v1/care-plans/{self.plan}", user="gridworker").get("visits", [])) == 1,
                          "the care visit was not recorded")
        self.assertEqual(console_errors(d), [])

    def test_e_no_form_asks_for_an_address_or_place_the_registry_has(self):
        d = self.d
        self.open_worker()
        # Every field a worker can type into on the page: none asks for an address, a place or a household.
        typed = d.execute_script("""
            return Array.prototype.map.call(document.querySelectorAll('input, textarea, select'), function (e) {
              return [e.name || e.id, e.type || e.tagName.toLowerCase()];
            }).filter(function (x) { return x[1] !== 'hidden'; });""")
        names = {n for n, _ in typed}
        for asked in ("address", "place_name", "household", "household_address", "place_address"):
            self.assertNotIn(asked, names, f"a form asks for {asked}")
        # The places and households come from the registry: picked, not typed.
        options = [o.get_attribute("value") for o in d.find_elements(By.CSS_SELECTOR, "#insp-place option")]
        self.assertIn(self.place, options)
        self.assertEqual(d.find_element(By.ID, "insp-place").tag_name, "select")
        self.assertEqual(console_errors(d), [])

    def test_f_the_registry_form_is_filled_in_and_sends_only_the_change(self):
        d, api = self.d, self.api
        login(d, self.base, "gridworker")
        d.get(self.base + f"/registry/places/{self.place}")
        summary = visible(d, "details.card summary")
        click(d, summary)
        form = visible(d, "#registry-edit")
        address = form.find_element(By.NAME, "address")
        self.assertEqual(address.get_attribute("value"), "测试街 8 号", "filled in from the registry")
        address.clear()
        address.send_keys("测试街 10 号")
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        wait(d, 15).until(lambda drv: api.ok("GET", f"/api/v1/registry/places/{self.place}", user="gridworker")["entry"]["version"] >= 2,
                          "the change was not saved")
        shown = api.ok("GET", f"/api/v1/registry/places/{self.place}", user="gridworker")
        self.assertEqual(shown["entry"]["address"], "测试街 10 号")
        self.assertEqual([c["field"] for c in shown["history"][-1]["changes"]], ["address"], "only the change was sent")
        self.assertEqual(console_errors(d), [])

    def test_g_registering_a_place_and_a_care_plan_on_the_pages(self):
        d, api = self.d, self.api
        login(d, self.base, "gridworker")
        d.get(self.base + "/registry?kind=places")
        click(d, wait(d).until(lambda drv: drv.find_element(By.ID, "registry-new")).find_element(By.XPATH, "./ancestor::details/summary"))
        form = visible(d, "#registry-new")
        name = "新登记面馆 " + uuid.uuid4().hex[:6]
        form.find_element(By.NAME, "name").send_keys(name)
        form.find_element(By.NAME, "address").send_keys("测试街 30 号")
        Select(form.find_element(By.NAME, "type_code")).select_by_value("restaurant")
        gas = visible(d, '#registry-new-attributes select[data-attribute="gas"]')
        form.find_element(By.NAME, "lat").send_keys(str(self.point[0]))
        form.find_element(By.NAME, "lon").send_keys(str(self.point[1]))
        # Without the type's required attribute: refused, named, nothing registered.
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        wait(d).until(lambda drv: form.find_element(By.CSS_SELECTOR, '[data-for="form"]').text.strip() or None)
        Select(gas).select_by_value("pipeline")
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        wait(d, 15).until(lambda drv: "/registry/places/" in drv.current_url, "not taken to the new entry")
        found = api.ok("GET", "/api/v1/registry/places?q=" + urllib.parse.quote(name), user="gridworker")
        self.assertEqual(found["total"], 1)
        self.assertEqual(found["entries"][0]["grid"]["code"], self.grid, "its point put it in the grid")
        self.assertEqual(found["entries"][0]["attributes"], {"gas": "pipeline"})

        household = api.ok("POST", "/api/v1/registry/households", user="gridworker", body={
            "address": "测试街 31 号 " + uuid.uuid4().hex[:4], "size": 1, "lat": self.point[0], "lon": self.point[1]})["entry"]["id"]
        d.get(self.base + f"/registry/households/{household}")
        click(d, wait(d).until(lambda drv: drv.find_element(By.ID, "care-plan")).find_element(By.XPATH, "./ancestor::details/summary"))
        care = visible(d, "#care-plan")
        d.execute_script("arguments[0].value = arguments[1]", care.find_element(By.NAME, "given_on"), datetime.date.today().isoformat())
        care.find_element(By.NAME, "how").send_keys("本人口头同意")
        care.find_element(By.NAME, "needs").send_keys("独居，希望有人常来看看")
        click(d, care.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        wait(d, 15).until(lambda drv: not care.is_displayed(), "the plan was not made")
        plans = api.ok("GET", "/api/v1/care-plans", user="gridworker")
        self.assertIn(household, [p["household_id"] for p in plans.get("plans", plans.get("care_plans", []))])
        self.assertEqual(console_errors(d, also_ignore=("/api/v1/registry/places - Failed to load resource: the server responded with a status of 400",)), [],
                         "only the refusal the test asked for")


if __name__ == "__main__":
    unittest.main()
