#!/usr/bin/env node
import { run } from './run.js';

// The only place that touches process exit state: everything else returns an exit code.
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
