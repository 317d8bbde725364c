import { resolve } from 'node:path';
import type { AuditResult } from '../audit/result.js';
import { runDirectoryScan } from '../audit/run-directory-scan.js';
import { formatDiff, formatRun, formatRunList, openHistory, HistoryError, type History } from '../history/index.js';
import { LdapScanError } from '../ldap/errors.js';
import { checkScanOptions } from '../ldap/scan.js';
import { loadAuditWriter } from '../reporters/audit-formats.js';
import { SpillError } from '../audit/finding-spill.js';
import type { FindingList } from '../model/findings.js';
import { isDirectoryRule } from '../engine/evaluate.js';
import { unknownWaiverNotices } from '../config/load.js';
import { readBaselineFlag, runConfiguration, today, type ReportFlags } from './report-flags.js';
import { resolveConfig, resolveRules } from './rules-config.js';
import { ScanFailed, UsageError } from './errors.js';
import { connectOptionsFrom, rethrowAsUsage } from './directory-connect.js';
import type { DirectoryFlags, DirectoryIo } from './directory-flags.js';

export interface LdapScanFlags extends ReportFlags, DirectoryFlags {
  url: string[];
  bindDn: string;
  includeDisabled?: boolean;
  filter?: string;
  memberOf?: string;
  history?: string;
}

export interface LdapIo extends DirectoryIo {
  version: string;
  /** Told of the temporary folder the findings are sorted in, as it is made, so a stopped process can remove it. */
  onTemporaryFolder?: (path: string) => void;
}

/**
 * Flags → the password (from a file, the environment or a prompt) → runDirectoryScan → the report, written through
 * `write` in pieces (a million users' report is larger than one string may be), and on stderr the warnings, the
 * progress line and the history's diff. The exit code follows `gpaudit audit` (exitCodeOf): 0, 1 for findings at
 * or above --fail-on; 2 when the scan could not run.
 */
export async function ldapScanCommand(flags: LdapScanFlags, io: LdapIo, write: (chunk: string) => void): Promise<{ result: AuditResult<FindingList> }> {
  const { config, path: configPath } = resolveConfig(flags.config, io.cwd);
  const ruleSet = resolveRules(flags, config, configPath, io.cwd);
  if (!ruleSet.rules.some(isDirectoryRule)) throw new UsageError('no directory rules to run (the rules loaded have no `directory` matcher)');
  const baseline = readBaselineFlag(flags.baseline, io.cwd);

  const connect = (await connectOptionsFrom(flags, io))!;
  const scan = {
    ...(flags.includeDisabled ? { includeDisabled: true } : {}),
    ...(flags.filter ? { filter: flags.filter } : {}),
    ...(flags.memberOf ? { memberOf: flags.memberOf } : {}),
  };
  try {
    checkScanOptions(scan);
  } catch (err) {
    rethrowAsUsage(err);
  }

  const history = flags.history ? openHistoryOrUsage(resolve(io.cwd, flags.history), flags.history) : undefined;
  const progress = io.stderrIsTty ? progressLine(io.stderr) : undefined;
  const writer = await loadAuditWriter(flags.format);
  let run: Awaited<ReturnType<typeof runDirectoryScan>>;
  try {
    run = await runDirectoryScan({
      rules: ruleSet.rules,
      connect,
      scan,
      failOn: flags.failOn ?? config?.failOn ?? 'low',
      waivers: config?.waivers ?? [],
      ...(baseline ? { baseline } : {}),
      today: today(),
      version: io.version,
      root: io.cwd,
      ...(history ? { history } : {}),
      ...(progress ? { onProgress: progress.update } : {}),
      // The text and JUnit reports list findings by user: sorted so, they write them as they come instead of holding them.
      spill: { bySubject: flags.format === 'text' || flags.format === 'junit', ...(io.onTemporaryFolder ? { onFolder: io.onTemporaryFolder } : {}) },
    });
  } catch (err) {
    if (err instanceof LdapScanError) throw new ScanFailed(err.message);
    // Writing the history failed (another scan holds its lock, the disk is full), or the temporary files for
    // sorting the findings could not be written: one line, exit 2.
    if (err instanceof HistoryError || err instanceof SpillError) throw new ScanFailed(err.message);
    throw err;
  } finally {
    progress?.done();
  }
  try {
    if (run.diff) io.stderr.write(formatDiff(run.diff));
    const { result } = run;
    result.configuration = runConfiguration(configPath, ruleSet, io.cwd);
    // A mistyped rule id in a waiver is reported here too (the runner applies only the directory rules' waivers).
    if (config) result.notices.unshift(...unknownWaiverNotices(config, ruleSet));
    const color = flags.format === 'text' && !flags.output && io.stderrIsTty && !io.env.NO_COLOR;
    writer(result, { color, environment: io.env }, write);
    return { result };
  } catch (err) {
    if (err instanceof SpillError) throw new ScanFailed(err.message);
    throw err;
  } finally {
    run.close();
  }
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

function openHistoryOrUsage(path: string, name: string, readOnly = false): History {
  try {
    return openHistory(path, { readOnly, name });
  } catch (err) {
    if (err instanceof HistoryError) throw new UsageError(err.message);
    throw err;
  }
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
