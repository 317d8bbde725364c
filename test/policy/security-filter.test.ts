// Security filtering from a GPO's DACL (src/policy/security-filter.ts). Expectations follow the Windows rule
// (../shared/docs/gpo-links.md): Read and Apply Group Policy granted to the token, no deny for either; a computer's
// token holds Everyone, Authenticated Users, Domain Computers and its own groups.
import { describe, expect, it } from 'vitest';
import { parseGpLink } from '../../src/model/gpo-links.js';
import { APPLY_GROUP_POLICY, decodeSecurityDescriptor, type Ace, type AceFlag, type ObjectAce, type PlainAce } from '../../src/model/security-descriptor.js';
import { effectiveGpoList } from '../../src/policy/effective.js';
import { broadPrincipals, securityFiltering, securityLookup, securityVerdict } from '../../src/policy/security-filter.js';

const DOMAIN = 'S-1-5-21-1004336348-1177238915-682003330';
const AU = 'S-1-5-11';
const EVERYONE = 'S-1-1-0';
const DOMAIN_ADMINS = `${DOMAIN}-512`;
const DOMAIN_USERS = `${DOMAIN}-513`;
const DOMAIN_COMPUTERS = `${DOMAIN}-515`;
const PILOT = `${DOMAIN}-1601`;
const EXCLUDED = `${DOMAIN}-1602`;
const names: Record<string, string> = { [PILOT]: 'EXAMPLE\\WS-Pilot', [EXCLUDED]: 'EXAMPLE\\WS-Excluded' };
const nameOf = (sid: string): string | undefined => names[sid];

// Masks as Windows writes them: RPLCLORC (Read in GPMC), the full-control set without CR that admins get, CR alone.
const READ = 0x20094;
const EDIT = 0xf00ff;
const CR = 0x100;

const ace = (type: PlainAce['type'], trustee: string, mask: number, flags: AceFlag[] = []): PlainAce => ({
  type,
  typeCode: type === 'allow' ? 0 : 1,
  flags,
  rawFlags: 0,
  mask,
  trustee,
});
const objectAce = (type: ObjectAce['type'], trustee: string, mask: number, /** null: no object type (every property and right). */ objectType: string | null = APPLY_GROUP_POLICY, flags: AceFlag[] = []): ObjectAce => ({
  type,
  typeCode: type === 'allow-object' ? 5 : 6,
  flags,
  rawFlags: 0,
  mask,
  trustee,
  ...(objectType ? { objectType } : {}),
});
const apply = (trustee: string): ObjectAce => objectAce('allow-object', trustee, CR);
const denyApply = (trustee: string): ObjectAce => objectAce('deny-object', trustee, CR);

/** What a new GPO carries: admins edit, Authenticated Users read and apply. */
const DEFAULT: Ace[] = [ace('allow', DOMAIN_ADMINS, EDIT), ace('allow', AU, READ), apply(AU), ace('allow', 'S-1-5-18', EDIT), ace('allow', 'S-1-5-9', READ)];

describe('securityVerdict', () => {
  it('the default ACL applies to every computer and every user', () => {
    expect(securityVerdict(DEFAULT, 'computer', DOMAIN)).toBe('applies');
    expect(securityVerdict(DEFAULT, 'user', DOMAIN)).toBe('applies');
  });

  it('the DACL Samba gives a new GPO (read from the test DC) applies to all', () => {
    // D:P(A;CI;<full>;;;DA)(A;CI;<full>;;;EA)(A;CIIO;<full>;;;CO)(A;;<full>;;;DA)(A;CI;<full>;;;SY)(A;CI;RPLCLORC;;;AU)
    //   (OA;CI;CR;<Apply Group Policy>;;AU)(A;CI;RPLCLORC;;;ED), <full> = RPWPCCDCLCLORCWOWDSDDTSW
    const sd = decodeSecurityDescriptor(
      Buffer.from(
        '01000490000000000000000000000000140000000400ec000800000000022400ff000f0001050000000000051500000084d931fbc823f8da33ad90370002000000022400ff000f0001050000000000051500000084d931fbc823f8da33ad903707020000000a1400ff000f0001010000000000030000000000002400ff000f0001050000000000051500000084d931fbc823f8da33ad90370002000000021400ff000f00010100000000000512000000000214009400020001010000000000050b0000000502280000010000010000008ffdacedb3ffd111b41d00a0c968f93901010000000000050b0000000002140094000200010100000000000509000000',
        'hex',
      ),
    );
    const dc = 'S-1-5-21-4214348164-3673695176-932228403';
    expect(securityVerdict(sd.dacl, 'computer', dc)).toBe('applies');
    expect(securityVerdict(sd.dacl, 'user', dc)).toBe('applies');
    // Without the Apply ACE nobody gets it: Domain Admins, SYSTEM and the rest hold everything but Control Access.
    const withoutApply = (sd.dacl ?? []).filter((a) => a.type !== 'allow-object');
    expect(securityVerdict(withoutApply, 'computer', dc)).toEqual({ filteredTo: [] });
  });

  it('Authenticated Users keep Read, a group gets Apply: filtered to that group, by name when the resolver knows it', () => {
    const dacl = [ace('allow', DOMAIN_ADMINS, EDIT), ace('allow', AU, READ), apply(PILOT)];
    expect(securityVerdict(dacl, 'computer', DOMAIN)).toEqual({ filteredTo: [PILOT] });
    expect(securityVerdict(dacl, 'computer', DOMAIN, nameOf)).toEqual({ filteredTo: ['EXAMPLE\\WS-Pilot'] });
  });

  it('filtering as GPMC writes it: Authenticated Users gone, the group given Read and Apply', () => {
    const dacl = [ace('allow', DOMAIN_ADMINS, EDIT), ace('allow', PILOT, READ), apply(PILOT), ace('allow', DOMAIN_COMPUTERS, READ)];
    expect(securityVerdict(dacl, 'computer', DOMAIN, nameOf)).toEqual({ filteredTo: ['EXAMPLE\\WS-Pilot'] });
  });

  it('a principal with Apply but no Read anywhere in its token does not get the GPO', () => {
    expect(securityVerdict([ace('allow', DOMAIN_ADMINS, EDIT), apply(PILOT)], 'computer', DOMAIN)).toEqual({ filteredTo: [] });
  });

  it('the broad principals count together: Everyone reads, Authenticated Users apply', () => {
    expect(securityVerdict([ace('allow', EVERYONE, READ), apply(AU)], 'computer', DOMAIN)).toBe('applies');
  });

  it('Domain Computers is broad for the computer side only, Domain Users for the user side only', () => {
    const computers = [ace('allow', DOMAIN_COMPUTERS, READ), apply(DOMAIN_COMPUTERS)];
    expect(securityVerdict(computers, 'computer', DOMAIN)).toBe('applies');
    expect(securityVerdict(computers, 'user', DOMAIN)).toEqual({ filteredTo: [DOMAIN_COMPUTERS] });
    const users = [ace('allow', DOMAIN_USERS, READ), apply(DOMAIN_USERS)];
    expect(securityVerdict(users, 'user', DOMAIN)).toBe('applies');
    expect(securityVerdict(users, 'computer', DOMAIN)).toEqual({ filteredTo: [DOMAIN_USERS] });
    expect(broadPrincipals('computer', DOMAIN)).toEqual([EVERYONE, AU, DOMAIN_COMPUTERS]);
    expect(broadPrincipals('user', DOMAIN)).toEqual([EVERYONE, AU, DOMAIN_USERS]);
  });

  it('a deny for a broad principal removes the GPO from everyone holding it, the filtered group included', () => {
    expect(securityVerdict([...DEFAULT, denyApply(AU)], 'computer', DOMAIN)).toEqual({ filteredTo: [] });
    const filtered = [ace('allow', AU, READ), apply(PILOT), ace('deny', EVERYONE, 0x10)];
    expect(securityVerdict(filtered, 'computer', DOMAIN)).toEqual({ filteredTo: [] });
  });

  it('a deny wins wherever it stands in the DACL', () => {
    expect(securityVerdict([denyApply(AU), ...DEFAULT], 'computer', DOMAIN)).toEqual({ filteredTo: [] });
    expect(securityVerdict([...DEFAULT, denyApply(AU)], 'computer', DOMAIN)).toEqual({ filteredTo: [] });
  });

  it('a deny for one group leaves an "applies", and securityFiltering names the group', () => {
    const dacl = [...DEFAULT, denyApply(EXCLUDED)];
    expect(securityVerdict(dacl, 'computer', DOMAIN)).toBe('applies');
    expect(securityFiltering(dacl, 'computer', DOMAIN, nameOf)).toEqual({ verdict: 'applies', deniedTo: ['EXAMPLE\\WS-Excluded'] });
    expect(securityFiltering(DEFAULT, 'computer', DOMAIN)).toEqual({ verdict: 'applies', deniedTo: [] });
  });

  it('a deny for the filtered group itself leaves no one', () => {
    const dacl = [ace('allow', AU, READ), apply(PILOT), ace('deny', PILOT, READ)];
    expect(securityVerdict(dacl, 'computer', DOMAIN)).toEqual({ filteredTo: [] });
  });

  it('inherit-only ACEs are not checked on the GPO itself', () => {
    const dacl = [ace('allow', AU, READ), objectAce('allow-object', AU, CR, APPLY_GROUP_POLICY, ['container-inherit', 'inherit-only'])];
    expect(securityVerdict(dacl, 'computer', DOMAIN)).toEqual({ filteredTo: [] });
    const deny = [...DEFAULT, objectAce('deny-object', AU, CR, APPLY_GROUP_POLICY, ['inherit-only'])];
    expect(securityVerdict(deny, 'computer', DOMAIN)).toBe('applies');
  });

  it('Control Access without an object type (all extended rights) and Generic All count as Apply', () => {
    expect(securityVerdict([ace('allow', AU, READ | CR)], 'computer', DOMAIN)).toBe('applies');
    expect(securityVerdict([objectAce('allow-object', AU, READ | CR, null)], 'computer', DOMAIN)).toBe('applies');
    expect(securityVerdict([ace('allow', PILOT, 0x10000000)], 'computer', DOMAIN, nameOf)).toEqual({ filteredTo: ['EXAMPLE\\WS-Pilot'] });
  });

  it('Generic Read counts as Read; another extended right or one property read does not', () => {
    expect(securityVerdict([ace('allow', AU, 0x80000000), apply(AU)], 'computer', DOMAIN)).toBe('applies');
    const otherRight = objectAce('allow-object', AU, CR, '00299570-246d-11d0-a768-00aa006e0529');
    expect(securityVerdict([ace('allow', AU, READ), otherRight], 'computer', DOMAIN)).toEqual({ filteredTo: [] });
    const oneProperty = objectAce('allow-object', AU, 0x10, 'f30e3bbe-9ff0-11d1-b603-0000f80367c1');
    expect(securityVerdict([oneProperty, apply(AU)], 'computer', DOMAIN)).toEqual({ filteredTo: [] });
  });

  it('filtered to one computer account: its SID is named like any group', () => {
    const ws = `${DOMAIN}-2001`;
    expect(securityVerdict([ace('allow', ws, READ), apply(ws), ace('allow', DOMAIN_ADMINS, EDIT)], 'computer', DOMAIN)).toEqual({ filteredTo: [ws] });
  });

  it('ACEs of other types decide nothing', () => {
    expect(securityVerdict([{ type: 'other', typeCode: 9, flags: [], rawFlags: 0 }, ...DEFAULT], 'computer', DOMAIN)).toBe('applies');
  });

  it('no DACL read is unknown; a NULL DACL grants everyone; an empty DACL no one', () => {
    expect(securityVerdict(undefined, 'computer', DOMAIN)).toBe('unknown');
    expect(securityVerdict(null, 'computer', DOMAIN)).toBe('applies');
    expect(securityVerdict([], 'computer', DOMAIN)).toEqual({ filteredTo: [] });
  });
});

describe('securityLookup feeding effectiveGpoList', () => {
  const OU = 'OU=Pool,DC=example,DC=test';
  const id = (n: number): string => `{00000000-0000-0000-0000-00000000000${n}}`;
  const gpLink = [1, 2, 3].map((n) => `[LDAP://cn=${id(n)},cn=policies,cn=system,DC=example,DC=test;0]`).join('');
  const gpc = (n: number) => ({ id: id(n), name: `GPO-${n}`, flags: 0, version: { computer: 1, user: 1 } });

  it('a filtered GPO is not applied and says to whom it would apply; a GPO whose DACL is unknown applies as unknown', () => {
    const dacls = new Map<string, Ace[] | undefined>([
      [id(1), DEFAULT],
      [id(2), [ace('allow', AU, READ), apply(PILOT)]],
      [id(3), undefined],
    ]);
    const list = effectiveGpoList({
      target: OU,
      soms: [{ kind: 'domain', dn: 'DC=example,DC=test', links: [], blockInheritance: false }, { kind: 'ou', dn: OU, links: parseGpLink(gpLink).links, blockInheritance: false }],
      gpcs: [gpc(1), gpc(2), gpc(3)],
      side: 'computer',
      security: securityLookup(dacls, 'computer', DOMAIN, nameOf),
    });
    expect(list.applied.map((a) => [a.id, a.security])).toEqual([
      [id(3), 'unknown'],
      [id(1), 'applies'],
    ]);
    expect(list.notApplied).toEqual([{ id: id(2), name: 'GPO-2', reason: 'security-filtered', detail: 'applies only to EXAMPLE\\WS-Pilot' }]);
    expect(securityLookup(dacls, 'computer', DOMAIN)(id(9))).toBe('unknown');
  });
});
