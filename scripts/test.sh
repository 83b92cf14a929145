#!/usr/bin/env bash
# Set up, then run lint and the whole test suite (CI runs exactly this).
# The browser test needs Debian's chromium; it is installed here when we can (root + apt),
# and the test skips with a message where it cannot be.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
    || echo "could not install chromium: the browser test will be skipped"
fi
.venv/bin/ruff check src tests dashboard.py benchmarks
.venv/bin/lint-imports
# Two or more workers (pytest-xdist), a test file at a time each, the longest files first (the order
# tests/conftest.py gives; xdist would otherwise start the files with the most tests first). At most 4
# workers: each loads spaCy, Streamlit and the models (about 0.8 GB). `bash scripts/test.sh -n 0` runs
# the suite in one process.
.venv/bin/python -m pytest -n auto --maxprocesses 4 --dist loadfile --no-loadscope-reorder "$@"
