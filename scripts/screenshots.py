#!/usr/bin/env python3
"""Screenshots of every page at phone (375 px) and desktop (1440 px) width, each as a role that uses it, for a
person to look at. Full page height, capped at 2400 px.

Usage: python3 scripts/screenshots.py [BASE_URL] [OUT_DIR]   (a running demo, default http://127.0.0.1:8080)

Pages that answer 404 (not built yet) are listed and skipped. A case of township 1 with a tracking code is taken
from the demo's history (the newest closed case, else any) for the case and follow pages, a mediation for the
mediation pages and a risk for the risk page. The agreement and the monthly report are also taken as printed.
"""
import json
import os
import sys
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080").rstrip("/")
out = sys.argv[2] if len(sys.argv) > 2 else "screenshots"
password = os.environ.get("WANGGE_DEMO_PASSWORD", "wangge-demo")
os.makedirs(out, exist_ok=True)
WIDTHS = [(375, 812, "phone"), (1440, 900, "desktop")]
CAP = 2400


def api(path, user=None, method="GET", body=None):
    headers = {"Accept": "application/json"}
    if user:
        headers["Authorization"] = "Bearer " + token(user)
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, None


_tokens = {}


def token(user):
    if user not in _tokens:
        status, body = api("/api/v1/auth/token", method="POST", body={"username": user, "password": password})
        if status != 200:
            sys.exit(f"cannot sign in as {user}: HTTP {status}")
        _tokens[user] = body["token"]
    return _tokens[user]


def page_status(path, user):
    headers = {"Accept": "text/html"}
    if user:
        headers["Authorization"] = "Bearer " + token(user)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None
    try:
        with urllib.request.build_opener(NoRedirect).open(urllib.request.Request(base + path, headers=headers), timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


# A case for the case and follow pages: township 1's newest closed case with a reporter, else its newest case.
case_id, tracking = None, None
for status_filter in ("closed", "resolved", ""):
    s, body = api("/api/v1/cases?per=20" + (f"&status={status_filter}" if status_filter else ""), user="op_t01")
    for c in (body or {}).get("cases", []):
        s2, detail = api(f"/api/v1/cases/{c['id']}", user="op_t01")
        if detail:
            case_id = detail["id"]
            if detail.get("reporter"):
                # Staff answers carry no tracking code: the call taker's audited route reads it (issue 17).
                s3, code = api(f"/api/v1/cases/{case_id}/tracking-code", user="op_t01", method="POST")
                tracking = (code or {}).get("tracking_code")
                break
    if case_id:
        break

# A mediation of township 1 with an agreement, for the mediation and agreement pages (as the township's mediator).
mediation_id = None
for st in ("agreed", "closed", ""):
    s3, body = api("/api/v1/mediations?per=20" + (f"&status={st}" if st else ""), user="med-001-1")
    for m in (body or {}).get("mediations", []):
        mediation_id = m["id"]
        break
    if mediation_id:
        break

# A risk of the county for the risk page: the highest-level open one the operator sees, else any.
risk_id = None
for st in ("active", "approved,reviewed,registered", ""):
    s4, body = api("/api/v1/risks?per=5" + (f"&status={st}" if st else ""), user="operator")
    for r in (body or {}).get("risks", []):
        risk_id = r["id"]
        break
    if risk_id:
        break

# A place of the grid worker's grid, for the registry's entry page.
place_id = None
# A case reported through Open311, if any (the demo's key makes them; see README "Open311").
s6, body6 = api("/api/v1/cases?source=open311&per=1", user="operator")
open311_id = ((body6 or {}).get("cases") or [{}])[0].get("id")
s5, body = api("/api/v1/registry/places?per=1", user="gridworker")
for e in (body or {}).get("entries", []):
    place_id = e["id"]

# (file name, path, account or None for a resident)
PAGES = [
    ("login", "/login", None),
    ("report", "/report", None),
    ("report-en", "/report?lang=en", None),
    ("track-form", "/track", None),
    ("track", f"/track/{tracking}" if tracking else None, None),
    ("workbench", "/workbench", "op_t01"),
    ("workbench-en", "/workbench?lang=en", "operator"),
    ("case", f"/cases/{case_id}" if case_id else None, "op_t01"),
    ("case-handler", f"/cases/{case_id}" if case_id else None, "handler_t01"),
    ("worker", "/worker", "gridworker"),
    ("areas", "/areas", "admin"),
    ("areas-en", "/areas?lang=en", "admin"),
    ("dashboard", "/dashboard", "leader"),
    ("dashboard-township", "/dashboard", "leader_t01"),
    ("screen", "/screen", "leader"),
    ("audit", "/audit", "admin"),
    ("mediations", "/mediations", "med-001-1"),
    ("mediation", f"/mediations/{mediation_id}" if mediation_id else None, "med-001-1"),
    ("agreement", f"/mediations/{mediation_id}/agreement" if mediation_id else None, "med-001-1"),
    ("risks", "/risks", "operator"),
    ("risk", f"/risks/{risk_id}" if risk_id else None, "operator"),
    ("safety-index", "/safety-index", "leader"),
    ("safety-area", "/safety-index/areas/330599001", "leader"),
    ("safety-formula", "/safety-index/formula", "admin"),
    ("warnings", "/warnings", "operator"),
    ("monthly-report", "/reports/monthly?area=330599001", "leader"),
    ("safety-public", "/safety/330599", None),
    ("assessments", "/assessments", "leader"),
    ("assessments-grids", "/assessments?level=grid&area=330599001", "leader"),
    ("registry", "/registry?kind=places", "gridworker"),
    ("registry-households", "/registry", "operator"),
    ("registry-entry", f"/registry/places/{place_id}" if place_id else None, "gridworker"),
    ("api-keys", "/api-keys", "admin"),
    ("case-open311", f"/cases/{open311_id}" if open311_id else None, "operator"),
]
# ONLY=name,name takes only those pages.
if os.environ.get("ONLY"):
    PAGES = [p for p in PAGES if p[0] in os.environ["ONLY"].split(",")]
# Pages also taken as printed (print media: the page frame left out).
PRINTED = {"agreement", "monthly-report"}

opts = Options()
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
          "--disable-dev-shm-usage"]:
    opts.add_argument(a)
opts.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
driver.set_page_load_timeout(60)
taken, skipped = [], []
try:
    for name, path, user in PAGES:
        if path is None:
            skipped.append(f"{name}: nothing to show found in the demo")
            continue
        status = page_status(path, user)
        if status == 404:
            skipped.append(f"{name}: {path} is 404 (not built yet)")
            continue
        for width, height, label in WIDTHS:
            driver.set_window_size(width, height)
            driver.delete_all_cookies()
            if user:
                driver.get(base + "/login")
                driver.find_element(By.ID, "username").send_keys(user)
                driver.find_element(By.ID, "password").send_keys(password)
                driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
                # Let the sign-in finish before going on: otherwise the next page can be the sign-in's redirect.
                WebDriverWait(driver, 30).until(lambda d: "/login" not in d.current_url)
            driver.get(base + path)
            driver.execute_async_script("var done = arguments[arguments.length - 1]; setTimeout(done, 800);")
            # Grow the window to the page's height (the window is taller than the page's viewport by the browser's
            # own frame); measure again until the page stops growing.
            shown = None
            for _ in range(4):
                full, frame = driver.execute_script("return [Math.max(document.body.scrollHeight, document.documentElement.scrollHeight),"
                                                    " Math.max(0, window.outerHeight - window.innerHeight)]")
                want = max(height, min(full, CAP))
                if want == shown:
                    break
                driver.set_window_size(width, want + frame)
                shown = want
                driver.execute_async_script("var done = arguments[arguments.length - 1]; setTimeout(done, 300);")
            file = f"{out}/{name}-{user or 'resident'}-{label}.png"
            driver.save_screenshot(file)
            taken.append(file)
            if name in PRINTED:
                # As printed: print media, the page frame left out.
                driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
                driver.save_screenshot(file.replace(".png", "-print.png"))
                driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
                taken.append(file.replace(".png", "-print.png"))
    print(f"{len(taken)} screenshots in {out}")
    for s in skipped:
        print("skipped", s)
finally:
    driver.quit()
