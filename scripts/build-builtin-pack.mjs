#!/usr/bin/env node
// After tsc (npm run build): writes dist/rules/builtin-pack.json, the built-in rules.yaml parsed, validated and with
// its rules' keys located, so a start of gpaudit reads JSON instead of loading the YAML parser and validating the pack
// (src/rules/builtin-snapshot.ts says when it is used: only while rules.yaml is byte for byte what it was made from).
// A pack with errors gets no snapshot: gpaudit then parses it at each start and reports the errors as ever.
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { builtinSnapshot } = await import(join(ROOT, 'dist', 'rules', 'load.js'));
const { SNAPSHOT_URL } = await import(join(ROOT, 'dist', 'rules', 'builtin-snapshot.js'));
const out = fileURLToPath(SNAPSHOT_URL);
const snapshot = builtinSnapshot();
if (snapshot) {
  writeFileSync(out, `${JSON.stringify(snapshot)}\n`);
  process.stderr.write(`${relative(process.cwd(), out)} written (${Object.keys(snapshot.known).length} rules)\n`);
} else {
  rmSync(out, { force: true });
  process.stderr.write('rules.yaml has errors (see `gpaudit rules validate rules.yaml`): no snapshot; gpaudit parses it at each start\n');
}
