import { exitCodeOf } from '../audit/exit-code.js';
import type { AuditResult } from '../audit/result.js';
import type { Rule } from '../rules/types.js';
import type { OuPolicySummary } from '../audit/result.js';
import { toPolicySide } from './policy-output.js';
import type { AuditOutput, AuditOuPolicy, AuditOutputRule, AuditReporter, AuditSummary, SeverityCounts } from './audit-output-types.js';

export const AUDIT_SCHEMA_ID = 'https://github.com/gpaudit/gpaudit/schemas/audit-output.schema.json';

/** One JSON document; its shape is schemas/audit-output.schema.json. */
export const jsonAuditReporter: AuditReporter = (result) => `${JSON.stringify(toAuditOutput(result), null, 2)}\n`;

export function toAuditOutput(result: AuditResult): AuditOutput {
  return {
    $schema: AUDIT_SCHEMA_ID,
    schemaVersion: 1,
    tool: { name: result.tool.name, version: result.tool.version },
    rules: result.rules.map(publicRule),
    findings: result.findings,
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

export function summariseAudit(result: AuditResult): AuditSummary {
  const findings = zeroCounts();
  let suppressed = 0;
  for (const f of result.findings) {
    if (f.suppressed) suppressed++;
    else findings[f.severity]++;
  }
  const files = { total: result.inputs.length, read: 0, failed: 0, unsupported: 0, unknown: 0 };
  for (const input of result.inputs) files[input.status]++;
  return { findings, suppressed, notEvaluated: result.notEvaluated.length, files, failOn: result.failOn, exitCode: exitCodeOf(result) };
}

function zeroCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}
