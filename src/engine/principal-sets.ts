import { principalIs, resolvePrincipalSpec } from '../model/principals.js';
import type { Principal } from '../model/settings.js';
import type { PrincipalSpec } from '../rules/types.js';

/**
 * True when the principal is the one the spec names. Principals arrive resolved (model/principals.ts, called by
 * normalise); one known only by a name the well-known table does not hold (`CORP\WorkSpaces Users`) matches
 * nothing: guessing from names would give different findings per locale.
 */
export function principalMatches(p: Principal, spec: PrincipalSpec): boolean {
  const target = resolvePrincipalSpec(spec);
  return target !== undefined && principalIs(p, target);
}
