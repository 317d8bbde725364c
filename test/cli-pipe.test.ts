// `gpaudit … | head`: the reader closes the pipe early. gpaudit must stop quietly, not print a stack trace.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

// `-o /dev/null` in a benchmark, run as root, once replaced /dev/null with a regular file: the report was written
// beside the target and renamed over it. A device, pipe or socket is written in place; a FIFO stands in for them.
describe('-o naming a pipe', () => {
  it.each([['audit', 'samples/broken', '--format', 'json'], ['settings', 'samples/clean']])('%s %s … -o FIFO writes into the pipe and leaves it a pipe', async (...args) => {
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-fifo-'));
    const fifo = join(dir, 'report');
    execFileSync('mkfifo', [fifo]);
    const reader = new Promise<string>((done, fail) => {
      const r = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      r.stdout.on('data', (d) => (out += d));
      r.on('error', fail);
      r.on('close', () => done(out));
    });
    const run = spawnSync(process.execPath, [CLI, ...args, '-o', fifo], { cwd: ROOT, encoding: 'utf8' });
    const report = await reader;
    expect(run.stderr).not.toMatch(/at .*\.js:\d+|internal error/);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['report']);
    const direct = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
    expect(report).toBe(direct.stdout);
    expect(report.length).toBeGreaterThan(100);
    expect(run.status).toBe(direct.status);
  });
});
