"""Scope: the operator of township 2 sees nothing of a township-1 case, on the workbench or by its address."""
import unittest
import uuid

from selenium.webdriver.common.by import By

import casepage
from support import DESKTOP, InOneBrowser, deepest_point, grid_of, login, visible


class Scope(InOneBrowser):
    SIZE = DESKTOP

    @classmethod
    def prepare(cls):
        grid = grid_of(cls.api, "gridworker")  # a grid of township 1
        lon, lat = deepest_point(grid["geometry"])
        cats = cls.api.ok("GET", "/api/v1/categories")["categories"]
        cat = next(c for c in cats if c.get("parent_code") and not c.get("photo_required"))
        cls.words = f"范围测试 {uuid.uuid4().hex[:8]}"
        created = cls.api.report(cls.words, lat, lon, cat["code"], phone="13900000000")
        cls.case = cls.api.ok("GET", f"/api/v1/cases/{created['id']}", user="admin")
        township1 = next(a["code"] for a in cls.api.ok("GET", "/api/v1/areas", user="op_t01")["areas"] if a["level"] == "township")
        assert township1 in [a["code"] for a in cls.case["areas"]], (township1, cls.case["areas"])

    def test_township_1_operator_sees_it(self):
        """The control: the same search finds the case for the operator whose scope covers it."""
        login(self.d, self.base, "op_t01")
        links = casepage.search_queue(self.d, self.base, self.case["code"])
        self.assertEqual([a.text.strip() for a in links], [self.case["code"]])

    def test_township_2_operator_sees_nothing(self):
        d, code, cid = self.d, self.case["code"], self.case["id"]
        login(d, self.base, "op_t02")
        for q in (code, self.words):
            links = casepage.search_queue(d, self.base, q)
            self.assertEqual([a.text for a in links], [], f"op_t02 finds {q} on the workbench")
            self.assertNotIn(code, d.find_element(By.ID, "queue").text)
        self.assertEqual(self.api.page_status(f"/cases/{cid}", "op_t02"), 404)
        self.assertEqual(self.api.page_status(f"/cases/{code}", "op_t02"), 404)
        status, _ = self.api.call("GET", f"/api/v1/cases/{cid}", user="op_t02")
        self.assertEqual(status, 404)
        listed = self.api.ok("GET", f"/api/v1/cases?q={code}", user="op_t02")
        self.assertEqual(listed["cases"], [])
        # In the browser: refused, with nothing of the case on it.
        d.get(f"{self.base}/cases/{cid}")
        body = visible(d, "body").text
        self.assertTrue("404" in body or "not_found" in body, body[:300])
        self.assertEqual(d.find_elements(By.ID, "case"), [])
        self.assertNotIn(self.words, d.page_source)
        self.assertNotIn(code, body)

    def test_refusal_is_a_page_in_the_browser(self):
        """A case out of scope, opened in the browser, shows the site's error page (not raw JSON)."""
        d = self.d
        login(d, self.base, "op_t02")
        d.get(f"{self.base}/cases/{self.case['id']}")
        h1 = d.find_elements(By.CSS_SELECTOR, "main h1")
        self.assertTrue(h1, "the browser got no HTML error page but: " + d.find_element(By.TAG_NAME, "body").text[:200])
        self.assertIn("404", h1[0].text)

if __name__ == "__main__":
    unittest.main()
