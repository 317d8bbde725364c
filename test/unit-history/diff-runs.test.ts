import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDiff } from '../../src/history/format.js';
import { DIFF_QUERIES, HistoryError, openHistory, type History } from '../../src/history/store.js';
import type { HistoryDiff, RecordableFinding, RunStart, StoredFinding } from '../../src/history/types.js';
import { errorOf, rawUpdate } from '../helpers/history.js';

let dir: string;
let path: string;
let h: History;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gpaudit-diff-runs-'));
  path = join(dir, 'history.sqlite');
  h = openHistory(path);
});

afterEach(() => {
  h.close();
  rmSync(dir, { recursive: true, force: true });
});

const BASE_DN = 'DC=example,DC=test';

function start(): RunStart {
  return {
    server: 'ldaps://dc1.example.test:636',
    baseDn: BASE_DN,
    startedAt: new Date('2026-03-01T02:00:00.000Z'),
    gpauditVersion: '0.1.0',
    options: {},
  };
}

// Every other finding has no title and no account name, so both ways of storing an absent field are compared.
function finding(fingerprint: string, index = 0): RecordableFinding {
  const full = index % 2 === 0;
  return {
    ruleId: `LDAP-${index % 3}`,
    ...(full ? { title: 'Login shell set' } : {}),
    severity: full ? 'high' : 'low',
    message: `user ${fingerprint} (#${index}) has a login shell`,
    fingerprint,
    subject: full ? { dn: `CN=${fingerprint},OU=Staff,${BASE_DN}`, sAMAccountName: fingerprint } : { dn: `CN=${fingerprint},${BASE_DN}` },
  };
}

function findings(fingerprints: readonly string[]): RecordableFinding[] {
  return fingerprints.map((fingerprint, index) => finding(fingerprint, index));
}

function complete(runId: number, recorded: Iterable<RecordableFinding>, count: number): void {
  h.completeRun(runId, {
    endedAt: new Date('2026-03-01T02:01:05.000Z'),
    counts: { scanned: count, findings: count, bySeverity: { high: count } },
    findings: recorded,
  });
}

function completedRun(recorded: readonly RecordableFinding[]): number {
  const runId = h.startRun(start());
  complete(runId, recorded, recorded.length);
  return runId;
}

function* generate(fingerprints: readonly string[]): Generator<RecordableFinding> {
  for (const [index, fingerprint] of fingerprints.entries()) yield finding(fingerprint, index);
}

/** A finding as the history gives it back: only the fields it stores. */
function stored({ ruleId, title, severity, message, fingerprint, subject }: RecordableFinding): StoredFinding {
  return { ruleId, ...(title === undefined ? {} : { title }), severity, message, fingerprint, ...(subject ? { subject } : {}) };
}

function asStored(diff: HistoryDiff): HistoryDiff<StoredFinding> {
  return { ...diff, new: diff.new.map(stored) };
}


const names = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('diffRuns gives what diff gives for the same findings', () => {
  const cases: Array<{ name: string; previous: string[] | undefined; current: string[] }> = [
    { name: 'no previous run', previous: undefined, current: ['a', 'b'] },
    { name: 'no previous run, no findings', previous: undefined, current: [] },
    { name: 'none changed', previous: ['a', 'b', 'c'], current: ['a', 'b', 'c'] },
    { name: 'none changed, in another order', previous: ['a', 'b', 'c'], current: ['c', 'a', 'b'] },
    { name: 'all new', previous: ['a', 'b'], current: ['c', 'd'] },
    { name: 'all new after an empty run', previous: [], current: ['c', 'd'] },
    { name: 'all resolved', previous: ['a', 'b'], current: [] },
    { name: 'both empty', previous: [], current: [] },
    { name: 'some of each', previous: ['alice', 'bob', 'carol'], current: ['bob', 'carol', 'dave'] },
    // A repeated fingerprint counts once per finding, in new, resolved and unchanged alike.
    { name: 'repeated fingerprints', previous: ['a', 'a', 'b', 'c', 'c', 'e'], current: ['b', 'b', 'a', 'd', 'd', 'f', 'a'] },
    // Past 1,000 resolved fingerprints diff reads the previous run's rows instead of looking each one up.
    { name: 'many resolved', previous: [...names('gone', 1_500), 'kept'], current: ['kept', 'new'] },
  ];

  it.each(cases)('$name', ({ previous, current }) => {
    const previousRunId = previous === undefined ? undefined : completedRun(findings(previous));
    const expected = asStored(h.diff(previousRunId, findings(current)));
    const runId = h.startRun(start());
    complete(runId, generate(current), current.length);

    const diff = h.diffRuns(previousRunId, runId);
    expect(diff).toEqual(expected);
    expect(formatDiff(diff)).toBe(formatDiff(expected));

    const counted = h.diffRuns(previousRunId, runId, { countBaseline: true });
    expect(counted).toEqual(previousRunId === undefined ? { newCount: current.length } : expected);
    expect(formatDiff(counted)).toBe(formatDiff(expected));
  });

  it('prints a first run of one finding and of none as diff does', () => {
    for (const current of [['x'], []]) {
      const runId = completedRun(findings(current));
      const printed = formatDiff(h.diffRuns(undefined, runId, { countBaseline: true }));
      expect(printed).toBe(formatDiff(h.diff(undefined, findings(current))));
    }
    expect(formatDiff({ newCount: 1 })).toBe(
      'No earlier completed run for this base DN to compare with; this run is the first baseline (1 finding).\n',
    );
  });
});

describe('diffRuns refuses what diff refuses', () => {
  function expectSameError(previousRunId: number): HistoryError {
    const runId = completedRun(findings(['a']));
    const expected = errorOf(() => h.diff(previousRunId, findings(['a'])));
    const error = errorOf(() => h.diffRuns(previousRunId, runId));
    expect(error.code).toBe(expected.code);
    expect(error.message).toBe(expected.message);
    return error;
  }

  it('a previous run that failed', () => {
    const failed = h.startRun(start());
    h.failRun(failed, { endedAt: new Date(), error: 'bind refused' });
    expect(expectSameError(failed).code).toBe('run-not-completed');
  });

  it('a previous run that is still running', () => {
    const running = h.startRun(start());
    expect(expectSameError(running).message).toBe(`run ${running} is running, not completed; only a completed run can be compared with`);
  });

  it('a previous run whose writer died', () => {
    const running = h.startRun(start());
    const child = spawnSync(process.execPath, ['-e', '']);
    rawUpdate(path, 'UPDATE runs SET pid = ? WHERE id = ?', child.pid ?? 0, running);
    expect(expectSameError(running).message).toContain('is interrupted, not completed');
  });

  it('a previous run that does not exist', () => {
    expect(expectSameError(99).code).toBe('unknown-run');
  });

  it('a run that does not exist or is not completed', () => {
    const previous = completedRun(findings(['a']));
    expect(errorOf(() => h.diffRuns(previous, 99)).code).toBe('unknown-run');
    const running = h.startRun(start());
    const error = errorOf(() => h.diffRuns(previous, running, { countBaseline: true }));
    expect(error.code).toBe('run-not-completed');
    expect(errorOf(() => h.diffRuns(undefined, running)).code).toBe('run-not-completed');
  });
});

describe('completeRun with an iterable', () => {
  function storedRows(runId: number): unknown[] {
    const db = new Database(path, { readonly: true });
    try {
      return db
        .prepare('SELECT seq, fingerprint, rule_id, title, severity, message, subject_dn, subject_sam FROM findings WHERE run_id = ? ORDER BY seq')
        .all(runId);
    } finally {
      db.close();
    }
  }

  it('stores the same rows from a generator as from an array, in its order', () => {
    const fingerprints = ['b', 'a', 'c', 'a'];
    const fromArray = completedRun(findings(fingerprints));
    const fromGenerator = h.startRun(start());
    complete(fromGenerator, generate(fingerprints), fingerprints.length);
    expect(storedRows(fromGenerator)).toEqual(storedRows(fromArray));
    expect(storedRows(fromGenerator)).toHaveLength(4);
    expect(h.showRun(fromGenerator)?.findings).toEqual(h.showRun(fromArray)?.findings);
  });

  it('iterates once', () => {
    let iterations = 0;
    const once: Iterable<RecordableFinding> = {
      [Symbol.iterator]: () => {
        iterations++;
        return generate(['a', 'b'])[Symbol.iterator]();
      },
    };
    const runId = h.startRun(start());
    complete(runId, once, 2);
    expect(iterations).toBe(1);
    expect(storedRows(runId)).toHaveLength(2);
  });

  it('rolls the whole run back and rethrows when the generator throws half-way', () => {
    const runId = h.startRun(start());
    const broken = new Error('spill file unreadable');
    function* halfway(): Generator<RecordableFinding> {
      yield* generate(names('u', 500));
      throw broken;
    }
    expect(() => complete(runId, halfway(), 1_000)).toThrow(broken);
    expect(storedRows(runId)).toEqual([]);
    expect(h.showRun(runId)?.status).toBe('running');
    expect(h.showRun(runId)?.counts).toBeUndefined();
    // Nothing of the failed attempt is left in the way of recording the run's outcome.
    complete(runId, generate(['a']), 1);
    expect(h.showRun(runId)?.status).toBe('completed');
    expect(storedRows(runId)).toHaveLength(1);
  });
});

describe('diffRuns at scale', () => {
  it('diffs 200,000 findings from a generator against 200,000 stored, half overlapping', () => {
    const count = 200_000;
    const fingerprint = (i: number): string => `fp-${String(i).padStart(7, '0')}`;
    function* range(from: number): Generator<RecordableFinding> {
      for (let i = from; i < from + count; i++) {
        yield { ruleId: 'LDAP-SHELL', severity: 'high', message: `user ${i}`, fingerprint: fingerprint(i) };
      }
    }
    const previous = h.startRun(start());
    complete(previous, range(0), count);
    const runId = h.startRun(start());
    complete(runId, range(count / 2), count);

    // No heap assertion: the diff's own result (100,000 new and 100,000 resolved findings) outweighs the two
    // fingerprint sets diff would build, and the peak during the call cannot be read deterministically.
    const diff = h.diffRuns(previous, runId);
    expect(diff.new).toHaveLength(count / 2);
    expect(diff.resolved).toHaveLength(count / 2);
    expect(diff.unchanged).toBe(count / 2);
    expect(diff.new[0]?.fingerprint).toBe(fingerprint(count));
    expect(diff.new.at(-1)?.fingerprint).toBe(fingerprint(count + count / 2 - 1));
    expect(diff.resolved[0]?.fingerprint).toBe(fingerprint(0));
    expect(diff.resolved.at(-1)?.fingerprint).toBe(fingerprint(count / 2 - 1));
    expect(h.diffRuns(undefined, runId, { countBaseline: true })).toEqual({ newCount: count });
  });
});

describe('the queries of diffRuns', () => {
  function plan(sql: string, params: number | Record<string, number>): string[] {
    const db = new Database(path, { readonly: true });
    try {
      const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>;
      return rows.map((row) => row.detail);
    } finally {
      db.close();
    }
  }

  it('anti-join through findings_by_fingerprint, reading the outer run in seq order without sorting', () => {
    const details = plan(DIFF_QUERIES.missingFrom, { run: 1, other: 2 });
    expect(details).toContainEqual(expect.stringMatching(/^SEARCH f USING PRIMARY KEY \(run_id=\?\)$/));
    expect(details).toContainEqual(
      expect.stringMatching(/^SEARCH o USING COVERING INDEX findings_by_fingerprint \(run_id=\? AND fingerprint=\?\)$/),
    );
    expect(details.join('\n')).not.toMatch(/TEMP B-TREE|SCAN/);
  });

  it('counts a run from an index', () => {
    expect(plan(DIFF_QUERIES.findingCount, 1).join('\n')).toMatch(/^SEARCH findings USING (COVERING INDEX findings_by_fingerprint|PRIMARY KEY) \(run_id=\?\)$/);
  });
});
