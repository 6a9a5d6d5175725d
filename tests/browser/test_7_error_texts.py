"""Every error a Chinese page shows is Chinese: the text for the API error's code from the page's text table, never
the API's English message (issue 18). Triggered on the pages as a user would meet them: a report with an invalid
phone number, an action someone else took first (409), a non-dispute case opened as a mediation (400), and a page
that does not exist."""
import re
import unittest
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import API, InOneBrowser, click, console_errors, deepest_point, grid_of, log, login, visible, wait

# Three or more English words in a row: an English sentence (the API's messages are all longer than that).
ENGLISH = re.compile(r"[A-Za-z]{2,}[\s,:;'.]+[A-Za-z]{2,}[\s,:;'.]+[A-Za-z]{2,}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def shown_error(driver, scope_css, timeout=15):
    """The first non-empty .field-error text inside the element (waits for it)."""
    def find(d):
        for e in d.find_elements(By.CSS_SELECTOR, scope_css + " .field-error"):
            t = e.text.strip()
            if t:
                return t
        return False
    return wait(driver, timeout).until(find, f"no error shown in {scope_css}")


class ErrorTexts(InOneBrowser):
    @classmethod
    def prepare(cls):
        cls.lon, cls.lat = deepest_point(grid_of(cls.api, "gridworker")["geometry"])
        cats = cls.api.ok("GET", "/api/v1/categories")["categories"]
        cls.plain_category = next(c for c in cats if c.get("parent_code") and c.get("handler_kind") == "market_regulation"
                                  and not c.get("photo_required"))

    def assertChinese(self, text, where):
        log(f"{where}: {text}")
        self.assertTrue(CJK.search(text), f"{where}: the error is not Chinese: {text!r}")
        self.assertIsNone(ENGLISH.search(text), f"{where}: an English sentence in the error: {text!r}")

    def test_report_with_an_invalid_phone(self):
        d = self.d
        d.delete_all_cookies()
        d.get(self.base + "/report")
        form = visible(d, "#report")
        Select(form.find_element(By.ID, "category")).select_by_value(self.plain_category["code"])
        form.find_element(By.ID, "address").send_keys("城关镇人民路 1 号")
        form.find_element(By.ID, "description").send_keys("路灯不亮 " + uuid.uuid4().hex[:6])
        form.find_element(By.ID, "rphone").send_keys("12345")
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        text = shown_error(d, "#report")
        self.assertChinese(text, "report, invalid phone")
        box = d.find_element(By.CSS_SELECTOR, '#report .field-error[data-for="reporter.phone"]')
        self.assertEqual(box.text.strip(), text, "the error stands next to the phone field")
        self.assertEqual(d.find_element(By.ID, "rphone").get_attribute("aria-invalid"), "true")
        # A field without a text of its own: the generic text, named by the field's label (its step's legend).
        d.find_element(By.ID, "rphone").clear()
        d.execute_script("document.getElementById('description').value = '路灯不亮\u202e 反了'")
        click(d, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        box = d.find_element(By.CSS_SELECTOR, '#report .field-error[data-for="description"]')
        wait(d).until(lambda _: box.text.strip(), "no error next to the description")
        self.assertChinese(box.text, "report, invisible character in the words")
        self.assertIn("填写有误", box.text)
        self.assertIn("说说情况", box.text, "the field is named by its label")
        self.assertEqual(console_errors(d, also_ignore=("/api/v1/cases",)), [])

    def test_an_action_someone_else_took_first(self):
        d = self.d
        created = self.api.report(f"错误文字测试 {uuid.uuid4().hex[:8]}", self.lat, self.lon, self.plain_category["code"])
        login(d, self.base, "op_t01")
        d.get(f"{self.base}/cases/{created['id']}")
        box = visible(d, '#case details.act-box[data-kind="accept"]')
        click(d, box.find_element(By.TAG_NAME, "summary"))  # an open form is not refreshed away by the live update
        self.api.ok("POST", f"/api/v1/cases/{created['id']}/actions", {"action": "accept"}, user="op_t01")
        click(d, box.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        text = shown_error(d, '#case form.act[data-action="accept"]')
        self.assertChinese(text, "case page, accept taken first (409)")
        self.assertEqual(console_errors(d, also_ignore=("/actions",)), [])

    def test_a_case_that_is_no_dispute_opened_as_a_mediation(self):
        d = self.d
        dispute = self.api.report(f"邻里纠纷 {uuid.uuid4().hex[:8]}", self.lat, self.lon, "0603")
        other = self.api.report(f"错误文字测试 {uuid.uuid4().hex[:8]}", self.lat, self.lon, self.plain_category["code"])
        login(d, self.base, "op_t01")
        d.get(f"{self.base}/cases/{dispute['id']}")
        form = visible(d, "form.open-mediation")
        # The page only offers it for disputes: point the form at another case, as a stale page might.
        d.execute_script("arguments[0].setAttribute('data-case', arguments[1])", form, other["id"])
        click(d, form.find_element(By.TAG_NAME, "button"))
        text = shown_error(d, "form.open-mediation")
        self.assertChinese(text, "case page, open a non-dispute as a mediation (400)")
        self.assertNotIn("/mediations/", d.current_url)
        self.assertEqual(console_errors(d, also_ignore=("/api/v1/mediations",)), [])

    def test_the_error_page(self):
        d = self.d
        login(d, self.base, "op_t01")
        d.get(f"{self.base}/cases/no-such-case")
        text = visible(d, "main").text
        self.assertChinese(text, "the 404 page")
        console_errors(d)


if __name__ == "__main__":
    unittest.main()
