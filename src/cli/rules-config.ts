import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { loadConfig, type AuditConfig } from '../config/load.js';
import { formatRuleFileError } from '../rules/rule-file-error.js';
import { loadRuleSet } from '../rules/load.js';
import type { Rule, RuleSet } from '../rules/types.js';
import { UsageError } from './errors.js';

export const DEFAULT_CONFIG_FILE = '.gpaudit.yaml';

/**
 * The configuration named by --config, else the nearest `.gpaudit.yaml` from the current directory upward, stopping
 * at the repository root (a folder holding `.git`) or the file system root, as ESLint and Spectral users expect.
 * `path` is absolute.
 */
export function resolveConfig(flag: string | undefined, cwd: string): { config?: AuditConfig; path?: string } {
  const path = flag !== undefined ? resolve(cwd, flag) : findConfig(cwd);
  if (!path) return {};
  const { config, errors } = loadConfig(path);
  if (errors.length > 0 || !config) throw new UsageError(errors.map(formatRuleFileError).join('\n') || `cannot read ${path}`);
  return { config, path };
}

export function findConfig(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, DEFAULT_CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return undefined;
  }
}

/** How to show a path to the user: relative to the working directory when inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
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

