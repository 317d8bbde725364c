// Loaded with `node --import` into a `gpaudit ldap scan --history` run the scale rig measures: wraps the history
// store's methods (dist/history/store.js, the same module instance the CLI loads) to time each call, announces on
// stderr when completeRun begins (so the crash test can kill the process inside that transaction), and on exit
// writes the times to the file named by GPAUDIT_BENCH_HISTORY_TIMES. gpaudit's code is not changed.
import { writeFileSync } from 'node:fs';

const target = process.env.GPAUDIT_BENCH_HISTORY_TIMES;
const storeUrl = process.env.GPAUDIT_BENCH_HISTORY_STORE;
if (storeUrl) {
  const { History } = await import(storeUrl);
  const times = {};
  for (const name of ['startRun', 'lastCompletedRun', 'diff', 'diffRuns', 'completeRun', 'failRun', 'close']) {
    const original = History.prototype[name];
    History.prototype[name] = function timed(...args) {
      if (name === 'completeRun') process.stderr.write(`gpaudit-bench: completeRun begins at ${performance.now().toFixed(0)} ms with ${args[1]?.counts?.findings} findings\n`);
      const t0 = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const entry = (times[name] ??= { calls: 0, ms: 0, endedAtMs: 0 });
        entry.calls++;
        entry.ms += performance.now() - t0;
        entry.endedAtMs = performance.now();
      }
    };
  }
  if (target) process.on('exit', () => writeFileSync(target, JSON.stringify({ times, exitAtMs: performance.now() })));
}
