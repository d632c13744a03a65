#!/usr/bin/env bash
# Set up, then lint, type-check and run the test suite (slow tests included; spark excluded).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/ruff check src tests bench scripts
.venv/bin/ruff format --check src tests bench scripts
.venv/bin/mypy
.venv/bin/python -m pytest -q -m "not spark" "$@"
