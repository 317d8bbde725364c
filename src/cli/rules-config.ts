import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfig, unknownWaiverRules, type AuditConfig } from '../config/load.js';
import { formatRuleFileError } from '../rules/rule-file-error.js';
import { loadRuleSet } from '../rules/load.js';
import type { Rule, RuleSet } from '../rules/types.js';
import { UsageError } from './errors.js';

export { unknownWaiverRules };

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

