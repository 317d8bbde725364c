import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDiff, formatRun, formatRunList } from '../../src/history/format.js';
import {
  HISTORY_APPLICATION_ID,
  HISTORY_SCHEMA_VERSION,
  baseDnKey,
  openHistory,
  type History,
} from '../../src/history/store.js';
import type { RecordableFinding, RunStart } from '../../src/history/types.js';
import type { Finding } from '../../src/model/findings.js';
import { errorOf, rawUpdate } from '../helpers/history.js';

let dir: string;
let path: string;
const open: History[] = [];

function history(file = path): History {
  const opened = openHistory(file);
  open.push(opened);
  return opened;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gpaudit-history-'));
  path = join(dir, 'history.sqlite');
});

afterEach(() => {
  for (const h of open.splice(0)) {
    try {
      h.close();
    } catch {
      // already closed by the test
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

const BASE_DN = 'DC=example,DC=test';
const DC1 = 'ldaps://dc1.example.test:636';

function start(overrides: Partial<RunStart> = {}): RunStart {
  return {
    server: DC1,
    baseDn: BASE_DN,
    startedAt: new Date('2026-03-01T02:00:00.000Z'),
    gpauditVersion: '0.1.0',
    options: { pageSize: 500 },
    ...overrides,
  };
}

function finding(fingerprint: string, overrides: Partial<RecordableFinding> = {}): RecordableFinding {
  return {
    ruleId: 'LDAP-SHELL',
    title: 'Login shell set',
    severity: 'high',
    message: `user ${fingerprint} has a login shell`,
    fingerprint,
    subject: { dn: `CN=${fingerprint},OU=Staff,${BASE_DN}`, sAMAccountName: fingerprint },
    ...overrides,
  };
}

function complete(h: History, runId: number, findings: RecordableFinding[], endedAt = '2026-03-01T02:01:05.000Z'): void {
  h.completeRun(runId, {
    endedAt: new Date(endedAt),
    counts: { scanned: 40, findings: findings.length, bySeverity: { high: findings.length } },
    findings,
  });
}

function completedRun(h: History, findings: RecordableFinding[], overrides: Partial<RunStart> = {}): number {
  const runId = h.startRun(start(overrides));
  complete(h, runId, findings);
  return runId;
}


// A pid that certainly belonged to a process and certainly no longer does.
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not spawn node');
  return child.pid;
}

describe('openHistory on a new file', () => {
  it('creates the schema, stamps application id and schema version, and uses WAL', () => {
    history().close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('application_id', { simple: true })).toBe(HISTORY_APPLICATION_ID);
      expect(db.pragma('user_version', { simple: true })).toBe(HISTORY_SCHEMA_VERSION);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).pluck().all();
      expect(tables).toEqual(['findings', 'runs']);
    } finally {
      db.close();
    }
  });

  it('turns a zero-byte file into a history', () => {
    writeFileSync(path, '');
    const h = history();
    expect(h.listRuns()).toEqual([]);
    expect(statSync(path).size).toBeGreaterThan(0);
  });

  it('opens an existing history again with its runs', () => {
    const h = history();
    const runId = completedRun(h, [finding('alice')]);
    h.close();
    expect(history().showRun(runId)?.findings.map((f) => f.fingerprint)).toEqual(['alice']);
  });
});

describe('recording runs', () => {
  it('starts, completes and shows a run with everything needed to print it later', () => {
    const h = history();
    const runId = h.startRun(start());
    expect(runId).toBe(1);
    expect(h.showRun(runId)).toEqual({
      id: 1,
      status: 'running',
      server: DC1,
      baseDn: BASE_DN,
      startedAt: '2026-03-01T02:00:00.000Z',
      gpauditVersion: '0.1.0',
      options: { pageSize: 500 },
      findings: [],
    });

    h.completeRun(runId, {
      endedAt: new Date('2026-03-01T02:01:05.000Z'),
      counts: { scanned: 40, findings: 2, bySeverity: { high: 1, low: 1 } },
      findings: [finding('alice'), finding('bob', { severity: 'low', ruleId: 'LDAP-MAIL', title: undefined, subject: { dn: 'CN=bob,DC=example,DC=test' } })],
    });
    expect(h.showRun(runId)).toEqual({
      id: 1,
      status: 'completed',
      server: DC1,
      baseDn: BASE_DN,
      startedAt: '2026-03-01T02:00:00.000Z',
      endedAt: '2026-03-01T02:01:05.000Z',
      gpauditVersion: '0.1.0',
      options: { pageSize: 500 },
      counts: { scanned: 40, findings: 2, bySeverity: { high: 1, low: 1 } },
      findings: [
        {
          ruleId: 'LDAP-SHELL',
          title: 'Login shell set',
          severity: 'high',
          message: 'user alice has a login shell',
          fingerprint: 'alice',
          subject: { dn: 'CN=alice,OU=Staff,DC=example,DC=test', sAMAccountName: 'alice' },
        },
        {
          ruleId: 'LDAP-MAIL',
          severity: 'low',
          message: 'user bob has a login shell',
          fingerprint: 'bob',
          subject: { dn: 'CN=bob,DC=example,DC=test' },
        },
      ],
    });
  });

  it('accepts model Findings as they are', () => {
    const h = history();
    const modelFinding: Finding = {
      ruleId: 'R1',
      title: 'T',
      severity: 'medium',
      tags: ['x'],
      message: 'm',
      locations: [],
      fingerprint: 'f1',
    };
    const runId = completedRun(h, [modelFinding]);
    expect(h.showRun(runId)?.findings).toEqual([{ ruleId: 'R1', title: 'T', severity: 'medium', message: 'm', fingerprint: 'f1' }]);
  });

  it('records a failed run with its error and no findings', () => {
    const h = history();
    const runId = h.startRun(start());
    h.failRun(runId, { endedAt: new Date('2026-03-01T02:00:09.000Z'), error: 'bind failed: invalid credentials' });
    const run = h.showRun(runId);
    expect(run?.status).toBe('failed');
    expect(run?.endedAt).toBe('2026-03-01T02:00:09.000Z');
    expect(run?.error).toBe('bind failed: invalid credentials');
    expect(run?.counts).toBeUndefined();
    expect(run?.findings).toEqual([]);
  });

  it('refuses to finish a run twice or a run that does not exist', () => {
    const h = history();
    const runId = completedRun(h, [finding('alice')]);
    const again = errorOf(() => complete(h, runId, [finding('bob')]));
    expect(again.code).toBe('run-not-running');
    expect(again.message).toBe('cannot complete run 1: it is already completed');
    expect(h.showRun(runId)?.findings.map((f) => f.fingerprint)).toEqual(['alice']);
    expect(errorOf(() => h.failRun(runId, { endedAt: new Date(), error: 'x' })).code).toBe('run-not-running');
    expect(errorOf(() => complete(h, 99, [])).code).toBe('unknown-run');
    expect(h.showRun(99)).toBeUndefined();
  });

  it('rejects an invalid date without writing', () => {
    const h = history();
    expect(errorOf(() => h.startRun(start({ startedAt: new Date('not a date') }))).code).toBe('invalid-input');
    expect(h.listRuns()).toEqual([]);
  });

  it('lists runs newest first, honouring the limit and a base DN filter', () => {
    const h = history();
    completedRun(h, [finding('alice')]);
    const failed = h.startRun(start());
    h.failRun(failed, { endedAt: new Date('2026-03-01T02:00:03.000Z'), error: 'timeout' });
    completedRun(h, [], { baseDn: 'DC=other,DC=test' });
    expect(h.listRuns().map((run) => [run.id, run.status, run.baseDn])).toEqual([
      [3, 'completed', 'DC=other,DC=test'],
      [2, 'failed', BASE_DN],
      [1, 'completed', BASE_DN],
    ]);
    expect(h.listRuns({ limit: 1 }).map((run) => run.id)).toEqual([3]);
    expect(h.listRuns({ baseDn: 'dc=EXAMPLE, dc=test' }).map((run) => run.id)).toEqual([2, 1]);
    expect(errorOf(() => h.listRuns({ limit: 0 })).code).toBe('invalid-input');
  });
});

describe('interrupted runs', () => {
  it('reports a run whose writer died as interrupted, and a live own run as running', () => {
    const h = history();
    const own = h.startRun(start());
    const orphan = h.startRun(start());
    rawUpdate(path, 'UPDATE runs SET pid = ? WHERE id = ?', deadPid(), orphan);
    const byId = new Map(h.listRuns().map((run) => [run.id, run]));
    expect(byId.get(own)?.status).toBe('running');
    expect(byId.get(orphan)?.status).toBe('interrupted');
    expect(byId.get(orphan)?.endedAt).toBeUndefined();
  });

  it('reads a run left running by this process but another handle as running while the process lives', () => {
    const writer = history();
    const runId = writer.startRun(start());
    writer.close();
    expect(history().showRun(runId)?.status).toBe('running');
  });

  it('reports a running run from another host as interrupted', () => {
    const h = history();
    const runId = h.startRun(start());
    rawUpdate(path, `UPDATE runs SET host = 'some-other-host' WHERE id = ?`, runId);
    h.close();
    expect(history().showRun(runId)?.status).toBe('interrupted');
  });
});

describe('the comparison base', () => {
  it('is the newest completed run, never a failed or interrupted one', () => {
    const h = history();
    const good = completedRun(h, [finding('alice')]);
    const failed = h.startRun(start());
    h.failRun(failed, { endedAt: new Date(), error: 'lost connection' });
    const orphan = h.startRun(start());
    rawUpdate(path, 'UPDATE runs SET pid = ? WHERE id = ?', deadPid(), orphan);
    const current = h.startRun(start());

    expect(h.lastCompletedRun({ baseDn: BASE_DN })?.id).toBe(good);
    expect(h.lastCompletedRun({ baseDn: BASE_DN, before: current })?.id).toBe(good);
    expect(errorOf(() => h.diff(failed, [])).code).toBe('run-not-completed');
    expect(errorOf(() => h.diff(orphan, [])).message).toBe(
      'run 3 is interrupted, not completed; only a completed run can be compared with',
    );
  });

  it('matches the base DN case- and space-insensitively, and the server only when asked', () => {
    const h = history();
    const onDc1 = completedRun(h, [finding('alice')]);
    const onDc2 = completedRun(h, [finding('alice')], { server: 'ldaps://dc2.example.test:636' });
    completedRun(h, [finding('zed')], { baseDn: 'DC=other,DC=test' });
    expect(h.lastCompletedRun({ baseDn: 'dc=Example, DC=TEST' })?.id).toBe(onDc2);
    expect(h.lastCompletedRun({ baseDn: BASE_DN, server: 'LDAPS://DC1.example.test:636' })?.id).toBe(onDc1);
    expect(h.lastCompletedRun({ baseDn: BASE_DN, before: onDc2 })?.id).toBe(onDc1);
    expect(h.lastCompletedRun({ baseDn: 'DC=nowhere,DC=test' })).toBeUndefined();
  });

  it('normalises DNs without splitting escaped commas', () => {
    expect(baseDnKey(' OU=Sales\\, EMEA , DC=Example,DC=test ')).toBe('ou=sales\\, emea,dc=example,dc=test');
  });
});

describe('diff', () => {
  it('splits findings into new, resolved and unchanged by fingerprint', () => {
    const h = history();
    const base = completedRun(h, [finding('alice'), finding('bob'), finding('carol')]);
    const current = [finding('bob'), finding('carol', { message: 'reworded' }), finding('dave')];
    const diff = h.diff(base, current);
    expect(diff.baseRunId).toBe(base);
    expect(diff.new).toEqual([current[2]]);
    expect(diff.resolved).toEqual([
      {
        ruleId: 'LDAP-SHELL',
        title: 'Login shell set',
        severity: 'high',
        message: 'user alice has a login shell',
        fingerprint: 'alice',
        subject: { dn: 'CN=alice,OU=Staff,DC=example,DC=test', sAMAccountName: 'alice' },
      },
    ]);
    expect(diff.unchanged).toBe(2);
  });

  it('lists resolved findings in the base run’s order, duplicates included, whether few or many are resolved', () => {
    const h = history();
    // Past 1,000 resolved fingerprints the store reads the run's rows once instead of looking each one up.
    for (const count of [3, 1_500]) {
      const names = Array.from({ length: count }, (_, i) => `user${String(count - i).padStart(5, '0')}`);
      const stored = [...names.map((name) => finding(name)), finding('kept'), finding(names[1] as string, { message: 'again' })];
      const base = completedRun(h, stored);
      const diff = h.diff(base, [finding('kept'), finding('new')]);
      const expected = stored.filter((f) => f.fingerprint !== 'kept').map(({ ruleId, title, severity, message, fingerprint, subject }) => ({ ruleId, title, severity, message, fingerprint, subject }));
      expect(diff.resolved).toEqual(expected);
      expect(diff.new).toEqual([finding('new')]);
      expect(diff.unchanged).toBe(1);
    }
  });

  it('counts everything as new when there is no base', () => {
    const h = history();
    const diff = h.diff(undefined, [finding('alice')]);
    expect(diff).toEqual({ new: [finding('alice')], resolved: [], unchanged: 0 });
  });

  it('keeps the caller’s finding type', () => {
    const h = history();
    const base = completedRun(h, []);
    const modelFindings: Finding[] = [
      { ruleId: 'R', title: 'T', severity: 'info', tags: [], message: 'm', locations: [], fingerprint: 'x' },
    ];
    const diff = h.diff(base, modelFindings);
    expect(diff.new[0]?.tags).toEqual([]);
  });
});

describe('files that are not a gpaudit history', () => {
  function expectRefused(code: string, messagePart: string): void {
    const before = readFileSync(path);
    const error = errorOf(() => history());
    expect(error.code).toBe(code);
    expect(error.message).toContain(path);
    expect(error.message).toContain(messagePart);
    // Refusing must not touch the file.
    expect(readFileSync(path).equals(before)).toBe(true);
  }

  it('refuses random bytes', () => {
    let seed = 12345;
    const bytes = Buffer.alloc(8192, 0).map(() => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed >> 16;
    });
    writeFileSync(path, bytes);
    expectRefused('not-sqlite', 'is not a gpaudit history: it is not an SQLite database');
  });

  it('refuses a text file', () => {
    writeFileSync(path, 'server,baseDn\ndc1,DC=example,DC=test\n'.repeat(200));
    expectRefused('not-sqlite', 'not an SQLite database');
  });

  it('refuses an SQLite database with other tables', () => {
    const other = new Database(path);
    other.exec(`CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);`);
    other.close();
    expectRefused('foreign', 'is an SQLite database but not a gpaudit history');
  });

  it('refuses an SQLite database of another application even with our table names', () => {
    const other = new Database(path);
    other.exec('CREATE TABLE runs (id INTEGER PRIMARY KEY); CREATE TABLE findings (run_id INTEGER);');
    other.pragma('application_id = 1234');
    other.close();
    expectRefused('foreign', 'not a gpaudit history');
  });

  it('refuses a history written by a newer schema', () => {
    history().close();
    rawUpdate(path, 'PRAGMA user_version = 99');
    const error = errorOf(() => history());
    expect(error.code).toBe('newer-schema');
    expect(error.message).toBe(
      `${path} is a gpaudit history of schema version 99, newer than this gpaudit understands (1); upgrade gpaudit`,
    );
  });

  it('refuses a damaged history', () => {
    const h = history();
    completedRun(h, Array.from({ length: 2000 }, (_, i) => finding(`user${i}`)));
    h.close();
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    expect(bytes.length).toBeGreaterThan(pageSize * 10);
    // Overwrite a page in the middle of the findings table.
    bytes.fill(0xa5, pageSize * 6, pageSize * 7);
    writeFileSync(path, bytes);
    expectRefused('corrupt', 'damaged');
  });

  it('refuses a truncated history', () => {
    const h = history();
    completedRun(h, Array.from({ length: 2000 }, (_, i) => finding(`user${i}`)));
    h.close();
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectRefused('corrupt', 'damaged');
  });

  it('reports a path it cannot open', () => {
    const error = errorOf(() => history(join(dir, 'missing-folder', 'history.sqlite')));
    expect(error.code).toBe('cannot-open');
    expect(error.message).toContain('cannot open scan history');
  });

  it('says why a file cannot be opened, naming it as the caller asks, in one line', () => {
    const missing = errorOf(() => openHistory(join(dir, 'nosuch.sqlite'), { readOnly: true, name: 'nosuch.sqlite' }));
    expect(missing.code).toBe('cannot-open');
    expect(missing.message).toBe("cannot open scan history nosuch.sqlite: no such file (a history is created by 'gpaudit ldap scan --history FILE')");
    const folder = errorOf(() => openHistory(dir, { readOnly: true, name: 'runs' }));
    expect(folder.code).toBe('cannot-open');
    expect(folder.message).toBe("cannot open scan history runs: it is a directory; give the history file in it (a history is created by 'gpaudit ldap scan --history FILE')");
    expect(errorOf(() => history(dir)).message).toBe(`cannot open scan history ${dir}: it is a directory; give a file name, e.g. history.sqlite in it`);
    expect(errorOf(() => history(join(dir, 'no-folder', 'h.sqlite'))).message).toBe(
      `cannot open scan history ${join(dir, 'no-folder', 'h.sqlite')}: no such directory ${join(dir, 'no-folder')}; create it or give another path`,
    );
    writeFileSync(join(dir, 'file'), 'x');
    expect(errorOf(() => history(join(dir, 'file', 'h.sqlite'))).message).toBe(
      `cannot open scan history ${join(dir, 'file', 'h.sqlite')}: a part of the path is a file, not a directory`,
    );
    for (const error of [missing, folder]) expect(error.message).not.toContain('\n');
  });

  it('says what to do with a file that is not SQLite, or empty, when reading', () => {
    writeFileSync(path, '# README\n\nNot a database.\n');
    const text = errorOf(() => openHistory(path, { readOnly: true, name: 'README.md' }));
    expect(text.code).toBe('not-sqlite');
    expect(text.message).toBe("README.md is not a gpaudit history: it is not an SQLite database (a history is created by 'gpaudit ldap scan --history FILE')");
    expect(errorOf(() => history()).message).toBe(
      `${path} is not a gpaudit history: it is not an SQLite database (refusing to write to it: give a new file name or an existing history)`,
    );
    writeFileSync(path, '');
    expect(errorOf(() => openHistory(path, { readOnly: true, name: 'empty.sqlite' })).message).toBe(
      "empty.sqlite is empty, not a gpaudit history (a history is created by 'gpaudit ldap scan --history FILE')",
    );
  });

  it('read-only: needs an existing history and creates nothing', () => {
    expect(errorOf(() => openHistory(path, { readOnly: true })).code).toBe('cannot-open');
    writeFileSync(path, '');
    expect(errorOf(() => openHistory(path, { readOnly: true })).code).toBe('foreign');
    expect(statSync(path).size).toBe(0);
    rmSync(path);
    const writer = history();
    completedRun(writer, [finding('alice')]);
    const reader = openHistory(path, { readOnly: true });
    open.push(reader);
    expect(reader.listRuns().map((run) => run.status)).toEqual(['completed']);
  });
});

describe('plain-text views', () => {
  it('formats the run list', () => {
    const h = history();
    completedRun(h, [finding('alice'), finding('bob', { severity: 'low' })]);
    const failed = h.startRun(start({ startedAt: new Date('2026-03-02T02:00:00.000Z') }));
    h.failRun(failed, { endedAt: new Date('2026-03-02T02:00:09.000Z'), error: 'bind failed' });
    rawUpdate(path, `UPDATE runs SET by_severity_json = '{"high":1,"low":1}' WHERE id = 1`);
    expect(formatRunList(h.listRuns())).toBe(
      [
        'RUN  STATUS     STARTED                   DURATION  SERVER                        BASE DN             SCANNED  FINDINGS',
        '2    failed     2026-03-02T02:00:00.000Z  9s        ldaps://dc1.example.test:636  DC=example,DC=test  -        failed: bind failed',
        '1    completed  2026-03-01T02:00:00.000Z  1m 5s     ldaps://dc1.example.test:636  DC=example,DC=test  40       2 (1 high, 1 low)',
        '',
      ].join('\n'),
    );
    expect(formatRunList([])).toBe('No runs recorded.\n');
  });

  it('formats one run with its findings, worst first', () => {
    const h = history();
    const runId = h.startRun(start());
    h.completeRun(runId, {
      endedAt: new Date('2026-03-01T02:01:05.000Z'),
      counts: { scanned: 40, findings: 2, bySeverity: { high: 1, low: 1 } },
      findings: [finding('bob', { severity: 'low', ruleId: 'LDAP-MAIL', message: 'no mail' }), finding('alice')],
    });
    const run = h.showRun(runId);
    if (!run) throw new Error('run missing');
    expect(formatRun(run)).toBe(
      [
        'Run 1: completed',
        '  server:   ldaps://dc1.example.test:636',
        '  base DN:  DC=example,DC=test',
        '  started:  2026-03-01T02:00:00.000Z',
        '  ended:    2026-03-01T02:01:05.000Z (1m 5s)',
        '  gpaudit:  0.1.0',
        '  options:  {"pageSize":500}',
        '  scanned:  40 entries',
        '  findings: 2 (1 high, 1 low)',
        '',
        'Findings:',
        '  high     LDAP-SHELL  user alice has a login shell',
        '           subject: CN=alice,OU=Staff,DC=example,DC=test (alice)',
        '  low      LDAP-MAIL  no mail',
        '           subject: CN=bob,OU=Staff,DC=example,DC=test (bob)',
        '',
      ].join('\n'),
    );
  });

  it('formats a failed run without a findings section', () => {
    const h = history();
    const runId = h.startRun(start());
    h.failRun(runId, { endedAt: new Date('2026-03-01T02:00:02.000Z'), error: 'connection refused' });
    const run = h.showRun(runId);
    if (!run) throw new Error('run missing');
    expect(formatRun(run)).toBe(
      [
        'Run 1: failed',
        '  server:   ldaps://dc1.example.test:636',
        '  base DN:  DC=example,DC=test',
        '  started:  2026-03-01T02:00:00.000Z',
        '  ended:    2026-03-01T02:00:02.000Z (2s)',
        '  gpaudit:  0.1.0',
        '  options:  {"pageSize":500}',
        '  error:    connection refused',
        '',
      ].join('\n'),
    );
  });

  it('formats a diff', () => {
    const h = history();
    const base = completedRun(h, [finding('alice'), finding('bob')]);
    const diff = h.diff(base, [finding('bob'), finding('carol', { subject: { dn: 'CN=carol,DC=example,DC=test' } })]);
    expect(formatDiff(diff)).toBe(
      [
        'Since run 1: 1 new, 1 resolved, 1 unchanged.',
        '',
        'New:',
        '  high     LDAP-SHELL  user carol has a login shell',
        '           subject: CN=carol,DC=example,DC=test',
        '',
        'Resolved:',
        '  high     LDAP-SHELL  user alice has a login shell',
        '           subject: CN=alice,OU=Staff,DC=example,DC=test (alice)',
        '',
      ].join('\n'),
    );
    expect(formatDiff(h.diff(undefined, [finding('x')]))).toBe(
      'No earlier completed run for this base DN to compare with; this run is the first baseline (1 finding).\n',
    );
  });
});
