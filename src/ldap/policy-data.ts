// What the effective policy of one OU needs, read from a live directory, read-only: the gPLink and gPOptions of the
// OU and every container above it up to the domain head (and a site's, when asked), every groupPolicyContainer with
// its DACL, the domain SID, and names for the principals security filtering mentions. Formats:
// ../shared/docs/gpo-links.md; the policy itself is computed elsewhere (src/policy), from this data alone.
import { Control, type BerWriter, type Entry } from 'ldapts';
import { withDeadline, type LdapConnection } from './client.js';
import { LdapScanError } from './errors.js';
import { escapeFilterValue, parseFilter, WireFilter } from './filter.js';
import { splitDn } from '../model/dn.js';
import {
  extensionNames,
  wmiFilterRef,
  blocksInheritance,
  parseGpLink,
  splitVersion,
  type DirectoryPolicyData,
  type GpoSide,
  type GroupPolicyContainer,
  type ScopeOfManagement,
} from '../model/gpo-links.js';
import { guidKey, normaliseGuid } from '../model/keys.js';
import { principal } from '../model/principals.js';
import { aceCovers, decodeSecurityDescriptor, isEffectiveHere, sidToString, type Ace } from '../model/security-descriptor.js';

/** LDAP_SERVER_SD_FLAGS_OID ([MS-ADTS] 3.1.1.3.4.1.11). */
export const SD_FLAGS_OID = '1.2.840.113556.1.4.801';
/** The parts of a security descriptor the SD flags control can ask for. */
export const SD_FLAGS = { OWNER: 1, GROUP: 2, DACL: 4, SACL: 8 } as const;

/**
 * Asks for only some parts of nTSecurityDescriptor. Without it the server returns owner, group, DACL and SACL,
 * and AD omits the whole attribute for an account without the privilege to read the SACL; asking for the DACL
 * alone lets an ordinary account read it. Value: BER SEQUENCE { INTEGER flags }. ldapts's Control writes no value
 * of its own (its writeControl does nothing), so this one writes the octet string itself.
 */
export class SdFlagsControl extends Control {
  constructor(readonly flags: number) {
    super(SD_FLAGS_OID, { critical: false });
    if (!Number.isInteger(flags) || flags < 0 || flags > 0x0f) throw new LdapScanError('usage', `SD flags must be 0 to 15; got ${flags}`);
  }

  protected override writeControl(writer: BerWriter): void {
    // controlValue OCTET STRING (0x04) holding SEQUENCE (0x30) length 3 { INTEGER (0x02) length 1, the flags }:
    // with flags below 16 the encoding is fixed, so it is spelt out.
    writer.writeBuffer(Buffer.from([0x30, 0x03, 0x02, 0x01, this.flags]), 0x04);
  }
}

export interface PolicyDataOptions {
  /** DN of the OU (or the domain head) whose policy is wanted. */
  target: string;
  /** Site name (`Default-First-Site-Name`): its links are read too, first in processing order. */
  site?: string;
  /** Decode only the ACLs of GPOs linked on the target's path (the only ones that can reach it). Default false. */
  aclsOnPathOnly?: boolean;
  /** Deadline for the whole read; the connection's own timeout still bounds each request. */
  timeoutMs?: number;
  pageSize?: number;
}

/** DACL of one GPO: the ACEs; `null` a NULL DACL (everyone has every right); `undefined` not read (see problems). */
export type GpoDacl = Ace[] | null | undefined;

export interface DirectoryPolicy {
  /** The target's DN as the directory spells it. */
  target: string;
  /** Links (site, domain, OUs top-down, only those on the target's path) and every GPO of the domain. */
  data: DirectoryPolicyData;
  domainDn: string;
  /** `S-1-5-21-...`, the domain head's objectSid: Domain Computers and Domain Users are its -515 and -513. */
  domainSid: string;
  /** By GPO id (`{UPPER-CASE-GUID}`), for every GPO read (with `aclsOnPathOnly`, those linked on the target's path). */
  aclByGpo: Map<string, GpoDacl>;
  /** SID → `DOMAIN\sAMAccountName` or a well-known name, for the principals the GPOs' Read and Apply ACEs name. */
  names: Map<string, string>;
  /** What was read only in part or not at all, in words; the data above holds the rest. */
  problems: string[];
}

const SOM_ATTRIBUTES = ['objectClass', 'gPLink', 'gPOptions', 'objectSid'];
const GPC_ATTRIBUTES = [
  'cn',
  'displayName',
  'flags',
  'versionNumber',
  'gPCFileSysPath',
  'gPCWQLFilter',
  'gPCMachineExtensionNames',
  'gPCUserExtensionNames',
  'nTSecurityDescriptor',
];
const GUID = /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/;
/** SIDs per objectSid search: keeps each filter small whatever the number of principals. */
const SID_BATCH = 50;

/**
 * Reads everything the effective policy of `options.target` needs. Throws an LdapScanError for what makes the
 * answer meaningless (the target or site does not exist, the domain head cannot be found); anything narrower (one
 * gPLink that does not parse, one GPO whose ACL cannot be read) becomes `data.skipped` or `problems` and the read
 * goes on. Only searches are sent.
 */
export async function readPolicyData(connection: LdapConnection, options: PolicyDataOptions): Promise<DirectoryPolicy> {
  const path = targetPath(options.target);
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new LdapScanError('usage', `the timeout must be a positive number of milliseconds; got ${options.timeoutMs}`);
  }
  const read = new PolicyReader(connection, options);
  if (options.timeoutMs === undefined) return read.all(path);
  return withDeadline(read.all(path), options.timeoutMs, () => {
    read.cancelled = true;
    return new LdapScanError('timeout', `${connection.endpoint.url}: timeout: reading the policy data of "${options.target}" took longer than ${options.timeoutMs} ms`);
  });
}

/** The target and each DN above it, nearest first: `OU=a,OU=b,DC=x,DC=y` → [itself, `OU=b,DC=x,DC=y`, `DC=x,DC=y`, `DC=y`]. */
function targetPath(target: string): string[] {
  const rdns = splitDn(target);
  if (rdns.length === 0 || rdns.some((rdn) => rdn.type === '' || rdn.value === '') || !rdns.some((rdn) => rdn.type === 'dc')) {
    throw new LdapScanError('usage', `"${target}" is not the distinguished name of an OU or a domain (OU=WorkSpaces,DC=example,DC=com)`);
  }
  const written = rdns.map((rdn) => `${rdn.type.toUpperCase()}=${rdn.value}`);
  return written.map((_, i) => written.slice(i).join(','));
}

class PolicyReader {
  cancelled = false;
  private configuration: string | null | undefined;
  private readonly problems: string[] = [];
  private readonly data: DirectoryPolicyData = { soms: [], gpcs: [], skipped: [] };

  constructor(
    private readonly connection: LdapConnection,
    private readonly options: PolicyDataOptions,
  ) {}

  async all(path: string[]): Promise<DirectoryPolicy> {
    const { target, domainDn, domainSid, ousTopDown, domain } = await this.readPath(path);
    const site = this.options.site === undefined ? undefined : await this.readSite(this.options.site);
    this.data.soms.push(...(site ? [site] : []), domain, ...ousTopDown);
    const aclByGpo = await this.readGpcs(domainDn);
    await this.nameWmiFilters(domainDn);
    const names = await this.resolveNames(domainDn, domainSid, aclByGpo);
    return { target, data: this.data, domainDn, domainSid, aclByGpo, names, problems: this.problems };
  }

  /** The target, then each container above it until the domain head (the first domainDNS object). */
  private async readPath(path: string[]): Promise<{ target: string; domainDn: string; domainSid: string; domain: ScopeOfManagement; ousTopDown: ScopeOfManagement[] }> {
    const ous: ScopeOfManagement[] = [];
    let target: string | undefined;
    for (const dn of path) {
      const entry = await this.read(dn, SOM_ATTRIBUTES);
      if (!entry) {
        if (target === undefined) {
          throw new LdapScanError(
            'no-such-object',
            `${this.connection.endpoint.url}: the target "${this.options.target}" does not exist in the directory (LDAP result 32, no such object); check the DN`,
          );
        }
        // The target exists, so its parents do: a missing one is hidden from this account.
        throw new LdapScanError('insufficient-access', `${this.connection.endpoint.url}: "${dn}", above the target, cannot be read; the domain head was not reached`);
      }
      target ??= entry.dn;
      const classes = strings(entry, 'objectClass').map((c) => c.toLowerCase());
      if (classes.includes('domaindns') || classes.includes('domain')) {
        const sid = binary(entry, 'objectSid');
        if (!sid) throw new LdapScanError('server', `${this.connection.endpoint.url}: the domain head "${entry.dn}" has no readable objectSid`);
        return { target, domainDn: entry.dn, domainSid: sidToString(sid), domain: this.som('domain', entry), ousTopDown: ous.reverse() };
      }
      if (classes.includes('organizationalunit')) ous.push(this.som('ou', entry));
      else if (first(entry, 'gPLink') !== undefined) {
        this.problems.push(`${entry.dn} is not an OU (objectClass ${classes.at(-1) ?? '?'}): Group Policy ignores the gPLink on it`);
      }
    }
    throw new LdapScanError('usage', `${this.connection.endpoint.url}: no domain head (objectClass domainDNS) above "${this.options.target}"`);
  }

  private async readSite(site: string): Promise<ScopeOfManagement> {
    const configuration = await this.configurationNc();
    if (!configuration) throw new LdapScanError('server', `${this.connection.endpoint.url}: the rootDSE has no configurationNamingContext; sites cannot be found`);
    const dn = `CN=${escapeRdnValue(site)},CN=Sites,${configuration}`;
    const entry = await this.read(dn, ['objectClass', 'gPLink']);
    if (!entry || !strings(entry, 'objectClass').some((c) => c.toLowerCase() === 'site')) {
      throw new LdapScanError('no-such-object', `${this.connection.endpoint.url}: there is no site "${site}" (no site object ${dn})`);
    }
    const som = this.som('site', entry);
    // Sites have no block inheritance: nothing sits above them.
    delete som.blockInheritance;
    return som;
  }

  private som(kind: ScopeOfManagement['kind'], entry: Entry): ScopeOfManagement {
    const som: ScopeOfManagement = { kind, dn: entry.dn, links: [], blockInheritance: false };
    const gpLink = first(entry, 'gPLink');
    if (gpLink !== undefined) {
      const { links, errors } = parseGpLink(gpLink);
      som.links = links;
      // The links that did parse stay, and so does the container (its block inheritance still counts).
      if (errors.length > 0) this.data.skipped.push({ dn: entry.dn, reason: `gPLink: ${errors.join('; ')}` });
    }
    const gpOptions = first(entry, 'gPOptions');
    if (gpOptions !== undefined) {
      const n = integer(gpOptions);
      if (n === undefined) {
        delete som.blockInheritance;
        this.problems.push(`${entry.dn}: gPOptions "${gpOptions}" is not a number; whether it blocks inheritance is unknown`);
      } else som.blockInheritance = blocksInheritance(n);
    }
    return som;
  }

  private async readGpcs(domainDn: string): Promise<Map<string, GpoDacl>> {
    const aclByGpo = new Map<string, GpoDacl>();
    const onPath = new Set(this.data.soms.flatMap((s) => s.links.map((l) => l.gpoId)));
    const base = `CN=Policies,CN=System,${domainDn}`;
    try {
      for await (const page of this.connection.searchPages({
        baseDn: base,
        scope: 'one',
        filter: new WireFilter(parseFilter('(objectClass=groupPolicyContainer)')),
        attributes: GPC_ATTRIBUTES,
        binaryAttributes: ['nTSecurityDescriptor'],
        controls: [new SdFlagsControl(SD_FLAGS.DACL)],
        ...(this.options.pageSize !== undefined ? { pageSize: this.options.pageSize } : {}),
      })) {
        this.checkCancelled();
        for (const entry of page.entries) {
          const gpc = this.gpc(entry);
          if (!gpc) continue;
          this.data.gpcs.push(gpc);
          // Only a GPO linked on the path can reach the target: with aclsOnPathOnly the others' ACLs (and their
          // trustees' names) are not decoded and looked up (1,000 GPOs: 20-90 ms and name searches, bench/policy).
          if (this.options.aclsOnPathOnly !== true || onPath.has(gpc.id)) aclByGpo.set(gpc.id, this.dacl(gpc, entry));
        }
      }
    } catch (error) {
      if (!(error instanceof LdapScanError) || error.kind !== 'no-such-object') throw error;
      this.problems.push(`${base} does not exist: no GPO could be read, so every link names a missing GPO`);
    }
    return aclByGpo;
  }

  private gpc(entry: Entry): GroupPolicyContainer | undefined {
    const skip = (reason: string): undefined => {
      this.data.skipped.push({ dn: entry.dn, reason });
      return undefined;
    };
    const cn = first(entry, 'cn') ?? splitDn(entry.dn)[0]?.value ?? '';
    const id = normaliseGuid(cn)?.toUpperCase();
    if (!id || !GUID.test(id)) return skip(`its cn "${cn}" is not a {GUID}`);
    // Unreadable flags or versionNumber skip the GPO (as the LDIF reader does): a guess could enable a disabled side.
    // Absent, both are 0, as the directory would read them.
    const flags = integerOr0(first(entry, 'flags'));
    if (flags === undefined) return skip(`flags "${first(entry, 'flags')}" is not a number`);
    const versionNumber = integerOr0(first(entry, 'versionNumber'));
    if (versionNumber === undefined) return skip(`versionNumber "${first(entry, 'versionNumber')}" is not a number`);

    const gpc: GroupPolicyContainer = { id: guidKey(id), flags, version: splitVersion(versionNumber) };
    const name = first(entry, 'displayName')?.trim();
    if (name) gpc.name = name;
    const path = first(entry, 'gPCFileSysPath')?.trim();
    if (path) gpc.fileSysPath = path;
    const wql = first(entry, 'gPCWQLFilter')?.trim();
    if (wql) {
      const filterId = wmiFilterRef(wql);
      // A filter that cannot be named is still a filter: its text as the id keeps the GPO conditional.
      gpc.wmiFilter = { id: filterId ?? wql };
      if (!filterId) this.problems.push(`${entry.dn}: gPCWQLFilter "${wql}" is not [domain;{GUID};0]; the GPO is still read as WMI-filtered`);
    }
    const sides: [GpoSide, string][] = [
      ['computer', 'gPCMachineExtensionNames'],
      ['user', 'gPCUserExtensionNames'],
    ];
    for (const [side, attribute] of sides) {
      const text = first(entry, attribute);
      if (text === undefined) continue;
      const { cses, error } = extensionNames(text);
      if (error) this.problems.push(`${entry.dn}: ${attribute} ${error}; the extensions before it are read`);
      (gpc.extensions ??= {})[side] = cses;
    }
    return gpc;
  }

  private dacl(gpc: GroupPolicyContainer, entry: Entry): GpoDacl {
    const label = `GPO ${gpc.id}${gpc.name ? ` (${gpc.name})` : ''}`;
    const bytes = binary(entry, 'nTSecurityDescriptor');
    if (!bytes) {
      this.problems.push(`${label}: its security descriptor was not returned (no right to read it?); security filtering is unknown`);
      return undefined;
    }
    const sd = decodeSecurityDescriptor(bytes);
    for (const error of sd.errors) this.problems.push(`${label}: security descriptor: ${error}`);
    if (sd.dacl === undefined) this.problems.push(`${label}: its DACL could not be decoded; security filtering is unknown`);
    return sd.dacl;
  }

  /** Names for the WMI filters the GPOs use (`msWMI-Name` of the msWMI-Som objects), where this account may read them. */
  private async nameWmiFilters(domainDn: string): Promise<void> {
    const filtered = this.data.gpcs.filter((gpc) => gpc.wmiFilter && GUID.test(gpc.wmiFilter.id));
    if (filtered.length === 0) return;
    const base = `CN=SOM,CN=WMIPolicy,CN=System,${domainDn}`;
    const byId = new Map<string, string>();
    try {
      for await (const page of this.connection.searchPages({
        baseDn: base,
        scope: 'one',
        filter: new WireFilter(parseFilter('(objectClass=msWMI-Som)')),
        attributes: ['msWMI-ID', 'msWMI-Name'],
        binaryAttributes: [],
      })) {
        for (const entry of page.entries) {
          const id = first(entry, 'msWMI-ID');
          const name = first(entry, 'msWMI-Name');
          if (id && name) byId.set(guidKey(id), name);
        }
      }
    } catch (error) {
      if (!(error instanceof LdapScanError)) throw error;
      this.problems.push(`WMI filter names could not be read from ${base}: ${error.message}`);
      return;
    }
    for (const gpc of filtered) {
      const name = byId.get(gpc.wmiFilter!.id);
      if (name) gpc.wmiFilter!.name = name;
      else this.problems.push(`GPO ${gpc.id}: WMI filter ${gpc.wmiFilter!.id} is not under ${base}`);
    }
  }

  /**
   * Names for the principals of the ACEs that grant or deny Read or Apply Group Policy: well-known SIDs from the
   * table in model/principals.ts, the domain's own accounts as `NETBIOS\sAMAccountName` by an objectSid search.
   */
  private async resolveNames(domainDn: string, domainSid: string, aclByGpo: Map<string, GpoDacl>): Promise<Map<string, string>> {
    const sids = new Set<string>();
    for (const dacl of aclByGpo.values()) {
      for (const ace of dacl ?? []) {
        if (isEffectiveHere(ace) && (aceCovers(ace, 'read') || aceCovers(ace, 'apply-group-policy'))) sids.add(ace.trustee);
      }
    }
    const names = new Map<string, string>();
    const domainPrefix = `${domainSid.toUpperCase()}-`;
    const ours = [...sids].filter((sid) => sid.toUpperCase().startsWith(domainPrefix));
    for (const sid of sids) {
      const known = principal({ sid }).name;
      if (known && !ours.includes(sid)) names.set(sid, known);
    }
    if (ours.length === 0) return names;
    const netbios = await this.netbiosName(domainDn);
    for (let i = 0; i < ours.length; i += SID_BATCH) {
      const batch = ours.slice(i, i + SID_BATCH);
      const filter = `(|${batch.map((sid) => `(objectSid=${escapeFilterValue(sidToBytes(sid))})`).join('')})`;
      for await (const page of this.connection.searchPages({ baseDn: domainDn, filter: new WireFilter(parseFilter(filter)), attributes: ['objectSid', 'sAMAccountName'] })) {
        this.checkCancelled();
        for (const entry of page.entries) {
          const sid = binary(entry, 'objectSid');
          const account = first(entry, 'sAMAccountName');
          if (sid && account) names.set(sidToString(sid), netbios ? `${netbios}\\${account}` : account);
        }
      }
    }
    // Not found in the directory (deleted, or hidden from this account): the domain RID table still names the
    // built-in groups.
    for (const sid of ours) {
      const known = principal({ sid }).name;
      if (!names.has(sid) && known) names.set(sid, known);
    }
    return names;
  }

  /** The domain's NetBIOS name, from its crossRef under CN=Partitions; undefined (names without a prefix) if unreadable. */
  private async netbiosName(domainDn: string): Promise<string | undefined> {
    const configuration = await this.configurationNc();
    if (!configuration) return undefined;
    try {
      for await (const page of this.connection.searchPages({
        baseDn: `CN=Partitions,${configuration}`,
        scope: 'one',
        filter: new WireFilter(parseFilter(`(&(objectClass=crossRef)(nCName=${escapeFilterValue(domainDn)}))`)),
        attributes: ['nETBIOSName'],
      })) {
        const name = page.entries.map((entry) => first(entry, 'nETBIOSName')).find((n) => n);
        if (name) return name;
      }
    } catch (error) {
      if (!(error instanceof LdapScanError)) throw error;
      this.problems.push(`the domain's NetBIOS name could not be read (${error.message}); principals are named without it`);
    }
    return undefined;
  }

  /** The configuration partition's DN (sites and the domain's crossRef live there), from the rootDSE, read once. */
  private async configurationNc(): Promise<string | undefined> {
    if (this.configuration === undefined) {
      const rootDse = await this.read('', ['configurationNamingContext']);
      this.configuration = (rootDse && first(rootDse, 'configurationNamingContext')) ?? null;
    }
    return this.configuration ?? undefined;
  }

  private async read(dn: string, attributes: readonly string[]): Promise<Entry | undefined> {
    this.checkCancelled();
    return this.connection.readEntry(dn, attributes);
  }

  // After the deadline the caller already has its error; stop sending requests on its connection.
  private checkCancelled(): void {
    if (this.cancelled) throw new LdapScanError('timeout', 'policy data read cancelled');
  }
}

/** A single-valued attribute as text (ldapts gives strings unless the attribute was asked for as a Buffer). */
function first(entry: Entry, attribute: string): string | undefined {
  const value = valueOf(entry, attribute);
  const one = Array.isArray(value) ? value[0] : value;
  if (one === undefined) return undefined;
  return Buffer.isBuffer(one) ? one.toString('utf8') : one;
}

function strings(entry: Entry, attribute: string): string[] {
  const value = valueOf(entry, attribute);
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
}

function binary(entry: Entry, attribute: string): Buffer | undefined {
  const value = valueOf(entry, attribute);
  const one = Array.isArray(value) ? value[0] : value;
  if (one === undefined) return undefined;
  return Buffer.isBuffer(one) ? one : undefined;
}

// The server spells attribute names its own way (gplink, gPLink): match without case.
function valueOf(entry: Entry, attribute: string): Entry[string] | undefined {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  return key === undefined ? undefined : entry[key];
}

/** An LDAP Integer (AD writes signed 32-bit; flags and versionNumber may also come unsigned). */
function integer(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?[0-9]{1,10}$/.test(t)) return undefined;
  const n = Number(t);
  return n >= -2147483648 && n <= 4294967295 ? n : undefined;
}

const integerOr0 = (text: string | undefined): number | undefined => (text === undefined ? 0 : integer(text));

/** Binary form of `S-1-5-21-...` for an objectSid filter. */
function sidToBytes(sid: string): Buffer {
  const [, , authority, ...subs] = sid.split('-');
  const bytes = Buffer.alloc(8 + 4 * subs.length);
  bytes.writeUInt8(1, 0);
  bytes.writeUInt8(subs.length, 1);
  bytes.writeUIntBE(Number(authority), 2, 6);
  subs.forEach((sub, i) => bytes.writeUInt32LE(Number(sub), 8 + 4 * i));
  return bytes;
}

/** RFC 4514 escaping of an attribute value in a DN: `,+"\<>;=` and a leading `#` or space, a trailing space. */
function escapeRdnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}

