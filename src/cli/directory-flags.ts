// The options that say how to reach and bind to a directory, shared by `ldap scan`, `policy --ou` and `audit --ou`:
// one registration and one conversion to ConnectOptions (password from a file, the environment or a prompt), so the
// commands cannot drift apart.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { LdapScanError } from '../ldap/errors.js';
import { passwordPrompt, readPassword } from '../ldap/password.js';
import { parseLdapUrl, resolveConnectOptions, securityWarnings, type ConnectOptions } from '../ldap/connect-options.js';
import { ScanFailed, UsageError } from './errors.js';
import { collect, parseCount, parsePositive } from './option-values.js';

export interface DirectoryFlags {
  url?: string[];
  starttls?: boolean;
  caFile?: string;
  insecureSkipVerify?: boolean;
  tlsServerName?: string;
  bindDn?: string;
  passwordFile?: string;
  baseDn?: string;
  pageSize: number;
  allowPlaintext?: boolean;
  connectTimeout: number;
  timeout: number;
  retries: number;
  maxPages?: number;
}

export interface DirectoryIo {
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  stderrIsTty: boolean;
  stdinIsTty: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Adds the directory options. `required`: the command is about the directory (`ldap scan`), so --url and --bind-dn
 * must be given; elsewhere they are optional and go together.
 */
export function directoryOptions(cmd: Command, required: boolean): Command {
  const url = 'ldap:// or ldaps:// URL of a domain controller (repeatable: tried in order)';
  const bind = 'account to bind as: a DN, a UPN (user@domain) or DOMAIN\\user';
  (required ? cmd.requiredOption('--url <url>', url, collect) : cmd.option('--url <url>', url, collect));
  (required ? cmd.requiredOption('--bind-dn <name>', bind) : cmd.option('--bind-dn <name>', bind));
  return cmd
    .option('--password-file <file>', 'file holding the bind password (mode 600); else GPAUDIT_LDAP_PASSWORD, else a prompt on a terminal')
    .option('--starttls', 'upgrade ldap:// with StartTLS before binding')
    .option('--ca-file <pem>', 'CA certificate(s) that sign the domain controllers\' certificates')
    .option('--tls-server-name <name>', 'name to check the certificate against when --url uses an address')
    .option('--insecure-skip-verify', 'accept any certificate (warns; for throwaway test directories only)')
    .option('--allow-plaintext', 'allow a simple bind over ldap:// without StartTLS (the password crosses the network in clear)')
    .option('--base-dn <dn>', 'where to search (default: the rootDSE defaultNamingContext)')
    .option('--page-size <n>', 'entries per page', parsePositive, 1000)
    .option('--connect-timeout <ms>', 'to reach one server', parsePositive, 10000)
    .option('--timeout <ms>', 'per LDAP operation', parsePositive, 60000)
    .option('--retries <n>', 'further attempts per URL after a refused or reset connection', parseCount, 2)
    .option('--max-pages <n>', 'pages one search may return before gpaudit stops it as a paging loop (default 100000)', parsePositive);
}

/** The flags as ConnectOptions, with the password read and the security warnings printed; undefined without --url. */
export async function connectOptionsFrom(flags: DirectoryFlags, io: DirectoryIo): Promise<ConnectOptions | undefined> {
  if (!flags.url?.length) {
    if (flags.bindDn) throw new UsageError('--bind-dn needs --url (the directory to bind to)');
    return undefined;
  }
  if (!flags.bindDn) throw new UsageError("--url needs --bind-dn (the account to bind as: a DN, user@domain or DOMAIN\\user)");
  const bindDn = flags.bindDn;
  const { password, warnings } = await readPassword({
    env: io.env,
    ...(flags.passwordFile ? { file: resolve(io.cwd, flags.passwordFile) } : {}),
    ...(io.stdinIsTty && io.stderrIsTty ? { tty: { input: io.stdin as NodeJS.ReadStream, output: io.stderr, prompt: passwordPrompt(bindDn, flags.url.map(shownUrl)) } } : {}),
  }).catch(rethrowAsUsage);
  const connect: ConnectOptions = {
    urls: flags.url,
    startTls: flags.starttls ?? false,
    ...(flags.caFile ? { caFile: resolve(io.cwd, flags.caFile) } : {}),
    insecureSkipVerify: flags.insecureSkipVerify ?? false,
    ...(flags.tlsServerName ? { tlsServerName: flags.tlsServerName } : {}),
    bindDn,
    password,
    ...(flags.baseDn ? { baseDn: flags.baseDn } : {}),
    connectTimeoutMs: flags.connectTimeout,
    timeoutMs: flags.timeout,
    retries: flags.retries,
    pageSize: flags.pageSize,
    allowPlaintext: flags.allowPlaintext ?? false,
    ...(flags.maxPages !== undefined ? { maxPages: flags.maxPages } : {}),
  };
  try {
    for (const w of [...warnings, ...securityWarnings(resolveConnectOptions(connect))]) io.stderr.write(`gpaudit: warning: ${w}\n`);
  } catch (err) {
    rethrowAsUsage(err);
  }
  return connect;
}

/** A --url as the connection will use it (scheme, host, port); as typed when it does not parse (reported later). */
function shownUrl(url: string): string {
  try {
    return parseLdapUrl(url).url;
  } catch {
    return url;
  }
}

/** Mistakes in the command line are usage errors (exit 2, one line); anything the directory said is a failed scan. */
export function rethrowAsUsage(err: unknown): never {
  if (err instanceof LdapScanError && (err.kind === 'usage' || err.kind === 'password' || err.kind === 'plaintext-refused')) throw new UsageError(err.message);
  if (err instanceof LdapScanError) throw new ScanFailed(err.message);
  throw err;
}
