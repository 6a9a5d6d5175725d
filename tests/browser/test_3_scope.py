"""Scope: the operator of township 2 sees nothing of a township-1 case, on the workbench or by its address."""
import unittest
import uuid

from selenium.webdriver.common.by import By

import casepage
from support import API, DESKTOP, check_server, deepest_point, grid_of, login, make_driver, server, visible


class Scope(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.base = server().base
        cls.api = API(cls.base)
        grid = grid_of(cls.api, "gridworker")  # a grid of township 1
        lon, lat = deepest_point(grid["geometry"])
        cats = cls.api.ok("GET", "/api/v1/categories")["categories"]
        cat = next(c for c in cats if c.get("parent_code") and not c.get("photo_required"))
        cls.words = f"范围测试 {uuid.uuid4().hex[:8]}"
        created = cls.api.report(cls.words, lat, lon, cat["code"], phone="13900000000")
        cls.case = cls.api.ok("GET", f"/api/v1/cases/{created['id']}", user="admin")
        township1 = next(a["code"] for a in cls.case["areas"] if a["level"] == "township")
        assert township1.endswith("001"), cls.case["areas"]
        cls.d = make_driver(DESKTOP)

    @classmethod
    def tearDownClass(cls):
        cls.d.quit()

    def tearDown(self):
        check_server()

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
        # In the browser: an error page, with nothing of the case on it.
        d.get(f"{self.base}/cases/{cid}")
        h1 = visible(d, "main h1")
        self.assertIn("404", h1.text)
        self.assertEqual(d.find_elements(By.ID, "case"), [])
        self.assertNotIn(self.words, d.page_source)
        self.assertNotIn(code, d.find_element(By.TAG_NAME, "main").text)


if __name__ == "__main__":
    unittest.main()
