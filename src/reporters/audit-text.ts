import type { AuditResult } from '../audit/result.js';
import type { Finding, FindingLocation, NotEvaluated } from '../model/findings.js';
import { formatProblem } from '../model/problems.js';
import { SEVERITY_RANK, type Rule, type Severity } from '../rules/types.js';
import type { AuditReporter, SeverityCounts } from './audit-output-types.js';
import { summariseAudit } from './audit-json.js';
import { formatGpo, formatLocation } from './describe.js';

// Plain SGR codes: five colours do not justify a dependency, and NO_COLOR/TTY detection is the caller's job.
const SGR = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', blue: '34', cyan: '36', boldRed: '1;31' } as const;
type Style = keyof typeof SGR;

const SEVERITY_STYLE: Readonly<Record<Severity, Style>> = { critical: 'boldRed', high: 'red', medium: 'yellow', low: 'cyan', info: 'blue' };
const ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

type Paint = (style: Style, text: string) => string;

/** Human-readable report: findings grouped by GPO, then what was not evaluated, problems, fixes and the outcome. */
export const textAuditReporter: AuditReporter = (result, options) => {
  const paint: Paint = options.color ? (style, text) => `\x1b[${SGR[style]}m${text}\x1b[0m` : (_style, text) => text;
  const sections = [
    findingSections(result.findings, paint),
    notEvaluatedSection(result.notEvaluated, paint),
    problemSection(result, paint),
    noticeSection(result.notices, paint),
    howToFixSection(result, paint),
  ].filter((s) => s !== '');
  return [...sections, summarySection(result, paint)].join('\n');
};

function findingSections(findings: Finding[], paint: Paint): string {
  if (findings.length === 0) return 'No findings.\n';
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
  for (const f of findings) if (f.gpo) add(`GPO ${formatGpo(f.gpo)}`, f);
  for (const f of findings) if (f.directoryObject) add(`User ${f.directoryObject.name ? `${f.directoryObject.name} ` : ''}(${f.directoryObject.dn})`, f);
  for (const f of findings) if (!f.gpo && !f.directoryObject && f.locations.length > 0) add(looseFiles, f);
  for (const f of findings) if (!f.gpo && !f.directoryObject && f.locations.length === 0) add(auditWide, f);
  return [...groups].map(([heading, list]) => ({ heading, findings: list }));
}

function describeFinding(f: Finding, paint: Paint): string {
  const label = f.suppressed ? `[${f.severity}, suppressed]` : paint(SEVERITY_STYLE[f.severity], `[${f.severity}]`);
  const head = `  ${label} ${f.ruleId}: ${printable(f.message)}`;
  const details = [
    ...f.locations.map((l) => `      at ${printable(where(l))}  ${printable(l.setting)}`),
    ...(f.rsop ? [`      RSoP precedence ${f.rsop.precedence}: ${f.rsop.winner ? 'this GPO wins' : 'overridden by a GPO with higher precedence'}`] : []),
  ];
  if (!f.suppressed) return [head, ...details].map((line) => `${line}\n`).join('');
  const w = f.suppressed.waiver;
  const waived = `      suppressed by waiver: ${printable(w.reason)} (until ${printable(w.expires)})`;
  return [head, ...details, waived].map((line) => `${paint('dim', line)}\n`).join('');
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
  const body = result.problems.map((p) => `  ${paint(p.severity === 'error' ? 'red' : 'yellow', printable(formatProblem(p)))}\n`).join('');
  return `${paint('bold', 'Problems')}\n${body}`;
}

function noticeSection(notices: string[], paint: Paint): string {
  if (notices.length === 0) return '';
  return `${paint('bold', 'Notices')}\n${notices.map((n) => `  ${printable(n)}\n`).join('')}`;
}

/** Remediation once per rule that has an unsuppressed finding, in rule-set order. */
function howToFixSection(result: AuditResult, paint: Paint): string {
  const failing = new Set(result.findings.filter((f) => !f.suppressed).map((f) => f.ruleId));
  const rules = result.rules.filter((r) => failing.has(r.id));
  if (rules.length === 0) return '';
  return `${paint('bold', 'How to fix')}\n${rules.map(describeFix).join('')}`;
}

function describeFix(rule: Rule): string {
  const refs = rule.references.map((r) => `    see: ${printable(r.title)}${r.url || r.doc ? ` <${printable(r.url ?? r.doc ?? '')}>` : ''}\n`);
  const remediation = rule.remediation.split(/\r?\n/).map((line) => `    ${printable(line)}\n`);
  return [`  ${rule.id}: ${printable(rule.title)}\n`, ...remediation, ...refs].join('');
}

function summarySection(result: AuditResult, paint: Paint): string {
  const s = summariseAudit(result);
  const files = `${s.files.read} file(s) read, ${s.files.failed} failed, ${s.files.unsupported} not audited, ${s.files.unknown} not recognised`;
  const counts = ORDER.map((sev) => `${s.findings[sev]} ${sev}`).join(', ');
  const baseline = result.baseline ? `; ${result.baseline.known} finding(s) already in baseline ${printable(result.baseline.file)} not shown` : '';
  const summary = `Summary: ${counts}; ${s.suppressed} suppressed; ${s.notEvaluated} not evaluated; ${files}${baseline}\n`;
  const exit = exitExplanation(result, s.findings);
  return `${summary}${paint(result.exitCode === 0 ? 'green' : 'red', exit)}\n`;
}

/** Why the process exits as it does, e.g. `2 high, 1 medium at or above --fail-on low: exit 1`. */
function exitExplanation(result: AuditResult, counts: SeverityCounts): string {
  const threshold = SEVERITY_RANK[result.failOn];
  const failing = ORDER.filter((sev) => SEVERITY_RANK[sev] >= threshold && counts[sev] > 0).map((sev) => `${counts[sev]} ${sev}`);
  const findings = failing.length > 0 ? `${failing.join(', ')} at or above --fail-on ${result.failOn}` : `nothing at or above --fail-on ${result.failOn}`;
  const inputErrors = result.problems.filter((p) => p.severity === 'error').length;
  const errors = inputErrors > 0 ? `${inputErrors} input error(s) (see Problems); ` : '';
  return `${errors}${findings}: exit ${result.exitCode}`;
}

// GPO names, file names and values come from the audited files: keep their control characters (an ESC could
// rewrite the terminal) out of the output, visibly.
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
