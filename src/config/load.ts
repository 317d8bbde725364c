import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Waiver } from '../model/findings.js';
import { BUILTIN } from '../rules/builtin.js';
import { globProblem } from '../rules/safe-regex.js';
import { suggest } from '../rules/suggest.js';
import type { RuleFileError } from '../rules/rule-file-error.js';
import { schemaErrors, schemaHints, sortErrors } from '../rules/schema-errors.js';
import { configSchema, configValidator } from '../rules/schemas.js';
import type { RuleSet } from '../rules/types.js';
import type { Severity } from '../model/severity.js';
import { locate, readYamlFile, type YamlSource } from '../rules/yaml-source.js';

export { formatRuleFileError, type RuleFileError } from '../rules/rule-file-error.js';

export const CONFIG_FILE_NAME = '.gpaudit.yaml';

export interface AuditConfig {
  version: 1;
  /** Rules files, resolved against the configuration file's directory (`builtin` stays as it is). */
  rules?: string[];
  failOn?: Severity;
  tags?: string[];
  /** Severity per rule id. */
  severity?: Record<string, Severity>;
  /** Resolved against the configuration file's directory. */
  root?: string;
  waivers?: Waiver[];
}

/**
 * Read and validate a `.gpaudit.yaml`. Relative paths in it (`rules`, `root`) are relative to the file and come
 * back resolved, so the caller can use them from any working directory. Waivers naming rules that do not exist
 * are not errors here: only the caller knows the rule set (see unknownWaiverRules).
 */
export function loadConfig(file: string): { config?: AuditConfig; errors: RuleFileError[] } {
  const { source, errors } = readYamlFile(file);
  const all = [...errors];
  if (!source) return { errors: all };
  if (source.data === null || source.data === undefined) {
    return { errors: [...all, { file, line: 1, column: 1, path: '', code: 'schema', message: 'the file is empty; a configuration file starts with "version: 1"' }] };
  }
  const validate = configValidator();
  if (!validate(source.data)) all.push(...schemaErrors(source, validate.errors ?? [], schemaHints(configSchema())));
  all.push(...waiverDateErrors(source), ...waiverGlobErrors(source), ...missingRulesFiles(source));
  if (all.length > 0) return { errors: sortErrors(all) };
  return { config: resolvePaths(source.data as AuditConfig, path.dirname(file)), errors: [] };
}

function resolvePaths(config: AuditConfig, dir: string): AuditConfig {
  const resolve = (p: string): string => (path.isAbsolute(p) ? p : path.join(dir, p));
  return {
    ...config,
    ...(config.rules ? { rules: config.rules.map((r) => (r === BUILTIN ? r : resolve(r))) } : {}),
    ...(config.root !== undefined ? { root: resolve(config.root) } : {}),
  };
}

// Both checks look at data the schema may have rejected, so they test every type they rely on.

function waiverDateErrors(source: YamlSource): RuleFileError[] {
  const waivers = isRecord(source.data) ? source.data.waivers : undefined;
  if (!Array.isArray(waivers)) return [];
  return waivers.flatMap((w: unknown, i) => {
    const expires = isRecord(w) ? w.expires : undefined;
    if (typeof expires !== 'string' || !DATE.test(expires) || isRealDate(expires)) return [];
    const pointer = `/waivers/${i}/expires`;
    return [{ file: source.file, ...locate(source, pointer), path: pointer, code: 'invalid-value' as const, message: `"${expires}" is not a real date` }];
  });
}

/** A waiver's path glob becomes a backtracking RegExp (picomatch): globs that could make it slow are refused. */
function waiverGlobErrors(source: YamlSource): RuleFileError[] {
  const waivers = isRecord(source.data) ? source.data.waivers : undefined;
  if (!Array.isArray(waivers)) return [];
  return waivers.flatMap((w: unknown, i) => {
    const glob = isRecord(w) ? w.path : undefined;
    const problem = typeof glob === 'string' ? globProblem(glob) : undefined;
    if (!problem) return [];
    const pointer = `/waivers/${i}/path`;
    return [{ file: source.file, ...locate(source, pointer), path: pointer, code: 'invalid-value' as const, message: `"${String(glob)}" ${problem}` }];
  });
}

function missingRulesFiles(source: YamlSource): RuleFileError[] {
  const rules = isRecord(source.data) ? source.data.rules : undefined;
  if (!Array.isArray(rules)) return [];
  const dir = path.dirname(source.file);
  return rules.flatMap((r: unknown, i) => {
    if (typeof r !== 'string' || r === '' || r === BUILTIN) return [];
    const resolved = path.isAbsolute(r) ? r : path.join(dir, r);
    if (existsSync(resolved)) return [];
    const pointer = `/rules/${i}`;
    return [{ file: source.file, ...locate(source, pointer), path: pointer, code: 'io-error' as const, message: `rules file not found: ${resolved}` }];
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` that names a day of the calendar (no 2025-02-30). */
export function isRealDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Waivers whose rule is not in the rule set: a typo, or a rule that was removed. The caller reports them. */
export function unknownWaiverRules(config: AuditConfig, ruleSet: RuleSet): Waiver[] {
  const ids = new Set(ruleSet.rules.map((r) => r.id));
  return (config.waivers ?? []).filter((w) => !ids.has(w.rule));
}

/** The report's line for each waiver naming a rule that is not in the set: the id, and the one it most likely meant. */
export function unknownWaiverNotices(config: AuditConfig, ruleSet: RuleSet): string[] {
  const ids = ruleSet.rules.map((r) => r.id);
  return unknownWaiverRules(config, ruleSet).map((w) => {
    const near = suggest(w.rule, ids);
    return `a waiver names rule "${w.rule}", which is not in the rule set${near ? `; did you mean "${near}"?` : ' (`gpaudit rules list` shows the ids)'}`;
  });
}

/** Rule ids in `severity:` that name no rule of the set. */
export function unknownSeverityRules(config: AuditConfig, ruleSet: RuleSet): string[] {
  const ids = new Set(ruleSet.rules.map((r) => r.id));
  return Object.keys(config.severity ?? {}).filter((id) => !ids.has(id));
}
