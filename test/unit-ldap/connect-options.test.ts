import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LdapConnection } from '../../src/ldap/client.js';
import {
  CONNECT_DEFAULTS,
  classifyBindName,
  parseLdapUrl,
  readCaFile,
  resolveConnectOptions,
  securityWarnings,
  type ConnectOptions,
} from '../../src/ldap/connect-options.js';
import { LdapScanError } from '../../src/ldap/errors.js';

const base: ConnectOptions = { urls: ['ldaps://dc1.example.test'], bindDn: 'svc-gpaudit@example.test', password: 'pw' };

function failure(action: () => unknown): LdapScanError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(LdapScanError);
    return error as LdapScanError;
  }
  throw new Error('expected an LdapScanError');
}

describe('resolveConnectOptions', () => {
  it('fills the documented defaults', () => {
    expect(resolveConnectOptions(base)).toEqual({
      endpoints: [{ url: 'ldaps://dc1.example.test:636', host: 'dc1.example.test', port: 636, secure: true }],
      startTls: false,
      insecureSkipVerify: false,
      bindDn: 'svc-gpaudit@example.test',
      bindForm: 'upn',
      password: 'pw',
      connectTimeoutMs: 10_000,
      timeoutMs: 60_000,
      retries: 2,
      retryDelayMs: 500,
      pageSize: 1000,
      allowPlaintext: false,
    });
    expect(CONNECT_DEFAULTS.pageSize).toBe(1000);
  });

  it('keeps the URLs in order with explicit ports', () => {
    const resolved = resolveConnectOptions({ ...base, urls: ['ldap://dc2.example.test:3389', 'ldap://[::1]', 'LDAP://DC3/'], startTls: true });
    expect(resolved.endpoints).toEqual([
      { url: 'ldap://dc2.example.test:3389', host: 'dc2.example.test', port: 3389, secure: false },
      { url: 'ldap://[::1]:389', host: '::1', port: 389, secure: false },
      { url: 'ldap://dc3:389', host: 'dc3', port: 389, secure: false },
    ]);
  });

  it('accepts a DN, a UPN and a down-level name', () => {
    expect(resolveConnectOptions({ ...base, bindDn: 'CN=svc gpaudit,OU=Service,DC=example,DC=test' }).bindForm).toBe('dn');
    expect(resolveConnectOptions({ ...base, bindDn: 'svc@example.test' }).bindForm).toBe('upn');
    expect(resolveConnectOptions({ ...base, bindDn: 'EXAMPLE\\svc-gpaudit' }).bindForm).toBe('netbios');
    expect(classifyBindName('  cn=admin,dc=x  ')).toBe('dn');
    expect(classifyBindName('2.5.4.3=admin,dc=x')).toBe('dn');
    expect(classifyBindName('Administrator@EXAMPLE')).toBe('upn');
    expect(classifyBindName('EX-AMPLE\\José Müller')).toBe('netbios');
  });

  it('refuses a bare, empty or malformed bind name', () => {
    expect(failure(() => classifyBindName('Administrator')).message).toBe(
      'bind name "Administrator" is not a DN (CN=...,DC=...), a UPN (user@domain) or a down-level name (DOMAIN\\user); a bare account name is ambiguous',
    );
    expect(failure(() => classifyBindName('')).message).toContain('no bind name');
    expect(failure(() => classifyBindName('A\\B\\C')).kind).toBe('usage');
    expect(failure(() => classifyBindName('THISDOMAINISTOOLONG\\user')).kind).toBe('usage');
    expect(failure(() => classifyBindName('a@b@c')).kind).toBe('usage');
  });

  it('refuses a plaintext simple bind before anything is sent', () => {
    const error = failure(() => resolveConnectOptions({ ...base, urls: ['ldap://dc1.example.test'] }));
    expect(error.kind).toBe('plaintext-refused');
    expect(error.message).toBe(
      'refusing to bind to ldap://dc1.example.test:389 without TLS: the password for svc-gpaudit@example.test would cross the network in clear text. ' +
        'Use ldaps://dc1.example.test:636, or add --starttls; pass --allow-plaintext only on a network you trust (e.g. a test DC on loopback)',
    );
  });

  it('refuses plaintext if any one of several URLs is plain', () => {
    const error = failure(() => resolveConnectOptions({ ...base, urls: ['ldaps://dc1.example.test', 'ldap://dc2.example.test'] }));
    expect(error.kind).toBe('plaintext-refused');
    expect(error.message).toContain('ldap://dc2.example.test:389');
  });

  it('allows plain ldap:// with StartTLS or allowPlaintext', () => {
    expect(resolveConnectOptions({ ...base, urls: ['ldap://dc1'], startTls: true }).startTls).toBe(true);
    expect(resolveConnectOptions({ ...base, urls: ['ldap://dc1'], allowPlaintext: true }).allowPlaintext).toBe(true);
  });

  it('does not open a socket when plaintext is refused', async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const error = await LdapConnection.open({ ...base, urls: [`ldap://127.0.0.1:${port}`] }).catch((caught: unknown) => caught);
      expect((error as LdapScanError).kind).toBe('plaintext-refused');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it('refuses an empty password (it would make an anonymous bind)', () => {
    const error = failure(() => resolveConnectOptions({ ...base, password: '' }));
    expect(error.kind).toBe('password');
    expect(error.message).toContain('anonymous bind (RFC 4513 §5.1.2)');
  });

  it('refuses contradictory TLS options', () => {
    expect(failure(() => resolveConnectOptions({ ...base, startTls: true })).message).toBe(
      '--starttls cannot be used with ldaps://dc1.example.test:636: ldaps:// is already encrypted; use ldap:// with --starttls, or ldaps:// alone',
    );
    expect(failure(() => resolveConnectOptions({ ...base, caFile: 'ca.pem', insecureSkipVerify: true })).message).toContain('contradict each other');
  });

  it('checks numbers', () => {
    expect(failure(() => resolveConnectOptions({ ...base, pageSize: 0 })).message).toBe('--page-size must be a whole number from 1 to 100000; got 0');
    expect(failure(() => resolveConnectOptions({ ...base, timeoutMs: 1.5 })).message).toBe('--timeout (ms) must be a whole number from 1 to 3600000; got 1.5');
    expect(failure(() => resolveConnectOptions({ ...base, retries: -1 })).kind).toBe('usage');
    expect(resolveConnectOptions({ ...base, retries: 0, pageSize: 7, connectTimeoutMs: 250 })).toMatchObject({ retries: 0, pageSize: 7, connectTimeoutMs: 250 });
  });

  it('checks the base DN', () => {
    expect(resolveConnectOptions({ ...base, baseDn: ' OU=Staff,DC=example,DC=test ' }).baseDn).toBe('OU=Staff,DC=example,DC=test');
    expect(failure(() => resolveConnectOptions({ ...base, baseDn: 'example.test' })).message).toBe(
      '--base-dn "example.test" is not a DN; write it like "OU=Staff,DC=example,DC=com"',
    );
  });

  it('requires at least one URL', () => {
    expect(failure(() => resolveConnectOptions({ ...base, urls: [] })).message).toBe('no server given: pass at least one ldap:// or ldaps:// URL');
  });
});

describe('securityWarnings', () => {
  it('warns about skipped verification and plaintext, and about nothing else', () => {
    expect(securityWarnings(resolveConnectOptions(base))).toEqual([]);
    expect(securityWarnings(resolveConnectOptions({ ...base, urls: ['ldap://dc1'], startTls: true, allowPlaintext: true }))).toEqual([]);
    expect(securityWarnings(resolveConnectOptions({ ...base, insecureSkipVerify: true }))).toEqual([
      'TLS certificate verification is OFF (--insecure-skip-verify): anything on the network path can pose as the DC and read the password',
    ]);
    expect(securityWarnings(resolveConnectOptions({ ...base, urls: ['ldaps://dc1', 'ldap://dc2'], allowPlaintext: true }))).toEqual([
      'the password will cross the network in clear text to ldap://dc2:389 (--allow-plaintext)',
    ]);
  });
});

describe('parseLdapUrl', () => {
  it('refuses other schemes, paths, queries and credentials', () => {
    expect(failure(() => parseLdapUrl('http://dc1')).message).toBe('"http://dc1" uses http://; only ldap:// (with --starttls) and ldaps:// are supported');
    expect(failure(() => parseLdapUrl('dc1.example.test')).message).toContain('is not a URL');
    expect(failure(() => parseLdapUrl('ldap://dc1/DC=example,DC=test')).message).toContain('has a path or query');
    expect(failure(() => parseLdapUrl('ldap://dc1?cn')).message).toContain('has a path or query');
    const secret = failure(() => parseLdapUrl('ldaps://admin:S3cret@dc1'));
    expect(secret.message).toBe('"ldaps://***@dc1" carries credentials; give them with --bind-dn and a password source, never in the URL');
    expect(secret.message).not.toContain('S3cret');
  });
});

describe('readCaFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpaudit-ca-'));

  it('reads a PEM bundle', () => {
    const path = join(dir, 'ca.pem');
    writeFileSync(path, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(readCaFile(path)).toContain('BEGIN CERTIFICATE');
  });

  it('names a missing file and a file without a certificate', () => {
    expect(failure(() => readCaFile(join(dir, 'none.pem'))).message).toBe(`cannot read --ca-file ${join(dir, 'none.pem')}: no such file`);
    const der = join(dir, 'ca.der');
    writeFileSync(der, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
    expect(failure(() => readCaFile(der)).message).toContain('holds no PEM certificate');
  });
});
