import { resolve } from 'node:path';
import type { PolicyCatalog } from '../admx/catalog.js';
import type { Finding, NotEvaluated, Waiver } from '../model/findings.js';
import type { Hive } from '../model/settings.js';
import type { InputPath } from '../model/unit.js';
import { readEstate } from '../pipeline/read-estate.js';
import { Evaluator, isDirectoryGpoRule, isDirectoryRule } from '../engine/evaluate.js';
import { type Rule } from '../rules/types.js';
import { type Severity } from '../model/severity.js';
import { finishFindings } from './finish-findings.js';
import type { AuditResult } from './result.js';
import { estateOptions } from './estate-options.js';
import { auditUnitTask, evaluateUnit } from './audit-unit-task.js';
import type { PolicyRunOptions, ResultantPolicy } from './run-policy.js';

export interface AuditOptions {
  rules: Rule[];
  catalog: PolicyCatalog;
  failOn: Severity;
  waivers: readonly Waiver[];
  /** Fingerprints of an earlier report: only findings it does not know are reported. */
  baseline?: { file: string; fingerprints: ReadonlySet<string> };
  /** YYYY-MM-DD, for waiver expiry. */
  today: string;
  /** The working directory: input paths are resolved against it and shown relative to it. */
  cwd: string;
  /** What waiver path globs and SARIF artifact paths are relative to: absolute, or relative to `cwd` (--root). */
  root: string;
  version: string;
  hive?: Hive;
  maxFileBytes?: number;
  /** Notices from loading the configuration (unknown waiver rules, ...), passed through to the report. */
  notices?: string[];
}

/** read → parse → normalise → evaluate, streaming the estate in this thread; then the findings are finished (finishFindings). */
export function runAudit(paths: string[], options: AuditOptions): AuditResult {
  const rules = auditRules(options.rules);
  const evaluator = new Evaluator(rules);
  const estate = readEstate(paths, estateOptions(options), (unit) => evaluateUnit(evaluator, unit));
  return auditResult(rules, evaluator.finish(), { outcomes: estate.outcomes, problems: estate.problems, pathOf: estate.pathOf }, options);
}

/**
 * runAudit on every core: units are read and evaluated by `jobs` worker threads (pipeline/read-estate-pool.ts) and
 * their findings merged in reading order, so the result is runAudit's whatever the number of jobs.
 */
export async function runAuditInPool(paths: string[], options: AuditOptions & { jobs: number; poolAfterMs?: number }): Promise<AuditResult> {
  const rules = auditRules(options.rules);
  const evaluator = new Evaluator(rules);
  const { readEstateInPool } = await import('../pipeline/read-estate-pool.js');
  const estate = await readEstateInPool(paths, { ...estateOptions(options), jobs: options.jobs, ...(options.poolAfterMs !== undefined ? { poolAfterMs: options.poolAfterMs } : {}) }, auditUnitTask(rules), (part) => evaluator.merge(part));
  return auditResult(rules, evaluator.finish(), { outcomes: estate.outcomes, problems: estate.problems, pathOf: estate.pathOf }, options);
}

/** Directory rules belong to `gpaudit ldap scan`, directory-against-SYSVOL rules to `audit --ou`. */
function auditRules(rules: Rule[]): Rule[] {
  return rules.filter((r) => !isDirectoryRule(r) && !isDirectoryGpoRule(r));
}

/** What both kinds of audit do once the rules have run: finish the findings and put the result together. */
function auditResult(
  rules: Rule[],
  evaluated: { findings: Finding[]; notEvaluated: NotEvaluated[] },
  read: Pick<AuditResult, 'problems' | 'pathOf'> & { outcomes: AuditResult['inputs'] },
  options: AuditOptions,
): AuditResult {
  const finished = finishFindings(evaluated.findings, {
    waivers: options.waivers,
    today: options.today,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    pathOf: rootRelativeOf(read.pathOf),
  });
  return {
    tool: { name: 'gpaudit', version: options.version },
    rules,
    findings: finished.findings,
    notEvaluated: evaluated.notEvaluated,
    inputs: read.outcomes,
    problems: read.problems,
    notices: [...(options.notices ?? []), ...finished.notices],
    ...(finished.baseline ? { baseline: finished.baseline } : {}),
    failOn: options.failOn,
    root: resolve(options.cwd, options.root),
    pathOf: read.pathOf,
  };
}

/** Where an `audit --ou` run gets its links and settings: run-policy.ts. */
export type OuAuditOptions = AuditOptions & Omit<PolicyRunOptions, 'paths' | 'catalog' | 'cwd' | 'root' | 'hive' | 'maxFileBytes'>;

/**
 * `audit --ou`: the rules judge the resultant policy of the OU only. Each applied GPO is evaluated with the settings
 * it wins (precedence on every finding), GPO health facts are judged, and a value no GPO reaching the OU sets is
 * reported by its `notConfigured: fail` rule at the rule's own severity, naming the OU.
 */
export async function runOuAudit(paths: string[], options: OuAuditOptions): Promise<AuditResult> {
  const rules = options.rules.filter((r) => !isDirectoryRule(r));
  // Loaded here: run-policy.ts brings the directory client, which an audit without --ou never needs.
  const { readResultantPolicy } = await import('./run-policy.js');
  const policy = await readResultantPolicy({
    ou: options.ou,
    ...(options.userOu ? { userOu: options.userOu } : {}),
    ...(options.site ? { site: options.site } : {}),
    ...(options.connect ? { connect: options.connect } : {}),
    ...(options.sysvol !== undefined ? { sysvol: options.sysvol } : {}),
    paths,
    ...estateOptions(options),
  });
  const evaluator = new Evaluator(rules);
  evaluator.addOutcomes(policy.outcomes);
  evaluator.addResultant(
    policy.winners.map((w) => ({
      group: w.group,
      precedence: w.gpo.precedence,
      ...(w.gpo.conditional ? { wmiFilter: w.gpo.conditional.wmiFilter } : {}),
      display: w.display,
      outcomes: w.outcomes,
    })),
  );
  evaluator.addGpoFacts(policy.facts);
  const evaluated = evaluator.finish({ ou: options.ou });
  // A GPO that reaches the OU with settings nobody could read: every settings rule is unanswered for it.
  const unread = policy.settingsNotRead.flatMap((g) =>
    rules
      .filter((r) => r.checks.some((c) => c.match.kind !== 'gpo'))
      .map((r) => ({ ruleId: r.id, input: g.name ? `GPO "${g.name}" ${g.id}` : `GPO ${g.id}`, reason: `the GPO reaches ${options.ou} but its settings were not read` })),
  );
  const result = auditResult(rules, { findings: evaluated.findings, notEvaluated: [...evaluated.notEvaluated, ...unread] }, { outcomes: policy.outcomes, problems: policy.problems, pathOf: policy.pathOf }, options);
  return { ...result, policy: policySummary(policy) };
}

/** What an audit report says about the OU: the two GPO lists, where the data came from, what was assumed. */
function policySummary(policy: ResultantPolicy): NonNullable<AuditResult['policy']> {
  return {
    ou: policy.ou,
    ...(policy.userOu ? { userOu: policy.userOu } : {}),
    sources: policy.sources,
    ...(policy.loopback ? { loopback: policy.loopback } : {}),
    computer: { applied: policy.computer.applied, notApplied: policy.computer.notApplied },
    user: { applied: policy.user.applied, notApplied: policy.user.notApplied },
    assumptions: policy.assumptions,
  };
}

/** A file as waiver path globs see it: relative to the root, or absolute when it lies outside the root. */
function rootRelativeOf(pathOf: (display: string) => InputPath | undefined): (file: string) => string {
  return (file) => {
    const known = pathOf(file);
    return known ? (known.fromRoot ?? known.path) : file;
  };
}
