"""The whole loop in the browser: a resident reports, the township operator accepts and dispatches, the department's
handler signs and resolves, the grid worker verifies, the operator closes and gives feedback, the resident rates.

Every step is done through the pages; the API is used only to discover things (the grid's shape, which handler
account serves the department) and to check the outcome.
"""
import unittest
import uuid

from selenium.webdriver.common.action_chains import ActionBuilder
from selenium.webdriver.common.by import By

import casepage
from support import (API, DESKTOP, OnDemoServer, PHONE, click, console_errors, deepest_point, edge_distance, grid_of,
                     in_shape, log, login, make_driver, png_file, visible, wait)

HANDLERS = ["handler_t01", "handler"]  # the demo's handler accounts; the test finds which one the case went to


class WholeLoop(OnDemoServer):
    @classmethod
    def prepare(cls):
        cls.drivers = []

    @classmethod
    def tearDownClass(cls):
        try:
            for d in cls.drivers:
                d.quit()
        finally:
            super().tearDownClass()

    def driver(self, size):
        d = make_driver(size)
        self.drivers.append(d)
        return d

    def category(self):
        """A minor category handled by a department (market regulation, else city management), with a search word."""
        cats = self.api.ok("GET", "/api/v1/categories")["categories"]
        for kind in ("market_regulation", "city_management"):
            for c in cats:
                if c.get("parent_code") and c.get("handler_kind") == kind and c.get("lead_kind") in (kind, None):
                    return c
        self.fail("no category handled by market regulation or city management in the demo catalogue")

    def tap_map(self, d, geometry):
        """Clicks the report map at the screen pixel that lands deepest inside the grid."""
        svg = d.find_element(By.CSS_SELECTOR, "svg.map.tap")
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", svg)
        lon, lat = deepest_point(geometry)
        m = d.execute_script("""
            var s = arguments[0], ds = s.dataset, ctm = s.getScreenCTM();
            var p = s.createSVGPoint(); p.x = (arguments[1] - ds.minLon) * ds.kx; p.y = (ds.maxLat - arguments[2]) * ds.ky;
            var c = p.matrixTransform(ctm);
            return {a: ctm.a, d: ctm.d, e: ctm.e, f: ctm.f, x: c.x, y: c.y, minLon: +ds.minLon, maxLat: +ds.maxLat,
                    kx: +ds.kx, ky: +ds.ky, w: innerWidth, h: innerHeight};""", svg, lon, lat)

        def place(px, py):  # what the page computes from a click at (px, py)
            x, y = (px - m["e"]) / m["a"], (py - m["f"]) / m["d"]
            return m["minLon"] + x / m["kx"], m["maxLat"] - y / m["ky"]
        candidates = []
        for px in range(int(m["x"]) - 4, int(m["x"]) + 6):
            for py in range(int(m["y"]) - 4, int(m["y"]) + 6):
                plon, plat = place(px, py)
                if 0 <= px < m["w"] and 0 <= py < m["h"] and in_shape(plon, plat, geometry):
                    candidates.append((edge_distance(plon, plat, geometry), px, py))
        self.assertTrue(candidates, f"no screen pixel of the {m['w']} px wide map falls inside the grid")
        _, px, py = max(candidates)
        log(f"tapping the map at ({px}, {py}) for {place(px, py)}")
        actions = ActionBuilder(d)
        actions.pointer_action.move_to_location(px, py).click()
        actions.perform()
        return place(px, py)

    def test_resident_to_rating(self):
        api, base = self.api, self.base
        self.problems = []
        cat = self.category()
        grid = grid_of(api, "gridworker")
        grid_code, grid_name = grid["properties"]["code"], grid["properties"]["name"]
        words = f"浏览器测试 {uuid.uuid4().hex[:8]}：{cat['name']}，请尽快处理"
        phone = "13800138000"
        photo = png_file()

        # ---- the resident reports on a phone ----
        res = self.driver(PHONE)
        res.get(base + "/report")
        search = visible(res, "#cat-search")
        search.send_keys(cat["name"])
        hit = wait(res).until(lambda d: next((b for b in d.find_elements(By.CSS_SELECTOR, "#cat-hits button")
                                              if b.text.strip().endswith(cat["name"])), None),
                              f"no search hit for {cat['name']}")
        click(res, hit)
        self.assertEqual(res.find_element(By.ID, "category").get_attribute("value"), cat["code"])
        res.find_element(By.ID, "photos").send_keys(photo)
        wait(res).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#previews img"), "no photo preview")
        self.tap_map(res, grid["geometry"])
        wait(res).until(lambda d: grid_name in d.find_element(By.ID, "place-chosen").text,
                        "the chosen place does not name the worker's grid")
        self.assertTrue(res.find_element(By.ID, "lat").get_attribute("value"))
        res.find_element(By.ID, "description").send_keys(words)
        res.find_element(By.ID, "rname").send_keys("张先生")
        res.find_element(By.ID, "rphone").send_keys(phone)
        click(res, res.find_element(By.CSS_SELECTOR, "#report button[type=submit]"))
        code_el = visible(res, "#done-code", timeout=20)
        tracking = code_el.text.strip()
        self.assertTrue(tracking)
        if res.find_element(By.ID, "report").is_displayed():
            # Checked softly so the rest of the loop still runs; reported at the end.
            self.problems.append("/report: after a successful send the filled form is still shown above the tracking code")
        self.assertTrue(res.find_element(By.ID, "done-link").get_attribute("href").endswith("/track/" + tracking))
        self.assertEqual(console_errors(res), [])

        found = api.cases_with(words)
        self.assertEqual(len(found), 1, found)
        case = api.ok("GET", f"/api/v1/cases/{found[0]['id']}", user="admin")
        cid, code = case["id"], case["code"]
        log(f"reported {code} (tracking {tracking}) in {case['area']}; routing: {case['routing_reason']}")
        # Staff answers do not carry the reporter's code; an operator reading it to a caller asks for it (audited).
        self.assertNotIn("tracking_code", case)
        self.assertEqual(api.ok("POST", f"/api/v1/cases/{cid}/tracking-code", user="admin")["tracking_code"], tracking)
        self.assertEqual(case["area"]["code"], grid_code)
        self.assertEqual(case["category"]["code"], cat["code"])
        self.assertEqual(case["status"], "reported")
        self.assertEqual(len([a for t in case["timeline"] for a in t["attachments"]]), 1, "the photo is not on the case")

        # ---- the township operator accepts and dispatches where routing proposes ----
        op = self.driver(DESKTOP)
        login(op, base, "op_t01")
        casepage.open_case_from_queue(op, base, code)
        # The call taker reads the reporter's tracking code on the case page when the caller asks (audited).
        click(op, op.find_element(By.CSS_SELECTOR, "form.reveal-code button"))
        wait(op).until(lambda d: d.find_element(By.CSS_SELECTOR, "form.reveal-code output").text.strip() == tracking)
        self.assertEqual(casepage.state(op), "reported")
        casepage.act(op, "accept", note="受理", expect_state="accepted")
        dept = casepage.act(op, "dispatch", note="请核查处理", expect_state="dispatched")
        self.assertTrue(dept, "the dispatch form had no department chosen by routing")
        case = api.ok("GET", f"/api/v1/cases/{cid}", user="admin")
        self.assertEqual(case["department"]["id"], dept)
        handler = None
        for name in HANDLERS:
            status, body = api.call("GET", f"/api/v1/cases/{cid}", user=name)
            if status == 200 and "sign" in body["allowed_actions"]:
                handler = name
                break
        self.assertIsNotNone(handler, f"no demo handler account can sign for a case of department {dept}")
        log(f"dispatched to {case['department']['name']} ({dept}); handler account {handler}")
        self.assertEqual(console_errors(op), [])

        # ---- the department's handler signs and resolves ----
        h = self.driver(DESKTOP)
        login(h, base, handler)
        h.get(f"{base}/cases/{cid}")
        casepage.act(h, "sign", expect_state="signed")
        casepage.act(h, "resolve", note="已现场处置，责令整改", photo=png_file("after.png"), expect_state="resolved")
        self.assertEqual(console_errors(h), [])

        # ---- the grid worker verifies on his phone ----
        g = self.driver(PHONE)
        login(g, base, "gridworker")
        g.get(f"{base}/cases/{cid}")
        casepage.act(g, "verify_pass", note="核查属实，已整改", expect_state="verified")
        self.assertEqual(console_errors(g), [])

        # ---- the operator closes and tells the resident ----
        op.get(f"{base}/cases/{cid}")
        casepage.act(op, "close", note="结案", expect_state="closed")
        self.assertIn("feedback", casepage.allowed_kinds(op))
        casepage.act(op, "feedback", note="已电话告知处理结果")
        self.assertNotIn("feedback", casepage.allowed_kinds(op))
        self.assertEqual(console_errors(op), [])

        # ---- the resident follows the link and rates ----
        res.get(f"{base}/track/{tracking}")
        visible(res, "#rate")
        self.assertIn("结案", res.find_element(By.CSS_SELECTOR, ".track-card").text)
        click(res, res.find_element(By.CSS_SELECTOR, '#rate input[name="rating"][value="satisfied"]'))
        click(res, res.find_element(By.CSS_SELECTOR, "#rate button[type=submit]"))
        thanks = visible(res, ".track-card .ok")
        self.assertIn("感谢", thanks.text)
        self.assertIn("满意", res.find_element(By.CSS_SELECTOR, ".track-card").text)
        self.assertEqual(res.find_elements(By.ID, "rate"), [], "the rating form is still offered after rating")
        self.assertEqual(console_errors(res), [])

        tracked = api.ok("GET", f"/api/v1/track/{tracking}")
        self.assertEqual(tracked["rating"], "satisfied")
        self.assertEqual(tracked["status"], "closed")
        case = api.ok("GET", f"/api/v1/cases/{cid}", user="admin")
        kinds = [t["action"] for t in case["timeline"]]
        self.assertEqual(kinds, ["report", "accept", "dispatch", "sign", "resolve", "verify_pass", "close", "feedback", "rate"])
        self.assertEqual(self.problems, [])


if __name__ == "__main__":
    unittest.main()
