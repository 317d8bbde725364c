#!/usr/bin/env node
// `gpaudit settings --format json --jobs 1` cut into its phases, timed apart in one process (built modules): the
// walk, reading + detecting + parsing each unit, normalising, rendering the JSON. Shares, not a benchmark of record:
// the whole command is measured by bench/run.mjs.
//
//   node bench/phases.mjs [path...] [--rounds 3]   (default: the first 1,000 GPOs of the 5,000-GPO bench estate)
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 3;
const given = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds');
const estate = join(ROOT, 'bench', '.estate', 'gpos-5000-seed-gpaudit', 'backups');
const paths = given.length ? given.map((p) => resolve(p)) : readdirSync(estate).sort().slice(0, 1000).map((d) => join(estate, d));
const { walkInputs } = await import(join(ROOT, 'dist', 'pipeline', 'walk.js'));
const { readUnit } = await import(join(ROOT, 'dist', 'pipeline', 'read-unit.js'));
const { normaliseUnit } = await import(join(ROOT, 'dist', 'normalise', 'normalise.js'));
const { builtinCatalog } = await import(join(ROOT, 'dist', 'admx', 'load.js'));
const { settingsRenderer } = await import(join(ROOT, 'dist', 'reporters', 'settings-output.js'));
const catalog = builtinCatalog();
const render = settingsRenderer('json');
for (let r = 0; r < rounds; r++) {
  const ms = { walk: 0, readParse: 0, normalise: 0, renderJson: 0 };
  let t0 = performance.now();
  const units = [...walkInputs(paths, { cwd: ROOT })].filter((i) => !('problem' in i)).map((i) => i.unit);
  ms.walk = performance.now() - t0;
  let chars = 0;
  for (const u of units) {
    t0 = performance.now();
    const read = readUnit(u, {});
    const t1 = performance.now();
    const normalised = normaliseUnit(read, catalog);
    const t2 = performance.now();
    for (const s of render(normalised)) chars += s.length;
    ms.readParse += t1 - t0;
    ms.normalise += t2 - t1;
    ms.renderJson += performance.now() - t2;
  }
  console.log(JSON.stringify({ units: units.length, jsonMB: Math.round(chars / 1e6), ...Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v)])) }));
}
