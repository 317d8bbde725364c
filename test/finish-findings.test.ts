// Issue 8: one function finishes every kind of audit's findings (order, waivers, baseline), and one computes the
// exit code from a result.
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../src/audit/exit-code.js';
import { finishFindings } from '../src/audit/finish-findings.js';
import type { Finding } from '../src/model/findings.js';
import type { Severity } from '../src/model/severity.js';

function user(ruleId: string, severity: Severity, dn: string): Finding {
  return { ruleId, title: ruleId, severity, tags: [], message: `${ruleId}: ${dn}`, directoryObject: { dn, server: 'ldaps://dc1:636' }, locations: [], fingerprint: `${ruleId}|${dn}` };
}

describe('finishFindings', () => {
  it('orders directory findings as GPO findings are: worst first, then rule, then subject (the DN)', () => {
    const found = [
      user('b-rule', 'low', 'CN=Zed,DC=x'),
      user('b-rule', 'high', 'CN=Bob,DC=x'),
      user('a-rule', 'low', 'CN=Yan,DC=x'),
      user('b-rule', 'low', 'CN=Amy,DC=x'),
      user('a-rule', 'high', 'CN=Cat,DC=x'),
    ];
    const { findings } = finishFindings(found, { waivers: [], today: '2026-01-01' });
    expect(findings.map((f) => [f.severity, f.ruleId, f.directoryObject?.dn])).toEqual([
      ['high', 'a-rule', 'CN=Cat,DC=x'],
      ['high', 'b-rule', 'CN=Bob,DC=x'],
      ['low', 'a-rule', 'CN=Yan,DC=x'],
      ['low', 'b-rule', 'CN=Amy,DC=x'],
      ['low', 'b-rule', 'CN=Zed,DC=x'],
    ]);
  });

  it('then marks waived findings and leaves out those the baseline knows, saying how many', () => {
    const found = [user('r', 'high', 'CN=A,DC=x'), user('r', 'high', 'CN=B,DC=x'), user('r', 'high', 'CN=C,DC=x')];
    const out = finishFindings(found, {
      waivers: [
        { rule: 'r', path: 'CN=B,*', reason: 'lab', expires: '2999-01-01' },
        { rule: 'r', path: 'CN=Nobody,*', reason: 'stale', expires: '2999-01-01' },
      ],
      today: '2026-01-01',
      baseline: { file: 'old.json', fingerprints: new Set(['r|CN=A,DC=x']) },
    });
    expect(out.findings.map((f) => [f.directoryObject?.dn, f.suppressed?.waiver.reason])).toEqual([
      ['CN=B,DC=x', 'lab'],
      ['CN=C,DC=x', undefined],
    ]);
    expect(out.baseline).toEqual({ file: 'old.json', known: 1 });
    expect(out.notices).toEqual(['waiver for r (path CN=Nobody,*) matched no finding']);
  });

  it('matches waiver path globs against the path pathOf gives for a location', () => {
    const f: Finding = { ruleId: 'r', title: 'r', severity: 'low', tags: [], message: 'm', locations: [{ file: '../../x/estate/a.pol', format: 'registry-pol', position: { byteOffset: 0 }, setting: 's' }], fingerprint: 'f' };
    const waivers = [{ rule: 'r', path: 'estate/**', reason: 'why', expires: '2999-01-01' }];
    expect(finishFindings([f], { waivers, today: '2026-01-01' }).findings[0]!.suppressed).toBeUndefined();
    expect(finishFindings([f], { waivers, today: '2026-01-01', pathOf: () => 'estate/a.pol' }).findings[0]!.suppressed).toBeDefined();
  });
});

describe('exitCodeOf', () => {
  const result = (findings: Finding[], failOn: Severity, inputError = false) => ({
    findings,
    failOn,
    problems: inputError ? [{ file: 'a.xml', code: 'truncated' as const, severity: 'error' as const, message: 'cut' }] : [],
  });

  it('is 2 on an input error, else 1 for an unwaived finding at or above --fail-on, else 0', () => {
    const high = user('r', 'high', 'CN=A,DC=x');
    expect(exitCodeOf(result([high], 'high'))).toBe(1);
    expect(exitCodeOf(result([high], 'critical'))).toBe(0);
    expect(exitCodeOf(result([{ ...high, suppressed: { waiver: { rule: 'r', reason: 'x', expires: '2999-01-01' } } }], 'low'))).toBe(0);
    expect(exitCodeOf(result([], 'low', true))).toBe(2);
    expect(exitCodeOf(result([high], 'low', true))).toBe(2);
  });
});
