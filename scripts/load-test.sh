#!/usr/bin/env bash
# Traffic as users send it, against a running release server on loopback (see docs/ARCHITECTURE.md for figures):
#   intake at random points (anonymous, then signed in) and at one hot spot, 16 connections, with wrk.
# Usage: bash scripts/load-test.sh BASE_URL DATA_DIR [SECONDS]
#   BASE_URL  e.g. http://127.0.0.1:8080 (the server must run with REPORTS_PER_MINUTE=0 for the anonymous run)
#   DATA_DIR  the server's data folder (its SQLite file gives the points: the demo's own cases, all inside grids)
# Installs wrk from Debian's packages when missing. Loopback only; each run is bounded by SECONDS (default 20).
set -euo pipefail
base=${1:?BASE_URL}; data=${2:?DATA_DIR}; secs=${3:-20}
cd "$(dirname "$0")"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
command -v wrk >/dev/null || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
case "$base" in http://127.0.0.1:*|http://localhost:*) ;; *) echo "loopback only"; exit 2;; esac
points=$(mktemp)
python3 - "$data/wangge.sqlite" "$points" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT lat, lon FROM cases WHERE lat IS NOT NULL ORDER BY random() LIMIT 5000").fetchall()
open(sys.argv[2], "w").write("".join(f"{a} {b}\n" for a, b in rows))
PY
category=$(python3 -c "
import json,urllib.request
c=json.load(urllib.request.urlopen('$base/api/v1/categories'))['categories']
print(next(x['code'] for x in c if x.get('parent_code') and not x.get('photo_required')))")
token=$(curl -s -X POST "$base/api/v1/auth/token" -H 'Content-Type: application/json' -d '{"username":"gridworker","password":"wangge-demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
run() { echo "== $1"; shift; env POINTS="$points" CATEGORY="$category" "$@" wrk -t4 -c16 -d"${secs}s" -s wrk/report.lua "$base" | grep -E "Requests/sec|requests|Latency" || true; }
run "intake, anonymous, random points"
run "intake, signed in (grid worker), random points" TOKEN="$token"
echo "== the hot spot: 5,000 open reports at one point first"
env POINTS="$points" CATEGORY="$category" HOT=1 wrk -t2 -c8 -d60s -s wrk/report.lua "$base" >/dev/null &
pid=$!
python3 - "$data/wangge.sqlite" "$(head -1 "$points")" <<'PY'
import sqlite3, sys, time
lat, lon = sys.argv[2].split()
db = sqlite3.connect(sys.argv[1])
for _ in range(600):
    n = db.execute("SELECT COUNT(*) FROM cases WHERE lat = ? AND lon = ? AND state = 'reported'", (float(lat), float(lon))).fetchone()[0]
    if n >= 5000: break
    time.sleep(0.1)
print(f"   {n} open reports at the spot")
PY
kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
run "intake, anonymous, all at the hot spot" HOT=1
curl -s -X POST "$base/api/v1/cases" -H 'Content-Type: application/json' \
  -d "{\"category_code\":\"$category\",\"description\":\"热点\",\"lat\":$(head -1 "$points" | cut -d' ' -f1),\"lon\":$(head -1 "$points" | cut -d' ' -f2)}" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); n=len(d["likely_duplicates"]); c=d["likely_duplicate_count"]; m="+" if d["likely_duplicate_count_capped"] else ""; print("   one answer at the spot: %d bytes, %d named, %d%s in all" % (len(json.dumps(d)), n, c, m))'
rm -f "$points"
