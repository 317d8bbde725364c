// Security filtering: whether a GPO's DACL lets a computer (or user) apply it. A client applies a GPO when its token
// is granted Read and the Apply Group Policy extended right and no deny ACE takes either away
// (../shared/docs/gpo-links.md). Offline there is no token, only the DACL: the question becomes "does every computer
// get it" (the broad groups every token holds) or "only members of these principals".
import type { GpoSide } from '../model/gpo-links.js';
import { aceCovers, isEffectiveHere, type Ace, type ObjectAce, type PlainAce } from '../model/security-descriptor.js';
import type { SecurityVerdict } from './effective.js';

export const EVERYONE = 'S-1-1-0';
export const AUTHENTICATED_USERS = 'S-1-5-11';
/** Domain-relative RIDs of the group every computer, or every user, of the domain is in. */
const DOMAIN_COMPUTERS_RID = 515;
const DOMAIN_USERS_RID = 513;

type Right = 'read' | 'apply-group-policy';
const RIGHTS: readonly Right[] = ['read', 'apply-group-policy'];

export interface SecurityFiltering {
  verdict: SecurityVerdict;
  /**
   * Principals outside the broad set that a deny ACE keeps from applying the GPO, although it otherwise reaches them:
   * `SecurityVerdict` cannot say "every computer except these", so this says it beside an `applies`.
   */
  deniedTo: string[];
}

/**
 * The SIDs every token of that side holds: Everyone, Authenticated Users and Domain Computers (computer side) or
 * Domain Users (user side). A GPO these are granted applies to all of the side's accounts.
 */
export function broadPrincipals(side: GpoSide, domainSid: string): string[] {
  return [EVERYONE, AUTHENTICATED_USERS, `${domainSid.toUpperCase()}-${side === 'computer' ? DOMAIN_COMPUTERS_RID : DOMAIN_USERS_RID}`];
}

/**
 * The verdict for one GPO and side from its DACL: `applies` when the broad principals hold Read and Apply Group Policy,
 * otherwise `{ filteredTo }` with the principals whose members do (names from `nameOf` where it knows them, else SIDs);
 * `unknown` when the DACL was not read (`undefined`). A NULL DACL (`null`) grants everyone everything. Deny ACEs win
 * whatever their position (the order Windows itself writes them in); inherit-only ACEs are not checked here.
 */
export function securityVerdict(dacl: readonly Ace[] | null | undefined, side: GpoSide, domainSid: string, nameOf?: (sid: string) => string | undefined): SecurityVerdict {
  return securityFiltering(dacl, side, domainSid, nameOf).verdict;
}

/** securityVerdict with the principals denied in spite of an `applies`. */
export function securityFiltering(dacl: readonly Ace[] | null | undefined, side: GpoSide, domainSid: string, nameOf?: (sid: string) => string | undefined): SecurityFiltering {
  if (dacl === undefined) return { verdict: 'unknown', deniedTo: [] };
  if (dacl === null) return { verdict: 'applies', deniedTo: [] };
  const aces = dacl.filter(isEffectiveHere);
  const broad = broadPrincipals(side, domainSid);
  const name = (sid: string): string => nameOf?.(sid) ?? sid;
  const trustees = [...new Set(aces.map((ace) => ace.trustee.toUpperCase()))];
  const others = trustees.filter((sid) => !broad.includes(sid));
  if (holdsBoth(aces, broad)) {
    const deniedTo = others.filter((sid) => !holdsBoth(aces, [...broad, sid]));
    return { verdict: 'applies', deniedTo: deniedTo.map(name) };
  }
  // A member of a principal also holds every broad SID, so the broad grants (and denies) count for it too: a group
  // given only Apply still gets the GPO when Authenticated Users keep Read.
  const filteredTo = others.filter((sid) => aces.some((ace) => ace.trustee.toUpperCase() === sid && isAllow(ace)) && holdsBoth(aces, [...broad, sid]));
  return { verdict: { filteredTo: filteredTo.map(name) }, deniedTo: [] };
}

/**
 * Builds the lookup effectiveGpoList takes (`security`) from DACLs keyed by GPO id: a GPO with no entry, or whose
 * DACL was not read, is `unknown`.
 */
export function securityLookup(
  daclByGpo: ReadonlyMap<string, readonly Ace[] | null | undefined>,
  side: GpoSide,
  domainSid: string,
  nameOf?: (sid: string) => string | undefined,
): (gpoId: string) => SecurityVerdict {
  return (gpoId) => (daclByGpo.has(gpoId) ? securityVerdict(daclByGpo.get(gpoId), side, domainSid, nameOf) : 'unknown');
}

/** Whether a token holding exactly `sids` is granted both rights with no deny for either. */
function holdsBoth(aces: readonly (PlainAce | ObjectAce)[], sids: readonly string[]): boolean {
  const mine = aces.filter((ace) => sids.includes(ace.trustee.toUpperCase()));
  return RIGHTS.every(
    (right) =>
      mine.some((ace) => isAllow(ace) && aceCovers(ace, right)) && !mine.some((ace) => !isAllow(ace) && aceCovers(ace, right)),
  );
}

const isAllow = (ace: PlainAce | ObjectAce): boolean => ace.type === 'allow' || ace.type === 'allow-object';
