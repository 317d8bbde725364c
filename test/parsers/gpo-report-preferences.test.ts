// Group Policy Preferences inside GPO reports and RSoP (issue 7, item 1): the "Windows Registry" and "Power Options"
// extensions give the same preference settings as the stand-alone Registry.xml and PowerOptions.xml, and an extension
// gpaudit does not read makes the rules it could affect "not evaluated" for its GPO instead of passing silently.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../src/model/parse-result.js';
import type { PowerPlanSetting, RegistrySetting, Setting } from '../../src/model/settings.js';
import { extensionCanSet } from '../../src/model/extensions.js';
import { parseGpoReport } from '../../src/parsers/gpo-report.js';
import { parseGppPowerOptions } from '../../src/parsers/gpp-power.js';
import { parseGppRegistry } from '../../src/parsers/gpp-registry.js';
import { parseRsop } from '../../src/parsers/rsop.js';
import { cli } from '../helpers/cli.js';
import { describeCorpus, REALDATA } from '../helpers/realdata.js';
import { HEALTH_RULES, ids } from '../helpers/rule-pack.js';

const HEALTH_IDS = new Set(ids(HEALTH_RULES));

const FIXTURES = 'test/fixtures/gpo-report';
const PREFERENCES = `${FIXTURES}/gpp-preferences.xml`;
const DISABLED_AND_TARGETED = `${FIXTURES}/gpp-disabled-and-targeted.xml`;
const UNKNOWN = `${FIXTURES}/unknown-extension.xml`;
const RSOP = 'test/fixtures/rsop/gpp-registry.xml';

const SYSTEM = 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System';
const BANNER = 'workspaces-logon-banner';
const WS_GPO = { id: '{5A0C7B3E-1D2F-4E6A-9B8C-0D1E2F3A4B5C}', domain: 'corp.example.test', name: 'WorkSpaces - Preferences' };

const registry = (r: ParseResult) => r.settings.filter((s): s is RegistrySetting => s.kind === 'registry');
const power = (r: ParseResult) => r.settings.filter((s): s is PowerPlanSetting => s.kind === 'power-plan');
const lineOf = (s: Setting) => ('line' in s.provenance.position ? s.provenance.position.line : undefined);
const prefs = (overrides: Partial<{ itemName: string; action: string; conditional: boolean; disabled: boolean; collections: string[] }>) => ({
  itemName: '', action: 'update', conditional: false, disabled: false, collections: [], ...overrides,
});
/** What a rule reads of a setting: everything but where it was read. */
const withoutProvenance = (s: Setting) => ({ ...s, provenance: undefined });

interface AuditJson {
  rules: { id: string }[];
  findings: { ruleId: string; gpo?: { id?: string; name?: string }; rsop?: unknown; conditional?: boolean; locations: { file: string; format: string; position: unknown }[] }[];
  notEvaluated: { ruleId: string; input?: string; reason: string }[];
}
async function audit(file: string): Promise<AuditJson> {
  const r = await cli(['audit', file, '--format', 'json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as AuditJson;
}

describeCorpus('AllPreferences1.xml: a real Get-GPOReport with every preference type', () => {
  const path = join(REALDATA, 'raandree__GpoReport/tests/TestData/AllPreferences1.xml');
  const r = parseGpoReport(readFileSync(path), { file: path });
  const gpo = { id: '{95DBC7FB-4D64-4CC7-A161-E998690FC621}', domain: 'contoso.com', name: 'AllPreferences1' };
  const wizard = ['Registry Wizard Values', 'HKEY_LOCAL_MACHINE', 'SYSTEM', 'HardwareConfig'];

  it('reads the Windows Registry items with their key, value, collections and line', () => {
    expect(r.problems).toEqual([]);
    expect(registry(r).map((s) => [s.hive, s.key, s.valueName, s.operation, s.preference, lineOf(s)])).toEqual([
      ['HKLM', 'SYSTEM\\Maps', 'fgdfgf', { op: 'set', data: { type: 'REG_SZ', value: 'fdgdfg' } }, prefs({ itemName: 'fgdfgf' }), 334],
      ['HKLM', 'SYSTEM\\HardwareConfig', '', { op: 'create-key' }, prefs({ itemName: 'HardwareConfig', collections: wizard }), 353],
      ['HKLM', 'SYSTEM\\HardwareConfig', 'LastId', { op: 'set', data: { type: 'REG_DWORD', value: 0 } }, prefs({ itemName: 'LastId', collections: wizard }), 360],
    ]);
    expect(registry(r)[0]!.provenance).toEqual({ gpo, file: path, format: 'gpo-report', position: { line: 334 } });
  });

  it('reads the Power Options item, conditional through its hidden OS filters', () => {
    expect(power(r)).toEqual([{
      kind: 'power-plan', variant: 'global-power-options-xp', itemName: 'Power Options (Windows XP)', makeActive: false,
      properties: { promptPassword: '1', enableHibernation: '0', closeLid: 'STAND_BY', pressPowerBtn: 'SHUT_DOWN', pressSleepBtn: 'SHUT_DOWN' },
      preference: prefs({ itemName: 'Power Options (Windows XP)', conditional: true }),
      provenance: { gpo, file: path, format: 'gpo-report', position: { line: 391 } },
    }]);
  });

  it('no longer lists Windows Registry and Power Options as unread; lists the rest with their namespaces', () => {
    const info = r.gpos[0]!;
    expect(info.unreadExtensions).toEqual([
      'Environment Variables', 'Local Users and Groups', 'Devices', 'Folders', 'Network Shares', 'Files', 'Data Sources', 'Ini Files',
      'Services', 'Folder Options', 'Scheduled Tasks', 'Shortcuts',
    ]);
    const ns = 'http://www.microsoft.com/GroupPolicy/Settings';
    expect(info.sources[0]!.unreadExtensions?.map((u) => [u.namespace, u.scope])).toEqual(
      ['Environment', 'Lugs', 'Devices', 'Folders', 'NetworkShares', 'Files', 'DataSources', 'IniFiles', 'Services', 'FolderOptions', 'ScheduledTasks', 'Shortcuts'].map((n) => [`${ns}/${n}`, 'computer']),
    );
  });

  it('gives exactly what the stand-alone Registry.xml and PowerOptions.xml of the same lab GPO give, apart from provenance', () => {
    const backup = join(REALDATA, 'raandree__GpoReport/GpoBackup/{FF584826-3215-4323-ACA3-CEFEF30DFBD2}');
    const prefsDir = join(backup, 'DomainSysvol/GPO/Machine/Preferences');
    const file = parseGppRegistry(readFileSync(join(prefsDir, 'Registry/Registry.xml')), { file: 'Registry.xml' });
    const plan = parseGppPowerOptions(readFileSync(join(prefsDir, 'PowerOptions/PowerOptions.xml')), { file: 'PowerOptions.xml' });
    expect(r.settings.map(withoutProvenance)).toEqual([...file.settings, ...plan.settings].map(withoutProvenance));
    // The report GPMC wrote into the backup folder says the same as the files beside it.
    const beside = parseGpoReport(readFileSync(join(backup, 'gpreport.xml')), { file: 'gpreport.xml' });
    expect(beside.settings.map(withoutProvenance)).toEqual(r.settings.map(withoutProvenance));
  });

  it('gpaudit settings lists the still-unread extensions, not Windows Registry or Power Options', async () => {
    const out = await cli(['settings', path]);
    const line = out.stdout.split('\n').find((l) => l.includes('not evaluated (extensions gpaudit does not model)'));
    expect(line).toBeDefined();
    expect(line).toContain('Local Users and Groups');
    expect(line).not.toContain('Windows Registry');
    expect(line).not.toContain('Power Options');
    expect(out.stdout).toContain('HKLM\\SYSTEM\\Maps\\fgdfgf');
  });

  it('gpaudit audit says which rule Local Users and Groups could affect, and evaluates the rest', async () => {
    const doc = await audit(path);
    expect(doc.notEvaluated).toEqual([{
      ruleId: 'workspaces-remote-desktop-users-restricted',
      input: path,
      reason: 'the GPO "AllPreferences1" holds the "Local Users and Groups" extension, which gpaudit does not read and which can set this rule\'s setting',
    }]);
  });
});

describe('GPP Registry and Power Options in a GPO report of our own', () => {
  it('reads the items like the stand-alone parsers do: same settings, report provenance, GPOSettingOrder not an item', () => {
    const r = parseGpoReport(readFileSync(PREFERENCES), { file: PREFERENCES });
    expect(r.problems).toEqual([]);
    expect(registry(r).map((s) => [s.key, s.valueName, s.operation, s.preference, lineOf(s), s.provenance.format, s.provenance.gpo])).toEqual([
      [SYSTEM, 'LegalNoticeText', { op: 'set', data: { type: 'REG_SZ', value: 'Authorised use only' } }, prefs({ itemName: 'LegalNoticeText', collections: ['Logon screen'] }), 24, 'gpo-report', WS_GPO],
      ['SOFTWARE\\Policies\\Microsoft\\Windows\\Installer', 'DisableMSI', { op: 'set', data: { type: 'REG_DWORD', value: 0 } }, prefs({ itemName: 'DisableMSI' }), 32, 'gpo-report', WS_GPO],
    ]);
    expect(power(r)).toMatchObject([{ variant: 'power-plan-v2', planGuid: '381b4222-f694-41f0-9685-ff5bb260df2e', makeActive: true, provenance: { format: 'gpo-report', position: { line: 46 } } }]);
    expect(r.gpos[0]!.unreadExtensions).toBeUndefined();
  });

  it('gives a logon-banner finding naming the GPO, the file and the line of the item', async () => {
    const doc = await audit(PREFERENCES);
    const banner = doc.findings.filter((f) => f.ruleId === BANNER);
    expect(banner).toHaveLength(1);
    expect(banner[0]!.gpo).toEqual(WS_GPO);
    expect(banner[0]!.locations).toMatchObject([{ file: PREFERENCES, format: 'gpo-report', position: { line: 24 } }]);
    expect(banner[0]!.conditional).toBeUndefined();
    expect(doc.notEvaluated).toEqual([]);
  });

  it('evaluates power-plan rules on a GPO report: a Balanced plan made active is a finding', async () => {
    const doc = await audit(PREFERENCES);
    const sleeps = doc.findings.filter((f) => f.ruleId === 'workspaces-power-plan-sleeps');
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]!.locations).toMatchObject([{ file: PREFERENCES, format: 'gpo-report', position: { line: 46 } }]);
  });

  it('a power-plan rule alone counts a GPO report as an input that can carry it', async () => {
    const rules = join(mkdtempSync(join(tmpdir(), 'gpaudit-gpp-report-')), 'rules.yaml');
    writeFileSync(rules, [
      'version: 1',
      'rules:',
      '  plan-made-active:',
      '    title: A power plan preference is made active',
      '    severity: low',
      '    tags: [test]',
      '    checks:',
      '      - match: { powerPlan: { variant: power-plan-v2 } }',
      '        when: { property: makeActive, is: { equals: true } }',
      '    notConfigured: pass',
      '    rationale: test',
      '    remediation: test',
      '',
    ].join('\n'));
    const r = await cli(['audit', PREFERENCES, '--rules', rules, '--format', 'json']);
    const doc = JSON.parse(r.stdout) as AuditJson;
    expect(doc.notEvaluated).toEqual([]);
    expect(doc.findings.map((f) => [f.ruleId, f.locations[0]?.position])).toEqual([['plan-made-active', { line: 46 }]]);
  });

  it('reads a disabled item, flagged disabled, and gives no finding for it', async () => {
    const r = parseGpoReport(readFileSync(DISABLED_AND_TARGETED), { file: DISABLED_AND_TARGETED });
    expect(r.problems).toEqual([]);
    const [disabled] = registry(r);
    expect([disabled!.valueName, disabled!.preference, lineOf(disabled!), disabled!.provenance.gpo.name]).toEqual([
      'LegalNoticeCaption', prefs({ itemName: 'LegalNoticeCaption', disabled: true }), 17, 'Banner - disabled item',
    ]);
    const doc = await audit(DISABLED_AND_TARGETED);
    expect(doc.findings.filter((f) => f.ruleId === BANNER).map((f) => f.gpo?.name)).toEqual(['Banner - targeted item']);
  });

  it('an item with Filters (item-level targeting) gives a conditional finding', async () => {
    const doc = await audit(DISABLED_AND_TARGETED);
    const targeted = doc.findings.find((f) => f.ruleId === BANNER && f.gpo?.name === 'Banner - targeted item');
    expect(targeted).toMatchObject({
      conditional: true,
      gpo: { id: '{7C1D2E3F-4A5B-4C6D-8E9F-0A1B2C3D4E02}' },
      locations: [{ file: DISABLED_AND_TARGETED, format: 'gpo-report', position: { line: 48 } }],
    });
  });
});

describe('GPP Registry in an RSoP of our own', () => {
  it('takes each item\'s GPO and precedence from the RSoP Base elements on the item', () => {
    const r = parseRsop(readFileSync(RSOP), { file: RSOP });
    expect(r.problems).toEqual([]);
    expect(registry(r).map((s) => [s.valueName, s.operation, s.provenance.gpo.name, s.provenance.rsop, lineOf(s), s.provenance.format])).toEqual([
      ['LegalNoticeText', { op: 'set', data: { type: 'REG_SZ', value: 'Authorised use only' } }, 'WorkSpaces - Preferences', { precedence: 1, winner: true }, 59, 'rsop'],
      ['LegalNoticeText', { op: 'set', data: { type: 'REG_SZ', value: 'Old domain banner' } }, 'Default Domain Policy', { precedence: 2, winner: false }, 71, 'rsop'],
    ]);
  });

  it('gives the banner finding with the winning GPO only', async () => {
    const doc = await audit(RSOP);
    const banner = doc.findings.filter((f) => f.ruleId === BANNER);
    expect(banner.map((f) => [f.gpo, f.rsop, f.locations.map((l) => [l.file, l.format, l.position])])).toEqual([
      [WS_GPO, { precedence: 1, winner: true }, [[RSOP, 'rsop', { line: 59 }]]],
    ]);
  });

  it('an unknown extension that names its GPO makes the rules not evaluated for that GPO only', async () => {
    const doc = await audit(RSOP);
    // The rules that read settings: the GPO health rules judge versions and folders, which no extension writes.
    const gpoRules = doc.rules.map((r) => r.id).filter((id) => !HEALTH_IDS.has(id)).sort();
    // RSoP carries no GPO versions: the version rule is not evaluated audit-wide, for want of input (not for this GPO).
    const forSettings = doc.notEvaluated.filter((n) => !HEALTH_IDS.has(n.ruleId));
    expect(forSettings.map((n) => n.ruleId).sort()).toEqual(gpoRules);
    expect(doc.notEvaluated.filter((n) => HEALTH_IDS.has(n.ruleId)).map((n) => [n.ruleId, n.input])).toEqual([['gpo-version-mismatch', undefined]]);
    for (const n of forSettings) {
      expect(n).toEqual({
        ruleId: n.ruleId,
        input: RSOP,
        reason: 'the GPO "Default Domain Policy" holds the "Contoso Agent Settings" extension, which gpaudit does not read and which can set this rule\'s setting',
      });
    }
  });
});

describe('extensions gpaudit does not read', () => {
  it('an unknown extension namespace makes every GPO rule not evaluated for that GPO, named in the audit JSON', async () => {
    const doc = await audit(UNKNOWN);
    // The rules that read settings: the GPO health rules judge versions and folders, which no extension writes.
    const gpoRules = doc.rules.map((r) => r.id).filter((id) => !HEALTH_IDS.has(id)).sort();
    expect(gpoRules.length).toBeGreaterThan(10);
    expect(doc.notEvaluated.map((n) => n.ruleId).sort()).toEqual(gpoRules);
    // One entry per rule and GPO; the Windows Firewall extension beside it cannot set anything the pack reads.
    expect(new Set(doc.notEvaluated.map((n) => n.reason))).toEqual(new Set([
      'the GPO "Contoso Agent" holds the "Contoso Agent Settings" extension, which gpaudit does not read and which can set this rule\'s setting',
    ]));
    expect(doc.notEvaluated.every((n) => n.input === UNKNOWN)).toBe(true);
  });

  it('records the namespace and side of each, and keeps listing their names', () => {
    const r = parseGpoReport(readFileSync(UNKNOWN), { file: UNKNOWN });
    expect(r.gpos[0]!.unreadExtensions).toEqual(['Contoso Agent Settings', 'Windows Firewall']);
    expect(r.gpos[0]!.sources).toEqual([{
      file: UNKNOWN,
      format: 'gpo-report',
      unreadExtensions: [
        { name: 'Contoso Agent Settings', namespace: 'http://schemas.contoso.example/GroupPolicy/AgentSettings', scope: 'computer' },
        { name: 'Windows Firewall', namespace: 'http://www.microsoft.com/GroupPolicy/Settings/WindowsFirewall', scope: 'computer' },
      ],
    }]);
  });

  it('decides by namespace what each can write', () => {
    const gp = 'http://www.microsoft.com/GroupPolicy/Settings';
    const banner = { kind: 'registry', hive: 'HKLM', key: SYSTEM } as const;
    // Unknown: anything.
    for (const t of [banner, { kind: 'right' }, { kind: 'groupMembers' }, { kind: 'accountPolicy' }, { kind: 'powerPlan' }] as const) {
      expect(extensionCanSet('http://schemas.contoso.example/x', t)).toBe(true);
      expect(extensionCanSet('', t)).toBe(true);
    }
    // Local Users and Groups: group members and account state, no registry values.
    expect(extensionCanSet(`${gp}/Lugs`, { kind: 'groupMembers' })).toBe(true);
    expect(extensionCanSet(`${gp}/Lugs`, banner)).toBe(false);
    // Files, shortcuts, drive maps, printers, environment: nothing a WorkSpaces rule reads.
    for (const ext of ['Files', 'Shortcuts', 'DriveMaps', 'Printers', 'Environment']) {
      expect(extensionCanSet(`${gp}/${ext}`, banner)).toBe(false);
      expect(extensionCanSet(`${gp}/${ext}`, { kind: 'right' })).toBe(false);
    }
    // Registry-writing extensions only below their own keys, any case, whole key names only.
    const fw = `${gp}/WindowsFirewall`;
    expect(extensionCanSet(fw, { kind: 'registry', hive: 'HKLM', key: 'software\\policies\\microsoft\\windowsfirewall\\DomainProfile' })).toBe(true);
    expect(extensionCanSet(fw, { kind: 'registry', hive: 'HKLM', key: 'Software\\Policies\\Microsoft\\WindowsFirewallX' })).toBe(false);
    expect(extensionCanSet(fw, banner)).toBe(false);
    expect(extensionCanSet(`${gp}/Environment`, { kind: 'registry', hive: 'HKCU', key: 'Environment' })).toBe(true);
    // The localised name never decides: only the namespace reaches the table.
    expect(extensionCanSet('Windows Firewall', banner)).toBe(true);
  });
});
