import { describe, expect, it } from 'vitest';
import { parseAdml } from '../../src/admx/adml-parser.js';
import { parseAdmx } from '../../src/admx/admx-parser.js';
import { BUILTIN_SOURCES, DRIVE_MASKS, POWER_PLANS } from '../../src/admx/builtins.js';
import type { MappedRegistryValue } from '../../src/admx/catalog.js';
import { createPolicyCatalog } from '../../src/admx/create-catalog.js';
import { builtinCatalog } from '../../src/admx/load.js';
import { normaliseLabel } from '../../src/admx/mapping.js';
import type { PolicySource } from '../../src/admx/resolve.js';
import type { Hive } from '../../src/model/settings.js';

const catalog = builtinCatalog();

const dword = (hive: Hive, key: string, valueName: string, value: number): MappedRegistryValue => ({
  hive, key, valueName, op: 'set', data: { type: 'REG_DWORD', value },
});
const del = (hive: Hive, key: string, valueName: string): MappedRegistryValue => ({ hive, key, valueName, op: 'delete' });

const SYSTEM = 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System';
const INSTALLER = 'Software\\Policies\\Microsoft\\Windows\\Installer';
const POWER = 'Software\\Policies\\Microsoft\\Power\\PowerSettings';
const STANDBY = `${POWER}\\29F6C1DB-86DA-48C5-9FDB-F2B67B1F44DA`;
const DISK = `${POWER}\\6738E2C4-E8A5-4A42-B16A-E040E769756E`;
const HIBERNATE = `${POWER}\\9D7815A6-7EE4-497E-8888-515A05F02364`;
const UNATTENDED = `${POWER}\\7bc4a2f9-d8fc-4469-b07b-33eb785aaca0`;
const REMOVABLE = 'Software\\Policies\\Microsoft\\Windows\\RemovableStorageDevices';
const EXPLORER = 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer';

describe('built-in catalogue: Logon HideFastUserSwitching', () => {
  const policy = catalog.findByDisplayName('computer', 'Hide entry points for Fast User Switching', 'System/Logon')!;

  it('is found by display name and by registry value', () => {
    expect(policy).toMatchObject({ id: 'Logon:HideFastUserSwitching', displayName: 'Hide entry points for Fast User Switching', category: 'System/Logon', hive: 'HKLM' });
    expect(catalog.findByRegistryValue('HKLM', SYSTEM.toUpperCase(), 'hidefastuserswitching')!.id).toBe('Logon:HideFastUserSwitching');
    expect(catalog.findByRegistryValue('HKLM', `\\${SYSTEM}\\`, 'HideFastUserSwitching')!.id).toBe('Logon:HideFastUserSwitching');
  });

  it('writes DWORD 1 when enabled and DWORD 0 when disabled', () => {
    expect(policy.registryValues('enabled', [])).toEqual({ values: [dword('HKLM', SYSTEM, 'HideFastUserSwitching', 1)], unresolved: [] });
    expect(policy.registryValues('disabled', [])).toEqual({ values: [dword('HKLM', SYSTEM, 'HideFastUserSwitching', 0)], unresolved: [] });
  });

  it('is a computer policy only', () => {
    expect(catalog.findByDisplayName('user', 'Hide entry points for Fast User Switching')).toBeUndefined();
    expect(catalog.findByRegistryValue('HKCU', SYSTEM, 'HideFastUserSwitching')).toBeUndefined();
  });
});

describe('built-in catalogue: MSI', () => {
  const msi = catalog.findByDisplayName('computer', 'Turn off Windows Installer', 'Windows Components/Windows Installer')!;
  const choose = (value: string, label = 'Disable Windows Installer') => msi.registryValues('enabled', [{ kind: 'dropdown', label, value }]);

  it('maps each DisableMSI choice to its number', () => {
    expect(msi.id).toBe('MSI:DisableMSI');
    expect(choose('Never')).toEqual({ values: [dword('HKLM', INSTALLER, 'DisableMSI', 0)], unresolved: [] });
    expect(choose('For non-managed applications only')).toEqual({ values: [dword('HKLM', INSTALLER, 'DisableMSI', 1)], unresolved: [] });
    expect(choose('Always')).toEqual({ values: [dword('HKLM', INSTALLER, 'DisableMSI', 2)], unresolved: [] });
    // Labels and item texts compare without case, outer space or a trailing colon.
    expect(choose('  always ', 'disable windows installer:')).toEqual({ values: [dword('HKLM', INSTALLER, 'DisableMSI', 2)], unresolved: [] });
  });

  it('deletes DisableMSI when disabled', () => {
    expect(msi.registryValues('disabled', [])).toEqual({ values: [del('HKLM', INSTALLER, 'DisableMSI')], unresolved: [] });
  });

  it('leaves an unknown item, a missing element and an unknown label unresolved', () => {
    expect(choose('Sometimes')).toEqual({
      values: [],
      unresolved: ['element "DisableMSI" ("Disable Windows Installer"): "Sometimes" is not one of its items (Always, For non-managed applications only, Never)'],
    });
    expect(msi.registryValues('enabled', [])).toEqual({ values: [], unresolved: ['element "DisableMSI" ("Disable Windows Installer") has no value in the report'] });
    expect(
      msi.registryValues('enabled', [
        { kind: 'dropdown', label: 'Disable Windows Installer', value: 'Always' },
        { kind: 'dropdown', label: 'Turbo mode', value: 'On' },
      ]),
    ).toEqual({
      values: [dword('HKLM', INSTALLER, 'DisableMSI', 2)],
      unresolved: ['report element "Turbo mode" (dropdown) matches no element of the policy'],
    });
    expect(msi.registryValues('enabled', [{ kind: 'numeric', label: 'Disable Windows Installer', value: 2 }]).unresolved).toEqual([
      'report element "Disable Windows Installer" (numeric) matches no element of the policy',
      'element "DisableMSI" ("Disable Windows Installer") has no value in the report',
    ]);
  });

  it('falls back to element order when no label is known (a report in another language)', () => {
    expect(choose('Always', 'Windows Installer deaktivieren')).toEqual({ values: [dword('HKLM', INSTALLER, 'DisableMSI', 2)], unresolved: [] });
  });

  it('maps MSI_DisableUserInstalls both ways', () => {
    const p = catalog.findByDisplayName('computer', 'Prohibit User Installs')!;
    expect(p.id).toBe('MSI:MSI_DisableUserInstalls');
    expect(p.registryValues('enabled', [{ kind: 'dropdown', label: 'User Install Behavior:', value: 'Hide User Installs' }]).values).toEqual([
      dword('HKLM', INSTALLER, 'DisableUserInstalls', 1),
    ]);
    expect(p.registryValues('enabled', [{ kind: 'dropdown', label: 'User Install Behavior', value: 'Allow User Installs' }]).values).toEqual([
      dword('HKLM', INSTALLER, 'DisableUserInstalls', 0),
    ]);
    expect(p.registryValues('disabled', []).values).toEqual([del('HKLM', INSTALLER, 'DisableUserInstalls')]);
    expect(catalog.findByRegistryValue('HKLM', INSTALLER, 'DisableUserInstalls')!.id).toBe('MSI:MSI_DisableUserInstalls');
    expect(catalog.findByRegistryValue('HKLM', INSTALLER, 'DisableMSI')!.displayName).toBe('Turn off Windows Installer');
  });
});

describe('built-in catalogue: Power', () => {
  const plan = catalog.findByDisplayName('computer', 'Select an active power plan', 'System/Power Management')!;
  const planValue = (guid: string) => ({ hive: 'HKLM', key: POWER, valueName: 'ActivePowerScheme', op: 'set', data: { type: 'REG_SZ', value: guid } });

  it('maps each active power plan to its GUID', () => {
    expect(plan.id).toBe('Power:InboxActiveSchemeOverride_2');
    const pick = (value: string) => plan.registryValues('enabled', [{ kind: 'dropdown', label: 'Active Power Plan:', value }]);
    expect(pick('High Performance')).toEqual({ values: [planValue(POWER_PLANS.highPerformance)], unresolved: [] });
    expect(pick('High performance')).toEqual({ values: [planValue('8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c')], unresolved: [] });
    expect(pick('Power Saver')).toEqual({ values: [planValue('a1841308-3541-4fab-bc81-f71556f20b4a')], unresolved: [] });
    expect(pick('Automatic (recommended)')).toEqual({ values: [planValue('381b4222-f694-41f0-9685-ff5bb260df2e')], unresolved: [] });
    expect(pick('Ultimate Performance').unresolved).toHaveLength(1);
    expect(plan.registryValues('disabled', [])).toEqual({ values: [del('HKLM', POWER, 'ActivePowerScheme')], unresolved: [] });
  });

  it('writes a custom plan GUID as text', () => {
    const custom = catalog.findByDisplayName('computer', 'Specify a custom active power plan')!;
    expect(custom.id).toBe('Power:CustomActiveSchemeOverride_2');
    expect(custom.registryValues('enabled', [{ kind: 'text', label: 'Custom Active Power Plan (GUID):', value: 'e9a42b02-d5df-448d-aa00-03f14749eb61' }]).values).toEqual([
      planValue('e9a42b02-d5df-448d-aa00-03f14749eb61'),
    ]);
  });

  it('maps the sleep, hibernate, unattended sleep and disk timeouts to DWORD seconds', () => {
    const cases: [string, string, string, string, string][] = [
      ['Specify the system sleep timeout (plugged in)', 'System Sleep Timeout (seconds):', 'Power:ACStandbyTimeOut_2', STANDBY, 'ACSettingIndex'],
      ['Specify the system sleep timeout (on battery)', 'System Sleep Timeout (seconds):', 'Power:DCStandbyTimeOut_2', STANDBY, 'DCSettingIndex'],
      ['Specify the system hibernate timeout (plugged in)', 'System Hibernate Timeout (seconds):', 'Power:ACHibernateTimeOut_2', HIBERNATE, 'ACSettingIndex'],
      ['Specify the system hibernate timeout (on battery)', 'System Hibernate Timeout (seconds):', 'Power:DCHibernateTimeOut_2', HIBERNATE, 'DCSettingIndex'],
      ['Specify the unattended sleep timeout (plugged in)', 'Unattended Sleep Timeout (seconds):', 'Power:UnattendedSleepTimeOutAC', UNATTENDED, 'ACSettingIndex'],
      ['Specify the unattended sleep timeout (on battery)', 'Unattended Sleep Timeout (seconds):', 'Power:UnattendedSleepTimeOutDC', UNATTENDED, 'DCSettingIndex'],
      ['Turn Off the hard disk (plugged in)', 'Turn Off the Hard Disk (seconds):', 'Power:DiskACPowerDownTimeOut_2', DISK, 'ACSettingIndex'],
      ['Turn Off the hard disk (on battery)', 'Turn Off the Hard Disk (seconds):', 'Power:DiskDCPowerDownTimeOut_2', DISK, 'DCSettingIndex'],
    ];
    for (const [name, label, id, key, valueName] of cases) {
      const p = catalog.findByDisplayName('computer', name)!;
      expect(p.id).toBe(id);
      expect(p.registryValues('enabled', [{ kind: 'numeric', label, value: 0 }])).toEqual({ values: [dword('HKLM', key, valueName, 0)], unresolved: [] });
      expect(p.registryValues('enabled', [{ kind: 'numeric', label, value: 1200 }]).values).toEqual([dword('HKLM', key, valueName, 1200)]);
      expect(p.registryValues('disabled', [])).toEqual({ values: [del('HKLM', key, valueName)], unresolved: [] });
      expect(catalog.findByRegistryValue('HKLM', key.toLowerCase(), valueName.toLowerCase())!.id).toBe(id);
    }
  });

  it('refuses a timeout that is not an unsigned 32-bit number', () => {
    const p = catalog.findByDisplayName('computer', 'Specify the system sleep timeout (plugged in)')!;
    for (const value of [-1, 4294967296, 1.5]) {
      expect(p.registryValues('enabled', [{ kind: 'numeric', label: 'System Sleep Timeout (seconds):', value }])).toEqual({
        values: [],
        unresolved: [`element "EnterACStandbyTimeOut" ("System Sleep Timeout (seconds):"): "${value}" is not an unsigned 32-bit number`],
      });
    }
  });

  it('finds the first policy that writes ActivePowerScheme', () => {
    expect(catalog.findByRegistryValue('HKLM', POWER, 'ActivePowerScheme')!.id).toBe('Power:InboxActiveSchemeOverride_2');
  });
});

describe('built-in catalogue: RemovableStorage Deny_All', () => {
  it('has a computer and a user variant with the same display name', () => {
    const name = 'All Removable Storage classes: Deny all access';
    const machine = catalog.findByDisplayName('computer', name)!;
    const user = catalog.findByDisplayName('user', name, 'System/Removable Storage Access')!;
    expect([machine.id, machine.hive, machine.category]).toEqual(['RemovableStorage:RemovableStorageClasses_DenyAll_Access_2', 'HKLM', 'System/Removable Storage Access']);
    expect([user.id, user.hive]).toEqual(['RemovableStorage:RemovableStorageClasses_DenyAll_Access_1', 'HKCU']);
    expect(machine.registryValues('enabled', [])).toEqual({ values: [dword('HKLM', REMOVABLE, 'Deny_All', 1)], unresolved: [] });
    expect(machine.registryValues('disabled', [])).toEqual({ values: [dword('HKLM', REMOVABLE, 'Deny_All', 0)], unresolved: [] });
    expect(user.registryValues('enabled', [])).toEqual({ values: [dword('HKCU', REMOVABLE, 'Deny_All', 1)], unresolved: [] });
    expect(catalog.findByRegistryValue('HKCU', REMOVABLE, 'deny_all')!.id).toBe('RemovableStorage:RemovableStorageClasses_DenyAll_Access_1');
    expect(catalog.findByRegistryValue('HKLM', REMOVABLE, 'Deny_All')!.id).toBe('RemovableStorage:RemovableStorageClasses_DenyAll_Access_2');
  });
});

describe('built-in catalogue: WindowsExplorer NoViewOnDrive', () => {
  const p = catalog.findByDisplayName('user', 'Prevent access to drives from My Computer', 'Windows Components/File Explorer')!;
  const pick = (value: string) => p.registryValues('enabled', [{ kind: 'dropdown', label: 'Pick one of the following combinations', value }]);

  it('maps each drive choice to its mask', () => {
    expect([p.id, p.hive]).toEqual(['WindowsExplorer:NoViewOnDrive', 'HKCU']);
    const expected: [string, number][] = [
      ['Restrict A and B drives only', 3],
      ['Restrict C drive only', 4],
      ['Restrict D drive only', 8],
      ['Restrict A, B and C drives only', 7],
      ['Restrict A, B, C and D drives only', 15],
      ['Restrict all drives', 67108863],
      ['Do not restrict drives', 0],
    ];
    for (const [text, mask] of expected) expect(pick(text)).toEqual({ values: [dword('HKCU', EXPLORER, 'NoViewOnDrive', mask)], unresolved: [] });
    expect(DRIVE_MASKS.all).toBe(2 ** 26 - 1);
    expect(p.registryValues('disabled', [])).toEqual({ values: [del('HKCU', EXPLORER, 'NoViewOnDrive')], unresolved: [] });
    expect(catalog.findByRegistryValue('HKCU', EXPLORER, 'NoViewOnDrive')!.id).toBe('WindowsExplorer:NoViewOnDrive');
    expect(catalog.findByRegistryValue('HKLM', EXPLORER, 'NoViewOnDrive')).toBeUndefined();
    expect(catalog.findByDisplayName('computer', 'Prevent access to drives from My Computer')).toBeUndefined();
  });
});

describe('display-name lookup', () => {
  it('ignores case and spacing, and returns nothing for unknown names', () => {
    expect(catalog.findByDisplayName('computer', '  TURN OFF  windows installer ')!.id).toBe('MSI:DisableMSI');
    expect(catalog.findByDisplayName('computer', 'Turn off Windows Update')).toBeUndefined();
  });

  it('uses the category to tell apart two policies with the same name in one scope, and refuses to guess', () => {
    const NS = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';
    const admx = `<policyDefinitions xmlns="${NS}"><policyNamespaces><target prefix="d" namespace="Dup" /><using prefix="windows" namespace="Microsoft.Policies.Windows" /></policyNamespaces>
<categories><category name="A" displayName="$(string.A)"><parentCategory ref="windows:System" /></category><category name="B" displayName="$(string.B)"><parentCategory ref="windows:WindowsComponents" /></category></categories>
<policies>
<policy name="One" class="Both" displayName="$(string.Same)" key="Software\\Dup\\One" valueName="V"><parentCategory ref="A" /></policy>
<policy name="Two" class="Machine" displayName="$(string.Same)" key="Software\\Dup\\Two" valueName="V"><parentCategory ref="B" /></policy>
</policies></policyDefinitions>`;
    const adml = `<policyDefinitionResources xmlns="${NS}"><resources><stringTable><string id="A">Alpha</string><string id="B">Beta</string><string id="Same">Do the thing</string></stringTable></resources></policyDefinitionResources>`;
    const source: PolicySource = {
      admx: parseAdmx(new TextEncoder().encode(admx), 'Dup.admx').document!,
      adml: [parseAdml(new TextEncoder().encode(adml), 'en-US/Dup.adml', 'en-US').document!],
    };
    const dup = createPolicyCatalog({ sources: [source, ...BUILTIN_SOURCES] });
    expect(dup.findByDisplayName('computer', 'Do the thing', 'System/Alpha')!.id).toBe('Dup:One');
    expect(dup.findByDisplayName('computer', 'Do the thing', 'Windows Components\\Beta')!.id).toBe('Dup:Two');
    expect(dup.findByDisplayName('computer', 'Do the thing')).toBeUndefined();
    expect(dup.findByDisplayName('computer', 'Do the thing', 'System/Gamma')).toBeUndefined();
    // Only One applies to users, so no category is needed there.
    expect(dup.findByDisplayName('user', 'Do the thing')).toMatchObject({ id: 'Dup:One', hive: 'HKCU', category: 'System/Alpha' });
    expect(dup.findByDisplayName('user', 'Do the thing')!.registryValues('enabled', []).values).toEqual([dword('HKCU', 'Software\\Dup\\One', 'V', 1)]);
  });
});

describe('normaliseLabel()', () => {
  it('drops case, extra space and one trailing colon', () => {
    expect(normaliseLabel('  Active   Power Plan : ')).toBe('active power plan');
    expect(normaliseLabel('Ratio 1:2')).toBe('ratio 1:2');
  });
});
