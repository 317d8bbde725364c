import type { Finding, Waiver } from '../model/findings.js';
import { SEVERITY_RANK } from '../model/severity.js';
import { newSince } from './baseline.js';
import type { AuditResult } from './result.js';
import { applyWaivers } from './waivers.js';

export interface FinishOptions {
  waivers: readonly Waiver[];
  /** YYYY-MM-DD, for waiver expiry. */
  today: string;
  /** Fingerprints of an earlier report: only findings it does not know are kept. */
  baseline?: { file: string; fingerprints: ReadonlySet<string> };
  /**
   * The path a waiver's `path` glob is matched against for a file a finding names (by its display name): relative
   * to the root. Default: the name itself (a directory scan has no files).
   */
  pathOf?: (file: string) => string;
}

export interface FinishedFindings {
  /** Sorted (see compareFindings), waived ones marked `suppressed`, those the baseline knew left out. */
  findings: Finding[];
  /** Expired and unused waivers. */
  notices: string[];
  /** Set when a baseline was given: how many findings it already knew. */
  baseline?: AuditResult['baseline'];
}

/**
 * What every kind of audit does with its findings once the rules have run: order them, mark those a waiver
 * covers, and drop those an earlier report (--baseline) already had.
 */
export function finishFindings(findings: readonly Finding[], options: FinishOptions): FinishedFindings {
  const waived = applyWaivers([...findings].sort(compareFindings), options.waivers, options.today, options.pathOf);
  if (!options.baseline) return { findings: waived.findings, notices: waived.notices };
  const { fresh, known } = newSince(waived.findings, options.baseline.fingerprints);
  return { findings: fresh, notices: waived.notices, baseline: { file: options.baseline.file, known } };
}

/**
 * Worst first, then by rule, then by subject (the GPO's name, or the directory object's DN), then by fingerprint,
 * so reports and diffs are stable.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    a.ruleId.localeCompare(b.ruleId) ||
    subjectOf(a).localeCompare(subjectOf(b)) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}

function subjectOf(f: Finding): string {
  return f.gpo?.name ?? f.directoryObject?.dn ?? '';
}
