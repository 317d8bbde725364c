import { tallyFindings, type FindingList } from '../model/findings.js';
import { SEVERITIES, SEVERITY_RANK } from '../model/severity.js';
import type { AuditResult } from './result.js';

export type ExitCode = 0 | 1 | 2;

/**
 * The exit code a result calls for: 2 when an input could not be read (an error problem), else 1 when a finding
 * not covered by a waiver is at or above `failOn`, else 0. The CLI exits with it; reports that show it call this.
 */
export function exitCodeOf(result: Pick<AuditResult<FindingList>, 'findings' | 'problems' | 'failOn'>): ExitCode {
  if (result.problems.some((p) => p.severity === 'error')) return 2;
  const threshold = SEVERITY_RANK[result.failOn];
  const { bySeverity } = tallyFindings(result.findings);
  return SEVERITIES.some((s) => bySeverity[s] > 0 && SEVERITY_RANK[s] >= threshold) ? 1 : 0;
}
