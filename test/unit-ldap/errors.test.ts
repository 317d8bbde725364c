import { describe, expect, it } from 'vitest';
import {
  AdminLimitExceededError,
  BusyError,
  ConfidentialityRequiredError,
  InsufficientAccessError,
  InvalidCredentialsError,
  NoSuchObjectError,
  OperationsError,
  SizeLimitExceededError,
  StrongAuthRequiredError,
  TimeLimitExceededError,
  UnwillingToPerformError,
} from 'ldapts';
import { AD_BIND_DATA_CODES, LdapScanError, toLdapScanError, type ErrorContext } from '../../src/ldap/errors.js';

const bind: ErrorContext = { url: 'ldaps://dc1.example.test:636', operation: 'bind', bindDn: 'svc@example.test' };
const search: ErrorContext = { url: 'ldaps://dc1.example.test:636', operation: 'search', baseDn: 'DC=example,DC=test', scanned: 2000, timeoutMs: 30000 };

// The diagnostic text AD (and Samba, which copies it) sends with result 49.
function adInvalidCredentials(data: string): InvalidCredentialsError {
  return new InvalidCredentialsError(`80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data ${data}, v1db1`);
}

function nodeError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('toLdapScanError: invalid credentials (49)', () => {
  const expected: Record<string, string> = {
    '52e': 'wrong password, or no such account (LDAP result 49, AD data 52e); check the password (GPAUDIT_LDAP_PASSWORD, --password-file or the prompt) and the bind name',
    '525': 'no such user (LDAP result 49, AD data 525); check the bind name: a DN, user@domain or DOMAIN\\user',
    '530': 'the account may not log on at this time (logon hours) (LDAP result 49, AD data 530); use an account without logon-hour restrictions',
    '531': 'the account may not log on from this workstation (userWorkstations) (LDAP result 49, AD data 531); use an account that may log on from any workstation',
    '532': 'the password has expired (LDAP result 49, AD data 532); set a new password for the account',
    '533': 'the account is disabled (LDAP result 49, AD data 533); enable the account or use another one',
    '701': 'the account has expired (accountExpires) (LDAP result 49, AD data 701); extend accountExpires or use another account',
    '773': 'the password must be changed before first use (pwdLastSet=0) (LDAP result 49, AD data 773); log on once interactively to set a password, or have it reset without "must change"',
    '775': 'the account is locked out (LDAP result 49, AD data 775); wait for the lockout to expire or have it unlocked; gpaudit does not retry binds, so it adds no failed attempts',
  };

  for (const [code, text] of Object.entries(expected)) {
    it(`spells out AD data ${code}`, () => {
      const error = toLdapScanError(adInvalidCredentials(code), bind);
      expect(error).toBeInstanceOf(LdapScanError);
      expect(error.kind).toBe('invalid-credentials');
      expect(error.retryable).toBe(false);
      expect(error.message).toBe(`ldaps://dc1.example.test:636 (bind): bind as "svc@example.test" failed: ${text}`);
      expect(error.message).not.toContain('\n');
    });
  }

  it('covers every code the brief lists', () => {
    expect(Object.keys(AD_BIND_DATA_CODES)).toEqual(expect.arrayContaining(['52e', '525', '530', '531', '532', '533', '701', '773', '775']));
  });

  it('handles a server that gives no data code, or an unknown one', () => {
    expect(toLdapScanError(new InvalidCredentialsError('invalid credentials'), bind).message).toBe(
      'ldaps://dc1.example.test:636 (bind): bind as "svc@example.test" failed: invalid credentials (LDAP result 49); check the bind name (a DN, user@domain or DOMAIN\\user) and the password; server said: invalid credentials',
    );
    expect(toLdapScanError(adInvalidCredentials('52f'), bind).message).toContain('invalid credentials (LDAP result 49, AD data 52f)');
    expect(toLdapScanError(new InvalidCredentialsError(), {}).message).toContain('LDAP: bind failed: invalid credentials (LDAP result 49)');
  });
});

describe('toLdapScanError: other result codes', () => {
  it('strong authentication required (8) suggests ldaps or StartTLS', () => {
    const error = toLdapScanError(new StrongAuthRequiredError('BindSimple: Transport encryption required.'), { ...bind, url: 'ldap://127.0.0.1:389' });
    expect(error.kind).toBe('strong-auth-required');
    expect(error.message).toBe(
      'ldap://127.0.0.1:389 (bind): the server requires an encrypted connection for a simple bind (LDAP result 8, strong authentication required); use ldaps://host:636 or add --starttls; server said: BindSimple: Transport encryption required.',
    );
    expect(toLdapScanError(new ConfidentialityRequiredError(''), bind).message).toContain('(LDAP result 13, confidentiality required); use ldaps://host:636 or add --starttls');
  });

  it('size, admin and time limits say how far the scan got and what to change', () => {
    expect(toLdapScanError(new SizeLimitExceededError(''), search)).toMatchObject({
      kind: 'size-limit',
      message:
        "ldaps://dc1.example.test:636 (search): the server stopped the search at its size limit (LDAP result 4) after 2000 entries; use a --page-size no larger than the server's MaxPageSize (1000 on AD) or narrow the scan with --base-dn, --filter or --member-of",
    });
    expect(toLdapScanError(new AdminLimitExceededError(''), search)).toMatchObject({ kind: 'size-limit' });
    expect(toLdapScanError(new TimeLimitExceededError(''), search)).toMatchObject({
      kind: 'time-limit',
      message:
        'ldaps://dc1.example.test:636 (search): the server stopped the search at its time limit (LDAP result 3) after 2000 entries; narrow the scan with --base-dn, --filter or --member-of, or use a smaller --page-size',
    });
  });

  it('no such object (32) names the base DN', () => {
    expect(toLdapScanError(new NoSuchObjectError('0000208D: NameErr: DSID-03100241, problem 2001 (NO_OBJECT)'), search).message).toBe(
      'ldaps://dc1.example.test:636 (search): the base DN "DC=example,DC=test" does not exist (LDAP result 32, no such object); check --base-dn; server said: 0000208D: NameErr: DSID-03100241, problem 2001 (NO_OBJECT)',
    );
  });

  it('insufficient access (50), busy (51, retryable), anonymous operations error (1), and the rest', () => {
    expect(toLdapScanError(new InsufficientAccessError(''), bind)).toMatchObject({ kind: 'insufficient-access', message: 'ldaps://dc1.example.test:636 (bind): "svc@example.test" may not read these entries (LDAP result 50, insufficient access rights)' });
    expect(toLdapScanError(new BusyError(''), bind)).toMatchObject({ kind: 'server', retryable: true });
    expect(toLdapScanError(new OperationsError('00002020: Operation unavailable without authentication'), search).message).toContain(
      'the server only answers authenticated clients (LDAP result 1); give --bind-dn and a password',
    );
    expect(toLdapScanError(new UnwillingToPerformError('nope'), search).message).toBe(
      'ldaps://dc1.example.test:636 (search): the server refused the search (LDAP result 53, unwilling to perform); server said: nope',
    );
  });
});

describe('toLdapScanError: transport', () => {
  const url = 'ldap://127.0.0.1:3899';

  it('refused connections name host and port and are retryable', () => {
    const refused = nodeError('connect ECONNREFUSED 127.0.0.1:3899', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 3899 });
    const error = toLdapScanError(refused, { url, operation: 'connect' });
    expect(error).toMatchObject({
      kind: 'unreachable',
      retryable: true,
      message: 'ldap://127.0.0.1:3899 (connect): connection refused by 127.0.0.1:3899 (nothing listens there, or a firewall rejects it); check the host and port',
    });
  });

  it('no route, OS timeout and DNS failures are unreachable and not retried', () => {
    expect(toLdapScanError(nodeError('connect EHOSTUNREACH 10.9.9.9:636', { code: 'EHOSTUNREACH', address: '10.9.9.9', port: 636 }), { url: 'ldaps://10.9.9.9', operation: 'connect' })).toMatchObject({
      kind: 'unreachable',
      retryable: false,
      message: 'ldaps://10.9.9.9 (connect): no route to 10.9.9.9:636 (EHOSTUNREACH); check the address and the network path to the domain controller',
    });
    expect(toLdapScanError(nodeError('connect ETIMEDOUT 10.9.9.9:636', { code: 'ETIMEDOUT', address: '10.9.9.9', port: 636 }), { url: 'ldaps://10.9.9.9' }).message).toBe(
      'ldaps://10.9.9.9: the TCP connection to 10.9.9.9:636 timed out (ETIMEDOUT); a firewall may be dropping packets to that port',
    );
    expect(toLdapScanError(nodeError('getaddrinfo ENOTFOUND dc9.example.test', { code: 'ENOTFOUND' }), { url: 'ldaps://dc9.example.test:636', operation: 'connect' }).message).toBe(
      "ldaps://dc9.example.test:636 (connect): the host name in ldaps://dc9.example.test:636 does not resolve (ENOTFOUND); check the name or use the DC's address",
    );
  });

  it("ldapts' own timeouts say timeout and the configured time", () => {
    expect(toLdapScanError(new Error('Connection timeout'), { url, operation: 'connect', connectTimeoutMs: 300 })).toMatchObject({
      kind: 'timeout',
      message: 'ldap://127.0.0.1:3899 (connect): timeout: no connection to 127.0.0.1:3899 within 300 ms (--connect-timeout); check the host, port and firewall',
    });
    expect(toLdapScanError(new Error('BindRequest: Operation timed out'), { url, operation: 'bind', timeoutMs: 400 })).toMatchObject({
      kind: 'timeout',
      message: 'ldap://127.0.0.1:3899 (bind): timeout: 127.0.0.1:3899 did not answer the bind within 400 ms (--timeout)',
    });
  });

  it('a StartTLS handshake that never completes names the combined limit', () => {
    expect(toLdapScanError(new Error('StartTLS handshake timed out'), { url, operation: 'starttls', connectTimeoutMs: 300, timeoutMs: 400 })).toMatchObject({
      kind: 'timeout',
      message: 'ldap://127.0.0.1:3899 (starttls): timeout: the TLS handshake with 127.0.0.1:3899 did not complete within 700 ms (--connect-timeout plus --timeout)',
    });
  });

  it('a dropped connection during a search is connection-lost and not retried', () => {
    const closed = new Error('Connection closed before message response was received. Message type: SearchRequest (0x63)');
    expect(toLdapScanError(closed, search)).toMatchObject({
      kind: 'connection-lost',
      retryable: false,
      message:
        'ldaps://dc1.example.test:636 (search): the connection to dc1.example.test:636 was lost during the search after 2000 entries; the server stopped or dropped the connection; run the scan again',
    });
    expect(toLdapScanError(new Error('Socket connection not established'), search).kind).toBe('connection-lost');
    expect(toLdapScanError(nodeError('read ECONNRESET', { code: 'ECONNRESET' }), search)).toMatchObject({ kind: 'connection-lost', retryable: true });
    expect(toLdapScanError(nodeError('read ECONNRESET', { code: 'ECONNRESET' }), { url, operation: 'bind' })).toMatchObject({ kind: 'unreachable', retryable: true });
    expect(toLdapScanError(nodeError('read ECONNRESET', { code: 'ECONNRESET' }), { url: 'ldaps://127.0.0.1:389', operation: 'connect' })).toMatchObject({
      kind: 'tls',
      retryable: true,
      message:
        'ldaps://127.0.0.1:389 (connect): 127.0.0.1:389 closed the connection during the TLS handshake (ECONNRESET); if that port serves plain LDAP, use ldap:// with --starttls, or ldaps:// on port 636',
    });
  });
});

describe('toLdapScanError: TLS', () => {
  const url = 'ldaps://127.0.0.1:636';

  it('unknown CA', () => {
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']) {
      const error = toLdapScanError(nodeError('unable to verify the first certificate', { code }), { url, operation: 'connect' });
      expect(error.kind).toBe('tls');
      expect(error.message).toBe(
        `ldaps://127.0.0.1:636 (connect): TLS certificate verification failed: the server certificate is signed by an unknown CA [${code}]; give the CA that signed the server certificate with --ca-file (or, for a test only, --insecure-skip-verify)`,
      );
    }
    const withIssuer = nodeError('x', { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', peerCertificate: { issuer: 'CN=Corp Root CA' } });
    expect(toLdapScanError(withIssuer, { url }).message).toContain('signed by an unknown CA (issuer "CN=Corp Root CA")');
  });

  it('hostname mismatch lists the names the certificate has', () => {
    const mismatch = nodeError("Hostname/IP does not match certificate's altnames: IP: 127.0.0.2 is not in the cert's list: 127.0.0.1", {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      host: '127.0.0.2',
      cert: { subjectaltname: 'IP Address:127.0.0.1, DNS:localhost, DNS:dc1.example.test', subject: { CN: 'dc1.example.test' } },
    });
    expect(toLdapScanError(mismatch, { url: 'ldaps://127.0.0.2:636', operation: 'connect' }).message).toBe(
      'ldaps://127.0.0.2:636 (connect): TLS certificate verification failed: hostname mismatch: the certificate does not cover "127.0.0.2"; it is for IP Address:127.0.0.1, DNS:localhost, DNS:dc1.example.test, CN=dc1.example.test; connect with one of those names (or reissue the certificate with a subjectAltName for "127.0.0.2")',
    );
  });

  it('expired and not yet valid', () => {
    const expired = nodeError('certificate has expired', { code: 'CERT_HAS_EXPIRED', peerCertificate: { validTo: 'Jan  2 00:00:00 2020 GMT' } });
    expect(toLdapScanError(expired, { url }).message).toBe(
      'ldaps://127.0.0.1:636: TLS certificate verification failed: the server certificate expired on Jan  2 00:00:00 2020 GMT [CERT_HAS_EXPIRED]; renew it on the domain controller',
    );
    expect(toLdapScanError(nodeError('certificate is not yet valid', { code: 'CERT_NOT_YET_VALID' }), { url }).message).toContain('is not valid yet [CERT_NOT_YET_VALID]; check the clocks');
  });

  it('a plaintext port behind ldaps://', () => {
    const wrongVersion = nodeError('C0E7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number', { code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
    expect(toLdapScanError(wrongVersion, { url: 'ldaps://127.0.0.1:389', operation: 'connect' }).message).toBe(
      'ldaps://127.0.0.1:389 (connect): 127.0.0.1:389 does not speak TLS there; use ldaps:// on port 636, or ldap:// on port 389 with --starttls',
    );
  });
});

describe('toLdapScanError: anything else', () => {
  it('passes an LdapScanError through and flattens unknown errors to one line', () => {
    const original = new LdapScanError('usage', 'x');
    expect(toLdapScanError(original)).toBe(original);
    expect(toLdapScanError(new Error('strange\n  multi-line\tproblem'), { url: 'ldap://a:389' }).message).toBe('ldap://a:389: strange multi-line problem');
    expect(toLdapScanError('a string', {}).message).toBe('LDAP: unexpected failure: a string');
  });
});
