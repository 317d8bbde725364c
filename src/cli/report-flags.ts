import { resolve } from 'node:path';
import { BaselineError, readBaseline } from '../audit/baseline.js';
import type { RunConfiguration } from '../audit/result.js';
import type { AuditFormat } from '../reporters/audit-reporters.js';
import { BUILTIN, defaultBuiltinPath } from '../rules/load.js';
import type { RuleSet } from '../rules/types.js';
import type { Severity } from '../model/severity.js';
import { UsageError } from './errors.js';
import { displayPath } from './rules-config.js';

/** The flags `audit` and `ldap scan` share (run.ts reportOptions): which rules, and how findings are reported and gate the exit code. */
export interface ReportFlags {
  rules?: string[];
  tags?: string;
  format: AuditFormat;
  output?: string;
  failOn?: Severity;
  baseline?: string;
  config?: string;
}

/** --baseline: the fingerprints of the report it names (resolved against the working directory, shown as typed). */
export function readBaselineFlag(flag: string | undefined, cwd: string): { file: string; fingerprints: Set<string> } | undefined {
  if (!flag) return undefined;
  try {
    return { file: flag, fingerprints: readBaseline(resolve(cwd, flag), flag) };
  } catch (err) {
    if (err instanceof BaselineError) throw new UsageError(err.message);
    throw err;
  }
}

/** Which configuration and rules files the run used, as shown to the user. */
export function runConfiguration(configPath: string | undefined, ruleSet: RuleSet, cwd: string): RunConfiguration {
  return {
    ...(configPath ? { file: displayPath(configPath, cwd) } : {}),
    rules: ruleSet.files.map((f) => (f === defaultBuiltinPath() ? BUILTIN : displayPath(f, cwd))),
  };
}

/** Today as YYYY-MM-DD (UTC), for waiver expiry. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
