"""Every page loads at phone (375 px) and desktop (1440 px) width for a role that uses it: no server error, no
JavaScript error in the console. Pages not built yet (404) are skipped, and say so."""
import unittest
import uuid

from selenium.webdriver.common.by import By

from support import (DESKTOP, OnDemoServer, PHONE, console_errors, deepest_point, grid_of, log, login, make_driver,
                     visible, wait)

# (name, path, account or None for a resident); {case} and {code} are filled in with a case made for the test.
PAGES = [
    ("login", "/login", None),
    ("report", "/report", None),
    ("track_form", "/track", None),
    ("track", "/track/{code}", None),
    ("workbench", "/workbench", "op_t01"),
    ("case", "/cases/{case}", "op_t01"),
    ("case_handler", "/cases/{case}", "handler_t01"),
    ("worker", "/worker", "gridworker"),
    ("areas", "/areas", "admin"),
    ("dashboard", "/dashboard", "leader"),
    ("screen", "/screen", "leader"),
    ("report_en", "/report?lang=en", None),
    ("workbench_en", "/workbench?lang=en", "admin"),
    ("api_keys", "/api-keys", "admin"),
]
WIDTHS = [("phone", PHONE), ("desktop", DESKTOP)]


class Pages(OnDemoServer):
    drivers = {}
    signed_in = {}

    @classmethod
    def prepare(cls):
        lon, lat = deepest_point(grid_of(cls.api, "gridworker")["geometry"])
        cats = cls.api.ok("GET", "/api/v1/categories")["categories"]
        cat = next(c for c in cats if c.get("parent_code") and c.get("handler_kind") == "market_regulation"
                   and not c.get("photo_required"))
        created = cls.api.report(f"页面测试 {uuid.uuid4().hex[:8]}", lat, lon, cat["code"], phone="13700000000")
        cid = created["id"]
        # Take it as far as dispatched, so the handler's page has actions on it.
        cls.api.ok("POST", f"/api/v1/cases/{cid}/actions", {"action": "accept"}, user="op_t01")
        dept = created.get("department") or {}
        if dept.get("id"):
            cls.api.ok("POST", f"/api/v1/cases/{cid}/actions", {"action": "dispatch", "department_code": dept["id"]}, user="op_t01")
        cls.fill = {"case": cid, "code": created["tracking_code"]}

    @classmethod
    def tearDownClass(cls):
        try:
            for d in cls.drivers.values():
                d.quit()
            cls.drivers.clear()
            cls.signed_in.clear()
        finally:
            super().tearDownClass()

    def driver(self, width, size, user):
        d = self.drivers.get(width)
        if d is None:
            d = self.drivers[width] = make_driver(size)
        if self.signed_in.get(width) != user:
            if user:
                login(d, self.base, user)
            else:
                d.delete_all_cookies()
            self.signed_in[width] = user
            console_errors(d)  # drain what signing in logged
        return d

    def check(self, path, user, width, size):
        path = path.format(**self.fill)
        status = self.api.page_status(path, user)
        if status == 404:
            log(f"SKIPPED {path} as {user or 'resident'}: 404, not built yet")
            self.skipTest(f"{path} is not built yet (404 for {user or 'a resident'})")
        self.assertLess(status, 400, f"{path} as {user}: HTTP {status}")
        d = self.driver(width, size, user)
        d.get(self.base + path)
        wait(d).until(lambda d: d.execute_script("return document.readyState") == "complete")
        main = visible(d, "main")
        self.assertNotIn("/login", d.current_url.split("?")[0] if user else "", f"{path}: sent to sign in")
        h1 = d.find_elements(By.CSS_SELECTOR, "main h1")
        self.assertTrue(h1 and h1[0].text.strip(), f"{path}: no heading")
        self.assertFalse(h1[0].text.strip()[:3].isdigit() and h1[0].text.strip()[:1] in "45", f"{path}: error page {h1[0].text}")
        self.assertTrue(main.text.strip())
        # Let deferred scripts, live connections and first fetches run, then read the console.
        d.execute_async_script("var done = arguments[arguments.length - 1]; setTimeout(done, 700);")
        errors = console_errors(d)
        self.assertEqual(errors, [], f"{path} at {size[0]} px as {user or 'resident'}: console errors")
        overflow = d.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            log(f"note: {path} at {size[0]} px is {overflow} px wider than the screen")


def _make(path, user, width, size):
    def test(self):
        self.check(path, user, width, size)
    return test


for _name, _path, _user in PAGES:
    for _width, _size in WIDTHS:
        setattr(Pages, f"test_{_name}_{_width}", _make(_path, _user, _width, _size))


if __name__ == "__main__":
    unittest.main()
