// The directory options (directory-flags.ts) turned into ConnectOptions; loaded only by the commands that reach a
// directory, as it brings the LDAP client with it.
import { resolve } from 'node:path';
import { LdapScanError } from '../ldap/errors.js';
import { passwordPrompt, readPassword } from '../ldap/password.js';
import { parseLdapUrl, resolveConnectOptions, securityWarnings, type ConnectOptions } from '../ldap/connect-options.js';
import type { DirectoryFlags, DirectoryIo } from './directory-flags.js';
import { ScanFailed, UsageError } from './errors.js';

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
