"""Every page a user meets passes axe-core's audit with no serious or critical violation (issue 18).

axe-core comes from PyPI's axe-selenium-python (its axe.min.js; nothing is fetched from a CDN). Each page is opened
as a user who meets it, every <details> on it is opened (so the action forms and filters are audited too, not only
what shows at first), axe.run() audits the whole document, and the test fails listing each serious or critical
violation: the page, the rule, its impact, the elements (CSS targets) and what axe says is wrong."""
import datetime
import os
import time
import unittest
import uuid

from selenium.webdriver.common.by import By

from support import DESKTOP, InOneBrowser, PHONE, deepest_point, grid_of, log, login, visible, wait


def axe_source():
    """axe.min.js from the installed axe-selenium-python package."""
    import axe_selenium_python
    path = os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules", "axe-core", "axe.min.js")
    with open(path, encoding="utf-8") as f:
        return f.read()


# (name, path, account or None for a resident); {case}, {code}, {closed}, {dispute} and {mediation} are filled in below.
PAGES = [
    ("report", "/report", None),
    ("report_en", "/report?lang=en", None),
    ("track_form", "/track", None),
    ("track", "/track/{code}", None),
    ("track_rating", "/track/{closed}", None),
    ("track_not_found", "/track?code=NOSUCHCODE", None),
    ("login", "/login", None),
    ("workbench", "/workbench", "op_t01"),
    ("case", "/cases/{case}", "op_t01"),
    ("case_dispute", "/cases/{dispute}", "op_t01"),
    ("case_handler", "/cases/{case}", "handler_t01"),
    ("dashboard", "/dashboard", "leader"),
    ("screen", "/screen", "leader"),
    ("areas", "/areas", "admin"),
    ("worker", "/worker", "gridworker"),
    ("mediations", "/mediations", "med-001-1"),
    ("mediation", "/mediations/{mediation}", "med-001-1"),
    ("mediation_operator", "/mediations/{mediation}", "op_t01"),
    ("agreement", "/mediations/{mediation}/agreement", "med-001-1"),
    ("audit", "/audit", "admin"),
    ("api_keys", "/api-keys", "admin"),
    ("error_page", "/cases/no-such-case", "op_t01"),
]
BLOCKING = ("serious", "critical")


class Accessibility(InOneBrowser):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.d.set_script_timeout(180)  # axe over a whole page takes a while on this machine

    @classmethod
    def prepare(cls):
        cls.axe = axe_source()
        lon, lat = deepest_point(grid_of(cls.api, "gridworker")["geometry"])
        cats = cls.api.ok("GET", "/api/v1/categories")["categories"]
        cat = next(c for c in cats if c.get("parent_code") and c.get("handler_kind") == "market_regulation"
                   and not c.get("photo_required"))
        def act(cid, user, body):
            cls.api.ok("POST", f"/api/v1/cases/{cid}/actions", body, user=user)
        created = cls.api.report(f"无障碍测试 {uuid.uuid4().hex[:8]}", lat, lon, cat["code"], phone="13700000000")
        cid = created["id"]
        act(cid, "op_t01", {"action": "accept"})
        act(cid, "op_t01", {"action": "dispatch", "department_code": created["department"]["id"]})
        # Two accepted cases: the workbench's boxes for bulk dispatch are a group.
        for _ in range(2):
            act(cls.api.report(f"无障碍测试 {uuid.uuid4().hex[:8]}", lat, lon, cat["code"])["id"], "op_t01", {"action": "accept"})
        # A closed case: its follow page has the rating form.
        closed = cls.api.report(f"无障碍测试 {uuid.uuid4().hex[:8]}", lat, lon, cat["code"], phone="13700000001")
        for user, body in [("op_t01", {"action": "accept"}),
                           ("op_t01", {"action": "dispatch", "department_code": closed["department"]["id"]}),
                           ("handler_t01", {"action": "sign"}), ("handler_t01", {"action": "resolve", "note": "已处置"}),
                           ("gridworker", {"action": "verify_pass", "note": "核查属实"}), ("op_t01", {"action": "close", "note": "结案"})]:
            act(closed["id"], user, body)
        # A dispute whose case page offers 转为矛盾纠纷调解, and one taken as far as its agreement.
        dispute = cls.api.report(f"邻里纠纷 {uuid.uuid4().hex[:8]}", lat, lon, "0603", phone="13900000002")
        agreed = cls.api.report(f"邻里纠纷 {uuid.uuid4().hex[:8]}：噪音扰民", lat, lon, "0603", phone="13900000003")
        m = cls.api.ok("POST", "/api/v1/mediations", {"case_id": agreed["id"]}, user="op_t01",
                       headers={"Idempotency-Key": uuid.uuid4().hex})
        mid = m["id"]
        now = datetime.datetime.now(datetime.timezone.utc)
        due = (now + datetime.timedelta(days=20)).strftime("%Y-%m-%d")
        for body in [{"action": "accept", "complexity": "general"},
                     {"action": "assign", "mediator_ids": ["med-001-1"]},
                     {"action": "schedule_session", "at": (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"), "place": "村调解室"},
                     {"action": "record_session", "notes": "双方同意赔偿", "participants": ["张三", "李四"]},
                     {"action": "agree", "terms": [{"obligor": "李四", "description": "赔偿损失", "amount_yuan": 500, "due_date": due}]}]:
            cls.api.ok("POST", f"/api/v1/mediations/{mid}/actions", body, user="med-001-1")
        cls.fill = {"case": cid, "code": created["tracking_code"], "closed": closed["tracking_code"], "dispute": dispute["id"],
                    "mediation": mid}
        cls.user = "-"

    def open(self, path, user):
        d = self.d
        if user != self.user:
            if user:
                login(d, self.base, user)
            else:
                d.delete_all_cookies()
            type(self).user = user
        d.get(self.base + path.format(**self.fill))
        wait(d).until(lambda d: d.execute_script("return document.readyState") == "complete")
        visible(d, "main")
        # Let deferred scripts and first fetches run, then open every <details> (but the areas tree's grids, which
        # would each fetch their team) so that the forms inside them are audited too.
        d.execute_async_script("var done = arguments[arguments.length - 1]; setTimeout(done, 500);")
        d.execute_script("document.querySelectorAll('details:not([data-team])').forEach(function (x) { x.open = true; });")
        search = d.find_elements(By.ID, "cat-search")
        if search:  # the report page: with the category search's hits showing
            search[0].send_keys("路灯" if "lang=en" not in path else "light")
            wait(d).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#cat-hits button"))

    def audit(self):
        """axe.run() on the whole document: the serious and critical violations, one line per element."""
        d = self.d
        if not d.execute_script("return typeof window.axe === 'object'"):
            d.execute_script(self.axe)
        result = d.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(r.violations); },"
            " function (e) { done({error: String(e)}); });")
        if isinstance(result, dict) and "error" in result:
            raise AssertionError(f"axe failed: {result['error']}")
        found = []
        for v in result:
            if v.get("impact") not in BLOCKING:
                continue
            for node in v.get("nodes", []):
                if node.get("impact") not in BLOCKING:
                    continue
                summary = (node.get("failureSummary") or "").replace("\n", " ")
                found.append(f"{v['id']} ({node.get('impact')}) at {', '.join(map(str, node.get('target', [])))}: "
                             f"{node.get('html', '')[:160]} — {summary[:240]}")
        return found

    def check(self, name, path, user, size):
        self.d.set_window_size(*size)
        self.open(path, user)
        started = time.time()
        found = self.audit()
        log(f"axe: {name} at {size[0]} px as {user or 'resident'}: {len(found)} serious or critical ({time.time() - started:.1f} s)")
        self.assertEqual(found, [], f"{path} ({name}) at {size[0]} px as {user or 'resident'}: axe found\n  " + "\n  ".join(found))


def _make(name, path, user, size):
    def test(self):
        self.check(name, path, user, size)
    return test


for _name, _path, _user in PAGES:
    setattr(Accessibility, f"test_{_name}", _make(_name, _path, _user, PHONE))
# The wide layouts differ (tables, side columns): the pages with most on them, at desktop width too.
for _name, _path, _user in PAGES:
    if _name in ("workbench", "case", "dashboard", "screen", "areas", "mediation", "report"):
        setattr(Accessibility, f"test_{_name}_desktop", _make(_name, _path, _user, DESKTOP))


if __name__ == "__main__":
    unittest.main()
