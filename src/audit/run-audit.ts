import { resolve } from 'node:path';
import type { PolicyCatalog } from '../admx/catalog.js';
import type { Waiver } from '../model/findings.js';
import type { Hive } from '../model/settings.js';
import type { InputPath } from '../model/unit.js';
import { readEstate } from '../pipeline/read-estate.js';
import { Evaluator, isDirectoryRule } from '../engine/evaluate.js';
import { type Rule } from '../rules/types.js';
import { type Severity } from '../model/severity.js';
import { finishFindings } from './finish-findings.js';
import type { AuditResult } from './result.js';

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

/** read → parse → normalise → evaluate, streaming the estate; then the findings are finished (finishFindings). */
export function runAudit(paths: string[], options: AuditOptions): AuditResult {
  // Directory rules belong to `gpaudit ldap scan`; a GPO audit runs the GPO rules only.
  const rules = options.rules.filter((r) => !isDirectoryRule(r));
  const evaluator = new Evaluator(rules);
  const estate = readEstate(
    paths,
    {
      catalog: options.catalog,
      cwd: options.cwd,
      root: options.root,
      ...(options.hive ? { hive: options.hive } : {}),
      ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}),
    },
    (unit) => evaluator.addUnit(unit),
  );
  const evaluated = evaluator.finish();
  const finished = finishFindings(evaluated.findings, {
    waivers: options.waivers,
    today: options.today,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    pathOf: rootRelativeOf(estate.pathOf),
  });
  return {
    tool: { name: 'gpaudit', version: options.version },
    rules,
    findings: finished.findings,
    notEvaluated: evaluated.notEvaluated,
    inputs: estate.outcomes,
    problems: estate.problems,
    notices: [...(options.notices ?? []), ...finished.notices],
    ...(finished.baseline ? { baseline: finished.baseline } : {}),
    failOn: options.failOn,
    root: resolve(options.cwd, options.root),
    pathOf: estate.pathOf,
  };
}


/** A file as waiver path globs see it: relative to the root, or absolute when it lies outside the root. */
function rootRelativeOf(pathOf: (display: string) => InputPath | undefined): (file: string) => string {
  return (file) => {
    const known = pathOf(file);
    return known ? (known.fromRoot ?? known.path) : file;
  };
}
