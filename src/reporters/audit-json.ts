import { exitCodeOf } from '../audit/exit-code.js';
import type { AuditResult } from '../audit/result.js';
import { tallyFindings, type Finding, type FindingList } from '../model/findings.js';
import type { Rule } from '../rules/types.js';
import type { OuPolicySummary } from '../audit/result.js';
import { toPolicySide } from './policy-output.js';
import type { AuditOutput, AuditOuPolicy, AuditOutputRule, AuditWriter, AuditSummary, SeverityCounts } from './audit-output-types.js';
import { reporterOf, withTally, writeJsonSpliced } from './audit-writer.js';

export const AUDIT_SCHEMA_ID = 'https://github.com/gpaudit/gpaudit/schemas/audit-output.schema.json';

/** One JSON document; its shape is schemas/audit-output.schema.json. */
export const jsonAuditWriter: AuditWriter = (result, _options, write) => {
  const counted = withTally(result);
  writeJsonSpliced(auditDocument(counted, []), 'findings', '  ', counted.findings, (f) => f, write);
  write('\n');
};

export const jsonAuditReporter = reporterOf(jsonAuditWriter);

export function toAuditOutput(result: AuditResult): AuditOutput {
  return auditDocument(result, result.findings);
}

/** The document with `findings` as given: the result's, or an empty array the writer splices the findings into. */
function auditDocument(result: AuditResult<FindingList>, findings: Finding[]): AuditOutput {
  return {
    $schema: AUDIT_SCHEMA_ID,
    schemaVersion: 1,
    tool: { name: result.tool.name, version: result.tool.version },
    rules: result.rules.map(publicRule),
    findings,
    notEvaluated: result.notEvaluated,
    inputs: result.inputs,
    problems: result.problems,
    notices: result.notices,
    ...(result.baseline ? { baseline: result.baseline } : {}),
    ...(result.directory ? { directory: result.directory } : {}),
    ...(result.policy ? { policy: ouPolicyOutput(result.policy) } : {}),
    ...(result.configuration ? { configuration: result.configuration } : {}),
    summary: summariseAudit(result),
  };
}

function ouPolicyOutput(p: OuPolicySummary): AuditOuPolicy {
  return {
    ou: p.ou,
    ...(p.userOu ? { userOu: p.userOu } : {}),
    sources: p.sources,
    ...(p.loopback ? { loopback: p.loopback } : {}),
    computer: toPolicySide(p.computer),
    user: toPolicySide(p.user),
    assumptions: p.assumptions,
  };
}

// Checks and the rule's source file are the rule set's business, not the report's; `gpaudit rules show` has them.
function publicRule(rule: Rule): AuditOutputRule {
  const { id, title, severity, tags, rationale, remediation, references } = rule;
  return { id, title, severity, tags, rationale, remediation, references };
}

/** Counts from the list's tally: free when the list carries one (see withTally), else one pass. */
export function summariseAudit(result: AuditResult<FindingList>): AuditSummary {
  const { bySeverity, suppressed } = tallyFindings(result.findings);
  // Spelt out, not spread: the document's key order must not depend on how the tally was built.
  const findings: SeverityCounts = { critical: bySeverity.critical, high: bySeverity.high, medium: bySeverity.medium, low: bySeverity.low, info: bySeverity.info };
  const files = { total: result.inputs.length, read: 0, failed: 0, unsupported: 0, unknown: 0 };
  for (const input of result.inputs) files[input.status]++;
  return { findings, suppressed, notEvaluated: result.notEvaluated.length, files, failOn: result.failOn, exitCode: exitCodeOf(result) };
}
