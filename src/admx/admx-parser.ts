import type { XmlElement } from '../codecs/xml.js';
import type {
  AdmxCategory,
  AdmxDocument,
  AdmxElement,
  AdmxEnumItem,
  AdmxPolicy,
  AdmxValue,
  AdmxValueList,
  PolicyClass,
} from './types.js';
import { attrBool, kid, kids, parseDefinitionFile, presentationRef, textRef, type ParsedFile } from './xml-common.js';

type Warn = (line: number, message: string) => void;

/** `C:\PolicyDefinitions\Logon.admx` → `Logon`. */
export function admxStem(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.admx$/i, '');
}

/**
 * Read one ADMX file. Pure: bytes in, document and problems out. A policy or element that cannot be
 * understood is skipped with a warning naming its line; a file that is not ADMX at all yields an error.
 */
export function parseAdmx(bytes: Uint8Array, file: string): ParsedFile<AdmxDocument> {
  return parseDefinitionFile(bytes, file, 'policyDefinitions', (root, warn) => {
    const stem = admxStem(file);
    const { namespace, prefixes } = readNamespaces(root, stem, warn);
    return {
      file,
      stem,
      namespace,
      prefixes,
      categories: readCategories(root, warn),
      policies: readPolicies(root, warn),
    };
  });
}

function readNamespaces(root: XmlElement, stem: string, warn: Warn): { namespace: string; prefixes: Record<string, string> } {
  const prefixes: Record<string, string> = Object.create(null);
  let namespace: string | undefined;
  const block = kid(root, 'policyNamespaces');
  for (const el of block?.children ?? []) {
    if (el.local !== 'target' && el.local !== 'using') continue;
    const prefix = el.attrs.prefix;
    const ns = el.attrs.namespace;
    if (!prefix || !ns) {
      warn(el.line, `<${el.local}> without prefix or namespace ignored`);
      continue;
    }
    prefixes[prefix] = ns;
    if (el.local === 'target') namespace = ns;
  }
  if (namespace === undefined) {
    // Category references into this file cannot be resolved from elsewhere, but its own policies still map.
    warn(block?.line ?? root.line, `no <policyNamespaces><target> element; using "${stem}" as this file's namespace`);
    namespace = stem;
  }
  return { namespace, prefixes };
}

function readCategories(root: XmlElement, warn: Warn): AdmxCategory[] {
  const out: AdmxCategory[] = [];
  for (const el of kids(kid(root, 'categories') ?? root, 'category')) {
    const name = el.attrs.name;
    const displayName = el.attrs.displayName;
    if (!name || displayName === undefined) {
      warn(el.line, 'category without name or displayName skipped');
      continue;
    }
    const parent = kid(el, 'parentCategory')?.attrs.ref;
    out.push({ name, displayName: textRef(displayName), ...(parent ? { parentCategory: parent } : {}), line: el.line });
  }
  return out;
}

function readPolicies(root: XmlElement, warn: Warn): AdmxPolicy[] {
  const out: AdmxPolicy[] = [];
  for (const el of kids(kid(root, 'policies') ?? root, 'policy')) {
    const policy = readPolicy(el, warn);
    if (policy) out.push(policy);
  }
  return out;
}

function readPolicy(el: XmlElement, warn: Warn): AdmxPolicy | undefined {
  const { name, displayName, key } = el.attrs;
  const cls = policyClass(el.attrs.class);
  if (!name || displayName === undefined || key === undefined || !cls) {
    const missing = [!name && 'name', displayName === undefined && 'displayName', key === undefined && 'key', !cls && 'a valid class']
      .filter(Boolean)
      .join(', ');
    warn(el.line, `policy ${name ? `"${name}" ` : ''}skipped: missing ${missing}`);
    return undefined;
  }
  const where = `policy "${name}"`;
  const policy: AdmxPolicy = { name, class: cls, displayName: textRef(displayName), key, elements: [], line: el.line };
  const presentation = presentationRef(el.attrs.presentation);
  if (presentation) policy.presentation = presentation;
  if (el.attrs.valueName !== undefined) policy.valueName = el.attrs.valueName;
  const parent = kid(el, 'parentCategory')?.attrs.ref;
  if (parent) policy.parentCategory = parent;
  assignValue(policy, 'enabledValue', kid(el, 'enabledValue'), where, warn);
  assignValue(policy, 'disabledValue', kid(el, 'disabledValue'), where, warn);
  assignList(policy, 'enabledList', kid(el, 'enabledList'), where, warn);
  assignList(policy, 'disabledList', kid(el, 'disabledList'), where, warn);
  const elements = kid(el, 'elements');
  for (const child of elements?.children ?? []) {
    const element = readElement(child, elements!.ns, where, warn);
    if (element) policy.elements.push(element);
  }
  return policy;
}

function policyClass(raw: string | undefined): PolicyClass | undefined {
  const c = raw?.trim().toLowerCase();
  if (c === 'machine') return 'Machine';
  if (c === 'user') return 'User';
  if (c === 'both') return 'Both';
  return undefined;
}

function assignValue<K extends string>(target: Partial<Record<K, AdmxValue>>, prop: K, el: XmlElement | undefined, where: string, warn: Warn): void {
  if (!el) return;
  const value = readValue(el, `${where} <${el.local}>`, warn);
  if (value) target[prop] = value;
}

function assignList<K extends string>(target: Partial<Record<K, AdmxValueList>>, prop: K, el: XmlElement | undefined, where: string, warn: Warn): void {
  if (!el) return;
  target[prop] = readValueList(el, `${where} <${el.local}>`, warn);
}

/** The single `decimal` / `longDecimal` / `string` / `delete` child of a value holder. */
function readValue(holder: XmlElement, where: string, warn: Warn): AdmxValue | undefined {
  // Mixed content happens in real files (MSI.admx has stray text inside <disabledValue>): only elements count.
  const el = holder.children.find((c) => c.ns === holder.ns && ['decimal', 'longDecimal', 'string', 'delete'].includes(c.local));
  if (!el) {
    warn(holder.line, `${where}: no <decimal>, <longDecimal>, <string> or <delete> inside; ignored`);
    return undefined;
  }
  switch (el.local) {
    case 'delete':
      return { kind: 'delete' };
    case 'string':
      return { kind: 'string', value: el.text };
    case 'decimal': {
      const raw = (el.attrs.value ?? '').trim();
      const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
      if (!(n <= 0xffffffff)) {
        warn(el.line, `${where}: decimal value "${raw}" is not an unsigned 32-bit number; ignored`);
        return undefined;
      }
      return { kind: 'decimal', value: n };
    }
    default: {
      const raw = (el.attrs.value ?? '').trim();
      if (!/^\d{1,20}$/.test(raw) || BigInt(raw) > 0xffffffffffffffffn) {
        warn(el.line, `${where}: longDecimal value "${raw}" is not an unsigned 64-bit number; ignored`);
        return undefined;
      }
      return { kind: 'longDecimal', value: BigInt(raw).toString() };
    }
  }
}

function readValueList(el: XmlElement, where: string, warn: Warn): AdmxValueList {
  const list: AdmxValueList = { items: [] };
  if (el.attrs.defaultKey) list.defaultKey = el.attrs.defaultKey;
  for (const item of kids(el, 'item')) {
    const valueName = item.attrs.valueName;
    const holder = kid(item, 'value');
    if (valueName === undefined || !holder) {
      warn(item.line, `${where}: item without valueName or <value> skipped`);
      continue;
    }
    const value = readValue(holder, `${where} item "${valueName}"`, warn);
    if (!value) continue;
    list.items.push({ ...(item.attrs.key ? { key: item.attrs.key } : {}), valueName, value });
  }
  return list;
}

function readElement(el: XmlElement, ns: string, where: string, warn: Warn): AdmxElement | undefined {
  if (el.ns !== ns) {
    warn(el.line, `${where}: element <${el.local}> from another namespace (${el.ns || 'none'}) skipped`);
    return undefined;
  }
  const id = el.attrs.id;
  if (!id) {
    warn(el.line, `${where}: <${el.local}> element without id skipped`);
    return undefined;
  }
  const base = { id, ...(el.attrs.key ? { key: el.attrs.key } : {}), line: el.line };
  if (el.local === 'list') {
    return {
      type: 'list',
      ...base,
      ...(el.attrs.valuePrefix !== undefined ? { valuePrefix: el.attrs.valuePrefix } : {}),
      explicitValue: attrBool(el, 'explicitValue'),
      additive: attrBool(el, 'additive'),
      expandable: attrBool(el, 'expandable'),
    };
  }
  const valueName = el.attrs.valueName;
  if (valueName === undefined) {
    warn(el.line, `${where}: <${el.local} id="${id}"> without valueName skipped`);
    return undefined;
  }
  const named = { ...base, valueName };
  switch (el.local) {
    case 'boolean':
      return readBoolean(el, named, `${where} element "${id}"`, warn);
    case 'decimal':
    case 'longDecimal':
      return { type: el.local, ...named, storeAsText: attrBool(el, 'storeAsText') };
    case 'text':
      return { type: 'text', ...named, expandable: attrBool(el, 'expandable') };
    case 'multiText':
      return { type: 'multiText', ...named };
    case 'enum': {
      const items = readEnumItems(el, `${where} element "${id}"`, warn);
      if (items.length > 0) return { type: 'enum', ...named, items };
      warn(el.line, `${where}: enum element "${id}" has no usable item; skipped`);
      return undefined;
    }
    default:
      warn(el.line, `${where}: unknown element type <${el.local}> skipped`);
      return undefined;
  }
}

function readBoolean(el: XmlElement, named: { id: string; valueName: string; key?: string; line: number }, where: string, warn: Warn): AdmxElement {
  const element: AdmxElement = { type: 'boolean', ...named };
  assignValue(element, 'trueValue', kid(el, 'trueValue'), where, warn);
  assignValue(element, 'falseValue', kid(el, 'falseValue'), where, warn);
  assignList(element, 'trueList', kid(el, 'trueList'), where, warn);
  assignList(element, 'falseList', kid(el, 'falseList'), where, warn);
  return element;
}

function readEnumItems(el: XmlElement, where: string, warn: Warn): AdmxEnumItem[] {
  const items: AdmxEnumItem[] = [];
  for (const item of kids(el, 'item')) {
    const displayName = item.attrs.displayName;
    const holder = kid(item, 'value');
    if (displayName === undefined || !holder) {
      warn(item.line, `${where}: item without displayName or <value> skipped`);
      continue;
    }
    const value = readValue(holder, `${where} item ${displayName}`, warn);
    if (!value) continue;
    const entry: AdmxEnumItem = { displayName: textRef(displayName), value };
    const valueList = kid(item, 'valueList');
    if (valueList) entry.valueList = readValueList(valueList, `${where} item ${displayName} <valueList>`, warn);
    items.push(entry);
  }
  return items;
}
