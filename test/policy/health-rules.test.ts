// The GPO health rules of rules.yaml (gpo-version-mismatch, gpo-sysvol-missing): a failing and a passing fixture for
// each source that can carry the fact: a GPO report's own two versions, and a directory export (LDIF) against --sysvol.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/admx/load.js';
import type { AuditResult } from '../../src/audit/result.js';
import { runAudit, runOuAudit } from '../../src/audit/run-audit.js';
import { loadRuleSet } from '../../src/rules/load.js';
import { HEALTH_RULES, ids } from '../helpers/rule-pack.js';

const RULES = loadRuleSet([]).ruleSet!.rules.filter((r) => ids(HEALTH_RULES).includes(r.id));
const base = { rules: RULES, catalog: builtinCatalog(), failOn: 'low' as const, waivers: [], today: '2026-12-03', cwd: process.cwd(), root: '.', version: 'test' };
const found = (r: AuditResult) => r.findings.map((f) => [f.ruleId, f.gpo?.name ?? f.gpo?.id, f.locations.map((l) => [l.file.replace(/^.*\//, ''), l.position])]);

it('the pack has the two health rules', () => {
  expect(RULES.map((r) => r.id)).toEqual(['gpo-version-mismatch', 'gpo-sysvol-missing']);
});

describe('gpo-version-mismatch from a GPO report (VersionDirectory against VersionSysvol)', () => {
  it('fails: the broken sample\'s "Legacy Winlogon Tweaks" has computer version 7 in the directory, 6 in SYSVOL (line 145)', () => {
    const r = runAudit(['samples/broken/gpo-report/All-GPOs.xml'], base);
    expect(found(r)).toEqual([['gpo-version-mismatch', 'Legacy Winlogon Tweaks (broken)', [['All-GPOs.xml', { line: 145 }]]]]);
    expect(r.findings[0]!.message).toContain('computer 7 in the directory, 6 in SYSVOL');
  });

  it('passes: the clean sample\'s versions agree, and the rule was evaluated (not "not evaluated")', () => {
    const r = runAudit(['samples/clean/gpo-report/All-GPOs.xml'], base);
    expect(r.findings).toEqual([]);
    expect(r.notEvaluated).toEqual([]);
  });

  it('is not evaluated, and says so, when nothing carries both versions (a Registry.pol)', () => {
    const r = runAudit(['samples/clean/registry-pol'], base);
    expect(r.notEvaluated.map((n) => n.ruleId)).toEqual(['gpo-version-mismatch']);
  });

  it('gpo-sysvol-missing needs the directory and SYSVOL: a plain audit leaves it out, like the directory-user rules', () => {
    expect(runAudit(['samples/broken'], base).rules.map((r) => r.id)).toEqual(['gpo-version-mismatch']);
  });
});

describe('directory (LDIF) against --sysvol, with audit --ou', () => {
  const DOMAIN = 'DC=corp,DC=test';
  const OU = `OU=WS,${DOMAIN}`;
  const id = (n: number) => `{${String(n).repeat(8)}-1111-4111-8111-111111111111}`;
  let root: string;
  let result: AuditResult;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gpaudit-health-'));
    const gpc = (n: number, version: number) =>
      `dn: CN=${id(n)},CN=Policies,CN=System,${DOMAIN}\nobjectClass: groupPolicyContainer\ncn: ${id(n)}\ndisplayName: H${n}\nflags: 0\nversionNumber: ${version}\n`;
    const link = (n: number) => `[LDAP://cn=${id(n)},cn=policies,cn=system,${DOMAIN};0]`;
    // H1: directory 5, GPT.INI 4 (fails). H2: 3 and 3 (passes). H3: no folder (fails). Folder 4: no container (fails).
    writeFileSync(
      join(root, 'links.ldif'),
      [`dn: ${DOMAIN}\nobjectClass: domainDNS\n`, `dn: ${OU}\nobjectClass: organizationalUnit\ngPLink: ${link(1)}${link(2)}${link(3)}\n`, gpc(1, 5), gpc(2, 3), gpc(3, 1)].join('\n'),
    );
    for (const [n, version] of [[1, 4], [2, 3], [4, 1]] as const) {
      mkdirSync(join(root, 'Policies', id(n)), { recursive: true });
      writeFileSync(join(root, 'Policies', id(n), 'GPT.INI'), `[General]\r\ndisplayName=H${n}\r\nVersion=${version}\r\n`);
    }
    result = await runOuAudit([join(root, 'links.ldif')], { ...base, ou: OU, sysvol: join(root, 'Policies') });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('gpo-version-mismatch fails for H1 (at GPT.INI\'s Version line) and passes for H2', () => {
    expect(found(result).filter((f) => f[0] === 'gpo-version-mismatch')).toEqual([['gpo-version-mismatch', 'H1', [['GPT.INI', { line: 3 }]]]]);
    const f = result.findings.find((x) => x.ruleId === 'gpo-version-mismatch')!;
    expect(f.message).toContain('directory versionNumber 5 (computer 5, user 0), GPT.INI Version 4 (computer 4, user 0)');
    expect(f.directoryObject).toEqual({ dn: `CN=${id(1)},CN=Policies,CN=System,${DOMAIN}`, server: join(root, 'links.ldif') });
  });

  it('gpo-sysvol-missing fails for the container without a folder and for the folder without a container, passes for the rest', () => {
    expect(found(result).filter((f) => f[0] === 'gpo-sysvol-missing')).toEqual([
      ['gpo-sysvol-missing', id(4), [['GPT.INI', { line: 1 }]]],
      ['gpo-sysvol-missing', 'H3', []],
    ]);
    const missing = result.findings.find((f) => f.gpo?.name === 'H3')!;
    expect(missing.directoryObject?.dn).toBe(`CN=${id(3)},CN=Policies,CN=System,${DOMAIN}`);
    expect(result.notEvaluated).toEqual([]);
  });
});
