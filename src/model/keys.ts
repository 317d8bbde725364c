// The one owner of identity: registry keys, setting keys, GPO keys and GUIDs are built here and nowhere else.
import type { Hive } from './settings.js';

/** `{6ac1786c-016f-11d2-945f-00c04fb984f9}`, `6AC1786C-...` → `{6AC1786C-016F-11D2-945F-00C04FB984F9}`; other text unchanged. */
export function normaliseGuid(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  const m = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i.exec(t);
  return m ? `{${m[1]!.toUpperCase()}}` : t || undefined;
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
  return `registry:${hive.toLowerCase()}\\${canonicalKey(key)}\\${valueName.toLowerCase()}`;
}
