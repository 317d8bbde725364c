// Issue 12: a directory scan no longer holds its findings; they are sorted through spill files and read back when
// the report and the history are written. Against the real DC, runs of two findings (many files, merged) must give
// exactly what holding them gave: the same findings in the same order, waivers and the baseline applied, the same
// history and diff, and every format's report byte for byte (text and JUnit also from the findings grouped by user).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { finishFindings } from '../../src/audit/finish-findings.js';
import { runDirectoryScan, type DirectoryScanOptions } from '../../src/audit/run-directory-scan.js';
import { DirectoryEvaluator } from '../../src/engine/evaluate-directory.js';
import { isDirectoryRule } from '../../src/engine/evaluate.js';
import { openHistory } from '../../src/history/index.js';
import type { ConnectOptions } from '../../src/ldap/connect-options.js';
import { runScan } from '../../src/ldap/scan.js';
import type { Finding } from '../../src/model/findings.js';
import { AUDIT_FORMATS, AUDIT_REPORTERS } from '../../src/reporters/audit-reporters.js';
import { loadRuleSet } from '../../src/rules/load.js';
import { describeSamba, samba } from '../helpers/samba.js';

const RULES = loadRuleSet([]).ruleSet!.rules.filter(isDirectoryRule);
const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpaudit-scan-spill-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function connect(): ConnectOptions {
  const dc = samba();
  return { urls: [dc.url], bindDn: dc.adminUpn, password: dc.password, allowPlaintext: true, retries: 0 };
}

/** The findings as the scan held them before: every finding in memory, then finishFindings. */
async function heldFindings(options: Pick<DirectoryScanOptions, 'waivers' | 'today' | 'baseline'>): Promise<Finding[]> {
  const evaluator = new DirectoryEvaluator(RULES, { server: samba().url, baseDn: '' });
  await runScan(connect(), { onUser: (user) => evaluator.addUser(user) });
  return finishFindings(evaluator.finish().findings, { waivers: options.waivers, today: options.today, ...(options.baseline ? { baseline: options.baseline } : {}) }).findings;
}

describeSamba('directory scan findings sorted through spill files, against the real DC', () => {
  it('runs of two findings give the held findings, history, diff and reports, byte for byte', async () => {
    const first = await heldFindings({ waivers: [], today: '2026-12-03' });
    expect(first.length).toBeGreaterThan(10);
    // A waiver that covers the first finding's user, and a baseline that knows every third finding (not that one).
    const waivers = [{ rule: first[0]!.ruleId, path: `${first[0]!.directoryObject!.dn.split(',')[0]},*`, reason: 'test', expires: '2999-01-01' }];
    const baseline = { file: 'old.json', fingerprints: new Set(first.filter((_, i) => i % 3 === 1).map((f) => f.fingerprint)) };
    const held = await heldFindings({ waivers, today: '2026-12-03', baseline });
    expect(held.some((f) => f.suppressed)).toBe(true);

    const reports: Record<string, string>[] = [];
    const diffs: unknown[] = [];
    for (const runSize of [2, 1_000_000]) {
      const tmpRoot = scratch();
      const historyFile = join(scratch(), 'h.sqlite');
      const common = { rules: RULES, connect: connect(), scan: {}, failOn: 'low' as const, waivers, baseline, today: '2026-12-03', version: '0.0.0-test', root: '/', spill: { runSize, tmpRoot, bySubject: true } };
      // A first run to compare with, so the diff has new, resolved and unchanged to get right.
      (await runDirectoryScan({ ...common, history: openHistory(historyFile), scan: { filter: '(sAMAccountName=a*)' } })).close();
      const run = await runDirectoryScan({ ...common, history: openHistory(historyFile) });
      try {
        if (runSize === 2) expect(readdirSync(join(tmpRoot, readdirSync(tmpRoot)[0]!)).length).toBeGreaterThan(1);
        expect([...run.result.findings].map(stripServer)).toEqual(held.map(stripServer));
        expect(run.result.findings.length).toBe(held.length);
        expect(run.result.baseline).toEqual({ file: 'old.json', known: first.length - held.length });
        // The time the scan took is the only thing that may differ between the two runs.
        reports.push(Object.fromEntries(AUDIT_FORMATS.map((format) => [format, AUDIT_REPORTERS[format]({ ...run.result, notices: [], directory: { ...run.result.directory!, elapsedMs: 0 } }, { color: false, generatedAt: new Date(0) })])));
        diffs.push(run.diff);
        // The text and JUnit reports stream the findings grouped by user: the same bytes as walking them into groups.
        const pinned = { ...run.result, notices: [], directory: { ...run.result.directory!, elapsedMs: 0 } };
        const inMemory = { ...pinned, findings: [...pinned.findings] };
        for (const quiet of [false, true]) expect(AUDIT_REPORTERS.text(pinned, { color: false, quiet })).toBe(AUDIT_REPORTERS.text(inMemory, { color: false, quiet }));
        expect(AUDIT_REPORTERS.junit(pinned, { color: false })).toBe(AUDIT_REPORTERS.junit(inMemory, { color: false }));
      } finally {
        run.close();
      }
      expect(readdirSync(tmpRoot)).toEqual([]);
    }
    expect(reports[0]).toEqual(reports[1]);
    expect(diffs[0]).toEqual(diffs[1]);
    expect((diffs[0] as { new: unknown[] }).new.length).toBeGreaterThan(0);
  }, 120_000);
});

// The held path gave each finding the first URL; the scan's result gives the server that answered. Same here.
function stripServer(f: Finding): Finding {
  return f.directoryObject ? { ...f, directoryObject: { ...f.directoryObject, server: '' } } : f;
}
