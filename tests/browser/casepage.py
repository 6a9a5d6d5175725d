"""Driving the staff pages: finding a case in the workbench and taking actions on the case page."""
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from support import click, visible, wait


def search_queue(driver, base, text, tab="all"):
    """Opens the workbench, filters it by words or code through the filter form, and returns the row links."""
    driver.get(f"{base}/workbench?tab={tab}")
    visible(driver, "#queue")
    filters = driver.find_element(By.CSS_SELECTOR, "details.filters")
    if filters.get_attribute("open") is None:
        click(driver, filters.find_element(By.TAG_NAME, "summary"))
    q = visible(driver, "#f-q")
    q.clear()
    q.send_keys(text)
    click(driver, filters.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    wait(driver).until(lambda d: "q=" in d.current_url)
    visible(driver, "#queue")
    return driver.find_elements(By.CSS_SELECTOR, "#queue table.cases tbody tr a")


def state(driver):
    """The case's state from the badge in the page header."""
    badge = visible(driver, "#case header h1 span.state")
    return next(c[3:] for c in badge.get_attribute("class").split() if c.startswith("st-"))


def wait_state(driver, expected, timeout=15):
    def has(d):
        try:
            return state(d) == expected
        except StaleElementReferenceException:
            return False
    wait(driver, timeout).until(has, f"case state never became {expected} (it is {state(driver)})")


def allowed_kinds(driver):
    return [d.get_attribute("data-kind") for d in driver.find_elements(By.CSS_SELECTOR, "#case details.act-box")]


def act(driver, kind, note=None, photo=None, department=None, expect_state=None):
    """Opens the action's box, fills its form and sends it; waits for the case part to re-render in place.

    Returns the department chosen in the form (for dispatch/transfer), else None. Fails if the page reloads
    (the page keeps a marker on window that a reload would drop)."""
    driver.execute_script("window.__noReload = true")
    box = visible(driver, f'#case details.act-box[data-kind="{kind}"]')
    click(driver, box.find_element(By.TAG_NAME, "summary"))
    form = box.find_element(By.CSS_SELECTOR, f'form.act[data-action="{kind}"]')
    wait(driver).until(lambda d: form.is_displayed())
    chosen = None
    selects = form.find_elements(By.CSS_SELECTOR, 'select[name="department_code"]')
    if selects:
        sel = selects[0]
        if department:
            driver.execute_script("arguments[0].value = arguments[1]", sel, department)
        chosen = sel.get_attribute("value")
    if photo:
        form.find_element(By.CSS_SELECTOR, 'input[type="file"]').send_keys(photo)
    if note:
        area = form.find_element(By.CSS_SELECTOR, 'textarea[name="note"]')
        area.send_keys(note)
    click(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))

    def done(d):
        try:
            errors = [e.text for e in form.find_elements(By.CSS_SELECTOR, ".field-error") if e.text.strip()]
        except StaleElementReferenceException:
            errors = []
        if errors:
            raise AssertionError(f"{kind} was refused on the page: {errors}")
        if _alive(box):
            return False
        try:
            return d.find_element(By.CSS_SELECTOR, "#case .act-result").text.strip()
        except StaleElementReferenceException:
            return False
    wait(driver, 20).until(done, f"{kind}: the case part did not re-render with a result")
    assert driver.execute_script("return window.__noReload === true"), f"{kind} reloaded the whole page"
    if expect_state:
        wait_state(driver, expect_state)
    return chosen


def _alive(el):
    try:
        el.is_enabled()
        return True
    except StaleElementReferenceException:
        return False


def open_case_from_queue(driver, base, code):
    links = search_queue(driver, base, code)
    match = [a for a in links if a.text.strip() == code]
    assert match, f"case {code} not in the workbench queue (rows: {[a.text for a in links]})"
    click(driver, match[0])
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#case[data-id]")))
    h1 = visible(driver, "#case header h1")
    assert code in h1.text, h1.text
