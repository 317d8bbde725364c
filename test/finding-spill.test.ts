// Issue 12: a directory scan's findings are sorted through spill files instead of being held, so memory stays flat
// at a million users. The order must be the one finishFindings gives, whatever the run size.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FindingSpill, MAX_RUN_FILES, SpillError } from '../src/audit/finding-spill.js';
import { compareFindings, finishFindings } from '../src/audit/finish-findings.js';
import { waiverMatcher } from '../src/audit/waivers.js';
import { tallyFindings, type Finding } from '../src/model/findings.js';
import { SEVERITIES } from '../src/model/severity.js';

/** A deterministic mix: severities, rules, DNs with accents and line breaks, some suppressed. */
function findings(count: number, seed = 7): Finding[] {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const names = ['Zoë', 'amy', 'Ömer', 'bob', 'Çelik', 'dan', 'line\nbreak', 'tab\tname', 'quote"d', 'émile'];
  return Array.from({ length: count }, (_, i) => {
    const ruleId = `rule-${'abc'[next(3)]}`;
    const dn = `CN=${names[next(names.length)]} ${next(1000)},OU=Users,DC=example,DC=test`;
    const finding: Finding = {
      ruleId,
      title: `Title of ${ruleId}`,
      severity: SEVERITIES[next(SEVERITIES.length)]!,
      tags: ['workspaces'],
      message: `${ruleId}: ${dn}: sAMAccountName "x${i}"`,
      directoryObject: { dn, name: `x${i}`, server: 'ldap://dc1' },
      locations: [],
      fingerprint: `${ruleId}|${dn.toLowerCase()}|${i % 50}`,
    };
    return next(5) === 0 ? { ...finding, suppressed: { waiver: { rule: ruleId, reason: 'lab', expires: '2999-01-01' } } } : finding;
  });
}

function spillOf(list: readonly Finding[], runSize: number, tmpRoot: string, known: (f: Finding, i: number) => boolean = () => false): FindingSpill {
  const spill = new FindingSpill({ runSize, tmpRoot });
  list.forEach((f, i) => spill.add(f, known(f, i)));
  return spill;
}

/** Run files on disk after this many full runs: merged into one whenever MAX_RUN_FILES are there. */
function runFilesAfter(runs: number): number {
  let files = 0;
  for (let i = 0; i < runs; i++) files = files + 1 >= MAX_RUN_FILES ? 1 : files + 1;
  return files;
}

const freshRoot = () => mkdtempSync(join(tmpdir(), 'gpaudit-spill-test-'));

describe('FindingSpill', () => {
  it.each([1, 7, 100, 5000])('gives the findings back in finishFindings order with runs of %i', (runSize) => {
    const list = findings(1234);
    const root = freshRoot();
    const spill = spillOf(list, runSize, root);
    const { report, all } = spill.finish();
    const expected = [...list].sort(compareFindings);
    expect(report.length).toBe(1234);
    expect(all.length).toBe(1234);
    expect([...report]).toEqual(expected);
    // Every walk reads the runs afresh and gives the same.
    expect([...report]).toEqual(expected);
    expect([...all]).toEqual(expected);
    expect(spill.spilledRuns).toBe(runFilesAfter(Math.floor(1234 / runSize)));
    expect(report.tally).toEqual(tallyFindings(expected));
    spill.close();
    expect(readdirSync(root)).toEqual([]);
  });

  it('keeps findings the baseline knew out of the report but in `all`, counted apart', () => {
    const list = findings(300);
    const spill = spillOf(list, 16, freshRoot(), (_, i) => i % 3 === 0);
    const { report, all } = spill.finish();
    const fresh = list.filter((_, i) => i % 3 !== 0).sort(compareFindings);
    expect([...report]).toEqual(fresh);
    expect(report.length).toBe(200);
    expect(report.tally).toEqual(tallyFindings(fresh));
    expect([...all]).toEqual([...list].sort(compareFindings));
    spill.close();
  });

  it('equals finishFindings with waivers and a baseline applied finding by finding', () => {
    const list: Finding[] = findings(500).map(({ suppressed: _, ...f }) => f);
    const waivers = [
      { rule: 'rule-a', path: 'CN=Zoë*', reason: 'test', expires: '2999-01-01' },
      { rule: 'rule-b', path: 'CN=Nobody*', reason: 'stale', expires: '2999-01-01' },
      { rule: 'rule-c', reason: 'old', expires: '2000-01-01' },
    ];
    const baseline = new Set(list.filter((_, i) => i % 4 === 0).map((f) => f.fingerprint));
    const expected = finishFindings(list, { waivers, today: '2026-12-03', baseline: { file: 'old.json', fingerprints: baseline } });
    const waiving = waiverMatcher(waivers, '2026-12-03');
    const spill = new FindingSpill({ runSize: 9, tmpRoot: freshRoot() });
    for (const f of list) spill.add(waiving.apply(f), baseline.has(f.fingerprint));
    const { report, all } = spill.finish();
    expect([...report]).toEqual(expected.findings);
    expect(all.length - report.length).toBe(expected.baseline?.known);
    expect(waiving.notices()).toEqual(expected.notices);
    spill.close();
  });

  it.each([1, 7, 5000])('with bySubject, also gives them grouped by user as the text report groups them (runs of %i)', (runSize) => {
    const list = findings(800);
    const known = (i: number) => i % 5 === 0;
    // Each user's findings arrive together, with the first of them in report order that the baseline did not know.
    const byUser = new Map<string, Array<{ f: Finding; i: number }>>();
    list.forEach((f, i) => byUser.set(f.directoryObject!.dn, [...(byUser.get(f.directoryObject!.dn) ?? []), { f, i }]));
    const spill = new FindingSpill({ runSize, tmpRoot: freshRoot(), bySubject: true });
    for (const entries of byUser.values()) {
      const group = entries.filter((e) => !known(e.i)).map((e) => e.f).sort(compareFindings)[0];
      for (const { f, i } of entries) spill.add(f, known(i), group);
    }
    const { report } = spill.finish();
    // What the text report does with the list in report order: users in the order of their first finding.
    const groups = new Map<string, Finding[]>();
    for (const f of report) groups.set(f.directoryObject!.dn, [...(groups.get(f.directoryObject!.dn) ?? []), f]);
    expect([...report.bySubject!]).toEqual([...groups.values()].flat());
    expect([...report.bySubject!]).toHaveLength(report.length);
    spill.close();
  });

  it('stays in memory, with no folder made, while the findings fit one run', () => {
    const root = freshRoot();
    const spill = spillOf(findings(50), 100, root);
    expect([...spill.finish().report]).toHaveLength(50);
    expect(spill.spilledRuns).toBe(0);
    expect(readdirSync(root)).toEqual([]);
    spill.close();
  });

  it('tells `onFolder` the folder as it is made, once, and only when a run goes to disk', () => {
    const root = freshRoot();
    const told: string[] = [];
    const spill = new FindingSpill({ runSize: 5, tmpRoot: root, onFolder: (path) => told.push(path) });
    findings(4).forEach((f) => spill.add(f));
    expect(told).toEqual([]);
    findings(20).forEach((f) => spill.add(f));
    expect(told).toEqual([join(root, readdirSync(root)[0]!)]);
    spill.close();
  });

  it('applies `map` to each finding as it is read back', () => {
    const spill = spillOf(findings(40), 3, freshRoot());
    const { report } = spill.finish((f) => ({ ...f, directoryObject: { ...f.directoryObject!, server: 'ldap://dc2' } }));
    expect(new Set([...report].map((f) => f.directoryObject?.server))).toEqual(new Set(['ldap://dc2']));
    spill.close();
  });

  it('closes the files of a walk that stops early', () => {
    const spill = spillOf(findings(200), 10, freshRoot());
    const { report } = spill.finish();
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    for (const _ of report) break;
    expect(open()).toBe(before);
    spill.close();
  });

  it('names the folder when the temporary files cannot be written (TMPDIR is a file)', () => {
    const root = freshRoot();
    const notAFolder = join(root, 'file');
    writeFileSync(notAFolder, '');
    const spill = new FindingSpill({ runSize: 2, tmpRoot: notAFolder });
    spill.add(findings(1)[0]!);
    let error: unknown;
    try {
      spill.add(findings(2)[1]!);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SpillError);
    expect((error as Error).message).toBe(`cannot create a folder in ${notAFolder} (temporary files for sorting the findings; set TMPDIR to a folder with room): ENOTDIR`);
  });

  it('names the file and line of a run file damaged while it ran', () => {
    const root = freshRoot();
    const spill = spillOf(findings(30), 10, root);
    const { report } = spill.finish();
    const [folder] = readdirSync(root);
    const run = join(root, folder!, 'run-1.jsonl');
    const original = readFileSync(run, 'utf8');
    const lines = original.split('\n');
    lines[3] = 'N{"ruleId":';
    writeFileSync(run, lines.join('\n'));
    expect(() => [...report]).toThrow(new SpillError(`the temporary file ${run} is damaged at line 4 (was it changed while gpaudit ran?)`));
    writeFileSync(run, original.replace(/\n$/, ''));
    expect(() => [...report]).toThrow(new SpillError(`the temporary file ${run} ends in the middle of a line (was it changed while gpaudit ran?)`));
    spill.close();
  });

  it('refuses a run size that is not a positive whole number', () => {
    expect(() => new FindingSpill({ runSize: 0 })).toThrow(RangeError);
    expect(() => new FindingSpill({ runSize: 1.5 })).toThrow(RangeError);
  });
});
