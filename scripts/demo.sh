#!/usr/bin/env bash
# Set up, then run the main job on the bundled examples: prints the incidents and leaves
# out/cyberveille.sqlite and out/cyberveille.stix.json on disk.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mkdir -p out
DB=out/cyberveille.sqlite
# a fresh store each time: the demo shows what this version extracts, not an older run's
rm -f "$DB" "$DB-wal" "$DB-shm"
.venv/bin/cyberveille run examples/ --db "$DB" --no-progress
.venv/bin/cyberveille incidents --db "$DB" --details
.venv/bin/cyberveille export stix -o out/cyberveille.stix.json --db "$DB"
echo "database: $DB"
