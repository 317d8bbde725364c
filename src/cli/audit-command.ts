import { resolve } from 'node:path';
import type { PolicyCatalog } from '../admx/catalog.js';
import { BaselineError, readBaseline } from '../audit/baseline.js';
import type { AuditResult } from '../audit/result.js';
import { runAudit } from '../audit/run-audit.js';
import { unknownWaiverRules } from '../config/load.js';
import type { Hive } from '../model/settings.js';
import { AUDIT_REPORTERS, type AuditFormat } from '../reporters/audit-reporters.js';
import type { Severity } from '../rules/types.js';
import { UsageError } from './errors.js';
import { resolveConfig, resolveRules } from './rules-config.js';

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
