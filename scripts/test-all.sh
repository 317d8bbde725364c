#!/usr/bin/env bash
# The one command that sets up a fresh machine and runs every test (README "Tests"; .ci/run calls it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
npm ci --no-audit --no-fund
npm run build
npm run typecheck
report="${TMPDIR:-/tmp}/gpaudit-vitest-report.json"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report"
# Under CI a skipped test is a failure unless .ci/allowed-skips.txt names it (issue 11).
if [ "${CI:-}" = true ]; then node scripts/check-skips.mjs "$report" .ci/allowed-skips.txt; fi
# The unit tests again on Node 22 (package.json engines says >=20): Node from the npm registry, better-sqlite3 built for it.
bash scripts/node22-unit.sh
