#!/usr/bin/env python3
"""Open311 test: a throwaway demo server's GeoReport v2 interface (/open311/v2), driven by real, unmodified Open311
client libraries from PyPI (georeport 0.3.1, civicbot 0.4.0; configured only with a root address and a key) and by
the GeoReport v2 spec's own example calls. Two keys are made with `wangge apikey create` for two different townships
(and a third one is revoked with `wangge apikey revoke`). Passes when

  * the libraries list the services, read a service definition, file requests (civicbot; `requests` multipart with a
    PNG as `media`) and read them back (georeport, civicbot), in JSON and in XML, with the values sent;
  * every JSON answer validates against the open311/schema-validation JSON Schemas (tests/api/open311_schemas, Draft 4)
    and every XML answer is well-formed, uses the spec's element names (services/service,
    service_definition/attributes/attribute, service_requests/request, errors/error) and carries the same values as
    the JSON answer to the same call;
  * no read answer holds a reporter's name, phone or e-mail, and no answer holds a key;
  * the same POST sent again answers the same service_request_id (200, one case);
  * a key sees only its own township: another township's request is a 404 error array and absent from lists, and
    posting a point of another township is refused;
  * bad input (missing, wrong or revoked key, unknown service code or jurisdiction, a point outside the county, no
    description, a media file that is no image, a control character, 5,000 ids, a date as 23/11/2026, unknown routes)
    is a 4xx answer holding the spec's error array in the asked format, never HTML, while `<>&"'` and Chinese text
    come back through XML well-formed.

On SQLite (a fresh DATA_DIR, `demo --no-history`). Installs nothing: needs `georeport==0.3.1 civicbot==0.4.0
jsonschema xmltodict` (scripts/api-check.sh installs them). Bounded: about a hundred and fifty calls, ten minutes at
most, loopback only.

    python3 tests/api/open311_test.py
"""
import datetime
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET
import zlib

import requests
import xmltodict
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

import georeport
import civicbot
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import Open311Client
from civicbot.registry import Registry as CivicRegistry

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMAS = pathlib.Path(__file__).resolve().parent / "open311_schemas"
BINARY = os.environ.get("WANGGE_BIN") or str(ROOT / ".build/debug/wangge")
PASSWORD = os.environ.get("WANGGE_DEMO_PASSWORD", "wangge-demo")
TIME_LIMIT = 600
W3C = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)")
CST = datetime.timezone(datetime.timedelta(hours=8))
# The fields the server's read answers carry (its contract); the spec's schema asks only for the first four.
REQUEST_FIELDS = ["service_request_id", "status", "service_code", "requested_datetime", "status_notes", "service_name",
                  "agency_responsible", "service_notice", "updated_datetime", "expected_datetime", "address", "lat",
                  "long", "media_url"]
REPORTER_FIELDS = {"first_name", "last_name", "email", "phone", "reporter", "name"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def png(width=16, height=16):
    """A small valid PNG (RGB, one colour)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes([200, 60, 40]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# ---------------------------------------------------------------------------------------------------------------
# Results


class Results:
    def __init__(self):
        self.passed, self.failures, self.notes, self.section = 0, [], [], ""

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failures.append(f"[{self.section}] {what}")
        return bool(ok)

    def note(self, what):
        self.notes.append(f"[{self.section}] {what}")

    def run(self, name, fn, *args):
        self.section = name
        before = len(self.failures)
        try:
            fn(*args)
        except TimeoutError:
            raise
        except Exception as e:  # one broken section must not hide the others
            tb = traceback.extract_tb(e.__traceback__)[-1]
            self.failures.append(f"[{name}] stopped by {type(e).__name__}: {str(e)[:300]} (line {tb.lineno})")
        print(f"open311 test: {name}: {'ok' if len(self.failures) == before else f'{len(self.failures) - before} failed'}")


R = Results()


# ---------------------------------------------------------------------------------------------------------------
# Schemas


class Schemas:
    """The open311/schema-validation files, each with the validator class its keywords call for (Draft 4)."""

    def __init__(self):
        self.docs = {p.name: json.loads(p.read_text("utf-8")) for p in sorted(SCHEMAS.glob("*.json"))}
        registry = Registry().with_resources(
            [(name, Resource.from_contents(doc, default_specification=DRAFT4)) for name, doc in self.docs.items()])
        formats = FormatChecker(formats=())

        @formats.checks("date-time")
        def w3c_datetime(value):
            return not isinstance(value, str) or bool(W3C.fullmatch(value))

        @formats.checks("uri")
        def absolute_uri(value):
            if not isinstance(value, str):
                return True
            parts = urllib.parse.urlsplit(value)
            return parts.scheme in ("http", "https") and bool(parts.netloc)

        self.validators = {}
        for name, doc in self.docs.items():
            # No file names a $schema; "required" as a list and "anyOf" are Draft 4 (Draft 3 would skip both).
            cls = validator_for(doc, default=Draft4Validator)
            cls.check_schema(doc)
            self.validators[name] = cls(doc, registry=registry, format_checker=formats)
        self.count = 0

    def validate(self, name, value, what):
        self.count += 1
        errors = sorted(self.validators[name].iter_errors(value), key=lambda e: list(e.absolute_path))
        R.check(not errors, f"{what}: not valid under {name}: " +
                "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:160]}" for e in errors[:5]))
        return not errors


# ---------------------------------------------------------------------------------------------------------------
# The server


class Server:
    def __init__(self):
        self.data = tempfile.mkdtemp(prefix="wangge-open311-")
        self.port = free_port()
        self.env = dict(os.environ, DATA_DIR=self.data, PORT=str(self.port), HOST="127.0.0.1", LOG_LEVEL="warning",
                        REPORTS_PER_MINUTE="0", TRACKING_PER_MINUTE="0", SIGN_INS_PER_MINUTE="0")
        self.env.pop("DATABASE_URL", None)
        self.base = f"http://127.0.0.1:{self.port}"
        self.api = self.base + "/open311/v2"
        self.proc = None

    def start(self):
        log = open(os.path.join(self.data, "server.log"), "w")
        self.proc = subprocess.Popen([BINARY, "demo", "--no-history"], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(1200):
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if self.proc.poll() is not None:
                sys.exit(f"open311 test: the server stopped at start; see {log.name}")
            time.sleep(0.25)
        sys.exit("open311 test: the server did not come up in 5 minutes")

    def cli(self, *args):
        """Runs the command line against the running server's DATA_DIR; returns its stdout."""
        done = subprocess.run([BINARY, *args], env=self.env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"wangge {' '.join(args)} exited {done.returncode}: {done.stderr.strip()[-400:]}")
        return done.stdout

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ---------------------------------------------------------------------------------------------------------------
# Calls


class Answer:
    def __init__(self, response, fmt):
        self.status = response.status_code
        self.headers = response.headers
        self.ctype = response.headers.get("Content-Type", "")
        self.content = response.content
        self.text = response.content.decode("utf-8", "replace")
        self.fmt = fmt
        self.value, self.parse_error = None, None
        try:
            if fmt == "xml":
                self.value = ET.fromstring(response.content)
            else:
                self.value = json.loads(response.content)
        except (ET.ParseError, ValueError) as e:
            self.parse_error = f"{type(e).__name__}: {e}"

    def __repr__(self):
        return f"{self.status} {self.ctype} {self.text[:200]!r}"


class Calls:
    """Plain HTTP calls to /open311/v2 (python-requests, no auth unless given), remembering every answer."""

    def __init__(self, server):
        self.api = server.api
        self.answers = []  # (label, Answer): every answer, to look for keys
        self.reads = []    # (label, text): the answers that show requests, to look for reporters

    def call(self, method, path, fmt="json", params=None, data=None, files=None, auth=None, read=False):
        url = f"{self.api}/{path}.{fmt}" if fmt else f"{self.api}/{path}"
        r = requests.request(method, url, params=params, data=data, files=files, auth=auth, timeout=30,
                             allow_redirects=False)
        a = Answer(r, fmt or "json")
        label = f"{method} {path}.{fmt}" if fmt else f"{method} {path}"
        self.answers.append((label, a))
        if read:
            self.reads.append((label, a.text))
        return a

    def get(self, path, fmt="json", key=None, read=False, **params):
        if key:
            params["api_key"] = key
        return self.call("GET", path, fmt, params=params, read=read)

    def post(self, fmt="json", files=None, **form):
        return self.call("POST", "requests", fmt, data=form, files=files)


def content_type_ok(a, fmt):
    want = ("application/json",) if fmt == "json" else ("text/xml", "application/xml")
    return a.ctype.split(";")[0].strip().lower() in want


def looks_like_html(a):
    head = a.text.lstrip()[:200].lower()
    return "text/html" in a.ctype.lower() or head.startswith("<!doctype") or head.startswith("<html")


def ok_answer(a, what, fmt, statuses=(200,)):
    """A successful answer in the asked format, parsed."""
    good = R.check(a.status in statuses, f"{what}: HTTP {a.status}, wanted {statuses}: {a.text[:300]}")
    R.check(content_type_ok(a, fmt), f"{what}: Content-Type {a.ctype!r} for .{fmt}")
    R.check(a.parse_error is None, f"{what}: the {fmt} answer does not parse: {a.parse_error}: {a.text[:200]!r}")
    if fmt == "xml" and a.parse_error is None:
        R.check(a.text.lstrip().startswith("<?xml"), f"{what}: the XML answer has no XML declaration")
    return good and a.parse_error is None


def error_answer(a, what, fmt, statuses=None):
    """The spec's error array in the asked format with a 4xx status (and one of `statuses` when given)."""
    if not R.check(400 <= a.status < 500, f"{what}: HTTP {a.status}, wanted a 4xx error: {a.text[:200]!r}"):
        return False
    if statuses:
        R.check(a.status in statuses, f"{what}: HTTP {a.status}, wanted one of {statuses}")
    R.check(not looks_like_html(a), f"{what}: the error is HTML ({a.ctype})")
    R.check(content_type_ok(a, fmt), f"{what}: Content-Type {a.ctype!r} for a .{fmt} error")
    if not R.check(a.parse_error is None, f"{what}: the {fmt} error does not parse: {a.parse_error}: {a.text[:200]!r}"):
        return False
    if fmt == "json":
        v = a.value
        shaped = isinstance(v, list) and v and all(
            isinstance(e, dict) and isinstance(e.get("code"), int) and not isinstance(e.get("code"), bool)
            and isinstance(e.get("description"), str) and e["description"] for e in v)
        if not R.check(shaped, f"{what}: not an error array [{{code, description}}]: {a.text[:200]}"):
            return False
        codes = [e["code"] for e in v]
    else:
        root = a.value
        items = list(root)
        shaped = (root.tag == "errors" and items and all(
            e.tag == "error" and e.find("code") is not None and (e.findtext("code") or "").isdigit()
            and (e.findtext("description") or "") for e in items))
        if not R.check(shaped, f"{what}: not <errors><error><code/><description/></error></errors>: {a.text[:200]}"):
            return False
        codes = [int(e.findtext("code")) for e in items]
    R.check(codes[0] == a.status, f"{what}: the error's code {codes[0]} is not the HTTP status {a.status}")
    return True


def scalar_same(j, x):
    """A JSON scalar and the XML text (or xmltodict value) of the same field."""
    x = "" if x is None else x
    if j is None or j == "":
        return x == ""
    if isinstance(j, bool):
        return x == ("true" if j else "false")
    if isinstance(j, (int, float)):
        try:
            return abs(float(x) - j) <= 1e-6 * max(1.0, abs(j))
        except ValueError:
            return False
    return x == j


def json_xml_diff(j, x, path=""):
    """Where a JSON value and the XML element written from it differ; a JSON list is an element holding the items."""
    out = []
    kids = list(x)
    if isinstance(j, dict):
        tags = [k.tag for k in kids]
        if sorted(tags) != sorted(j):
            out.append(f"{path or x.tag}: XML children {tags} vs JSON keys {list(j)}")
        for k in kids:
            if k.tag in j:
                out += json_xml_diff(j[k.tag], k, f"{path}/{k.tag}")
    elif isinstance(j, list):
        if len(kids) != len(j):
            out.append(f"{path or x.tag}: {len(kids)} XML items vs {len(j)} JSON items")
        for i, (jj, k) in enumerate(zip(j, kids)):
            out += json_xml_diff(jj, k, f"{path}[{i}]")
    else:
        if kids:
            out.append(f"{path}: XML has children where JSON has {j!r}")
        elif not scalar_same(j, x.text):
            out.append(f"{path}: JSON {j!r} vs XML {x.text!r}")
    return out


def same_in_both(a_json, a_xml, what):
    if a_json.parse_error or a_xml.parse_error:
        return
    d = json_xml_diff(a_json.value, a_xml.value)
    R.check(not d, f"{what}: JSON and XML differ: " + "; ".join(d[:4]))


def xml_names(a, what, root, item=None):
    """The root element's name and its items' names are the spec's."""
    if a.parse_error:
        return
    R.check(a.value.tag == root, f"{what}: XML root <{a.value.tag}>, the spec's is <{root}>")
    if item:
        names = {k.tag for k in a.value}
        R.check(names <= {item}, f"{what}: XML items {sorted(names)} under <{root}>, the spec's are <{item}>")


def as_list(v):
    """xmltodict gives a dict for a list of one element and None for an empty one."""
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def fake_ids(like, n):
    """n ids shaped like a real one (same prefix, digits of the same width, counting down from all nines) that name no
    request; plain numbers when the real one does not end in digits."""
    m = re.fullmatch(r"(.*?)(\d+)", like or "")
    if not m or 10 ** len(m.group(2)) <= 2 * n:
        return [str(900000 + i) for i in range(n)]
    prefix, width = m.group(1), len(m.group(2))
    return [f"{prefix}{10 ** width - 1 - i:0{width}d}" for i in range(n)]


def w3c_date(text):
    if not isinstance(text, str) or not W3C.fullmatch(text):
        return None
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


# ---------------------------------------------------------------------------------------------------------------
# The demo county


def sign_in(server):
    r = requests.post(server.base + "/api/v1/auth/token", json={"username": "admin", "password": PASSWORD}, timeout=30)
    r.raise_for_status()
    return r.json()["token"]


def locate(server, lat, lon):
    r = requests.get(server.base + "/api/v1/locate", params={"lat": lat, "lon": lon}, timeout=30)
    return r.json() if r.status_code == 200 else None


def inside(ring, lon, lat):
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            hit = not hit
    return hit


def point_in(server, feature):
    """A point the server locates in this township (and in one of its grids)."""
    geometry = feature["geometry"]
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    ring = [tuple(p[:2]) for p in max(polygons, key=lambda poly: len(poly[0]))[0]]
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    clon, clat = sum(lons) / len(lons), sum(lats) / len(lats)
    candidates = [(min(lons) + (max(lons) - min(lons)) * i / 10, min(lats) + (max(lats) - min(lats)) * j / 10)
                  for i in range(1, 10) for j in range(1, 10)]
    candidates = [c for c in candidates if inside(ring, *c)]
    candidates.sort(key=lambda c: (c[0] - clon) ** 2 + (c[1] - clat) ** 2)
    for lon, lat in candidates[:12]:
        lon, lat = round(lon, 6), round(lat, 6)
        where = locate(server, lat, lon)
        if where and (where.get("township") or {}).get("code") == feature["properties"]["code"] and where.get("grid"):
            return lat, lon
    raise RuntimeError(f"no point found in township {feature['properties']['code']}")


def county(server):
    token = sign_in(server)
    r = requests.get(server.base + "/api/v1/areas", params={"level": "township"}, timeout=30,
                     headers={"Authorization": f"Bearer {token}", "Accept": "application/geo+json"})
    r.raise_for_status()
    townships = [f for f in r.json()["features"] if f.get("geometry")]
    if len(townships) < 2:
        raise RuntimeError("the demo county has fewer than two townships with boundaries")
    t1, t2 = townships[0], townships[1]
    p1, p2 = point_in(server, t1), point_in(server, t2)
    root = locate(server, *p1)["county"]["code"]
    cats = requests.get(server.base + "/api/v1/categories", timeout=30).json()["categories"]
    parents = {c.get("parent_code") for c in cats}
    leaves = [c for c in cats if c["code"] not in parents and c.get("parent_code")]
    return dict(county=root, t1=t1["properties"]["code"], t2=t2["properties"]["code"], p1=p1, p2=p2, leaves=leaves)


# ---------------------------------------------------------------------------------------------------------------
# The test


class Open311Test:
    def __init__(self, server, schemas):
        self.s, self.schemas = server, schemas
        self.calls = Calls(server)
        self.run = uuid.uuid4().hex[:8]
        # A reporter whose name, phone and e-mail must never be shown by a read.
        self.reporter = dict(first_name=f"Fn{self.run}", last_name=f"测试{self.run}", email=f"r{self.run}@example.com",
                             phone="139" + str(int(self.run, 16) % 10 ** 8).zfill(8))
        self.ids = {}  # label → service_request_id
        self.tokens = {}  # label → the token a POST answered, when it gives one

    # -- setup --------------------------------------------------------------------------------------------------
    def setup(self):
        c = county(self.s)
        self.county, self.t1, self.t2, self.p1, self.p2 = c["county"], c["t1"], c["t2"], c["p1"], c["p2"]
        self.leaves = {x["code"]: x for x in c["leaves"]}
        self.photo_code = next(code for code, x in self.leaves.items() if x.get("photo_required"))
        self.plain_code = next(code for code, x in self.leaves.items() if not x.get("photo_required"))
        print(f"open311 test: county {self.county}; township 1 {self.t1} at {self.p1}; township 2 {self.t2} at {self.p2}; "
              f"services {self.plain_code} (no photo) and {self.photo_code} (photo)")
        self.key1 = self.make_key(f"o311-t1-{self.run}", self.t1)
        self.key2 = self.make_key(f"o311-t2-{self.run}", self.t2)
        self.key3 = self.make_key(f"o311-revoke-{self.run}", self.t1)
        self.keys = [self.key1, self.key2, self.key3]
        self.root1 = f"http://open311:{urllib.parse.quote(self.key1, safe='')}@127.0.0.1:{self.s.port}/open311/v2"
        self.root2 = f"http://open311:{urllib.parse.quote(self.key2, safe='')}@127.0.0.1:{self.s.port}/open311/v2"

    def make_key(self, name, area):
        out = self.s.cli("apikey", "create", "--name", name, "--area", area, "--rate", "10000")
        lines = [l.strip() for l in out.strip().splitlines() if l.strip()]
        key = lines[-1] if lines else ""
        R.check(re.fullmatch(r"wg_[A-Za-z0-9_-]{43}", key), f"apikey create printed {key!r} on its last line, not a key")
        return key

    def form(self, code, point, description, **more):
        f = dict(api_key=self.key1, service_code=code, lat=str(point[0]), long=str(point[1]), description=description)
        f.update(more)
        return f

    # -- discovery and services ---------------------------------------------------------------------------------
    def discovery(self):
        j, x = self.calls.get("discovery", "json"), self.calls.get("discovery", "xml")
        if ok_answer(j, "GET discovery.json", "json"):
            d = j.value
            endpoints = d.get("endpoints") if isinstance(d, dict) else None
            R.check(isinstance(endpoints, list) and endpoints, f"discovery.json has no endpoints list: {j.text[:200]}")
            geo = [e for e in endpoints or [] if "GeoReport_v2" in str(e.get("specification", ""))]
            if R.check(geo, "discovery.json names no GeoReport_v2 endpoint"):
                R.check(str(geo[0].get("url", "")).rstrip("/").endswith("/open311/v2"),
                        f"discovery.json endpoint url {geo[0].get('url')!r} is not …/open311/v2")
                formats = geo[0].get("formats") or []
                R.check("text/xml" in formats and "application/json" in formats,
                        f"discovery.json formats {formats} lack text/xml or application/json")
            R.check(self.county in j.text, f"discovery.json does not name the county's id {self.county}")
        if ok_answer(x, "GET discovery.xml", "xml"):
            xml_names(x, "discovery.xml", "discovery")
            eps = x.value.find("endpoints")
            R.check(eps is not None and all(e.tag == "endpoint" for e in eps) and len(eps),
                    "discovery.xml: no <endpoints><endpoint> list")
            same_in_both(j, x, "discovery")

    def services(self):
        # The spec's example calls: GET services.xml?jurisdiction_id=…, in both formats, raw.
        j = self.calls.get("services", "json", jurisdiction_id=self.county)
        x = self.calls.get("services", "xml", jurisdiction_id=self.county)
        if ok_answer(j, "GET services.json", "json"):
            self.schemas.validate("services.json", j.value, "GET services.json")
            codes = {s.get("service_code") for s in j.value if isinstance(s, dict)}
            R.check(codes and codes <= set(self.leaves), f"services that are no leaf category: {sorted(codes - set(self.leaves))[:5]}")
            R.check({self.photo_code, self.plain_code} <= codes, "the chosen categories are not in the services list")
            for s in j.value:
                leaf = self.leaves.get(s.get("service_code"))
                if leaf:
                    R.check(s.get("metadata") is bool(leaf.get("photo_required")),
                            f"service {s['service_code']}: metadata {s.get('metadata')!r} but photo_required {leaf.get('photo_required')}")
                    R.check(s.get("type") == "realtime", f"service {s['service_code']}: type {s.get('type')!r}")
            self.services_json = j.value
        if ok_answer(x, "GET services.xml", "xml"):
            xml_names(x, "services.xml", "services", "service")
            same_in_both(j, x, "services")

        # georeport, unmodified: JSON and XML; with and without the county's jurisdiction_id.
        gj = georeport.GeoReport(self.s.api).get_service_list()
        gx = georeport.GeoReport(self.s.api, output_format="xml").get_service_list()
        gc = georeport.GeoReport(self.s.api, jurisdiction=self.county).get_service_list()
        self.schemas.validate("services.json", gj, "georeport get_service_list (json)")
        R.check(gj == gc, "georeport: the services list with jurisdiction_id=county differs from the one without")
        gx = as_list(gx)
        R.check([s.get("service_code") for s in gx] == [s.get("service_code") for s in gj],
                "georeport: the XML services list has other codes than the JSON one")
        for sj, sx in zip(gj, gx):
            bad = [k for k in sj if not scalar_same(sj[k], sx.get(k))]
            R.check(not bad, f"georeport: service {sj.get('service_code')}: XML differs from JSON in {bad}")
        try:
            georeport.GeoReport(self.s.api, jurisdiction="elsewhere.example").get_service_list()
            R.check(False, "georeport: jurisdiction_id=elsewhere.example was answered")
        except requests.HTTPError as e:
            R.check(e.response.status_code == 404, f"georeport: an unknown jurisdiction answered {e.response.status_code}, not 404")

        # civicbot, unmodified: its Endpoint is built the way its bundled registry builds them.
        cb = self.civicbot(jurisdiction_id=self.county)
        R.check(cb.list_services() == gj, "civicbot's services list differs from georeport's")

        # The service definitions: the photo category has metadata true and a "media" attribute.
        for code in (self.photo_code, self.plain_code):
            dj = self.calls.get(f"services/{code}", "json", jurisdiction_id=self.county)
            dx = self.calls.get(f"services/{code}", "xml", jurisdiction_id=self.county)
            if ok_answer(dj, f"GET services/{code}.json", "json"):
                self.schemas.validate("service-definition.json", dj.value, f"GET services/{code}.json")
                R.check(dj.value.get("service_code") == code, f"services/{code}.json names service {dj.value.get('service_code')!r}")
                media = [a for a in dj.value.get("attributes") or [] if a.get("code") == "media"]
                if code == self.photo_code:
                    R.check(media, f"services/{code}.json (photo needed) has no attribute with code media")
            if ok_answer(dx, f"GET services/{code}.xml", "xml"):
                xml_names(dx, f"services/{code}.xml", "service_definition")
                attrs = dx.value.find("attributes")
                if R.check(attrs is not None, f"services/{code}.xml has no <attributes>"):
                    R.check(all(a.tag == "attribute" for a in attrs), f"services/{code}.xml: <attributes> holds other than <attribute>")
                    for a in attrs:
                        values = a.find("values")
                        if values is not None:
                            R.check(all(v.tag == "value" for v in values), f"services/{code}.xml: <values> holds other than <value>")
                same_in_both(dj, dx, f"services/{code}")
        gd = georeport.GeoReport(self.s.api).get_service_definition(self.photo_code)
        gdx = georeport.GeoReport(self.s.api, output_format="xml").get_service_definition(self.photo_code)
        self.schemas.validate("service-definition.json", gd, "georeport get_service_definition (json)")
        R.check(gdx.get("service_code") == self.photo_code, f"georeport XML definition names {gdx.get('service_code')!r}")
        xml_attrs = as_list((gdx.get("attributes") or {}).get("attribute"))
        R.check([a.get("code") for a in xml_attrs] == [a.get("code") for a in gd.get("attributes", [])],
                "georeport: the XML definition's attributes differ from the JSON one's")
        R.check(cb.get_service_definition(self.photo_code) == gd, "civicbot's service definition differs from georeport's")
        for fmt in ("json", "xml"):
            error_answer(self.calls.get("services/no-such-service", fmt), f"GET services/no-such-service.{fmt}", fmt, (404,))

    def civicbot(self, jurisdiction_id=None):
        registry = CivicRegistry.from_json({"endpoints": [{
            "id": "wangge-demo", "name": "Wangge demo county", "base_url": self.s.api, "write": True,
            "api_key_required_for_write": True}]})
        transport = HttpTransport(rate_limiter=RateLimiter(min_interval=0.0))
        return Open311Client(registry.get("wangge-demo"), transport=transport, jurisdiction_id=jurisdiction_id)

    # -- filing requests ------------------------------------------------------------------------------------------
    def create(self):
        cb = self.civicbot(jurisdiction_id=self.county)
        description = f"井盖缺失 civicbot {self.run}"
        args = dict(lat=self.p1[0], lng=self.p1[1], description=description, device_id=f"dev-{self.run}",
                    account_id=f"acct-{self.run}", **self.reporter)
        prepared = cb.create_request(self.plain_code, dry_run=False, confirm="SEND", api_key=self.key1,
                                     validate_remote=True, **args)
        answer = prepared.response
        if R.check(isinstance(answer, list) and len(answer) == 1 and isinstance(answer[0], dict)
                   and isinstance(answer[0].get("service_request_id"), str) and answer[0]["service_request_id"],
                   f"civicbot create_request: the answer is not [{{service_request_id, …}}]: {str(answer)[:200]}"):
            self.ids["civicbot"] = answer[0]["service_request_id"]
            R.check(set(answer[0]) >= {"service_request_id", "service_notice", "account_id"},
                    f"the POST answer lacks service_notice or account_id: {sorted(answer[0])}")
            R.check(answer[0].get("service_notice") is None or isinstance(answer[0]["service_notice"], str),
                    "the POST answer's service_notice is neither text nor null")
            # civicbot again with the same arguments: a retry, one case.
            again = cb.create_request(self.plain_code, dry_run=False, confirm="SEND", api_key=self.key1, **args).response
            R.check(isinstance(again, list) and again and again[0].get("service_request_id") == self.ids["civicbot"],
                    f"civicbot's retry made another request: {str(again)[:200]}")

        # python-requests multipart with a PNG as `media`, for the category that needs a photo.
        form = self.form(self.photo_code, self.p1, f"垃圾堆放 multipart {self.run}", **self.reporter)
        first = self.calls.post("json", files={"media": ("photo.png", png(), "image/png")}, **form)
        if ok_answer(first, "POST requests.json (multipart, PNG media)", "json", (201,)):
            self.check_post_answer(first.value, "POST requests.json multipart")
            self.ids["multipart"] = first.value[0]["service_request_id"]
            if first.value[0].get("token"):
                self.tokens["multipart"] = first.value[0]["token"]
            second = self.calls.post("json", files={"media": ("photo.png", png(), "image/png")}, **form)
            if ok_answer(second, "the same multipart POST again", "json", (200,)):
                R.check(second.value[0].get("service_request_id") == self.ids["multipart"],
                        "the same multipart POST again made another request")

        # Form-encoded, the spec's example POST (lat, long, description and the person's fields) in both formats.
        form = self.form(self.plain_code, self.p1, f"路灯不亮 form {self.run}", email=self.reporter["email"],
                         device_id=f"dev-{self.run}", account_id=f"acct-{self.run}", first_name=self.reporter["first_name"],
                         last_name=self.reporter["last_name"], phone=self.reporter["phone"], jurisdiction_id=self.county)
        j1, j2 = self.calls.post("json", **form), self.calls.post("json", **form)
        if ok_answer(j1, "POST requests.json", "json", (201,)) and ok_answer(j2, "the same POST again", "json", (200,)):
            self.check_post_answer(j1.value, "POST requests.json")
            self.ids["form"] = j1.value[0]["service_request_id"]
            R.check(j2.value == j1.value, f"the same POST again answered {j2.text[:200]}, first {j1.text[:200]}")
            # The same request to requests.xml: the answer carries the same values when it names the same case.
            x = self.calls.post("xml", **form)
            if ok_answer(x, "the same POST to requests.xml", "xml", (200, 201)):
                xml_names(x, "POST requests.xml", "service_requests", "request")
                if x.value.findtext("request/service_request_id") == self.ids["form"]:
                    R.check(x.status == 200, f"the same POST to requests.xml answered {x.status}, not 200")
                    same_in_both(j1, x, "POST requests")
                else:
                    R.note("the same POST sent to requests.xml after requests.json made a second case "
                           f"({x.value.findtext('request/service_request_id')}); a retry that switches format is not one case")
        xf = self.form(self.plain_code, self.p1, f"噪音扰民 xml {self.run}")
        x1 = self.calls.post("xml", **xf)
        if ok_answer(x1, "POST requests.xml", "xml", (201,)):
            xml_names(x1, "POST requests.xml", "service_requests", "request")
            rid = x1.value.findtext("request/service_request_id")
            R.check(rid, "POST requests.xml: no request/service_request_id")
            R.check({e.tag for e in x1.value.find("request")} >= {"service_request_id", "service_notice", "account_id"},
                    "POST requests.xml: <request> lacks service_notice or account_id")
            self.ids["xml"] = rid
            x2 = self.calls.post("xml", **xf)
            if ok_answer(x2, "the same POST to requests.xml again", "xml", (200,)):
                R.check(x2.value.findtext("request/service_request_id") == rid, "the same XML POST again made another request")

        # The key in the query string instead of the form.
        qf = {k: v for k, v in self.form(self.plain_code, self.p1, f"树木倒伏 query key {self.run}").items() if k != "api_key"}
        q = self.calls.call("POST", "requests", "json", params={"api_key": self.key1}, data=qf)
        if ok_answer(q, "POST requests.json?api_key=…", "json", (201,)):
            self.check_post_answer(q.value, "POST requests.json?api_key=…")

        # Township 2's request, with township 2's key.
        a = self.calls.post("json", **dict(self.form(self.plain_code, self.p2, f"占道经营 t2 {self.run}"), api_key=self.key2))
        if ok_answer(a, "POST requests.json with township 2's key", "json", (201,)):
            self.ids["t2"] = a.value[0]["service_request_id"]
        R.check(len(set(self.ids.values())) == len(self.ids), f"two different requests share an id: {self.ids}")

    def check_post_answer(self, v, what):
        R.check(isinstance(v, list) and len(v) == 1 and isinstance(v[0], dict) and isinstance(v[0].get("service_request_id"), str),
                f"{what}: not [{{service_request_id, service_notice, account_id}}]: {str(v)[:200]}")
        R.check(set(v[0]) >= {"service_request_id", "service_notice", "account_id"}, f"{what}: fields {sorted(v[0])}")
        R.check(not (REPORTER_FIELDS & set(v[0])), f"{what}: the answer holds reporter fields {REPORTER_FIELDS & set(v[0])}")

    # -- reading them back ----------------------------------------------------------------------------------------
    def check_request(self, r, want_id, code, point, what):
        R.check(r.get("service_request_id") == want_id, f"{what}: service_request_id {r.get('service_request_id')!r}, wanted {want_id}")
        R.check(r.get("status") == "open", f"{what}: status {r.get('status')!r}")
        R.check(r.get("service_code") == code, f"{what}: service_code {r.get('service_code')!r}, wanted {code}")
        missing = [f for f in REQUEST_FIELDS if f not in r]
        R.check(not missing, f"{what}: fields missing: {missing}")
        R.check(not (REPORTER_FIELDS & set(r)), f"{what}: reporter fields {sorted(REPORTER_FIELDS & set(r))}")
        lat, lon = r.get("lat"), r.get("long")
        R.check(isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and abs(lat - point[0]) < 1e-5
                and abs(lon - point[1]) < 1e-5, f"{what}: lat/long {lat}, {lon}, sent {point}")
        when = w3c_date(r.get("requested_datetime"))
        if R.check(when, f"{what}: requested_datetime {r.get('requested_datetime')!r} is no W3C date-time with an offset"):
            R.check(abs((datetime.datetime.now(datetime.timezone.utc) - when).total_seconds()) < 600,
                    f"{what}: requested_datetime {r.get('requested_datetime')} is not about now")
        listed = {s.get("service_code"): s.get("service_name") for s in getattr(self, "services_json", [])}
        R.check(r.get("service_name") == listed.get(code, self.leaves[code]["name"]),
                f"{what}: service_name {r.get('service_name')!r}, the services list says {listed.get(code)!r}")

    def read(self):
        if "civicbot" not in self.ids or "multipart" not in self.ids:
            R.check(False, "no requests to read back")
            return
        cid, mid = self.ids["civicbot"], self.ids["multipart"]
        # The spec's example calls, raw, both formats: GET requests/{id}, GET requests with ids and status.
        for rid, code in ((cid, self.plain_code), (mid, self.photo_code)):
            j = self.calls.get(f"requests/{rid}", "json", key=self.key1, read=True)
            x = self.calls.get(f"requests/{rid}", "xml", key=self.key1, read=True)
            if ok_answer(j, f"GET requests/{rid}.json", "json"):
                self.schemas.validate("requests.json", j.value, f"GET requests/{rid}.json")
                if R.check(isinstance(j.value, list) and len(j.value) == 1, f"GET requests/{rid}.json is not a list of one"):
                    self.check_request(j.value[0], rid, code, self.p1, f"GET requests/{rid}.json")
            if ok_answer(x, f"GET requests/{rid}.xml", "xml"):
                xml_names(x, f"requests/{rid}.xml", "service_requests", "request")
                same_in_both(j, x, f"requests/{rid}")
        m = self.calls.get(f"requests/{mid}", "json", key=self.key1)
        if m.parse_error is None and isinstance(m.value, list) and m.value:
            url = m.value[0].get("media_url")
            if R.check(isinstance(url, str) and url, f"the request filed with a PNG has media_url {url!r}"):
                parts = urllib.parse.urlsplit(url)
                if parts.hostname in ("127.0.0.1", "localhost") and parts.port == self.s.port:
                    got = requests.get(url, timeout=30)
                    if got.status_code != 200 or not got.headers.get("Content-Type", "").startswith("image/"):
                        R.note(f"media_url {url} answers {got.status_code} {got.headers.get('Content-Type')} without a key")
                else:
                    R.note(f"media_url {url} is not on this server; not fetched")
        ids = ",".join([cid, mid])
        params = dict(service_request_id=ids, status="open")
        j = self.calls.get("requests", "json", key=self.key1, read=True, **params)
        x = self.calls.get("requests", "xml", key=self.key1, read=True, **params)
        if ok_answer(j, "GET requests.json?service_request_id=…&status=open", "json"):
            self.schemas.validate("requests.json", j.value, "GET requests.json?service_request_id=…")
            R.check(sorted(r.get("service_request_id") for r in j.value) == sorted([cid, mid]),
                    f"GET requests.json?service_request_id={ids} answered {[r.get('service_request_id') for r in j.value]}")
        if ok_answer(x, "GET requests.xml?service_request_id=…&status=open", "xml"):
            xml_names(x, "requests.xml", "service_requests", "request")
            same_in_both(j, x, "requests?service_request_id=…")
        closed = self.calls.get("requests", "json", key=self.key1, read=True, service_request_id=ids, status="closed")
        if ok_answer(closed, "GET requests.json?…&status=closed", "json"):
            R.check(closed.value == [], f"status=closed lists open requests: {closed.text[:200]}")
        # The spec's example with dates (W3C, with an offset), and the list as a whole.
        now = datetime.datetime.now(CST).replace(microsecond=0)
        window = dict(start_date=(now - datetime.timedelta(hours=1)).isoformat(), end_date=(now + datetime.timedelta(hours=1)).isoformat(), status="open")
        for fmt in ("json", "xml"):
            a = self.calls.get("requests", fmt, key=self.key1, read=True, **window)
            if ok_answer(a, f"GET requests.{fmt}?start_date=…&end_date=…&status=open", fmt):
                found = ([r.get("service_request_id") for r in a.value] if fmt == "json"
                         else [e.findtext("service_request_id") for e in a.value])
                R.check({cid, mid} <= set(found), f"requests.{fmt} in the last hour lacks {cid} or {mid}: {found[:10]}")
                if fmt == "json":
                    self.schemas.validate("requests.json", a.value, "GET requests.json?start_date=…")
        past = self.calls.get("requests", "json", key=self.key1, start_date="2020-01-01T00:00:00+08:00", end_date="2020-01-02T00:00:00Z")
        if ok_answer(past, "GET requests.json for a day in 2020", "json"):
            R.check(not ({cid, mid} & {r.get("service_request_id") for r in past.value}), "a day in 2020 lists today's requests")
        by_code = self.calls.get("requests", "json", key=self.key1, service_code=self.photo_code)
        if ok_answer(by_code, "GET requests.json?service_code=…", "json"):
            R.check(all(r.get("service_code") == self.photo_code for r in by_code.value) and
                    mid in {r.get("service_request_id") for r in by_code.value}, "the service_code filter")
        one = self.calls.get("requests", "json", key=self.key1, page_size=1, page=1)
        if ok_answer(one, "GET requests.json?page_size=1", "json"):
            R.check(len(one.value) == 1, f"page_size=1 answered {len(one.value)} requests")
        ids200 = [cid] + fake_ids(cid, 199)
        a = self.calls.get("requests", "json", key=self.key1, service_request_id=",".join(ids200))
        if ok_answer(a, "GET requests.json with 200 ids", "json"):
            R.check([r.get("service_request_id") for r in a.value] == [cid], "200 ids, one of them ours")

        # georeport, unmodified, with the key as the root address's credentials (Basic auth); JSON and XML.
        g, gx = georeport.GeoReport(self.root1), georeport.GeoReport(self.root1, output_format="xml")
        one_j = g.get_service_request(cid)
        self.schemas.validate("request.json", one_j, "georeport get_service_request (json)")
        self.check_request(one_j, cid, self.plain_code, self.p1, "georeport get_service_request")
        one_x = gx.get_service_request(cid)
        R.check(isinstance(one_x, dict), f"georeport XML get_service_request gave {type(one_x).__name__}")
        bad = [k for k in one_j if not scalar_same(one_j[k], (one_x or {}).get(k))]
        R.check(not bad, f"georeport: XML request differs from JSON in {bad}")
        many = g.get_service_requests(service_request_id=f"{cid},{mid}")
        self.schemas.validate("requests.json", many, "georeport get_service_requests (json)")
        R.check(sorted(r["service_request_id"] for r in many) == sorted([cid, mid]), "georeport get_service_requests by ids")
        many_x = as_list(gx.get_service_requests(service_request_id=f"{cid},{mid}"))
        R.check(sorted(r.get("service_request_id") for r in many_x) == sorted([cid, mid]), "georeport XML get_service_requests by ids")
        one_list_x = as_list(gx.get_service_requests(service_request_id=cid))
        R.check([r.get("service_request_id") for r in one_list_x] == [cid], "georeport XML get_service_requests, one id")
        everything = g.get_service_requests(status="open")
        self.schemas.validate("requests.json", everything, "georeport get_service_requests(status=open)")
        R.check({cid, mid} <= {r["service_request_id"] for r in everything}, "georeport: the open list lacks our requests")
        self.calls.reads.append(("georeport reads", json.dumps([one_j, one_x, many, many_x, everything], ensure_ascii=False)))

        # civicbot, unmodified: without a key its reads are refused; with urllib's standard Basic-auth handler
        # configured (process-wide, for this address only) they work.
        cb = self.civicbot()
        try:
            cb.get_request(cid)
            R.check(False, "civicbot read a request without a key")
        except HttpError as e:
            R.check(400 <= e.status < 500, f"civicbot without a key: HTTP {e.status}")
            try:
                body = json.loads(e.body)
                R.check(isinstance(body, list) and body and "code" in body[0], f"civicbot without a key: {e.body[:200]}")
            except ValueError:
                R.check(False, f"civicbot without a key: the error is not JSON: {e.body[:200]}")
        passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
        passwords.add_password(None, self.s.api, "open311", self.key1, is_authenticated=True)
        urllib.request.install_opener(urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords)))
        try:
            got = cb.get_request(cid)
            R.check(got == one_j, "civicbot get_request differs from georeport's")
            listed = cb.list_requests(service_request_ids=[cid, mid])
            R.check(sorted(r["service_request_id"] for r in listed) == sorted([cid, mid]), "civicbot list_requests by ids")
            self.calls.reads.append(("civicbot reads", json.dumps([got, listed], ensure_ascii=False)))
        finally:
            urllib.request.install_opener(None)

        # The spec's GET tokens/{token}: the token a POST answered names its request (only for this key's area).
        token = self.tokens.get("multipart")
        if token:
            tj = self.calls.get(f"tokens/{token}", "json", key=self.key1, read=True)
            tx = self.calls.get(f"tokens/{token}", "xml", key=self.key1, read=True)
            if ok_answer(tj, "GET tokens/{token}.json", "json"):
                R.check(isinstance(tj.value, list) and len(tj.value) == 1 and tj.value[0].get("service_request_id") == mid,
                        f"GET tokens/{{token}}.json answered {tj.text[:200]}, not request {mid}")
            if ok_answer(tx, "GET tokens/{token}.xml", "xml"):
                xml_names(tx, "tokens/{token}.xml", "service_requests", "request")
                same_in_both(tj, tx, "tokens/{token}")
            error_answer(self.calls.get(f"tokens/{token}", "json", key=self.key2, read=True),
                         "township 2's key reading township 1's token", "json", (404,))
        else:
            R.note("the POST answers no token; GET tokens/{token} is checked only for its errors")

        # The FixMyStreet updates extension and tokens, both formats.
        for fmt in ("json", "xml"):
            a = self.calls.get("servicerequestupdates", fmt, key=self.key1, read=True,
                               start_date=window["start_date"], end_date=window["end_date"])
            ok_answer(a, f"GET servicerequestupdates.{fmt}", fmt)
            error_answer(self.calls.get("servicerequestupdates", fmt), f"GET servicerequestupdates.{fmt} without a key", fmt)
            error_answer(self.calls.get("tokens/no-such-token", fmt, key=self.key1, read=True),
                         f"GET tokens/no-such-token.{fmt}", fmt, (404,))
            error_answer(self.calls.get(f"tokens/{cid}", fmt), f"GET tokens/….{fmt} without a key", fmt)

    # -- text through XML -------------------------------------------------------------------------------------------
    def text(self):
        tricky = f"""<b>&amp; "双引号" 'single' ]]> 中文描述：井盖缺失 {self.run} ✓ 😀"""
        address = f"""<街道 & "门牌" '{self.run}'> ]]> 😀"""
        a = self.calls.post("json", **self.form(self.plain_code, self.p1, tricky, address_string=address))
        if not ok_answer(a, "POST with <>&\"' and Chinese", "json", (201,)):
            return
        rid = a.value[0]["service_request_id"]
        j = self.calls.get(f"requests/{rid}", "json", key=self.key1, read=True)
        x = self.calls.get(f"requests/{rid}", "xml", key=self.key1, read=True)
        if ok_answer(j, "GET the tricky request (json)", "json") and ok_answer(x, "GET the tricky request (xml)", "xml"):
            same_in_both(j, x, "the tricky request")
            r = j.value[0]
            if "description" in r:
                R.check(r["description"] == tricky, f"description came back as {r['description']!r}")
                R.check(x.value.findtext("request/description") == tricky, "the XML description differs from what was sent")
            if isinstance(r.get("address"), str) and self.run in r["address"]:
                R.check(r["address"] == address, f"address came back as {r['address']!r}, sent {address!r}")
                R.check(x.value.findtext("request/address") == address, "the XML address differs from the address_string sent")
            elif not any(self.run in str(v) for v in r.values()):
                R.note("the read answers show neither the description nor the address_string; only well-formedness checked")
        xa = self.calls.post("xml", **self.form(self.plain_code, self.p1, tricky + " (xml)"))
        ok_answer(xa, "POST requests.xml with <>&\"' and Chinese", "xml", (201,))
        # An error that may echo the input: an unknown service code full of markup, in XML.
        e = self.calls.post("xml", **self.form(f"<x&\"'中>{self.run}", self.p1, "markup code"))
        error_answer(e, "POST requests.xml with service_code <x&\"'中>", "xml")

    # -- scope --------------------------------------------------------------------------------------------------------
    def scope(self):
        t2, cid = self.ids.get("t2"), self.ids.get("civicbot")
        if not (t2 and cid):
            R.check(False, "no requests to test the keys' scope with")
            return
        for fmt in ("json", "xml"):
            error_answer(self.calls.get(f"requests/{t2}", fmt, key=self.key1, read=True),
                         f"township 1's key reading township 2's request ({fmt})", fmt, (404,))
            error_answer(self.calls.get(f"requests/{cid}", fmt, key=self.key2, read=True),
                         f"township 2's key reading township 1's request ({fmt})", fmt, (404,))
        a = self.calls.get("requests", "json", key=self.key1, read=True, service_request_id=f"{t2},{cid}")
        if ok_answer(a, "GET requests.json?service_request_id=t2,t1 with township 1's key", "json"):
            R.check([r.get("service_request_id") for r in a.value] == [cid], f"township 1's key listed {a.text[:200]}")
        a = self.calls.get("requests", "json", key=self.key1, read=True)
        if ok_answer(a, "GET requests.json with township 1's key", "json"):
            R.check(t2 not in {r.get("service_request_id") for r in a.value}, "township 1's key lists township 2's request")
        u = self.calls.get("servicerequestupdates", "json", key=self.key1, read=True)
        R.check(t2 not in u.text, "township 1's key sees township 2's request in servicerequestupdates")
        b = self.calls.get("requests", "json", key=self.key2, read=True, service_request_id=t2)
        if ok_answer(b, "GET requests.json with township 2's key", "json"):
            R.check([r.get("service_request_id") for r in b.value] == [t2], "township 2's key does not see its own request")
        try:
            georeport.GeoReport(self.root1).get_service_request(t2)
            R.check(False, "georeport read township 2's request with township 1's key")
        except requests.HTTPError as e:
            R.check(e.response.status_code == 404, f"georeport, other township: HTTP {e.response.status_code}")
        for fmt in ("json", "xml"):
            error_answer(self.calls.post(fmt, **self.form(self.plain_code, self.p2, f"越界 {fmt} {self.run}")),
                         f"township 1's key posting a point of township 2 ({fmt})", fmt)

    # -- bad input ------------------------------------------------------------------------------------------------------
    def bad_input(self):
        cid = self.ids.get("civicbot", "0")
        unknown = fake_ids(cid, 1)[0]
        well_formed_stranger = "wg_" + "A" * 43
        for fmt in ("json", "xml"):
            base = self.form(self.plain_code, self.p1, f"坏输入 {fmt} {self.run}")
            cases = [
                ("no api_key", {k: v for k, v in base.items() if k != "api_key"}, None, None),
                ("an unknown key", dict(base, api_key=well_formed_stranger), None, None),
                ("a malformed key", dict(base, api_key="not-a-key"), None, None),
                ("an unknown service_code", dict(base, service_code="no-such-service"), None, None),
                ("a point outside the county (0, 0)", dict(base, lat="0", long="0"), None, None),
                ("no location", {k: v for k, v in base.items() if k not in ("lat", "long")}, None, None),
                ("lat not a number", dict(base, lat="north"), None, None),
                ("no description", {k: v for k, v in base.items() if k != "description"}, None, None),
                ("an empty description", dict(base, description=""), None, None),
                ("a description with \\x01", dict(base, description="坏字符\x01" + self.run), None, None),
                ("an unknown jurisdiction_id", dict(base, jurisdiction_id="elsewhere.example"), None, (404,)),
                ("media that is no image", dict(base, service_code=self.photo_code),
                 {"media": ("photo.png", b"this is plain text, not a picture\n" * 4, "image/png")}, None),
                ("media that is a text file", dict(base, service_code=self.photo_code),
                 {"media": ("notes.txt", b"hello", "text/plain")}, None),
                ("no media for a service that needs a photo", dict(base, service_code=self.photo_code), None, None),
            ]
            for what, form, files, statuses in cases:
                error_answer(self.calls.post(fmt, files=files, **form), f"POST requests.{fmt} with {what}", fmt, statuses)
            reads = [
                ("GET requests without a key", "requests", {}, None, None),
                ("GET requests/{id} without a key", f"requests/{cid}", {}, None, None),
                ("GET requests with an unknown key", "requests", {"api_key": well_formed_stranger}, None, None),
                ("GET requests with a wrong Basic password", "requests", {}, ("open311", well_formed_stranger), None),
                ("GET requests with 5000 ids", "requests", {"api_key": self.key1, "service_request_id": ",".join(str(i) for i in range(1, 5001))}, None, None),
                ("GET requests with 201 ids", "requests", {"api_key": self.key1, "service_request_id": ",".join(fake_ids(cid, 201))}, None, None),
                ("GET requests with start_date=23/11/2026", "requests", {"api_key": self.key1, "start_date": "23/11/2026"}, None, (400,)),
                ("GET requests with end_date=23/11/2026", "requests", {"api_key": self.key1, "end_date": "23/11/2026"}, None, (400,)),
                ("GET requests with an unknown jurisdiction_id", "requests", {"api_key": self.key1, "jurisdiction_id": "elsewhere.example"}, None, (404,)),
                ("GET services with an unknown jurisdiction_id", "services", {"jurisdiction_id": "elsewhere.example"}, None, (404,)),
                ("GET requests/{unknown id}", f"requests/{unknown}", {"api_key": self.key1}, None, (404,)),
                ("GET an unknown route", "no-such-thing", {}, None, (404,)),
            ]
            for what, path, params, auth, statuses in reads:
                a = self.calls.call("GET", path, fmt, params=params, auth=auth, read=True)
                error_answer(a, f"{what} (.{fmt})", fmt, statuses)
            error_answer(self.calls.call("DELETE", "requests", fmt, params={"api_key": self.key1}), f"DELETE requests.{fmt}", fmt)
            error_answer(self.calls.call("PUT", "services", fmt), f"PUT services.{fmt}", fmt)
        # An empty jurisdiction_id is this county; so is the county's own id.
        for jid in ("", self.county):
            ok_answer(self.calls.get("services", "json", jurisdiction_id=jid), f"GET services.json?jurisdiction_id={jid!r}", "json")
            ok_answer(self.calls.get("requests", "json", key=self.key1, jurisdiction_id=jid), f"GET requests.json?jurisdiction_id={jid!r}", "json")
        # Routes without a format, or with another one: an error array, never HTML.
        for path in ("no-such-thing", "services", "services.html", "requests.csv", "requests/x/y.json"):
            a = self.calls.call("GET", path, None, params={"api_key": self.key1})
            R.check(400 <= a.status < 500 or path == "services", f"GET /open311/v2/{path}: HTTP {a.status}")
            R.check(not looks_like_html(a), f"GET /open311/v2/{path} answers HTML ({a.ctype})")
            if a.status >= 400 and not looks_like_html(a):
                parsed = a.value if a.parse_error is None else None
                if parsed is None:
                    try:
                        parsed = ET.fromstring(a.content)
                    except ET.ParseError:
                        parsed = None
                R.check(parsed is not None and (isinstance(parsed, list) or getattr(parsed, "tag", "") == "errors"),
                        f"GET /open311/v2/{path}: neither a JSON nor an XML error array: {a.text[:200]!r}")
        # Does a read without a key challenge for Basic auth? (urllib's handler and browsers wait for one.)
        a = self.calls.get("requests", "json")
        if "basic" not in a.headers.get("WWW-Authenticate", "").lower():
            R.note(f"a read without a key answers {a.status} with no 'WWW-Authenticate: Basic' challenge, so clients "
                   "that send credentials only when challenged (urllib's HTTPBasicAuthHandler, browsers) never send them")

    def revoked(self):
        form = dict(self.form(self.plain_code, self.p1, f"吊销前 {self.run}"), api_key=self.key3)
        before = self.calls.post("json", **form)
        if not ok_answer(before, "POST with the third key before it is revoked", "json", (201,)):
            return
        self.s.cli("apikey", "revoke", f"o311-revoke-{self.run}")
        revoked_at = time.monotonic()
        form["description"] = f"吊销后 {self.run}"
        while True:
            after = self.calls.post("json", **form)
            if 400 <= after.status < 500 or time.monotonic() - revoked_at > 10:
                break
            time.sleep(0.5)
        took = time.monotonic() - revoked_at
        for fmt in ("json", "xml"):
            error_answer(self.calls.post(fmt, **dict(form, description=f"吊销后 {fmt} {self.run}")), f"POST requests.{fmt} with a revoked key", fmt)
            error_answer(self.calls.get("requests", fmt, key=self.key3), f"GET requests.{fmt} with a revoked key", fmt)
            a = self.calls.call("GET", "requests", fmt, auth=("open311", self.key3))
            error_answer(a, f"GET requests.{fmt} with a revoked key as Basic password", fmt)
        R.check(took < 5, f"the revoked key was still accepted {took:.1f} s after `apikey revoke`")

    # -- what no answer may hold ----------------------------------------------------------------------------------------
    def privacy(self):
        markers = [v for v in self.reporter.values()]
        for label, text in self.calls.reads:
            found = [m for m in markers if m in text]
            R.check(not found, f"{label}: a read answer shows the reporter's {found}")
        for label, a in self.calls.answers:
            leaked = [k[:10] + "…" for k in self.keys if k and k in a.text]
            R.check(not leaked, f"{label}: the answer holds a key {leaked}")
        # Every JSON answer that is a list of requests validates (the ones above were checked one by one too).
        for label, a in self.calls.answers:
            if a.fmt == "json" and a.status == 200 and a.parse_error is None and label.startswith("GET requests"):
                self.schemas.validate("requests.json", a.value, label)
        print(f"open311 test: {len(self.calls.answers)} raw answers, {len(self.calls.reads)} read answers scanned")


def main():
    def out_of_time(*_):
        raise TimeoutError(f"the test ran longer than {TIME_LIMIT} s")
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(TIME_LIMIT)
    print(f"open311 test: georeport {georeport.__version__}, civicbot {civicbot.__version__}, "
          f"xmltodict {xmltodict.__version__}, schemas from {SCHEMAS.relative_to(ROOT)}")
    schemas = Schemas()
    server = Server()
    started = time.monotonic()
    try:
        server.start()
        t = Open311Test(server, schemas)
        R.run("setup", t.setup)
        if not R.failures:
            R.run("discovery", t.discovery)
            R.run("services", t.services)
            R.run("create", t.create)
            R.run("read", t.read)
            R.run("text through XML", t.text)
            R.run("scope", t.scope)
            R.run("bad input", t.bad_input)
            R.run("revoked key", t.revoked)
            R.run("privacy", t.privacy)
    except TimeoutError as e:
        R.failures.append(str(e))
    finally:
        signal.alarm(0)
        server.stop()
    for n in R.notes:
        print("  note: " + n)
    for f in R.failures[:60]:
        print("  FAILED " + f)
    if len(R.failures) > 60:
        print(f"  … and {len(R.failures) - 60} more")
    print(f"open311 test: {R.passed} checks passed, {len(R.failures)} failed, {schemas.count} JSON answers validated "
          f"against the schemas, {time.monotonic() - started:.0f} s")
    if R.failures:
        print(f"open311 test: failed; server log in {server.data}")
        return 1
    if not os.environ.get("WANGGE_KEEP"):
        shutil.rmtree(server.data, ignore_errors=True)
    print("open311 test: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
