import { describe, expect, it } from 'vitest';
import type { Entry } from 'ldapts';
import { findRangeSlice, valueToString, type LdapConnection } from '../../src/ldap/client.js';
import { LdapScanError } from '../../src/ldap/errors.js';
import { checkScanOptions, plainUser, scanUsers, toDirectoryUser } from '../../src/ldap/scan.js';
import { USER_ATTRIBUTES } from '../../src/ldap/types.js';

/** Stands in for the connection: records range reads and answers them from a fixed list. */
function rangeReader(all: string[]): { connection: LdapConnection; calls: { dn: string; attribute: string; start?: number; step?: number }[] } {
  const calls: { dn: string; attribute: string; start?: number; step?: number }[] = [];
  const connection = {
    readAllValues: async (dn: string, attribute: string, options: { start?: number; step?: number } = {}) => {
      calls.push({ dn, attribute, ...options });
      return all.slice(options.start ?? 0);
    },
  } as unknown as LdapConnection;
  return { connection, calls };
}

describe('toDirectoryUser', () => {
  const sid = Buffer.from('010500000000000515000000', 'hex');

  it('lower-cases names, makes every value a string array and lists missing attributes as empty', async () => {
    const entry: Entry = { dn: 'CN=Alice,OU=Staff,DC=example,DC=test', sAMAccountName: 'alice', mail: 'alice@example.test', memberOf: ['CN=A,DC=x', 'CN=B,DC=x'], userAccountControl: '512' };
    const user = await toDirectoryUser(entry, ['sAMAccountName', 'mail', 'loginShell', 'memberOf', 'userAccountControl']);
    expect(user).toEqual({
      dn: 'CN=Alice,OU=Staff,DC=example,DC=test',
      sAMAccountName: 'alice',
      attributes: {
        samaccountname: ['alice'],
        mail: ['alice@example.test'],
        loginshell: [],
        memberof: ['CN=A,DC=x', 'CN=B,DC=x'],
        useraccountcontrol: ['512'],
      },
    });
  });

  it('turns binary attributes into hex', async () => {
    const user = await toDirectoryUser({ dn: 'CN=B,DC=x', sAMAccountName: 'b', objectSid: sid, objectGUID: [Buffer.from([0xde, 0xad])] }, ['sAMAccountName', 'objectSid', 'objectGUID']);
    expect(user.attributes['objectsid']).toEqual(['010500000000000515000000']);
    expect(user.attributes['objectguid']).toEqual(['dead']);
    expect(valueToString(Buffer.from('é'), false)).toBe('é');
  });

  it('omits sAMAccountName when the entry has none', async () => {
    const user = await toDirectoryUser({ dn: 'CN=C,DC=x', mail: [] }, ['sAMAccountName', 'mail']);
    expect(user).toEqual({ dn: 'CN=C,DC=x', attributes: { samaccountname: [], mail: [] } });
  });

  it('completes a ranged attribute from where the server stopped, in slices of the size it chose', async () => {
    const all = Array.from({ length: 3200 }, (_, i) => `CN=m${i},DC=x`);
    const { connection, calls } = rangeReader(all);
    const entry: Entry = { dn: 'CN=G,DC=x', 'member;range=0-1499': all.slice(0, 1500), member: [] };
    const user = await toDirectoryUser(entry, ['sAMAccountName', 'member'], connection);
    expect(user.attributes['member']).toEqual(all);
    expect(calls).toEqual([{ dn: 'CN=G,DC=x', attribute: 'member', start: 1500, step: 1500 }]);
  });

  it('uses an explicit range step when given, and takes a final slice as is', async () => {
    const { connection, calls } = rangeReader(['a', 'b', 'c', 'd', 'e']);
    const ranged = await toDirectoryUser({ dn: 'CN=U,DC=x', 'memberOf;range=0-1': ['a', 'b'] }, ['memberOf;range=0-1'], connection, 2);
    expect(ranged.attributes).toEqual({ memberof: ['a', 'b', 'c', 'd', 'e'] });
    expect(calls).toEqual([{ dn: 'CN=U,DC=x', attribute: 'memberOf', start: 2, step: 2 }]);
    const final = await toDirectoryUser({ dn: 'CN=U,DC=x', 'memberOf;range=0-*': ['a'], 'memberOf;range=0-1': [] }, ['memberOf;range=0-1'], connection);
    expect(final.attributes['memberof']).toEqual(['a']);
    expect(calls).toHaveLength(1);
  });

  it('refuses a partial attribute it cannot complete', async () => {
    await expect(toDirectoryUser({ dn: 'CN=G,DC=x', 'member;range=0-1': ['a', 'b'] }, ['member'])).rejects.toThrow(LdapScanError);
  });
});

describe('plainUser', () => {
  // The scan's fast path: it must give what toDirectoryUser gives for every entry without ranged values.
  const entries: Entry[] = [
    { dn: 'CN=Alice,OU=Staff,DC=example,DC=test', sAMAccountName: 'alice', mail: 'alice@example.test', memberOf: ['CN=A,DC=x', 'CN=B,DC=x'], userAccountControl: '512' },
    { dn: 'CN=B,DC=x', SAMACCOUNTNAME: 'b', objectSid: Buffer.from('010500000000000515000000', 'hex'), objectGUID: [Buffer.from([0xde, 0xad])], 'userCertificate;binary': [Buffer.from([1, 2])] },
    { dn: 'CN=C,DC=x', mail: [], displayName: Buffer.from('Zoë') },
    { dn: 'CN=D,DC=x', sAMAccountName: [], loginShell: ['/bin/zsh'] },
  ];
  const requested = ['sAMAccountName', 'mail', 'loginShell', 'memberOf', 'userAccountControl', 'objectSid', 'objectGUID', 'displayName'];

  it('gives what toDirectoryUser gives for entries without ranged values, however often a name comes back', async () => {
    for (let round = 0; round < 2; round++) {
      for (const entry of entries) expect(plainUser(entry, requested)).toEqual(await toDirectoryUser(entry, requested));
    }
  });

  it('leaves entries with ranged values to toDirectoryUser', () => {
    expect(plainUser({ dn: 'CN=G,DC=x', 'member;range=0-1499': ['a'], member: [] }, ['member'])).toBeUndefined();
    expect(plainUser({ dn: 'CN=G,DC=x', 'Member;Range=0-*': ['a'] }, ['member'])).toBeUndefined();
  });
});

describe('findRangeSlice', () => {
  it('finds the ranged key case-insensitively and reads its bounds', () => {
    expect(findRangeSlice({ dn: 'x', 'Member;Range=0-1499': ['a'] }, 'member')).toEqual({ low: 0, high: 1499, values: ['a'] });
    expect(findRangeSlice({ dn: 'x', 'member;range=1500-*': ['b', 'c'] }, 'MEMBER')).toEqual({ low: 1500, high: undefined, values: ['b', 'c'] });
    expect(findRangeSlice({ dn: 'x', 'member;range=1500-*': [] }, 'member')).toEqual({ low: 1500, high: undefined, values: [] });
  });

  it('skips the empty placeholder ldapts adds for the requested name and non-range keys', () => {
    expect(findRangeSlice({ dn: 'x', 'member;range=0-4': [], member: ['a'] }, 'member')).toBeUndefined();
    expect(findRangeSlice({ dn: 'x', 'member;range=abc': ['a'] }, 'member')).toBeUndefined();
  });
});

describe('checkScanOptions', () => {
  it('returns the filter that would be sent, without connecting', () => {
    expect(checkScanOptions({ includeDisabled: true, filter: '(l=Paris)' }).text).toBe('(&(objectCategory=person)(objectClass=user)(l=Paris))');
  });

  it('refuses bad attributes, page sizes and range steps as usage errors', () => {
    expect(() => checkScanOptions({ attributes: ['mail', 'login shell'] })).toThrow('"login shell" is not an LDAP attribute name');
    expect(() => checkScanOptions({ pageSize: 0 })).toThrow('--page-size must be a whole number from 1 to 100000; got 0');
    expect(() => checkScanOptions({ rangeStep: 0 })).toThrow('range step must be a positive whole number; got 0');
    expect(() => checkScanOptions({ filter: '(' })).toThrow('is not a valid LDAP filter');
    expect(USER_ATTRIBUTES).toContain('sAMAccountName');
  });
});

describe('scanUsers streaming', () => {
  /** A connection whose pages are produced on demand, recording how far the producer got. */
  function pagedConnection(pageCount: number, pageSize: number): { connection: LdapConnection; produced: () => number } {
    let produced = 0;
    const connection = {
      endpoint: { url: 'ldap://fake:389', host: 'fake', port: 389, secure: false },
      baseDn: async () => 'DC=fake',
      searchPages: async function* () {
        for (let page = 0; page < pageCount; page++) {
          produced++;
          const entries = Array.from({ length: pageSize }, (_, i) => ({ dn: `CN=u${page}-${i},DC=fake`, sAMAccountName: `u${page}-${i}` }));
          yield { entries, references: page === 0 ? ['ldap://fake/CN=Configuration,DC=fake', 'ldap://fake/CN=Configuration,DC=fake'] : [] };
        }
      },
    } as unknown as LdapConnection;
    return { connection, produced: () => produced };
  }

  it('asks for the next page only after the consumer took every user of the current one', async () => {
    const { connection, produced } = pagedConnection(1000, 50);
    const run = scanUsers(connection, {});
    for (let i = 0; i < 50; i++) await run.next();
    expect(produced()).toBe(1);
    await run.next();
    expect(produced()).toBe(2);
    await run.return(undefined as never);
  });

  it('reports progress per page and de-duplicates references', async () => {
    const { connection } = pagedConnection(3, 2);
    const progress: number[] = [];
    const references: string[] = [];
    const run = scanUsers(connection, { onProgress: ({ scanned }) => void progress.push(scanned), onReference: (url) => references.push(url) });
    let next = await run.next();
    const users: string[] = [];
    while (!next.done) {
      users.push(next.value.sAMAccountName ?? '');
      next = await run.next();
    }
    expect(users).toEqual(['u0-0', 'u0-1', 'u1-0', 'u1-1', 'u2-0', 'u2-1']);
    expect(progress).toEqual([2, 4, 6]);
    expect(references).toEqual(['ldap://fake/CN=Configuration,DC=fake']);
    expect(next.value).toMatchObject({ source: { server: 'ldap://fake:389', baseDn: 'DC=fake' }, scanned: 6, pages: 3, references: ['ldap://fake/CN=Configuration,DC=fake'], referencesOmitted: 0 });
  });
});
