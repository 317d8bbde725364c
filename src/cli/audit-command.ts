import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PolicyCatalog } from '../admx/catalog.js';
import { BaselineError, readBaseline } from '../audit/baseline.js';
import type { AuditResult } from '../audit/result.js';
import { runAudit } from '../audit/run-audit.js';
import { loadConfig, unknownWaiverRules, type AuditConfig } from '../config/load.js';
import type { Hive } from '../model/settings.js';
import { AUDIT_REPORTERS, type AuditFormat } from '../reporters/audit-reporters.js';
import { formatRuleFileError } from '../rules/rule-file-error.js';
import { loadRuleSet } from '../rules/load.js';
import type { Rule, RuleSet, Severity } from '../rules/types.js';
import { UsageError } from './errors.js';

export interface AuditFlags {
  rules?: string[];
  tags?: string;
  format: AuditFormat;
  output?: string;
  failOn?: Severity;
  baseline?: string;
  config?: string;
  root?: string;
  admx?: string;
  lang: string;
  hive?: Hive;
  maxFileSize: number;
}

export const DEFAULT_CONFIG_FILE = '.gpaudit.yaml';

/** The configuration named by --config, else `.gpaudit.yaml` in the current directory if there is one. */
export function resolveConfig(flag: string | undefined, cwd: string): { config?: AuditConfig; path?: string } {
  const path = flag ?? (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : undefined);
  if (!path) return {};
  const { config, errors } = loadConfig(resolve(cwd, path));
  if (errors.length > 0 || !config) throw new UsageError(errors.map(formatRuleFileError).join('\n') || `cannot read ${path}`);
  return { config, path };
}

/** Rule files from the configuration (relative to it) then --rules; the built-in pack when neither names any. */
export function resolveRules(flags: { rules?: string[]; tags?: string }, config: AuditConfig | undefined, configPath: string | undefined, cwd: string): RuleSet {
  const fromConfig = (config?.rules ?? []).map((r) => resolve(dirname(resolve(cwd, configPath ?? '.')), r));
  const files = [...fromConfig, ...(flags.rules ?? []).map((r) => resolve(cwd, r))];
  const { ruleSet, errors } = loadRuleSet(files, config?.severity ? { severityOverrides: config.severity } : {});
  if (errors.length > 0 || !ruleSet) throw new UsageError(errors.map(formatRuleFileError).join('\n') || 'no rules loaded');
  const tags = (flags.tags ?? config?.tags?.join(',') ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (tags.length === 0) return ruleSet;
  const rules = ruleSet.rules.filter((r: Rule) => r.tags.some((t) => tags.includes(t)));
  if (rules.length === 0) throw new UsageError(`no rule has any of the tags ${tags.join(', ')}`);
  return { ...ruleSet, rules };
}

export function auditCommand(paths: string[], flags: AuditFlags, catalog: PolicyCatalog, version: string, cwd: string, isTty: boolean): { text: string; result: AuditResult } {
  const { config, path: configPath } = resolveConfig(flags.config, cwd);
  const ruleSet = resolveRules(flags, config, configPath, cwd);
  let baseline: { file: string; fingerprints: Set<string> } | undefined;
  if (flags.baseline) {
    try {
      baseline = { file: flags.baseline, fingerprints: readBaseline(resolve(cwd, flags.baseline)) };
    } catch (err) {
      if (err instanceof BaselineError) throw new UsageError(err.message);
      throw err;
    }
  }
  const notices = config ? unknownWaiverRules(config, ruleSet).map((id) => `a waiver names rule "${id}", which is not in the rule set`) : [];
  const result = runAudit(paths, {
    rules: ruleSet.rules,
    catalog,
    failOn: flags.failOn ?? config?.failOn ?? 'low',
    waivers: config?.waivers ?? [],
    ...(baseline ? { baseline } : {}),
    today: new Date().toISOString().slice(0, 10),
    root: flags.root ?? config?.root ?? '.',
    version,
    ...(flags.hive ? { hive: flags.hive } : {}),
    maxFileBytes: Math.floor(flags.maxFileSize * 1024 * 1024),
    notices,
  });
  const color = flags.format === 'text' && !flags.output && isTty && !process.env.NO_COLOR;
  return { text: AUDIT_REPORTERS[flags.format](result, { color }), result };
}
