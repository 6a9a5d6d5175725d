"""Open311 keys in a real browser (issue 21): an administrator makes a key on the API keys page, sees it once,
a partner reports with it through Open311, the report's case page names the channel and the key for an operator,
the dashboard counts it under its source, and the key, revoked on the page, is refused from then on."""
import json
import unittest
import urllib.error
import urllib.parse
import urllib.request
import uuid

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import DESKTOP, InOneBrowser, click, console_errors, deepest_point, grid_of, login, visible, wait


def open311(base, method, path, fields=None):
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    req = urllib.request.Request(base + "/open311/v2" + path, data=data, method=method,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


class Open311Keys(InOneBrowser):
    SIZE = DESKTOP

    def test_a_key_made_used_seen_and_revoked_on_the_pages(self):
        d = self.d
        login(d, self.base, "admin")
        d.get(self.base + "/api-keys")
        name = "partner-" + uuid.uuid4().hex[:6]
        visible(d, "input[name=name]").send_keys(name)
        # The county itself: the first option.
        Select(d.find_element(By.CSS_SELECTOR, "select[name=area]")).select_by_index(0)
        d.find_element(By.CSS_SELECTOR, "input[name=rate]").send_keys("120")
        click(d, d.find_element(By.CSS_SELECTOR, "form.filter-grid button[type=submit]"))
        key = visible(d, "#new-key").text.strip()
        self.assertTrue(key.startswith("wg_") and len(key) == 46, key)
        self.assertIn(name, d.find_element(By.CSS_SELECTOR, "table").text)
        self.assertEqual(console_errors(d), [])
        # Reloading the list never shows the key again.
        d.get(self.base + "/api-keys")
        self.assertNotIn(key, d.page_source)

        lon, lat = deepest_point(grid_of(self.api, "gridworker")["geometry"])
        services = open311(self.base, "GET", "/services.json")[1]
        code = next(s["service_code"] for s in services if not s["metadata"])
        words = f"浏览器测试 Open311 上报 {uuid.uuid4().hex[:8]}"
        status, made = open311(self.base, "POST", "/requests.json", {
            "api_key": key, "service_code": code, "lat": lat, "long": lon, "description": words,
            "first_name": "五", "last_name": "王", "phone": "13900001111"})
        self.assertEqual(status, 201, made)
        case_code = made[0]["service_request_id"]
        status, read = open311(self.base, "GET", f"/requests/{case_code}.json?api_key={urllib.parse.quote(key)}")
        self.assertEqual(status, 200, read)
        self.assertNotIn("13900001111", json.dumps(read, ensure_ascii=False))

        # The operator's case page names the channel and the key.
        login(d, self.base, "operator")
        found = [c for c in self.api.cases_with(words, user="operator") if c["code"] == case_code]
        self.assertTrue(found, "the case is in the operator's list")
        d.get(self.base + f"/cases/{found[0]['id']}")
        visible(d, "main h1")
        meta = " ".join(e.text for e in d.find_elements(By.CSS_SELECTOR, "main p.meta"))
        self.assertIn("Open311", meta)
        self.assertIn(name, meta)
        # The dashboard's source breakdown counts it under its key.
        login(d, self.base, "leader")
        d.get(self.base + "/dashboard")
        panel = visible(d, "#source-panel").text
        self.assertIn(name, panel)

        # Revoked on the page: refused from the next request.
        login(d, self.base, "admin")
        d.get(self.base + "/api-keys")
        row = next(r for r in d.find_elements(By.CSS_SELECTOR, "table tbody tr") if name in r.text)
        click(d, row.find_element(By.CSS_SELECTOR, "button"))
        # The revoke answers with a redirect to the list: rows read while the page reloads go stale, and are read again.
        def revoked(d):
            try:
                return any(name in r.text and "已吊销" in r.text for r in d.find_elements(By.CSS_SELECTOR, "table tbody tr"))
            except StaleElementReferenceException:
                return False
        wait(d).until(revoked)
        status, refused = open311(self.base, "GET", f"/requests.json?api_key={urllib.parse.quote(key)}")
        self.assertEqual(status, 403, refused)
        self.assertEqual(refused[0]["code"], 403)


if __name__ == "__main__":
    unittest.main()
