#!/usr/bin/env python3
"""Crash test: reports keep arriving from several clients while the server is killed (SIGKILL, no shutdown), then it is
started again on the same database. Passes when

  * every report the server acknowledged (201/200 with a case id) is there after the restart, exactly once;
  * sending any report again with its Idempotency-Key answers the same case (acknowledged ones) or makes exactly one
    (those cut off by the kill), so a client that retries never makes a twin;
  * case numbers are unique and no case of the run was lost or doubled (counted through the list API);
  * a body announced at 99 MB is refused with 413 before it is read, on a real socket.

On SQLite (a fresh DATA_DIR) by default; on PostgreSQL when DATABASE_URL is set (a database `wangge_crash` beside the
one named there is made afresh). Bounded: a few hundred reports, two kills, loopback only.

    python3 tests/api/crash_test.py [--clients 8] [--kills 2]
"""
import argparse
import http.client
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_postgres_database(url):
    """DATABASE_URL names a database on a server we may create databases on; returns the URL of a fresh one beside it."""
    parts = urllib.parse.urlsplit(url)
    psql = shutil.which("psql") or next(iter(sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin/psql"))), None)
    if not psql:
        sys.exit("crash test: DATABASE_URL is set but psql is not installed")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    for sql in ("DROP DATABASE IF EXISTS wangge_crash", "CREATE DATABASE wangge_crash"):
        subprocess.run([str(psql), admin, "-qc", sql], check=True, stdout=subprocess.DEVNULL)
    return urllib.parse.urlunsplit(parts._replace(path="/wangge_crash"))


class Server:
    def __init__(self, env, data):
        self.env, self.data, self.proc, self.runs = env, data, None, 0
        self.base = f"http://127.0.0.1:{env['PORT']}"

    def start(self, first):
        self.runs += 1
        log = open(os.path.join(self.data, f"server-{self.runs}.log"), "w")
        # The first start generates the county; later starts find it and serve the same database.
        args = ["demo", "--no-history"] if first else ["serve"]
        binary = os.environ.get("WANGGE_BIN") or str(ROOT / ".build/debug/wangge")
        self.proc = subprocess.Popen([binary] + args, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(1200):
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if self.proc.poll() is not None:
                sys.exit(f"crash test: the server stopped at start; see {log.name}")
            time.sleep(0.25)
        sys.exit("crash test: the server did not come up in 5 minutes")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def call(base, method, path, token=None, body=None, headers=None, timeout=30):
    h = dict(headers or {})
    if token:
        h["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    req = urllib.request.Request(base + path, method=method, data=data, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def sign_in(base):
    status, body = call(base, "POST", "/api/v1/auth/token", body={"username": "admin", "password": "wangge-demo"})
    assert status == 200, (status, body)
    return body["token"]


def oversized_body_is_refused_unread(base):
    """Announce 99 MB, send 64 KB, and expect 413 without the server waiting for the rest."""
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
    conn = http.client.HTTPConnection(host, port, timeout=20)
    conn.putrequest("POST", "/api/v1/cases")
    conn.putheader("Content-Type", "multipart/form-data; boundary=B")
    conn.putheader("Content-Length", str(99 * 1024 * 1024))
    conn.endheaders()
    t0 = time.time()
    try:
        conn.send(b"--B\r\n" + b"x" * 65536)
    except OSError:
        pass  # the server may have answered and closed already
    status = conn.getresponse().status
    conn.close()
    took = time.time() - t0
    print(f"crash test: 99 MB announced → {status} in {took:.2f} s")
    return status == 413 and took < 10


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--kills", type=int, default=2)
    args = ap.parse_args()

    data = tempfile.mkdtemp(prefix="wangge-crash-")
    env = dict(os.environ, DATA_DIR=data, PORT=str(free_port()), HOST="127.0.0.1", LOG_LEVEL="warning",
               REPORTS_PER_MINUTE="0", TRACKING_PER_MINUTE="0", SIGN_INS_PER_MINUTE="0")
    store = "SQLite"
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = fresh_postgres_database(os.environ["DATABASE_URL"])
        store = "PostgreSQL"
    server = Server(env, data)
    failures = []
    try:
        server.start(first=True)
        base = server.base
        if not oversized_body_is_refused_unread(base):
            failures.append("a 99 MB body was not refused with 413 at once")
        token = sign_in(base)
        grids = [a["code"] for a in call(base, "GET", "/api/v1/areas?level=grid", token)[1]["areas"]]
        categories = call(base, "GET", "/api/v1/categories")[1]["categories"]
        minors = [c["code"] for c in categories if c.get("parent_code") and not c.get("photo_required")]
        run = uuid.uuid4().hex[:10]

        reports = {}        # key → report body
        acknowledged = {}   # key → case id, answered before a kill
        lock = threading.Lock()

        def client(n, stop):
            i = 0
            while not stop.is_set():
                key = f"crash-{run}-{n}-{i}"
                i += 1
                body = {"category_code": minors[(n + i) % len(minors)], "area_code": grids[(n * 7 + i) % len(grids)],
                        "description": f"崩溃测试 {run} {key}", "reporter": {"name": "测试", "phone": "13800138000"}}
                with lock:
                    reports[key] = body
                try:
                    status, answer = call(base, "POST", "/api/v1/cases", body=body, headers={"Idempotency-Key": key}, timeout=10)
                except OSError:
                    return  # the server went away mid-request: this one is not acknowledged
                if status in (200, 201):
                    with lock:
                        acknowledged[key] = answer["id"]
                elif status != 503:
                    failures.append(f"report {key} answered {status} {answer}")
                    return

        for kill in range(args.kills):
            stop = threading.Event()
            threads = [threading.Thread(target=client, args=(n, stop)) for n in range(args.clients)]
            for t in threads:
                t.start()
            before = len(acknowledged)
            deadline = time.time() + 60
            while len(acknowledged) - before < 60 and time.time() < deadline:
                time.sleep(0.05)
            server.kill()  # mid-traffic: some requests are in flight
            stop.set()
            for t in threads:
                t.join(timeout=30)
            print(f"crash test: kill {kill + 1}: {len(acknowledged)} reports acknowledged of {len(reports)} sent so far")
            server.start(first=False)
            base = server.base
            token = sign_in(base)

        # Every acknowledged case is there, with its own words.
        for key, case_id in acknowledged.items():
            status, case = call(base, "GET", f"/api/v1/cases/{case_id}", token)
            if status != 200 or key not in case.get("description", ""):
                failures.append(f"acknowledged report {key} (case {case_id}) is missing after the restart: {status}")
        # Sending everything again: the acknowledged ones answer their case; the cut-off ones make one case each.
        resent = {}
        for key, body in reports.items():
            status, answer = call(base, "POST", "/api/v1/cases", body=body, headers={"Idempotency-Key": key})
            if status not in (200, 201):
                failures.append(f"resending {key} answered {status} {answer}")
                continue
            resent[key] = answer["id"]
            if key in acknowledged and answer["id"] != acknowledged[key]:
                failures.append(f"resending {key} made case {answer['id']}, not its case {acknowledged[key]}")
        # Exactly once: the run's cases, counted by the list API, are one per report; numbers are unique.
        codes, page = {}, 1
        while True:
            status, listing = call(base, "GET", f"/api/v1/cases?q={run}&per=200&page={page}", token)
            assert status == 200, (status, listing)
            for c in listing["cases"]:
                codes[c["id"]] = c["code"]
            if page * 200 >= listing["total"]:
                break
            page += 1
        if len(codes) != len(reports):
            failures.append(f"{len(reports)} reports, but {len(codes)} cases of this run are stored")
        if len(set(codes.values())) != len(codes):
            failures.append("two cases share a number")
        if set(codes) != set(resent.values()):
            failures.append("the stored cases are not the ones the reports answer")
        print(f"crash test on {store}: {len(reports)} reports, {len(acknowledged)} acknowledged before {args.kills} kills, "
              f"{len(codes)} cases stored, {len(failures)} failures")
    finally:
        server.stop()
        if not failures and not os.environ.get("WANGGE_KEEP"):
            shutil.rmtree(data, ignore_errors=True)
    for f in failures[:20]:
        print("  " + f)
    if failures:
        print(f"crash test: failed; server logs in {data}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
