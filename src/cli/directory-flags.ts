// The options that say how to reach and bind to a directory, shared by `ldap scan`, `policy --ou` and `audit --ou`:
// one registration here and one conversion to ConnectOptions in directory-connect.ts (password from a file, the
// environment or a prompt), so the commands cannot drift apart. This half imports nothing of the LDAP client: every
// start registers the options, only a command that reaches a directory loads the client.
import type { Command } from 'commander';
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
