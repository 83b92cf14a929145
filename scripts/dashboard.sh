#!/usr/bin/env bash
# Set up, then serve the dashboard (`needs-tracker dashboard`: the packaged app, the same one a
# pip-installed copy runs). On first start it builds data/needs.duckdb from the bundled notes.
# Options: --port N, --host H, --db FILE, --snapshot DIR; Streamlit's own after `--`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/needs-tracker dashboard "$@"
