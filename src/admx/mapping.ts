import type { Hive, PolicyElementValue, RegistryData } from '../model/settings.js';
import type { MappedRegistryValue } from './catalog.js';
import type { ResolvedElement, ResolvedPolicy } from './resolve.js';
import type { AdmxElement, AdmxValue, AdmxValueList } from './types.js';

// What a policy writes for a state and the element values a report shows, as PolicyPlus's
// PolicyProcessing.SetPolicyState computes it (formats.md section 7).

export interface MappingResult {
  values: MappedRegistryValue[];
  unresolved: string[];
}

type ReportKind = PolicyElementValue['kind'];

/** Which report element kinds can carry the value of each ADMX element type. */
const COMPATIBLE: Record<AdmxElement['type'], readonly ReportKind[]> = {
  enum: ['dropdown'],
  decimal: ['numeric', 'text'],
  longDecimal: ['numeric', 'text'],
  // A comboBox shows as a drop-down in some reports although it edits a text element.
  text: ['text', 'dropdown'],
  boolean: ['checkbox'],
  multiText: ['multitext', 'list'],
  list: ['list'],
};

export function computeRegistryValues(
  resolved: ResolvedPolicy,
  hive: Hive,
  state: 'enabled' | 'disabled',
  reported: PolicyElementValue[],
): MappingResult {
  const out = new Writer(hive);
  const { policy } = resolved;
  if (state === 'enabled') {
    if (policy.enabledValue) out.value(policy.key, policy.valueName ?? '', policy.enabledValue);
    else if (policy.valueName !== undefined) out.set(policy.key, policy.valueName, { type: 'REG_DWORD', value: 1 });
    out.list(policy.enabledList, policy.key);
    const pairs = pairElements(resolved.elements, reported, out.unresolved);
    for (const { slot, value } of pairs) writeEnabledElement(slot, value, policy.key, out);
  } else {
    if (policy.disabledValue) out.value(policy.key, policy.valueName ?? '', policy.disabledValue);
    else if (policy.valueName !== undefined) out.delete(policy.key, policy.valueName);
    out.list(policy.disabledList, policy.key);
    for (const { element } of resolved.elements) {
      const key = element.key ?? policy.key;
      if (element.type === 'list') {
        out.unresolved.push(`list element "${element.id}": disabling clears every value under ${key}, which cannot be listed value by value`);
      } else {
        out.delete(key, element.valueName);
      }
    }
  }
  return { values: out.values, unresolved: out.unresolved };
}

class Writer {
  readonly values: MappedRegistryValue[] = [];
  readonly unresolved: string[] = [];

  constructor(private readonly hive: Hive) {}

  set(key: string, valueName: string, data: RegistryData): void {
    this.values.push({ hive: this.hive, key, valueName, op: 'set', data });
  }

  delete(key: string, valueName: string): void {
    this.values.push({ hive: this.hive, key, valueName, op: 'delete' });
  }

  value(key: string, valueName: string, value: AdmxValue): void {
    if (value.kind === 'delete') this.delete(key, valueName);
    else this.set(key, valueName, registryData(value));
  }

  list(list: AdmxValueList | undefined, fallbackKey: string): void {
    if (!list) return;
    for (const item of list.items) this.value(item.key ?? list.defaultKey ?? fallbackKey, item.valueName, item.value);
  }
}

function registryData(value: Exclude<AdmxValue, { kind: 'delete' }>): RegistryData {
  if (value.kind === 'decimal') return { type: 'REG_DWORD', value: value.value };
  if (value.kind === 'longDecimal') return { type: 'REG_QWORD', value: value.value };
  return { type: 'REG_SZ', value: value.value };
}

// ---------------------------------------------------------------------------------------------
// Pairing report elements with ADMX elements

interface Pair {
  slot: ResolvedElement;
  value: PolicyElementValue;
}

/** Labels compare without case, surrounding space, doubled spaces or a trailing colon. */
export function normaliseLabel(label: string): string {
  return label.replace(/\s+/g, ' ').trim().replace(/\s*:$/, '').toLowerCase();
}

/**
 * Match each report element to an ADMX element: by presentation label first, then (for reports in a language
 * the catalogue lacks) by order among the elements of a compatible kind. Leftovers on either side are reported.
 */
function pairElements(slots: ResolvedElement[], reported: PolicyElementValue[], unresolved: string[]): Pair[] {
  const claimed = new Set<ResolvedElement>();
  const pairs: (Pair | undefined)[] = reported.map(() => undefined);
  const fits = (slot: ResolvedElement, value: PolicyElementValue) => !claimed.has(slot) && COMPATIBLE[slot.element.type].includes(value.kind);

  reported.forEach((value, i) => {
    const wanted = normaliseLabel(value.label);
    const slot = slots.find((s) => fits(s, value) && s.labels.some((l) => normaliseLabel(l) === wanted));
    if (slot) {
      claimed.add(slot);
      pairs[i] = { slot, value };
    }
  });
  // Guessing by order is for a report in a language the catalogue lacks (no label matched at all) and for
  // elements that no presentation labels; otherwise an unknown label is a real mismatch and stays unresolved.
  const languageKnown = pairs.some((p) => p !== undefined);
  reported.forEach((value, i) => {
    if (pairs[i]) return;
    const slot = slots.find((s) => fits(s, value) && (s.labels.length === 0 || !languageKnown));
    if (slot) {
      claimed.add(slot);
      pairs[i] = { slot, value };
    } else {
      unresolved.push(`report element "${value.label}" (${value.kind}) matches no element of the policy`);
    }
  });
  for (const slot of slots) {
    if (!claimed.has(slot)) {
      const label = slot.labels[0] ? ` ("${slot.labels[0]}")` : '';
      unresolved.push(`element "${slot.element.id}"${label} has no value in the report`);
    }
  }
  // Presentation order, whatever order the report listed its elements in.
  return pairs.filter((p): p is Pair => p !== undefined).sort((a, b) => slots.indexOf(a.slot) - slots.indexOf(b.slot));
}

// ---------------------------------------------------------------------------------------------
// Element values

function writeEnabledElement(slot: ResolvedElement, value: PolicyElementValue, policyKey: string, out: Writer): void {
  const element = slot.element;
  const key = element.key ?? policyKey;
  const where = `element "${element.id}" ("${value.label}")`;
  switch (element.type) {
    case 'enum': {
      const wanted = normaliseLabel(scalarText(value) ?? '');
      const index = slot.itemNames.findIndex((names) => names.some((n) => normaliseLabel(n) === wanted));
      const item = index >= 0 ? element.items[index] : undefined;
      if (!item) {
        out.unresolved.push(`${where}: "${scalarText(value)}" is not one of its items (${slot.itemNames.map((n) => n[0] ?? '?').join(', ')})`);
        return;
      }
      out.value(key, element.valueName, item.value);
      out.list(item.valueList, key);
      return;
    }
    case 'decimal':
    case 'longDecimal': {
      const n = integerOf(value);
      const max = element.type === 'decimal' ? 0xffffffffn : 0xffffffffffffffffn;
      if (n === undefined || n < 0n || n > max) {
        out.unresolved.push(`${where}: "${scalarText(value)}" is not an unsigned ${element.type === 'decimal' ? 32 : 64}-bit number`);
        return;
      }
      if (element.storeAsText) out.set(key, element.valueName, { type: 'REG_SZ', value: n.toString() });
      else if (element.type === 'decimal') out.set(key, element.valueName, { type: 'REG_DWORD', value: Number(n) });
      else out.set(key, element.valueName, { type: 'REG_QWORD', value: n.toString() });
      return;
    }
    case 'text':
      out.set(key, element.valueName, { type: element.expandable ? 'REG_EXPAND_SZ' : 'REG_SZ', value: scalarText(value) ?? '' });
      return;
    case 'multiText':
      out.set(key, element.valueName, { type: 'REG_MULTI_SZ', value: lines(value) });
      return;
    case 'boolean': {
      const checked = value.kind === 'checkbox' && value.value;
      const own = checked ? element.trueValue : element.falseValue;
      if (own) out.value(key, element.valueName, own);
      // PolicyPlus: an unchecked box with no falseValue removes the value rather than writing 0.
      else if (checked) out.set(key, element.valueName, { type: 'REG_DWORD', value: 1 });
      else out.delete(key, element.valueName);
      out.list(checked ? element.trueList : element.falseList, key);
      return;
    }
    case 'list':
      writeList(element, key, value, where, out);
      return;
  }
}

function writeList(element: Extract<AdmxElement, { type: 'list' }>, key: string, value: PolicyElementValue, where: string, out: Writer): void {
  if (value.kind !== 'list') return;
  const type = element.expandable ? 'REG_EXPAND_SZ' : 'REG_SZ';
  value.entries.forEach((entry, i) => {
    let name: string | undefined;
    if (element.explicitValue) name = entry.name;
    else if (element.valuePrefix !== undefined) name = `${element.valuePrefix}${i + 1}`;
    else name = entry.value;
    if (name === undefined) out.unresolved.push(`${where}: entry "${entry.value}" has no value name`);
    else out.set(key, name, { type, value: entry.value });
  });
  if (!element.additive) {
    out.unresolved.push(`${where}: the list first clears every other value under ${key}, which cannot be listed value by value`);
  }
}

function scalarText(value: PolicyElementValue): string | undefined {
  switch (value.kind) {
    case 'dropdown':
    case 'text':
      return value.value;
    case 'numeric':
      return String(value.value);
    case 'checkbox':
      return String(value.value);
    default:
      return undefined;
  }
}

function integerOf(value: PolicyElementValue): bigint | undefined {
  const text = scalarText(value)?.trim();
  return text !== undefined && /^-?\d+$/.test(text) ? BigInt(text) : undefined;
}

function lines(value: PolicyElementValue): string[] {
  if (value.kind === 'multitext') return value.value;
  if (value.kind === 'list') return value.entries.map((e) => e.value);
  const text = scalarText(value);
  return text === undefined ? [] : [text];
}
