"""A mediator's day on a phone: an operator opens a reported dispute as a mediation from its case page; the
township's mediator takes it on, assigns themself, schedules and records a session, records the agreement and
prints the 人民调解协议书 (A4 print layout, the page frame left out)."""
import time
import unittest
import uuid

from selenium.webdriver.common.by import By

from support import InOneBrowser, click, console_errors, deepest_point, grid_of, login, visible, wait


class MediatorsDay(InOneBrowser):
    @classmethod
    def prepare(cls):
        grid = grid_of(cls.api, "gridworker")  # a grid of township 1
        lon, lat = deepest_point(grid["geometry"])
        cls.words = f"邻里纠纷 {uuid.uuid4().hex[:8]}：楼上漏水殃及楼下"
        created = cls.api.report(cls.words, lat, lon, "0603", phone="13900000001")
        cls.case = cls.api.ok("GET", f"/api/v1/cases/{created['id']}", user="admin")

    def act(self, action, fill=None):
        """Opens the action's form on the mediation page, fills it and sends it; waits for the page to reload."""
        d = self.d
        details = d.find_element(By.CSS_SELECTOR, f'form.m-action[data-action="{action}"]').find_element(By.XPATH, "..")
        click(d, details.find_element(By.TAG_NAME, "summary"))
        form = details.find_element(By.TAG_NAME, "form")
        for name, value in (fill or {}).items():
            el = form.find_element(By.NAME, name)
            d.execute_script("arguments[0].value = arguments[1]", el, value)
        marker = d.find_element(By.ID, "mediation")
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        # The page reloads when the action succeeded: the old page element goes stale.
        def reloaded(drv):
            try:
                marker.get_attribute("id")
                errors = [e.text for e in form.find_elements(By.CSS_SELECTOR, ".field-error") if e.text.strip()]
                if errors:
                    raise AssertionError(f"{action}: {errors}")
                return False
            except AssertionError:
                raise
            except Exception:
                return True
        wait(d).until(reloaded)
        visible(d, "#mediation")

    def test_open_schedule_record_agree_and_print(self):
        d = self.d
        # The operator opens the dispute from its case page.
        login(d, self.base, "op_t01")
        d.get(f"{self.base}/cases/{self.case['id']}")
        click(d, visible(d, "form.open-mediation button"))
        wait(d).until(lambda drv: "/mediations/" in drv.current_url)
        mediation_url = d.current_url
        mid = mediation_url.rstrip("/").split("/")[-1]
        page = visible(d, "#mediation").text
        self.assertIn(self.case["code"], page, "the mediation links back to its case")
        # The case page now links to the mediation instead of offering to open it again.
        d.get(f"{self.base}/cases/{self.case['id']}")
        self.assertTrue(d.find_elements(By.CSS_SELECTOR, f'a[href="/mediations/{mid}"]'))
        self.assertFalse(d.find_elements(By.CSS_SELECTOR, "form.open-mediation"))

        # The township's mediator finds it on their workbench and works it.
        login(d, self.base, "med-001-1")
        d.get(f"{self.base}/mediations")
        self.assertIn(mid, visible(d, "main").get_attribute("innerHTML"))
        d.get(mediation_url)
        self.act("accept", {"complexity": "general"})
        self.act("assign")
        # A leader's supervision, sent elsewhere while the mediator has the page open, shows on it as a live notice.
        self.api.ok("POST", f"/api/v1/mediations/{mid}/actions", {"action": "supervise", "note": "请尽快调解"}, user="leader")
        notice = visible(d, "#m-changed a")
        self.assertIn("他人更新", notice.text)
        d.get(mediation_url)
        self.assertIn("med-001-1", self.api.ok("GET", f"/api/v1/mediations/{mid}", user="admin")["mediation"]["mediators"])
        today = time.strftime("%Y-%m-%d", time.localtime(time.time() + 8 * 3600 - time.localtime().tm_gmtoff))
        self.act("schedule_session", {"at": f"{today}T16:00", "place": "村调解室"})
        self.act("record_session", {"notes": "双方同意维修并赔偿", "participants": "张三，李四"})
        due = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 + 20 * 86400))
        self.act("agree", {"terms.0.obligor": "李四", "terms.0.description": "维修管道并赔偿损失", "terms.0.amount_yuan": "1200", "terms.0.due_date": due})
        detail = self.api.ok("GET", f"/api/v1/mediations/{mid}", user="admin")
        self.assertEqual(detail["mediation"]["status"], "agreed")
        self.assertEqual([t["amount_yuan"] for t in detail["terms"]], [1200])
        self.assertEqual(console_errors(d), [])

        # The printable agreement.
        click(d, visible(d, f'a[href="/mediations/{mid}/agreement"]'))
        sheet = visible(d, "article.agreement")
        self.assertIn("人民调解协议书", sheet.text)
        self.assertIn("维修管道并赔偿损失", sheet.text)
        self.assertIn("1200.00", sheet.text)
        self.assertTrue(d.find_elements(By.CSS_SELECTOR, ".agreement .seal"))
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        try:
            self.assertFalse(d.find_element(By.CSS_SELECTOR, "header.top").is_displayed(), "the frame is left out when printing")
            self.assertTrue(sheet.is_displayed())
        finally:
            d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        self.assertEqual(console_errors(d), [])


if __name__ == "__main__":
    unittest.main()
