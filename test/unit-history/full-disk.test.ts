// A full disk during a history write, on a small tmpfs the test mounts (root only): the write fails with one line
// naming the file, the run is recorded failed or left unfinished (never completed, never with part of its
// findings), and the runs before it stay whole. Without root (or without mount) the file is skipped, saying why.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HistoryError, openHistory } from '../../src/history/store.js';
import type { RecordableFinding, RunStart } from '../../src/history/types.js';
import { cli } from '../helpers/cli.js';

let mountPoint = '';
let cannotMount: string | undefined;

function tryMount(): void {
  mountPoint = mkdtempSync(join(tmpdir(), 'gpaudit-full-disk-'));
  if (process.getuid?.() !== 0) {
    cannotMount = 'mounting a small tmpfs needs root';
    return;
  }
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { stdio: 'pipe' });
  } catch (error) {
    cannotMount = `mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  }
}

beforeAll(() => {
  tryMount();
  if (cannotMount) console.warn(`full-disk history tests skipped: ${cannotMount}`);
});

afterAll(() => {
  if (!cannotMount) execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

const path = () => join(mountPoint, 'history.sqlite');
const filler = () => join(mountPoint, 'filler');

const START: RunStart = {
  server: 'ldaps://dc1.example.test',
  baseDn: 'DC=example,DC=test',
  startedAt: new Date('2026-03-01T02:00:00.000Z'),
  gpauditVersion: '0.1.0',
  options: {},
};

function findings(count: number, runId: number): RecordableFinding[] {
  return Array.from({ length: count }, (_, i) => ({ ruleId: 'R', severity: 'high' as const, message: `finding ${i} of run ${runId}`, fingerprint: `fp-${i}` }));
}

function completed(count: number, runId: number) {
  return { endedAt: new Date('2026-03-01T02:00:01.000Z'), counts: { scanned: count, findings: count, bySeverity: { high: count } }, findings: findings(count, runId) };
}

/** Two completed runs of five findings each. */
function seed(): void {
  const h = openHistory(path());
  for (let i = 0; i < 2; i++) {
    const id = h.startRun(START);
    h.completeRun(id, completed(5, id));
  }
  h.close();
}

/** Writes until the file system says ENOSPC, 1 KiB at a time, so not even one SQLite page fits afterwards. */
function fillDisk(): void {
  const fd = openSync(filler(), 'a');
  const chunk = Buffer.alloc(1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

function expectEarlierRunsWhole(): void {
  const db = new Database(path(), { readonly: true });
  try {
    expect(db.prepare('PRAGMA integrity_check').pluck().all()).toEqual(['ok']);
  } finally {
    db.close();
  }
  const h = openHistory(path(), { readOnly: true });
  try {
    for (const id of [1, 2]) {
      const run = h.showRun(id);
      expect(run?.status).toBe('completed');
      expect(run?.findings.map((f) => f.message)).toEqual(findings(5, id).map((f) => f.message));
    }
  } finally {
    h.close();
  }
}

describe('a full disk during a history write', () => {
  beforeEach((context) => {
    if (cannotMount) context.skip(cannotMount);
    seed();
  });
  afterEach(() => {
    if (cannotMount) return;
    for (const name of ['filler', 'history.sqlite', 'history.sqlite-wal', 'history.sqlite-shm']) rmSync(join(mountPoint, name), { force: true });
  });

  it('completing a run fails with one line; the run is not completed and has no findings; earlier runs stay whole', () => {
    const h = openHistory(path(), { name: 'scans.sqlite' });
    let runId = 0;
    try {
      runId = h.startRun(START);
      fillDisk();
      let error: unknown;
      try {
        h.completeRun(runId, completed(3000, runId));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(HistoryError);
      expect((error as HistoryError).code).toBe('disk-full');
      expect((error as HistoryError).message).toBe('cannot write scan history scans.sqlite: the disk is full; free some space (earlier runs are kept)');
      // What a scan does next (src/audit/run-directory-scan.ts): try to record the run failed. With not one
      // page free that fails too, in the same words, and the run stays unfinished (`ldap history` shows it
      // interrupted once the process has gone).
      try {
        h.failRun(runId, { endedAt: new Date(), error: (error as Error).message });
      } catch (caught) {
        expect((caught as HistoryError).code).toBe('disk-full');
      }
    } finally {
      h.close();
    }
    expectEarlierRunsWhole();
    const raw = new Database(path(), { readonly: true });
    try {
      expect(['running', 'failed']).toContain(raw.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId));
      expect(raw.prepare('SELECT count(*) FROM findings WHERE run_id = ?').pluck().get(runId)).toBe(0);
    } finally {
      raw.close();
    }

    // Once space is freed the history takes runs again.
    rmSync(filler());
    const again = openHistory(path());
    try {
      const id = again.startRun(START);
      again.completeRun(id, completed(100, id));
      expect(again.showRun(id)?.findings).toHaveLength(100);
    } finally {
      again.close();
    }
  });

  it('gpaudit ldap scan on a full disk: one line, exit 2, nothing recorded, earlier runs whole', async () => {
    fillDisk();
    const name = relative(process.cwd(), path());
    const r = await cli(['ldap', 'scan', '--url', 'ldaps://127.0.0.1:1', '--bind-dn', 'a@example.test', '--history', name], { GPAUDIT_LDAP_PASSWORD: 'x' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`gpaudit: cannot write scan history ${name}: the disk is full; free some space (earlier runs are kept)\n`);
    rmSync(filler());
    expectEarlierRunsWhole();
    const h = openHistory(path(), { readOnly: true });
    try {
      expect(h.listRuns().map((run) => run.id)).toEqual([2, 1]);
    } finally {
      h.close();
    }
  });
});
