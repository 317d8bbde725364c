import { PassThrough } from 'node:stream';
import { run } from '../../src/cli/run.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Run the gpaudit CLI in-process, as `bin` would, capturing its output; `env` is set for the run only. */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const started = Date.now();
  try {
    const code = await run(args, { stdout: out, stderr: err });
    return { code, stdout, stderr, ms: Date.now() - started };
  } finally {
    process.env = saved;
  }
}
