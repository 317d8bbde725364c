#!/usr/bin/env node
import { constants } from 'node:os';
import { run } from './run.js';

// The only place that touches process exit state: everything else returns an exit code.

// A reader that stops reading (`gpaudit settings exports/ | head`) closes the pipe: the output is not wanted any
// more, so gpaudit stops at once and quietly, with 0, as the command it was piped into decided.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
// Stopped (Ctrl-C, `systemctl stop`, a closed terminal): undo what the run registered (temporary report files,
// the folder a directory scan sorts its findings in), then exit as the signal would have: 128 + its number.
const cleanups = new Set<() => void>();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    for (const cleanup of cleanups) cleanup();
    process.exit(128 + constants.signals[signal]);
  });
}
const onStop = (cleanup: () => void) => {
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
};
run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, onStop }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`gpaudit: internal error: ${err instanceof Error ? err.message : String(err)} (please report this)\n`);
    if (process.env.GPAUDIT_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    process.exitCode = 2;
  },
);
