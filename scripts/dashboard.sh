#!/usr/bin/env bash
# Set up, then open the dashboard. On first start it builds data/needs.duckdb from data/notes/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run dashboard.py "$@"
