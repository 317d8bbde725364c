// `gpaudit … | head`: the reader closes the pipe early. gpaudit must stop quietly, not print a stack trace.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeCorpus, REALDATA } from './helpers/realdata.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** Runs the built CLI, reads its first chunk of output and closes the pipe, as `| head -1` does. */
function readFirstChunkThenClose(args: string[]): Promise<{ code: number | null; first: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', (d) => {
      first = String(d);
      child.stdout.destroy();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, first, stderr }));
  });
}

const cases = (root: string) => [
  ['settings', root, '--jobs', '1'],
  ['settings', root, '--jobs', '2'],
  ['settings', root, '--format', 'json', '--jobs', '2'],
];

describe('output piped into a reader that stops early', () => {
  it.each(cases(join(ROOT, 'samples')))('%s samples/ %s %s … ends quietly with 0', async (...args) => {
    const r = await readFirstChunkThenClose(args);
    expect(r.first.length).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/EPIPE|at .*\.js:\d+|internal error/);
    expect(r.code).toBe(0);
  });
});

describeCorpus('output piped into a reader that stops early, on the real corpus', () => {
  it.each(cases(REALDATA))('%s <corpus> %s %s … ends quietly with 0', async (...args) => {
    const r = await readFirstChunkThenClose(args);
    expect(r.first.length).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/EPIPE|at .*\.js:\d+|internal error/);
    expect(r.code).toBe(0);
  }, 60_000);
});
