#!/usr/bin/env node
// The walk alone (src/pipeline/walk.ts, built): how long listing an estate into units takes, best of --rounds. The
// walk runs in the main thread and feeds the worker pool, so its time is never hidden by more jobs.
//
//   node bench/walk.mjs [folder] [--rounds 5] [--walk dist/pipeline/walk.js]   (default: the 5,000-GPO bench estate)
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const folder = args[0] && !args[0].startsWith('--') ? resolve(args[0]) : join(ROOT, 'bench', '.estate', 'gpos-5000-seed-gpaudit', 'backups');
const { walkInputs } = await import(pathToFileURL(resolve(option('--walk', join(ROOT, 'dist', 'pipeline', 'walk.js')))).href);
const times = [];
let files = 0;
let units = 0;
for (let r = 0; r < Number(option('--rounds', 5)); r++) {
  const t = performance.now();
  files = 0;
  units = 0;
  for (const item of walkInputs([folder], { cwd: ROOT })) {
    if ('problem' in item) continue;
    units++;
    files += item.unit.files.length;
  }
  times.push(performance.now() - t);
}
console.log(JSON.stringify({ folder, units, files, ms: times.map((t) => Math.round(t)), bestMs: Math.round(Math.min(...times)) }));
