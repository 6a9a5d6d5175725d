#!/usr/bin/env bash
# Browser tests (tests/browser): headless Chromium through Selenium against a throwaway demo server that the tests
# start themselves (fresh DATA_DIR, free port). Installs Chromium, its driver, Selenium and axe-selenium-python
# (axe-core for the accessibility audit) when they are missing.
#
#   bash scripts/browser-test.sh            all of them
#   bash scripts/browser-test.sh -k worker  only tests whose name matches (unittest -k)
#
# WANGGE_BIN=path uses another server binary; WANGGE_BROWSER_KEEP=1 keeps the server's data directory and log.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    echo "== installing chromium and chromium-driver"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi
if ! python3 -c 'import selenium' 2>/dev/null; then
    echo "== installing selenium"
    python3 -m pip install -q selenium
fi
if ! python3 -c 'import axe_selenium_python' 2>/dev/null; then
    # axe-core (axe.min.js) for the accessibility audit (test_6), shipped inside this PyPI package: no CDN.
    echo "== installing axe-selenium-python"
    python3 -m pip install -q axe-selenium-python
fi
if [ -z "${WANGGE_BIN:-}" ] && [ ! -x .build/debug/wangge ]; then
    echo "== building the server"
    swift build --product wangge
fi

echo "== browser tests"
python3 - "$@" <<'EOF'
import sys
import unittest

argv = sys.argv[1:]
loader = unittest.TestLoader()
if len(argv) >= 2 and argv[0] == "-k":
    loader.testNamePatterns = ["*%s*" % argv[1]]
suite = loader.discover("tests/browser", top_level_dir="tests/browser")
result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
skipped = len(result.skipped)
passed = result.testsRun - failed - skipped
for test, reason in result.skipped:
    print(f"skipped: {test.id()}: {reason}")
for test, _ in result.failures + result.errors:
    print(f"failed: {test.id()}")
print(f"browser: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
EOF
