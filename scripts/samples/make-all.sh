#!/usr/bin/env bash
# `npm run samples`: regenerates every generated file under samples/ (the hand-written ones are listed in
# scripts/samples/samples.ts). Needs only node and the project's devDependencies: the generator is TypeScript,
# and Node 20 cannot run TypeScript nor is tsx installed, so the project's own tsc compiles it (with the test
# helpers it imports, type-checked) into a temporary folder, node runs it there, and the folder is removed.
# test/samples.test.ts checks that samples/ is exactly what the generator writes.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
node_modules/.bin/tsc -p scripts/samples/tsconfig.json --outDir "$out"
echo '{ "type": "module" }' >"$out/package.json"
node "$out/scripts/samples/main.js" samples
