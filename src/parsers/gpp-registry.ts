// Group Policy Preferences Registry items: the stand-alone Registry.xml (Machine|User\Preferences\Registry\Registry.xml,
// formats.md §6) and the "Windows Registry" extension of a GPO report or RSoP, which holds the same items in its
// own namespace. One reader serves both.

import type { XmlElement } from '../codecs/xml.js';
import type { Hive, RegistryData, RegistryOperation, RegistrySetting } from '../model/settings.js';
import { guardParser, provenance, type Parser } from './common.js';
import {
  itemProperties,
  parsePreferenceDocument,
  preferenceAction,
  preferenceMeta,
  propertyValues,
  skipItem,
  walkPreferenceItems,
  warnUnknownElement,
  type EnclosingCollections,
  type PreferenceSource,
} from './gpp-common.js';

const FORMAT = 'gpp-registry';
const ITEMS: ReadonlySet<string> = new Set(['Registry']);

export const parseGppRegistry: Parser = guardParser(FORMAT, (bytes, ctx, out) => {
  const root = parsePreferenceDocument(bytes, 'RegistrySettings');
  // GPP files carry no namespace; should a hand-made one declare a default namespace, its items share it.
  readRegistryPreferences(root, { ns: root.ns, out, provenance: (item) => provenance(ctx, FORMAT, { line: item.line }) });
});

/** Every Registry item below a `RegistrySettings` element (the file's root, or the one inside a report's extension). */
export function readRegistryPreferences(container: XmlElement, src: PreferenceSource): void {
  walkPreferenceItems(
    container,
    src,
    ITEMS,
    (item, enclosing) => readRegistryItem(item, enclosing, src),
    (el) => warnUnknownElement(src.out, el, 'RegistrySettings'),
  );
}

function readRegistryItem(item: XmlElement, enclosing: EnclosingCollections, src: PreferenceSource): void {
  const out = src.out;
  const props = itemProperties(item, src);
  if (!props) return skipItem(out, item, 'it has no <Properties>');
  const a = props.attrs;

  const action = preferenceAction(a.action);
  if (!action) return skipItem(out, item, `unknown action "${a.action}" (expected C, R, U or D)`);
  const hive = hiveFromName(a.hive);
  if (!hive) return skipItem(out, item, `hive "${a.hive ?? ''}" is not HKEY_LOCAL_MACHINE or HKEY_CURRENT_USER`);
  const key = a.key ?? '';
  if (key.trim() === '') return skipItem(out, item, 'it names no registry key');

  const target = isKeyItem(props)
    ? keyOperation(key, action === 'delete')
    : valueOperation(props, action === 'delete', src);
  if ('error' in target) return skipItem(out, item, target.error);

  const setting: RegistrySetting = {
    kind: 'registry',
    hive,
    key: target.key,
    valueName: target.valueName,
    operation: target.operation,
    preference: preferenceMeta(item, action, enclosing, src.ns),
    provenance: src.provenance(item, enclosing),
  };
  out.settings.push(setting);
}

function hiveFromName(name: string | undefined): Hive | undefined {
  const n = name?.trim().toUpperCase();
  if (n === 'HKEY_LOCAL_MACHINE' || n === 'HKLM') return 'HKLM';
  if (n === 'HKEY_CURRENT_USER' || n === 'HKCU') return 'HKCU';
  return undefined;
}

type Target = { key: string; valueName: string; operation: RegistryOperation } | { error: string };

/**
 * A key item (the Registry Wizard writes one per key: empty `type` and `name`, not the (Default) value)
 * creates the key, or with action D removes it with its subkeys. The model says that as `delete-keys`
 * on the parent, the same shape Registry.pol's `**DeleteKeys` takes.
 */
function isKeyItem(props: XmlElement): boolean {
  const a = props.attrs;
  return (a.type ?? '') === '' && (a.name ?? '') === '' && a.default !== '1';
}

function keyOperation(key: string, remove: boolean): Target {
  if (!remove) return { key, valueName: '', operation: { op: 'create-key' } };
  const trimmed = key.replace(/\\+$/, '');
  const cut = trimmed.lastIndexOf('\\');
  return {
    key: cut < 0 ? '' : trimmed.slice(0, cut),
    valueName: '',
    operation: { op: 'delete-keys', keys: [cut < 0 ? trimmed : trimmed.slice(cut + 1)] },
  };
}

function valueOperation(props: XmlElement, remove: boolean, src: PreferenceSource): Target {
  const a = props.attrs;
  const key = a.key ?? '';
  // `default="1"` is the key's unnamed (Default) value; GPMC leaves `name` empty then, but ignore it either way.
  const valueName = a.default === '1' ? '' : (a.name ?? '');
  if (remove) return { key, valueName, operation: { op: 'delete' } };
  const data = registryData(a.type ?? '', a.value ?? '', propertyValues(props, src));
  if ('error' in data) return data;
  return { key, valueName, operation: { op: 'set', data } };
}

function registryData(type: string, value: string, values: string[]): RegistryData | { error: string } {
  switch (type.trim().toUpperCase()) {
    case 'REG_SZ':
      return { type: 'REG_SZ', value };
    case 'REG_EXPAND_SZ':
      return { type: 'REG_EXPAND_SZ', value };
    case 'REG_DWORD': {
      // Stored as hex whatever `displayDecimal` says (that flag only changes how GPMC shows it).
      const n = parseHex(value, 8);
      return n === undefined ? { error: `REG_DWORD value "${value}" is not 1 to 8 hex digits` } : { type: 'REG_DWORD', value: Number(n) };
    }
    case 'REG_QWORD': {
      const n = parseHex(value, 16);
      return n === undefined ? { error: `REG_QWORD value "${value}" is not 1 to 16 hex digits` } : { type: 'REG_QWORD', value: n.toString() };
    }
    case 'REG_MULTI_SZ':
      return { type: 'REG_MULTI_SZ', value: multiStrings(value, values) };
    case 'REG_BINARY': {
      const hex = value.replace(/[\s,]/g, '');
      if (!/^(?:[0-9a-f]{2})*$/i.test(hex)) return { error: `REG_BINARY value "${value}" is not a whole number of hex bytes` };
      return { type: 'REG_BINARY', value: hex.toLowerCase() };
    }
    case '':
      return { error: 'it has no value type' };
    default:
      return { error: `value type "${type}" is not one GPP writes (REG_SZ, REG_EXPAND_SZ, REG_DWORD, REG_QWORD, REG_MULTI_SZ, REG_BINARY)` };
  }
}

function parseHex(text: string, maxDigits: number): bigint | undefined {
  const digits = text.trim().replace(/^0x/i, '');
  if (digits.length === 0 || digits.length > maxDigits || !/^[0-9a-f]+$/i.test(digits)) return undefined;
  return BigInt(`0x${digits}`);
}

/**
 * GPMC writes each string as a `<Values><Value>` child and a space-joined copy in `value`. The children are
 * the truth; the attribute is only used when there are none, and then as one string, because splitting on
 * spaces would break any string that holds one.
 */
function multiStrings(value: string, entries: string[]): string[] {
  if (entries.length > 0) return entries;
  return value === '' ? [] : [value];
}
