#!/usr/bin/env bash
# API checks that need a running server (tests/api), each against a throwaway demo server it starts on loopback:
#   * schemathesis over /api/openapi.yaml: no server errors, every answer as the document says;
#   * the flood test: connection floods from one and from several addresses, and a flood of live streams, against a
#     server with a 1,024-descriptor limit;
#   * the Open311 test: /open311/v2 driven by unmodified GeoReport v2 clients from PyPI (georeport, civicbot) and
#     the spec's example calls, answers checked against the open311/schema-validation JSON Schemas, keys made and
#     revoked with `wangge apikey`;
#   * the crash test: reports keep arriving while the server is killed and restarted; nothing acknowledged is lost
#     or doubled, and a retry with the same Idempotency-Key answers the same case.
# On SQLite by default; the crash test uses PostgreSQL when DATABASE_URL is set. Installs schemathesis and the Open311
# clients when missing.
#
#   bash scripts/api-check.sh              both
#   bash scripts/api-check.sh crash        only the crash test
#   API_EXAMPLES=N                         schemathesis examples per operation and phase (default 25)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${WANGGE_BIN:-}" ] && [ ! -x .build/debug/wangge ]; then
    echo "== building the server"
    swift build --product wangge
fi

if [ "${1:-}" != "crash" ]; then
    if ! python3 -c 'import schemathesis' 2>/dev/null || ! command -v schemathesis >/dev/null; then
        echo "== installing schemathesis"
        python3 -m pip install -q "schemathesis==4.32.5"
    fi
    echo "== schemathesis (SQLite)"
    env -u DATABASE_URL python3 tests/api/schemathesis_run.py --examples "${API_EXAMPLES:-25}"
    echo "== flood test (a 1,024-descriptor limit; SQLite)"
    env -u DATABASE_URL python3 tests/api/flood_test.py
    if ! python3 -c 'import georeport, civicbot, jsonschema, referencing, xmltodict
assert georeport.__version__ == "0.3.1" and civicbot.__version__ == "0.4.0"' 2>/dev/null; then
        echo "== installing the Open311 clients"
        python3 -m pip install -q "georeport==0.3.1" "civicbot==0.4.0" "jsonschema>=4.18" "xmltodict"
    fi
    echo "== Open311 test (georeport, civicbot, the open311 JSON Schemas; SQLite)"
    env -u DATABASE_URL python3 tests/api/open311_test.py
fi

if [ -n "${DATABASE_URL:-}" ]; then echo "== crash test (PostgreSQL)"; else echo "== crash test (SQLite)"; fi
python3 tests/api/crash_test.py
