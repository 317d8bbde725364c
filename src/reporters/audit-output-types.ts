import type { AuditResult, RunConfiguration } from '../audit/result.js';
import type { FileOutcome } from '../model/unit.js';
import type { DirectoryScanSummary } from '../model/directory.js';
import type { Finding, FindingList, NotEvaluated } from '../model/findings.js';
import type { Problem } from '../model/problems.js';
import type { Reference } from '../rules/types.js';
import type { Severity } from '../model/severity.js';
import type { PolicyOutput } from './policy-output-types.js';

/** Every audit reporter is pure: the whole result in, the whole document out. */
export type AuditReporter = (result: AuditResult<FindingList>, options: AuditReporterOptions) => string;

/**
 * The same document in pieces, handed to `write` in order: a directory scan's report can pass V8's longest string
 * (about 512 MiB), and its findings may be read from disk, so they are walked as few times as the format allows.
 */
export type AuditWriter = (result: AuditResult<FindingList>, options: AuditReporterOptions, write: (chunk: string) => void) => void;

export interface AuditReporterOptions {
  /** ANSI colour; the caller decides from the TTY and NO_COLOR. Only the text reporter uses it. */
  color: boolean;
  /** Text only: findings and the summary line, nothing else (--quiet). */
  quiet?: boolean;
  /** Text only: the problems were printed on stderr, so the report only says that the audit is incomplete. */
  problemsOnStderr?: boolean;
  /** SARIF only: the environment the run is in (an Azure Pipelines job's variables fill `automationDetails`). */
  environment?: Readonly<Record<string, string | undefined>>;
  /** HTML only: the time the report says it was made; the current time when absent (tests pin it). */
  generatedAt?: Date;
}

/**
 * The JSON document `gpaudit audit --format json` writes. schemas/audit-output.schema.json is generated from this
 * type (`npm run schema`); a test fails when the two drift apart. `--baseline` reads the fingerprints back from
 * `findings`, so they stay in this document for as long as schemaVersion is 1.
 */
export interface AuditOutput {
  $schema: string;
  /** Bumped on any incompatible change. */
  schemaVersion: 1;
  tool: { name: 'gpaudit'; version: string };
  /** The rules that ran (after --tags), in rule-set order. */
  rules: AuditOutputRule[];
  /** Worst first; suppressed findings included (they carry `suppressed` with the waiver). */
  findings: Finding[];
  notEvaluated: NotEvaluated[];
  /** What became of every file: read, failed, unsupported (recognised, not audited) or unknown. */
  inputs: FileOutcome[];
  problems: Problem[];
  /** Messages about the configuration: expired or unused waivers and the like. */
  notices: string[];
  /** Present when --baseline was given: `known` findings were in it and are left out of `findings`. */
  baseline?: { file: string; known: number };
  /** `audit --ou` only: which GPOs reach the OU on each side, in what precedence, and which do not and why. */
  policy?: AuditOuPolicy;
  /** `gpaudit ldap scan` only: the server that answered, the base DN, entries read and in scope, pages, time. */
  directory?: DirectoryScanSummary;
  /** The `.gpaudit.yaml` in use (absent when none was found) and the rules files, as shown to the user. */
  configuration?: RunConfiguration;
  summary: AuditSummary;
}

export type AuditOuPolicy = Pick<PolicyOutput, 'ou' | 'userOu' | 'sources' | 'loopback' | 'computer' | 'user' | 'assumptions'>;

export interface AuditOutputRule {
  id: string;
  title: string;
  severity: Severity;
  tags: string[];
  rationale: string;
  remediation: string;
  references: Reference[];
}

export interface AuditSummary {
  /** Findings per severity, suppressed ones not counted. */
  findings: SeverityCounts;
  /** Findings a waiver covers. */
  suppressed: number;
  /** Entries in `notEvaluated`. */
  notEvaluated: number;
  files: { total: number; read: number; failed: number; unsupported: number; unknown: number };
  /** Findings at or above this severity (and not suppressed) make the exit code 1. */
  failOn: Severity;
  /** 0 nothing at or above failOn; 1 something is; 2 usage, rules or input errors. */
  exitCode: 0 | 1 | 2;
}

export interface SeverityCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  info: number;
}
