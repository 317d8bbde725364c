import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/admx/load.js';
import type { AuditResult } from '../../src/audit/result.js';
import { runAudit } from '../../src/audit/run-audit.js';
import type { Finding } from '../../src/model/findings.js';
import { loadRuleSet } from '../../src/rules/load.js';
import {
  FAMILIES,
  FIXTURE_GPO,
  KEYS,
  MEMBERS,
  PLANS,
  backupGpo,
  buildFixture,
  canCarry,
  dword,
  expectedGpo,
  gppPower,
  gpoReport,
  multiSz,
  powerPlan,
  registryPol,
  restrictedGroup,
  right,
  rsopReport,
  RSOP_GPOS,
  securityTemplate,
  sz,
  writeFixture,
  type Family,
  type FixtureFile,
  type FixtureSetting,
  type Placement,
} from '../helpers/gpo-fixtures.js';
import { GPO_RULES, SETTINGS_RULES, ids } from '../helpers/rule-pack.js';
import { MATRIX, type RuleCase, type RuleMatrix } from './workspaces-pack.cases.js';

const loaded = loadRuleSet([]);
// GPO rules only: the directory rules have their own table (directory-rules.cases.ts).
const GPO_IDS = new Set(ids(SETTINGS_RULES));
const RULES = (loaded.ruleSet?.rules ?? []).filter((r) => GPO_IDS.has(r.id));
const CATALOG = builtinCatalog();

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** Write the files into a fresh temp folder and audit it as `gpaudit audit <folder>` would. */
function audit(files: readonly FixtureFile[]): { result: AuditResult; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'gpaudit-pack-'));
  roots.push(root);
  writeFixture(root, files);
  const result = runAudit([root], { rules: RULES, catalog: CATALOG, failOn: 'low', waivers: [], today: '2026-11-26', cwd: process.cwd(), root, version: 'test' });
  return { result, root };
}

type Where = { file: string; format: string; position: Placement['position'] };

function whereOf(f: Finding): Where[] {
  return sortWhere(f.locations.map((l) => ({ file: l.file, format: l.format, position: l.position })));
}

function expectedWhere(root: string, family: Family, placements: Placement[]): Where[] {
  return sortWhere(placements.map((p) => ({ file: join(root, ...p.file.split('/')), format: family, position: p.position })));
}

function sortWhere(list: Where[]): Where[] {
  return [...list].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

function findingsFor(result: AuditResult, ruleId: string): Finding[] {
  return result.findings.filter((f) => f.ruleId === ruleId);
}

/** Every fixture must parse cleanly: a matrix case that passes because its file was not read proves nothing. */
function expectCleanRead(result: AuditResult): void {
  expect(result.problems).toEqual([]);
  expect(result.inputs.length).toBeGreaterThan(0);
  for (const input of result.inputs) expect(input.status).toBe('read');
}

function applies(c: RuleCase, family: Family): boolean {
  return (!c.families || c.families.includes(family)) && c.settings.every((s) => canCarry(family, s));
}

const gpoIdentity = (f: Finding) => (f.gpo ? { id: f.gpo.id, name: f.gpo.name, domain: f.gpo.domain } : undefined);

it('loads the shipped rules', () => {
  expect(loaded.errors).toEqual([]);
  expect(RULES.map((r) => r.id)).toEqual(ids(SETTINGS_RULES));
  // The GPO health rules judge facts about a GPO, not settings: test/policy/health-rules.test.ts has their cases.
  expect(GPO_RULES.length).toBeGreaterThan(SETTINGS_RULES.length);
});

describe('the matrix covers every rule in every family that can carry it', () => {
  it('has one entry per GPO settings rule of rules.yaml, in file order, with the rule severity', () => {
    expect(MATRIX.map((m) => m.ruleId), 'a GPO rule without cases, or cases for a rule rules.yaml does not have').toEqual(ids(SETTINGS_RULES));
    for (const m of MATRIX) expect(m.severity, m.ruleId).toBe(SETTINGS_RULES.find((r) => r.id === m.ruleId)?.severity);
  });

  it('gives every entry at least one carrying family', () => {
    for (const m of MATRIX) expect(m.families.length, m.ruleId).toBeGreaterThan(0);
  });

  it.each(MATRIX.map((m) => [m.ruleId, m] as const))('%s: a failing and a passing case per family', (_id, m: RuleMatrix) => {
    for (const family of m.families) {
      expect(m.fail.filter((c) => applies(c, family)).length, `${m.ruleId} fail in ${family}`).toBeGreaterThan(0);
      expect(m.pass.filter((c) => applies(c, family)).length, `${m.ruleId} pass in ${family}`).toBeGreaterThan(0);
    }
    for (const family of FAMILIES.filter((f) => !m.families.includes(f))) {
      expect([...m.fail, ...m.pass].filter((c) => applies(c, family)), `${m.ruleId}: ${family} is not a carrier`).toEqual([]);
    }
  });
});

for (const m of MATRIX) {
  describe(m.ruleId, () => {
    for (const family of m.families) {
      for (const c of m.fail.filter((x) => applies(x, family))) {
        it(`${family}: fails on ${c.name}`, () => {
          const fixture = buildFixture(family, c.settings);
          const { result, root } = audit(fixture.files);
          expectCleanRead(result);
          const found = findingsFor(result, m.ruleId);
          expect(found).toHaveLength(1);
          const f = found[0]!;
          const at = c.expectAt ?? c.settings.map((_, i) => i);
          expect(f.severity).toBe(m.severity);
          expect(gpoIdentity(f)).toEqual(expectedGpo(family, c.settings[at[0]!]!));
          expect(whereOf(f)).toEqual(expectedWhere(root, family, at.map((i) => fixture.placements[i]!)));
          expect(f.conditional).toBe(c.conditional);
        });
      }
      for (const c of m.pass.filter((x) => applies(x, family))) {
        it(`${family}: passes on ${c.name}`, () => {
          const { result } = audit(buildFixture(family, c.settings).files);
          expectCleanRead(result);
          expect(findingsFor(result, m.ruleId)).toEqual([]);
          expect(result.notEvaluated.filter((n) => n.ruleId === m.ruleId)).toEqual([]);
        });
      }
    }
  });
}

describe('SeNetworkLogonRight: domain-computers and users-missing never both', () => {
  const DC = 'workspaces-network-logon-domain-computers';
  const MISSING = 'workspaces-network-logon-users-missing';
  for (const family of ['gpo-report', 'rsop', 'security-template'] as const) {
    it(`${family}: Domain Computers and Domain Users gives neither`, () => {
      const { result } = audit(buildFixture(family, [right('SeNetworkLogonRight', [MEMBERS.domainComputers, MEMBERS.domainUsers])]).files);
      expect(result.findings.filter((f) => f.ruleId === DC || f.ruleId === MISSING)).toEqual([]);
    });
    it(`${family}: only Administrators gives users-missing, not domain-computers`, () => {
      const { result } = audit(buildFixture(family, [right('SeNetworkLogonRight', [MEMBERS.administrators])]).files);
      expect(result.findings.filter((f) => f.ruleId === DC || f.ruleId === MISSING).map((f) => f.ruleId)).toEqual([MISSING]);
    });
    it(`${family}: Administrators and Domain Computers gives domain-computers, not users-missing`, () => {
      const { result } = audit(buildFixture(family, [right('SeNetworkLogonRight', [MEMBERS.administrators, MEMBERS.domainComputers])]).files);
      expect(result.findings.filter((f) => f.ruleId === DC || f.ruleId === MISSING).map((f) => f.ruleId)).toEqual([DC]);
    });
  }
});

describe('last signed-in user: the audit-wide reminder', () => {
  const RULE = 'workspaces-last-signed-in-displayed';
  const report = gpoReport([dword('HKLM', KEYS.system, 'DisableCAD', 1)]);
  const pol = registryPol([dword('HKLM', KEYS.system, 'HideFastUserSwitching', 1)]);

  it('nothing sets DontDisplayLastUserName: exactly one info reminder, naming no GPO and no file', () => {
    const { result } = audit([...report.files, ...pol.files]);
    const found = findingsFor(result, RULE);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'info', locations: [] });
    expect(found[0]!.gpo).toBeUndefined();
    expect(found[0]!.message).toContain('DontDisplayLastUserName = 1');
  });

  it('a GPO that sets it to 1 silences the reminder for the whole run', () => {
    const good = gpoReport([dword('HKLM', KEYS.system, 'DontDisplayLastUserName', 1)], { fileName: 'logon.xml' });
    const { result } = audit([...report.files, ...pol.files, ...good.files]);
    expect(findingsFor(result, RULE)).toEqual([]);
  });

  it('a GPO that sets it to 0 gives its medium finding instead of the reminder', () => {
    const bad = securityTemplate([dword('HKLM', KEYS.system, 'DontDisplayLastUserName', 0)]);
    const { result, root } = audit([...report.files, ...bad.files]);
    const found = findingsFor(result, RULE);
    expect(found.map((f) => [f.severity, whereOf(f)])).toEqual([['medium', expectedWhere(root, 'security-template', bad.placements)]]);
  });

  it('no input that can carry registry values: not evaluated, no reminder', () => {
    const { result } = audit(gppPower([powerPlan('High performance', PLANS.highPerformance, true, { sleepAfterAC: '0' })]).files);
    expect(findingsFor(result, RULE)).toEqual([]);
    expect(result.notEvaluated.filter((n) => n.ruleId === RULE)).toHaveLength(1);
  });
});

describe('a German report gives exactly the findings of the English one', () => {
  // Names only, no SIDs, so the well-known name table has to resolve VORDEFINIERT\Benutzer and the rest.
  const byName = (m: { name: string }) => ({ name: m.name });
  const settings: FixtureSetting[] = [
    right('SeNetworkLogonRight', [byName(MEMBERS.administrators), byName(MEMBERS.domainComputers)]),
    right('SeDenyNetworkLogonRight', [byName(MEMBERS.guest), byName(MEMBERS.authenticatedUsers)]),
    right('SeInteractiveLogonRight', [byName(MEMBERS.administrators), byName(MEMBERS.users)]),
    right('SeRemoteInteractiveLogonRight', [byName(MEMBERS.administrators)]),
    restrictedGroup(MEMBERS.remoteDesktopUsers, [byName(MEMBERS.domainUsers)]),
    sz('HKLM', KEYS.system, 'LegalNoticeCaption', 'Hinweis'),
    multiSz('HKLM', KEYS.system, 'LegalNoticeText', []),
    dword('HKLM', KEYS.system, 'DontDisplayLastUserName', 0),
    dword('HKLM', KEYS.system, 'DisableCAD', 1),
    dword('HKLM', KEYS.system, 'DontDisplayLockedUserId', 1),
    sz('HKLM', KEYS.winlogon, 'LegalNoticeText', ''),
    dword('HKLM', KEYS.aspm, 'ACSettingIndex', 2),
  ];
  const project = (result: AuditResult) => result.findings.map((f) => ({ rule: f.ruleId, severity: f.severity, gpo: f.gpo?.name, lines: f.locations.map((l) => l.position) }));

  it('same rules, severities, GPO and lines', () => {
    const en = audit(gpoReport(settings, { locale: 'en' }).files).result;
    const de = audit(gpoReport(settings, { locale: 'de' }).files).result;
    expectCleanRead(en);
    expectCleanRead(de);
    expect(project(de)).toEqual(project(en));
    expect(project(en).map((f) => f.rule).sort()).toEqual([
      'workspaces-ctrl-alt-del-not-required',
      'workspaces-deny-network-logon-users',
      'workspaces-last-signed-in-displayed',
      'workspaces-logon-banner',
      'workspaces-network-logon-domain-computers',
      'workspaces-pcie-link-state-power-management',
      'workspaces-remote-desktop-logon-right-missing',
    ]);
  });
});

describe('one finding per rule and GPO across the formats of a Backup-GPO folder', () => {
  const GPO = { id: '{9C2E4A61-3B5D-4F7A-8C1E-2D4F6A8B0C35}', name: 'WorkSpaces - Legacy Lockdown', domain: 'corp.example.test' };
  const bad = [
    sz('HKLM', KEYS.system, 'LegalNoticeCaption', 'Authorised use only'),
    dword('HKLM', KEYS.system, 'DisableCAD', 1),
    dword('HKLM', KEYS.installer, 'DisableMSI', 2),
  ];
  const backup = backupGpo(GPO, '{1D3F5A7C-9E2B-4C6D-8F0A-3B5D7F9A1C24}', { report: bad, template: bad, pol: bad });

  it('each rule once, with the report, template and registry.pol locations', () => {
    const { result, root } = audit(backup.files);
    expectCleanRead(result);
    const expected: [string, number][] = [
      ['workspaces-logon-banner', 0],
      ['workspaces-ctrl-alt-del-not-required', 1],
      ['workspaces-windows-installer-disabled', 2],
    ];
    for (const [ruleId, i] of expected) {
      const found = findingsFor(result, ruleId);
      expect(found, ruleId).toHaveLength(1);
      expect(gpoIdentity(found[0]!)).toEqual(GPO);
      expect(whereOf(found[0]!)).toEqual(
        sortWhere([
          ...expectedWhere(root, 'gpo-report', [backup.report[i]!]),
          ...expectedWhere(root, 'security-template', [backup.template[i]!]),
          ...expectedWhere(root, 'registry-pol', [backup.pol[i]!]),
        ]),
      );
    }
    // The DisableMSI template line is a plain registry value, the report shows the policy, Registry.pol the record.
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual([...expected.map((e) => e[0]), 'workspaces-last-signed-in-displayed'].sort());
  });

  it('the same GPO name in two loose reports of different GPOs stays two findings', () => {
    const other = { ...FIXTURE_GPO, id: '{7E9A1C3D-5F2B-4D6E-8A0C-4B6D8F0A2C46}' };
    const a = gpoReport([dword('HKLM', KEYS.system, 'DisableCAD', 1)], { fileName: 'a.xml' });
    const b = gpoReport([dword('HKLM', KEYS.system, 'DisableCAD', 1)], { fileName: 'b.xml', gpo: other });
    const { result } = audit([...a.files, ...b.files]);
    expect(findingsFor(result, 'workspaces-ctrl-alt-del-not-required').map((f) => f.gpo?.id).sort()).toEqual([FIXTURE_GPO.id, other.id].sort());
  });
});

describe('RSoP: which GPO applied, and where', () => {
  it('a GPO filtered out on the user side still gives its computer-side finding', () => {
    const fixture = rsopReport([dword('HKLM', KEYS.system, 'DisableCAD', 1)], { notAppliedOn: { user: [0] } });
    const { result, root } = audit(fixture.files);
    const found = findingsFor(result, 'workspaces-ctrl-alt-del-not-required');
    expect(found.map((f) => [f.gpo?.name, whereOf(f)])).toEqual([[RSOP_GPOS[0]!.name, expectedWhere(root, 'rsop', fixture.placements)]]);
  });

  it('a GPO filtered out on the computer side gives no computer-side finding', () => {
    const fixture = rsopReport([dword('HKLM', KEYS.system, 'DisableCAD', 1)], { notAppliedOn: { computer: [0] } });
    const { result } = audit(fixture.files);
    expect(findingsFor(result, 'workspaces-ctrl-alt-del-not-required')).toEqual([]);
  });

  // Regression: RSoP applied state is kept per side (it was once merged into one flag per GPO).
  it('a GPO that applies to the user but is filtered out on the computer side gives its user-side finding', () => {
    const fixture = rsopReport([dword('HKCU', KEYS.explorer, 'NoViewOnDrive', 4)], { notAppliedOn: { computer: [0] } });
    const { result, root } = audit(fixture.files);
    const found = findingsFor(result, 'workspaces-drive-access-restricted');
    expect(found.map((f) => [f.gpo?.name, whereOf(f)])).toEqual([[RSOP_GPOS[0]!.name, expectedWhere(root, 'rsop', fixture.placements)]]);
  });

  // Regression: gpresult names an unreadable GPO by its GUID; that must not replace the real name.
  it('a GPO the user side could not read keeps the name the computer side gives it', () => {
    const fixture = rsopReport([dword('HKLM', KEYS.system, 'DisableCAD', 1)], { unreadableOn: { user: [0] } });
    const { result } = audit(fixture.files);
    expect(findingsFor(result, 'workspaces-ctrl-alt-del-not-required').map((f) => f.gpo?.name)).toEqual([RSOP_GPOS[0]!.name]);
  });

  // In RSoP, AC and DC may win from different GPOs; the comparison uses the values that apply.
  // Here AC 1500 s applies with DC 1800 s: the disk turns off sooner plugged in.
  it('hard disk: AC from one GPO and DC from another are compared as they apply', () => {
    const fixture = rsopReport([dword('HKLM', KEYS.disk, 'ACSettingIndex', 1500, { rsopGpo: 0 }), dword('HKLM', KEYS.disk, 'DCSettingIndex', 1800, { rsopGpo: 1 })]);
    const { result, root } = audit(fixture.files);
    const found = findingsFor(result, 'workspaces-hard-disk-turn-off');
    expect(found.map((f) => [f.gpo?.name, whereOf(f)])).toEqual([[RSOP_GPOS[0]!.name, expectedWhere(root, 'rsop', [fixture.placements[0]!])]]);
  });

  it('hard disk: AC and DC from the same winning GPO are compared', () => {
    const fixture = rsopReport([dword('HKLM', KEYS.disk, 'ACSettingIndex', 1500, { rsopGpo: 1 }), dword('HKLM', KEYS.disk, 'DCSettingIndex', 1800, { rsopGpo: 1 })]);
    const { result, root } = audit(fixture.files);
    const found = findingsFor(result, 'workspaces-hard-disk-turn-off');
    expect(found.map((f) => [f.gpo?.name, whereOf(f)])).toEqual([[RSOP_GPOS[1]!.name, expectedWhere(root, 'rsop', [fixture.placements[0]!])]]);
  });
});
