// The connection layer against the harness's Samba DC: binds over each transport, TLS verification, AD-style bind
// errors, rootDSE discovery and ranged reads of a group larger than AD's MaxValRange.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Control } from 'ldapts';
import { DEFAULT_RANGE_STEP, LdapConnection } from '../../src/ldap/client.js';
import { parseLdapUrl, type ConnectOptions } from '../../src/ldap/connect-options.js';
import { LdapScanError } from '../../src/ldap/errors.js';
import { WireFilter, buildUserFilter } from '../../src/ldap/filter.js';
import { describeSamba, samba } from '../helpers/samba.js';

/** Seeded user with a password and userAccountControl 514 (see test/fixtures/ldap/users.ldif). */
const DISABLED_USER = 'CN=Disabled Dash,OU=Staff,DC=example,DC=test';
const TREE_DELETE = '1.2.840.113556.1.4.805';

async function opened(options: ConnectOptions): Promise<LdapConnection> {
  return LdapConnection.open({ retries: 0, connectTimeoutMs: 5000, timeoutMs: 10_000, ...options });
}

async function openFailure(options: ConnectOptions): Promise<LdapScanError> {
  const error = await opened(options).then(
    async (connection) => {
      await connection.close();
      return undefined;
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LdapScanError);
  return error as LdapScanError;
}

/** Binds, reads the rootDSE, closes: proves the connection really works. */
async function namingContextVia(options: ConnectOptions): Promise<string | undefined> {
  const connection = await opened(options);
  try {
    return (await connection.rootDse()).defaultNamingContext;
  } finally {
    await connection.close();
  }
}

describeSamba('LdapConnection against Samba', () => {
  describe('binds', () => {
    it('over ldap:// with allowPlaintext, as UPN, down-level name and DN', async () => {
      const dc = samba();
      for (const bindDn of [dc.adminUpn, dc.adminNetbios, dc.adminDn]) {
        expect(await namingContextVia({ urls: [dc.url], bindDn, password: dc.password, allowPlaintext: true }), bindDn).toBe(dc.baseDn);
      }
    });

    it('refuses ldap:// without allowPlaintext before connecting', async () => {
      const dc = samba();
      const error = await openFailure({ urls: [dc.url], bindDn: dc.adminUpn, password: dc.password });
      expect(error.kind).toBe('plaintext-refused');
      expect(error.message).toContain('would cross the network in clear text');
    });

    it('over ldaps:// with the CA', async () => {
      const dc = samba();
      expect(await namingContextVia({ urls: [dc.ldapsUrl], caFile: dc.caFile, bindDn: dc.adminUpn, password: dc.password })).toBe(dc.baseDn);
    });

    it('over StartTLS with the CA', async () => {
      const dc = samba();
      expect(await namingContextVia({ urls: [dc.url], startTls: true, caFile: dc.caFile, bindDn: dc.adminUpn, password: dc.password })).toBe(dc.baseDn);
    });

    it('tries the URLs in order: a dead one first, then the DC', async () => {
      const dc = samba();
      const fallbacks: string[] = [];
      const connection = await LdapConnection.open(
        { urls: ['ldaps://127.0.0.1:1', dc.ldapsUrl], caFile: dc.caFile, bindDn: dc.adminUpn, password: dc.password, retries: 0 },
        { onFallback: ({ url }) => fallbacks.push(url) },
      );
      try {
        expect(fallbacks).toEqual(['ldaps://127.0.0.1:1']);
        expect(connection.endpoint.url).toBe(parseLdapUrl(dc.ldapsUrl).url);
      } finally {
        await connection.close();
      }
    });
  });

  describe('TLS verification', () => {
    it('ldaps:// against the wrong CA fails with a certificate message naming the issuer', async () => {
      const dc = samba();
      const error = await openFailure({ urls: [dc.ldapsUrl], caFile: dc.wrongCaFile, bindDn: dc.adminUpn, password: dc.password });
      expect(error.kind).toBe('tls');
      expect(error.message).toMatch(/\(connect\): TLS certificate verification failed: the server certificate is signed by an unknown CA \(issuer "[^"]+"\) \[[A-Z_]+\]; give the CA/);
    });

    it('StartTLS against the wrong CA fails the same way', async () => {
      const dc = samba();
      const error = await openFailure({ urls: [dc.url], startTls: true, caFile: dc.wrongCaFile, bindDn: dc.adminUpn, password: dc.password });
      expect(error.kind).toBe('tls');
      expect(error.message).toMatch(/\(starttls\): TLS certificate verification failed: the server certificate is signed by an unknown CA/);
    });

    it('insecureSkipVerify accepts the certificate', async () => {
      const dc = samba();
      expect(await namingContextVia({ urls: [dc.ldapsUrl], insecureSkipVerify: true, bindDn: dc.adminUpn, password: dc.password })).toBe(dc.baseDn);
    });

    it('a name the certificate does not have is a hostname mismatch listing its names', async () => {
      const dc = samba();
      const error = await openFailure({ urls: [dc.ldapsUrl], caFile: dc.caFile, tlsServerName: 'not-the-dc.example.test', bindDn: dc.adminUpn, password: dc.password });
      expect(error.kind).toBe('tls');
      expect(error.message).toMatch(/hostname mismatch: the certificate does not cover "not-the-dc\.example\.test"; it is for .*(IP Address:127\.0\.0\.1|DNS:)/);
    });

    it('ldaps:// to the plain LDAP port points at the plain-LDAP mix-up', async () => {
      const dc = samba();
      const port = new URL(dc.url).port || '389';
      const error = await openFailure({ urls: [`ldaps://127.0.0.1:${port}`], caFile: dc.caFile, bindDn: dc.adminUpn, password: dc.password, retries: 0 });
      expect(error.kind).toBe('tls');
      // Samba resets the connection when a TLS ClientHello arrives on its plain LDAP port.
      expect(error.message).toBe(
        `ldaps://127.0.0.1:${port} (connect): 127.0.0.1:${port} closed the connection during the TLS handshake (ECONNRESET); if that port serves plain LDAP, use ldap:// with --starttls, or ldaps:// on port 636`,
      );
    });
  });

  describe('bind errors', () => {
    it('a wrong password gives the 52e message and is not retried', async () => {
      const dc = samba();
      const retried: number[] = [];
      const error = await LdapConnection.open(
        { urls: [dc.url], bindDn: dc.adminUpn, password: 'definitely-wrong', allowPlaintext: true, retries: 3, retryDelayMs: 10 },
        { onRetry: ({ attempt }) => retried.push(attempt) },
      ).then(
        () => undefined,
        (caught: unknown) => caught as LdapScanError,
      );
      expect(retried).toEqual([]);
      expect(error?.kind).toBe('invalid-credentials');
      expect(error?.message).toBe(
        `ldap://127.0.0.1:389 (bind): bind as "${dc.adminUpn}" failed: wrong password, or no such account (LDAP result 49, AD data 52e); check the password (GPAUDIT_LDAP_PASSWORD, --password-file or the prompt) and the bind name`,
      );
    });

    it('a wrong password does not try the next URL either', async () => {
      const dc = samba();
      const fallbacks: string[] = [];
      const error = await LdapConnection.open(
        { urls: [dc.url, 'ldap://127.0.0.2:1'], bindDn: dc.adminUpn, password: 'definitely-wrong', allowPlaintext: true, retries: 0 },
        { onFallback: ({ url }) => fallbacks.push(url) },
      ).catch((caught: unknown) => caught as LdapScanError);
      expect(fallbacks).toEqual([]);
      expect((error as LdapScanError).kind).toBe('invalid-credentials');
    });

    it('a disabled account gives the AD data code Samba sends, spelled out', async () => {
      const dc = samba();
      const error = await openFailure({ urls: [dc.url], bindDn: DISABLED_USER, password: dc.seedPassword, allowPlaintext: true });
      expect(error.kind).toBe('invalid-credentials');
      expect(error.message).toMatch(/\(LDAP result 49(, AD data [0-9a-f]+)?\)/);
      expect(error.message).toContain('the account is disabled (LDAP result 49, AD data 533)');
    });

    it('a base DN that does not exist names the DN', async () => {
      const dc = samba();
      const connection = await opened({ urls: [dc.url], bindDn: dc.adminUpn, password: dc.password, allowPlaintext: true, baseDn: 'OU=Nowhere,DC=example,DC=test' });
      try {
        const pages = connection.searchPages({ baseDn: await connection.baseDn(), filter: new WireFilter(buildUserFilter().node), attributes: ['cn'] });
        const error = await pages.next().catch((caught: unknown) => caught as LdapScanError);
        expect((error as LdapScanError).kind).toBe('no-such-object');
        expect((error as LdapScanError).message).toContain('the base DN "OU=Nowhere,DC=example,DC=test" does not exist (LDAP result 32, no such object); check --base-dn');
      } finally {
        await connection.close();
      }
    });
  });

  it('discovers defaultNamingContext from the rootDSE', async () => {
    const dc = samba();
    const connection = await opened({ urls: [dc.url], bindDn: dc.adminUpn, password: dc.password, allowPlaintext: true });
    try {
      const root = await connection.rootDse();
      expect(root.defaultNamingContext).toBe(dc.baseDn);
      expect(root.namingContexts).toContain(dc.baseDn);
      expect(root.supportedControl).toContain('1.2.840.113556.1.4.319');
      expect(await connection.baseDn()).toBe(dc.baseDn);
    } finally {
      await connection.close();
    }
  });

  describe('range retrieval', () => {
    // More members than AD's default MaxValRange (1500). Samba has no server-side cap: it slices only when the
    // request names a range, which is exactly what readAllValues sends, so the slicing below is real.
    const MEMBERS = 1600;
    const ou = 'OU=gpaudit-range,DC=example,DC=test';
    const group = `CN=Big Range Group,${ou}`;
    const memberDn = (i: number): string => `CN=range-contact-${String(i).padStart(4, '0')},${ou}`;
    let admin: Client;

    beforeAll(async () => {
      const dc = samba();
      admin = new Client({ url: dc.url, timeout: 30_000 });
      await admin.bind(dc.adminUpn, dc.password);
      await admin.del(ou, new Control(TREE_DELETE, { critical: true })).catch(() => undefined);
      await admin.add(ou, { objectClass: ['top', 'organizationalUnit'], ou: 'gpaudit-range' });
      for (let start = 0; start < MEMBERS; start += 100) {
        const batch = Array.from({ length: Math.min(100, MEMBERS - start) }, (_, k) => start + k);
        await Promise.all(batch.map((i) => admin.add(memberDn(i), { objectClass: ['top', 'person', 'organizationalPerson', 'contact'], cn: `range-contact-${String(i).padStart(4, '0')}` })));
      }
      await admin.add(group, {
        objectClass: ['top', 'group'],
        sAMAccountName: 'big-range-group',
        member: Array.from({ length: MEMBERS }, (_, i) => memberDn(i)),
      });
    });

    afterAll(async () => {
      await admin?.del(ou, new Control(TREE_DELETE, { critical: true })).catch(() => undefined);
      await admin?.unbind();
    });

    it('reads every member in AD-sized slices (0-1499, then 1500-*)', async () => {
      const dc = samba();
      const connection = await opened({ urls: [dc.url], bindDn: dc.adminUpn, password: dc.password, allowPlaintext: true });
      try {
        expect(DEFAULT_RANGE_STEP).toBe(1500);
        const members = await connection.readAllValues(group, 'member');
        expect(members).toHaveLength(MEMBERS);
        expect(new Set(members.map((dn) => dn.toLowerCase()))).toEqual(new Set(Array.from({ length: MEMBERS }, (_, i) => memberDn(i).toLowerCase())));
      } finally {
        await connection.close();
      }
    });

    it('a plain read of the same group confirms Samba returns everything unsliced when not asked', async () => {
      const dc = samba();
      const result = await admin.search(group, { scope: 'base', attributes: ['member'] });
      const entry = result.searchEntries[0];
      expect(Object.keys(entry ?? {}).filter((key) => key.toLowerCase().startsWith('member'))).toEqual(['member']);
      expect((entry?.['member'] as string[]).length).toBe(MEMBERS);
      expect(dc.baseDn).toBe('DC=example,DC=test');
    });

    it('smaller slices give the same members, in the same order', async () => {
      const dc = samba();
      const connection = await opened({ urls: [dc.url], bindDn: dc.adminUpn, password: dc.password, allowPlaintext: true });
      try {
        const whole = await connection.readAllValues(group, 'member');
        expect(await connection.readAllValues(group, 'member', { step: 333 })).toEqual(whole);
        expect(await connection.readAllValues(group, 'member', { step: MEMBERS })).toEqual(whole);
        expect(await connection.readAllValues(group, 'member', { start: 1590, step: 4 })).toEqual(whole.slice(1590));
        expect(await connection.readAllValues(group, 'description')).toEqual([]);
      } finally {
        await connection.close();
      }
    });
  });
});
