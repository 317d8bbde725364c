import { domainRid, isSid } from '../model/principals.js';
import type { Principal } from '../model/settings.js';
import type { PrincipalSpec } from './types.js';

type SpecTarget = { sid: string } | { rid: number };

/**
 * Names a rule may use instead of a SID. Domain groups are RIDs because their SID depends on the domain, which a
 * rule cannot know; `rid:513` matches Domain Users of any domain.
 */
export const PRINCIPAL_ALIASES: Readonly<Record<string, SpecTarget>> = {
  everyone: { sid: 'S-1-1-0' },
  'authenticated-users': { sid: 'S-1-5-11' },
  'builtin-users': { sid: 'S-1-5-32-545' },
  administrators: { sid: 'S-1-5-32-544' },
  guests: { sid: 'S-1-5-32-546' },
  'remote-desktop-users': { sid: 'S-1-5-32-555' },
  'domain-users': { rid: 513 },
  'domain-admins': { rid: 512 },
  'domain-guests': { rid: 514 },
  'domain-computers': { rid: 515 },
  'domain-controllers': { rid: 516 },
  interactive: { sid: 'S-1-5-4' },
  network: { sid: 'S-1-5-2' },
  'local-account': { sid: 'S-1-5-113' },
};

const RID_SPEC = /^rid:(\d{1,10})$/;
const MAX_RID = 0xffffffff;

/** What a spec stands for, or undefined when it is not a SID, `rid:<n>` or a known alias. */
export function resolvePrincipalSpec(spec: PrincipalSpec): SpecTarget | undefined {
  if (Object.hasOwn(PRINCIPAL_ALIASES, spec)) return PRINCIPAL_ALIASES[spec];
  if (isSid(spec)) return { sid: spec.toUpperCase() };
  const rid = RID_SPEC.exec(spec);
  if (rid) {
    const n = Number(rid[1]);
    return n <= MAX_RID ? { rid: n } : undefined;
  }
  return undefined;
}

export function isValidPrincipalSpec(spec: unknown): spec is PrincipalSpec {
  return typeof spec === 'string' && resolvePrincipalSpec(spec) !== undefined;
}

/**
 * True when the principal is the one the spec names. A principal known only by a name the well-known table does
 * not hold (`CORP\WorkSpaces Users`) matches nothing: guessing from names would give different findings per locale.
 */
export function principalMatches(p: Principal, spec: PrincipalSpec): boolean {
  if (p.resolution === 'unresolved') return false;
  const target = resolvePrincipalSpec(spec);
  if (!target) return false;
  if ('sid' in target) return p.sid !== undefined && p.sid.toUpperCase() === target.sid;
  const rid = p.rid ?? (p.sid ? domainRid(p.sid) : undefined);
  return rid === target.rid;
}
