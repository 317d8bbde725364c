import type { Severity } from './severity.js';
import type { GpoRef, InputFormat, SourcePosition } from './settings.js';

/** One place a finding's setting was read from. A GPO exported in three formats gives three locations. */
export interface FindingLocation {
  file: string;
  format: InputFormat;
  position: SourcePosition;
  /** The setting as it stands there, e.g. `HKLM\...\DisableMSI = 2 (REG_DWORD)`. */
  setting: string;
}

export interface Waiver {
  rule: string;
  /** GPO display name or GUID. */
  gpo?: string;
  /**
   * Glob on the path of a file the finding was read from, relative to the root (--root, else the configuration's
   * `root`, else the working directory), `/`-separated; a file outside the root is matched by its absolute path,
   * a directory finding by the user's DN.
   */
  path?: string;
  reason: string;
  /** YYYY-MM-DD; the waiver stops applying after this day. */
  expires: string;
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  tags: string[];
  /** The whole statement: title, what was found and any notes. Reports that list locations show `title` and `notes`. */
  message: string;
  /**
   * What the message adds beyond the title and the settings its locations show: item-level targeting, the text of a
   * check's own message template, condition notes. A text report prints these once, in the headline.
   */
  notes?: string[];
  /** The audit-wide reminder that nothing the audit read configures the rule's setting (rule `notConfigured: fail`). */
  notConfigured?: true;
  /** The GPO that set the value. Absent for a loose file with no GPO identity, and for audit-wide reminders. */
  gpo?: GpoRef;
  /** Directory scans only: the user the finding is about, and the server that was scanned. */
  directoryObject?: { dn: string; name?: string; server: string };
  /**
   * `audit --ou` only: the GPO's precedence in the OU's resultant policy (1 = applied last, wins). The finding's
   * settings are the ones this GPO wins; values it loses to a better GPO make no finding.
   */
  precedence?: number;
  /** `audit --ou` only, on a `notConfigured` reminder: the OU where nothing sets the value. */
  ou?: string;
  /** RSoP input only: the setting won with this precedence (1), so this GPO is the winning GPO. */
  rsop?: { precedence: number; winner: boolean };
  locations: FindingLocation[];
  /** A preference item with item-level targeting: applies only where its filters match. */
  conditional?: boolean;
  /** Stable across runs for the same rule, GPO and settings; used by SARIF, baselines and waivers. */
  fingerprint: string;
  /** Set when a waiver in the configuration covers the finding. */
  suppressed?: { waiver: Waiver };
}

/** A rule that could not be evaluated for some input, and why. */
export interface NotEvaluated {
  ruleId: string;
  /** The input (file or GPO folder) concerned; absent when it concerns the whole audit. */
  input?: string;
  reason: string;
}

/**
 * A run's findings in report order. An array, or findings read back from disk one at a time: a directory scan of a
 * million users sorts its findings through spill files instead of holding them (src/audit/finding-spill.ts). Each
 * iteration reads the list afresh, so a reporter should walk it once where it can.
 */
export interface FindingList extends Iterable<Finding> {
  readonly length: number;
  /** Known without a pass over the list when the list was counted as it was built. */
  readonly tally?: FindingTally;
  /**
   * The same findings grouped by subject (a directory user): each subject's findings together and in report order,
   * the subjects in the order of their first finding. A directory scan sorts them so for the text report, which
   * lists findings so grouped and can then write them as they come instead of holding them all.
   */
  readonly bySubject?: Iterable<Finding>;
}

/** Findings per severity not covered by a waiver, how many a waiver covers, and which rules made any. */
export interface FindingTally {
  bySeverity: Record<Severity, number>;
  suppressed: number;
  /** Rules with a finding in the list, suppressed or not. */
  rules: ReadonlySet<string>;
}

/** The list's tally: the one it carries, else counted in one pass. */
export function tallyFindings(findings: FindingList): FindingTally {
  if (findings.tally) return findings.tally;
  const tally = { bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, suppressed: 0, rules: new Set<string>() };
  for (const f of findings) {
    if (f.suppressed) tally.suppressed++;
    else tally.bySeverity[f.severity]++;
    tally.rules.add(f.ruleId);
  }
  return tally;
}
