import { domainRid, resolvePrincipalSpec } from '../model/principals.js';
import type { Principal } from '../model/settings.js';
import type { PrincipalSpec } from '../rules/types.js';

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
