// The user scan against the harness's Samba DC, checked against what test/fixtures/ldap/users.ldif seeds.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Control } from 'ldapts';
import { LdapConnection } from '../../src/ldap/client.js';
import type { ConnectOptions } from '../../src/ldap/connect-options.js';
import { equalityFilter } from '../../src/ldap/filter.js';
import { runScan, scanUsers, type ScanOptions, type ScanProgress, type ScanSummary } from '../../src/ldap/scan.js';
import type { DirectoryUser } from '../../src/model/directory.js';
import { describeSamba, samba } from '../helpers/samba.js';

const LDIF = new URL('../fixtures/ldap/users.ldif', import.meta.url);
const STAFF = 'OU=Staff,DC=example,DC=test';
const WORKSPACES_USERS = 'CN=WorkSpaces Users,CN=Users,DC=example,DC=test';
const TREE_DELETE = '1.2.840.113556.1.4.805';

type LdifEntry = Record<string, string[]> & { dn: string[] };

/** Enough LDIF for our own seed file: comments, folded lines, `attr: value` and `attr:: base64`. */
function parseLdif(text: string): LdifEntry[] {
  const unfolded = text.replace(/\r?\n /g, '');
  const entries: LdifEntry[] = [];
  for (const block of unfolded.split(/\r?\n\s*\r?\n/)) {
    const entry: Record<string, string[]> = {};
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('#') || line.trim() === '') continue;
      const match = /^([A-Za-z0-9;-]+)(::?) ?(.*)$/.exec(line);
      if (!match) continue;
      const [, name = '', separator, raw = ''] = match;
      const value = separator === '::' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      (entry[name.toLowerCase()] ??= []).push(value);
    }
    if (entry['dn']) entries.push(entry as LdifEntry);
  }
  return entries;
}

const seed = parseLdif(readFileSync(LDIF, 'utf8'));
const seededUsers = seed.filter((entry) => entry['objectclass']?.some((value) => value.toLowerCase() === 'user'));
const isDisabled = (entry: LdifEntry): boolean => (Number(entry['useraccountcontrol']?.[0] ?? '0') & 2) !== 0;
const sam = (entry: LdifEntry): string => entry['samaccountname']?.[0] ?? '';
const enabledNames = seededUsers.filter((entry) => !isDisabled(entry)).map(sam).sort();
const disabledNames = seededUsers.filter(isDisabled).map(sam).sort();

/** Users reachable from a group through nested membership, per the seed file. */
function nestedMembers(groupDn: string): Set<string> {
  const byDn = new Map(seed.map((entry) => [entry.dn[0]?.toLowerCase() ?? '', entry]));
  const found = new Set<string>();
  const visit = (dn: string, seen: Set<string>): void => {
    const entry = byDn.get(dn.toLowerCase());
    if (!entry || seen.has(dn.toLowerCase())) return;
    seen.add(dn.toLowerCase());
    if (entry['objectclass']?.some((value) => value.toLowerCase() === 'user')) found.add(sam(entry));
    for (const member of entry['member'] ?? []) visit(member, seen);
  };
  for (const member of byDn.get(groupDn.toLowerCase())?.['member'] ?? []) visit(member, new Set([groupDn.toLowerCase()]));
  return found;
}

function connectOptions(extra: Partial<ConnectOptions> = {}): ConnectOptions {
  const dc = samba();
  return { urls: [dc.url], bindDn: dc.adminUpn, password: dc.password, allowPlaintext: true, retries: 0, ...extra };
}

async function scan(options: Omit<ScanOptions, 'onUser'> = {}, connect: Partial<ConnectOptions> = {}): Promise<{ users: DirectoryUser[]; summary: ScanSummary; progress: ScanProgress[] }> {
  const users: DirectoryUser[] = [];
  const progress: ScanProgress[] = [];
  const summary = await runScan(connectOptions(connect), {
    ...options,
    onUser: (user) => {
      users.push(user);
    },
    onProgress: (step) => {
      progress.push(step);
    },
  });
  return { users, summary, progress };
}

const names = (users: DirectoryUser[]): string[] => users.map((user) => user.sAMAccountName ?? '').sort();

describeSamba('scanUsers against Samba', () => {
  it('the seed file is what these tests assume', () => {
    expect(enabledNames.length).toBeGreaterThan(14);
    expect(disabledNames).toEqual(['-disabled', 'ex~employee']);
    expect(nestedMembers(WORKSPACES_USERS).has('outsider')).toBe(false);
  });

  it('pages of 7 return exactly the seeded enabled users, reporting progress after each page', async () => {
    const { users, summary, progress } = await scan({ pageSize: 7 }, { baseDn: STAFF });
    expect(names(users)).toEqual(enabledNames);
    const pages = Math.ceil(enabledNames.length / 7);
    expect(summary).toMatchObject({
      source: { server: 'ldap://127.0.0.1:389', baseDn: STAFF },
      filter: '(&(objectCategory=person)(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))',
      scanned: enabledNames.length,
      pages,
      references: [],
      referencesOmitted: 0,
    });
    expect(progress.map((step) => step.scanned)).toEqual(Array.from({ length: pages }, (_, i) => Math.min(7 * (i + 1), enabledNames.length)));
    expect(progress.map((step) => step.pages)).toEqual(Array.from({ length: pages }, (_, i) => i + 1));
  });

  it('normalises attributes: lower-cased names, string arrays, missing ones empty, UTF-8 intact', async () => {
    const { users } = await scan({ filter: equalityFilter('sAMAccountName', 'alice') }, { baseDn: STAFF });
    expect(users).toHaveLength(1);
    const alice = users[0] as DirectoryUser;
    expect(alice.dn).toBe('CN=Alice Archer,OU=Staff,DC=example,DC=test');
    expect(alice.sAMAccountName).toBe('alice');
    expect(Object.keys(alice.attributes).sort()).toEqual(['displayname', 'loginshell', 'mail', 'samaccountname', 'useraccountcontrol', 'userprincipalname']);
    expect(alice.attributes['mail']).toEqual(['alice@example.test']);
    expect(alice.attributes['loginshell']).toEqual(['/bin/bash']);
    expect(alice.attributes['useraccountcontrol']).toEqual(['512']);
    const { users: nomail } = await scan({ filter: '(sAMAccountName=nomail)' }, { baseDn: STAFF });
    expect(nomail[0]?.attributes['mail']).toEqual([]);
    const { users: jose } = await scan({ filter: equalityFilter('sAMAccountName', 'José Müller'), attributes: ['sAMAccountName', 'objectSid', 'objectGUID'] }, { baseDn: STAFF });
    expect(jose.map((user) => user.sAMAccountName)).toEqual(['José Müller']);
    expect(jose[0]?.attributes['objectsid']?.[0]).toMatch(/^010500000000000515000000[0-9a-f]{32}$/);
    expect(jose[0]?.attributes['objectguid']?.[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('an escaped non-ASCII value typed in a filter matches (sent as UTF-8 bytes, not double-encoded)', async () => {
    const { users } = await scan({ filter: '(sAMAccountName=Jos\\c3\\a9 M\\c3\\bcller)' }, { baseDn: STAFF });
    expect(names(users)).toEqual(['José Müller']);
  });

  it('includeDisabled adds the disabled accounts', async () => {
    const { users } = await scan({ includeDisabled: true, pageSize: 7 }, { baseDn: STAFF });
    expect(names(users)).toEqual([...enabledNames, ...disabledNames].sort());
  });

  it('memberOf follows nested groups and narrows to the members', async () => {
    const expected = [...nestedMembers(WORKSPACES_USERS)].filter((name) => enabledNames.includes(name)).sort();
    const { users, summary } = await scan({ memberOf: WORKSPACES_USERS, pageSize: 5 });
    expect(names(users)).toEqual(expected);
    expect(names(users)).not.toContain('outsider');
    expect(names(users)).toContain('carol');
    expect(summary.filter).toBe(
      `(&(objectCategory=person)(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2))(memberOf:1.2.840.113556.1.4.1941:=${WORKSPACES_USERS}))`,
    );
  });

  it('a filter value with * ( ) \\ and NUL matches nothing and does not error', async () => {
    const hostile = '*()\\\0';
    const { users, summary } = await scan({ filter: equalityFilter('sAMAccountName', hostile) });
    expect(users).toEqual([]);
    expect(summary.filter).toContain('(sAMAccountName=\\2a\\28\\29\\5c\\00)');
  });

  it('a memberOf value with * ( ) \\ and NUL matches nothing and does not error', async () => {
    const { users } = await scan({ memberOf: 'CN=x*()\\\0,DC=example,DC=test' });
    expect(users).toEqual([]);
  });

  it('escaping matches the literal value only: a CN with * ( ) \\ finds its user, not the decoy', async () => {
    const { users } = await scan({ filter: equalityFilter('cn', 'Star*Paren(x)Back\\slash') }, { baseDn: STAFF });
    expect(names(users)).toEqual(['paren(x)']);
    const { users: unescaped } = await scan({ filter: '(cn=Star*)' }, { baseDn: STAFF });
    expect(names(unescaped)).toEqual(['paren(x)', 'stardecoy']);
  });

  it('a --filter that is not a filter is a usage error before connecting', async () => {
    const error = await scan({ filter: '(department=Sales' }, { urls: ['ldap://127.0.0.1:1'] }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'usage' });
    expect((error as Error).message).toContain('--filter "(department=Sales" is not a valid LDAP filter: missing ")"');
  });

  it('a domain-wide scan defaults to defaultNamingContext and reports continuation references without following them', async () => {
    const dc = samba();
    const reported: string[] = [];
    const users: DirectoryUser[] = [];
    const summary = await runScan(connectOptions(), { pageSize: 7, onUser: (user) => void users.push(user), onReference: (url) => reported.push(url) });
    expect(summary.source).toEqual({ server: 'ldap://127.0.0.1:389', baseDn: dc.baseDn });
    expect(names(users)).toEqual([...enabledNames, 'Administrator'].sort());
    expect(summary.references.length).toBeGreaterThanOrEqual(1);
    expect(summary.references).toEqual(reported);
    expect(summary.references.some((url) => /^ldap:\/\/[^/]+\/CN=Configuration,DC=example,DC=test$/i.test(url))).toBe(true);
    expect(summary.references.every((url) => url.startsWith('ldap://'))).toBe(true);
  });

  it('measures the scan of the seeded users', async () => {
    const started = performance.now();
    const { summary } = await scan({ pageSize: 1000 });
    const totalMs = performance.now() - started;
    expect(summary.scanned).toBe(enabledNames.length + 1);
    console.info(`scan of ${summary.scanned} users in ${summary.pages} page(s): ${summary.elapsedMs.toFixed(1)} ms; with connect, bind and unbind: ${totalMs.toFixed(1)} ms`);
    expect(summary.elapsedMs).toBeLessThan(10_000);
  });

  describe('ranged attributes in a scan', () => {
    const ou = 'OU=gpaudit-scan-range,DC=example,DC=test';
    const groups = ['A', 'B', 'C'].map((name) => `CN=Range Group ${name},${ou}`);
    const alice = 'CN=Alice Archer,OU=Staff,DC=example,DC=test';
    let admin: Client;

    beforeAll(async () => {
      const dc = samba();
      admin = new Client({ url: dc.url, timeout: 30_000 });
      await admin.bind(dc.adminUpn, dc.password);
      await admin.del(ou, new Control(TREE_DELETE, { critical: true })).catch(() => undefined);
      await admin.add(ou, { objectClass: ['top', 'organizationalUnit'], ou: 'gpaudit-scan-range' });
      for (const [index, group] of groups.entries()) {
        await admin.add(group, { objectClass: ['top', 'group'], sAMAccountName: `range-group-${index}`, member: [alice] });
      }
    });

    afterAll(async () => {
      await admin?.del(ou, new Control(TREE_DELETE, { critical: true })).catch(() => undefined);
      await admin?.unbind();
    });

    it('a memberOf that comes back sliced is completed slice by slice', async () => {
      const { users } = await scan({ filter: '(sAMAccountName=alice)', attributes: ['sAMAccountName', 'memberOf;range=0-0'] }, { baseDn: STAFF });
      expect(users).toHaveLength(1);
      expect(new Set(users[0]?.attributes['memberof']?.map((dn) => dn.toLowerCase()))).toEqual(new Set([WORKSPACES_USERS, ...groups].map((dn) => dn.toLowerCase())));
      expect(users[0]?.attributes['memberof']).toHaveLength(4);
    });

    it('the same through scanUsers on an open connection, with an explicit step', async () => {
      const connection = await LdapConnection.open({ ...connectOptions(), baseDn: STAFF });
      try {
        const users: DirectoryUser[] = [];
        const run = scanUsers(connection, { filter: '(sAMAccountName=alice)', attributes: ['memberOf;range=0-1'], rangeStep: 1 });
        let summary: ScanSummary | undefined;
        for (;;) {
          const next = await run.next();
          if (next.done) {
            summary = next.value;
            break;
          }
          users.push(next.value);
        }
        expect(users[0]?.attributes['memberof']).toHaveLength(4);
        expect(summary?.scanned).toBe(1);
      } finally {
        await connection.close();
      }
    });
  });
});

describe('parseLdif (test helper)', () => {
  it('reads folded lines and base64 values', () => {
    const entries = parseLdif('# c\ndn: CN=a,DC=x\nsAMAccountName:: Sm9zw6k=\ndescription: long\n  line\n\ndn: CN=b,DC=x\nobjectClass: user\n');
    expect(entries).toEqual([
      { dn: ['CN=a,DC=x'], samaccountname: ['José'], description: ['long line'] },
      { dn: ['CN=b,DC=x'], objectclass: ['user'] },
    ]);
  });
});
