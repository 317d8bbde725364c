#!/usr/bin/env bash
# The one command that sets up a fresh machine and runs every test (README "Tests"; .ci/run calls it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
npm ci --no-audit --no-fund
npm run build
npm run typecheck
npx vitest run
# The unit tests again on Node 22 (package.json engines says >=20): Node from the npm registry, better-sqlite3 built for it.
bash scripts/node22-unit.sh
