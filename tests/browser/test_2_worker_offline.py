"""The grid worker's phone page works without a network: a quick report waits in the outbox and is sent exactly once
when the network returns, also after a double tap and a reload while offline."""
import time
import unittest
import uuid

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import InOneBrowser, check_server, click, grid_of, log, login, set_offline, visible, wait


class WorkerOffline(InOneBrowser):
    @classmethod
    def prepare(cls):
        status = cls.api.page_status("/worker", "gridworker")
        if status == 404:
            raise unittest.SkipTest("/worker is not built yet (404 for gridworker)")

    def count(self):
        return self.d.find_element(By.ID, "outbox-count").text.strip()

    def wait_count(self, n, timeout=10):
        wait(self.d, timeout).until(lambda d: self.count() == str(n), f"#outbox-count never showed {n} (shows {self.count()})")

    def fill(self, words):
        form = self.d.find_element(By.ID, "quick-report")
        Select(form.find_element(By.NAME, "category_code")).select_by_value(self.category)
        desc = form.find_element(By.NAME, "description")
        desc.clear()
        desc.send_keys(words)
        return form.find_element(By.CSS_SELECTOR, "button[type=submit]")

    def open_worker(self):
        d, api = self.d, self.api
        login(d, self.base, "gridworker")
        d.get(self.base + "/worker")
        form = visible(d, "#quick-report")
        # The quick report has no photo field: take a category that does not need one.
        no_photo = {c["code"] for c in api.ok("GET", "/api/v1/categories")["categories"]
                    if c.get("parent_code") and not c.get("photo_required")}
        self.category = next(o.get_attribute("value") for o in form.find_elements(By.CSS_SELECTOR, "select[name=category_code] option")
                             if o.get_attribute("value") in no_photo)
        self.wait_count(0)
        # Let the service worker take the page (it keeps /worker for a reload without network).
        sw = d.execute_async_script("""
            var done = arguments[arguments.length - 1];
            if (!navigator.serviceWorker) { done("none"); return; }
            var t = setTimeout(function () { done("timeout"); }, 8000);
            navigator.serviceWorker.ready.then(function () { clearTimeout(t); done("ready"); });""")
        log(f"service worker: {sw}")

    def go_offline(self):
        set_offline(self.d, True)
        wait(self.d).until(lambda d: d.execute_script("return navigator.onLine") is False, "the page still thinks it is online")

    def go_online_and_drain(self):
        d = self.d
        set_offline(d, False)
        deadline = time.time() + 20
        clicked = False
        while self.count() != "0" and time.time() < deadline:
            if not clicked and time.time() > deadline - 15:  # the page should send by itself; after 5 s, press the button
                click(d, d.find_element(By.ID, "outbox-send"))
                clicked = True
            time.sleep(0.2)
        self.assertEqual(self.count(), "0", f"the outbox still holds {self.count()}: {d.find_element(By.ID, 'outbox-status').text}")
        self.assertEqual(d.find_element(By.ID, "outbox-failed").text.strip(), "", "the server refused a report")

    def tearDown(self):
        try:
            set_offline(self.d, False)
        finally:
            check_server(self.srv)

    def test_a_offline_report_waits_and_is_sent_once(self):
        d, api = self.d, self.api
        grid = grid_of(api, "gridworker")["properties"]["code"]
        self.open_worker()
        words = f"离线上报 {uuid.uuid4().hex[:8]} 井盖缺失"

        self.go_offline()
        click(d, self.fill(words))
        self.wait_count(1)
        self.assertTrue(d.find_element(By.ID, "outbox-status").text.strip(), "no word about the report waiting")
        self.assertEqual(api.cases_with(words), [], "a report was sent while offline")

        # A reload without network keeps the outbox (the page comes from the service worker's copy).
        d.refresh()
        visible(d, "#quick-report")
        self.wait_count(1)
        self.assertEqual(api.cases_with(words), [], "a report was sent while offline")

        self.go_online_and_drain()
        found = api.cases_with(words)
        self.assertEqual(len(found), 1, f"{len(found)} cases for one report")
        self.assertEqual(found[0]["area"]["code"], grid)
        self.assertEqual(found[0]["source"], "grid_worker")

        # Nothing is sent again after another reload.
        d.refresh()
        self.wait_count(0)
        time.sleep(1)
        self.assertEqual(len(api.cases_with(words)), 1)

    def test_b_double_tap_offline_is_one_report(self):
        d, api = self.d, self.api
        self.open_worker()
        words = f"离线双击 {uuid.uuid4().hex[:8]} 路灯不亮"
        self.go_offline()
        button = self.fill(words)
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        ActionChains(d).double_click(button).perform()
        wait(d, 10).until(lambda d: self.count() != "0", "the report did not reach the outbox")
        time.sleep(0.5)  # a second item from the double tap, if any, lands within milliseconds
        held = self.count()
        self.go_online_and_drain()
        found = api.cases_with(words)
        self.assertEqual(len(found), 1, f"a double tap on 上报 while offline made {len(found)} cases (the outbox held {held})")


if __name__ == "__main__":
    unittest.main()
