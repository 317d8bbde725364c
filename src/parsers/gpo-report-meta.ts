// What a Get-GPOReport says about a GPO as a whole, beside its settings: each side's directory and SYSVOL versions,
// the WMI filter and the permissions that decide security filtering. Shapes as real exports write them
// (../shared/docs/formats.md section 2; test/parsers/gpo-report-meta.test.ts names the files).
import { child, childText, children, parseBool, type XmlElement } from '../codecs/xml.js';
import type { GpoPermission, GpoSideVersions, GpoWmiFilter } from '../model/gpo.js';
import type { ParseResult } from '../model/parse-result.js';
import { NS } from './gp-xml.js';

/** The security descriptor's own namespace; the trustee's SID and name are in NS.types. */
const SECURITY_TYPES = 'http://www.microsoft.com/GroupPolicy/Types/Security';

/** Problems go to the file's list as warnings: the value is left out, the rest of the GPO is read. */
type Warn = (el: XmlElement, message: string) => void;

export function reportWarner(file: string, out: ParseResult): Warn {
  return (el, message) => out.problems.push({ file, position: { line: el.line }, code: 'skipped-entry', severity: 'warning', message });
}

/**
 * The GPO-level security descriptor must be built (the parser prunes every other one: file and registry ACLs inside
 * extensions are in their extension's namespace, the GPO's own is in the report's default one).
 */
export const keepGpoSecurityDescriptor = (local: string, ns: string): boolean => local === 'SecurityDescriptor' && ns === NS.settings;

/** A side's `VersionDirectory` and `VersionSysvol`; a value that is not a 16-bit count is left out. */
export function readSideVersions(side: XmlElement, warn: Warn): { versions: GpoSideVersions; line: number } | undefined {
  const out: GpoSideVersions = {};
  let line: number | undefined;
  for (const [local, field] of [['VersionDirectory', 'directory'], ['VersionSysvol', 'sysvol']] as const) {
    const el = child(side, local, NS.settings);
    if (!el) continue;
    line ??= el.line;
    const text = el.text.trim();
    // A side's version is one half of the 32-bit versionNumber (gpo-links.md).
    const n = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
    if (n <= 0xffff) out[field] = n;
    else warn(el, `${side.local} ${local} "${text.slice(0, 40)}" is not a version number (0 to 65535); left out`);
  }
  if (out.directory === undefined && out.sysvol === undefined) return undefined;
  return { versions: out, line: line! };
}

/** `FilterName` names the WMI filter; reports carry no filter id. */
export function readWmiFilter(gpo: XmlElement): { wmiFilter?: GpoWmiFilter; filterDataAvailable?: boolean } {
  const name = childText(gpo, 'FilterName', NS.settings);
  const available = parseBool(childText(gpo, 'FilterDataAvailable', NS.settings));
  return { ...(name ? { wmiFilter: { name } } : {}), ...(available !== undefined ? { filterDataAvailable: available } : {}) };
}

// GPMC's grouped permissions (GPOGroupedAccessEnum; GPMPermissionType in gpmgmt.h): every one but Custom includes Read,
// and only "Apply Group Policy" (permGPOApply) includes the Apply Group Policy right. Schema values, not display text:
// the same in every report seen (English only; a localised GPMC was not available to check).
const GROUPED: Record<string, { read: boolean; applyGroupPolicy: boolean }> = {
  'apply group policy': { read: true, applyGroupPolicy: true },
  read: { read: true, applyGroupPolicy: false },
  'edit settings': { read: true, applyGroupPolicy: false },
  'edit, delete, modify security': { read: true, applyGroupPolicy: false },
  'edit settings, delete, modify security': { read: true, applyGroupPolicy: false },
};

// Directory access rights ([MS-ADTS] 5.1.3.2, [MS-DTYP] 2.4.3).
const READ_PROPERTY = 0x10;
const CONTROL_ACCESS = 0x100;
const GENERIC_ALL = 0x10000000;
const GENERIC_READ = 0x80000000;

/** Rights an AD access mask grants: control access covers every extended right, Apply Group Policy included. */
function rightsOfMask(mask: number): { read: boolean; applyGroupPolicy: boolean } {
  return {
    read: (mask & (READ_PROPERTY | GENERIC_READ | GENERIC_ALL)) !== 0,
    applyGroupPolicy: (mask & (CONTROL_ACCESS | GENERIC_ALL)) !== 0,
  };
}

/**
 * `SecurityDescriptor/Permissions/TrusteePermissions`. Undefined when the report has no descriptor or says its
 * permissions are not present: unknown, unlike an empty list (nobody is granted anything).
 */
export function readPermissions(gpo: XmlElement, warn: Warn): GpoPermission[] | undefined {
  const sd = child(gpo, 'SecurityDescriptor', NS.settings);
  if (!sd) return undefined;
  if (parseBool(childText(sd, 'PermissionsPresent', SECURITY_TYPES)) === false) return undefined;
  const perms = child(sd, 'Permissions', SECURITY_TYPES);
  if (!perms) return undefined;
  return children(perms, 'TrusteePermissions', SECURITY_TYPES).map((tp) => readTrusteePermission(tp, warn));
}

function readTrusteePermission(tp: XmlElement, warn: Warn): GpoPermission {
  const out: GpoPermission = {};
  const trustee = child(tp, 'Trustee', SECURITY_TYPES);
  const sid = trustee ? childText(trustee, 'SID', NS.types) : undefined;
  const name = trustee ? childText(trustee, 'Name', NS.types) : undefined;
  if (sid) out.sid = sid;
  if (name) out.name = name;
  if (!sid) warn(trustee ?? tp, `permission entry for ${name ? `"${name}"` : 'an unnamed trustee'} has no SID; it counts for no principal`);

  const typeEl = child(tp, 'Type', SECURITY_TYPES);
  const typeText = typeEl ? childText(typeEl, 'PermissionType', SECURITY_TYPES) : undefined;
  const type = typeText?.toLowerCase();
  if (type === 'allow' || type === 'deny') out.type = type;
  else warn(typeEl ?? tp, `permission entry for ${name ?? sid ?? 'a trustee'} is neither Allow nor Deny ("${(typeText ?? '').slice(0, 40)}"); its effect is unknown`);

  const inherited = parseBool(childText(tp, 'Inherited', SECURITY_TYPES));
  if (inherited !== undefined) out.inherited = inherited;

  const standard = child(tp, 'Standard', SECURITY_TYPES);
  const access = standard ? childText(standard, 'GPOGroupedAccessEnum', SECURITY_TYPES) : undefined;
  if (access) out.access = access;
  const maskText = childText(tp, 'AccessMask', SECURITY_TYPES);
  const mask = maskText !== undefined && /^[0-9]{1,10}$/.test(maskText) ? Number(maskText) : undefined;

  // Real reports write AccessMask 0 for every GPO trustee, so 0 means "not given", not "no rights".
  const grouped = access ? GROUPED[access.toLowerCase()] : undefined;
  const rights = mask !== undefined && mask !== 0 && mask <= 0xffffffff ? rightsOfMask(mask) : grouped;
  if (mask !== undefined && mask !== 0) out.accessMask = mask;
  if (rights) {
    out.read = rights.read;
    out.applyGroupPolicy = rights.applyGroupPolicy;
  }
  if (grouped && rights && rights !== grouped && (grouped.read !== rights.read || grouped.applyGroupPolicy !== rights.applyGroupPolicy)) {
    warn(tp, `permission entry for ${name ?? sid ?? 'a trustee'}: access mask ${mask} and "${access}" disagree; the mask is used`);
  }
  if (!rights && access && access.toLowerCase() !== 'custom') {
    warn(standard ?? tp, `permission entry for ${name ?? sid ?? 'a trustee'} has an unknown grouped permission "${access.slice(0, 60)}"; whether it grants Read and Apply Group Policy is unknown`);
  }
  return out;
}
