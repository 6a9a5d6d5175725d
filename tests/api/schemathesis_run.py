#!/usr/bin/env python3
"""Runs schemathesis over /api/openapi.yaml against a demo server it starts on loopback (fresh DATA_DIR, free port),
signed in as the demo administrator. Passes when there are no server errors and no responses that break the
document (status codes, content types, headers and bodies as documented).

    python3 tests/api/schemathesis_run.py [--examples N] [--seed S]

WANGGE_BIN=path picks the server binary (default .build/debug/wangge). Run by scripts/api-check.sh.
"""
import argparse
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


def realistic_parameters(base, token):
    """A case with a photo to point the generated requests at, so they reach the handlers rather than 404."""
    grid = call(base, "GET", "/api/v1/areas?level=grid", token)["areas"][0]["code"]
    categories = call(base, "GET", "/api/v1/categories")["categories"]
    minor = next(c for c in categories if c.get("parent_code") and not c.get("photo_required"))
    report = json.dumps({"category_code": minor["code"], "description": "schemathesis 的样例", "area_code": grid,
                         "reporter": {"name": "样例", "phone": "13800138000"}})
    jpeg = bytes([0xFF, 0xD8, 0xFF, 0xDB, 0, 4, 1, 2, 0xFF, 0xC0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xFF, 0xDA, 0, 4, 1, 2, 9, 9, 0xFF, 0xD9])
    body = (b"--B\r\nContent-Disposition: form-data; name=\"case\"\r\n\r\n" + report.encode() +
            b"\r\n--B\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.jpg\"\r\n\r\n" + jpeg + b"\r\n--B--\r\n")
    created = call(base, "POST", "/api/v1/cases", body=body, headers={"Content-Type": "multipart/form-data; boundary=B"})
    detail = call(base, "GET", f"/api/v1/cases/{created['id']}", token)
    sha = detail["timeline"][0]["attachments"][0]
    ops = [("/api/v1/cases/{id}", {"path.id": created["id"]}),
           ("/api/v1/cases/{id}/actions", {"path.id": created["id"]}),
           ("/api/v1/track/{code}", {"path.code": created["tracking_code"]}),
           ("/api/v1/track/{code}/rating", {"path.code": created["tracking_code"]}),
           ("/api/v1/track/{code}/photos/{sha}", {"path.code": created["tracking_code"], "path.sha": sha}),
           ("/api/v1/photos/{sha}", {"path.sha": sha}),
           ("/api/v1/areas/{code}/team", {"path.code": grid})]
    out = []
    for path, params in ops:
        pairs = ", ".join(f'"{k}" = "{v}"' for k, v in params.items())
        out.append(f'[[operations]]\ninclude-path = "{path}"\nparameters = {{ {pairs} }}\n')
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=25, help="examples per operation and phase")
    ap.add_argument("--seed", type=int, default=20261203)
    args = ap.parse_args()

    binary = os.environ.get("WANGGE_BIN") or str(ROOT / ".build/debug/wangge")
    data = tempfile.mkdtemp(prefix="wangge-schemathesis-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATA_DIR=data, PORT=str(port), HOST="127.0.0.1", LOG_LEVEL="warning",
               # The rate limits would answer most generated requests with 429 (documented): off, to reach the handlers.
               REPORTS_PER_MINUTE="0", TRACKING_PER_MINUTE="0", SIGN_INS_PER_MINUTE="0")
    env.pop("DATABASE_URL", None)
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
        cmd = ["schemathesis", "--config-file", config, "run", base + "/api/openapi.yaml", "--url", base,
               "-H", f"Authorization: Bearer {token}",
               "--checks", ",".join(CHECKS), "--max-examples", str(args.examples), "--seed", str(args.seed),
               "--phases", "examples,coverage,fuzzing", "--workers", "2", "--request-timeout", "20",
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
