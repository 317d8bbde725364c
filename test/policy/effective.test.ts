// The GPO list of an OU (src/policy/effective.ts). Every expectation is read off [MS-GPOL] 3.2.5.1 (GPO list
// construction) as ../shared/docs/gpo-links.md summarises it, and off the set-up of each test: never off the output.
import { describe, expect, it } from 'vitest';
import type { GpoLinkEntry, GroupPolicyContainer, ScopeOfManagement } from '../../src/model/gpo-links.js';
import { parseGpLink, splitVersion } from '../../src/model/gpo-links.js';
import { effectiveGpoList, type EffectiveInput, type SecurityVerdict } from '../../src/policy/effective.js';
import { loopbackUserList } from '../../src/policy/loopback.js';

const DOMAIN = 'DC=corp,DC=example,DC=test';
const WS = `OU=WorkSpaces,${DOMAIN}`;
const POOL = `OU=Pool,${WS}`;
const SITE = 'CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=corp,DC=example,DC=test';

/** `{00000000-0000-0000-0000-00000000000n}` for n = 1..9, named GPO-n. */
const id = (n: number): string => `{00000000-0000-0000-0000-00000000000${n}}`;
const dn = (n: number): string => `cn=${id(n)},cn=policies,cn=system,${DOMAIN}`;
/** A gPLink value the way AD writes it: links in attribute order, each `[LDAP://dn;options]`. */
const gpLink = (...links: [number, number][]): string => links.map(([n, o]) => `[LDAP://${dn(n)};${o}]`).join('');
const links = (...l: [number, number][]): GpoLinkEntry[] => parseGpLink(gpLink(...l)).links;

function gpc(n: number, extra: Partial<GroupPolicyContainer> = {}): GroupPolicyContainer {
  return { id: id(n), name: `GPO-${n}`, flags: 0, version: { computer: 1, user: 1 }, ...extra };
}
const domain = (l: GpoLinkEntry[], blockInheritance = false): ScopeOfManagement => ({ kind: 'domain', dn: DOMAIN, links: l, blockInheritance });
const ou = (d: string, l: GpoLinkEntry[], blockInheritance = false): ScopeOfManagement => ({ kind: 'ou', dn: d, links: l, blockInheritance });

function run(soms: ScopeOfManagement[], gpcs: GroupPolicyContainer[], extra: Partial<EffectiveInput> = {}) {
  return effectiveGpoList({ target: POOL, soms, gpcs, side: 'computer', security: () => 'applies', ...extra });
}
const order = (r: ReturnType<typeof run>): string[] => r.applied.map((a) => a.name!);
const reasons = (r: ReturnType<typeof run>): Record<string, string> => Object.fromEntries(r.notApplied.map((n) => [n.name ?? n.id, n.reason]));

describe('parseGpLink and splitVersion', () => {
  it('reads several links in mixed case, options 0 to 3, a link without GUID and trailing garbage', () => {
    const value =
      `[LDAP://cn=NoGuidHere,cn=policies,cn=system,${DOMAIN};0]` +
      `[LDAP://cn={31b2f340-016d-11d2-945f-00c04fb984f9},cn=policies,cn=system,${DOMAIN};0]` +
      `[ldap://CN={6AC1786C-016F-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=corp,DC=example,DC=test;1]` +
      `[LdAp://cn={AAAAAAAA-0000-0000-0000-000000000001},cn=policies,cn=system,${DOMAIN};2]` +
      `[LDAP://cn={aaaaaaaa-0000-0000-0000-000000000002},cn=policies,cn=system,${DOMAIN};3]` +
      'garbage]';
    const r = parseGpLink(value);
    expect(r.links.map((l) => [l.gpoId, l.disabled, l.enforced, l.linkOrder])).toEqual([
      ['{31B2F340-016D-11D2-945F-00C04FB984F9}', false, false, 4],
      ['{6AC1786C-016F-11D2-945F-00C04FB984F9}', true, false, 3],
      ['{AAAAAAAA-0000-0000-0000-000000000001}', false, true, 2],
      // The last entry of gPLink has link order 1 (gpo-links.md).
      ['{AAAAAAAA-0000-0000-0000-000000000002}', true, true, 1],
    ]);
    expect(r.errors).toHaveLength(2);
    expect(r.errors[0]).toMatch(/NoGuidHere/);
    expect(r.errors[1]).toMatch(/garbage/);
  });

  it('splits versionNumber 65537 into user 1 and computer 1', () => {
    expect(splitVersion(65537)).toEqual({ user: 1, computer: 1 });
    expect(splitVersion(0x00030005)).toEqual({ user: 3, computer: 5 });
  });
});

describe('effectiveGpoList', () => {
  it('within one OU, link order 1 (the last gPLink entry) is applied last and wins', () => {
    const r = run([domain([]), ou(WS, []), ou(POOL, links([1, 0], [2, 0], [3, 0]))], [gpc(1), gpc(2), gpc(3)]);
    expect(r.applied.map((a) => [a.name, a.precedence, a.linkOrder, a.orderKnown])).toEqual([
      ['GPO-3', 1, 1, true],
      ['GPO-2', 2, 2, true],
      ['GPO-1', 3, 3, true],
    ]);
  });

  it('processes site, domain, then OUs top-down: the own OU wins over its parents', () => {
    const site: ScopeOfManagement = { kind: 'site', dn: SITE, links: links([1, 0]) };
    const r = run([ou(POOL, links([4, 0])), ou(WS, links([3, 0])), domain(links([2, 0])), site], [gpc(1), gpc(2), gpc(3), gpc(4)]);
    expect(order(r)).toEqual(['GPO-4', 'GPO-3', 'GPO-2', 'GPO-1']);
    expect(r.applied[0]).toMatchObject({ linkedAt: POOL, enforced: false, precedence: 1 });
  });

  it('an enforced link at the domain beats a link on the OU', () => {
    const r = run([domain(links([1, 2])), ou(POOL, links([2, 0]))], [gpc(1), gpc(2)]);
    expect(order(r)).toEqual(['GPO-1', 'GPO-2']);
    expect(r.applied[0]).toMatchObject({ enforced: true, linkedAt: DOMAIN });
  });

  it('block inheritance drops non-enforced links above the OU but keeps enforced ones', () => {
    const r = run(
      [domain(links([1, 2], [2, 0])), ou(WS, links([3, 0])), ou(POOL, links([4, 0]), true)],
      [gpc(1), gpc(2), gpc(3), gpc(4)],
    );
    expect(order(r)).toEqual(['GPO-1', 'GPO-4']);
    expect(reasons(r)).toEqual({ 'GPO-2': 'blocked', 'GPO-3': 'blocked' });
  });

  it('block inheritance without enforcement drops the domain link; the site is above too', () => {
    const site: ScopeOfManagement = { kind: 'site', dn: SITE, links: links([5, 0]) };
    const r = run([site, domain(links([1, 0])), ou(WS, links([2, 0]), true), ou(POOL, links([3, 0]))], [gpc(1), gpc(2), gpc(3), gpc(5)]);
    // Blocking on WorkSpaces drops what is above WorkSpaces; WorkSpaces' own link and Pool's stay.
    expect(order(r)).toEqual(['GPO-3', 'GPO-2']);
    expect(reasons(r)).toEqual({ 'GPO-1': 'blocked', 'GPO-5': 'blocked' });
  });

  it('skips a disabled link (option 1) and a disabled enforced link (option 3)', () => {
    const r = run([domain(links([1, 3])), ou(POOL, links([2, 1], [3, 0]))], [gpc(1), gpc(2), gpc(3)]);
    expect(order(r)).toEqual(['GPO-3']);
    expect(reasons(r)).toEqual({ 'GPO-1': 'link-disabled', 'GPO-2': 'link-disabled' });
  });

  it('GPO flags 1, 2 and 3 remove the user side, the computer side, both', () => {
    const gpcs = [gpc(1, { flags: 1 }), gpc(2, { flags: 2 }), gpc(3, { flags: 3 }), gpc(4)];
    const soms = [domain([]), ou(POOL, links([1, 0], [2, 0], [3, 0], [4, 0]))];
    const computer = run(soms, gpcs, { side: 'computer' });
    const user = run(soms, gpcs, { side: 'user' });
    expect(order(computer)).toEqual(['GPO-4', 'GPO-1']);
    expect(reasons(computer)).toEqual({ 'GPO-2': 'computer-settings-disabled', 'GPO-3': 'computer-settings-disabled' });
    expect(order(user)).toEqual(['GPO-4', 'GPO-2']);
    expect(reasons(user)).toEqual({ 'GPO-1': 'user-settings-disabled', 'GPO-3': 'user-settings-disabled' });
  });

  it('a GPO filtered to a group only does not apply to the OU as such; unknown filtering applies, marked', () => {
    const verdicts: Record<string, SecurityVerdict> = { [id(1)]: { filteredTo: ['CORP\\WS-Pilot'] }, [id(2)]: 'applies' };
    const r = run([domain([]), ou(POOL, links([1, 0], [2, 0], [3, 0]))], [gpc(1), gpc(2), gpc(3)], { security: (g) => verdicts[g] });
    expect(r.notApplied).toEqual([{ id: id(1), name: 'GPO-1', reason: 'security-filtered', detail: 'applies only to CORP\\WS-Pilot' }]);
    expect(r.applied.map((a) => [a.name, a.security])).toEqual([
      ['GPO-3', 'unknown'],
      ['GPO-2', 'applies'],
    ]);
  });

  it('a side with version 0 is empty', () => {
    const gpcs = [gpc(1, { version: splitVersion(0x00010000) }), gpc(2)];
    const soms = [domain([]), ou(POOL, links([1, 0], [2, 0]))];
    expect(reasons(run(soms, gpcs))).toEqual({ 'GPO-1': 'empty' });
    expect(order(run(soms, gpcs, { side: 'user' }))).toEqual(['GPO-2', 'GPO-1']);
  });

  it('a side whose version is not known is not empty: applied, and the assumption is said', () => {
    // A GPO report without VersionDirectory/VersionSysvol: the source does not say, so nothing is dropped.
    const gpcs = [gpc(1, { version: { user: 0 } }), gpc(2, { version: {} })];
    const soms = [domain([]), ou(POOL, links([1, 0], [2, 0]))];
    const computer = run(soms, gpcs);
    expect(order(computer)).toEqual(['GPO-2', 'GPO-1']);
    expect(computer.assumptions.filter((a) => a.includes('version'))).toEqual([
      'the computer version of GPO-1 is not known: read as not empty',
      'the computer version of GPO-2 is not known: read as not empty',
    ]);
    const user = run(soms, gpcs, { side: 'user' });
    expect(reasons(user)).toEqual({ 'GPO-1': 'empty' });
    expect(user.assumptions.filter((a) => a.includes('version'))).toEqual(['the user version of GPO-2 is not known: read as not empty']);
  });

  it('a GPO with a WMI filter is applied, conditional on the named filter', () => {
    const r = run([domain([]), ou(POOL, links([1, 0]))], [gpc(1, { wmiFilter: { id: '{F0000000-0000-0000-0000-000000000001}', name: 'Windows 10 only' } })]);
    expect(r.applied).toHaveLength(1);
    expect(r.applied[0]!.conditional).toEqual({ wmiFilter: { id: '{F0000000-0000-0000-0000-000000000001}', name: 'Windows 10 only' } });
  });

  it('a GPC linked nowhere, or only off the path, is not-linked; a link to a missing GPC is gpo-missing', () => {
    const other = ou(`OU=Servers,${DOMAIN}`, links([2, 0]));
    const r = run([domain([]), other, ou(POOL, links([3, 0]))], [gpc(1), gpc(2)]);
    expect(r.applied).toEqual([]);
    expect(r.notApplied).toEqual([
      { id: id(3), reason: 'gpo-missing', detail: expect.stringContaining(POOL) },
      { id: id(1), name: 'GPO-1', reason: 'not-linked', detail: 'linked nowhere' },
      { id: id(2), name: 'GPO-2', reason: 'not-linked', detail: expect.stringContaining('OU=Servers') },
    ]);
  });

  it('a GPO whose SYSVOL folder is missing does not apply; one not checked does', () => {
    const present: Record<string, boolean> = { [id(1)]: false };
    const r = run([domain([]), ou(POOL, links([1, 0], [2, 0]))], [gpc(1), gpc(2)], { sysvolPresent: (g) => present[g] });
    expect(order(r)).toEqual(['GPO-2']);
    expect(reasons(r)).toEqual({ 'GPO-1': 'sysvol-missing' });
  });

  it('between two enforced links the higher in the hierarchy wins (Microsoft)', () => {
    const r = run([domain(links([1, 2])), ou(WS, links([2, 2])), ou(POOL, links([3, 0]))], [gpc(1), gpc(2), gpc(3)]);
    expect(order(r)).toEqual(['GPO-1', 'GPO-2', 'GPO-3']);
    expect(r.applied.map((a) => a.precedence)).toEqual([1, 2, 3]);
  });

  it('a GPO linked at two containers is applied once, at its best-precedence position', () => {
    const r = run([domain(links([1, 0])), ou(POOL, links([2, 0], [1, 0]))], [gpc(1), gpc(2)]);
    expect(order(r)).toEqual(['GPO-1', 'GPO-2']);
    expect(r.applied[0]).toMatchObject({ linkedAt: POOL, alsoLinkedAt: [DOMAIN] });
  });

  it('without link order, two GPOs at one container are applied with orderKnown false', () => {
    const noOrder = (n: number): GpoLinkEntry => ({ gpoId: id(n), gpoDn: dn(n), disabled: false, enforced: false });
    const r = run([domain(links([3, 0])), ou(POOL, [noOrder(1), noOrder(2)])], [gpc(1), gpc(2), gpc(3)]);
    const known = Object.fromEntries(r.applied.map((a) => [a.name, a.orderKnown]));
    expect(known).toEqual({ 'GPO-1': false, 'GPO-2': false, 'GPO-3': true });
    // The domain's GPO is above the OU either way.
    expect(r.applied[2]!.name).toBe('GPO-3');
  });

  it('accepts a canonical name as target and says when block inheritance is not known', () => {
    const soms: ScopeOfManagement[] = [
      { kind: 'domain', dn: 'corp.example.test', links: links([1, 0]) },
      { kind: 'ou', dn: 'corp.example.test/WorkSpaces/Pool', links: links([2, 0]) },
    ];
    const r = effectiveGpoList({ target: 'corp.example.test/WorkSpaces/Pool', soms, gpcs: [gpc(1), gpc(2)], side: 'computer' });
    expect(order(r)).toEqual(['GPO-2', 'GPO-1']);
    expect(r.assumptions.join('\n')).toMatch(/block inheritance of corp\.example\.test\/WorkSpaces\/Pool is not known/);
    // A DN and a canonical name of the same OU are one path.
    const r2 = effectiveGpoList({ target: POOL, soms, gpcs: [gpc(1), gpc(2)], side: 'computer' });
    expect(order(r2)).toEqual(['GPO-2', 'GPO-1']);
  });
});

describe('loopbackUserList', () => {
  const soms = [domain(links([1, 0])), ou(WS, links([2, 0])), ou(POOL, links([3, 0])), ou(`OU=Staff,${DOMAIN}`, links([4, 0]))];
  const gpcs = [gpc(1), gpc(2), gpc(3), gpc(4)];
  const userList = effectiveGpoList({ target: `OU=Staff,${DOMAIN}`, soms, gpcs, side: 'user', security: () => 'applies' }).applied;
  const computerList = effectiveGpoList({ target: POOL, soms, gpcs, side: 'user', security: () => 'applies' }).applied;

  it('replace: only the computer OU list, user sides', () => {
    const r = loopbackUserList(userList, computerList, 'replace');
    expect(r.map((g) => [g.name, g.precedence, g.from])).toEqual([
      ['GPO-3', 1, 'computer-ou'],
      ['GPO-2', 2, 'computer-ou'],
      ['GPO-1', 3, 'computer-ou'],
    ]);
  });

  it("merge: the user's list first, then the computer's, which wins; the domain GPO in both is applied once", () => {
    const r = loopbackUserList(userList, computerList, 'merge');
    expect(r.map((g) => [g.name, g.precedence, g.from])).toEqual([
      ['GPO-3', 1, 'computer-ou'],
      ['GPO-2', 2, 'computer-ou'],
      ['GPO-1', 3, 'computer-ou'],
      ['GPO-4', 4, 'user-ou'],
    ]);
  });
});
