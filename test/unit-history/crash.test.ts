// Crash safety: a child process writes runs in a loop and is killed with SIGKILL at random moments; after each
// kill the history must open, pass SQLite's integrity check, and hold every run either completed with all of
// its findings or not completed with none.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../bench/lib/rng.mjs';
import { openHistory } from '../../src/history/store.js';
import type { RunStatus } from '../../src/history/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '../..');
const FINDINGS_PER_RUN = 3000;
const ATTEMPTS = 8;
// The first half of the kills lands at a random moment in the child's first run(s); the second half waits
// for the child's first simulated failure (so three runs have completed before it) and then kills at a random
// moment. Waiting on events rather than the clock keeps the test meaningful on a slow, loaded machine.
const WINDOW_MS = 60;
// The kill delays come from a seeded generator: a failure prints its seed, and GPAUDIT_CRASH_SEED=<seed>
// replays the same delays (the moment each kill lands still depends on the machine's speed).
const SEED = process.env.GPAUDIT_CRASH_SEED?.trim() || String(Date.now() % 1_000_000_000);

let workDir: string;

// The child is plain Node (no TypeScript loader on Node 20), so it gets store.ts compiled to a temp folder
// whose node_modules points at the project's.
function compileStore(into: string): string {
  const source = readFileSync(join(projectRoot, 'src/history/store.ts'), 'utf8');
  const output = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const outDir = join(into, 'history');
  mkdirSync(outDir, { recursive: true });
  const storePath = join(outDir, 'store.js');
  writeFileSync(storePath, output.outputText);
  symlinkSync(join(projectRoot, 'node_modules'), join(into, 'node_modules'), 'dir');
  return storePath;
}

type ChildEvent = 'started' | 'completed' | 'failed';

interface KillReport {
  started: number[];
  completed: number[];
}

async function runAndKill(storePath: string, historyPath: string, trigger: ChildEvent, delayMs: number): Promise<KillReport> {
  const child = spawn(process.execPath, [join(here, 'crash-writer.mjs'), storePath, historyPath, String(FINDINGS_PER_RUN)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const report: KillReport = { started: [], completed: [] };
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const triggered = new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`child reported no '${trigger}' within 20 s; stderr: ${stderr}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [event, id] = line.split(' ');
        if (event === 'started') report.started.push(Number(id));
        if (event === 'completed') report.completed.push(Number(id));
        if (event === trigger) {
          clearTimeout(timer);
          done();
        }
      }
    });
    child.on('exit', () => fail(new Error(`child exited before '${trigger}'; stderr: ${stderr}`)));
  });
  await triggered;
  await new Promise((wait) => setTimeout(wait, delayMs));
  child.kill('SIGKILL');
  // Waiting for 'exit' also reaps the child, so its pid reads as gone when the history checks it.
  await exited;
  return report;
}

function integrityCheck(historyPath: string): unknown[] {
  const db = new Database(historyPath, { readonly: true });
  try {
    return db.prepare('PRAGMA integrity_check').pluck().all();
  } finally {
    db.close();
  }
}

describe('history survives a writer killed at any moment', () => {
  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'gpaudit-history-crash-'));
  });
  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it(`stays readable and consistent across ${ATTEMPTS} SIGKILLs`, async () => {
    const storePath = compileStore(workDir);
    const historyPath = join(workDir, 'history.sqlite');
    const seen: Partial<Record<RunStatus, number>> = {};
    const delays: number[] = [];
    const rng = createRng(SEED);

    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const trigger: ChildEvent = attempt < ATTEMPTS / 2 ? 'started' : 'failed';
      const delay = Math.floor(rng.next() * WINDOW_MS * (1 + (attempt % (ATTEMPTS / 2))));
      delays.push(delay);
      const report = await runAndKill(storePath, historyPath, trigger, delay).catch((error: unknown) => {
        throw new Error(`GPAUDIT_CRASH_SEED=${SEED}: attempt ${attempt}: ${error instanceof Error ? error.message : String(error)}`);
      });
      const context = `GPAUDIT_CRASH_SEED=${SEED}: attempt ${attempt}, killed ${delay} ms after the first '${trigger}' (delays so far ${delays.join(', ')})`;

      expect(integrityCheck(historyPath), context).toEqual(['ok']);
      const history = openHistory(historyPath);
      try {
        const runs = history.listRuns({ limit: 10_000 });
        const ids = new Set(runs.map((run) => run.id));
        for (const id of report.started) expect(ids.has(id), `${context}: run ${id} was started`).toBe(true);

        for (const summary of runs) {
          const run = history.showRun(summary.id);
          expect(run, context).toBeDefined();
          if (!run) continue;
          if (run.status === 'completed') {
            expect(run.counts, context).toEqual({ scanned: FINDINGS_PER_RUN, findings: FINDINGS_PER_RUN, bySeverity: { high: FINDINGS_PER_RUN } });
            expect(run.findings.length, `${context}: run ${run.id}`).toBe(FINDINGS_PER_RUN);
            expect(run.findings[0]?.fingerprint).toBe('fp-0');
            expect(run.findings.at(-1)?.fingerprint).toBe(`fp-${FINDINGS_PER_RUN - 1}`);
            expect(run.findings.at(-1)?.message).toBe(`finding ${FINDINGS_PER_RUN - 1} of run ${run.id}`);
          } else {
            expect(['failed', 'interrupted'], `${context}: run ${run.id}`).toContain(run.status);
            expect(run.findings, `${context}: run ${run.id}`).toEqual([]);
          }
        }
        // Every run the child reported completed must have stayed so: a committed run is never lost.
        for (const id of report.completed) expect(history.showRun(id)?.status, context).toBe('completed');

        const base = history.lastCompletedRun({ baseDn: 'DC=example,DC=test' });
        const newestCompleted = runs.find((run) => run.status === 'completed');
        expect(base?.id, context).toBe(newestCompleted?.id);

        if (attempt === ATTEMPTS - 1) {
          for (const run of runs) seen[run.status] = (seen[run.status] ?? 0) + 1;
        }
      } finally {
        history.close();
      }
    }

    // The test must be able to tell a real crash from none: the kills have to have left interrupted runs,
    // and the later, longer-lived children must have completed runs and hit the simulated failures.
    const replay = `GPAUDIT_CRASH_SEED=${SEED} (delays ${delays.join(', ')})`;
    expect(seen.running, replay).toBeUndefined();
    expect(seen.interrupted, replay).toBeGreaterThanOrEqual(1);
    expect(seen.completed, replay).toBeGreaterThanOrEqual(3 * (ATTEMPTS / 2));
    expect(seen.failed, replay).toBeGreaterThanOrEqual(ATTEMPTS / 2);
  }, 60_000);
});
