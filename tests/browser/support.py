"""Shared helpers for the browser tests: a throwaway demo server per test class, a headless Chromium, the API.

Each test class starts its own server (`start_server()`) on a free port with a fresh temporary DATA_DIR and stops
it when done, so a server crash in one class does not take the others down. Environment:
  WANGGE_BIN=path            another server binary (default .build/debug/wangge)
  WANGGE_BASE_URL=url        use a running server instead of starting one
  WANGGE_BROWSER_KEEP=1      keep each server's data directory and log (kept anyway when the server died)
  WANGGE_BROWSER_NO_LIVE=1   diagnosis only: block the pages' live event stream (/api/v1/events) in the browser
"""
import atexit
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("WANGGE_BIN", os.path.join(ROOT, ".build", "debug", "wangge"))
PASSWORD = "wangge-demo"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
PHONE = (375, 812)
DESKTOP = (1440, 900)
WAIT = 15  # seconds for any one thing to show up in the browser


def log(*args):
    print("   ", *args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the server

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DemoServer:
    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.data = tempfile.mkdtemp(prefix="wangge-browser-")
        self.log_path = os.path.join(self.data, "server.log")
        self.proc = None

    def start(self, timeout=120):
        # The binary may be being relinked by someone else right now: wait for it to exist and be executable.
        deadline = time.time() + timeout
        while not (os.path.isfile(BIN) and os.access(BIN, os.X_OK)):
            if time.time() > deadline:
                raise RuntimeError(f"no server binary at {BIN}")
            time.sleep(1)
        # Every test browser comes from 127.0.0.1: the per-address rate limits would meter the suite, not a person.
        env = dict(os.environ, DATA_DIR=self.data, PORT=str(self.port), HOST="127.0.0.1",
                   REPORTS_PER_MINUTE="0", TRACKING_PER_MINUTE="0", SIGN_INS_PER_MINUTE="0")
        env.pop("DATABASE_URL", None)
        attempts = 0
        while True:
            attempts += 1
            self._log = open(self.log_path, "ab")
            try:
                self.proc = subprocess.Popen([BIN, "demo", "--no-history"], env=env, stdout=self._log,
                                             stderr=subprocess.STDOUT, start_new_session=True)
            except OSError as e:  # "text file busy" while the linker writes it
                self._log.close()
                if attempts >= 10 or time.time() > deadline:
                    raise
                log(f"server binary not runnable yet ({e}); retrying")
                time.sleep(2)
                continue
            break
        log(f"demo server pid {self.proc.pid} on {self.base}, data in {self.data}")
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"demo server exited with {self.proc.returncode}; log:\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"demo server not healthy within {timeout} s; log:\n{self.tail()}")

    def tail(self, n=40):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-n:]).decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        if getattr(self, "stopped", False):
            return
        self.stopped = True
        check_server(self)
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if getattr(self, "_log", None):
            self._log.close()
        if os.environ.get("WANGGE_BROWSER_KEEP") or getattr(self, "reported", False):
            log(f"kept {self.data} (server log: {self.log_path})")
        else:
            shutil.rmtree(self.data, ignore_errors=True)


class ExternalServer:
    """A server someone else runs (WANGGE_BASE_URL): not started or stopped here."""
    proc = None

    def __init__(self, base):
        self.base = base.rstrip("/")

    def stop(self):
        pass


def start_server():
    """A fresh demo server for one test class (so a crash in one class does not take the others down with it).
    WANGGE_BASE_URL points the tests at a running server instead. Stop it with .stop()."""
    external = os.environ.get("WANGGE_BASE_URL")
    if external:
        return ExternalServer(external)
    s = DemoServer().start()
    atexit.register(s.stop)
    return s


def check_server(s):
    """Tells (on stderr) if the server process has died, with the gist of its last words."""
    if s is None or s.proc is None or s.proc.poll() is None or getattr(s, "reported", False):
        return
    s.reported = True
    lines = s.tail(100000).splitlines()
    gist = []
    for l in lines:
        if ("Assertion failed" in l or "Fatal error" in l or "Program crashed" in l) and l not in gist:
            gist.append(l)
    if any(" crashed:" in l for l in lines):
        i = next(i for i, l in enumerate(lines) if " crashed:" in l)
        gist += [l for l in lines[i:i + 6] if l.strip()]
    log(f"THE DEMO SERVER DIED (exit {s.proc.returncode}); log {s.log_path}:\n    " + "\n    ".join(gist or lines[-20:]))


class OnDemoServer(unittest.TestCase):
    """A test class with a demo server of its own (cls.srv, cls.base, cls.api): started before the class, stopped
    after it (also when `prepare` fails or skips), and told about after each test if it died. A class sets up what
    its tests need on it in `prepare`."""

    @classmethod
    def setUpClass(cls):
        cls.srv = start_server()
        cls.base = cls.srv.base
        cls.api = API(cls.base)
        try:
            cls.prepare()
        except BaseException:
            cls.srv.stop()
            raise

    @classmethod
    def prepare(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def tearDown(self):
        check_server(self.srv)


class InOneBrowser(OnDemoServer):
    """An `OnDemoServer` class whose tests share one headless Chromium (cls.d) at `SIZE`, quit after the class."""
    SIZE = PHONE

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.d = make_driver(cls.SIZE)
        except BaseException:
            cls.srv.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.d.quit()
        finally:
            super().tearDownClass()


# ---------------------------------------------------------------- the API

class API:
    """Small JSON client. Calls return (status, body)."""

    def __init__(self, base):
        self.base = base
        self.tokens = {}

    def call(self, method, path, body=None, token=None, headers=None, user=None):
        if user is not None:
            token = self.token(user)
        h = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if token:
            h["Authorization"] = "Bearer " + token
        h.update(headers or {})
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                raw = r.read()
                status = r.status
        except urllib.error.HTTPError as e:
            raw = e.read()
            status = e.code
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return status, parsed

    def ok(self, method, path, body=None, user=None, headers=None):
        status, parsed = self.call(method, path, body, user=user, headers=headers)
        if status >= 300:
            raise AssertionError(f"{method} {path} as {user}: {status} {parsed}")
        return parsed

    def token(self, user):
        if user not in self.tokens:
            status, body = self.call("POST", "/api/v1/auth/token", {"username": user, "password": PASSWORD})
            if status != 200:
                raise AssertionError(f"cannot sign in {user}: {status} {body}")
            self.tokens[user] = body["token"]
        return self.tokens[user]

    def page_status(self, path, user=None):
        """HTTP status of a page for a user (no redirects followed), to tell a missing page from a broken one."""
        h = {"Accept": "text/html"}
        if user:
            h["Authorization"] = "Bearer " + self.token(user)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(urllib.request.Request(self.base + path, headers=h), timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def cases_with(self, text, user="admin"):
        """Every case (any state) whose words contain text, as the county admin sees them."""
        q = urllib.parse.quote(text)
        body = self.ok("GET", f"/api/v1/cases?q={q}&per=100", user=user)
        return [c for c in body["cases"] if text in c["description"]]

    def report(self, description, lat, lon, category_code, phone=None):
        """A resident report through the API (for tests that need a case but do not test reporting)."""
        body = {"category_code": category_code, "description": description, "lat": lat, "lon": lon, "source": "resident"}
        if phone:
            body["reporter"] = {"phone": phone}
        return self.ok("POST", "/api/v1/cases", body, headers={"Idempotency-Key": uuid.uuid4().hex})


# ---------------------------------------------------------------- places

def point_in_ring(lon, lat, ring):
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % n][0], ring[(i + 1) % n][1]
        if (y1 > lat) != (y2 > lat):
            x = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if x > lon:
                inside = not inside
    return inside


def polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def in_shape(lon, lat, geometry):
    for poly in polygons(geometry):
        if point_in_ring(lon, lat, poly[0]) and not any(point_in_ring(lon, lat, h) for h in poly[1:]):
            return True
    return False


def edge_distance(lon, lat, geometry):
    """Smallest distance (in degrees, good enough at this scale) from the point to any edge of the shape."""
    best = float("inf")
    for poly in polygons(geometry):
        for ring in poly:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
                dx, dy = x2 - x1, y2 - y1
                t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((lon - x1) * dx + (lat - y1) * dy) / (dx * dx + dy * dy)))
                px, py = x1 + t * dx, y1 + t * dy
                best = min(best, ((lon - px) ** 2 + (lat - py) ** 2) ** 0.5)
    return best


def grid_of(api, user="gridworker"):
    """The grid of a grid account, with its boundary (GeoJSON feature)."""
    fc = api.ok("GET", "/api/v1/areas", user=user, headers={"Accept": "application/geo+json"})
    grids = [f for f in fc["features"] if f["properties"]["level"] == "grid" and f.get("geometry")]
    if not grids:
        raise AssertionError(f"{user} has no grid with a boundary")
    return grids[0]


def deepest_point(geometry, steps=40):
    """A point well inside the shape: the sample farthest from every edge."""
    xs = [p[0] for poly in polygons(geometry) for p in poly[0]]
    ys = [p[1] for poly in polygons(geometry) for p in poly[0]]
    best, where = -1.0, None
    for i in range(1, steps):
        for j in range(1, steps):
            lon = min(xs) + (max(xs) - min(xs)) * i / steps
            lat = min(ys) + (max(ys) - min(ys)) * j / steps
            if in_shape(lon, lat, geometry):
                d = edge_distance(lon, lat, geometry)
                if d > best:
                    best, where = d, (lon, lat)
    if where is None:
        raise AssertionError("no interior point found")
    return where


# ---------------------------------------------------------------- files

def png_bytes(width=64, height=48, rgb=(200, 60, 40)):
    """A small valid PNG: a solid colour with a lighter stripe."""
    rows = b""
    for y in range(height):
        colour = bytes(rgb) if (y // 8) % 2 == 0 else bytes(min(255, c + 50) for c in rgb)
        rows += b"\x00" + colour * width

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def png_file(name="photo.png"):
    path = os.path.join(tempfile.mkdtemp(prefix="wangge-photo-"), name)
    with open(path, "wb") as f:
        f.write(png_bytes())
    return path


# ---------------------------------------------------------------- the browser

def make_driver(size=PHONE):
    opts = Options()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
              "--disable-dev-shm-usage", "--no-first-run", "--disable-search-engine-choice-screen", "--lang=zh-CN"]:
        opts.add_argument(a)
    opts.binary_location = CHROMIUM
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    if os.environ.get("WANGGE_BROWSER_NO_LIVE"):
        # Diagnosis only: keeps pages from opening the live event stream (/api/v1/events).
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/api/v1/events*"]})
    driver.set_window_size(*size)
    driver.set_page_load_timeout(30)
    return driver


def wait(driver, timeout=WAIT):
    return WebDriverWait(driver, timeout, poll_frequency=0.1)


def visible(driver, css, timeout=WAIT):
    return wait(driver, timeout).until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))


def clickable(driver, css, timeout=WAIT):
    return wait(driver, timeout).until(EC.element_to_be_clickable((By.CSS_SELECTOR, css)))


def click(driver, element):
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def login(driver, base, user, password=PASSWORD):
    driver.delete_all_cookies()
    driver.get(base + "/login")
    driver.find_element(By.ID, "username").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(password)
    old = driver.current_url
    click(driver, driver.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    wait(driver).until(lambda d: "/login" not in d.current_url or d.find_elements(By.CSS_SELECTOR, ".field-error:not(:empty), .error"))
    if "/login" in driver.current_url:
        raise AssertionError(f"sign-in as {user} failed at {old}")


# Messages that are not the page's fault: Chrome asks every site for a favicon.
IGNORED = ("favicon.ico",) + (("/api/v1/events",) if os.environ.get("WANGGE_BROWSER_NO_LIVE") else ())


def console_errors(driver, also_ignore=()):
    """SEVERE browser log entries since the last call (the log is drained by reading it)."""
    try:
        entries = driver.get_log("browser")
    except Exception:  # noqa: BLE001 - a driver without logs has nothing to report
        return []
    return [e["message"] for e in entries
            if e.get("level") == "SEVERE" and not any(s in e.get("message", "") for s in IGNORED + tuple(also_ignore))]


def set_offline(driver, offline):
    try:
        driver.set_network_conditions(offline=offline, latency=0, download_throughput=-1 if not offline else 0,
                                      upload_throughput=-1 if not offline else 0)
    except Exception:  # noqa: BLE001 - fall back to the DevTools protocol
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
