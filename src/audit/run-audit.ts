import type { PolicyCatalog } from '../admx/catalog.js';
import type { Finding, Waiver } from '../model/findings.js';
import type { Hive } from '../model/settings.js';
import { readEstate } from '../pipeline/read-estate.js';
import { Evaluator, isDirectoryRule } from '../engine/evaluate.js';
import { type Rule } from '../rules/types.js';
import { SEVERITY_RANK, type Severity } from '../model/severity.js';
import { newSince } from './baseline.js';
import type { AuditResult } from './result.js';
import { applyWaivers } from './waivers.js';

export interface AuditOptions {
  rules: Rule[];
  catalog: PolicyCatalog;
  failOn: Severity;
  waivers: readonly Waiver[];
  /** Fingerprints of an earlier report: only findings it does not know are reported. */
  baseline?: { file: string; fingerprints: Set<string> };
  /** YYYY-MM-DD, for waiver expiry. */
  today: string;
  root: string;
  version: string;
  hive?: Hive;
  maxFileBytes?: number;
  /** Notices from loading the configuration (unknown waiver rules, ...), passed through to the report. */
  notices?: string[];
}

/** read → parse → normalise → evaluate, streaming the estate; then waivers, baseline and the exit code. */
export function runAudit(paths: string[], options: AuditOptions): AuditResult {
  // Directory rules belong to `gpaudit ldap scan`; a GPO audit runs the GPO rules only.
  const rules = options.rules.filter((r) => !isDirectoryRule(r));
  const evaluator = new Evaluator(rules);
  const { outcomes, problems } = readEstate(
    paths,
    { catalog: options.catalog, ...(options.hive ? { hive: options.hive } : {}), ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}) },
    (unit) => evaluator.addUnit(unit),
  );
  const evaluated = evaluator.finish();
  const waived = applyWaivers(sortFindings(evaluated.findings), options.waivers, options.today);
  let findings = waived.findings;
  let baseline: AuditResult['baseline'];
  if (options.baseline) {
    const { fresh, known } = newSince(findings, options.baseline.fingerprints);
    findings = fresh;
    baseline = { file: options.baseline.file, known };
  }
  const inputError = problems.some((p) => p.severity === 'error');
  const failing = findings.some((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[options.failOn]);
  return {
    tool: { name: 'gpaudit', version: options.version },
    rules,
    findings,
    notEvaluated: evaluated.notEvaluated,
    inputs: outcomes,
    problems,
    notices: [...(options.notices ?? []), ...waived.notices],
    ...(baseline ? { baseline } : {}),
    failOn: options.failOn,
    root: options.root,
    exitCode: inputError ? 2 : failing ? 1 : 0,
  };
}

/** Worst first, then by rule and GPO, so reports and diffs are stable. */
function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      a.ruleId.localeCompare(b.ruleId) ||
      (a.gpo?.name ?? '').localeCompare(b.gpo?.name ?? '') ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
}
