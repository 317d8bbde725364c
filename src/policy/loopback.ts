// Loopback processing of the user side (`UserPolicyMode`, "Configure user Group Policy loopback processing mode" in a
// GPO reaching the computer): which GPO list gives a user's settings on that computer. gpo-links.md "Loopback";
// docs/effective-policy.md.
import type { AppliedGpo } from './effective.js';

export type LoopbackMode = 'merge' | 'replace';

export interface LoopbackGpo extends AppliedGpo {
  /** Whose OU's list the GPO came from: the user's own, or the computer's (its user side). */
  from: 'user-ou' | 'computer-ou';
}

/**
 * The user-side GPO list under loopback, best precedence first. `userList` is effectiveGpoList's user side for the
 * user's OU, `computerList` its user side for the computer's OU. Replace (2): only the computer's list. Merge (1): the
 * user's list is applied first, then the computer's, which therefore wins; a GPO in both is applied once, at its
 * position in the computer's list.
 */
export function loopbackUserList(userList: AppliedGpo[], computerList: AppliedGpo[], mode: LoopbackMode): LoopbackGpo[] {
  // Application order = worst precedence first.
  const applyOrder = (l: AppliedGpo[]): AppliedGpo[] => [...l].sort((a, b) => b.precedence - a.precedence);
  const fromComputer = applyOrder(computerList).map((g) => ({ ...g, from: 'computer-ou' as const }));
  const inComputer = new Set(computerList.map((g) => g.id));
  const fromUser =
    mode === 'replace' ? [] : applyOrder(userList).filter((g) => !inComputer.has(g.id)).map((g) => ({ ...g, from: 'user-ou' as const }));
  const order = [...fromUser, ...fromComputer];
  return order.map((g, i) => ({ ...g, precedence: order.length - i })).reverse();
}
