// GPO reports (Get-GPOReport XML, already parsed into GpoInfo) as the effective-policy engine's input: where each GPO
// is linked, its flags and versions, its WMI filter and what its permissions say about security filtering. Reports
// carry no link order and no block inheritance; both stay unknown here and the engine says so
// (docs/effective-policy.md, "Unknown link order" and "Block inheritance unknown").
import { splitDn } from '../model/dn.js';
import type { GpoInfo, GpoPermission, GpoSideVersions } from '../model/gpo.js';
import type { DirectoryPolicyData, GpoLinkEntry, GpoSide, GroupPolicyContainer, ScopeOfManagement } from '../model/gpo-links.js';
import { guidKey } from '../model/keys.js';
import type { SecurityVerdict } from './effective.js';

export interface ReportPolicyData {
  data: DirectoryPolicyData;
  /** Security filtering per GPO (`{UPPER-CASE-GUID}`); a GPO whose report has no permissions has no entry (unknown). */
  security: Map<string, SecurityVerdict>;
  /** The same for the user side, where Domain Users (not Domain Computers) is the group every subject holds. */
  userSecurity: Map<string, SecurityVerdict>;
  /** What could not be used or had to be decided, in words. */
  problems: string[];
}

/** One GPO, from every file that describes it. */
interface Gathered {
  id: string;
  infos: GpoInfo[];
}

/**
 * The link data of GPO reports. Only GPOs that a GPO report describes become containers: a GPO known from GPT.INI or
 * Backup-GPO metadata alone has links nobody read, and calling it "not linked" would be a guess. Those files still
 * complete a reported GPO (the SYSVOL version, the name). RSoP input is one machine's result, not link data: unused.
 */
export function policyDataFromReports(infos: GpoInfo[]): ReportPolicyData {
  const data: DirectoryPolicyData = { soms: [], gpcs: [], skipped: [] };
  const security = new Map<string, SecurityVerdict>();
  const userSecurity = new Map<string, SecurityVerdict>();
  const problems: string[] = [];

  const byId = new Map<string, Gathered>();
  let rsopOnly = 0;
  for (const info of infos) {
    if (info.sources.length > 0 && info.sources.every((s) => s.format === 'rsop')) {
      rsopOnly++;
      continue;
    }
    if (!info.ref.id) {
      const from = info.sources.map((s) => s.file).join(', ') || 'an input';
      data.skipped.push({ dn: info.ref.name ?? from, reason: `GPO ${info.ref.name ? `"${info.ref.name}" ` : ''}from ${from} has no GUID` });
      problems.push(`a GPO ${info.ref.name ? `"${info.ref.name}" ` : ''}in ${from} has no GUID: its links and metadata are not used`);
      continue;
    }
    const id = guidKey(info.ref.id);
    const g = byId.get(id) ?? { id, infos: [] };
    g.infos.push(info);
    byId.set(id, g);
  }
  if (rsopOnly > 0) problems.push(`${rsopOnly} GPO entr${rsopOnly === 1 ? 'y' : 'ies'} from RSoP input not used: RSoP is one machine's result, not link data`);

  const soms = new Map<string, ScopeOfManagement>();
  for (const g of byId.values()) {
    const label = nameOf(g) ? `"${nameOf(g)}" ${g.id}` : g.id;
    if (!g.infos.some((i) => i.sources.some((s) => s.format === 'gpo-report'))) {
      const formats = [...new Set(g.infos.flatMap((i) => i.sources.map((s) => s.format)))].join(', ');
      problems.push(`GPO ${label} is described only by ${formats || 'no file'}, not by a GPO report: where it is linked is not known, so it is left out`);
      continue;
    }
    data.gpcs.push(container(g, label, problems));
    const verdict = verdictOf(g, 'computer');
    if (verdict) security.set(g.id, verdict);
    const userVerdict = verdictOf(g, 'user');
    if (userVerdict) userSecurity.set(g.id, userVerdict);
    for (const info of g.infos) {
      for (const link of info.links) {
        const path = link.somPath.trim();
        if (path === '') {
          data.skipped.push({ dn: '', reason: `a link of GPO ${label} names no container (empty SOMPath)` });
          problems.push(`a link of GPO ${label} names no container (empty SOMPath): not used`);
          continue;
        }
        const key = somKey(path);
        let som = soms.get(key);
        if (!som) {
          som = { kind: somKind(path), dn: link.somPath, links: [] };
          soms.set(key, som);
          data.soms.push(som);
        }
        const entry: GpoLinkEntry = { gpoId: g.id, gpoDn: gpoDn(g), disabled: !link.enabled, enforced: link.noOverride };
        const same = som.links.find((l) => l.gpoId === g.id);
        if (!same) som.links.push(entry);
        else if (same.disabled !== entry.disabled || same.enforced !== entry.enforced) {
          problems.push(`GPO ${label}: two reports disagree on its link at ${som.dn} (${describeLink(same)} / ${describeLink(entry)}); the first is used`);
        }
      }
    }
  }
  return { data, security, userSecurity, problems };
}

const nameOf = (g: Gathered): string | undefined => first(g, (i) => i.ref.name);

/** The first value found, GPO reports before the other files, each group in input order. */
function first<T>(g: Gathered, pick: (i: GpoInfo) => T | undefined): T | undefined {
  for (const i of reportsFirst(g)) {
    const v = pick(i);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** GPO reports first: they carry the directory's view, GPT.INI and backups only complete it. */
function reportsFirst(g: Gathered): GpoInfo[] {
  const isReport = (i: GpoInfo) => i.sources.some((s) => s.format === 'gpo-report');
  return [...g.infos.filter(isReport), ...g.infos.filter((i) => !isReport(i))];
}

function container(g: Gathered, label: string, problems: string[]): GroupPolicyContainer {
  const gpc: GroupPolicyContainer = { id: g.id, flags: 0, version: {} };
  const name = nameOf(g);
  if (name) gpc.name = name;
  // Flags: 1 = user side disabled, 2 = computer side disabled. A side whose Enabled no report gives is read as enabled.
  if (first(g, (i) => i.userEnabled) === false) gpc.flags |= 1;
  if (first(g, (i) => i.computerEnabled) === false) gpc.flags |= 2;
  for (const side of ['computer', 'user'] as const satisfies readonly GpoSide[]) {
    const v = sideVersion(g, side);
    // The directory's version is the container's versionNumber; SYSVOL's stands in when no report gives it.
    if (v !== undefined) gpc.version[side] = v;
  }
  const filter = first(g, (i) => i.wmiFilter);
  // Reports name the filter but carry no id: the name stands in, as LDIF keeps an unreadable gPCWQLFilter's text.
  if (filter) gpc.wmiFilter = { id: filter.id ?? filter.name, name: filter.name };
  else if (g.infos.some((i) => i.filterDataAvailable === false)) {
    problems.push(`GPO ${label}: the report could not read WMI filter data; a WMI filter it may have is not known`);
  }
  return gpc;
}

function sideVersion(g: Gathered, side: GpoSide): number | undefined {
  const of = (field: keyof GpoSideVersions) => first(g, (i) => i.versions?.[side]?.[field]);
  return of('directory') ?? of('sysvol');
}

function verdictOf(g: Gathered, side: GpoSide): SecurityVerdict | undefined {
  const permissions = first(g, (i) => i.permissions);
  return permissions ? securityVerdictFromPermissions(permissions, side) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Security filtering

const EVERYONE = 'S-1-1-0';
const AUTHENTICATED_USERS = 'S-1-5-11';
/** Domain Computers (-515) on the computer side, Domain Users (-513) on the user side. */
const DOMAIN_GROUP: Record<GpoSide, RegExp> = { computer: /^S-1-5-21-[0-9]+-[0-9]+-[0-9]+-515$/, user: /^S-1-5-21-[0-9]+-[0-9]+-[0-9]+-513$/ };

/** Groups every computer's (or user's) token holds, whatever its own groups: a grant to them is a grant to the whole OU. */
const everyoneHas = (side: GpoSide) => (sid: string | undefined): boolean =>
  sid !== undefined && (sid.toUpperCase() === EVERYONE || sid.toUpperCase() === AUTHENTICATED_USERS || DOMAIN_GROUP[side].test(sid.toUpperCase()));

/**
 * Windows' rule for a GPO's permission list as a GPO report gives it: the GPO applies to the OU's computers when the
 * groups every computer holds (Everyone, Authenticated Users, Domain Computers) are granted Read and Apply Group Policy,
 * between them, and no deny to any of them removes either (gpo-links.md, "Security filtering"). Otherwise it applies
 * only to members of the trustees granted Apply Group Policy (and Read, their own or through Authenticated Users).
 * An entry whose rights or type the report does not say makes the verdict `unknown` where it could change it.
 * On the user side Domain Users takes Domain Computers' place (`side`).
 */
export function securityVerdictFromPermissions(permissions: GpoPermission[], side: GpoSide = 'computer'): SecurityVerdict {
  const everyComputerHas = everyoneHas(side);
  const broad = permissions.filter((p) => everyComputerHas(p.sid));
  const allows = (p: GpoPermission) => p.type === 'allow' || p.type === undefined;
  const denies = (p: GpoPermission) => p.type === 'deny' || p.type === undefined;
  const grants = (right: 'read' | 'applyGroupPolicy', known: boolean) =>
    broad.some((p) => allows(p) && (known ? p.type === 'allow' && p[right] === true : p[right] !== false));
  const denied = broad.some((p) => p.type === 'deny' && (p.read === true || p.applyGroupPolicy === true));
  const maybeDenied = denied || broad.some((p) => denies(p) && (p.read !== false || p.applyGroupPolicy !== false));

  if (denied) return { filteredTo: [] };
  if (grants('read', true) && grants('applyGroupPolicy', true)) return maybeDenied ? 'unknown' : 'applies';
  if (grants('read', false) && grants('applyGroupPolicy', false)) return 'unknown';

  // Filtered: to whom. Every member of a group is an authenticated user, so Authenticated Users' Read counts for them.
  const broadRead = grants('read', true);
  const named = new Map<string, string>();
  for (const p of permissions) {
    if (everyComputerHas(p.sid) || p.type !== 'allow' || p.applyGroupPolicy !== true) continue;
    const key = (p.sid ?? p.name ?? '').toUpperCase();
    const ownDeny = permissions.some(
      (d) => d.type === 'deny' && (d.sid ?? d.name ?? '').toUpperCase() === key && (d.read === true || d.applyGroupPolicy === true),
    );
    const read = p.read === true || broadRead || permissions.some((o) => o.type === 'allow' && o.read === true && (o.sid ?? o.name ?? '').toUpperCase() === key);
    if (read && !ownDeny && key !== '') named.set(key, p.name ?? p.sid!);
  }
  return { filteredTo: [...named.values()] };
}

// ---------------------------------------------------------------------------------------------
// Containers

/**
 * What a report's SOMPath names. A canonical name: `corp.example.com` is the domain head, `corp.example.com/A/B` an
 * OU, and a site's canonical name is `<forest root>/Configuration/Sites/<site>` (the site object's canonicalName; no
 * real report with a site link was at hand to confirm GPMC writes it so). A DN, should one appear, is read as a DN.
 */
export function somKind(somPath: string): ScopeOfManagement['kind'] {
  const p = somPath.trim();
  if (/^[a-z]+\s*=/i.test(p)) {
    const rdns = splitDn(p);
    const firstDc = rdns.findIndex((r) => r.type === 'dc');
    if (firstDc === 0) return 'domain';
    const cn = (i: number, v: string) => rdns[i]?.type === 'cn' && rdns[i]!.value.toLowerCase() === v;
    if (firstDc >= 3 && cn(firstDc - 1, 'configuration') && cn(firstDc - 2, 'sites')) return 'site';
    return 'ou';
  }
  const segs = segments(p);
  if (segs.length === 4 && segs[1] === 'configuration' && segs[2] === 'sites') return 'site';
  return segs.length === 1 ? 'domain' : 'ou';
}

/** `corp.example.com/` (AD's canonicalName of a domain head) and `Corp.Example.com` are one container. */
function segments(path: string): string[] {
  const segs = path.split('/').map((s) => s.trim().toLowerCase());
  while (segs.length > 1 && segs[segs.length - 1] === '') segs.pop();
  return segs;
}

const somKey = (path: string): string => (/^[a-z]+\s*=/i.test(path.trim()) ? splitDn(path).map((r) => `${r.type}=${r.value.toLowerCase()}`).join(',') : segments(path).join('/'));

/** The DN `gPLink` would name; reports do not give it, so it is built from the GPO's domain. */
function gpoDn(g: Gathered): string {
  const domain = g.infos.find((i) => i.ref.domain)?.ref.domain;
  const dcs = domain ? domain.split('.').filter(Boolean).map((d) => `DC=${d}`).join(',') : '';
  return `cn=${g.id},cn=policies,cn=system${dcs ? `,${dcs}` : ''}`;
}

const describeLink = (l: GpoLinkEntry): string => [l.disabled ? 'disabled' : 'enabled', l.enforced ? 'enforced' : 'not enforced'].join(', ');
