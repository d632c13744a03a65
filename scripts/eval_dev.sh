#!/usr/bin/env bash
# Score cyberveille on the four dev sets in ../shared/eval; writes out/eval-dev.json and
# docs/eval-dev.md (the table the README shows).
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL=${EVAL_DIR:-../shared/eval}
.venv/bin/cyberveille eval "$EVAL"/seeds.jsonl "$EVAL"/eurepoc.jsonl "$EVAL"/casie.jsonl "$EVAL"/annoctr.jsonl \
  --json out/eval-dev.json --markdown docs/eval-dev.md
