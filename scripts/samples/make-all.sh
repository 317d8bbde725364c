#!/usr/bin/env bash
# Regenerates every file under samples/ that is generated (the rest are hand-written). Needs python3 and node.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 scripts/samples/reports.py samples
python3 scripts/samples/rsop.py samples
node scripts/samples/pol.mjs
python3 scripts/samples/folders.py samples
