// Readers shared by the two Group Policy XML report formats (Get-GPOReport and gpresult /x RSoP): both hold
// the same per-extension setting shapes, RSoP adds a GPO identifier and precedence to every setting element.
import { child, childText, children, parseBool, resolveQName, type XmlElement } from '../codecs/xml.js';
import type { UnreadExtension } from '../model/gpo.js';
import type { ParseContext, ParseResult } from '../model/parse-result.js';
import { principal } from '../model/principals.js';
import { type GpoRef, type InputFormat, type PolicyElementValue, type PolicyScope, type Provenance, type RegistryData, type Setting, hiveForScope } from '../model/settings.js';
import { guidKey, normaliseGuid, splitRootedKey } from '../model/keys.js';
import type { EnclosingCollections, PreferenceSource } from './gpp-common.js';
import { readPowerPreferences } from './gpp-power.js';
import { readRegistryPreferences } from './gpp-registry.js';

export const NS = {
  settings: 'http://www.microsoft.com/GroupPolicy/Settings',
  types: 'http://www.microsoft.com/GroupPolicy/Types',
  base: 'http://www.microsoft.com/GroupPolicy/Settings/Base',
  security: 'http://www.microsoft.com/GroupPolicy/Settings/Security',
  registry: 'http://www.microsoft.com/GroupPolicy/Settings/Registry',
  auditing: 'http://www.microsoft.com/GroupPolicy/Settings/Auditing',
  /** Group Policy Preferences "Windows Registry": the items of Registry.xml. */
  gppRegistry: 'http://www.microsoft.com/GroupPolicy/Settings/Windows/Registry',
  /** Group Policy Preferences "Power Options": the items of PowerOptions.xml. */
  gppPower: 'http://www.microsoft.com/GroupPolicy/Settings/PowerOptions',
  rsop: 'http://www.microsoft.com/GroupPolicy/Rsop',
} as const;

/**
 * Parts of a report no reader looks at: GPO and file ACLs, policy explanations, RSoP event logs. They make up
 * much of a report's size, so they are tokenized but not built (see parseXml's `prune`).
 */
const UNREAD = new Set(['SecurityDescriptor', 'Explain', 'EventsDetails', 'SecurityGroup', 'ExtensionStatus']);
export const pruneUnread = (local: string): boolean => UNREAD.has(local);

/** Who set a setting element: constant for a GPO report, read from the element itself in RSoP. */
export type SettingOrigin = (el: XmlElement) => { gpo: GpoRef; rsop?: Provenance['rsop'] };

export interface ExtensionReadContext {
  ctx: ParseContext;
  format: InputFormat;
  scope: PolicyScope;
  origin: SettingOrigin;
  out: ParseResult;
}

/** An extension that is present but not read, with the GPOs RSoP names inside it (empty for a GPO report). */
export interface SkippedExtension extends UnreadExtension {
  gpoIds: string[];
}

/**
 * Read every ExtensionData of a Computer/User (or ComputerResults/UserResults) element. Extensions are
 * identified by the namespace of their xsi:type, never by their localised Name. Returns the extensions that
 * were present but are not modelled.
 */
export function readExtensions(side: XmlElement, rc: ExtensionReadContext): SkippedExtension[] {
  const unread: SkippedExtension[] = [];
  for (const data of children(side, 'ExtensionData')) {
    const ext = child(data, 'Extension');
    if (!ext) continue;
    const type = ext.attrs.type ? resolveQName(ext, ext.attrs.type) : { ns: '', local: '' };
    if (type.ns === NS.security) readSecurityExtension(ext, rc);
    else if (type.ns === NS.registry) readRegistryExtension(ext, rc);
    else if (type.ns === NS.auditing) readAuditingExtension(ext, rc);
    else if (type.ns === NS.gppRegistry) readPreferenceExtension(ext, type.ns, 'RegistrySettings', readRegistryPreferences, rc);
    else if (type.ns === NS.gppPower) readPreferenceExtension(ext, type.ns, 'PowerOptions', readPowerPreferences, rc);
    else {
      unread.push({
        name: childText(data, 'Name') || type.local || 'unknown extension',
        namespace: type.ns,
        scope: rc.scope,
        gpoIds: gpoIdsWithin(ext),
      });
    }
  }
  return unread;
}

/** One entry per extension and side, without the RSoP GPO list (a GpoInfo belongs to one GPO already). */
export function unreadForSource(list: readonly UnreadExtension[]): UnreadExtension[] {
  const out: UnreadExtension[] = [];
  for (const { name, namespace, scope } of list) {
    if (!out.some((u) => u.namespace === namespace && u.scope === scope && u.name === name)) out.push({ name, namespace, scope });
  }
  return out;
}

/** RSoP names the GPO of every setting element; the GUIDs found anywhere in an extension, upper case, in order. */
function gpoIdsWithin(ext: XmlElement): string[] {
  const ids = new Set<string>();
  const walk = (el: XmlElement) => {
    for (const c of el.children) {
      if (c.ns === NS.base && c.local === 'GPO') {
        const id = readGpoIdentifier(c).id;
        if (id) ids.add(guidKey(id));
      } else walk(c);
    }
  };
  walk(ext);
  return [...ids];
}

function prov(el: XmlElement, rc: ExtensionReadContext): Provenance {
  return provAt(el, el, rc);
}

/** Provenance with the line of `el` and the GPO (and RSoP precedence) that `originEl` names. */
function provAt(el: XmlElement, originEl: XmlElement, rc: ExtensionReadContext): Provenance {
  const o = rc.origin(originEl);
  return {
    gpo: o.gpo,
    file: rc.ctx.file,
    format: rc.format,
    position: { line: el.line },
    ...(o.rsop ? { rsop: o.rsop } : {}),
  };
}

function warnSkipped(el: XmlElement, rc: ExtensionReadContext, message: string): void {
  rc.out.problems.push({ file: rc.ctx.file, position: { line: el.line }, code: 'skipped-entry', severity: 'warning', message });
}

/** Quoted strings appear in reports exactly as in the template (`"0"`); the quotes are syntax, not data. */
function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

// --- Security settings ------------------------------------------------------------------------

function readSecurityExtension(ext: XmlElement, rc: ExtensionReadContext): void {
  const ns = NS.security;
  for (const el of ext.children) {
    if (el.ns !== ns) continue;
    const setting = readSecurityElement(el, rc);
    if (setting) rc.out.settings.push(setting);
  }
}

function readSecurityElement(el: XmlElement, rc: ExtensionReadContext): Setting | undefined {
  const ns = NS.security;
  switch (el.local) {
    case 'Account': {
      const name = childText(el, 'Name', ns);
      const value = scalarSetting(el);
      if (!name || value === undefined) return warnSkipped(el, rc, 'Account policy without a name or value was skipped'), undefined;
      const type = childText(el, 'Type', ns);
      return { kind: 'account-policy', section: type === 'Kerberos' ? 'Kerberos Policy' : 'System Access', name, value, provenance: prov(el, rc) };
    }
    case 'Audit': {
      const name = childText(el, 'Name', ns);
      if (!name) return warnSkipped(el, rc, 'Audit entry without a name was skipped'), undefined;
      return {
        kind: 'audit',
        name,
        success: parseBool(childText(el, 'SuccessAttempts', ns)) ?? false,
        failure: parseBool(childText(el, 'FailureAttempts', ns)) ?? false,
        provenance: prov(el, rc),
      };
    }
    case 'UserRightsAssignment': {
      const right = childText(el, 'Name', ns);
      if (!right) return warnSkipped(el, rc, 'User right without a name was skipped'), undefined;
      return { kind: 'privilege-right', right, principals: children(el, 'Member', ns).map(readPrincipal), provenance: prov(el, rc) };
    }
    case 'SecurityOptions':
      return readSecurityOption(el, rc);
    case 'EventLog': {
      const name = childText(el, 'Name', ns);
      const log = childText(el, 'Log', ns);
      const value = scalarSetting(el);
      if (!name || !log || value === undefined) return warnSkipped(el, rc, 'Event log setting without a name, log or value was skipped'), undefined;
      return { kind: 'account-policy', section: 'Event Log', name: `${log} Log/${name}`, value, provenance: prov(el, rc) };
    }
    case 'RestrictedGroups': {
      const group = child(el, 'GroupName', ns);
      if (!group) return warnSkipped(el, rc, 'Restricted group without a GroupName was skipped'), undefined;
      return {
        kind: 'group-membership',
        group: readPrincipal(group),
        members: children(el, 'Member', ns).map(readPrincipal),
        memberOf: children(el, 'Memberof', ns).map(readPrincipal),
        provenance: prov(el, rc),
      };
    }
    default:
      // Services, file and registry ACLs, Blocked: present in the model only as "seen", see GpoInfo.unreadExtensions.
      return undefined;
  }
}

function readPrincipal(el: XmlElement) {
  return principal({ sid: childText(el, 'SID', NS.types), name: childText(el, 'Name', NS.types) });
}

function scalarSetting(el: XmlElement): string | number | boolean | undefined {
  const ns = NS.security;
  const num = childText(el, 'SettingNumber', ns);
  if (num !== undefined && num !== '' && Number.isFinite(Number(num))) return signed32(Number(num));
  const bool = parseBool(childText(el, 'SettingBoolean', ns));
  if (bool !== undefined) return bool;
  const str = childText(el, 'SettingString', ns);
  return str === undefined ? undefined : unquote(str);
}

/**
 * Reports print account policies as unsigned 32-bit numbers (LockoutDuration 4294967295) where the security
 * template, which is what the client applies, says -1 ("until an administrator unlocks"). Use the template's form.
 */
function signed32(n: number): number {
  return Number.isInteger(n) && n >= 2 ** 31 && n < 2 ** 32 ? n - 2 ** 32 : n;
}

function readSecurityOption(el: XmlElement, rc: ExtensionReadContext): Setting | undefined {
  const ns = NS.security;
  const displayName = childText(child(el, 'Display', ns) ?? el, 'Name', ns);
  const keyName = childText(el, 'KeyName', ns);
  if (keyName) {
    const rooted = splitRootedKey(keyName);
    const cut = rooted ? rooted.key.lastIndexOf('\\') : -1;
    if (!rooted || cut < 0) return warnSkipped(el, rc, `security option key "${keyName}" is not a MACHINE\\ registry path; skipped`), undefined;
    const data = securityOptionData(el);
    if (!data) return warnSkipped(el, rc, `security option ${keyName} has no value; skipped`), undefined;
    return {
      kind: 'registry',
      hive: rooted.hive,
      key: rooted.key.slice(0, cut),
      valueName: rooted.key.slice(cut + 1),
      operation: { op: 'set', data },
      securityOption: displayName ? { displayName } : {},
      provenance: prov(el, rc),
    };
  }
  const policyName = childText(el, 'SystemAccessPolicyName', ns);
  const value = scalarSetting(el);
  if (policyName && value !== undefined) return { kind: 'account-policy', section: 'System Access', name: policyName, value, provenance: prov(el, rc) };
  if (policyName) return warnSkipped(el, rc, `security option ${policyName} has no value; skipped`), undefined;
  return warnSkipped(el, rc, 'security option with neither KeyName nor SystemAccessPolicyName was skipped'), undefined;
}

function securityOptionData(el: XmlElement): RegistryData | undefined {
  const ns = NS.security;
  const num = childText(el, 'SettingNumber', ns);
  if (num !== undefined && /^-?\d+$/.test(num)) return { type: 'REG_DWORD', value: Number(num) >>> 0 };
  const strings = child(el, 'SettingStrings', ns);
  if (strings) return { type: 'REG_MULTI_SZ', value: children(strings, 'Value', ns).map((v) => v.text) };
  const str = childText(el, 'SettingString', ns);
  if (str !== undefined) return { type: 'REG_SZ', value: unquote(str) };
  return undefined;
}

// --- Advanced audit policy ("Advanced Audit Configuration", its own extension) -----------------

function readAuditingExtension(ext: XmlElement, rc: ExtensionReadContext): void {
  const ns = NS.auditing;
  for (const el of children(ext, 'AuditSetting', ns)) {
    // The subcategory name is localised; its GUID is not, so the GUID identifies the setting.
    const guid = childText(el, 'SubcategoryGuid', ns)?.toLowerCase();
    const name = childText(el, 'SubcategoryName', ns);
    const value = Number(childText(el, 'SettingValue', ns));
    if (!(guid || name) || !Number.isInteger(value)) {
      warnSkipped(el, rc, 'advanced audit entry without a subcategory or value was skipped');
      continue;
    }
    rc.out.settings.push({
      kind: 'audit',
      name: name ?? guid!,
      ...(guid ? { subcategoryGuid: guid } : {}),
      success: (value & 1) !== 0,
      failure: (value & 2) !== 0,
      provenance: prov(el, rc),
    });
  }
}

// --- Administrative templates and extra registry settings ---------------------------------------

function readRegistryExtension(ext: XmlElement, rc: ExtensionReadContext): void {
  const ns = NS.registry;
  for (const el of ext.children) {
    if (el.ns !== ns) continue;
    if (el.local === 'Policy') readPolicy(el, rc);
    else if (el.local === 'RegistrySetting') readExtraRegistrySetting(el, rc);
  }
}

function readPolicy(el: XmlElement, rc: ExtensionReadContext): void {
  const ns = NS.registry;
  const displayName = childText(el, 'Name', ns);
  const stateText = childText(el, 'State', ns)?.toLowerCase();
  if (!displayName || (stateText !== 'enabled' && stateText !== 'disabled')) {
    warnSkipped(el, rc, `administrative template policy "${displayName ?? '?'}" has state "${stateText ?? 'none'}"; skipped`);
    return;
  }
  const elements: PolicyElementValue[] = [];
  for (const c of el.children) {
    if (c.ns !== ns) continue;
    const value = readPolicyElement(c);
    if (value) elements.push(value);
    else if (!['Name', 'State', 'Explain', 'Supported', 'Category', 'Text', 'Comment'].includes(c.local)) {
      warnSkipped(c, rc, `policy "${displayName}": element <${c.local}> not understood; its value is not evaluated`);
    }
  }
  const category = childText(el, 'Category', ns);
  rc.out.settings.push({
    kind: 'admin-template',
    scope: rc.scope,
    displayName,
    state: stateText,
    ...(category ? { category } : {}),
    elements,
    registry: [],
    provenance: prov(el, rc),
  });
}

function readPolicyElement(el: XmlElement): PolicyElementValue | undefined {
  const ns = NS.registry;
  const label = childText(el, 'Name', ns) ?? '';
  switch (el.local) {
    case 'DropDownList': {
      // The chosen item is Value/Name; without a Value there is no choice (the element's own Name is its label).
      const chosen = child(el, 'Value', ns);
      const value = chosen ? childText(chosen, 'Name', ns) : undefined;
      return value === undefined ? undefined : { kind: 'dropdown', label, value };
    }
    case 'Numeric': {
      const value = Number(childText(el, 'Value', ns));
      return Number.isFinite(value) ? { kind: 'numeric', label, value } : undefined;
    }
    case 'EditText':
      return { kind: 'text', label, value: childText(el, 'Value', ns) ?? '' };
    case 'CheckBox':
      return { kind: 'checkbox', label, value: childText(el, 'State', ns)?.toLowerCase() === 'enabled' };
    case 'ListBox': {
      const entries = children(child(el, 'Value', ns) ?? el, 'Element', ns).map((e) => {
        const name = childText(e, 'Name', ns);
        return { ...(name !== undefined ? { name } : {}), value: childText(e, 'Data', ns) ?? '' };
      });
      return { kind: 'list', label, entries };
    }
    case 'MultiTextBox':
    case 'MultiText': {
      // Real reports write the items as lower-case <string>; accept either case.
      const value = (child(el, 'Value', ns) ?? el).children.filter((s) => s.ns === ns && s.local.toLowerCase() === 'string').map((s) => s.text);
      return { kind: 'multitext', label, value };
    }
    default:
      return undefined;
  }
}

function readExtraRegistrySetting(el: XmlElement, rc: ExtensionReadContext): void {
  const ns = NS.registry;
  const keyPath = childText(el, 'KeyPath', ns);
  if (!keyPath) return warnSkipped(el, rc, 'extra registry setting without a KeyPath was skipped');
  const valueEl = child(el, 'Value', ns);
  const hive = hiveForScope(rc.scope);
  if (!valueEl) {
    rc.out.settings.push({ kind: 'registry', hive, key: keyPath, valueName: '', operation: { op: 'create-key' }, provenance: prov(el, rc) });
    return;
  }
  const valueName = childText(valueEl, 'Name', ns) ?? '';
  const data = extraRegistryData(valueEl);
  if (!data) return warnSkipped(el, rc, `extra registry setting ${keyPath}\\${valueName}: value type not understood; skipped`);
  rc.out.settings.push({ kind: 'registry', hive, key: keyPath, valueName, operation: { op: 'set', data }, provenance: prov(el, rc) });
}

function extraRegistryData(valueEl: XmlElement): RegistryData | undefined {
  const ns = NS.registry;
  const num = childText(valueEl, 'Number', ns);
  if (num !== undefined && /^-?\d+$/.test(num)) return { type: 'REG_DWORD', value: Number(num) >>> 0 };
  const str = childText(valueEl, 'String', ns);
  if (str !== undefined) return { type: 'REG_SZ', value: str };
  const multi = child(valueEl, 'MultiString', ns);
  if (multi) return { type: 'REG_MULTI_SZ', value: children(multi, 'String', ns).map((s) => s.text) };
  const bin = childText(valueEl, 'Binary', ns);
  if (bin !== undefined) return { type: 'REG_BINARY', value: bin.replace(/[^0-9a-f]/gi, '').toLowerCase() };
  return undefined;
}

// --- Group Policy Preferences (Windows Registry, Power Options) ---------------------------------

/**
 * A report's preference extension holds the stand-alone file's root element (`q12:RegistrySettings`,
 * `q14:PowerOptions`) with the same items in the extension's namespace; the stand-alone readers read it. The
 * report adds `GPOSettingOrder` to items and collections, and RSoP the `GPO` and `Precedence` of the GPO that
 * set the item, in the Base namespace as on every other RSoP setting element.
 */
function readPreferenceExtension(
  ext: XmlElement,
  ns: string,
  rootLocal: string,
  read: (container: XmlElement, src: PreferenceSource) => void,
  rc: ExtensionReadContext,
): void {
  const src: PreferenceSource = {
    ns,
    out: rc.out,
    provenance: (item, enclosing) => provAt(item, preferenceOrigin(item, enclosing), rc),
    isAnnotation: (el) => el.ns === NS.base || (el.ns === ns && el.local === 'GPOSettingOrder'),
  };
  for (const el of ext.children) {
    if (src.isAnnotation!(el)) continue;
    if (el.ns === ns && el.local === rootLocal) read(el, src);
    else warnSkipped(el, rc, `unknown element <${el.local}> in the ${rootLocal} extension skipped`);
  }
}

/**
 * The element whose RSoP `GPO`/`Precedence` says who set an item: the item itself, or failing that the nearest
 * enclosing collection or root that carries them. A GPO report has none and takes its GPO from the report.
 */
function preferenceOrigin(item: XmlElement, enclosing: EnclosingCollections): XmlElement {
  if (child(item, 'GPO', NS.base)) return item;
  for (let i = enclosing.path.length - 1; i >= 0; i--) {
    const el = enclosing.path[i]!;
    if (child(el, 'GPO', NS.base)) return el;
  }
  return item;
}

// --- GPO identity -----------------------------------------------------------------------------

export function readGpoIdentifier(el: XmlElement | undefined): Pick<GpoRef, 'id' | 'domain'> {
  if (!el) return {};
  const id = normaliseGuid(childText(el, 'Identifier', NS.types));
  const domain = childText(el, 'Domain', NS.types);
  return { ...(id ? { id } : {}), ...(domain ? { domain } : {}) };
}
