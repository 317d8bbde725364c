import { exitCodeOf } from '../audit/exit-code.js';
import type { AuditResult } from '../audit/result.js';
import type { Finding, FindingLocation, NotEvaluated } from '../model/findings.js';
import { formatProblem, type Problem } from '../model/problems.js';
import { type Rule } from '../rules/types.js';
import { SEVERITY_RANK, type Severity } from '../model/severity.js';
import type { AuditReporter, SeverityCounts } from './audit-output-types.js';
import { summariseAudit } from './audit-json.js';
import { formatGpo, formatLocation } from '../model/describe.js';
import { directorySummaryLine } from './directory-summary.js';
import { ouSectionText } from './policy-output.js';
import { printable } from './printable.js';

// Plain SGR codes: five colours do not justify a dependency, and NO_COLOR/TTY detection is the caller's job.
const SGR = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', blue: '34', cyan: '36', boldRed: '1;31' } as const;
type Style = keyof typeof SGR;

const SEVERITY_STYLE: Readonly<Record<Severity, Style>> = { critical: 'boldRed', high: 'red', medium: 'yellow', low: 'cyan', info: 'blue' };
const ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

type Paint = (style: Style, text: string) => string;

/**
 * Human-readable report. What could not be read comes first, then findings grouped by GPO and how to fix them, then
 * what was not evaluated, notices, and the summary with the exit code last.
 */
export const textAuditReporter: AuditReporter = (result, options) => {
  const paint: Paint = options.color ? (style, text) => `\x1b[${SGR[style]}m${text}\x1b[0m` : (_style, text) => text;
  if (options.quiet) return [findingSections(result.findings, paint, true), `${summaryLine(result)}\n`].filter((s) => s !== '').join('\n');
  const sections = [
    headerSection(result),
    options.problemsOnStderr ? incompleteSection(result, paint) : problemSection(result, paint),
    result.policy ? ouSectionText(result.policy) : '',
    findingSections(result.findings, paint, false),
    howToFixSection(result, paint),
    notEvaluatedSection(result.notEvaluated, paint),
    noticeSection(result.notices, paint),
  ].filter((s) => s !== '');
  return [...sections, summarySection(result, paint)].join('\n');
};

/** What the run was judged against; only when the caller says (the CLI always does). */
function headerSection(result: AuditResult): string {
  const c = result.configuration;
  if (!c) return '';
  const rules = `${result.rules.length} rule(s) from ${c.rules.map(printable).join(', ')}`;
  return `gpaudit ${result.tool.version}: ${rules}; configuration: ${c.file ? printable(c.file) : 'none (no .gpaudit.yaml found)'}\n`;
}

/** When problems went to stderr, the report still opens with the fact that the audit is incomplete. */
function incompleteSection(result: AuditResult, paint: Paint): string {
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  if (errors === 0) return '';
  return `${paint('red', `Incomplete: ${errors} input error(s); what those inputs hold was not evaluated (the errors are on stderr, and under "Not evaluated" below)`)}\n`;
}

/** One line per problem, errors first, for stderr: `file (line 3): error: what [code]`. */
export function problemLines(result: Pick<AuditResult, 'problems'>): string[] {
  return sortProblems(result.problems).map((p) => printable(formatProblem(p)));
}

function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

function findingSections(findings: Finding[], paint: Paint, quiet: boolean): string {
  if (findings.length === 0) return quiet ? '' : 'No findings.\n';
  return groupFindings(findings)
    .map(({ heading, findings: group }) => `${paint('bold', printable(heading))}\n${group.map((f) => describeFinding(f, paint)).join('')}`)
    .join('\n');
}

/** GPOs in the order their worst finding appears; loose files and audit-wide findings last. */
function groupFindings(findings: Finding[]): { heading: string; findings: Finding[] }[] {
  const groups = new Map<string, Finding[]>();
  const add = (heading: string, f: Finding) => {
    const list = groups.get(heading);
    if (list) list.push(f);
    else groups.set(heading, [f]);
  };
  const looseFiles = 'Files with no GPO identity';
  const auditWide = 'Audit-wide (no single GPO)';
  for (const f of findings) if (f.gpo) add(`GPO ${formatGpo(f.gpo)}${f.precedence !== undefined ? ` (precedence ${f.precedence})` : ''}`, f);
  for (const f of findings) if (f.directoryObject) add(`User ${f.directoryObject.name ? `${f.directoryObject.name} ` : ''}(${f.directoryObject.dn})`, f);
  for (const f of findings) if (!f.gpo && !f.directoryObject && f.locations.length > 0) add(looseFiles, f);
  for (const f of findings) if (!f.gpo && !f.directoryObject && f.locations.length === 0) add(auditWide, f);
  return [...groups].map(([heading, list]) => ({ heading, findings: list }));
}

function describeFinding(f: Finding, paint: Paint): string {
  const label = f.suppressed ? `[${f.severity}, suppressed]` : paint(SEVERITY_STYLE[f.severity], `[${f.severity}]`);
  const head = `  ${label} ${f.ruleId}: ${printable(headline(f))}`;
  const details = [
    ...f.locations.map((l) => `      at ${printable(where(l))}  ${printable(l.setting)}`),
    ...(f.rsop ? [`      RSoP precedence ${f.rsop.precedence}: ${f.rsop.winner ? 'this GPO wins' : 'overridden by a GPO with higher precedence'}`] : []),
  ];
  if (!f.suppressed) return [head, ...details].map((line) => `${line}\n`).join('');
  const w = f.suppressed.waiver;
  const waived = `      suppressed by waiver: ${printable(w.reason)} (until ${printable(w.expires)})`;
  return [head, ...details, waived].map((line) => `${paint('dim', line)}\n`).join('');
}

/**
 * The detail is stated once: where a finding lists locations, each `at` line shows the setting, so the headline is
 * the title and what the locations cannot say (notes); without locations the message is the whole statement.
 */
function headline(f: Finding): string {
  if (f.locations.length === 0) return f.message;
  return f.notes?.length ? `${f.title} (${f.notes.join('; ')})` : f.title;
}

function where(l: FindingLocation): string {
  return formatLocation(l);
}

/** One line per input and reason, listing the rules, rather than one line per rule. */
function notEvaluatedSection(entries: NotEvaluated[], paint: Paint): string {
  if (entries.length === 0) return '';
  const lines = new Map<string, { input: string; reason: string; rules: string[] }>();
  for (const e of entries) {
    const input = e.input ?? 'all inputs';
    const key = `${input}\u0000${e.reason}`;
    const line = lines.get(key) ?? { input, reason: e.reason, rules: [] };
    if (!line.rules.includes(e.ruleId)) line.rules.push(e.ruleId);
    lines.set(key, line);
  }
  const body = [...lines.values()].map((l) => `  ${printable(l.input)}: ${printable(l.reason)}: ${l.rules.join(', ')}\n`).join('');
  return `${paint('bold', 'Not evaluated')}\n${body}`;
}

function problemSection(result: AuditResult, paint: Paint): string {
  if (result.problems.length === 0) return '';
  const body = sortProblems(result.problems).map((p) => `  ${paint(p.severity === 'error' ? 'red' : 'yellow', printable(formatProblem(p)))}\n`).join('');
  return `${paint('bold', 'Problems')}\n${body}`;
}

function noticeSection(notices: string[], paint: Paint): string {
  if (notices.length === 0) return '';
  return `${paint('bold', 'Notices')}\n${notices.map((n) => `  ${printable(n)}\n`).join('')}`;
}

/**
 * Remediation once per rule that has an unsuppressed finding, in rule-set order. A rule whose only finding is the
 * reminder that nothing sets its value gets the not-configured remediation: its own speaks of a value that is set.
 */
function howToFixSection(result: AuditResult, paint: Paint): string {
  const fired = new Map<string, { set: boolean }>();
  for (const f of result.findings) {
    if (f.suppressed) continue;
    const entry = fired.get(f.ruleId) ?? { set: false };
    if (!f.notConfigured) entry.set = true;
    fired.set(f.ruleId, entry);
  }
  const rules = result.rules.filter((r) => fired.has(r.id));
  if (rules.length === 0) return '';
  return `${paint('bold', 'How to fix')}\n${rules.map((r) => describeFix(r, fired.get(r.id)!.set)).join('')}`;
}

function describeFix(rule: Rule, valueIsSet: boolean): string {
  const nc = rule.notConfigured;
  const notConfigured = !valueIsSet && nc.outcome === 'fail';
  const remediationText = notConfigured && nc.remediation ? nc.remediation : rule.remediation;
  const heading = notConfigured ? `${rule.id}: not set by any audited file` : `${rule.id}: ${printable(rule.title)}`;
  const refs = rule.references.map((r) => `    see: ${printable(r.title)}${r.url || r.doc ? ` <${printable(r.url ?? r.doc ?? '')}>` : ''}\n`);
  const remediation = remediationText.split(/\r?\n/).map((line) => `    ${printable(line)}\n`);
  return [`  ${heading}\n`, ...remediation, ...refs].join('');
}

function summarySection(result: AuditResult, paint: Paint): string {
  return `${summaryLine(result)}\n${paint(exitCodeOf(result) === 0 ? 'green' : 'red', exitExplanation(result))}\n`;
}

/** The one-line summary: also printed on stderr when the report goes to a file, and all that --quiet adds. */
export function summaryLine(result: AuditResult): string {
  const s = summariseAudit(result);
  const knownParts = result.inputs.filter((i) => i.status === 'unsupported' && i.knownPart).length;
  const notAudited = s.files.unsupported - knownParts;
  const parts = knownParts > 0 ? `, ${knownParts} standard backup part(s) skipped (comments, audit.csv, HTML reports)` : '';
  // A directory scan reads entries, not files: it has its own counts.
  const files = result.directory
    ? directorySummaryLine(result.directory).replace(/^Directory: /, 'directory: ')
    : `${s.files.read} file(s) read, ${s.files.failed} failed, ${notAudited} not audited, ${s.files.unknown} not recognised${parts}`;
  const counts = ORDER.map((sev) => `${s.findings[sev]} ${sev}`).join(', ');
  const baseline = result.baseline ? `; ${result.baseline.known} finding(s) already in baseline ${printable(result.baseline.file)} not shown` : '';
  return `Summary: ${counts}; ${s.suppressed} suppressed; ${s.notEvaluated} not evaluated; ${files}${baseline}`;
}

/** Why the process exits as it does, e.g. `2 high, 1 medium at or above --fail-on low: exit 1`. */
export function exitExplanation(result: AuditResult, counts: SeverityCounts = summariseAudit(result).findings): string {
  const threshold = SEVERITY_RANK[result.failOn];
  const failing = ORDER.filter((sev) => SEVERITY_RANK[sev] >= threshold && counts[sev] > 0).map((sev) => `${counts[sev]} ${sev}`);
  const findings = failing.length > 0 ? `${failing.join(', ')} at or above --fail-on ${result.failOn}` : `nothing at or above --fail-on ${result.failOn}`;
  const inputErrors = result.problems.filter((p) => p.severity === 'error').length;
  const errors = inputErrors > 0 ? `${inputErrors} input error(s) (see Problems); ` : '';
  return `${errors}${findings}: exit ${exitCodeOf(result)}`;
}
