// How to reach and bind to a directory: what the CLI collects, checked and filled with defaults before any byte is
// sent. A plaintext simple bind is refused here, so the refusal can never come after the password left the machine.
import { readFileSync } from 'node:fs';
import { LdapScanError } from './errors.js';

export interface ConnectOptions {
  /** ldap:// or ldaps:// URLs (scheme, host, optional port), tried in order until one binds. */
  urls: string[];
  /** Upgrade ldap:// connections with StartTLS before binding. */
  startTls?: boolean;
  /** PEM file with the CA certificate(s) that sign the DC's certificate; without it the system CAs are used. */
  caFile?: string;
  /** Accept any certificate. For tests against throwaway DCs only: the CLI warns when it is on. */
  insecureSkipVerify?: boolean;
  /** Name to check the certificate against when the URL uses another name or an address (e.g. dc1.example.com). */
  tlsServerName?: string;
  /** A DN, a UPN (user@domain) or a down-level name (DOMAIN\user). */
  bindDn: string;
  password: string;
  /** Where users are searched; default: the rootDSE's defaultNamingContext. */
  baseDn?: string;
  /** Milliseconds to establish TCP (and TLS for ldaps://) to one server. */
  connectTimeoutMs?: number;
  /** Milliseconds any single LDAP operation (StartTLS, bind, one search page) may take. */
  timeoutMs?: number;
  /** Further attempts per URL after a refused or reset connection or a busy server; 0 disables retrying. */
  retries?: number;
  /** Delay before the first retry; each later retry waits twice as long. */
  retryDelayMs?: number;
  /** Entries per search page (AD returns at most its MaxPageSize, 1000 by default). */
  pageSize?: number;
  /** Allow a simple bind over ldap:// without StartTLS (the password crosses the network in clear). */
  allowPlaintext?: boolean;
  /** Pages one paged search may return before gpaudit stops it (a server whose paging cookie never ends). */
  maxPages?: number;
  /** Largest LDAP message accepted from the server, in bytes; a larger one ends the connection before it is buffered. */
  maxMessageBytes?: number;
  /** Continuation references (referrals) accepted in one page of results; they are reported, never followed. */
  maxReferences?: number;
}

export type BindNameForm = 'dn' | 'upn' | 'netbios';

export interface Endpoint {
  /** Normalised: scheme, host and explicit port, e.g. ldaps://dc1.example.com:636. */
  url: string;
  host: string;
  port: number;
  /** TLS from the first byte (ldaps://). */
  secure: boolean;
}

export interface ResolvedConnectOptions {
  endpoints: Endpoint[];
  startTls: boolean;
  caFile?: string;
  insecureSkipVerify: boolean;
  tlsServerName?: string;
  bindDn: string;
  bindForm: BindNameForm;
  password: string;
  baseDn?: string;
  connectTimeoutMs: number;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  pageSize: number;
  allowPlaintext: boolean;
  /** The three limits are present only when given; the client applies CONNECT_DEFAULTS otherwise. */
  maxPages?: number;
  maxMessageBytes?: number;
  maxReferences?: number;
}

export const CONNECT_DEFAULTS = {
  connectTimeoutMs: 10_000,
  timeoutMs: 60_000,
  retries: 2,
  retryDelayMs: 500,
  pageSize: 1000,
  /** 100 million entries at AD's 1000 per page: far past any real directory, short of a loop that runs for hours. */
  maxPages: 100_000,
  /** 4 MiB: a user entry with the attributes a scan reads is a few kilobytes; ldapts buffers each message whole. */
  maxMessageBytes: 4 * 1024 * 1024,
  /** A domain's subtree search returns a handful (one per child naming context). */
  maxReferences: 1000,
} as const;

/**
 * Checks every option and applies defaults. Throws `LdapScanError` kind 'usage' for a bad value and kind
 * 'plaintext-refused' when a URL would carry the password in clear.
 */
export function resolveConnectOptions(options: ConnectOptions): ResolvedConnectOptions {
  if (options.urls.length === 0) throw usage('no server given: pass at least one ldap:// or ldaps:// URL');
  const endpoints = options.urls.map(parseLdapUrl);
  const startTls = options.startTls ?? false;
  const insecureSkipVerify = options.insecureSkipVerify ?? false;
  const allowPlaintext = options.allowPlaintext ?? false;
  if (startTls) {
    const secure = endpoints.find((endpoint) => endpoint.secure);
    if (secure) throw usage(`--starttls cannot be used with ${secure.url}: ldaps:// is already encrypted; use ldap:// with --starttls, or ldaps:// alone`);
  }
  if (insecureSkipVerify && options.caFile !== undefined) {
    throw usage('--ca-file and --insecure-skip-verify contradict each other: give the CA to verify against, or skip verification, not both');
  }
  const bindForm = classifyBindName(options.bindDn);
  if (options.password === '') {
    throw new LdapScanError('password', 'the password is empty: an LDAP simple bind with an empty password is an anonymous bind (RFC 4513 §5.1.2), so gpaudit refuses it');
  }
  for (const endpoint of endpoints) assertPasswordProtected(endpoint, startTls, allowPlaintext, options.bindDn);
  return {
    endpoints,
    startTls,
    ...(options.caFile !== undefined ? { caFile: options.caFile } : {}),
    insecureSkipVerify,
    ...(options.tlsServerName !== undefined ? { tlsServerName: nonEmpty(options.tlsServerName, '--tls-server-name') } : {}),
    bindDn: options.bindDn.trim(),
    bindForm,
    password: options.password,
    ...(options.baseDn !== undefined ? { baseDn: checkBaseDn(options.baseDn) } : {}),
    connectTimeoutMs: integerOption(options.connectTimeoutMs, CONNECT_DEFAULTS.connectTimeoutMs, 1, 600_000, '--connect-timeout (ms)'),
    timeoutMs: integerOption(options.timeoutMs, CONNECT_DEFAULTS.timeoutMs, 1, 3_600_000, '--timeout (ms)'),
    retries: integerOption(options.retries, CONNECT_DEFAULTS.retries, 0, 10, '--retries'),
    retryDelayMs: integerOption(options.retryDelayMs, CONNECT_DEFAULTS.retryDelayMs, 0, 60_000, 'retry delay (ms)'),
    pageSize: integerOption(options.pageSize, CONNECT_DEFAULTS.pageSize, 1, 100_000, '--page-size'),
    allowPlaintext,
    ...(options.maxPages !== undefined ? { maxPages: integerOption(options.maxPages, CONNECT_DEFAULTS.maxPages, 1, 100_000_000, '--max-pages') } : {}),
    ...(options.maxMessageBytes !== undefined
      ? { maxMessageBytes: integerOption(options.maxMessageBytes, CONNECT_DEFAULTS.maxMessageBytes, 1024, 2 ** 31 - 1, 'maximum LDAP message size (bytes)') }
      : {}),
    ...(options.maxReferences !== undefined
      ? { maxReferences: integerOption(options.maxReferences, CONNECT_DEFAULTS.maxReferences, 0, 100_000_000, 'maximum continuation references') }
      : {}),
  };
}

/** What the CLI must print (to stderr) before connecting: each option that weakens the connection's security. */
export function securityWarnings(options: ResolvedConnectOptions): string[] {
  const warnings: string[] = [];
  if (options.insecureSkipVerify) {
    warnings.push('TLS certificate verification is OFF (--insecure-skip-verify): anything on the network path can pose as the DC and read the password');
  }
  if (options.allowPlaintext && !options.startTls) {
    for (const endpoint of options.endpoints.filter((candidate) => !candidate.secure)) {
      warnings.push(`the password will cross the network in clear text to ${endpoint.url} (--allow-plaintext)`);
    }
  }
  return warnings;
}

/** Parses one server URL; only scheme, host and port are meaningful (no DN, no credentials, no query). */
export function parseLdapUrl(text: string): Endpoint {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw usage(`"${text}" is not a URL; write ldap://host, ldap://host:389 or ldaps://host:636`);
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'ldap' && scheme !== 'ldaps') {
    throw usage(`"${text}" uses ${scheme}://; only ldap:// (with --starttls) and ldaps:// are supported`);
  }
  if (url.username || url.password) throw usage(`"${redactUserInfo(text)}" carries credentials; give them with --bind-dn and a password source, never in the URL`);
  if (url.hostname === '') throw usage(`"${text}" has no host`);
  if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) {
    throw usage(`"${text}" has a path or query; give only scheme, host and port, and the base DN with --base-dn`);
  }
  const secure = scheme === 'ldaps';
  const port = url.port ? Number(url.port) : secure ? 636 : 389;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { url: `${scheme}://${shownHost}:${port}`, host, port, secure };
}

function redactUserInfo(text: string): string {
  return text.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * Which form a bind name has. AD accepts all three for a simple bind; a bare account name is refused because AD
 * would try it as a UPN and fail with a confusing 52e.
 */
export function classifyBindName(name: string): BindNameForm {
  const trimmed = name.trim();
  if (trimmed === '') throw usage('no bind name: give --bind-dn as a DN, user@domain or DOMAIN\\user (anonymous scans are not supported)');
  if (/^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)\s*=/.test(trimmed)) return 'dn';
  if (/^[^@\s\\]+@[^@\s\\]+$/.test(trimmed)) return 'upn';
  if (/^[^\\/:*?"<>|@\s][^\\/:*?"<>|@]{0,14}\\[^\\]+$/.test(trimmed)) return 'netbios';
  throw usage(
    `bind name "${trimmed}" is not a DN (CN=...,DC=...), a UPN (user@domain) or a down-level name (DOMAIN\\user); a bare account name is ambiguous`,
  );
}

/** Refuses a simple bind whose password would cross the network unencrypted, unless the user allowed it. */
export function assertPasswordProtected(endpoint: Endpoint, startTls: boolean, allowPlaintext: boolean, bindDn = 'the bind account'): void {
  if (endpoint.secure || startTls || allowPlaintext) return;
  throw new LdapScanError(
    'plaintext-refused',
    `refusing to bind to ${endpoint.url} without TLS: the password for ${bindDn} would cross the network in clear text. ` +
      `Use ldaps://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:636, or add --starttls; ` +
      'pass --allow-plaintext only on a network you trust (e.g. a test DC on loopback)',
  );
}

/** Reads a PEM bundle of CA certificates; a missing file or one without a certificate is a usage error. */
export function readCaFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw usage(`cannot read --ca-file ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw usage(
      `--ca-file ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----); convert a DER file with "openssl x509 -inform der -in FILE -out ca.pem"`,
    );
  }
  return text;
}

function checkBaseDn(baseDn: string): string {
  const trimmed = baseDn.trim();
  if (!/^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)\s*=/.test(trimmed)) {
    throw usage(`--base-dn "${baseDn}" is not a DN; write it like "OU=Staff,DC=example,DC=com"`);
  }
  return trimmed;
}

function nonEmpty(value: string, name: string): string {
  if (value.trim() === '') throw usage(`${name} is empty`);
  return value.trim();
}

function integerOption(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw usage(`${name} must be a whole number from ${min} to ${max}; got ${value}`);
  return value;
}

function usage(message: string): LdapScanError {
  return new LdapScanError('usage', message);
}
