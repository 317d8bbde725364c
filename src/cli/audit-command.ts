import { availableParallelism } from 'node:os';
import type { PolicyCatalog } from '../admx/catalog.js';
import type { AuditResult } from '../audit/result.js';
import { runAudit, runAuditInPool, runOuAudit, type AuditOptions } from '../audit/run-audit.js';
import { unknownWaiverNotices } from '../config/load.js';
import type { Hive } from '../model/settings.js';
import { loadAuditWriter } from '../reporters/audit-formats.js';
import { exitExplanation, problemLines, summaryLine } from '../reporters/audit-text.js';
import { readBaselineFlag, runConfiguration, today, type ReportFlags } from './report-flags.js';
import { resolveConfig, resolveRules } from './rules-config.js';
import type { DirectoryIo } from './directory-flags.js';
import { UsageError } from './errors.js';
import type { OuFlags } from './policy-command.js';

export interface AuditFlags extends ReportFlags, OuFlags {
  root?: string;
  admx?: string;
  lang: string;
  hive?: Hive;
  maxFileSize: number;
  quiet?: boolean;
  /** Threads that read and evaluate the exports (default: the cores available); `--ou` reads in one thread. */
  jobs?: number;
}

/**
 * The result, what goes to stderr (every problem, and the summary too when the report goes to a file), and the
 * report, written in pieces when the caller is ready for it (a JSON report of thousands of GPOs is hundreds of MB:
 * no string of it is built).
 */
export async function auditCommand(
  paths: string[],
  flags: AuditFlags,
  catalog: PolicyCatalog,
  version: string,
  cwd: string,
  isTty: boolean,
  directoryIo: DirectoryIo,
): Promise<{ writeReport: (write: (chunk: string) => void) => void; result: AuditResult; stderr: string }> {
  const { config, path: configPath } = resolveConfig(flags.config, cwd);
  const ruleSet = resolveRules(flags, config, configPath, cwd);
  const baseline = readBaselineFlag(flags.baseline, cwd);
  const notices = config ? unknownWaiverNotices(config, ruleSet) : [];
  const options = {
    rules: ruleSet.rules,
    catalog,
    failOn: flags.failOn ?? config?.failOn ?? 'low',
    // A waiver for a rule not in the set is reported once, by unknownWaiverNotices, not again as unused.
    waivers: (config?.waivers ?? []).filter((w) => ruleSet.rules.some((r) => r.id === w.rule)),
    ...(baseline ? { baseline } : {}),
    today: today(),
    cwd,
    root: flags.root ?? config?.root ?? '.',
    version,
    ...(flags.hive ? { hive: flags.hive } : {}),
    maxFileBytes: Math.floor(flags.maxFileSize * 1024 * 1024),
    notices,
  };
  if (!flags.ou && (flags.url || flags.sysvol !== undefined || flags.userOu || flags.site)) {
    throw new UsageError('--url, --sysvol, --user-ou and --site answer for one OU: give --ou too');
  }
  // The directory options and their client are loaded only for --ou.
  const ou = flags.ou ? await import('./policy-command.js') : undefined;
  const result = ou
    ? await runOuAudit(paths, { ...options, ...(await ou.ouRunOptions(flags, paths, directoryIo)) }).catch(ou.directoryFailure)
    : await auditEstate(paths, options, flags.jobs ?? availableParallelism());
  result.configuration = runConfiguration(configPath, ruleSet, cwd);
  const text = flags.format === 'text';
  const color = text && !flags.output && isTty && !process.env.NO_COLOR;
  // On a terminal the problems are printed once, on stderr; a report written to a file keeps them inside it.
  const problemsOnStderr = text && !flags.output;
  const writer = await loadAuditWriter(flags.format);
  const writeReport = (write: (chunk: string) => void) => writer(result, { color, quiet: flags.quiet === true, problemsOnStderr, environment: directoryIo.env }, write);
  const stderrLines = problemLines(result).map((l) => `gpaudit: ${l}`);
  if (flags.output) stderrLines.push(summaryLine(result), exitExplanation(result), `report written to ${flags.output}`);
  return { writeReport, result, stderr: stderrLines.map((l) => `${l}\n`).join('') };
}

/** One job: everything in this thread, as before the pool existed; more: worker threads, the same result. */
function auditEstate(paths: string[], options: AuditOptions, jobs: number): Promise<AuditResult> | AuditResult {
  return jobs === 1 ? runAudit(paths, options) : runAuditInPool(paths, { ...options, jobs });
}
