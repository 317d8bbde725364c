// Where GPOs are linked and what the directory says about each GPO: the data the effective policy of an OU is
// computed from (src/policy). The directory (src/ldap), an LDIF export (src/parsers) and Get-GPOReport `LinksTo`
// all produce these types. Attribute formats: ../shared/docs/gpo-links.md and [MS-GPOL] 2.2.2.
import { guidKey, normaliseGuid } from './keys.js';

/** One entry of a container's `gPLink`, in the order the attribute lists them. */
export interface GpoLinkEntry {
  /** The GPO's GUID, `{UPPER-CASE}` (model/keys.ts guidKey). */
  gpoId: string;
  /** The DN the link names, as written (`cn={GUID},cn=policies,cn=system,DC=...`). */
  gpoDn: string;
  /** Link option bit 0. */
  disabled: boolean;
  /** Link option bit 1 ("No Override"). */
  enforced: boolean;
  /**
   * 1 = the highest precedence within the container: the LAST entry of `gPLink` (gpo-links.md). Absent when the
   * source does not know the order (Get-GPOReport `LinksTo`).
   */
  linkOrder?: number;
}

/** A site, the domain head or an OU: a container GPOs are linked to (a scope of management, SOM). */
export interface ScopeOfManagement {
  kind: 'site' | 'domain' | 'ou';
  dn: string;
  links: GpoLinkEntry[];
  /** `gPOptions` bit 0. Absent: the source does not say (a GPO report does not carry it). */
  blockInheritance?: boolean;
}

/** The two halves of a GPO, as its flags, versions and extension lists name them. */
export type GpoSide = 'computer' | 'user';

/** A `groupPolicyContainer` object (or what a GPO report says about the same GPO). */
export interface GroupPolicyContainer {
  /** `{UPPER-CASE-GUID}`. */
  id: string;
  name?: string;
  /** `flags`: 1 user half disabled, 2 computer half disabled, 3 both. */
  flags: number;
  /**
   * `versionNumber` split: 0 on a side = never edited, treated as empty. A side the source does not give (a GPO report
   * without `VersionDirectory` or `VersionSysvol`) is absent: unknown, and unknown is not empty.
   */
  version: Partial<Record<GpoSide, number>>;
  /** `gPCFileSysPath`, as written; never followed outside the SYSVOL folder the user gave. */
  fileSysPath?: string;
  /** `gPCWQLFilter`: the WMI filter's id (and name when known); not evaluated offline. */
  wmiFilter?: { id: string; name?: string };
  /** Client-side extension GUIDs with settings, per side (`gPCMachineExtensionNames` / `gPCUserExtensionNames`). */
  extensions?: Partial<Record<GpoSide, string[]>>;
}

/** Where the link data came from: the directory, an LDIF file, GPO reports. */
export interface DirectoryPolicyData {
  soms: ScopeOfManagement[];
  gpcs: GroupPolicyContainer[];
  /** Entries a reader could not use, each with why (a gPLink that does not parse, a GPC without a GUID). */
  skipped: { dn: string; reason: string }[];
}

// `[` is excluded from the DN too: with it, input full of `[LDAP://` made each match scan to the end (quadratic).
const LINK = /\[\s*ldap:\/\/([^;[\]]*);\s*([0-9]{1,10})\s*\]/gi;
const GUID_IN_DN = /^\s*cn\s*=\s*(\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\})\s*,/i;

/**
 * Decode a `gPLink` value: `[LDAP://cn={GUID},cn=policies,cn=system,DC=x;N]...`. Returns the links with their link
 * order (the last entry is 1) and what could not be read, so a bad value is reported, never silently dropped.
 */
export function parseGpLink(value: string): { links: GpoLinkEntry[]; errors: string[] } {
  const links: GpoLinkEntry[] = [];
  const errors: string[] = [];
  for (const m of value.matchAll(LINK)) {
    const dn = m[1]!.trim();
    const options = Number(m[2]);
    const guid = GUID_IN_DN.exec(dn)?.[1];
    if (!guid) {
      errors.push(`link "${m[0]}" does not name a GPO by {GUID}`);
      continue;
    }
    if (options > 3) errors.push(`link to ${guid} has unknown option bits ${options}; read as ${options & 3}`);
    links.push({ gpoId: guidKey(guid), gpoDn: dn, disabled: (options & 1) !== 0, enforced: (options & 2) !== 0 });
  }
  // Whatever the pattern did not consume (other than blanks) is damage: say so rather than ignore it.
  const rest = value.replace(LINK, '').trim();
  if (rest !== '') errors.push(`unreadable text in gPLink: "${rest.length > 80 ? `${rest.slice(0, 80)}…` : rest}"`);
  links.forEach((l, i) => (l.linkOrder = links.length - i));
  return { links, errors };
}

/** `gPOptions`: bit 0 blocks inheritance. */
export function blocksInheritance(gpOptions: number | undefined): boolean {
  return gpOptions !== undefined && (gpOptions & 1) !== 0;
}

/** Whether a GPO's `flags` disable a side. */
export function sideDisabled(flags: number, side: GpoSide): boolean {
  return (flags & (side === 'user' ? 1 : 2)) !== 0;
}

/** `versionNumber` (and GPT.INI `Version`): high 16 bits user, low 16 bits computer. */
export function splitVersion(versionNumber: number): Record<GpoSide, number> {
  const v = Math.trunc(versionNumber) >>> 0;
  return { user: v >>> 16, computer: v & 0xffff };
}

const GUID_EXACT = /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/;
const GUID_ANYWHERE = /\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}/g;
/** In gPC*ExtensionNames the all-zero "extension" lists the editor tools used, not settings. */
const NO_CSE = '{00000000-0000-0000-0000-000000000000}';

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max)}…`);

/** `gPCWQLFilter`, `[domain;{GUID};0]` → `{GUID}`; undefined when the value has another shape. */
export function wmiFilterRef(text: string): string | undefined {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return undefined;
  const parts = t.slice(1, -1).split(';');
  if (parts.length < 2) return undefined;
  const id = normaliseGuid(parts[1]!)?.toUpperCase();
  return id && GUID_EXACT.test(id) ? guidKey(id) : undefined;
}

/**
 * `gPCMachineExtensionNames` / `gPCUserExtensionNames`, `[{CSE}{tool}...][{CSE}{tool}...]` → the CSE GUIDs (the first of
 * each bracket), without the all-zero tools entry, each once; `error` says where the value stops making sense.
 */
export function extensionNames(text: string): { cses: string[]; error?: string } {
  const cses: string[] = [];
  const t = text.trim();
  let pos = 0;
  while (pos < t.length) {
    if (t[pos] !== '[') return { cses, error: `has "${clip(t.slice(pos), 40)}" where "[" was expected` };
    const end = t.indexOf(']', pos);
    if (end < 0) return { cses, error: `has an unclosed "[" at character ${pos + 1}` };
    const inner = t.slice(pos + 1, end);
    const guids = inner.match(GUID_ANYWHERE) ?? [];
    if (guids.length === 0 || inner.replace(GUID_ANYWHERE, '').trim() !== '') {
      return { cses, error: `has "[${clip(inner, 40)}]", which is not a list of {GUID}s` };
    }
    const cse = guidKey(guids[0]!);
    if (cse !== NO_CSE && !cses.includes(cse)) cses.push(cse);
    pos = end + 1;
    while (t[pos] === ' ') pos++;
  }
  return { cses };
}
