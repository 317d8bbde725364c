// The worker pool (`--jobs`, src/pipeline/read-estate-pool.ts): whatever the number of jobs, the output is the
// same bytes, findings and problems in the same order. Workers load built JavaScript, so these tests run the build
// (dist/, made by the test command before vitest): the CLI as a child process, the library by import from dist/.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCorpus, REALDATA } from './helpers/realdata.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const SAMPLES = join(ROOT, 'samples');

/** The built module at dist/<path>, as a user of the library would load it. */
async function built<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(join(ROOT, 'dist', path)).href)) as T;
}

function gpaudit(args: string[], cwd = ROOT): { code: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

const digest = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

interface PoolModule {
  readEstateInPool: (
    paths: string[],
    options: Record<string, unknown>,
    task: unknown,
    onResult: (r: string[]) => void,
  ) => Promise<{ summary: Record<string, number>; problems: unknown[]; outcomes: unknown[]; workers: number; unitsInWorkers: number }>;
  POOL_AFTER_MS: number;
}

/** The settings JSON parts and the bookkeeping of one read with the library; by default every unit goes to a worker. */
async function readWithJobs(paths: string[], jobs: number, extra: Record<string, unknown> = {}) {
  const { readEstateInPool } = await built<PoolModule>('pipeline/read-estate-pool.js');
  const { settingsUnitTask } = await built<{ settingsUnitTask: (f: string) => unknown }>('reporters/settings-unit-task.js');
  const { builtinCatalog } = await built<{ builtinCatalog: () => unknown }>('admx/load.js');
  const parts: string[] = [];
  let units = 0;
  const read = await readEstateInPool(paths, { catalog: builtinCatalog(), cwd: ROOT, jobs, poolAfterMs: 0, ...extra }, settingsUnitTask('json'), (r) => {
    units++;
    parts.push(...r);
  });
  return { parts, read, units };
}

beforeAll(() => {
  expect(existsSync(CLI), 'run `npm run build` first').toBe(true);
});

describe('worker pool: the library', () => {
  it('reads samples/ in workers with the same parts, outcomes, problems and counts as one thread', async () => {
    const one = await readWithJobs([SAMPLES], 1);
    expect(one.read.workers).toBe(0);
    expect(one.units).toBe(21);
    expect(one.parts.length).toBeGreaterThan(10);
    for (const jobs of [2, 3]) {
      const many = await readWithJobs([SAMPLES], jobs);
      expect(many.read.workers).toBe(jobs);
      expect(many.read.unitsInWorkers).toBe(one.units);
      expect(many.parts).toEqual(one.parts);
      expect(many.read.outcomes).toEqual(one.read.outcomes);
      expect(many.read.problems).toEqual(one.read.problems);
      expect(many.read.summary).toEqual(one.read.summary);
    }
  });

  it('starts no worker for a run that is over before a worker could start (one file)', async () => {
    const { readEstateInPool, POOL_AFTER_MS } = await built<PoolModule>('pipeline/read-estate-pool.js');
    const { settingsUnitTask } = await built<{ settingsUnitTask: (f: string) => unknown }>('reporters/settings-unit-task.js');
    const { builtinCatalog } = await built<{ builtinCatalog: () => unknown }>('admx/load.js');
    expect(POOL_AFTER_MS).toBeGreaterThan(0);
    const one = join(SAMPLES, 'clean', 'gpo-report', 'All-GPOs.xml');
    const read = await readEstateInPool([one], { catalog: builtinCatalog(), cwd: ROOT, jobs: 4 }, settingsUnitTask('json'), () => {});
    expect(read.summary.gpos).toBeGreaterThan(1);
    expect(read.workers).toBe(0);
  });

  it('audits samples/broken in workers with the same findings, in the same order, as runAudit', async () => {
    const { runAudit, runAuditInPool } = await built<{ runAudit: (p: string[], o: unknown) => unknown; runAuditInPool: (p: string[], o: unknown) => Promise<unknown> }>('audit/run-audit.js');
    const { loadRuleSet } = await built<{ loadRuleSet: (f: string[]) => { ruleSet?: { rules: unknown[] } } }>('rules/load.js');
    const { builtinCatalog } = await built<{ builtinCatalog: () => unknown }>('admx/load.js');
    const { toAuditOutput } = await built<{ toAuditOutput: (r: unknown) => unknown }>('reporters/audit-json.js');
    const { toSarif } = await built<{ toSarif: (r: unknown) => unknown }>('reporters/sarif.js');
    const rules = loadRuleSet([join(ROOT, 'rules.yaml')]).ruleSet!.rules;
    const options = { rules, catalog: builtinCatalog(), failOn: 'low', waivers: [], today: '2026-12-03', cwd: ROOT, root: '.', version: 'test' };
    for (const input of [join(SAMPLES, 'broken'), SAMPLES]) {
      const one = runAudit([input], options);
      const oneJson = JSON.stringify(toAuditOutput(one));
      const output = toAuditOutput(one) as { findings: unknown[] };
      expect(output.findings.length).toBeGreaterThan(10);
      for (const jobs of [2, 3]) {
        const many = await runAuditInPool([input], { ...options, jobs, poolAfterMs: 0 });
        expect(JSON.stringify(toAuditOutput(many))).toBe(oneJson);
        expect(JSON.stringify(toSarif(many))).toBe(JSON.stringify(toSarif(one)));
      }
    }
  });

  it('keeps the place of inputs the walk or the read could not take (FIFO, dangling link, truncated file) among the units', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-pool-'));
    try {
      const reports = join(SAMPLES, 'broken', 'gpo-report');
      const names = ['WorkSpaces-Logon.xml', 'All-GPOs.xml'].filter((n) => existsSync(join(reports, n)));
      expect(names.length).toBeGreaterThan(0);
      for (let i = 0; i < 24; i++) {
        mkdirSync(join(dir, `d${String(i).padStart(2, '0')}`));
        copyFileSync(join(reports, names[i % names.length]!), join(dir, `d${String(i).padStart(2, '0')}`, 'report.xml'));
      }
      spawnSync('mkfifo', [join(dir, 'd05', 'pipe')]);
      symlinkSync(join(dir, 'nowhere'), join(dir, 'd11', 'gone.xml'));
      writeFileSync(join(dir, 'd17', 'cut.xml'), readFileSync(join(reports, names[0]!)).subarray(0, 700));
      const one = await readWithJobs([dir], 1);
      const many = await readWithJobs([dir], 2);
      expect(many.read.workers).toBe(2);
      expect(many.read.unitsInWorkers).toBe(many.units);
      const files = (r: typeof one) => (r.read.problems as { file: string }[]).map((p) => p.file);
      expect(files(one).some((f) => f.includes('pipe'))).toBe(true);
      expect(files(one).some((f) => f.includes('gone.xml'))).toBe(true);
      expect(files(one).some((f) => f.includes('cut.xml'))).toBe(true);
      expect(many.read.problems).toEqual(one.read.problems);
      expect(many.read.outcomes).toEqual(one.read.outcomes);
      expect(many.parts).toEqual(one.parts);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failure inside a worker fails the run with its message, and no worker is left running', async () => {
    const { readEstateInPool } = await built<PoolModule>('pipeline/read-estate-pool.js');
    const { builtinCatalog } = await built<{ builtinCatalog: () => unknown }>('admx/load.js');
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-pool-task-'));
    try {
      const module = join(dir, 'throwing-task.mjs');
      writeFileSync(module, "export function createUnitTask() { return (unit) => { throw new Error(`task failed on ${unit.display}`); }; }\n");
      const task = { module: pathToFileURL(module).href, init: {}, create: () => () => [] };
      const before = process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
      await expect(readEstateInPool([SAMPLES], { catalog: builtinCatalog(), cwd: ROOT, jobs: 2, poolAfterMs: 0 }, task, () => {})).rejects.toThrow(/^task failed on samples/);
      expect(process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('worker pool: the command line', () => {
  it.each([
    ['settings', '--format', 'json'],
    ['settings', '--format', 'text'],
    ['audit', '--format', 'json'],
    ['audit', '--format', 'sarif'],
  ])('%s %s %s on samples/ is the same bytes with --jobs 1, 2 and the default', (...args) => {
    const runs = ['1', '2', undefined].map((jobs) => gpaudit([...args, 'samples', ...(jobs ? ['--jobs', jobs] : [])]));
    expect(runs[0]!.stdout.length).toBeGreaterThan(1000);
    for (const r of runs) expect(r.code).toBe(runs[0]!.code);
    for (const r of runs) expect(digest(r.stdout)).toBe(digest(runs[0]!.stdout));
  });

  it.each([['0'], ['-1'], ['1.5'], ['many'], ['257']])('--jobs %s is a usage error (exit 2) naming the option', (value) => {
    const r = gpaudit(['settings', 'samples', '--jobs', value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--jobs/);
    expect(r.stderr).toMatch(/expected a whole number from 1 to 256/);
    expect(r.stdout.length).toBe(0);
  });
});

describeCorpus('worker pool on the real corpus', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'gpaudit-pool-corpus-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('reads the corpus in workers with the same parts and problems as one thread', async () => {
    const one = await readWithJobs([REALDATA], 1);
    const many = await readWithJobs([REALDATA], 2);
    expect(one.read.summary.gpos).toBeGreaterThan(50);
    expect(many.read.workers).toBe(2);
    expect(many.read.unitsInWorkers).toBe(many.units);
    expect(many.read.problems).toEqual(one.read.problems);
    expect(many.read.summary).toEqual(one.read.summary);
    expect(digest(many.parts.join('\n'))).toBe(digest(one.parts.join('\n')));
  }, 120_000);

  it('with the default start (this thread first, workers once ready) the result is the same, however the units were shared', async () => {
    // How many units the workers take depends on how fast they start: the result must not.
    const one = await readWithJobs([REALDATA], 1);
    const mixed = await readWithJobs([REALDATA], 2, { poolAfterMs: undefined });
    expect(mixed.read.unitsInWorkers).toBeLessThanOrEqual(mixed.units);
    expect(mixed.read.problems).toEqual(one.read.problems);
    expect(mixed.read.summary).toEqual(one.read.summary);
    expect(digest(mixed.parts.join('\n'))).toBe(digest(one.parts.join('\n')));
  }, 120_000);

  it.each([
    ['settings', 'json'],
    ['audit', 'json'],
    ['audit', 'sarif'],
  ])('%s --format %s over the corpus is the same bytes with --jobs 1 and 2', (command, format) => {
    const files = ['1', '2'].map((jobs) => {
      const out = join(scratch, `${command}-${format}-${jobs}`);
      const r = gpaudit([command, REALDATA, '--format', format, '--jobs', jobs, '-o', out]);
      expect(r.code, r.stderr).not.toBeNull();
      expect(r.code).not.toBe(3);
      return { code: r.code, bytes: readFileSync(out) };
    });
    expect(files[0]!.bytes.length).toBeGreaterThan(100_000);
    expect(files[1]!.code).toBe(files[0]!.code);
    expect(digest(files[1]!.bytes)).toBe(digest(files[0]!.bytes));
  }, 120_000);

  it('a catalogue from --admx is rebuilt in each worker: the same audit with --jobs 1 and 2', () => {
    const admx = join(REALDATA, 'cloudcap10__stig-group-policy-objects', 'ADMX Templates', 'Microsoft');
    expect(existsSync(admx)).toBe(true);
    const runs = ['1', '2'].map((jobs) => gpaudit(['settings', REALDATA, '--admx', admx, '--format', 'json', '--jobs', jobs]));
    expect(runs[0]!.stdout.length).toBeGreaterThan(100_000);
    expect(runs[0]!.stdout.toString()).toContain('SecGuide');
    expect(digest(runs[1]!.stdout)).toBe(digest(runs[0]!.stdout));
  }, 120_000);
});
