// gpaudit as a library: read an estate of GPO exports, load rules and configuration, audit, and render the result
// in any output format. This file only re-exports; the README's "Library" section shows it in use. Nothing inside
// src/ imports it (the layering check says so), so it is the one surface that promises stability.

// Reading: files and folders in, normalised settings with provenance out, one unit at a time.
export { readEstate, type ReadEstateOptions } from './pipeline/read-estate.js';
export { builtinCatalog, loadPolicyCatalog } from './admx/load.js';
export type { PolicyCatalog } from './admx/catalog.js';

// Rules and configuration.
export { BUILTIN, defaultBuiltinPath, formatRuleFileError, loadRuleSet, type LoadRuleSetOptions, type RuleFileError } from './rules/load.js';
export { loadConfig, type AuditConfig } from './config/load.js';

// Auditing.
export { runAudit, runAuditInPool, runOuAudit, type AuditOptions, type OuAuditOptions } from './audit/run-audit.js';
// The effective policy of one OU: which GPOs reach it, in what precedence, and which wins each setting.
export { readResultantPolicy, type PolicyRunOptions, type ResultantPolicy } from './audit/run-policy.js';
export { effectiveGpoList, type AppliedGpo, type EffectiveGpoList, type EffectiveInput, type NotAppliedGpo } from './policy/effective.js';
export { exitCodeOf, type ExitCode } from './audit/exit-code.js';
export type { AuditResult, RunConfiguration } from './audit/result.js';

// Reporting: every reporter is a pure function of an AuditResult.
export { AUDIT_FORMATS, AUDIT_REPORTERS, AUDIT_WRITERS, type AuditFormat, type AuditReporter, type AuditReporterOptions, type AuditWriter } from './reporters/audit-reporters.js';
export { toAuditOutput } from './reporters/audit-json.js';
export { toSarif, type SarifLog, type SarifOptions } from './reporters/sarif.js';
export type { AuditOutput, AuditSummary } from './reporters/audit-output-types.js';
export type { SettingsOutput } from './reporters/settings-output-types.js';
export { toPolicyOutput } from './reporters/policy-output.js';
export type { PolicyOutput } from './reporters/policy-output-types.js';

// The model the outputs are made of.
export type { Finding, FindingLocation, NotEvaluated, Waiver } from './model/findings.js';
export type { Problem, ProblemCode } from './model/problems.js';
export type { GpoRef, Hive, InputFormat, PolicyScope, Provenance, Setting, SourcePosition } from './model/settings.js';
export type { GpoSettings, NormalisedUnit, FileOutcome } from './model/unit.js';
export type { DirectoryUser } from './model/directory.js';
export { SEVERITIES, SEVERITY_RANK, type Severity } from './model/severity.js';
export type { Rule, RuleSet } from './rules/types.js';
