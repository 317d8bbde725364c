// The rule evaluator (src/engine/evaluate.ts, evaluate-directory.ts) fed by hand-made settings, with whole findings
// compared: message, notes, GPO, locations, flags and fingerprint; and the exact not-evaluated entries. The pack and
// corpus tests reach the engine through the parsers; here each input is exactly what a case is about. Lives under
// test/rules so that the mutation run (vitest.stryker.config.ts) runs it.
import { describe, expect, it } from 'vitest';
import { DirectoryEvaluator } from '../../src/engine/evaluate-directory.js';
import { Evaluator, fingerprint, isDirectoryGpoRule, isDirectoryRule, type ResultantGpo } from '../../src/engine/evaluate.js';
import type { DirectoryUser } from '../../src/model/directory.js';
import type { Finding, FindingLocation } from '../../src/model/findings.js';
import type { GpoInfo, UnreadExtension } from '../../src/model/gpo.js';
import type { GpoFact } from '../../src/model/gpo-health.js';
import type {
  AccountPolicySetting,
  GpoRef,
  GroupMembershipSetting,
  InputFormat,
  PowerPlanSetting,
  PreferenceMeta,
  Principal,
  PrivilegeRightSetting,
  Provenance,
  RegistryData,
  RegistryOperation,
  RegistrySetting,
  Setting,
  SourcePosition,
} from '../../src/model/settings.js';
import type { FileOutcome, GpoSettings, NormalisedUnit } from '../../src/model/unit.js';
import { settingKey } from '../../src/model/keys.js';
import type { Check, Condition, Matcher, NotConfigured, Rule } from '../../src/rules/types.js';

const GUID = '{6AC1786C-016F-11D2-945F-00C04FB984F9}';
const GPO: GpoRef = { id: GUID, name: 'WorkSpaces Baseline' };
const OTHER: GpoRef = { id: '{31B2F340-016D-11D2-945F-00C04FB984F9}', name: 'Default Domain Policy' };
const KEY = 'Software\\Policies\\Microsoft\\Windows\\Installer';
const REPORT = 'gpos/baseline/report.xml';
const POL = 'gpos/baseline/Machine/Registry.pol';
const GP = 'http://www.microsoft.com/GroupPolicy/Settings';

const dw = (value: number): RegistryData => ({ type: 'REG_DWORD', value });

function prov(file: string, format: InputFormat, position: SourcePosition, gpo: GpoRef = GPO, rsop?: Provenance['rsop']): Provenance {
  return { gpo, file, format, position, ...(rsop ? { rsop } : {}) };
}

interface RegOptions {
  hive?: 'HKLM' | 'HKCU';
  key?: string;
  name?: string;
  op?: RegistryOperation;
  file?: string;
  format?: InputFormat;
  position?: SourcePosition;
  gpo?: GpoRef;
  preference?: Partial<PreferenceMeta>;
  rsop?: Provenance['rsop'];
}

/** A registry value as a parser gives it: by default DisableMSI = value (REG_DWORD) from the report, line 12. */
function reg(value: number | RegistryData, o: RegOptions = {}): RegistrySetting {
  return {
    kind: 'registry',
    hive: o.hive ?? 'HKLM',
    key: o.key ?? KEY,
    valueName: o.name ?? 'DisableMSI',
    operation: o.op ?? { op: 'set', data: typeof value === 'number' ? dw(value) : value },
    ...(o.preference ? { preference: { itemName: 'Item', action: 'update', conditional: false, disabled: false, collections: [], ...o.preference } } : {}),
    provenance: prov(o.file ?? REPORT, o.format ?? 'gpo-report', o.position ?? { line: 12 }, o.gpo ?? GPO, o.rsop),
  };
}

function right(name: string, holders: Principal[], position: SourcePosition = { line: 30 }): PrivilegeRightSetting {
  return { kind: 'privilege-right', right: name, principals: holders, provenance: prov(REPORT, 'gpo-report', position) };
}

function group(g: Principal, members: Principal[] | undefined): GroupMembershipSetting {
  return { kind: 'group-membership', group: g, ...(members ? { members } : {}), provenance: prov(REPORT, 'gpo-report', { line: 40 }) };
}

function account(name: string, value: string | number | boolean): AccountPolicySetting {
  return { kind: 'account-policy', section: 'System Access', name, value, provenance: prov(REPORT, 'gpo-report', { line: 50 }) };
}

function powerPlan(itemName: string, properties: Record<string, string>, o: { variant?: PowerPlanSetting['variant']; conditional?: boolean; disabled?: boolean; line?: number } = {}): PowerPlanSetting {
  return {
    kind: 'power-plan',
    variant: o.variant ?? 'power-plan-v2',
    itemName,
    planGuid: '381b4222-f694-41f0-9685-ff5bb260df2e',
    makeActive: true,
    properties,
    preference: { itemName, action: 'update', conditional: o.conditional ?? false, disabled: o.disabled ?? false, collections: [] },
    provenance: prov('gpos/baseline/Machine/Preferences/PowerOptions/PowerOptions.xml', 'gpp-power', { line: o.line ?? 3 }),
  };
}

function rule(id: string, checks: Check[], notConfigured: NotConfigured = { outcome: 'pass' }): Rule {
  return {
    id,
    title: `Title of ${id}`,
    severity: 'high',
    tags: ['workspaces'],
    checks,
    notConfigured,
    rationale: '',
    remediation: '',
    references: [],
    source: { file: 'rules.yaml', line: 1 },
  };
}

const registryMatch = (name = 'DisableMSI', hive: 'HKLM' | 'HKCU' = 'HKLM', key = KEY): Matcher => ({ kind: 'registry', refs: [{ hive, key, value: name }] });
const check = (match: Matcher, when: Condition, message?: string): Check => ({ match, when, ...(message ? { message } : {}) });
const GTE1: Condition = { kind: 'gte', value: 1 };
/** Fires when DisableMSI is 1 or more. */
const MSI = rule('msi', [check(registryMatch(), GTE1)]);

function gpoOf(settings: Setting[], o: { gpo?: GpoRef; info?: Partial<GpoInfo> } = {}): GpoSettings {
  const gpo = o.gpo ?? GPO;
  return { gpo, ...(o.info ? { info: { ref: gpo, links: [], sources: [], ...o.info } } : {}), settings };
}

/** A unit whose files were all read (one outcome per file its settings name, with that file's format). */
function unit(gpos: GpoSettings[], extra: FileOutcome[] = [], display = 'gpos/baseline'): NormalisedUnit {
  const read = new Map<string, InputFormat>();
  for (const g of gpos) for (const s of g.settings) read.set(s.provenance.file, s.provenance.format);
  return { display, gpos, problems: [], outcomes: [...[...read].map(([file, format]): FileOutcome => ({ file, status: 'read', format })), ...extra] };
}

function run(rules: Rule[], units: NormalisedUnit[], ou?: string): { findings: Finding[]; notEvaluated: ReturnType<Evaluator['finish']>['notEvaluated'] } {
  const e = new Evaluator(rules);
  for (const u of units) e.addUnit(u);
  return e.finish(ou === undefined ? {} : { ou });
}

const loc = (file: string, format: InputFormat, position: SourcePosition, setting: string): FindingLocation => ({ file, format, position, setting });
const MSI_PATH = `HKLM\\${KEY}\\DisableMSI`;
const msiKey = `registry:hklm\\${KEY.toLowerCase()}\\disablemsi`;
const GPO_KEY = GUID.toUpperCase();

describe('a registry finding, whole', () => {
  it('names the GPO, every place the value was read once, and a fingerprint of rule, GPO and setting', () => {
    const { findings, notEvaluated } = run(
      [MSI],
      [unit([gpoOf([reg(2), reg(2, { file: POL, format: 'registry-pol', position: { byteOffset: 40 } }), reg(2)])])],
    );
    expect(notEvaluated).toEqual([]);
    expect(findings).toEqual<Finding[]>([
      {
        ruleId: 'msi',
        title: 'Title of msi',
        severity: 'high',
        tags: ['workspaces'],
        message: 'Title of msi: DisableMSI = 2 (REG_DWORD)',
        gpo: GPO,
        locations: [loc(REPORT, 'gpo-report', { line: 12 }, `${MSI_PATH} = 2 (REG_DWORD)`), loc(POL, 'registry-pol', { byteOffset: 40 }, `${MSI_PATH} = 2 (REG_DWORD)`)],
        fingerprint: fingerprint(['msi', GPO_KEY, msiKey]),
      },
    ]);
  });

  it('keeps two places in one file apart, and two values of one setting apart by what they say', () => {
    const { findings } = run([MSI], [unit([gpoOf([reg(2), reg(2, { position: { line: 13 } }), reg(3, { position: { line: 12 } }), reg(2, { file: 'copy/report.xml' })])])]);
    expect(findings[0]!.message).toBe('Title of msi: DisableMSI = 2 (REG_DWORD); DisableMSI = 3 (REG_DWORD)');
    expect(findings[0]!.locations).toEqual([
      loc(REPORT, 'gpo-report', { line: 12 }, `${MSI_PATH} = 2 (REG_DWORD)`),
      loc(REPORT, 'gpo-report', { line: 13 }, `${MSI_PATH} = 2 (REG_DWORD)`),
      loc(REPORT, 'gpo-report', { line: 12 }, `${MSI_PATH} = 3 (REG_DWORD)`),
      loc('copy/report.xml', 'gpo-report', { line: 12 }, `${MSI_PATH} = 2 (REG_DWORD)`),
    ]);
  });

  it('one finding per rule and GPO when the GPO arrives in two units: the second adds its new locations', () => {
    const a = unit([gpoOf([reg(2), reg(2, { position: { line: 13 } })])]);
    const b = unit([gpoOf([reg(2, { file: POL, format: 'registry-pol', position: { byteOffset: 8 } }), reg(2)])], [], 'gpos/baseline-copy');
    const { findings } = run([MSI], [a, b]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toBe('Title of msi: DisableMSI = 2 (REG_DWORD)');
    expect(findings[0]!.locations).toEqual([
      loc(REPORT, 'gpo-report', { line: 12 }, `${MSI_PATH} = 2 (REG_DWORD)`),
      loc(REPORT, 'gpo-report', { line: 13 }, `${MSI_PATH} = 2 (REG_DWORD)`),
      loc(POL, 'registry-pol', { byteOffset: 8 }, `${MSI_PATH} = 2 (REG_DWORD)`),
    ]);
  });

  it('two GPOs make two findings; a GPO without id or name is told apart by its unit', () => {
    const anon: GpoRef = {};
    const { findings } = run(
      [MSI],
      [
        unit([gpoOf([reg(1)]), gpoOf([reg(1, { gpo: OTHER })], { gpo: OTHER })]),
        unit([gpoOf([reg(1, { gpo: anon, file: 'loose-a.pol', format: 'registry-pol', position: { byteOffset: 0 } })], { gpo: anon })], [], 'loose-a.pol'),
        unit([gpoOf([reg(1, { gpo: anon, file: 'loose-b.pol', format: 'registry-pol', position: { byteOffset: 0 } })], { gpo: anon })], [], 'loose-b.pol'),
      ],
    );
    expect(findings.map((f) => [f.gpo, f.locations.map((l) => l.file), f.fingerprint])).toEqual([
      [GPO, [REPORT], fingerprint(['msi', GPO_KEY, msiKey])],
      [OTHER, [REPORT], fingerprint(['msi', OTHER.id!, msiKey])],
      [undefined, ['loose-a.pol'], fingerprint(['msi', 'input:loose-a.pol', msiKey])],
      [undefined, ['loose-b.pol'], fingerprint(['msi', 'input:loose-b.pol', msiKey])],
    ]);
  });

  it('names a GPO known only by its name', () => {
    const named: GpoRef = { name: 'Kiosk' };
    const { findings } = run([MSI], [unit([gpoOf([reg(1, { gpo: named })], { gpo: named })])]);
    expect(findings.map((f) => [f.gpo, f.fingerprint])).toEqual([[named, fingerprint(['msi', 'name:Kiosk', msiKey])]]);
  });

  it('a value that passes makes no finding but counts as configured', () => {
    const r = rule('msi', [check(registryMatch(), GTE1)], { outcome: 'fail', severity: 'low', message: 'Nothing sets DisableMSI' });
    expect(run([r], [unit([gpoOf([reg(0)])])])).toEqual({ findings: [], notEvaluated: [] });
  });
});

describe('what a finding says', () => {
  it('a check message template fills in {setting} and {value}, and is kept as a note', () => {
    const r = rule('msi', [check(registryMatch(), GTE1, 'MSI is off ({value}) by {setting}')]);
    const { findings } = run([r], [unit([gpoOf([reg(2)])])]);
    const said = `MSI is off (DisableMSI = 2 (REG_DWORD)) by ${MSI_PATH} = 2 (REG_DWORD)`;
    expect(findings[0]).toMatchObject({ message: `Title of msi: ${said}`, notes: [said] });
  });

  it('lists condition notes after the settings, once each; a default description is not a note', () => {
    const long = rule('name', [check(registryMatch('Name'), { kind: 'longerThan', length: 3 }), check(registryMatch('Other'), { kind: 'longerThan', length: 3 })]);
    const { findings } = run(
      [long],
      [unit([gpoOf([reg({ type: 'REG_SZ', value: 'abcd' }, { name: 'Name' }), reg({ type: 'REG_SZ', value: 'wxyz' }, { name: 'Other', position: { line: 14 } })])])],
    );
    expect(findings[0]).toMatchObject({
      message: 'Title of name: Name = "abcd" (REG_SZ); Other = "wxyz" (REG_SZ) (4 characters, more than 3)',
      notes: ['4 characters, more than 3'],
    });
  });

  it('a multi-string, a value written only when absent', () => {
    const r = rule('m', [check(registryMatch('List'), { kind: 'nonEmpty' }), check(registryMatch('Soft'), GTE1)]);
    const { findings } = run([r], [unit([gpoOf([reg({ type: 'REG_MULTI_SZ', value: ['a', 'b'] }, { name: 'List' }), reg(0, { name: 'Soft', op: { op: 'set-if-absent', data: dw(4) } })])])]);
    expect(findings[0]!.message).toBe('Title of m: List = ["a", "b"] (REG_MULTI_SZ); Soft = 4 (REG_DWORD)');
    expect(findings[0]!.notes).toBeUndefined();
    expect(findings[0]!.locations.map((l) => l.setting)).toEqual([`HKLM\\${KEY}\\List = ["a", "b"] (REG_MULTI_SZ)`, `HKLM\\${KEY}\\Soft = 4 (REG_DWORD) unless already set`]);
  });

  it('a preference item with item-level targeting makes the finding conditional, and says so', () => {
    const { findings } = run([MSI], [unit([gpoOf([reg(1, { format: 'gpp-registry', file: 'Registry.xml', position: { line: 4 }, preference: { itemName: 'MSI', conditional: true } })])])]);
    const note = 'set by a preference item with item-level targeting: it applies only where its filters match';
    expect(findings).toEqual([
      {
        ruleId: 'msi',
        title: 'Title of msi',
        severity: 'high',
        tags: ['workspaces'],
        message: `Title of msi: DisableMSI = 1 (REG_DWORD) (${note})`,
        notes: [note],
        gpo: GPO,
        locations: [loc('Registry.xml', 'gpp-registry', { line: 4 }, `${MSI_PATH} = 1 (REG_DWORD)  [preference "MSI" update, conditional (item-level targeting)]`)],
        conditional: true,
        fingerprint: fingerprint(['msi', GPO_KEY, msiKey]),
      },
    ]);
  });

  it('one targeted item among plain values makes the finding conditional; a template and the note are both notes', () => {
    const r = rule('msi', [check(registryMatch(), GTE1, 'MSI off: {value}')]);
    const targeted = reg(1, { format: 'gpp-registry', file: 'Registry.xml', position: { line: 4 }, preference: { itemName: 'MSI', conditional: true } });
    const { findings } = run([r], [unit([gpoOf([reg(1), targeted])])]);
    const note = 'set by a preference item with item-level targeting: it applies only where its filters match';
    expect(findings[0]).toMatchObject({ message: `Title of msi: MSI off: DisableMSI = 1 (REG_DWORD) (${note})`, notes: ['MSI off: DisableMSI = 1 (REG_DWORD)', note], conditional: true });
  });

  it('a condition note and the targeting note, in that order', () => {
    const r = rule('long', [check(registryMatch('Name'), { kind: 'longerThan', length: 3 })]);
    const targeted = reg({ type: 'REG_SZ', value: 'abcd' }, { name: 'Name', format: 'gpp-registry', file: 'Registry.xml', position: { line: 4 }, preference: { itemName: 'N', conditional: true } });
    const note = 'set by a preference item with item-level targeting: it applies only where its filters match';
    expect(run([r], [unit([gpoOf([targeted])])]).findings[0]).toMatchObject({
      message: `Title of long: Name = "abcd" (REG_SZ) (4 characters, more than 3; ${note})`,
      notes: ['4 characters, more than 3', note],
    });
  });

  it('a disabled preference item is left out; one without targeting is not conditional', () => {
    expect(run([MSI], [unit([gpoOf([reg(1, { preference: { disabled: true } })])])]).findings).toEqual([]);
    const { findings } = run([MSI], [unit([gpoOf([reg(1, { preference: {} })])])]);
    expect(findings[0]!.conditional).toBeUndefined();
    expect(findings[0]!.notes).toBeUndefined();
  });
});

describe('deleted values', () => {
  it.each<[string, RegistryOperation]>([
    ['deleted', { op: 'delete' }],
    ['all values deleted', { op: 'delete-all-values' }],
  ])('%s: configured, but nothing for a condition to fire on', (_name, op) => {
    // "not 1" and "empty" would both hold on the empty value a deleted one would read as.
    const r = rule('gone', [check(registryMatch(), { kind: 'not', condition: { kind: 'equals', value: 1 } }), check(registryMatch(), { kind: 'empty' })]);
    expect(run([r], [unit([gpoOf([reg(0, { op })])])])).toEqual({ findings: [], notEvaluated: [] });
  });

  it('a key-level operation on the value reads as no data', () => {
    const r = rule('empty', [check(registryMatch(), { kind: 'equals', value: '' })]);
    const { findings } = run([r], [unit([gpoOf([reg(0, { op: { op: 'secure-key', secure: true } })])])]);
    expect(findings.map((f) => f.message)).toEqual(['Title of empty: DisableMSI = key secured (admins full control, users read)']);
  });
});

describe('settings that do not take effect', () => {
  const user = (v: number) => reg(v, { hive: 'HKCU', name: 'NoRun', key: 'Software\\Policies\\Explorer' });
  const userRule = rule('norun', [check(registryMatch('NoRun', 'HKCU', 'Software\\Policies\\Explorer'), GTE1)]);
  const both = [MSI, userRule];
  const ids = (info: Partial<GpoInfo> | undefined) => run(both, [unit([gpoOf([reg(1), user(1)], info ? { info } : {})])]).findings.map((f) => f.ruleId);

  it.each<[string, Partial<GpoInfo> | undefined, string[]]>([
    ['both halves apply', undefined, ['msi', 'norun']],
    ['both halves enabled', { computerEnabled: true, userEnabled: true }, ['msi', 'norun']],
    ['the computer half disabled', { computerEnabled: false }, ['norun']],
    ['the user half disabled', { userEnabled: false }, ['msi']],
    ['RSoP: not applied to the computer', { rsop: { computer: { applied: false } } as GpoInfo['rsop'] }, ['norun']],
    ['RSoP: not applied to the user', { rsop: { user: { applied: false } } as GpoInfo['rsop'] }, ['msi']],
    ['RSoP: applied to both', { rsop: { computer: { applied: true }, user: { applied: true } } as GpoInfo['rsop'] }, ['msi', 'norun']],
  ])('%s', (_name, info, expected) => {
    expect(ids(info)).toEqual(expected);
  });

  it('user rights belong to the computer half', () => {
    const r = rule('net', [check({ kind: 'right', right: 'SeNetworkLogonRight' }, { kind: 'nonEmpty' })]);
    const found = (info: Partial<GpoInfo>) => run([r], [unit([gpoOf([right('SeNetworkLogonRight', [])], { info })])]).findings.map((f) => f.ruleId);
    expect(found({ userEnabled: false })).toEqual([]);
    expect(found({ computerEnabled: false })).toEqual([]);
    const any = rule('net', [check({ kind: 'right', right: 'SeNetworkLogonRight' }, { kind: 'empty' })]);
    expect(run([any], [unit([gpoOf([right('SeNetworkLogonRight', [])], { info: { userEnabled: false } })])]).findings.map((f) => f.ruleId)).toEqual(['net']);
    expect(run([any], [unit([gpoOf([right('SeNetworkLogonRight', [])], { info: { computerEnabled: false } })])]).findings).toEqual([]);
  });

  it('an RSoP loser makes no finding; the winner names its precedence', () => {
    const lost = reg(1, { format: 'rsop', file: 'rsop.xml', rsop: { precedence: 2, winner: false } });
    expect(run([MSI], [unit([gpoOf([lost])])]).findings).toEqual([]);
    const won = reg(1, { format: 'rsop', file: 'rsop.xml', rsop: { precedence: 1, winner: true } });
    const { findings } = run([MSI], [unit([gpoOf([won])])]);
    expect(findings[0]).toMatchObject({ rsop: { precedence: 1, winner: true }, gpo: GPO });
  });
});

describe('sibling values', () => {
  const AC = 'ACSettingIndex';
  const DC = 'DCSettingIndex';
  const PKEY = 'Software\\Policies\\Microsoft\\Power\\PowerSettings\\X';
  const sib = (name: string, v: number | RegistryData, gpo: GpoRef = GPO, rsop?: Provenance['rsop']) => reg(v, { name, key: PKEY, gpo, ...(rsop ? { rsop, format: 'rsop', file: 'rsop.xml' } : {}) });
  /** Fires when AC is not greater than DC; without a DC value it cannot tell, and does not fire. */
  const acAboveDc = rule('ac', [check(registryMatch(AC, 'HKLM', PKEY), { kind: 'notGreaterThan', other: { kind: 'registry', ref: { hive: 'HKLM', key: PKEY, value: DC } } })]);

  it('compares within the GPO; a text sibling is a number, a multi-string one is not, a deleted one is skipped', () => {
    const found = (s: Setting[]) => run([acAboveDc], [unit([gpoOf(s)])]).findings.map((f) => f.message);
    expect(found([sib(AC, 20), sib(DC, 10)])).toEqual([]);
    expect(found([sib(AC, 20), sib(DC, 20)])).toEqual(['Title of ac: ACSettingIndex = 20 (REG_DWORD)']);
    expect(found([sib(AC, 5), sib(DC, { type: 'REG_SZ', value: '10' })])).toEqual(['Title of ac: ACSettingIndex = 5 (REG_DWORD)']);
    expect(found([sib(AC, 5), sib(DC, { type: 'REG_MULTI_SZ', value: ['10'] })])).toEqual([]);
    expect(found([sib(AC, 5), sib(DC, { type: 'REG_MULTI_SZ', value: ['1'] }), sib(DC, 10)])).toEqual(['Title of ac: ACSettingIndex = 5 (REG_DWORD)']);
    expect(found([sib(AC, 5), reg(0, { name: DC, key: PKEY, op: { op: 'delete' } }), sib(DC, 10)])).toEqual(['Title of ac: ACSettingIndex = 5 (REG_DWORD)']);
  });

  it('outside RSoP a sibling in another GPO does not count', () => {
    expect(run([acAboveDc], [unit([gpoOf([sib(AC, 5)]), gpoOf([sib(DC, 10, OTHER)], { gpo: OTHER })])]).findings).toEqual([]);
  });

  it('in RSoP the winning sibling of another GPO counts', () => {
    const win = { precedence: 1, winner: true };
    const third: GpoRef = { id: '{00000000-0000-0000-0000-000000000001}' };
    const { findings } = run([acAboveDc], [unit([gpoOf([sib(AC, 5, GPO, win)]), gpoOf([sib(DC, 10, OTHER, win)], { gpo: OTHER }), gpoOf([], { gpo: third })])]);
    expect(findings.map((f) => [f.gpo, f.message])).toEqual([[GPO, 'Title of ac: ACSettingIndex = 5 (REG_DWORD)']]);
  });

  it('an OU resultant policy compares across its GPOs and names the precedence', () => {
    const e = new Evaluator([acAboveDc]);
    const g = (gpo: GpoRef, s: Setting[], precedence: number): ResultantGpo => ({ group: gpoOf(s, { gpo }), precedence, display: `sysvol/${gpo.name}`, outcomes: [] });
    e.addOutcomes([{ file: REPORT, status: 'read', format: 'gpo-report' }]);
    e.addResultant([g(OTHER, [sib(DC, 30, OTHER)], 1), g(GPO, [sib(AC, 20)], 2)]);
    const { findings } = e.finish({ ou: 'OU=Staff,DC=corp' });
    expect(findings).toEqual([
      {
        ruleId: 'ac',
        title: 'Title of ac',
        severity: 'high',
        tags: ['workspaces'],
        message: 'Title of ac: ACSettingIndex = 20 (REG_DWORD)',
        gpo: GPO,
        precedence: 2,
        locations: [loc(REPORT, 'gpo-report', { line: 12 }, `HKLM\\${PKEY}\\ACSettingIndex = 20 (REG_DWORD)`)],
        fingerprint: fingerprint(['ac', GPO_KEY, `registry:hklm\\${PKEY.toLowerCase()}\\acsettingindex`]),
      },
    ]);
  });
});

describe('an OU resultant policy', () => {
  const g = (wmiFilter?: { id: string; name?: string }, outcomes: FileOutcome[] = []): ResultantGpo => ({
    group: gpoOf([reg(1)]),
    precedence: 3,
    ...(wmiFilter ? { wmiFilter } : {}),
    display: 'sysvol/baseline',
    outcomes,
  });
  const audit = (r: ResultantGpo, rules: Rule[] = [MSI]) => {
    const e = new Evaluator(rules);
    e.addOutcomes([{ file: REPORT, status: 'read', format: 'gpo-report' }]);
    e.addResultant([r]);
    return e.finish({ ou: 'OU=Staff,DC=corp' });
  };

  it.each<[string, { id: string; name?: string }, string]>([
    ['by name', { id: '{W1}', name: 'Laptops only' }, 'the GPO has the WMI filter "Laptops only", which gpaudit does not evaluate: it applies only where the filter matches'],
    ['by id', { id: '{W1}' }, 'the GPO has the WMI filter {W1}, which gpaudit does not evaluate: it applies only where the filter matches'],
  ])('a WMI filter named %s makes the finding conditional', (_name, wmi, note) => {
    expect(audit(g(wmi)).findings[0]).toMatchObject({ message: `Title of msi: DisableMSI = 1 (REG_DWORD) (${note})`, notes: [note], precedence: 3, conditional: true });
  });

  it('without a WMI filter the finding is not conditional', () => {
    const f = audit(g()).findings[0]!;
    expect([f.conditional, f.notes, f.precedence]).toEqual([undefined, undefined, 3]);
  });

  it('a Preferences file the GPO folder holds but gpaudit does not read leaves the rules it could set not evaluated', () => {
    const lugs: FileOutcome = { file: 'sysvol/baseline/Machine/Preferences/Groups/Groups.xml', status: 'unsupported', what: 'Groups', preferences: { root: 'Groups', scope: 'computer' } };
    const r = rule('admins', [check({ kind: 'groupMembers', group: 'administrators' }, { kind: 'nonEmpty' })]);
    expect(audit(g(undefined, [lugs]), [MSI, r]).notEvaluated).toEqual([
      { ruleId: 'admins', input: lugs.file, reason: 'the GPO "WorkSpaces Baseline" holds the "Local Users and Groups" extension, which gpaudit does not read and which can set this rule\'s setting' },
    ]);
  });
});

describe('other kinds of setting', () => {
  const DU: Principal = { sid: 'S-1-5-21-1-2-3-513', rid: 513, resolution: 'input-sid' };
  const ADMINS: Principal = { sid: 'S-1-5-32-544', name: 'BUILTIN\\Administrators', resolution: 'input-sid' };

  it('a user right: the principals it names', () => {
    const r = rule('net', [check({ kind: 'right', right: 'SeNetworkLogonRight' }, { kind: 'lacksEveryPrincipal', principals: ['domain-users'] })]);
    const { findings } = run([r], [unit([gpoOf([right('SeNetworkLogonRight', [ADMINS]), right('SeDenyNetworkLogonRight', [], { line: 31 })])])]);
    expect(findings).toEqual([
      {
        ruleId: 'net',
        title: 'Title of net',
        severity: 'high',
        tags: ['workspaces'],
        message: 'Title of net: right SeNetworkLogonRight: BUILTIN\\Administrators (S-1-5-32-544)',
        gpo: GPO,
        locations: [loc(REPORT, 'gpo-report', { line: 30 }, 'right SeNetworkLogonRight: BUILTIN\\Administrators (S-1-5-32-544)')],
        fingerprint: fingerprint(['net', GPO_KEY, 'right:senetworklogonright']),
      },
    ]);
    expect(run([r], [unit([gpoOf([right('SeNetworkLogonRight', [ADMINS, DU])])])]).findings).toEqual([]);
  });

  it('restricted groups: only the group named, and only when the GPO defines its members', () => {
    const r = rule('rdu', [check({ kind: 'groupMembers', group: 'remote-desktop-users' }, { kind: 'lacksEveryPrincipal', principals: ['domain-users'] })]);
    const RDU: Principal = { sid: 'S-1-5-32-555', resolution: 'input-sid' };
    const found = (s: Setting[]) => run([r], [unit([gpoOf(s)])]).findings.map((f) => f.message);
    expect(found([group(RDU, [ADMINS])])).toEqual(['Title of rdu: restricted group BUILTIN\\Remote Desktop Users (S-1-5-32-555): members BUILTIN\\Administrators (S-1-5-32-544); member of not defined']);
    expect(found([group(RDU, undefined)])).toEqual([]);
    expect(found([group(ADMINS, [ADMINS])])).toEqual([]);
    expect(found([group(RDU, [DU])])).toEqual([]);
  });

  it('an account policy, by name', () => {
    const r = rule('age', [check({ kind: 'accountPolicy', policy: 'MaximumPasswordAge' }, { kind: 'gt', value: 90 })]);
    const { findings } = run([r], [unit([gpoOf([account('MaximumPasswordAge', 120), account('MinimumPasswordAge', 200)])])]);
    expect(findings.map((f) => [f.message, f.locations])).toEqual([
      ['Title of age: System Access: MaximumPasswordAge = 120', [loc(REPORT, 'gpo-report', { line: 50 }, 'System Access: MaximumPasswordAge = 120')]],
    ]);
  });

  it('a power plan: the properties its condition reads, "(not set)" for absent ones; variant filter; disabled items left out', () => {
    const when: Condition = {
      kind: 'any',
      conditions: [
        { kind: 'property', property: 'sleepAfterAC', is: { kind: 'not', condition: { kind: 'equals', value: 0 } } },
        { kind: 'property', property: 'hibernateAC', is: { kind: 'nonEmpty' } },
        { kind: 'property', property: 'turnOffHDAC', is: { kind: 'notGreaterThan', other: { kind: 'property', property: 'turnOffHDDC' } } },
        { kind: 'all', conditions: [{ kind: 'property', property: 'sleepAfterAC', is: { kind: 'equals', value: 'never' } }] },
        { kind: 'not', condition: { kind: 'property', property: 'lidCloseAC', is: { kind: 'nonEmpty' } } },
      ],
    };
    const r = rule('sleep', [check({ kind: 'powerPlan', variant: 'power-plan-v2' }, when)]);
    const plans = [
      powerPlan('Balanced', { sleepAfterAC: '30', turnOffHDAC: '20', turnOffHDDC: '10', action: 'U' }, { conditional: true }),
      powerPlan('XP scheme', { sleepAfterAC: '30' }, { variant: 'power-scheme-xp', line: 9 }),
      powerPlan('Off', { sleepAfterAC: '30' }, { disabled: true, line: 12 }),
    ];
    const { findings } = run([r], [unit([gpoOf(plans)])]);
    const said = 'power plan "Balanced" with sleepAfterAC=30, hibernateAC=(not set), turnOffHDAC=20, turnOffHDDC=10, lidCloseAC=(not set)';
    const note = 'set by a preference item with item-level targeting: it applies only where its filters match';
    expect(findings).toEqual([
      {
        ruleId: 'sleep',
        title: 'Title of sleep',
        severity: 'high',
        tags: ['workspaces'],
        message: `Title of sleep: ${said} (${note})`,
        notes: [note],
        gpo: GPO,
        locations: [loc('gpos/baseline/Machine/Preferences/PowerOptions/PowerOptions.xml', 'gpp-power', { line: 3 }, said)],
        conditional: true,
        fingerprint: fingerprint(['sleep', GPO_KEY, settingKey(plans[0]!)]),
      },
    ]);
    // Without a variant, every variant.
    const any = rule('sleep', [check({ kind: 'powerPlan' }, { kind: 'property', property: 'sleepAfterAC', is: { kind: 'equals', value: 30 } })]);
    expect(run([any], [unit([gpoOf(plans)])]).findings[0]!.locations.map((l) => l.setting)).toEqual(['power plan "Balanced" with sleepAfterAC=30', 'power plan "XP scheme" with sleepAfterAC=30']);
    // Every kind of condition inside a property reads that property and no other.
    const every: Condition[] = [
      { kind: 'equals', value: 1 }, { kind: 'notEquals', value: 1 }, { kind: 'oneOf', values: [1] }, { kind: 'notOneOf', values: [1] }, { kind: 'nonEmpty' }, { kind: 'empty' },
      { kind: 'longerThan', length: 9 }, { kind: 'charactersOutside', allowed: '0-9' }, { kind: 'regex', pattern: '^x' }, { kind: 'lt', value: 1 }, { kind: 'lte', value: 1 },
      { kind: 'gt', value: 100 }, { kind: 'gte', value: 30 }, { kind: 'anyBits', mask: 1 }, { kind: 'containsAnyPrincipal', principals: ['domain-users'] }, { kind: 'lacksEveryPrincipal', principals: ['domain-users'] },
    ];
    const kinds = rule('kinds', [check({ kind: 'powerPlan' }, { kind: 'any', conditions: every.map((c): Condition => ({ kind: 'property', property: 'sleepAfterAC', is: c })) })]);
    expect(run([kinds], [unit([gpoOf([plans[1]!])])]).findings.map((f) => f.message)).toEqual(['Title of kinds: power plan "XP scheme" with sleepAfterAC=30']);
    // A condition on the plan itself names no property.
    const bare = rule('plan', [check({ kind: 'powerPlan' }, { kind: 'nonEmpty' })]);
    expect(run([bare], [unit([gpoOf([plans[1]!])])]).findings[0]!.message).toBe('Title of plan: power plan "XP scheme"');
  });

  it('directory and gpo matchers find nothing among GPO settings', () => {
    const r = rule('mixed', [check({ kind: 'directory', attribute: 'mail' }, { kind: 'empty' }), check({ kind: 'gpo', fact: 'versionMismatch' }, { kind: 'equals', value: true })]);
    expect(run([r], [unit([gpoOf([reg(1)])])]).findings).toEqual([]);
  });
});

describe('not evaluated', () => {
  it('a file that could not be read leaves every rule not evaluated for it', () => {
    const e = new Evaluator([MSI, rule('b', [check(registryMatch('B'), GTE1)])]);
    e.addUnit({ display: 'x', gpos: [], problems: [], outcomes: [{ file: 'x/report.xml', status: 'failed' }, { file: 'x/GptTmpl.inf', status: 'read', format: 'security-template' }] });
    expect(e.finish().notEvaluated).toEqual([
      { ruleId: 'msi', input: 'x/report.xml', reason: 'the file could not be read (see problems)' },
      { ruleId: 'b', input: 'x/report.xml', reason: 'the file could not be read (see problems)' },
    ]);
  });

  it('a file that failed is no carrier, whatever its format', () => {
    const e = new Evaluator([MSI]);
    e.addOutcomes([{ file: 'r.xml', status: 'failed', format: 'gpo-report' }, { file: 'p.xml', status: 'unsupported', what: 'x' }]);
    expect(e.finish().notEvaluated).toEqual([
      { ruleId: 'msi', input: 'r.xml', reason: 'the file could not be read (see problems)' },
      { ruleId: 'msi', reason: 'no input that can carry registry values was read (needs one of: gpo-report, rsop, security-template, registry-pol, gpp-registry)' },
    ]);
  });

  it('refuses a matcher it does not know, naming it', () => {
    const bad = rule('bad', [check({ kind: 'ldap', attribute: 'x' } as unknown as Matcher, { kind: 'nonEmpty' })]);
    expect(() => run([bad], [unit([gpoOf([reg(1)])])])).toThrow('unknown matcher {"kind":"ldap","attribute":"x"}');
  });

  it('a rule no input could carry, naming what would', () => {
    const rights = rule('rights', [check({ kind: 'right', right: 'SeNetworkLogonRight' }, { kind: 'nonEmpty' }), check({ kind: 'groupMembers', group: 'administrators' }, { kind: 'nonEmpty' })]);
    const plans = rule('plans', [check({ kind: 'powerPlan' }, { kind: 'nonEmpty' })]);
    const account = rule('account', [check({ kind: 'accountPolicy', policy: 'LockoutBadCount' }, { kind: 'nonEmpty' })]);
    const sysvol = rule('sysvol', [check({ kind: 'gpo', fact: 'sysvolMissing' }, { kind: 'equals', value: true })]);
    const e = new Evaluator([MSI, rights, plans, account, sysvol]);
    e.addUnit(unit([gpoOf([reg(1, { file: POL, format: 'registry-pol', position: { byteOffset: 0 } })])]));
    expect(e.finish().notEvaluated).toEqual([
      { ruleId: 'rights', reason: 'no input that can carry user rights or restricted groups was read (needs one of: gpo-report, rsop, security-template)' },
      { ruleId: 'plans', reason: 'no input that can carry preference power plans was read (needs one of: gpo-report, rsop, gpp-power)' },
      { ruleId: 'account', reason: 'no input that can carry account policies was read (needs one of: gpo-report, rsop, security-template)' },
      { ruleId: 'sysvol', reason: 'no input said what this rule compares (directory versions against SYSVOL, or a GPO report with both versions)' },
    ]);
  });

  it('a rule with a gpo check and a registry check is readable through either', () => {
    const mixed = rule('mixed', [check({ kind: 'gpo', fact: 'versionMismatch' }, { kind: 'equals', value: true }), check(registryMatch(), GTE1)]);
    const e = new Evaluator([mixed]);
    e.addOutcomes([{ file: 'gpt.ini', status: 'read', format: 'gpt-ini' }]);
    expect(e.finish().notEvaluated).toEqual([
      { ruleId: 'mixed', reason: 'no input that can carry GPO versions and SYSVOL folders or registry values was read (needs one of: gpo-report, gpt-ini, rsop, security-template, registry-pol, gpp-registry)' },
    ]);
    const f = new Evaluator([mixed]);
    f.addGpoFacts([]);
    f.addOutcomes([{ file: 'r.xml', status: 'read', format: 'gpo-report' }]);
    expect(f.finish().notEvaluated).toEqual([]);
  });

  it.each<[InputFormat, string[]]>([
    ['gpo-report', []],
    ['rsop', []],
    ['security-template', []],
    ['registry-pol', ['net']],
    ['gpp-registry', ['net']],
    ['gpp-power', ['net']],
  ])('user rights are carried by %s? not evaluated: %j', (format, expected) => {
    const net = rule('net', [check({ kind: 'right', right: 'SeNetworkLogonRight' }, { kind: 'nonEmpty' })]);
    const e = new Evaluator([net]);
    e.addOutcomes([{ file: 'f', status: 'read', format }, { file: 'g', status: 'unknown', what: 'x' }]);
    expect(e.finish().notEvaluated.map((n) => n.ruleId)).toEqual(expected);
  });

  it('a rule on two facts is carried when either was given', () => {
    const both = rule('both', [check({ kind: 'gpo', fact: 'versionMismatch' }, { kind: 'equals', value: true }), check({ kind: 'gpo', fact: 'sysvolMissing' }, { kind: 'equals', value: true })]);
    const e = new Evaluator([both]);
    e.addGpoFacts([{ gpo: GPO, fact: 'sysvolMissing', value: false, detail: '', locations: [], subject: 'g' }]);
    expect(e.finish()).toEqual({ findings: [], notEvaluated: [] });
  });

  it('GPO facts are carried only when some input gave the fact the rule reads', () => {
    const mismatch = rule('mismatch', [check({ kind: 'gpo', fact: 'versionMismatch' }, { kind: 'equals', value: true })]);
    const e = new Evaluator([mismatch]);
    e.addOutcomes([{ file: 'r.xml', status: 'read', format: 'gpo-report' }]);
    e.addGpoFacts([{ gpo: GPO, fact: 'sysvolMissing', value: false, detail: '', locations: [], subject: 'g' }]);
    expect(e.finish().notEvaluated.map((n) => n.ruleId)).toEqual(['mismatch']);
  });

  it.each<[string, NotConfigured, { findings: Finding[]; notEvaluated: unknown[] }]>([
    ['pass', { outcome: 'pass' }, { findings: [], notEvaluated: [] }],
    ['not evaluated, with the rule message', { outcome: 'not-evaluated', message: 'Set it in the baseline' }, { findings: [], notEvaluated: [{ ruleId: 'msi', reason: 'Set it in the baseline' }] }],
    ['not evaluated, default message', { outcome: 'not-evaluated' }, { findings: [], notEvaluated: [{ ruleId: 'msi', reason: 'no input configures the setting this rule checks' }] }],
    [
      'fail: an audit-wide reminder at the notConfigured severity',
      { outcome: 'fail', severity: 'low', message: 'Nothing sets DisableMSI' },
      {
        findings: [
          {
            ruleId: 'msi',
            title: 'Title of msi',
            severity: 'low',
            tags: ['workspaces'],
            message: 'Nothing sets DisableMSI',
            notConfigured: true,
            locations: [],
            fingerprint: fingerprint(['msi', 'not-configured']),
          },
        ],
        notEvaluated: [],
      },
    ],
  ])('nothing configures the setting: %s', (_name, nc, expected) => {
    const r = rule('msi', [check(registryMatch(), GTE1)], nc);
    expect(run([r], [unit([gpoOf([reg(1, { name: 'Other' })])])])).toEqual(expected);
  });

  it('one reminder per rule', () => {
    const nc: NotConfigured = { outcome: 'fail', severity: 'low', message: 'Nothing sets it' };
    const { findings } = run([rule('a', [check(registryMatch('A'), GTE1)], nc), rule('b', [check(registryMatch('B'), GTE1)], nc)], [unit([gpoOf([reg(1, { name: 'Other' })])])]);
    expect(findings.map((f) => [f.ruleId, f.message, f.fingerprint])).toEqual([
      ['a', 'Nothing sets it', fingerprint(['a', 'not-configured'])],
      ['b', 'Nothing sets it', fingerprint(['b', 'not-configured'])],
    ]);
  });

  it('with an OU, the reminder is at the rule severity and names the OU', () => {
    const r = rule('msi', [check(registryMatch(), GTE1)], { outcome: 'fail', severity: 'low', message: 'Nothing sets DisableMSI' });
    expect(run([r], [unit([gpoOf([reg(1, { name: 'Other' })])])], 'OU=Staff,DC=Corp').findings).toEqual([
      {
        ruleId: 'msi',
        title: 'Title of msi',
        severity: 'high',
        tags: ['workspaces'],
        message: 'Nothing sets DisableMSI (no GPO that reaches OU=Staff,DC=Corp sets it: the Windows default applies there)',
        notConfigured: true,
        ou: 'OU=Staff,DC=Corp',
        locations: [],
        fingerprint: fingerprint(['msi', 'not-configured', 'ou=staff,dc=corp']),
      },
    ]);
  });
});

describe('extensions gpaudit does not read', () => {
  const ext = (name: string, namespace: string, scope: 'computer' | 'user' = 'computer'): UnreadExtension => ({ name, namespace, scope });
  const LUGS = ext('Local Users and Groups', `${GP}/Lugs`);
  const SCRIPTS = ext('Scripts', `${GP}/Scripts`);
  const UNKNOWN = ext('Contoso Agent', 'urn:contoso');
  const UNNAMED = ext('Other', '');
  const admins = rule('admins', [check({ kind: 'groupMembers', group: 'administrators' }, { kind: 'nonEmpty' })]);
  const users = rule('users', [check({ kind: 'directory', attribute: 'mail' }, { kind: 'empty' })]);
  const net = rule('net', [check({ kind: 'right', right: 'SeNetworkLogonRight' }, { kind: 'nonEmpty' })]);
  const lockout = rule('lockout', [check({ kind: 'accountPolicy', policy: 'LockoutBadCount' }, { kind: 'nonEmpty' })]);
  const plan = rule('plan', [check({ kind: 'powerPlan' }, { kind: 'nonEmpty' })]);
  const health = rule('health', [check({ kind: 'gpo', fact: 'versionMismatch' }, { kind: 'equals', value: true })]);
  const reason = (who: string, list: string, plural = false) => `${who} holds the ${list} extension${plural ? 's' : ''}, which gpaudit does not read and which can set this rule's setting`;

  function audit(rules: Rule[], gpos: GpoSettings[], outcomes: FileOutcome[] = []) {
    const e = new Evaluator(rules);
    e.addUnit(unit(gpos, [{ file: REPORT, status: 'read', format: 'gpo-report' }, ...outcomes]));
    // Rules about directory users are never carried by a GPO export: only the unread-extension entries matter here.
    return e.finish().notEvaluated.filter((n) => n.input !== undefined);
  }

  it('names each extension that could set the rule, per rule and file, once', () => {
    const info: Partial<GpoInfo> = {
      sources: [
        { file: REPORT, format: 'gpo-report', unreadExtensions: [LUGS, SCRIPTS, UNKNOWN, UNNAMED, LUGS] },
        { file: 'other.xml', format: 'gpo-report', unreadExtensions: [SCRIPTS] },
        { file: 'third.xml', format: 'gpo-report' },
      ],
    };
    const g = gpoOf([reg(1)], { info });
    const anything = '"Contoso Agent" and "Other"';
    expect(audit([admins, MSI, users, net, lockout, plan, health], [g, g])).toEqual([
      { ruleId: 'admins', input: REPORT, reason: reason('the GPO "WorkSpaces Baseline"', '"Local Users and Groups", "Contoso Agent" and "Other"', true) },
      { ruleId: 'msi', input: REPORT, reason: reason('the GPO "WorkSpaces Baseline"', anything, true) },
      { ruleId: 'net', input: REPORT, reason: reason('the GPO "WorkSpaces Baseline"', anything, true) },
      { ruleId: 'lockout', input: REPORT, reason: reason('the GPO "WorkSpaces Baseline"', '"Local Users and Groups", "Contoso Agent" and "Other"', true) },
      { ruleId: 'plan', input: REPORT, reason: reason('the GPO "WorkSpaces Baseline"', anything, true) },
    ]);
  });

  it('names a GPO by id, or not at all, and a single extension in the singular', () => {
    const info: Partial<GpoInfo> = { sources: [{ file: REPORT, format: 'gpo-report', unreadExtensions: [UNKNOWN] }] };
    expect(audit([MSI], [gpoOf([], { gpo: { id: GUID }, info })])).toEqual([{ ruleId: 'msi', input: REPORT, reason: reason(`the GPO ${GUID}`, '"Contoso Agent"') }]);
    expect(audit([MSI], [gpoOf([], { gpo: {}, info })])).toEqual([{ ruleId: 'msi', input: REPORT, reason: reason('the GPO', '"Contoso Agent"') }]);
  });

  it('only for the half of the GPO that applies', () => {
    const both = [ext('Contoso Agent', 'urn:contoso', 'user'), ext('Fabrikam', 'urn:fabrikam', 'computer')];
    const src = { sources: [{ file: REPORT, format: 'gpo-report' as const, unreadExtensions: both }] };
    expect(audit([MSI], [gpoOf([], { info: { ...src, userEnabled: false } })])).toEqual([{ ruleId: 'msi', input: REPORT, reason: reason('the GPO "WorkSpaces Baseline"', '"Fabrikam"') }]);
    expect(audit([MSI], [gpoOf([], { info: { ...src, computerEnabled: false, userEnabled: false } })])).toEqual([]);
  });

  it('a registry rule only for extensions that write under its key', () => {
    const fw = ext('Windows Firewall', `${GP}/WindowsFirewall`);
    const info: Partial<GpoInfo> = { sources: [{ file: REPORT, format: 'gpo-report', unreadExtensions: [fw] }] };
    const fwRule = rule('fw', [check(registryMatch('EnableFirewall', 'HKLM', 'Software\\Policies\\Microsoft\\WindowsFirewall\\DomainProfile'), GTE1)]);
    const both = rule('both', [check({ kind: 'registry', refs: [{ hive: 'HKLM', key: KEY, value: 'DisableMSI' }, { hive: 'HKLM', key: 'Software\\Policies\\Microsoft\\WindowsFirewall', value: 'X' }] }, GTE1)]);
    expect(audit([MSI, fwRule, both], [gpoOf([], { info })])).toEqual([
      { ruleId: 'fw', input: REPORT, reason: reason('the GPO "WorkSpaces Baseline"', '"Windows Firewall"') },
      { ruleId: 'both', input: REPORT, reason: reason('the GPO "WorkSpaces Baseline"', '"Windows Firewall"') },
    ]);
  });

  it('Preferences files of kinds gpaudit does not read, known or not, in either half or both', () => {
    const out = (file: string, root: string, scope?: 'computer' | 'user'): FileOutcome => ({ file, status: 'unsupported', what: root, preferences: { root, ...(scope ? { scope } : {}) } });
    const outcomes: FileOutcome[] = [
      out('Machine/Preferences/Groups/Groups.xml', 'Groups', 'computer'),
      out('User/Preferences/Groups/Groups.xml', 'Groups', 'user'),
      out('Preferences/Thing/Thing.xml', 'Thing'),
      { file: 'Machine/Scripts/scripts.ini', status: 'unsupported', what: 'scripts' },
      { file: 'Machine/comment.cmtx', status: 'unknown', what: 'comment' },
      { file: 'Machine/Preferences/Odd/Odd.xml', status: 'unknown', what: 'odd', preferences: { root: 'Odd', scope: 'computer' } },
    ];
    const info: Partial<GpoInfo> = { userEnabled: false, sources: [{ file: 'Machine/Preferences/Groups/Groups.xml', format: 'gpo-report', unreadExtensions: [UNKNOWN] }] };
    expect(audit([admins], [gpoOf([], { info })], outcomes)).toEqual([
      { ruleId: 'admins', input: 'Machine/Preferences/Groups/Groups.xml', reason: reason('the GPO "WorkSpaces Baseline"', '"Local Users and Groups" and "Contoso Agent"', true) },
      { ruleId: 'admins', input: 'Preferences/Thing/Thing.xml', reason: reason('the GPO "WorkSpaces Baseline"', '"Preferences Thing"') },
    ]);
    // A file in the user half of a GPO whose user half applies.
    expect(audit([admins], [gpoOf([], { info: { computerEnabled: false } })], outcomes).map((n) => n.input)).toEqual(['User/Preferences/Groups/Groups.xml', 'Preferences/Thing/Thing.xml']);
  });
});

describe('GPO facts', () => {
  const mismatch = rule('mismatch', [check({ kind: 'gpo', fact: 'versionMismatch' }, { kind: 'equals', value: true })]);
  const fact = (o: Partial<GpoFact> = {}): GpoFact => ({
    gpo: GPO,
    fact: 'versionMismatch',
    value: true,
    detail: 'directory version 3, GPT.INI version 2',
    locations: [loc('sysvol/gpt.ini', 'gpt-ini', { line: 2 }, 'Version=2')],
    subject: 'sysvol/gpt.ini',
    ...o,
  });

  it('one finding per rule and GPO, the locations of every fact merged', () => {
    const e = new Evaluator([mismatch]);
    const gpt2 = loc('sysvol/gpt.ini', 'gpt-ini', { line: 2 }, 'Version=2');
    const gpt3 = loc('sysvol/gpt.ini', 'gpt-ini', { line: 3 }, 'Version=2');
    e.addGpoFacts([fact({ locations: [gpt2, gpt3, gpt2] }), fact({ fact: 'sysvolMissing' })]);
    e.addGpoFacts([fact({ locations: [loc(REPORT, 'gpo-report', { line: 7 }, 'VersionDirectory=3'), gpt2] })]);
    expect(e.finish()).toEqual({
      findings: [
        {
          ruleId: 'mismatch',
          title: 'Title of mismatch',
          severity: 'high',
          tags: ['workspaces'],
          message: 'Title of mismatch: directory version 3, GPT.INI version 2',
          gpo: GPO,
          locations: [gpt2, gpt3, loc(REPORT, 'gpo-report', { line: 7 }, 'VersionDirectory=3')],
          fingerprint: fingerprint(['mismatch', GPO_KEY, 'versionMismatch']),
        },
      ],
      notEvaluated: [],
    });
  });

  it('a fact that does not hold: configured, no finding', () => {
    const r = rule('mismatch', mismatch.checks, { outcome: 'fail', severity: 'low', message: 'never checked' });
    const e = new Evaluator([r, MSI]);
    e.addGpoFacts([fact({ value: false })]);
    expect(e.finish().findings).toEqual([]);
  });

  it('a folder without GPO identity: the directory object, the subject in the key, a check message and notes', () => {
    const r = rule('missing', [
      check({ kind: 'gpo', fact: 'sysvolMissing' }, { kind: 'all', conditions: [{ kind: 'equals', value: true }, { kind: 'longerThan', length: 2 }, { kind: 'longerThan', length: 3 }] }, 'SYSVOL lacks it: {setting} / {value}'),
    ]);
    const e = new Evaluator([r]);
    const dir = { dn: 'CN={X},CN=Policies', server: 'dc1' };
    e.addGpoFacts([fact({ gpo: {}, fact: 'sysvolMissing', detail: 'no folder', locations: [], subject: 'CN={X}', directoryObject: dir })]);
    e.addGpoFacts([fact({ gpo: {}, fact: 'sysvolMissing', detail: 'no folder', locations: [], subject: 'CN={Y}' })]);
    const { findings } = e.finish();
    const said = 'SYSVOL lacks it: no folder / no folder';
    expect(findings[0]).toEqual({
      ruleId: 'missing',
      title: 'Title of missing',
      severity: 'high',
      tags: ['workspaces'],
      message: `Title of missing: ${said} (4 characters, more than 2; 4 characters, more than 3)`,
      notes: [said, '4 characters, more than 2', '4 characters, more than 3'],
      directoryObject: dir,
      locations: [],
      fingerprint: fingerprint(['missing', 'fact:CN={X}', 'sysvolMissing']),
    });
    expect(findings.map((f) => f.fingerprint)).toEqual([fingerprint(['missing', 'fact:CN={X}', 'sysvolMissing']), fingerprint(['missing', 'fact:CN={Y}', 'sysvolMissing'])]);
  });

  it('a fact with notes but no message, and a GPO known by name', () => {
    const r = rule('m', [check({ kind: 'gpo', fact: 'versionMismatch' }, { kind: 'longerThan', length: 2 })]);
    const e = new Evaluator([r]);
    // The condition reads the fact's value (true), the message shows its detail.
    e.addGpoFacts([fact({ gpo: { name: 'Kiosk' }, detail: 'abc', locations: [] })]);
    expect(e.finish().findings[0]).toMatchObject({ message: 'Title of m: abc (4 characters, more than 2)', notes: ['4 characters, more than 2'], gpo: { name: 'Kiosk' } });
  });
});

describe('which rules are directory rules', () => {
  const dir = check({ kind: 'directory', attribute: 'mail' }, { kind: 'empty' });
  const missing = check({ kind: 'gpo', fact: 'sysvolMissing' }, { kind: 'equals', value: true });
  const mismatch = check({ kind: 'gpo', fact: 'versionMismatch' }, { kind: 'equals', value: true });
  it.each<[string, Check[], boolean, boolean]>([
    ['directory checks only', [dir, dir], true, false],
    ['a directory and a registry check', [dir, check(registryMatch(), GTE1)], false, false],
    ['a registry check', [check(registryMatch(), GTE1)], false, false],
    ['sysvolMissing only', [missing], false, true],
    ['sysvolMissing and versionMismatch', [missing, mismatch], false, false],
    ['sysvolMissing and a registry check', [missing, check(registryMatch(), GTE1)], false, false],
  ])('%s', (_name, checks, directory, directoryGpo) => {
    expect([isDirectoryRule(rule('r', checks)), isDirectoryGpoRule(rule('r', checks))]).toEqual([directory, directoryGpo]);
  });
});

describe('the directory evaluator', () => {
  const SOURCE = { server: 'ldaps://dc1:636', baseDn: 'DC=corp' };
  const u = (attributes: Record<string, string[]>, name?: string): DirectoryUser => ({ dn: 'CN=Jane Doe,OU=Staff,DC=Corp', ...(name !== undefined ? { sAMAccountName: name } : {}), attributes });
  const scan = (rules: Rule[], user: DirectoryUser) => {
    const e = new DirectoryEvaluator(rules, SOURCE);
    e.addUser(user);
    return e.finish();
  };

  it('one finding naming every failing check, values, notes and the user', () => {
    const r = rule('user', [
      check({ kind: 'directory', attribute: 'mail' }, { kind: 'longerThan', length: 3 }),
      check({ kind: 'directory', attribute: 'loginShell' }, { kind: 'empty' }, 'no shell: {value} ({setting})'),
      check({ kind: 'directory', attribute: 'description' }, { kind: 'nonEmpty' }),
      check(registryMatch(), { kind: 'not', condition: { kind: 'nonEmpty' } }),
    ]);
    expect(scan([r], u({ mail: ['a@b.c', 'x'], loginshell: [] }, 'jdoe'))).toEqual({
      scanned: 1,
      findings: [
        {
          ruleId: 'user',
          title: 'Title of user',
          severity: 'high',
          tags: ['workspaces'],
          message: 'Title of user: jdoe: mail "a@b.c", "x"; no shell: loginShell (not set) (loginShell (not set)); 5 characters, more than 3',
          directoryObject: { dn: 'CN=Jane Doe,OU=Staff,DC=Corp', name: 'jdoe', server: SOURCE.server },
          locations: [],
          fingerprint: fingerprint(['user', 'directory', 'cn=jane doe,ou=staff,dc=corp']),
        },
      ],
    });
  });

  it('names a user without a sAMAccountName by DN; a user who passes makes no finding', () => {
    const r = rule('mail', [check({ kind: 'directory', attribute: 'mail' }, { kind: 'empty' })]);
    const e = new DirectoryEvaluator([r], SOURCE);
    e.addUser(u({}));
    e.addUser(u({ mail: ['a@b.c'] }, 'ok'));
    const { findings, scanned } = e.finish();
    expect(scanned).toBe(2);
    expect(findings.map((f) => [f.message, f.directoryObject])).toEqual([
      ['Title of mail: CN=Jane Doe,OU=Staff,DC=Corp: mail (not set)', { dn: 'CN=Jane Doe,OU=Staff,DC=Corp', server: SOURCE.server }],
    ]);
  });
});
