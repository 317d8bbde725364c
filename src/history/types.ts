import type { Finding } from '../model/findings.js';
import type { Severity } from '../model/severity.js';

/** Who or what a directory finding is about, so a stored finding can still be printed after the entry is gone. */
export interface FindingSubject {
  dn: string;
  sAMAccountName?: string;
}

/** What a run must hand over per finding; a plain `Finding` fits, a directory finding may add its subject. */
export type RecordableFinding = Pick<Finding, 'ruleId' | 'severity' | 'message' | 'fingerprint'> & {
  title?: string;
  subject?: FindingSubject;
};

/** A finding as read back from the history. */
export interface StoredFinding {
  ruleId: string;
  title?: string;
  severity: Severity;
  message: string;
  fingerprint: string;
  subject?: FindingSubject;
}

/**
 * 'interrupted' is never written: it is how a run still marked 'running' reads once the process that
 * wrote it is gone (killed, crashed, machine rebooted).
 */
export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';

export interface RunCounts {
  /** Directory entries the scan read. */
  scanned: number;
  findings: number;
  bySeverity: Partial<Record<Severity, number>>;
}

export interface RunStart {
  server: string;
  baseDn: string;
  startedAt: Date;
  gpauditVersion: string;
  /** The options the scan ran with (JSON-serialisable), kept so a reader can tell two runs apart. */
  options: Record<string, unknown>;
}

export interface RunCompletion {
  endedAt: Date;
  counts: RunCounts;
  /**
   * Stored in the order given (an array, or a generator reading them back from disk): consumed one at a time
   * inside the run's transaction, never copied, so a run of half a million findings needs no array of them.
   */
  findings: Iterable<RecordableFinding>;
}

export interface RunFailure {
  endedAt: Date;
  error: string;
}

export interface RunSummary {
  id: number;
  status: RunStatus;
  server: string;
  baseDn: string;
  /** ISO 8601, UTC. */
  startedAt: string;
  endedAt?: string;
  gpauditVersion: string;
  options: Record<string, unknown>;
  /** Only for completed runs. */
  counts?: RunCounts;
  /** Only for failed runs. */
  error?: string;
}

export interface RunDetail extends RunSummary {
  findings: StoredFinding[];
}

export interface RunFilter {
  server?: string;
  baseDn?: string;
  /** Only runs with a smaller id: the base for a run must be looked up while ignoring that run itself. */
  before?: number;
}

export interface HistoryDiff<F extends RecordableFinding = RecordableFinding> {
  /** The completed run compared with; absent on the first run for a base DN, when every finding counts as new. */
  baseRunId?: number;
  new: F[];
  resolved: StoredFinding[];
  unchanged: number;
}

/**
 * The first run for a base DN when its findings are not read back: a first run's diff prints only how many
 * findings it has, and reading half a million rows back into memory to count them would defeat a flat scan.
 */
export interface BaselineDiff {
  baseRunId?: undefined;
  /** Every finding of the run: with nothing to compare with, all of them are new. */
  newCount: number;
}

export interface DiffRunsOptions {
  /** Without a previous run, give a `BaselineDiff` (a count) instead of every finding of the run. */
  countBaseline: true;
}
