// `gpaudit policy --ou` and the --ou half of `gpaudit audit`: flags → where the links come from (directory options,
// LDIF files among the paths, GPO reports) and --sysvol → the resultant policy of the OU → a report.
import type { PolicyCatalog } from '../admx/catalog.js';
import { readResultantPolicy, type PolicyRunOptions } from '../audit/run-policy.js';
import { LdapScanError } from '../ldap/errors.js';
import type { Hive } from '../model/settings.js';
import { htmlPolicyReport } from '../reporters/html.js';
import { policyJson, policyText } from '../reporters/policy-output.js';
import { connectOptionsFrom } from './directory-connect.js';
import type { DirectoryFlags, DirectoryIo } from './directory-flags.js';
import { ScanFailed, UsageError } from './errors.js';

/** What `policy` and `audit` share when they answer for one OU. */
export interface OuFlags extends DirectoryFlags {
  ou?: string;
  userOu?: string;
  site?: string;
  sysvol?: string;
}

export interface PolicyFlags extends OuFlags {
  format: 'text' | 'json' | 'html';
  output?: string;
  admx?: string;
  lang: string;
  hive?: Hive;
  maxFileSize: number;
}

/** The OU run's options from the flags; the password is read here (prompt, file or environment). */
export async function ouRunOptions(flags: OuFlags, paths: string[], io: DirectoryIo): Promise<Omit<PolicyRunOptions, 'catalog' | 'root' | 'hive' | 'maxFileBytes'>> {
  if (!flags.ou) throw new UsageError('--ou is required: the OU whose policy is wanted (a DN, or a canonical name such as corp.example.com/WorkSpaces)');
  const connect = await connectOptionsFrom(flags, io);
  if (!connect && paths.length === 0 && flags.sysvol === undefined) {
    throw new UsageError('--ou needs link data: a directory (--url, --bind-dn), an LDIF export or GPO reports among the paths');
  }
  if (!connect && flags.site) throw new UsageError('--site needs a directory (--url): site links are read from CN=Sites in the configuration partition');
  return {
    ou: flags.ou,
    ...(flags.userOu ? { userOu: flags.userOu } : {}),
    ...(flags.site ? { site: flags.site } : {}),
    ...(connect ? { connect } : {}),
    ...(flags.sysvol !== undefined ? { sysvol: flags.sysvol } : {}),
    paths,
    cwd: io.cwd,
  };
}

export async function policyCommand(paths: string[], flags: PolicyFlags, catalog: PolicyCatalog, version: string, io: DirectoryIo): Promise<{ text: string; code: 0 | 2; stderr: string }> {
  const base = await ouRunOptions(flags, paths, io);
  const policy = await readResultantPolicy({
    ...base,
    catalog,
    root: '.',
    ...(flags.hive ? { hive: flags.hive } : {}),
    maxFileBytes: Math.floor(flags.maxFileSize * 1024 * 1024),
  }).catch(directoryFailure);
  const errors = policy.problems.filter((p) => p.severity === 'error');
  const text = flags.format === 'json' ? policyJson(policy, version) : flags.format === 'html' ? htmlPolicyReport(policy, version) : policyText(policy);
  // Errors also go to stderr: the OU's policy is incomplete, and a script reading stdout must not miss it.
  const stderr = errors.map((p) => `gpaudit: ${p.file}: ${p.message}\n`).join('');
  return { text, code: errors.length > 0 ? 2 : 0, stderr };
}

/** A directory that cannot be reached or an OU that does not exist: one line, exit 2. */
export function directoryFailure(err: unknown): never {
  if (err instanceof LdapScanError) throw new ScanFailed(err.message);
  throw err;
}
