import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyWaivers } from '../audit/waivers.js';
import { newSince, readBaseline, BaselineError } from '../audit/baseline.js';
import type { AuditResult } from '../audit/result.js';
import { formatDiff, formatRun, formatRunList, openHistory, HistoryError, type History } from '../history/index.js';
import { LdapScanError } from '../ldap/errors.js';
import { passwordPrompt, readPassword } from '../ldap/password.js';
import { parseLdapUrl, securityWarnings, resolveConnectOptions, type ConnectOptions } from '../ldap/connect-options.js';
import { checkScanOptions, runScan, type ScanSummary } from '../ldap/scan.js';
import type { DirectoryScanSummary } from '../model/directory.js';
import type { Finding } from '../model/findings.js';
import { AUDIT_REPORTERS, type AuditFormat } from '../reporters/audit-reporters.js';
import { DirectoryEvaluator } from '../engine/evaluate-directory.js';
import { isDirectoryRule } from '../engine/evaluate.js';
import { SEVERITY_RANK, type Severity } from '../model/severity.js';
import { BUILTIN, defaultBuiltinPath } from '../rules/load.js';
import { displayPath, resolveConfig, resolveRules } from './rules-config.js';
import { ScanFailed, UsageError } from './errors.js';

export interface LdapScanFlags {
  url: string[];
  starttls?: boolean;
  caFile?: string;
  insecureSkipVerify?: boolean;
  tlsServerName?: string;
  bindDn: string;
  passwordFile?: string;
  baseDn?: string;
  pageSize: number;
  includeDisabled?: boolean;
  filter?: string;
  memberOf?: string;
  allowPlaintext?: boolean;
  connectTimeout: number;
  timeout: number;
  retries: number;
  history?: string;
  rules?: string[];
  tags?: string;
  format: AuditFormat;
  output?: string;
  failOn?: Severity;
  baseline?: string;
  config?: string;
}

export interface LdapIo {
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  stderrIsTty: boolean;
  stdinIsTty: boolean;
  cwd: string;
  version: string;
  env: NodeJS.ProcessEnv;
}

/**
 * read (LDAP, paged) → evaluate (directory rules, user by user) → waivers, baseline, history → report. The
 * exit code follows `gpaudit audit`: 0, 1 for findings at or above --fail-on, 2 when the scan could not run.
 */
export async function ldapScanCommand(flags: LdapScanFlags, io: LdapIo): Promise<{ text: string; result: AuditResult }> {
  const { config, path: configPath } = resolveConfig(flags.config, io.cwd);
  const ruleSet = resolveRules(flags, config, configPath, io.cwd);
  const rules = ruleSet.rules.filter(isDirectoryRule);
  if (rules.length === 0) throw new UsageError('no directory rules to run (the rules loaded have no `directory` matcher)');
  const baseline = readBaselineFlag(flags.baseline, io.cwd);

  const { password, warnings } = await readPassword({
    env: io.env,
    ...(flags.passwordFile ? { file: resolve(io.cwd, flags.passwordFile) } : {}),
    ...(io.stdinIsTty && io.stderrIsTty ? { tty: { input: io.stdin as NodeJS.ReadStream, output: io.stderr, prompt: passwordPrompt(flags.bindDn, flags.url.map(shownUrl)) } } : {}),
  }).catch(rethrowAsUsage);
  const connect: ConnectOptions = {
    urls: flags.url,
    startTls: flags.starttls ?? false,
    ...(flags.caFile ? { caFile: resolve(io.cwd, flags.caFile) } : {}),
    insecureSkipVerify: flags.insecureSkipVerify ?? false,
    ...(flags.tlsServerName ? { tlsServerName: flags.tlsServerName } : {}),
    bindDn: flags.bindDn,
    password,
    ...(flags.baseDn ? { baseDn: flags.baseDn } : {}),
    connectTimeoutMs: flags.connectTimeout,
    timeoutMs: flags.timeout,
    retries: flags.retries,
    pageSize: flags.pageSize,
    allowPlaintext: flags.allowPlaintext ?? false,
  };
  const scanOptions = {
    ...(flags.includeDisabled ? { includeDisabled: true } : {}),
    ...(flags.filter ? { filter: flags.filter } : {}),
    ...(flags.memberOf ? { memberOf: flags.memberOf } : {}),
  };
  try {
    for (const w of [...warnings, ...securityWarnings(resolveConnectOptions(connect))]) io.stderr.write(`gpaudit: warning: ${w}\n`);
    checkScanOptions(scanOptions);
  } catch (err) {
    rethrowAsUsage(err);
  }

  const history = flags.history ? openHistoryOrUsage(resolve(io.cwd, flags.history), flags.history) : undefined;
  const startedAt = new Date();
  // The history is keyed by the base DN as the user gave it (the default naming context is only known after the
  // bind, and the run is recorded before connecting so a failed connection is recorded too).
  const historyBaseDn = flags.baseDn ?? '(defaultNamingContext)';
  const runId = history?.startRun({ server: flags.url.join(' '), baseDn: historyBaseDn, startedAt, gpauditVersion: io.version, options: { ...scanOptions, pageSize: flags.pageSize } });
  const progress = io.stderrIsTty ? progressLine(io.stderr) : undefined;
  // Which of the --url servers answered is known only when the scan ends; findings get it then (withServer).
  const evaluator = new DirectoryEvaluator(rules, { server: flags.url[0] ?? '', baseDn: flags.baseDn ?? '' });
  let summary: ScanSummary;
  const scanStarted = performance.now();
  try {
    summary = await runScan(connect, {
      ...scanOptions,
      onUser: (user) => evaluator.addUser(user),
      ...(progress ? { onProgress: progress.update } : {}),
    });
  } catch (err) {
    progress?.done();
    if (history && runId !== undefined) history.failRun(runId, { endedAt: new Date(), error: err instanceof Error ? err.message : String(err) });
    history?.close();
    if (err instanceof LdapScanError) throw new ScanFailed(err.message);
    throw err;
  }
  progress?.done();
  const evaluated = evaluator.finish();
  const directory: DirectoryScanSummary = {
    server: summary.source.server,
    baseDn: summary.source.baseDn,
    filter: summary.filter,
    entriesRead: summary.scanned,
    inScope: evaluated.scanned,
    pages: summary.pages,
    elapsedMs: Math.round(performance.now() - scanStarted),
  };
  const found = evaluated.findings.map((f) => withServer(f, summary.source.server));
  const today = new Date().toISOString().slice(0, 10);
  // Only waivers of the directory rules that ran can match here; the others are the GPO audit's to apply and to
  // report as expired or unused.
  const ran = new Set(rules.map((r) => r.id));
  const waivers = (config?.waivers ?? []).filter((w) => ran.has(w.rule)).map((w) => ({ ...w }));
  const waived = applyWaivers(found, waivers, today);
  let findings = waived.findings;
  let baselineInfo: AuditResult['baseline'];
  if (baseline) {
    const { fresh, known } = newSince(findings, baseline.fingerprints);
    findings = fresh;
    baselineInfo = { file: baseline.file, known };
  }
  const notices = [...waived.notices];
  if (summary.references.length) notices.push(`continuation references reported, not followed: ${summary.references.join(', ')}${summary.referencesOmitted ? ` (+${summary.referencesOmitted} more)` : ''}`);
  notices.push(`scanned ${summary.scanned} user(s) on ${summary.source.server} under ${summary.source.baseDn} in ${(directory.elapsedMs / 1000).toFixed(1)} s (filter ${summary.filter})`);

  if (history && runId !== undefined) {
    const previous = history.lastCompletedRun({ baseDn: historyBaseDn, before: runId });
    const diff = history.diff(previous?.id, found.map(withSubject));
    history.completeRun(runId, { endedAt: new Date(), counts: { scanned: summary.scanned, findings: found.length, bySeverity: countBySeverity(found) }, findings: found.map(withSubject) });
    history.close();
    io.stderr.write(formatDiff(diff));
  }
  const failOn = flags.failOn ?? config?.failOn ?? 'low';
  const result: AuditResult = {
    tool: { name: 'gpaudit', version: io.version },
    rules,
    findings,
    notEvaluated: [],
    inputs: [],
    problems: [],
    notices,
    ...(baselineInfo ? { baseline: baselineInfo } : {}),
    directory,
    failOn,
    configuration: {
      ...(configPath ? { file: displayPath(configPath, io.cwd) } : {}),
      rules: ruleSet.files.map((f) => (f === defaultBuiltinPath() ? BUILTIN : displayPath(f, io.cwd))),
    },
    root: '.',
    exitCode: findings.some((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0,
  };
  const color = flags.format === 'text' && !flags.output && io.stderrIsTty && !io.env.NO_COLOR;
  return { text: AUDIT_REPORTERS[flags.format](result, { color }), result };
}

export function ldapHistoryCommand(file: string, run: number | undefined, cwd: string): string {
  const history = openHistoryOrUsage(resolve(cwd, file), file, true);
  try {
    if (run === undefined) return formatRunList(history.listRuns({ limit: 50 }));
    const shown = history.showRun(run);
    if (!shown) throw new UsageError(`no run ${run} in ${file}; \`gpaudit ldap history ${file}\` lists them`);
    return formatRun(shown);
  } finally {
    history.close();
  }
}

/** A --url as the connection will use it (scheme, host, port); as typed when it does not parse (reported later). */
function shownUrl(url: string): string {
  try {
    return parseLdapUrl(url).url;
  } catch {
    return url;
  }
}

function withServer(f: Finding, server: string): Finding {
  return f.directoryObject ? { ...f, directoryObject: { ...f.directoryObject, server } } : f;
}

function withSubject(f: Finding) {
  return f.directoryObject ? { ...f, subject: { dn: f.directoryObject.dn, ...(f.directoryObject.name ? { sAMAccountName: f.directoryObject.name } : {}) } } : f;
}

function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

function readBaselineFlag(path: string | undefined, cwd: string): { file: string; fingerprints: Set<string> } | undefined {
  if (!path) return undefined;
  try {
    return { file: path, fingerprints: readBaseline(resolve(cwd, path)) };
  } catch (err) {
    if (err instanceof BaselineError) throw new UsageError(err.message);
    throw err;
  }
}

function openHistoryOrUsage(path: string, name: string, readOnly = false): History {
  try {
    return openHistory(path, { readOnly, name });
  } catch (err) {
    if (err instanceof HistoryError) throw new UsageError(err.message);
    throw err;
  }
}

function rethrowAsUsage(err: unknown): never {
  if (err instanceof LdapScanError && (err.kind === 'usage' || err.kind === 'password' || err.kind === 'plaintext-refused')) throw new UsageError(err.message);
  if (err instanceof LdapScanError) throw new ScanFailed(err.message);
  throw err;
}

/** One line on stderr, rewritten in place: entries scanned, rate, elapsed. Only on a terminal. */
function progressLine(out: NodeJS.WritableStream) {
  let shown = false;
  return {
    update: (p: { scanned: number; elapsedMs: number }) => {
      const rate = p.elapsedMs > 0 ? Math.round((p.scanned * 1000) / p.elapsedMs) : 0;
      out.write(`\r\x1b[Kscanned ${p.scanned} user(s), ${rate}/s, ${(p.elapsedMs / 1000).toFixed(1)} s`);
      shown = true;
    },
    done: () => {
      if (shown) out.write('\r\x1b[K');
    },
  };
}
