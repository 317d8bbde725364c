// One-line, actionable messages for everything that can go wrong talking to a directory. The CLI prints `message`
// (never a stack) and branches on `kind`; the original error stays on `cause` for --verbose.
import { ResultCodeError } from 'ldapts';

export type LdapErrorKind =
  /** A bad option, filter or DN: the user must change the command line (exit 2). */
  | 'usage'
  /** No password could be read, or the password file is unsafe. */
  | 'password'
  /** A simple bind would send the password in clear and `allowPlaintext` is off. */
  | 'plaintext-refused'
  | 'invalid-credentials'
  /** The server wants TLS (or signing) before a simple bind: result 8 or 13. */
  | 'strong-auth-required'
  | 'insufficient-access'
  | 'no-such-object'
  | 'size-limit'
  | 'time-limit'
  /** Nothing answered at the TCP level: refused, no route, DNS failure, OS-level TCP timeout. */
  | 'unreachable'
  /** gpaudit's own connect or operation timeout expired. */
  | 'timeout'
  | 'tls'
  /** The connection dropped after it was established (server stopped, reset, idle close). */
  | 'connection-lost'
  /** The server went past one of gpaudit's own bounds (pages per search, message size, referrals): it is broken or hostile. */
  | 'limit'
  /** Any other refusal by the server (busy, unavailable, unwilling, operations error, protocol error). */
  | 'server';

export class LdapScanError extends Error {
  override name = 'LdapScanError';
  /** A fresh attempt may succeed (refused or reset connection, busy server); the client backs off and retries. */
  readonly retryable: boolean;

  constructor(
    readonly kind: LdapErrorKind,
    message: string,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? false;
  }
}

/** What the client was doing when an error happened; every field makes the message more precise. */
export interface ErrorContext {
  /** The URL being tried, e.g. ldaps://dc1.example.com:636. */
  url?: string;
  operation?: 'connect' | 'starttls' | 'bind' | 'rootdse' | 'search' | 'range';
  bindDn?: string;
  baseDn?: string;
  connectTimeoutMs?: number;
  timeoutMs?: number;
  /** Entries already read when a search failed. */
  scanned?: number;
}

/** AD's "data" codes in the diagnostic message of result 49 (invalid credentials). */
export const AD_BIND_DATA_CODES: Readonly<Record<string, string>> = {
  '52e': 'wrong password, or no such account',
  '525': 'no such user',
  '530': 'the account may not log on at this time (logon hours)',
  '531': 'the account may not log on from this workstation (userWorkstations)',
  '532': 'the password has expired',
  '533': 'the account is disabled',
  '568': 'the account is in too many groups (token size)',
  '701': 'the account has expired (accountExpires)',
  '773': 'the password must be changed before first use (pwdLastSet=0)',
  '775': 'the account is locked out',
};

const AD_BIND_ADVICE: Readonly<Record<string, string>> = {
  '52e': 'check the password (GPAUDIT_LDAP_PASSWORD, --password-file or the prompt) and the bind name',
  '525': 'check the bind name: a DN, user@domain or DOMAIN\\user',
  '530': 'use an account without logon-hour restrictions',
  '531': 'use an account that may log on from any workstation',
  '532': 'set a new password for the account',
  '533': 'enable the account or use another one',
  '568': 'use an account in fewer groups',
  '701': 'extend accountExpires or use another account',
  '773': 'log on once interactively to set a password, or have it reset without "must change"',
  '775': 'wait for the lockout to expire or have it unlocked; gpaudit does not retry binds, so it adds no failed attempts',
};

export function toLdapScanError(error: unknown, context: ErrorContext = {}): LdapScanError {
  if (error instanceof LdapScanError) return error;
  if (error instanceof ResultCodeError) return fromResultCode(error, context);
  if (error instanceof Error) return fromTransportError(error, context);
  return new LdapScanError('server', `${where(context)}: unexpected failure: ${oneLine(String(error))}`, { cause: error });
}

function fromResultCode(error: ResultCodeError, context: ErrorContext): LdapScanError {
  const said = serverText(error);
  const at = where(context);
  const cause = { cause: error };
  if (context.operation === 'starttls') {
    // AD answers 52 (unavailable) when it has no certificate; whatever the code, the bind is not attempted without TLS.
    return new LdapScanError(
      'tls',
      `${at}: the server refused StartTLS (LDAP result ${error.code}, ${describeResultName(error)}); gpaudit never falls back to plaintext, so no bind (and no password) was sent; use ldaps://host:636 or give the DC a certificate${said}`,
      cause,
    );
  }
  switch (error.code) {
    case 49:
      return invalidCredentials(error, context);
    case 8:
    case 13:
      return new LdapScanError(
        'strong-auth-required',
        `${at}: the server requires an encrypted connection for a simple bind (LDAP result ${error.code}, ${error.code === 8 ? 'strong authentication required' : 'confidentiality required'}); use ldaps://host:636 or add --starttls${said}`,
        cause,
      );
    case 4:
      return new LdapScanError(
        'size-limit',
        `${at}: the server stopped the search at its size limit (LDAP result 4)${afterEntries(context)}; use a --page-size no larger than the server's MaxPageSize (1000 on AD) or narrow the scan with --base-dn, --filter or --member-of${said}`,
        cause,
      );
    case 11:
      return new LdapScanError(
        'size-limit',
        `${at}: the server refused the search at an administrative limit (LDAP result 11)${afterEntries(context)}; use a smaller --page-size or narrow the scan with --base-dn, --filter or --member-of${said}`,
        cause,
      );
    case 3:
      return new LdapScanError(
        'time-limit',
        `${at}: the server stopped the search at its time limit (LDAP result 3)${afterEntries(context)}; narrow the scan with --base-dn, --filter or --member-of, or use a smaller --page-size${said}`,
        cause,
      );
    case 32:
      return new LdapScanError(
        'no-such-object',
        `${at}: ${context.baseDn ? `the base DN "${context.baseDn}" does not exist` : 'the entry does not exist'} (LDAP result 32, no such object); check --base-dn${said}`,
        cause,
      );
    case 34:
      return new LdapScanError('usage', `${at}: the server rejected a DN as malformed (LDAP result 34, invalid DN syntax); check --base-dn and --member-of${said}`, cause);
    case 50:
      return new LdapScanError(
        'insufficient-access',
        `${at}: ${context.bindDn ? `"${context.bindDn}"` : 'the bind account'} may not read these entries (LDAP result 50, insufficient access rights)${said}`,
        cause,
      );
    case 51:
    case 52:
      return new LdapScanError('server', `${at}: the server is ${error.code === 51 ? 'busy' : 'unavailable'} (LDAP result ${error.code}); try again later or another server${said}`, {
        cause: error,
        retryable: true,
      });
    case 1:
      if (/without authentication|successful bind must be completed/i.test(error.message)) {
        return new LdapScanError('server', `${at}: the server only answers authenticated clients (LDAP result 1); give --bind-dn and a password${said}`, cause);
      }
      return new LdapScanError('server', `${at}: the server reported an operations error (LDAP result 1)${said}`, cause);
    default:
      return new LdapScanError('server', `${at}: the server refused the ${context.operation ?? 'request'} (LDAP result ${error.code}, ${describeResultName(error)})${said}`, cause);
  }
}

function invalidCredentials(error: ResultCodeError, context: ErrorContext): LdapScanError {
  const who = context.bindDn ? `bind as "${context.bindDn}"` : 'bind';
  const code = /\bdata ([0-9a-f]{3,8})\b/i.exec(error.message)?.[1]?.toLowerCase();
  const meaning = code ? AD_BIND_DATA_CODES[code] : undefined;
  const advice = code ? AD_BIND_ADVICE[code] : undefined;
  if (code && meaning) {
    return new LdapScanError('invalid-credentials', `${where(context)}: ${who} failed: ${meaning} (LDAP result 49, AD data ${code}); ${advice}`, { cause: error });
  }
  const detail = code ? ` (LDAP result 49, AD data ${code})` : ' (LDAP result 49)';
  return new LdapScanError(
    'invalid-credentials',
    `${where(context)}: ${who} failed: invalid credentials${detail}; check the bind name (a DN, user@domain or DOMAIN\\user) and the password${serverText(error)}`,
    { cause: error },
  );
}

/** A bound of gpaudit's own that the server went past; see ConnectOptions.maxPages, maxMessageBytes, maxReferences. */
export type LimitExceeded =
  | { limit: 'pages'; maxPages: number }
  | { limit: 'message-size'; declaredBytes: number | undefined; maxBytes: number }
  | { limit: 'page-size'; maxBytes: number }
  | { limit: 'references'; maxReferences: number };

export function limitError(exceeded: LimitExceeded, context: ErrorContext = {}): LdapScanError {
  const at = where(context);
  const after = afterEntries(context);
  switch (exceeded.limit) {
    case 'pages':
      return new LdapScanError(
        'limit',
        `${at}: the server was still returning pages after ${exceeded.maxPages} (its paged-results cookie never ends)${after}; gpaudit stopped at the limit (--max-pages ${exceeded.maxPages}); the scan is incomplete`,
      );
    case 'message-size': {
      const size = exceeded.declaredBytes === undefined ? 'of undeclared or over 4 GiB length' : `of ${exceeded.declaredBytes} bytes`;
      return new LdapScanError(
        'limit',
        `${at}: the server sent an LDAP message ${size}, over the limit of ${exceeded.maxBytes} bytes (an entry with an attribute value of megabytes)${after}; gpaudit closed the connection instead of buffering it; the scan is incomplete`,
      );
    }
    case 'page-size':
      return new LdapScanError(
        'limit',
        `${at}: the server sent more than ${exceeded.maxBytes} bytes of entries in one page (more than --page-size asked for, or entries of megabytes)${after}; gpaudit closed the connection instead of buffering the page; the scan is incomplete`,
      );
    case 'references':
      return new LdapScanError(
        'limit',
        `${at}: the server sent more than ${exceeded.maxReferences} continuation references (referrals) in one page${after}; gpaudit reports referrals and never follows them, and stopped here: the server is misconfigured or hostile; the scan is incomplete`,
      );
  }
}

// Node's socket and TLS errors, and the plain Errors ldapts throws for timeouts and dropped connections.
function fromTransportError(error: Error & { code?: string }, context: ErrorContext): LdapScanError {
  const at = where(context);
  const endpoint = endpointOf(context, error);
  const code = error.code ?? '';
  const cause = { cause: error };
  switch (code) {
    case 'ECONNREFUSED':
      return new LdapScanError('unreachable', `${at}: connection refused by ${endpoint} (nothing listens there, or a firewall rejects it); check the host and port`, {
        cause: error,
        retryable: true,
      });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new LdapScanError('unreachable', `${at}: no route to ${endpoint} (${code}); check the address and the network path to the domain controller`, cause);
    case 'ETIMEDOUT':
      return new LdapScanError('unreachable', `${at}: the TCP connection to ${endpoint} timed out (ETIMEDOUT); a firewall may be dropping packets to that port`, cause);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new LdapScanError('unreachable', `${at}: the host name in ${context.url ?? endpoint} does not resolve (${code}); check the name or use the DC's address`, cause);
    case 'ECONNRESET':
    case 'EPIPE':
      if (context.operation === 'connect' && context.url?.startsWith('ldaps:')) {
        return new LdapScanError(
          'tls',
          `${at}: ${endpoint} closed the connection during the TLS handshake (${code}); if that port serves plain LDAP, use ldap:// with --starttls, or ldaps:// on port 636`,
          { cause: error, retryable: true },
        );
      }
      return new LdapScanError(
        context.operation === 'search' || context.operation === 'range' ? 'connection-lost' : 'unreachable',
        `${at}: ${endpoint} closed the connection (${code})${afterEntries(context)}${context.operation === 'starttls' ? '; the server may not support StartTLS here' : ''}`,
        { cause: error, retryable: true },
      );
  }
  const tls = fromTlsError(error, context);
  if (tls) return tls;
  if (error.message === 'Connection timeout') {
    return new LdapScanError(
      'timeout',
      `${at}: timeout: no connection to ${endpoint} within ${context.connectTimeoutMs ?? '?'} ms (--connect-timeout); check the host, port and firewall`,
      cause,
    );
  }
  if (error.message === 'StartTLS handshake timed out') {
    return new LdapScanError(
      'timeout',
      `${at}: timeout: the TLS handshake with ${endpoint} did not complete within ${(context.connectTimeoutMs ?? 0) + (context.timeoutMs ?? 0)} ms (--connect-timeout plus --timeout)`,
      cause,
    );
  }
  if (/Operation timed out/.test(error.message)) {
    return new LdapScanError(
      'timeout',
      `${at}: timeout: ${endpoint} did not answer the ${context.operation ?? 'request'} within ${context.timeoutMs ?? '?'} ms (--timeout)${afterEntries(context)}`,
      cause,
    );
  }
  if (/Connection closed before message response|Socket connection not established|Socket error/.test(error.message)) {
    return new LdapScanError(
      'connection-lost',
      `${at}: the connection to ${endpoint} was lost during the ${context.operation ?? 'request'}${afterEntries(context)}; the server stopped or dropped the connection; run the scan again`,
      { cause: error, retryable: context.operation !== 'search' && context.operation !== 'range' },
    );
  }
  return new LdapScanError('server', `${at}: ${oneLine(error.message)}`, cause);
}

const UNKNOWN_CA_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
]);

/** A certificate the client refused (as opposed to a handshake that failed for another reason). */
export function isCertificateVerificationError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (UNKNOWN_CA_CODES.has(code) || code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID');
}

/** Details of a refused certificate, attached to the TLS error by the client when it could read them (see client.ts). */
export interface PeerCertificateInfo {
  subject?: string;
  issuer?: string;
  names?: string[];
  validFrom?: string;
  validTo?: string;
}

function fromTlsError(error: Error & { code?: string; reason?: string; host?: string; cert?: { subjectaltname?: string; subject?: { CN?: string | string[] } } }, context: ErrorContext): LdapScanError | undefined {
  const code = error.code ?? '';
  const at = where(context);
  const peer = (error as { peerCertificate?: PeerCertificateInfo }).peerCertificate;
  const cause = { cause: error };
  const fix = 'give the CA that signed the server certificate with --ca-file (or, for a test only, --insecure-skip-verify)';
  if (UNKNOWN_CA_CODES.has(code)) {
    const issuer = peer?.issuer ? ` (issuer "${peer.issuer}")` : '';
    return new LdapScanError('tls', `${at}: TLS certificate verification failed: the server certificate is signed by an unknown CA${issuer} [${code}]; ${fix}`, cause);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = certificateNames(error.cert) ?? peer?.names ?? [];
    const host = error.host ?? hostOf(context.url) ?? '?';
    const listed = names.length ? `it is for ${names.join(', ')}` : 'it names no host';
    return new LdapScanError(
      'tls',
      `${at}: TLS certificate verification failed: hostname mismatch: the certificate does not cover "${host}"; ${listed}; connect with one of those names (or reissue the certificate with a subjectAltName for "${host}")`,
      cause,
    );
  }
  if (code === 'CERT_HAS_EXPIRED') {
    const when = peer?.validTo ? ` on ${peer.validTo}` : '';
    return new LdapScanError('tls', `${at}: TLS certificate verification failed: the server certificate expired${when} [${code}]; renew it on the domain controller`, cause);
  }
  if (code === 'CERT_NOT_YET_VALID') {
    const when = peer?.validFrom ? ` until ${peer.validFrom}` : '';
    return new LdapScanError('tls', `${at}: TLS certificate verification failed: the server certificate is not valid yet${when} [${code}]; check the clocks`, cause);
  }
  if (code === 'CERT_REVOKED' || code === 'CERT_UNTRUSTED' || code === 'CERT_REJECTED' || code === 'INVALID_CA' || code === 'INVALID_PURPOSE') {
    return new LdapScanError('tls', `${at}: TLS certificate verification failed [${code}]: ${oneLine(error.message)}; ${fix}`, cause);
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long|unknown protocol/i.test(error.message)) {
    return new LdapScanError(
      'tls',
      `${at}: ${endpointOf(context, error)} does not speak TLS there; use ldaps:// on port 636, or ldap:// on port 389 with --starttls`,
      cause,
    );
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') {
    return new LdapScanError('tls', `${at}: TLS handshake failed [${code}]: ${oneLine(error.message)}`, cause);
  }
  return undefined;
}

function certificateNames(cert: { subjectaltname?: string; subject?: { CN?: string | string[] } } | undefined): string[] | undefined {
  if (!cert) return undefined;
  const names = (cert.subjectaltname ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const cn = cert.subject?.CN;
  for (const name of Array.isArray(cn) ? cn : cn ? [cn] : []) names.push(`CN=${name}`);
  return names;
}

function where(context: ErrorContext): string {
  const url = context.url ?? 'LDAP';
  return context.operation ? `${url} (${context.operation})` : url;
}

function endpointOf(context: ErrorContext, cause?: Error): string {
  const error = cause as { address?: unknown; port?: unknown } | undefined;
  if (typeof error?.address === 'string' && typeof error.port === 'number') return `${error.address.includes(':') ? `[${error.address}]` : error.address}:${error.port}`;
  if (!context.url) return 'the server';
  try {
    const url = new URL(context.url);
    return `${url.hostname}:${url.port || (url.protocol === 'ldaps:' ? '636' : '389')}`;
  } catch {
    return context.url;
  }
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

function afterEntries(context: ErrorContext): string {
  return context.scanned === undefined ? '' : ` after ${context.scanned} ${context.scanned === 1 ? 'entry' : 'entries'}`;
}

// ldapts appends " Code: 0x31" to the server's diagnostic text; show the text, without it, when there is any.
function serverText(error: ResultCodeError): string {
  const text = oneLine(error.message.replace(/\s*Code: 0x[0-9a-f]+$/i, ''));
  return text ? `; server said: ${text.length > 200 ? `${text.slice(0, 197)}...` : text}` : '';
}

function describeResultName(error: ResultCodeError): string {
  return error.name.replace(/Error$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() || 'error';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
