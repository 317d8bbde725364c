#!/usr/bin/env bash
# README "main command": install, build, and audit the bundled samples.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --silent
npm run build --silent
set +e
node dist/cli/main.js audit samples
code=$?
set -e
# Exit 1 only says findings were found: samples/broken trips every rule on purpose. 2 would be a real failure.
echo "gpaudit exited $code (1 = findings at or above --fail-on, as expected for samples/broken)"
[ "$code" -le 1 ]
