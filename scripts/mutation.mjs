// npm run mutation [-- engine rules parsers]: Stryker on each folder in turn (see stryker.config.mjs), then one
// table of mutation scores per folder from the JSON reports. Incremental: a rerun retests only what changed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const parts = process.argv.slice(2).length ? process.argv.slice(2) : ['engine', 'rules', 'parsers'];
for (const part of parts) {
  console.log(`\n== mutation testing: src/${part} ==`);
  const run = spawnSync('npx', ['stryker', 'run'], { stdio: 'inherit', env: { ...process.env, GPAUDIT_MUTATION_PART: part } });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

/** Stryker's own definition: detected (killed, timed out) over valid (all but compile errors and ignored). */
console.log('\nfolder    mutants  killed  timeout  survived  no-coverage  ignored  score');
for (const part of parts) {
  const file = `reports/mutation/${part}.json`;
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const count = {};
  for (const f of Object.values(report.files)) for (const m of f.mutants) count[m.status] = (count[m.status] ?? 0) + 1;
  const n = (s) => count[s] ?? 0;
  const valid = Object.values(count).reduce((a, b) => a + b, 0) - n('CompileError') - n('RuntimeError') - n('Ignored');
  const score = (100 * (n('Killed') + n('Timeout'))) / valid;
  console.log(
    [part.padEnd(8), String(valid + n('Ignored')).padStart(7), String(n('Killed')).padStart(7), String(n('Timeout')).padStart(8),
      String(n('Survived')).padStart(9), String(n('NoCoverage')).padStart(12), String(n('Ignored')).padStart(8), `${score.toFixed(1)} %`.padStart(8)].join(' '),
  );
}
