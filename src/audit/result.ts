import type { FileOutcome, InputPath } from '../model/unit.js';
import type { DirectoryScanSummary } from '../model/directory.js';
import type { Finding, FindingList, NotEvaluated } from '../model/findings.js';
import type { Problem } from '../model/problems.js';
import type { Rule } from '../rules/types.js';
import type { Severity } from '../model/severity.js';
import type { PolicySideResult, ResultantPolicy } from './run-policy.js';

/**
 * Everything one `gpaudit audit` run produced; every reporter renders this and nothing else. A GPO audit holds its
 * findings in an array; a directory scan's may be read back from spill files (`AuditResult<FindingList>`), and the
 * reporters take either.
 */
export interface AuditResult<F extends FindingList = Finding[]> {
  tool: { name: 'gpaudit'; version: string };
  /** The rules that ran (after --tags), in rule-set order. */
  rules: Rule[];
  /** Every finding, suppressed ones included (they carry `suppressed`), in report order (compareFindings). */
  findings: F;
  notEvaluated: NotEvaluated[];
  inputs: FileOutcome[];
  problems: Problem[];
  /** Messages about the configuration the user should see: expired waivers, unused waivers. */
  notices: string[];
  /** Set when --baseline was given: how many findings it already knew and so are not reported. */
  baseline?: { file: string; known: number };
  /** `audit --ou` only: the OU's GPO lists (which GPOs reach it, in what precedence, which do not and why). */
  policy?: OuPolicySummary;
  /** `gpaudit ldap scan` only: what the directory scan read (a directory result has no `inputs`). */
  directory?: DirectoryScanSummary;
  failOn: Severity;
  /** Which configuration and rules files the run used, so a report says what it was judged against. */
  configuration?: RunConfiguration;
  /** Absolute: the directory root-relative paths are relative to (--root, else the working directory). */
  root: string;
  /**
   * The absolute and root-relative forms of an input path the run read, by the name the rest of the result gives
   * it (`display`: finding locations, problems, inputs, not-evaluated entries); undefined for a name it did not
   * read (always, for a directory scan). A function, not a table: it derives a file's paths from its unit's, so a
   * result does not hold 23,000 path objects for 5,000 GPOs.
   */
  pathOf: (display: string) => InputPath | undefined;
}

export interface OuPolicySummary {
  ou: string;
  userOu?: string;
  sources: ResultantPolicy['sources'];
  loopback?: ResultantPolicy['loopback'];
  computer: Pick<PolicySideResult, 'applied' | 'notApplied'>;
  user: Pick<PolicySideResult, 'applied' | 'notApplied'>;
  assumptions: string[];
}

export interface RunConfiguration {
  /** The `.gpaudit.yaml` in use (found upward from the working directory, or --config), as shown to the user. */
  file?: string;
  /** Rules files in load order; `builtin` stands for the bundled pack. */
  rules: string[];
}
