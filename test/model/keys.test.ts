// model/keys.ts is the one owner of identity: the keys settings are indexed and fingerprinted by, GPO keys and GUIDs.
// The strings are pinned here because every finding's fingerprint is made of them, and baselines written by
// earlier versions hold those fingerprints.
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/engine/evaluate.js';
import { gpoKey, guidKey, normaliseGuid, registryKey, registryPathKey, settingKey } from '../../src/model/keys.js';
import type { Provenance, Setting } from '../../src/model/settings.js';

const GPO = { id: '{9A1F0C3E-B010-4D2B-8E6F-7A8B9C0D1E2F}', domain: 'corp.example.test', name: 'WorkSpaces - Desktop Baseline (broken)' };
const provenance: Provenance = { gpo: GPO, file: 'gpreport.xml', format: 'gpo-report', position: { line: 45 } };

const MSI: Setting = {
  kind: 'registry',
  hive: 'HKLM',
  key: '\\Software\\Policies\\Microsoft\\Windows\\Installer\\',
  valueName: 'DisableMSI',
  operation: { op: 'set', data: { type: 'REG_DWORD', value: 2 } },
  provenance,
};

describe('setting keys', () => {
  it.each<[string, Setting, string]>([
    ['a registry value, without case or stray backslashes', MSI, 'registry:hklm\\software\\policies\\microsoft\\windows\\installer\\disablemsi'],
    ['a user right', { kind: 'privilege-right', right: 'SeNetworkLogonRight', principals: [], provenance }, 'right:senetworklogonright'],
    ['an account policy', { kind: 'account-policy', section: 'System Access', name: 'MinimumPasswordLength', value: 14, provenance }, 'account:minimumpasswordlength'],
    [
      'a restricted group, by SID',
      { kind: 'group-membership', group: { sid: 'S-1-5-32-555', name: 'BUILTIN\\Remote Desktop Users', resolution: 'input-sid' }, members: [], provenance },
      'group:s-1-5-32-555',
    ],
    ['a restricted group known only by name', { kind: 'group-membership', group: { name: 'CORP\\Kiosk', resolution: 'unresolved' }, provenance }, 'group:corp\\kiosk'],
    [
      'a power plan, by GUID',
      {
        kind: 'power-plan', variant: 'power-plan-v2', itemName: 'Balanced', planGuid: '381b4222-f694-41f0-9685-ff5bb260df2e', makeActive: true, properties: {},
        preference: { itemName: 'Balanced', action: 'update', conditional: false, disabled: false, collections: [] }, provenance,
      },
      'power-plan:381b4222-f694-41f0-9685-ff5bb260df2e',
    ],
    ['an audit setting, by kind', { kind: 'audit', name: 'AuditLogonEvents', success: true, failure: false, provenance }, 'audit'],
  ])('%s', (_name, setting, key) => {
    expect(settingKey(setting)).toBe(key);
  });

  it('keys a registry key without its value the way it keys the value', () => {
    expect(registryKey('HKCU', 'Software\\\\Policies\\X', 'V')).toBe(`${registryPathKey('HKCU', 'software\\policies\\x\\')}\\v`);
  });
});

describe('GPO keys and GUIDs', () => {
  it('compares GUIDs whatever their braces, case and spacing', () => {
    const forms = ['{9a1f0c3e-b010-4d2b-8e6f-7a8b9c0d1e2f}', '9A1F0C3E-B010-4D2B-8E6F-7A8B9C0D1E2F', ' {9A1F0C3E-b010-4D2B-8E6F-7A8B9C0D1E2F} '];
    for (const f of forms) expect(guidKey(f)).toBe(GPO.id);
    expect(normaliseGuid(forms[0])).toBe(GPO.id);
    expect(guidKey('not-a-guid')).toBe('NOT-A-GUID');
  });

  it('keys a GPO by GUID, else by name, else by what the caller says stands in for it', () => {
    expect(gpoKey(GPO)).toBe(GPO.id);
    expect(gpoKey({ id: GPO.id.toLowerCase() })).toBe(GPO.id);
    expect(gpoKey({ name: 'Default Domain Policy' })).toBe('name:Default Domain Policy');
    expect(gpoKey({})).toBe('name:');
    expect(gpoKey({ name: '' }, 'input:loose.inf')).toBe('input:loose.inf');
  });
});

describe('fingerprints', () => {
  // The finding `gpaudit audit samples/broken/backups` reports for Windows Installer, as versions before the keys
  // moved to model/keys.ts computed it (test/fingerprints.test.ts checks the same value end to end).
  it('are made of the rule id, the GPO key and the setting keys, unchanged', () => {
    expect(fingerprint(['workspaces-windows-installer-disabled', gpoKey(GPO), settingKey(MSI)])).toBe('2e3f2ab854c33997813b49f4fcd613e8');
  });
});
