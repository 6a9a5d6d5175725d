#!/usr/bin/env python3
"""Screenshots of the pages at phone and desktop width, for a person to look at.

Usage: python3 scripts/screenshots.py [BASE_URL] [OUT_DIR]   (a running demo; signs in as USER, default admin)
"""
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
out = sys.argv[2] if len(sys.argv) > 2 else "screenshots"
user = os.environ.get("USER_NAME", "admin")
password = os.environ.get("WANGGE_DEMO_PASSWORD", "wangge-demo")
os.makedirs(out, exist_ok=True)

opts = Options()
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1"]:
    opts.add_argument(a)
opts.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
try:
    for width, height, name in [(375, 812, "phone"), (1440, 900, "desktop")]:
        driver.set_window_size(width, height)
        driver.delete_all_cookies()
        driver.get(base + "/login")
        driver.save_screenshot(f"{out}/login-{name}.png")
        driver.find_element("id", "username").send_keys(user)
        driver.find_element("id", "password").send_keys(password)
        driver.find_element("css selector", "button[type=submit]").click()
        for path, label in [("/areas", "areas"), ("/areas?lang=en", "areas-en")]:
            driver.get(base + path)
            full = driver.execute_script("return document.body.scrollHeight")
            driver.set_window_size(width, min(full, 2400))
            driver.save_screenshot(f"{out}/{label}-{user}-{name}.png")
            driver.set_window_size(width, height)
        driver.get(base + "/areas?lang=zh")
    print("screenshots in", out)
finally:
    driver.quit()
