import { readFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { Client, InvalidCredentialsError } from 'ldapts';
import { describeSamba, samba } from '../helpers/samba.js';

// Proves the Samba harness itself (scripts/samba, test/setup/samba-global.ts): the DC answers, binds, pins TLS,
// holds the seed from test/fixtures/ldap/users.ldif, and survives a stop and start inside a test.

const STAFF = 'OU=Staff,DC=example,DC=test';
const WORKSPACES_USERS = 'CN=WorkSpaces Users,CN=Users,DC=example,DC=test';
const IN_CHAIN = '1.2.840.113556.1.4.1941';

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.unbind().catch(() => undefined)));
});

function client(url: string, ca?: string): Client {
  // ldapts speaks TLS as soon as tlsOptions is non-empty, even on ldap://, so plain clients get none.
  const made = new Client({ url, timeout: 10_000, connectTimeout: 5_000, ...(ca ? { tlsOptions: { ca: [readFileSync(ca)] } } : {}) });
  clients.push(made);
  return made;
}

async function adminClient(): Promise<Client> {
  const dc = samba();
  const made = client(dc.url);
  await made.bind(dc.adminUpn, dc.password);
  return made;
}

function seededNames(): string[] {
  const ldif = readFileSync(new URL('../fixtures/ldap/users.ldif', import.meta.url), 'utf8');
  const names: string[] = [];
  for (const block of ldif.split(/\n\n+/)) {
    if (!/^objectClass: user$/m.test(block)) continue;
    const match = /^sAMAccountName(::?) (.*)$/m.exec(block);
    if (!match) continue;
    names.push(match[1] === '::' ? Buffer.from(match[2] ?? '', 'base64').toString('utf8') : (match[2] ?? ''));
  }
  return names.sort();
}

async function usersUnder(searcher: Client, baseDn: string, filter: string): Promise<string[]> {
  const { searchEntries } = await searcher.search(baseDn, { scope: 'sub', filter, attributes: ['sAMAccountName'], paged: { pageSize: 10 } });
  return searchEntries.map((entry) => String(entry['sAMAccountName'])).sort();
}

function portRefuses(port: number): Promise<string> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolvePromise(error.code ?? 'error'));
  });
}

describeSamba('Samba DC harness', () => {
  it('answers the rootDSE', async () => {
    const { searchEntries } = await client(samba().url).search('', {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['defaultNamingContext', 'dnsHostName', 'supportedLDAPVersion'],
    });
    expect(searchEntries).toHaveLength(1);
    expect(searchEntries[0]?.['defaultNamingContext']).toBe('DC=example,DC=test');
    expect(String(searchEntries[0]?.['dnsHostName']).toLowerCase()).toBe('dc1.example.test');
    expect(searchEntries[0]?.['supportedLDAPVersion']).toEqual(['2', '3']);
  });

  it('accepts a simple bind over ldap:// as UPN, NetBIOS name and DN, and refuses a wrong password like AD', async () => {
    const dc = samba();
    for (const name of [dc.adminUpn, dc.adminNetbios, dc.adminDn]) {
      const bound = client(dc.url);
      await bound.bind(name, dc.password);
      const { searchEntries } = await bound.search(dc.adminDn, { scope: 'base', attributes: ['sAMAccountName'] });
      expect(searchEntries[0]?.['sAMAccountName'], name).toBe('Administrator');
    }
    const refused = client(dc.url).bind(dc.adminUpn, 'not-the-password');
    await expect(refused).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(refused).rejects.toThrow(/AcceptSecurityContext error, data 52e/);
  });

  it('lets seeded users bind with the seed password, except the disabled ones (AD data 533)', async () => {
    const dc = samba();
    await client(dc.url).bind('alice@example.test', dc.seedPassword);
    await expect(client(dc.url).bind('EXAMPLE\\-disabled', dc.seedPassword)).rejects.toThrow(/data 533/);
  });

  it('serves ldaps:// with a certificate that verifies against caFile for 127.0.0.1 and fails against wrongCaFile', async () => {
    const dc = samba();
    const pinned = client(dc.ldapsUrl, dc.caFile);
    await pinned.bind(dc.adminUpn, dc.password);
    const { searchEntries } = await pinned.search(dc.baseDn, { scope: 'base', attributes: ['distinguishedName'] });
    expect(searchEntries[0]?.dn).toBe(dc.baseDn);

    const wrong = client(dc.ldapsUrl, dc.wrongCaFile).bind(dc.adminUpn, dc.password);
    await expect(wrong).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('holds every seeded user, with the accounts and attributes the LDIF gives them', async () => {
    const admin = await adminClient();
    const expected = seededNames();
    expect(expected).toHaveLength(27);
    expect(expected).toContain('José Müller');
    expect(expected).toContain('Ωμέγα');
    expect(await usersUnder(admin, STAFF, '(&(objectCategory=person)(objectClass=user))')).toEqual(expected);

    const { searchEntries } = await admin.search(STAFF, {
      filter: '(|(sAMAccountName=alice)(sAMAccountName=a_b-c.d)(sAMAccountName=-disabled)(sAMAccountName=ex~employee))',
      attributes: ['sAMAccountName', 'userAccountControl', 'loginShell', 'mail'],
    });
    const byName = Object.fromEntries(searchEntries.map((entry) => [String(entry['sAMAccountName']), entry]));
    expect(byName['alice']).toMatchObject({ userAccountControl: '512', loginShell: '/bin/bash', mail: 'alice@example.test' });
    expect(byName['a_b-c.d']).toMatchObject({ userAccountControl: '512', loginShell: '/bin/zsh' });
    expect(byName['-disabled']).toMatchObject({ userAccountControl: '514' });
    expect(byName['ex~employee']).toMatchObject({ userAccountControl: '546', mail: [] });
  });

  it('returns the continuation references of a subtree search from the domain root', async () => {
    const admin = await adminClient();
    const { searchReferences } = await admin.search(samba().baseDn, { scope: 'sub', filter: '(sAMAccountName=alice)', attributes: ['cn'] });
    expect([...searchReferences].sort()).toEqual([
      'ldap://example.test/CN=Configuration,DC=example,DC=test',
      'ldap://example.test/DC=DomainDnsZones,DC=example,DC=test',
      'ldap://example.test/DC=ForestDnsZones,DC=example,DC=test',
    ]);
  });

  it('resolves nested WorkSpaces group membership with LDAP_MATCHING_RULE_IN_CHAIN', async () => {
    const admin = await adminClient();
    const direct = await usersUnder(admin, STAFF, `(memberOf=${WORKSPACES_USERS})`);
    const chained = await usersUnder(admin, STAFF, `(&(objectClass=user)(memberOf:${IN_CHAIN}:=${WORKSPACES_USERS}))`);
    expect(direct).not.toContain('carol');
    expect(chained).toEqual(seededNames().filter((name) => name !== 'outsider'));
    expect(await usersUnder(admin, 'CN=Users,DC=example,DC=test', `(memberOf:${IN_CHAIN}:=${WORKSPACES_USERS})`)).toEqual([
      'Linux Contractors',
      'WorkSpaces Linux',
    ]);
  });

  it('holds a CN with * ( ) \\ that only an escaped filter matches exactly', async () => {
    const admin = await adminClient();
    expect(await usersUnder(admin, STAFF, '(cn=Star\\2aParen\\28x\\29Back\\5cslash)')).toEqual(['paren(x)']);
    expect(await usersUnder(admin, STAFF, '(cn=Star*)')).toEqual(['paren(x)', 'stardecoy']);
    const { searchEntries } = await admin.search(STAFF, { filter: '(sAMAccountName=paren\\28x\\29)', attributes: ['cn', 'displayName'] });
    // Samba escapes the backslash in a DN as \\ (RFC 4514 also allows \5C).
    expect(searchEntries[0]).toMatchObject({
      dn: 'CN=Star*Paren(x)Back\\\\slash,OU=Staff,DC=example,DC=test',
      cn: 'Star*Paren(x)Back\\slash',
      displayName: 'Star * (Paren) \\ Back',
    });
  });

  it('answers DNS for the domain on dnsServer', async () => {
    const resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([samba().dnsServer]);
    expect(await resolver.resolve4('dc1.example.test')).toEqual(['127.0.0.1']);
    expect(await resolver.resolve4('example.test')).toEqual(['127.0.0.1']);
    expect(await resolver.resolveSrv('_ldap._tcp.example.test')).toEqual([{ name: 'dc1.example.test', port: 389, priority: 0, weight: 100 }]);
  });

  it('can be stopped and started again within a test, keeping its data', async () => {
    const dc = samba();
    await dc.stop();
    expect(await portRefuses(389)).toBe('ECONNREFUSED');
    expect(await portRefuses(636)).toBe('ECONNREFUSED');
    await expect(client(dc.url).bind(dc.adminUpn, dc.password)).rejects.toThrow();
    await dc.start();
    const admin = await adminClient();
    expect(await usersUnder(admin, STAFF, '(sAMAccountName=alice)')).toEqual(['alice']);
  });
});
