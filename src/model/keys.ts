import { canonicalKey } from '../parsers/common.js';
import type { Hive, Setting } from './settings.js';

/**
 * The locale-independent key a rule matches on. Two settings with the same key configure the same thing,
 * whichever format they came from: a report's "Hide entry points for Fast User Switching" (mapped through
 * the ADMX catalogue) and Registry.pol's HideFastUserSwitching both key as
 * `registry:hklm\software\microsoft\windows\currentversion\policies\system\hidefastuserswitching`.
 */
export function registryKey(hive: Hive, key: string, valueName: string): string {
  return `registry:${hive.toLowerCase()}\\${canonicalKey(key)}\\${valueName.toLowerCase()}`;
}

export function settingKeys(s: Setting): string[] {
  switch (s.kind) {
    case 'registry':
      return [registryKey(s.hive, s.key, s.valueName)];
    case 'privilege-right':
      return [`right:${s.right.toLowerCase()}`];
    case 'account-policy':
      return [`account:${s.name.toLowerCase()}`];
    case 'audit':
      return [`audit:${(s.subcategoryGuid ?? s.name).toLowerCase()}`];
    case 'group-membership':
      return [`group:${(s.group.sid ?? (s.group.rid !== undefined ? `rid-${s.group.rid}` : s.group.name ?? '')).toLowerCase()}`];
    case 'admin-template':
      return [
        s.policyId ? `policy:${s.policyId.toLowerCase()}` : `policy-name:${s.scope}:${s.displayName.toLowerCase()}`,
        ...s.registry.map((r) => registryKey(r.hive, r.key, r.valueName)),
      ];
    case 'power-plan':
      return ['power-plan'];
  }
}
