// The GPO list of one OU, one side (computer or user): which GPOs reach it, in what precedence, and which do not and
// why. Pure: the caller reads the links and containers (src/ldap, an LDIF file, GPO reports) and passes them in.
// Rules and decisions: docs/effective-policy.md ([MS-GPOL] 3.2.5.1, ../shared/docs/gpo-links.md).
import { splitDn, type Rdn } from '../model/dn.js';
import type { GpoLinkEntry, GpoSide, GroupPolicyContainer, ScopeOfManagement } from '../model/gpo-links.js';
import { sideDisabled } from '../model/gpo-links.js';
import { guidKey } from '../model/keys.js';

/**
 * What security filtering says about one GPO for the target: it applies (Authenticated Users or Domain Computers have
 * Apply Group Policy), it applies only to members of the named groups, or nobody could tell (the ACL was not read).
 */
export type SecurityVerdict = 'applies' | { filteredTo: string[] } | 'unknown';

export interface EffectiveInput {
  /** The OU (or domain) whose policy is wanted: a DN (`OU=Pool,OU=WorkSpaces,DC=corp,DC=example,DC=com`) or a
   * canonical name (`corp.example.com/WorkSpaces/Pool`). */
  target: string;
  /** Every container known: the site (optional), the domain head, OUs. Those not on the target's path are ignored. */
  soms: ScopeOfManagement[];
  gpcs: GroupPolicyContainer[];
  side: GpoSide;
  /** Security filtering per GPO id; a GPO it does not know (or no function at all) is `unknown`. */
  security?: (gpoId: string) => SecurityVerdict | undefined;
  /**
   * False when `soms` holds only the containers on the target's path (a directory read), so a GPO linked nowhere on
   * it may still be linked elsewhere: its detail then says so instead of "linked nowhere". Default true.
   */
  linksOffPathKnown?: boolean;
  /** Whether the GPO's SYSVOL folder exists; `undefined` = not checked (then it is not held against the GPO). */
  sysvolPresent?: (gpoId: string) => boolean | undefined;
}

export interface AppliedGpo {
  id: string;
  name?: string;
  /** 1 = applied last, wins every conflict. */
  precedence: number;
  /** The DN (or canonical name, as the SOM gave it) of the container whose link put the GPO here. */
  linkedAt: string;
  enforced: boolean;
  linkOrder?: number;
  /** False when another applied GPO linked at the same container (same enforced state) has no known relative order. */
  orderKnown: boolean;
  /** Security filtering: `unknown` when the ACL was not read; a filtered GPO is in `notApplied`. */
  security: 'applies' | 'unknown';
  /** Applied only where something offline cannot evaluate holds: the WMI filter. */
  conditional?: { wmiFilter: { id: string; name?: string } };
  /** Other links on the path to the same GPO; it is applied once, at `linkedAt` (docs/effective-policy.md). */
  alsoLinkedAt?: string[];
}

export type NotAppliedReason =
  | 'not-linked'
  | 'link-disabled'
  | 'blocked'
  | 'computer-settings-disabled'
  | 'user-settings-disabled'
  | 'security-filtered'
  | 'empty'
  | 'sysvol-missing'
  /** A link on the path names a GPO no container in the input describes (deleted GPO, or not read). */
  | 'gpo-missing';

export interface NotAppliedGpo {
  id: string;
  name?: string;
  reason: NotAppliedReason;
  detail?: string;
}

export interface EffectiveGpoList {
  /** Best precedence first (precedence 1 at index 0). */
  applied: AppliedGpo[];
  notApplied: NotAppliedGpo[];
  /** What the input did not say and what was assumed instead (block inheritance unknown, no domain on the path). */
  assumptions: string[];
}

// ---------------------------------------------------------------------------------------------
// Paths: a DN or a canonical name becomes its path from the domain down, lower case.

/** A DN's parts with values lower-cased, for comparing container paths. */
function dnParts(dn: string): Rdn[] {
  return splitDn(dn).map((r) => ({ type: r.type, value: r.value.toLowerCase() }));
}

/** `OU=Pool,OU=WorkSpaces,DC=corp,DC=example` and `corp.example/WorkSpaces/Pool` → `['corp.example', 'workspaces', 'pool']`. */
export function containerPath(name: string): string[] {
  const n = name.trim();
  if (/^[a-z]+\s*=/i.test(n)) {
    const parts = dnParts(n);
    const domain = parts.filter((p) => p.type === 'dc').map((p) => p.value).join('.');
    const rest = parts.filter((p) => p.type !== 'dc').map((p) => p.value.replace(/\\(.)/g, '$1')).reverse();
    return [domain, ...rest];
  }
  const segs = n.split('/').map((s) => s.trim().toLowerCase());
  while (segs.length > 1 && segs[segs.length - 1] === '') segs.pop();
  return segs;
}

const isPrefix = (prefix: string[], path: string[]): boolean =>
  prefix.length <= path.length && prefix.every((p, i) => p === path[i]);

// ---------------------------------------------------------------------------------------------

interface Candidate {
  gpoId: string;
  link: GpoLinkEntry;
  som: ScopeOfManagement;
  /** Position of the SOM on the path: sites 0, then the domain, then OUs top-down. */
  depth: number;
  /** Position of the link in the SOM's list as given. */
  index: number;
}

/** The SOMs on the target's path in processing order: site(s), domain, OUs top-down. */
function somsOnPath(target: string, soms: ScopeOfManagement[]): ScopeOfManagement[] {
  const path = containerPath(target);
  const sites = soms.filter((s) => s.kind === 'site');
  const rest = soms
    .filter((s) => s.kind !== 'site')
    .map((s) => ({ s, p: containerPath(s.dn) }))
    .filter(({ p }) => isPrefix(p, path))
    .sort((a, b) => a.p.length - b.p.length)
    .map(({ s }) => s);
  return [...sites, ...rest];
}

/** Within one container: link order from the highest number to 1 (1 last); without link orders, the attribute order
 * (whose last entry is link order 1 in gPLink). */
function containerOrder(a: Candidate, b: Candidate): number {
  // One rule per container (a mixed comparator would not be a consistent order): link orders when every link has one.
  if (a.som.links.every((l) => l.linkOrder !== undefined)) return b.link.linkOrder! - a.link.linkOrder!;
  return a.index - b.index;
}

/**
 * The GPO list of `input.target` for one side, by [MS-GPOL] 3.2.5.1 as ../shared/docs/gpo-links.md summarises it:
 * site, domain, OUs top-down; link order highest number first within a container; block inheritance drops the
 * non-enforced links above the blocking container; enforced links go after all others, the highest container last;
 * disabled links, disabled or empty sides, security-filtered GPOs and GPOs missing from SYSVOL drop out.
 */
export function effectiveGpoList(input: EffectiveInput): EffectiveGpoList {
  const assumptions: string[] = [];
  const path = somsOnPath(input.target, input.soms);
  if (!path.some((s) => s.kind === 'domain')) assumptions.push(`no domain container on the path of ${input.target}: its links are not counted`);

  // The deepest container blocking inheritance drops the non-enforced links of every container above it.
  let blockAt = -1;
  path.forEach((s, i) => {
    if (s.blockInheritance) blockAt = i;
    else if (s.blockInheritance === undefined && s.kind !== 'site' && i > 0)
      assumptions.push(`block inheritance of ${s.dn} is not known (the source does not carry gPOptions): read as not blocked`);
  });

  const usable: Candidate[] = [];
  const dropped = new Map<string, { reason: 'link-disabled' | 'blocked'; at: string }[]>();
  const drop = (id: string, reason: 'link-disabled' | 'blocked', at: string): void => {
    dropped.set(id, [...(dropped.get(id) ?? []), { reason, at }]);
  };
  path.forEach((som, depth) => {
    som.links.forEach((link, index) => {
      const gpoId = guidKey(link.gpoId);
      if (link.disabled) drop(gpoId, 'link-disabled', som.dn);
      else if (depth < blockAt && !link.enforced) drop(gpoId, 'blocked', som.dn);
      else usable.push({ gpoId, link, som, depth, index });
    });
  });

  // Application order: non-enforced links top-down, then enforced links bottom-up (so the highest enforced link is
  // applied last and wins, as Microsoft documents; Samba differs: docs/effective-policy.md).
  const byPosition = (a: Candidate, b: Candidate): number => a.depth - b.depth || containerOrder(a, b);
  const normal = usable.filter((c) => !c.link.enforced).sort(byPosition);
  const enforced = usable.filter((c) => c.link.enforced).sort((a, b) => b.depth - a.depth || containerOrder(a, b));
  const order = [...normal, ...enforced];

  // A GPO linked twice on the path is applied once, at its last position (its best precedence).
  const last = new Map<string, number>();
  order.forEach((c, i) => last.set(c.gpoId, i));
  const others = new Map<string, string[]>();
  order.forEach((c, i) => {
    if (last.get(c.gpoId) !== i) others.set(c.gpoId, [...(others.get(c.gpoId) ?? []), c.som.dn]);
  });
  const once = order.filter((c, i) => last.get(c.gpoId) === i);

  const gpcById = new Map(input.gpcs.map((g) => [guidKey(g.id), g]));
  const applied: Omit<AppliedGpo, 'precedence' | 'orderKnown'>[] = [];
  const appliedCandidates: Candidate[] = [];
  const notApplied: NotAppliedGpo[] = [];
  for (const c of once) {
    const gpc = gpcById.get(c.gpoId);
    const id = c.gpoId;
    if (!gpc) {
      notApplied.push({ id, reason: 'gpo-missing', detail: `linked at ${c.som.dn}, but no groupPolicyContainer with this id was read` });
      continue;
    }
    const name = gpc.name;
    if (sideDisabled(gpc.flags, input.side)) {
      notApplied.push({ id, name, reason: `${input.side}-settings-disabled`, detail: `flags ${gpc.flags}` });
      continue;
    }
    const version = gpc.version[input.side];
    if (version === 0) {
      notApplied.push({ id, name, reason: 'empty', detail: `${input.side} version 0` });
      continue;
    }
    const verdict = input.security?.(id) ?? 'unknown';
    if (typeof verdict === 'object') {
      const to = verdict.filteredTo;
      notApplied.push({ id, name, reason: 'security-filtered', detail: to.length ? `applies only to ${to.join(', ')}` : 'applies to no one' });
      continue;
    }
    if (input.sysvolPresent?.(id) === false) {
      notApplied.push({ id, name, reason: 'sysvol-missing', detail: gpc.fileSysPath ? `no folder for ${gpc.fileSysPath}` : undefined });
      continue;
    }
    // Unknown is not empty: dropping a GPO whose settings may be there would hide them.
    if (version === undefined) assumptions.push(`the ${input.side} version of ${name ?? id} is not known: read as not empty`);
    const entry: Omit<AppliedGpo, 'precedence' | 'orderKnown'> = {
      id,
      name,
      linkedAt: c.som.dn,
      enforced: c.link.enforced,
      security: verdict,
    };
    if (c.link.linkOrder !== undefined) entry.linkOrder = c.link.linkOrder;
    if (gpc.wmiFilter) entry.conditional = { wmiFilter: { ...gpc.wmiFilter } };
    const also = others.get(id);
    if (also) entry.alsoLinkedAt = also;
    applied.push(entry);
    appliedCandidates.push(c);
  }

  // Link order unknown between two applied GPOs of one container (and one enforced state): neither's order is known.
  const unknown = new Set<number>();
  appliedCandidates.forEach((a, i) =>
    appliedCandidates.forEach((b, j) => {
      if (i !== j && a.som === b.som && a.link.enforced === b.link.enforced && (a.link.linkOrder === undefined || b.link.linkOrder === undefined)) {
        unknown.add(i);
        unknown.add(j);
      }
    }),
  );
  const n = applied.length;
  const result: AppliedGpo[] = applied.map((a, i) => ({ ...a, precedence: n - i, orderKnown: !unknown.has(i) }));
  result.reverse();

  // GPOs whose every link on the path was dropped: the most telling reason (blocked before disabled).
  const appliedOrListed = new Set([...once.map((c) => c.gpoId)]);
  for (const [id, drops] of dropped) {
    if (appliedOrListed.has(id)) continue;
    appliedOrListed.add(id);
    const blocked = drops.filter((d) => d.reason === 'blocked');
    const reason = blocked.length ? 'blocked' : 'link-disabled';
    const detail = drops.map((d) => `${d.reason === 'blocked' ? 'blocked' : 'disabled'} link at ${d.at}`).join('; ');
    notApplied.push({ id, name: gpcById.get(id)?.name, reason, detail });
  }
  // Containers in the input that no link on the path reaches.
  for (const gpc of input.gpcs) {
    const id = guidKey(gpc.id);
    if (appliedOrListed.has(id)) continue;
    appliedOrListed.add(id);
    const elsewhere = input.soms.filter((s) => s.links.some((l) => guidKey(l.gpoId) === id)).map((s) => s.dn);
    notApplied.push({
      id,
      name: gpc.name,
      reason: 'not-linked',
      detail: elsewhere.length
        ? `linked only off the path: ${elsewhere.join('; ')}`
        : input.linksOffPathKnown === false
          ? `not linked on the path of ${input.target}`
          : 'linked nowhere',
    });
  }
  for (const na of notApplied) {
    if (na.name === undefined) delete na.name;
    if (na.detail === undefined) delete na.detail;
  }
  for (const a of result) if (a.name === undefined) delete a.name;
  return { applied: result, notApplied, assumptions };
}
