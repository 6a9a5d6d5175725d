#!/usr/bin/env python3
"""Flood test (issue 17, finding 2): a demo server started with a 1,024-descriptor limit, on loopback, is flooded

  1. from one address (127.0.0.2) with 1,100 connections that each send only `GET /healthz HTTP/1.1\\r\\n`;
  2. from five addresses (127.0.0.3-7) with 256 such connections each (more than the server may hold in all);
  3. by one account opening 200 live-event streams.

Passes when the server never runs out of descriptors and stays up, a well-behaved client at 127.0.0.1 is answered
within 2 s during flood 1 and within the head deadline (+ a margin) during flood 2, and the account holds at most
its cap of streams. Prints descriptors, RSS and the time to a first answer for each, for the closing note.
Bounded: about a minute, loopback only.

    python3 tests/api/flood_test.py
"""
import json
import os
import pathlib
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
LIMIT = 1024


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descriptors(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1


def rss_mb(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return -1


def healthz(port, timeout=2.0):
    """Seconds to an answer from /healthz at 127.0.0.1, or None."""
    start = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = s.recv(64)
            if data.startswith(b"HTTP/1.1 200"):
                return time.monotonic() - start
    except OSError:
        pass
    return None


def first_answer(port, within):
    """Seconds until /healthz first answers, trying every 0.2 s for at most `within` seconds."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        if healthz(port, timeout=1.0) is not None:
            return time.monotonic() - start
        time.sleep(0.2)
    return None


def open_partial(port, source, count):
    socks = []
    for _ in range(count):
        s = socket.socket()
        s.bind((source, 0))
        s.settimeout(2)
        try:
            s.connect(("127.0.0.1", port))
            s.sendall(b"GET /healthz HTTP/1.1\r\n")
        except OSError:
            pass
        socks.append(s)
    return socks


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 16384), hard))  # the attacker needs more than the server
    data = tempfile.mkdtemp(prefix="wangge-flood-")
    port = free_port()
    env = dict(os.environ, DATA_DIR=data, PORT=str(port), HOST="127.0.0.1", LOG_LEVEL="warning",
               REPORTS_PER_MINUTE="0", SIGN_INS_PER_MINUTE="0")
    env.pop("DATABASE_URL", None)
    binary = os.environ.get("WANGGE_BIN") or str(ROOT / ".build/debug/wangge")
    log = open(os.path.join(data, "server.log"), "w")

    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (LIMIT, LIMIT))

    proc = subprocess.Popen([binary, "demo", "--no-history"], env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=limit)
    failures = []
    try:
        if first_answer(port, 300) is None:
            sys.exit("flood test: the server did not come up")
        base_fd, base_rss = descriptors(proc.pid), rss_mb(proc.pid)
        print(f"flood: server up with a {LIMIT}-descriptor limit: {base_fd} descriptors, RSS {base_rss:.0f} MB")

        # 1. One address, 1,100 half-sent heads.
        socks = open_partial(port, "127.0.0.2", 1100)
        time.sleep(0.5)
        fds, rss = descriptors(proc.pid), rss_mb(proc.pid)
        answers = [healthz(port) for _ in range(5)]
        worst = max((a for a in answers if a is not None), default=None)
        print(f"flood 1 (1,100 from one address): server {fds} descriptors, RSS {rss:.0f} MB; "
              f"/healthz answered {sum(a is not None for a in answers)}/5, slowest {worst * 1000 if worst else float('nan'):.1f} ms")
        if None in answers or worst > 2:
            failures.append("a well-behaved client was not answered within 2 s during flood 1")
        if fds >= LIMIT:
            failures.append(f"the server reached its descriptor limit ({fds})")
        for s in socks:
            s.close()
        time.sleep(0.5)

        # 2. Five addresses, 256 each: more than the server holds in all; the head deadline frees them.
        socks = []
        for i in range(3, 8):
            socks += open_partial(port, f"127.0.0.{i}", 256)
        time.sleep(0.3)
        fds = descriptors(proc.pid)
        waited = first_answer(port, 20)
        print(f"flood 2 (5 x 256 from five addresses): server {fds} descriptors; "
              f"/healthz first answered after {waited if waited is not None else float('nan'):.2f} s")
        if waited is None or waited > 13:
            failures.append("no answer within the head deadline during flood 2")
        if fds >= LIMIT:
            failures.append(f"the server reached its descriptor limit ({fds})")
        for s in socks:
            s.close()
        time.sleep(0.5)

        # 3. One account, 200 live streams.
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/auth/token", method="POST",
                                     data=json.dumps({"username": "gridworker", "password": os.environ.get("WANGGE_DEMO_PASSWORD", "wangge-demo")}).encode(),
                                     headers={"Content-Type": "application/json"})
        token = json.load(urllib.request.urlopen(req, timeout=10))["token"]
        before_rss = rss_mb(proc.pid)
        streams, statuses = [], {}
        for _ in range(200):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
            head = s.recv(64)
            code = head[9:12].decode(errors="replace")
            statuses[code] = statuses.get(code, 0) + 1
            streams.append(s)
        fds, rss = descriptors(proc.pid), rss_mb(proc.pid)
        during = healthz(port)
        print(f"flood 3 (200 live streams, one account): {statuses}; server {fds} descriptors, RSS {before_rss:.0f} -> {rss:.0f} MB; "
              f"/healthz {during * 1000 if during else float('nan'):.1f} ms")
        if statuses.get("200", 0) > 8:
            failures.append(f"one account held {statuses.get('200')} streams")
        for s in streams:
            s.close()
        time.sleep(1)
        print(f"flood: after the streams closed: {descriptors(proc.pid)} descriptors, RSS {rss_mb(proc.pid):.0f} MB")
        if proc.poll() is not None:
            failures.append("the server stopped")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(data, ignore_errors=True)
    if failures:
        print("flood test FAILED: " + "; ".join(failures))
        sys.exit(1)
    print("flood test: passed")


if __name__ == "__main__":
    main()
