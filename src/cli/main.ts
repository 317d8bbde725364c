#!/usr/bin/env node
import { run } from './run.js';

// The only place that touches process exit state: everything else returns an exit code.

// A reader that stops reading (`gpaudit settings exports/ | head`) closes the pipe: the output is not wanted any
// more, so gpaudit stops at once and quietly, with 0, as the command it was piped into decided.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`gpaudit: internal error: ${err instanceof Error ? err.message : String(err)} (please report this)\n`);
    if (process.env.GPAUDIT_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    process.exitCode = 2;
  },
);
