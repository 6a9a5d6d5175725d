#!/usr/bin/env python3
"""Runs schemathesis over /api/openapi.yaml against a demo server it starts on loopback (fresh DATA_DIR, free port),
signed in as the demo administrator. Passes when there are no server errors and no responses that break the
document (status codes, content types, headers and bodies as documented).

    python3 tests/api/schemathesis_run.py [--examples N] [--seed S] [--schema PATH]

WANGGE_BIN=path picks the server binary (default .build/debug/wangge). --schema reads the document from a file (say
the working tree's Sources/WanggeServer/Public/api/openapi.yaml, to try an edit without building the server) instead
of the one the server serves. Run by scripts/api-check.sh.

Generated requests are pointed at real records (a case with a photo, a second case, a dispute case, a mediation, a
point inside the county) and take live codes (categories, areas, departments, dispute types, mediators) from
dictionaries, so that they get past the checks of data the document cannot list and reach the handlers.
"""
import argparse
import datetime
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHECKS = ["not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_headers_conformance", "response_schema_conformance"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, token=None, body=None, headers=None):
    h = dict(headers or {})
    if token:
        h["Authorization"] = f"Bearer {token}"
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    req = urllib.request.Request(base + path, method=method, data=body, headers=h)
    return json.load(urllib.request.urlopen(req, timeout=30))


def report(base, body, photo=None, token=None):
    """A report, as JSON or (with a photo) as multipart."""
    if photo is None:
        return call(base, "POST", "/api/v1/cases", token, body=body)
    multipart = (b"--B\r\nContent-Disposition: form-data; name=\"case\"\r\n\r\n" + json.dumps(body).encode() +
                 b"\r\n--B\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.jpg\"\r\n\r\n" + photo + b"\r\n--B--\r\n")
    return call(base, "POST", "/api/v1/cases", token, body=multipart, headers={"Content-Type": "multipart/form-data; boundary=B"})


def toml_value(v):
    return json.dumps(v, ensure_ascii=False)


def realistic_parameters(base, token):
    """Real records to point the generated requests at, so they reach the handlers rather than 404, and dictionaries of
    live codes (categories, areas, departments, dispute types, mediators) that generated bodies draw from."""
    grids = [a["code"] for a in call(base, "GET", "/api/v1/areas?level=grid", token)["areas"]]
    grid = grids[0]
    categories = call(base, "GET", "/api/v1/categories")["categories"]
    # Photo-free 小类: a signed-in report is a grid worker's, which needs photos for the others.
    minors = [c["code"] for c in categories if c.get("parent_code") and not c.get("photo_required")]
    types = call(base, "GET", "/api/v1/mediation-types", token)
    dispute = next(c for t in types for c in t["category_codes"] if c in minors)
    jpeg = bytes([0xFF, 0xD8, 0xFF, 0xDB, 0, 4, 1, 2, 0xFF, 0xC0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xFF, 0xDA, 0, 4, 1, 2, 9, 9, 0xFF, 0xD9])
    created = report(base, {"category_code": minors[0], "description": "schemathesis 的样例", "area_code": grid,
                            "reporter": {"name": "样例", "phone": "13800138000"}}, photo=jpeg)
    other = report(base, {"category_code": minors[0], "description": "schemathesis 的第二个样例", "area_code": grid})
    disputed = report(base, {"category_code": dispute, "description": "schemathesis 的纠纷样例", "area_code": grid,
                             "reporter": {"name": "样例", "phone": "13800138000"}})
    detail = call(base, "GET", f"/api/v1/cases/{created['id']}", token)
    sha = detail["timeline"][0]["attachments"][0]
    # The departments intake routed the reports to: each serves its report's grid, so dispatch can take them.
    departments = sorted({(c.get("department") or {}).get("id") for c in (created, other, disputed)} - {None})
    today = datetime.date.today()

    def register():
        return call(base, "POST", "/api/v1/mediations", token, body={
            "type_code": types[0]["code"], "description": "schemathesis 的调解样例", "area_code": grid, "source": "walk_in",
            "parties": [{"role": "applicant", "kind": "person", "name": "样例"}, {"role": "respondent", "kind": "person", "name": "对方"}]})

    def act(m, **body):
        return call(base, "POST", f"/api/v1/mediations/{m['id']}/actions", token, body=body)

    mediation = register()
    mediators = [m["id"] for m in call(base, "GET", f"/api/v1/mediations/{mediation['id']}/suggested-mediators", token)]
    # Mediations in the later states too, so that the steps of each state reach the handlers: accepted, mediating
    # (with a session planned), agreed (one term).
    accepted, mediating, agreed = register(), register(), register()
    for m in (accepted, mediating, agreed):
        act(m, action="accept")
    for m in (mediating, agreed):
        act(m, action="assign", mediator_ids=mediators[:2])
    act(mediating, action="schedule_session", at=f"{today + datetime.timedelta(days=1)}T09:00:00+08:00", place="村委会")
    act(agreed, action="agree", terms=[{"obligor": "对方", "description": "赔偿", "amount_yuan": 500, "due_date": str(today + datetime.timedelta(days=30))}])
    # Risk register entries in the first states, so that each step reaches the handler: registered, reviewed.
    def risk(title):
        return call(base, "POST", "/api/v1/risks", token, body={
            "category_code": "fire", "title": title, "description": "schemathesis 的隐患样例", "area_code": grid,
            "assessment": {"likelihood": 3, "severity": 4}})["summary"]
    risks = [risk("schemathesis 隐患一"), risk("schemathesis 隐患二")]
    call(base, "POST", f"/api/v1/risks/{risks[1]['id']}/actions", token,
         body={"action": "review", "assessment": {"likelihood": 3, "severity": 4}, "decision": "keep"})
    # A heightened period and a grave event, to call off and withdraw.
    period = call(base, "POST", "/api/v1/heightened-periods", token, body={
        "name": "schemathesis 重点时段", "start": f"{today + datetime.timedelta(days=1)}T00:00:00+08:00",
        "end": f"{today + datetime.timedelta(days=3)}T00:00:00+08:00", "area_codes": [grid]})
    grave = call(base, "POST", "/api/v1/grave-events", token, body={
        "area_code": grid, "occurred_on": str(today - datetime.timedelta(days=2)), "code": "death", "summary": "schemathesis 样例事项"})
    # A point inside the county (the middle of a grid's outline, if /api/v1/locate places it), for locate and reports.
    req = urllib.request.Request(base + "/api/v1/areas?level=grid", headers={"Authorization": f"Bearer {token}",
                                                                              "Accept": "application/geo+json"})
    ring = json.load(urllib.request.urlopen(req, timeout=30))["features"][0]["geometry"]["coordinates"][0]
    if ring and isinstance(ring[0][0], list):  # a MultiPolygon's first polygon
        ring = ring[0]
    point = {"lat": [round(sum(p[1] for p in ring) / len(ring), 6)], "lon": [round(sum(p[0] for p in ring) / len(ring), 6)]}
    try:
        call(base, "GET", f"/api/v1/locate?lat={point['lat'][0]}&lon={point['lon'][0]}")
    except urllib.error.HTTPError:
        point = {"lat": [], "lon": []}
    # A place of the registry at that point, to read and change.
    places = []
    if point["lat"]:
        try:
            places = [call(base, "POST", "/api/v1/registry/places", token, body={
                "name": "schemathesis 场所", "address": "schemathesis 路 1 号", "lat": point["lat"][0], "lon": point["lon"][0],
                "type_code": "shop", "attributes": {"sleeps_inside": "no"}})["entry"]["id"]]
        except urllib.error.HTTPError:
            places = []
    # An Open311 key for the county (made with the command line against the server's DATA_DIR), and case codes and
    # tokens it can read, so that the Open311 routes reach their handlers.
    made = subprocess.run([os.environ.get("WANGGE_BIN") or str(ROOT / ".build/debug/wangge"), "apikey", "create", "--name", "schemathesis",
                           "--area", call(base, "GET", "/open311/v2/discovery.json")["jurisdiction_id"], "--rate", "100000"],
                          env=dict(os.environ, DATA_DIR=os.environ["WANGGE_SCHEMATHESIS_DATA"]), capture_output=True, text=True, check=True)
    api_key = made.stdout.strip().splitlines()[-1]
    dictionaries = {
        "api_keys": [api_key],
        "open311_ids": [other["code"] + ".json", disputed["code"] + ".xml"],
        "open311_tokens": [other["id"].lower() + ".json"],
        "open311_services": [minors[0] + ".json", minors[0] + ".xml"],
        "accounts": ["admin"],
        "passwords": ["wangge-demo"],
        "minor_categories": minors,
        "grids": grids[:40],
        "departments": departments,
        "photos": [sha],
        "cases": [other["code"], other["id"]],
        "dispute_cases": [disputed["id"], disputed["code"]],
        "mediation_types": [t["code"] for t in types],
        "mediators": mediators,
        "future_instants": [f"{today + datetime.timedelta(days=d)}T{h:02d}:00:00+08:00" for d in (1, 2, 7) for h in (9, 14)],
        "future_dates": [str(today + datetime.timedelta(days=d)) for d in (0, 1, 30, 365)],
        "years": [today.year + d for d in (2, 3, 4)],
        "mediations": [m["id"] for m in (mediation, accepted, mediating, agreed)],
        "risks": [r["id"] for r in risks],
        "periods": [period["id"]],
        "grave_events": [grave["id"]],
        "past_dates": [str(today - datetime.timedelta(days=d)) for d in (0, 1, 10, 40)],
        "deduction_codes": ["death", "mass_incident", "security_period_major"],
        "places": places,
        "place_types": ["shop", "restaurant", "factory", "other"],
        "checklists": ["fire_small"],
        "months": [f"{(today.replace(day=1) - datetime.timedelta(days=1)):%Y-%m}", f"{today:%Y-%m}", "2020-01"],
        "lat": point["lat"],
        "lon": point["lon"],
    }
    # A value a dictionary binds is taken from it every time (probability 1): random codes would only be refused. The
    # negative phase still sends others. Sign-ins: the demo administrator half of the time, always with its password
    # (a wrong one for it would soon lock it out for this address).
    ops = [("/api/v1/auth/token", {"body.username": ("accounts", 0.5), "body.password": ("passwords", 1.0)}),
           ("/api/v1/locate", {"query.lat": ("lat", 1.0), "query.lon": ("lon", 1.0)}),
           ("/api/v1/cases", {"body.category_code": ("minor_categories", 1.0), "body.area_code": ("grids", 1.0),
                              "body.lat": ("lat", 1.0), "body.lon": ("lon", 1.0),
                              "body.case.category_code": ("minor_categories", 1.0), "body.case.area_code": ("grids", 1.0),
                              "body.case.lat": ("lat", 1.0), "body.case.lon": ("lon", 1.0)}),
           ("/api/v1/cases/{id}", {"path.id": created["id"]}),
           ("/api/v1/cases/{id}/actions", {"path.id": created["id"], "body.department_code": ("departments", 1.0),
                                           "body.merge_into": ("cases", 1.0), "body.attachments[*]": ("photos", 1.0)}),
           ("/api/v1/cases/{id}/tracking-code", {"path.id": created["id"]}),
           ("/api/v1/track/{code}", {"path.code": created["tracking_code"]}),
           ("/api/v1/track/{code}/rating", {"path.code": created["tracking_code"]}),
           ("/api/v1/track/{code}/photos/{sha}", {"path.code": created["tracking_code"], "path.sha": sha}),
           ("/api/v1/photos/{sha}", {"path.sha": sha}),
           ("/api/v1/areas/{code}/team", {"path.code": grid}),
           ("/api/v1/mediations", {"body.case_id": ("dispute_cases", 1.0), "body.type_code": ("mediation_types", 1.0),
                                   "body.area_code": ("grids", 1.0)}),
           ("/api/v1/mediations/{id}", {"path.id": mediation["id"]}),
           ("/api/v1/mediations/{id}/suggested-mediators", {"path.id": mediation["id"]}),
           ("/api/v1/mediations/{id}/actions", {"path.id": ("mediations", 1.0), "body.mediator_ids[*]": ("mediators", 1.0),
                                                "body.at": ("future_instants", 1.0), "body.terms[*].due_date": ("future_dates", 1.0)}),
           ("/api/v1/risks", {"body.area_code": ("grids", 1.0), "query.area": ("grids", 0.5)}),
           ("/api/v1/risks/{id}", {"path.id": ("risks", 1.0)}),
           ("/api/v1/risks/{id}/actions", {"path.id": ("risks", 1.0), "body.department_code": ("departments", 1.0)}),
           ("/api/v1/risks/export", {"query.area": ("grids", 0.5)}),
           ("/api/v1/safety-index", {"query.area": ("grids", 0.5), "query.month": ("months", 0.8)}),
           ("/api/v1/safety-index/ranking", {"query.month": ("months", 0.8)}),
           ("/api/v1/safety-index/formula/preview", {"query.month": ("months", 0.8)}),
           ("/api/v1/safety-index/compute", {"query.month": ("months", 0.8)}),
           ("/api/v1/warnings", {"query.area": ("grids", 0.5)}),
           ("/api/v1/heightened-periods", {"body.area_codes[*]": ("grids", 1.0), "body.start": ("future_instants", 1.0),
                                           "body.end": ("future_instants", 1.0)}),
           ("/api/v1/heightened-periods/{id}/call-off", {"path.id": ("periods", 1.0)}),
           ("/api/v1/grave-events", {"body.area_code": ("grids", 1.0), "body.occurred_on": ("past_dates", 1.0),
                                     "body.code": ("deduction_codes", 1.0), "query.area": ("grids", 0.5), "query.month": ("months", 0.8)}),
           ("/api/v1/grave-events/{id}/withdraw", {"path.id": ("grave_events", 1.0)}),
           ("/api/v1/registry/{kind}", {"body.lat": ("lat", 1.0), "body.lon": ("lon", 1.0), "body.type_code": ("place_types", 1.0),
                                        "query.area": ("grids", 0.5), "query.type": ("place_types", 0.8)}),
           ("/api/v1/registry/{kind}/{id}", {"path.id": ("places", 1.0), "body.lat": ("lat", 1.0), "body.lon": ("lon", 1.0)}),
           ("/api/v1/inspections", {"body.place_id": ("places", 1.0), "body.checklist_code": ("checklists", 1.0)}),
           ("/api/v1/coverage", {"query.area": ("grids", 0.5)}),
           ("/api/v1/assessments", {"query.area": ("grids", 0.5), "query.month": ("months", 0.8)}),
           # Years ahead, so that a generated schedule does not change the working days of the cases above.
           ("/api/v1/calendar/{year}", {"path.year": ("years", 1.0)})]
    for f in ("json", "xml"):
        ops += [(f"/open311/v2/requests.{f}", {"query.api_key": ("api_keys", 0.9), "body.service_code": ("minor_categories", 0.9),
                                                "body.lat": ("lat", 0.9), "body.long": ("lon", 0.9)}),
                (f"/open311/v2/servicerequestupdates.{f}", {"query.api_key": ("api_keys", 0.9)})]
    ops += [("/open311/v2/requests/{id}", {"query.api_key": ("api_keys", 0.9), "path.id": ("open311_ids", 0.9)}),
            ("/open311/v2/tokens/{token}", {"query.api_key": ("api_keys", 0.9), "path.token": ("open311_tokens", 0.9)}),
            ("/open311/v2/services/{code}", {"path.code": ("open311_services", 0.9)}),
            ("/open311/v2/media/{sha}", {"path.sha": ("photos", 0.9)})]
    out = []
    for name, values in dictionaries.items():
        if values:
            out.append(f"[dictionaries.{name}]\nvalues = {toml_value(values)}\n")
    for path, params in ops:
        pairs = []
        for k, v in params.items():
            if isinstance(v, tuple):
                if not dictionaries[v[0]]:
                    continue
                pairs.append(f'"{k}" = {{ dictionary = "{v[0]}", probability = {v[1]} }}')
            else:
                pairs.append(f'"{k}" = {toml_value(v)}')
        out.append(f'[[operations]]\ninclude-path = "{path}"\nparameters = {{ {", ".join(pairs)} }}\n')
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=25, help="examples per operation and phase")
    ap.add_argument("--seed", type=int, default=20261203)
    ap.add_argument("--schema", help="the OpenAPI document to test with (a file); default: the one the server serves")
    args = ap.parse_args()

    binary = os.environ.get("WANGGE_BIN") or str(ROOT / ".build/debug/wangge")
    data = tempfile.mkdtemp(prefix="wangge-schemathesis-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATA_DIR=data, PORT=str(port), HOST="127.0.0.1", LOG_LEVEL="warning",
               # The rate limits would answer most generated requests with 429 (documented): off, to reach the handlers.
               REPORTS_PER_MINUTE="0", TRACKING_PER_MINUTE="0", SIGN_INS_PER_MINUTE="0",
               UPLOADS_PER_MINUTE="0")
    env.pop("DATABASE_URL", None)
    os.environ["WANGGE_SCHEMATHESIS_DATA"] = data
    log = open(os.path.join(data, "server.log"), "w")
    server = subprocess.Popen([binary, "demo", "--no-history"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None:
                sys.exit(f"schemathesis: the server stopped at start; see {data}/server.log")
            time.sleep(0.5)
        req = urllib.request.Request(base + "/api/v1/auth/token", method="POST",
                                     data=json.dumps({"username": "admin", "password": "wangge-demo"}).encode(),
                                     headers={"Content-Type": "application/json"})
        token = json.load(urllib.request.urlopen(req, timeout=30))["token"]
        config = os.path.join(data, "schemathesis.toml")
        with open(config, "w") as f:
            f.write(realistic_parameters(base, token))
        report = os.path.join(data, "report")
        schema = str(pathlib.Path(args.schema).resolve()) if args.schema else base + "/api/openapi.yaml"
        cmd = ["schemathesis", "--config-file", config, "run", schema, "--url", base,
               "-H", f"Authorization: Bearer {token}",
               "--checks", ",".join(CHECKS), "--max-examples", str(args.examples), "--seed", str(args.seed),
               # One worker: with two, Hypothesis parses lambdas' sources in both threads at once, which CPython 3.11
               # sometimes fails ("AST constructor recursion depth mismatch", a runtime error of the run, not the
               # server's); generating is CPU-bound under the GIL, so two were no faster (30 s against 32 s).
               "--phases", "examples,coverage,fuzzing", "--workers", "1", "--request-timeout", "20",
               # An endless event stream cannot be read to its end.
               "--exclude-path", "/api/v1/events",
               # Revoking the run's own token would turn every later request into a 401 (AccountTrustTests covers it).
               "--exclude-operation-id", "revokeToken",
               "--generation-database", "none", "--no-color",
               "--report", "ndjson", "--report-dir", report]
        print("== schemathesis", " ".join(c if "Bearer" not in c else "Authorization: Bearer …" for c in cmd[2:]), flush=True)
        done = subprocess.run(cmd, cwd=data)
        requests = server_errors = mismatches = 0
        for path in pathlib.Path(report).glob("*.ndjson"):
            for line in path.read_text().splitlines():
                event = json.loads(line)
                for kind, body in event.items():
                    if kind == "ScenarioFinished":
                        recorder = body.get("recorder", {})
                        requests += sum(len(v) for v in recorder.get("interactions", {}).values()) if isinstance(recorder.get("interactions"), dict) else 0
                        for checks in (recorder.get("checks") or {}).values():
                            for c in checks:
                                if c.get("status") == "failure":
                                    if c.get("name") == "not_a_server_error":
                                        server_errors += 1
                                    else:
                                        mismatches += 1
        alive = server.poll() is None
        print(f"schemathesis: {requests} requests, {server_errors} server errors, {mismatches} responses that break the document; "
              f"server {'alive' if alive else 'DEAD'}")
        ok = done.returncode == 0 and server_errors == 0 and mismatches == 0 and alive
        if not ok:
            print(f"schemathesis: failed (exit {done.returncode}); the server's log is {data}/server.log")
        return 0 if ok else 1
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        if not os.environ.get("WANGGE_KEEP"):
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
