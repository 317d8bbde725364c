// The one owner of identity: registry keys, setting keys, GPO keys and GUIDs are built here and nowhere else.
// Setting keys and GPO keys go into every finding's fingerprint (engine/evaluate.ts), which baselines written by
// earlier versions hold: the strings built here must not change.
import type { GpoRef, Hive, Setting } from './settings.js';

/** `{6ac1786c-016f-11d2-945f-00c04fb984f9}`, `6AC1786C-...` → `{6AC1786C-016F-11D2-945F-00C04FB984F9}`; other text unchanged. */
export function normaliseGuid(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  const m = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i.exec(t);
  return m ? `{${m[1]!.toUpperCase()}}` : t || undefined;
}

/**
 * The form GUIDs are compared and keyed in: normalised, then upper case, so `{6ac1786c-...}`, `6AC1786C-...` and
 * ` {6AC1786C-...} ` are one GUID. Text that is no GUID compares by itself, without case.
 */
export function guidKey(text: string): string {
  // Called for every setting a GPO folder holds, with the few GUIDs of that folder: remembered rather than
  // matched against the GUID pattern each time (the regex cost 5 % of `gpaudit settings` on 5,000 GPOs).
  let key = GUID_KEYS.get(text);
  if (key === undefined) {
    if (GUID_KEYS.size >= 4096) GUID_KEYS.clear();
    key = (normaliseGuid(text) ?? '').toUpperCase();
    // A copy as the key: `text` is often a slice of a whole report's text, which a remembered slice keeps alive.
    GUID_KEYS.set(structuredClone(text), key);
  }
  return key;
}

const GUID_KEYS = new Map<string, string>();

/**
 * The identity settings and findings are grouped by GPO: its GUID when known, else its name; a GPO known by neither
 * is `anonymous` (the caller says what stands in for it). One finding per rule and GPO is keyed by this.
 */
export function gpoKey(gpo: GpoRef, anonymous = 'name:'): string {
  if (gpo.id !== undefined) return guidKey(gpo.id);
  return gpo.name ? `name:${gpo.name}` : anonymous;
}

/** Registry key paths compare case-insensitively and ignore stray leading/trailing backslashes. */
export function canonicalKey(key: string): string {
  return key.replace(/^\\+|\\+$/g, '').replace(/\\{2,}/g, '\\').toLowerCase();
}

/** Split a path written with a `MACHINE\`/`USER\`/`HKEY_LOCAL_MACHINE\` root into hive and key. */
export function splitRootedKey(path: string): { hive: Hive; key: string } | undefined {
  const m = /^(MACHINE|HKLM|HKEY_LOCAL_MACHINE|USER|HKCU|HKEY_CURRENT_USER)\\(.*)$/i.exec(path.trim());
  if (!m) return undefined;
  const root = m[1]!.toUpperCase();
  const hive = root === 'MACHINE' || root === 'HKLM' || root === 'HKEY_LOCAL_MACHINE' ? 'HKLM' : 'HKCU';
  return { hive, key: m[2]! };
}

/**
 * The locale-independent key a rule matches on. Two settings with the same key configure the same thing,
 * whichever format they came from: a report's "Hide entry points for Fast User Switching" (mapped through
 * the ADMX catalogue) and Registry.pol's HideFastUserSwitching both key as
 * `registry:hklm\software\microsoft\windows\currentversion\policies\system\hidefastuserswitching`.
 */
export function registryKey(hive: Hive, key: string, valueName: string): string {
  return `${registryPathKey(hive, key)}\\${valueName.toLowerCase()}`;
}

/** A registry key without a value name (`registry:hklm\software\policies\...`), for lists whose value names vary. */
export function registryPathKey(hive: Hive, key: string): string {
  return `registry:${hive.toLowerCase()}\\${canonicalKey(key)}`;
}

/** A user right, by its constant: `right:senetworklogonright`. */
export function rightKey(right: string): string {
  return `right:${right.toLowerCase()}`;
}

/** An account policy (`[System Access]` and the like), by its name: `account:minimumpasswordlength`. */
export function accountPolicyKey(name: string): string {
  return `account:${name.toLowerCase()}`;
}

/** Restricted groups are few per GPO and matched by principal at lookup, so the engine indexes them under one key. */
export const GROUP_MEMBERSHIP_KEY = 'group-membership';
/** Preference power plans are matched by variant at lookup, so the engine indexes them under one key. */
export const POWER_PLAN_KEY = 'power-plan';

/**
 * The locale-independent identity of what a setting set: never its line or its file, so a finding's fingerprint
 * survives edits to the export and is the same whichever format the setting was read from.
 */
export function settingKey(s: Setting): string {
  switch (s.kind) {
    case 'registry':
      return registryKey(s.hive, s.key, s.valueName);
    case 'privilege-right':
      return rightKey(s.right);
    case 'group-membership':
      return `group:${(s.group.sid ?? s.group.name ?? '').toLowerCase()}`;
    case 'account-policy':
      return accountPolicyKey(s.name);
    case 'power-plan':
      return `power-plan:${s.planGuid ?? s.itemName}`;
    default:
      return s.kind;
  }
}
