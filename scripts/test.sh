#!/usr/bin/env bash
# The whole test suite: once on SQLite, then once on PostgreSQL (a throwaway server on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests

echo "== OpenAPI document"
python3 scripts/check_openapi.py

echo "== tests on SQLite"
env -u DATABASE_URL swift test --skip-build
bash scripts/browser-test.sh
bash scripts/api-check.sh

echo "== tests on PostgreSQL"
# shellcheck source=scripts/postgres-test-server.sh
source scripts/postgres-test-server.sh
swift test --skip-build
bash scripts/api-check.sh crash
