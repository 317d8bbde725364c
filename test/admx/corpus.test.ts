import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { parseAdml } from '../../src/admx/adml-parser.js';
import { parseAdmx } from '../../src/admx/admx-parser.js';
import { BUILTIN_SOURCES } from '../../src/admx/builtins.js';
import { createPolicyCatalog } from '../../src/admx/create-catalog.js';
import { loadPolicyDefinitions } from '../../src/admx/load.js';
import type { AdmlDocument, AdmxDocument } from '../../src/admx/types.js';
import { parseGpoReport } from '../../src/parsers/gpo-report.js';
import { parseRegistryPol } from '../../src/parsers/registry-pol.js';
import { corpusFiles, describeCorpus, REALDATA } from '../helpers/realdata.js';

const TEMPLATES = join(REALDATA, 'nsacyber__Windows-Secure-Host-Baseline/Windows/Group Policy Templates');
const STIG_TEMPLATES = join(REALDATA, 'cloudcap10__stig-group-policy-objects/ADMX Templates/Microsoft');

function readAdmx(stem: string): AdmxDocument {
  const file = join(TEMPLATES, `${stem}.admx`);
  const { document, problems } = parseAdmx(readFileSync(file), file);
  expect(problems).toEqual([]);
  return document!;
}

function readAdml(stem: string): AdmlDocument {
  const file = join(TEMPLATES, 'en-us', `${stem}.adml`);
  const { document, problems } = parseAdml(readFileSync(file), file, 'en-US');
  expect(problems).toEqual([]);
  return document!;
}

/** Parsed objects carry source lines; built-ins do not. */
function withoutLines<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === 'line' ? undefined : v)));
}

describeCorpus('ADMX/ADML files of the real-data corpus', () => {
  const files = corpusFiles((p) => /\.adm[lx]$/i.test(p));

  it('finds the twelve templates the corpus documents', () => {
    expect(files.map((f) => basename(f)).sort()).toEqual([
      'AdmPwd.adml', 'AdmPwd.admx', 'Logon.adml', 'Logon.admx', 'MSI.adml', 'MSI.admx',
      'MSS-legacy.adml', 'MSS-legacy.admx', 'Power.adml', 'Power.admx', 'SecGuide.adml', 'SecGuide.admx',
    ]);
  });

  it('parses every one of them without a problem', () => {
    for (const file of files) {
      const parsed = /\.admx$/i.test(file) ? parseAdmx(readFileSync(file), file) : parseAdml(readFileSync(file), file);
      expect({ file, problems: parsed.problems }).toEqual({ file, problems: [] });
      expect(parsed.document).toBeDefined();
    }
  });

  it('reads the policy counts and shapes of Logon, MSI and Power', () => {
    const logon = readAdmx('Logon');
    expect(logon).toMatchObject({ stem: 'Logon', namespace: 'Microsoft.Policies.WindowsLogon' });
    expect(logon.policies).toHaveLength(21);
    expect(logon.policies.find((p) => p.name === 'Run_2')!.elements).toEqual([
      { type: 'list', id: 'RunListBox2', key: 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer\\Run', valuePrefix: '', explicitValue: false, additive: false, expandable: false, line: 56 },
    ]);
    expect(readAdmx('MSI').policies).toHaveLength(27);
    const power = readAdmx('Power');
    expect(power.policies).toHaveLength(52);
    expect(power.categories.map((c) => c.name)).toEqual([
      'PowerManagementCat', 'PowerBatteryAlarmSettingsCat', 'PowerButtonActionSettingsCat', 'PowerHardDiskSettingsCat',
      'PowerSleepSettingsCat', 'PowerVideoSettingsCat', 'EnergySaverSettingsCat',
    ]);
    const power_ = readAdml('Power');
    expect(Object.keys(power_.strings)).toHaveLength(97);
    expect(Object.keys(power_.presentations)).toHaveLength(49);
  });

  it('reads templates that have no namespace (MSS-legacy) and enum items with value lists (SecGuide)', () => {
    const mssFile = join(STIG_TEMPLATES, 'MSS-legacy.admx');
    const mss = parseAdmx(readFileSync(mssFile), mssFile).document!;
    expect(mss.namespace).toBe('Microsoft.Policies.MSS');
    expect(mss.policies.find((p) => p.name === 'Pol_MSS_AutoAdminLogon')).toMatchObject({
      key: 'Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon',
      valueName: 'AutoAdminLogon',
      enabledValue: { kind: 'string', value: '1' },
      disabledValue: { kind: 'string', value: '0' },
    });
    const sgFile = join(STIG_TEMPLATES, 'SecGuide.admx');
    const sg = parseAdmx(readFileSync(sgFile), sgFile).document!;
    const flash = sg.policies.find((p) => p.name === 'Pol_SecGuide_A001_Block_Flash')!.elements[0]!;
    expect(flash.type).toBe('enum');
    if (flash.type !== 'enum') return;
    expect(flash.items[0]!.value).toEqual({ kind: 'string', value: 'Block all Flash activation' });
    expect(flash.items[0]!.valueList!.items).toHaveLength(16);
  });

  it('has built-in definitions that agree with the real Logon, MSI and Power templates', () => {
    for (const stem of ['Logon', 'MSI', 'Power']) {
      const builtin = BUILTIN_SOURCES.find((s) => s.admx.stem === stem)!;
      const real = readAdmx(stem);
      const realAdml = readAdml(stem);
      expect(builtin.admx.namespace).toBe(real.namespace);
      expect(builtin.admx.prefixes).toEqual({ ...real.prefixes });
      for (const category of builtin.admx.categories) {
        expect(withoutLines(real.categories.find((c) => c.name === category.name))).toEqual(category);
      }
      for (const policy of builtin.admx.policies) {
        expect(withoutLines(real.policies.find((p) => p.name === policy.name))).toEqual(policy);
      }
      const table = builtin.adml[0]!;
      for (const [id, text] of Object.entries(table.strings)) expect({ id, text: realAdml.strings[id] }).toEqual({ id, text });
      for (const [id, controls] of Object.entries(table.presentations)) expect({ id, controls: realAdml.presentations[id] }).toEqual({ id, controls });
    }
  });

  it('maps the real templates through a catalogue the same way as the built-ins', () => {
    const { sources, problems } = loadPolicyDefinitions(TEMPLATES, 'en-US');
    expect(problems).toEqual([]);
    expect(sources.slice(0, 3).map((s) => [s.admx.stem, s.adml.map((a) => basename(dirname(a.file)) + '/' + basename(a.file))])).toEqual([
      ['Logon', ['en-us/Logon.adml']],
      ['MSI', ['en-us/MSI.adml']],
      ['Power', ['en-us/Power.adml']],
    ]);
    const catalog = createPolicyCatalog({ sources });
    const msi = catalog.findByDisplayName('computer', 'Turn off Windows Installer', 'Windows Components/Windows Installer')!;
    expect(msi.file).toBe(join(TEMPLATES, 'MSI.admx'));
    expect(msi.registryValues('enabled', [{ kind: 'dropdown', label: 'Disable Windows Installer', value: 'Always' }])).toEqual({
      values: [{ hive: 'HKLM', key: 'Software\\Policies\\Microsoft\\Windows\\Installer', valueName: 'DisableMSI', op: 'set', data: { type: 'REG_DWORD', value: 2 } }],
      unresolved: [],
    });
    const logonRun = catalog.findByRegistryValue('HKCU', 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer\\Run', 'anything')!;
    expect(logonRun.id).toBe('Logon:Run_1');
    expect(logonRun.category).toBe('System/Logon');
    const power = catalog.findByDisplayName('computer', 'Turn Off the hard disk (plugged in)')!;
    expect(power.category).toBe('System/Power Management/Hard Disk Settings');
  });

  it('maps a real report policy to exactly the values the same backup\'s Registry.pol holds, and back', () => {
    const backup = join(REALDATA, 'simeononsecurity__Standalone-Windows-STIG-Script/Files/GPOs/NSACyber/Bitlocker/NSACyber - BitLocker/{6C3C0177-281F-4547-89D7-66347525E1C2}');
    const report = parseGpoReport(readFileSync(join(backup, 'gpreport.xml')), { file: 'gpreport.xml' });
    const pol = parseRegistryPol(readFileSync(join(backup, 'DomainSysvol/GPO/Machine/registry.pol')), { file: 'registry.pol', hive: 'HKLM' });
    const catalog = createPolicyCatalog(loadPolicyDefinitions(TEMPLATES, 'en-US'));
    const standby = report.settings.filter((s) => s.kind === 'admin-template' && s.displayName.startsWith('Allow standby states'));
    expect(standby).toHaveLength(2);
    const mapped = standby.flatMap((s) => {
      if (s.kind !== 'admin-template') return [];
      const def = catalog.findByDisplayName(s.scope, s.displayName, s.category)!;
      expect(def.id).toMatch(/^Power:AllowStandbyStates(AC|DC)_2$/);
      const { values, unresolved } = def.registryValues(s.state, s.elements);
      expect(unresolved).toEqual([]);
      return values;
    });
    const inPol = pol.settings.flatMap((s) =>
      s.kind === 'registry' && /abfc2519-3608-4c2a-94ea-171b0ed546ab$/i.test(s.key) && s.operation.op === 'set'
        ? [{ hive: s.hive, key: s.key.toLowerCase(), valueName: s.valueName, op: 'set', data: s.operation.data }]
        : [],
    );
    expect(inPol).toHaveLength(2);
    const norm = <T extends { key: string }>(v: T): T => ({ ...v, key: v.key.toLowerCase() });
    expect(mapped.map(norm).sort((a, b) => a.valueName.localeCompare(b.valueName))).toEqual(inPol.sort((a, b) => a.valueName.localeCompare(b.valueName)));
    for (const v of inPol) {
      expect(catalog.findByRegistryValue('HKLM', v.key, v.valueName)!.displayName).toMatch(/^Allow standby states \(S1-S3\) when sleeping/);
    }
  });
});
