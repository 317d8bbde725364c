// Two scheduled scans that overlap on one history file: the second waits for the first's write lock (SQLite's busy
// timeout) and goes on when it is released; past the timeout it refuses with one line naming the file. Neither
// corrupts the file. The first scan is a real second process: a child holding a write transaction open.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_BUSY_TIMEOUT_MS, HistoryError, openHistory } from '../../src/history/store.js';
import type { RunStart } from '../../src/history/types.js';
import { cli } from '../helpers/cli.js';

const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
let dir: string;
let path: string;
const children: ChildProcess[] = [];

const START: RunStart = {
  server: 'ldaps://dc1.example.test',
  baseDn: 'DC=example,DC=test',
  startedAt: new Date('2026-03-01T02:00:00.000Z'),
  gpauditVersion: '0.1.0',
  options: {},
};

/** Two completed runs, so there is something to lose. */
function seed(): void {
  const h = openHistory(path);
  for (let i = 0; i < 2; i++) {
    const id = h.startRun(START);
    h.completeRun(id, {
      endedAt: new Date('2026-03-01T02:00:01.000Z'),
      counts: { scanned: 2, findings: 2, bySeverity: { high: 2 } },
      findings: [0, 1].map((n) => ({ ruleId: 'R', severity: 'high' as const, message: `finding ${n}`, fingerprint: `fp-${n}` })),
    });
  }
  h.close();
}

/**
 * A child process that takes the history's write lock (BEGIN IMMEDIATE, one insert) and holds it until `releaseAfterMs`
 * has passed (then commits) or, without it, until it is killed (then SQLite rolls the transaction back).
 */
function holdWriteLock(releaseAfterMs?: number): Promise<ChildProcess> {
  const script = `
    import Database from 'better-sqlite3';
    const db = new Database(process.argv[1]);
    db.exec("BEGIN IMMEDIATE");
    db.prepare("INSERT INTO runs (status, server, base_dn, base_dn_key, started_at, gpaudit_version, options_json, host, pid) VALUES ('failed', 'ldaps://other', 'DC=example,DC=test', 'dc=example,dc=test', '2026-03-01T03:00:00.000Z', 'holder', '{}', 'h', 1)").run();
    process.stdout.write('locked\\n');
    const release = Number(process.argv[2]);
    if (release > 0) setTimeout(() => { db.exec("COMMIT"); db.close(); }, release);
    else setInterval(() => {}, 60_000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, path, String(releaseAfterMs ?? 0)], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done, fail) => {
    child.stdout?.once('data', () => done(child));
    child.once('exit', (code) => fail(new Error(`lock holder exited with ${code}: ${stderr}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGKILL');
  });
}

function integrityCheck(): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('PRAGMA integrity_check').pluck().all();
  } finally {
    db.close();
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gpaudit-history-lock-'));
  path = join(dir, 'history.sqlite');
  seed();
});

afterEach(async () => {
  await Promise.all(children.splice(0).map(kill));
  rmSync(dir, { recursive: true, force: true });
});

describe('two scans on one history file', () => {
  it('the second waits for the first to commit, then records its run', async () => {
    const holder = await holdWriteLock(700);
    const h = openHistory(path);
    try {
      const started = Date.now();
      const id = h.startRun(START); // blocks in SQLite's busy handler until the child commits
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
      expect(Date.now() - started).toBeLessThan(HISTORY_BUSY_TIMEOUT_MS);
      h.failRun(id, { endedAt: new Date(), error: 'second scan' });
      expect(h.listRuns().map((r) => [r.id, r.status])).toEqual([
        [4, 'failed'],
        [3, 'failed'],
        [2, 'completed'],
        [1, 'completed'],
      ]);
    } finally {
      h.close();
      await kill(holder);
    }
    expect(integrityCheck()).toEqual(['ok']);
  });

  it('past the busy timeout the store refuses with a HistoryError naming the file', async () => {
    const holder = await holdWriteLock();
    const h = openHistory(path, { name: 'scans.sqlite', busyTimeoutMs: 300 });
    try {
      const started = Date.now();
      let error: unknown;
      try {
        h.startRun(START);
      } catch (caught) {
        error = caught;
      }
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(error).toBeInstanceOf(HistoryError);
      expect((error as HistoryError).code).toBe('busy');
      expect((error as HistoryError).message).toBe(
        'scan history scans.sqlite is locked: another gpaudit scan is writing to it (waited 300 ms); run this scan again when that one has finished',
      );
    } finally {
      h.close();
      await kill(holder);
    }
  });

  it('gpaudit ldap scan refuses in bounded time with one line, exit 2; the history stays whole', async () => {
    const holder = await holdWriteLock();
    const name = relative(process.cwd(), path);
    // Listing still works while a scan writes (WAL: readers never wait for the writer).
    const list = await cli(['ldap', 'history', name]);
    expect(list.code).toBe(0);
    expect(list.stdout.match(/completed/g)).toHaveLength(2);

    const r = await cli(['ldap', 'scan', '--url', 'ldaps://127.0.0.1:1', '--bind-dn', 'a@example.test', '--history', name], { GPAUDIT_LDAP_PASSWORD: 'x' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `gpaudit: scan history ${name} is locked: another gpaudit scan is writing to it (waited 5 s); run this scan again when that one has finished\n`,
    );
    expect(r.ms).toBeGreaterThanOrEqual(HISTORY_BUSY_TIMEOUT_MS - 100);
    expect(r.ms).toBeLessThan(HISTORY_BUSY_TIMEOUT_MS + 5_000);

    await kill(holder); // its transaction is rolled back
    expect(integrityCheck()).toEqual(['ok']);
    const h = openHistory(path, { readOnly: true });
    try {
      // The refused scan recorded nothing, the killed holder's insert was rolled back, the earlier runs are whole.
      expect(h.listRuns().map((run) => [run.id, run.status])).toEqual([
        [2, 'completed'],
        [1, 'completed'],
      ]);
      expect(h.showRun(1)?.findings.map((f) => f.fingerprint)).toEqual(['fp-0', 'fp-1']);
    } finally {
      h.close();
    }
  });
});
