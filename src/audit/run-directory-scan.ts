import { performance } from 'node:perf_hooks';
import { DirectoryEvaluator } from '../engine/evaluate-directory.js';
import { isDirectoryRule } from '../engine/evaluate.js';
import type { BaselineDiff, History, HistoryDiff } from '../history/index.js';
import type { ConnectOptions } from '../ldap/connect-options.js';
import { runScan, type ScanProgress, type ScanSummary } from '../ldap/scan.js';
import type { DirectoryScanSummary, DirectoryUser } from '../model/directory.js';
import type { Finding, FindingList, Waiver } from '../model/findings.js';
import type { Severity } from '../model/severity.js';
import type { Rule } from '../rules/types.js';
import { FindingSpill, type FindingSpillOptions } from './finding-spill.js';
import { waiverMatcher } from './waivers.js';
import { compareFindings } from './finish-findings.js';
import type { AuditResult } from './result.js';

export interface DirectoryScanOptions {
  /** The rule set; the directory rules of it run. */
  rules: Rule[];
  connect: ConnectOptions;
  /** Which users: the user filter's options (checked before anything is sent). */
  scan: { includeDisabled?: boolean; filter?: string; memberOf?: string };
  failOn: Severity;
  /** The configuration's waivers; only those of the directory rules that run apply here. */
  waivers: readonly Waiver[];
  /** Fingerprints of an earlier report: only findings it does not know are reported. */
  baseline?: { file: string; fingerprints: ReadonlySet<string> };
  /** YYYY-MM-DD, for waiver expiry. */
  today: string;
  version: string;
  /** Absolute; a directory result has no files, but a report still names its root. */
  root: string;
  /** A history to record the run in (started before connecting, so a failed connection is recorded too); closed when the run ends. */
  history?: History;
  /** After each page of users. */
  onProgress?: (progress: ScanProgress) => void;
  /** How the findings are sorted through temporary files (tests make the runs small). */
  spill?: FindingSpillOptions;
}

export interface DirectoryScanRun {
  /** Its findings are read back from temporary files: walk them before `close`. */
  result: AuditResult<FindingList>;
  /** With a history: what is new and resolved since the last completed run for the same base DN. */
  diff?: HistoryDiff | BaselineDiff;
  /** Removes the temporary files the findings were sorted through; call it once the report is written. */
  close: () => void;
}

/**
 * read (LDAP, paged) → evaluate (directory rules, user by user) → waivers and baseline, finding by finding → sort
 * through spill files → history → the result. Nothing holds every finding: memory stays flat from a hundred
 * thousand users to a million (bench/ldap-scale). A scan that fails is recorded as failed in the history and
 * rethrown (an LdapScanError).
 */
export async function runDirectoryScan(options: DirectoryScanOptions): Promise<DirectoryScanRun> {
  const rules = options.rules.filter(isDirectoryRule);
  const { connect, history, baseline } = options;
  // Only waivers of the directory rules that ran can match here; the others are the GPO audit's to apply and
  // to report as expired or unused.
  const ran = new Set(rules.map((r) => r.id));
  const waiving = waiverMatcher(options.waivers.filter((w) => ran.has(w.rule)), options.today);
  const spill = new FindingSpill(options.spill);
  try {
    // The history is keyed by the base DN as the user gave it (the default naming context is only known after
    // the bind, and the run is recorded before connecting so a failed connection is recorded too).
    const historyBaseDn = connect.baseDn ?? '(defaultNamingContext)';
    const runId = history?.startRun({
      server: connect.urls.join(' '),
      baseDn: historyBaseDn,
      startedAt: new Date(),
      gpauditVersion: options.version,
      options: { ...options.scan, pageSize: connect.pageSize },
    });
    // Every finding, the baseline's included, as the history counts them.
    const found: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    // A user's findings, held until the user is evaluated: their first in report order places the user's group
    // (the text report's grouping, when the spill sorts for it).
    const userFindings: Array<{ finding: Finding; known: boolean }> = [];
    // Which of the URLs answered is known only when the scan ends; findings get it as they are read back.
    const evaluator = new DirectoryEvaluator(rules, { server: connect.urls[0] ?? '', baseDn: connect.baseDn ?? '' }, (finding) => {
      found[finding.severity]++;
      userFindings.push({ finding: waiving.apply(finding), known: baseline?.fingerprints.has(finding.fingerprint) ?? false });
    });
    const addUser = (user: DirectoryUser) => {
      evaluator.addUser(user);
      if (userFindings.length === 0) return;
      const group = firstReported(userFindings);
      for (const { finding, known } of userFindings) spill.add(finding, known, group);
      userFindings.length = 0;
    };
    let summary: ScanSummary;
    const scanStarted = performance.now();
    try {
      summary = await runScan(connect, {
        ...options.scan,
        onUser: addUser,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    } catch (err) {
      // The scan's own error is what the user needs; a history that cannot take the failure (locked, disk full)
      // leaves the run as it was, which `ldap history` shows as interrupted once this process has gone.
      if (history && runId !== undefined) tryFailRun(history, runId, err);
      throw err;
    }
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
    const sorted = spill.finish((f) => withServer(f, summary.source.server));

    let diff: HistoryDiff | BaselineDiff | undefined;
    if (history && runId !== undefined) {
      const previous = history.lastCompletedRun({ baseDn: historyBaseDn, before: runId });
      try {
        history.completeRun(runId, { endedAt: new Date(), counts: { scanned: summary.scanned, findings: sorted.all.length, bySeverity: found }, findings: mapped(sorted.all, withSubject) });
      } catch (err) {
        // completeRun is one transaction, rolled back whole; record the run failed if the file still takes that
        // one small update (a disk with room for a page but not for the findings does), then rethrow.
        tryFailRun(history, runId, err);
        throw err;
      }
      // A first run is only counted: its findings are the report's, and the diff prints how many.
      diff = history.diffRuns(previous?.id, runId, { countBaseline: true });
    }

    const notices = waiving.notices();
    if (summary.references.length) notices.push(`continuation references reported, not followed: ${summary.references.join(', ')}${summary.referencesOmitted ? ` (+${summary.referencesOmitted} more)` : ''}`);
    notices.push(`scanned ${summary.scanned} user(s) on ${summary.source.server} under ${summary.source.baseDn} in ${(directory.elapsedMs / 1000).toFixed(1)} s (filter ${summary.filter})`);

    const result: AuditResult<FindingList> = {
      tool: { name: 'gpaudit', version: options.version },
      rules,
      findings: sorted.report,
      notEvaluated: [],
      inputs: [],
      problems: [],
      notices,
      ...(baseline ? { baseline: { file: baseline.file, known: sorted.all.length - sorted.report.length } } : {}),
      directory,
      failOn: options.failOn,
      root: options.root,
      pathOf: () => undefined,
    };
    return { result, ...(diff ? { diff } : {}), close: () => spill.close() };
  } catch (err) {
    spill.close();
    throw err;
  } finally {
    history?.close();
  }
}

/** The first finding in report order of those the baseline did not know; undefined when it knew them all. */
function firstReported(entries: ReadonlyArray<{ finding: Finding; known: boolean }>): Finding | undefined {
  let first: Finding | undefined;
  for (const { finding, known } of entries) if (!known && (!first || compareFindings(finding, first) < 0)) first = finding;
  return first;
}

function* mapped<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

function tryFailRun(history: History, runId: number, err: unknown): void {
  try {
    history.failRun(runId, { endedAt: new Date(), error: err instanceof Error ? err.message : String(err) });
  } catch {
    // Already reported through err; the run stays unfinished.
  }
}

function withServer(f: Finding, server: string): Finding {
  return f.directoryObject ? { ...f, directoryObject: { ...f.directoryObject, server } } : f;
}

function withSubject(f: Finding) {
  return f.directoryObject ? { ...f, subject: { dn: f.directoryObject.dn, ...(f.directoryObject.name ? { sAMAccountName: f.directoryObject.name } : {}) } } : f;
}

