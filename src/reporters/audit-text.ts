import { exitCodeOf } from '../audit/exit-code.js';
import type { AuditResult } from '../audit/result.js';
import type { Finding, FindingList, FindingLocation, NotEvaluated } from '../model/findings.js';
import { formatProblem, type Problem } from '../model/problems.js';
import { type Rule } from '../rules/types.js';
import { SEVERITY_RANK, type Severity } from '../model/severity.js';
import type { AuditWriter, SeverityCounts } from './audit-output-types.js';
import { reporterOf, withTally } from './audit-writer.js';
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
export const textAuditWriter: AuditWriter = (result, options, write) => {
  const counted = withTally(result);
  const paint: Paint = options.color ? (style, text) => `\x1b[${SGR[style]}m${text}\x1b[0m` : (_style, text) => text;
  // A list that offers its findings grouped by user is written as it is read; any other is walked into groups first.
  const fired: Fired = new Map();
  const bySubject = counted.findings.bySubject;
  const findings = bySubject ? subjectChunks(bySubject, fired, paint, options.quiet === true) : findingChunks(walkFindings(counted.findings, paint, fired), paint, options.quiet === true);
  if (options.quiet) return writeSections([findings, `${summaryLine(counted)}\n`], write);
  writeSections(
    [
      headerSection(counted),
      options.problemsOnStderr ? incompleteSection(counted, paint) : problemSection(counted, paint),
      counted.policy ? ouSectionText(counted.policy) : '',
      findings,
      // After the findings were written: which rules fired is known only then.
      lazily(() => howToFixSection(counted.rules, fired, paint)),
      notEvaluatedSection(counted.notEvaluated, paint),
      noticeSection(counted.notices, paint),
      summarySection(counted, paint),
    ],
    write,
  );
};

export const textAuditReporter = reporterOf(textAuditWriter);

/** A section as one string or as its chunks in order; one with nothing to write is left out. */
type Section = string | Iterable<string>;

/** The sections that have something to say, a blank line between each two. */
function writeSections(sections: readonly Section[], write: (chunk: string) => void): void {
  let wrote = false;
  for (const section of sections) {
    let first = true;
    for (const chunk of typeof section === 'string' ? [section] : section) {
      if (chunk === '') continue;
      if (first && wrote) write('\n');
      first = false;
      wrote = true;
      write(chunk);
    }
  }
}

/** What the run was judged against; only when the caller says (the CLI always does). */
function headerSection(result: AuditResult<FindingList>): string {
  const c = result.configuration;
  if (!c) return '';
  const rules = `${result.rules.length} rule(s) from ${c.rules.map(printable).join(', ')}`;
  return `gpaudit ${result.tool.version}: ${rules}; configuration: ${c.file ? printable(c.file) : 'none (no .gpaudit.yaml found)'}\n`;
}

/** When problems went to stderr, the report still opens with the fact that the audit is incomplete. */
function incompleteSection(result: AuditResult<FindingList>, paint: Paint): string {
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

/** A heading and its findings, each already rendered. */
interface Group {
  heading: string;
  lines: string[];
}

/** Rules with an unsuppressed finding, and whether a value of theirs is set (for How to fix). */
type Fired = Map<string, { set: boolean }>;

/** A section made when it is written, not when the sections are listed. */
function* lazily(section: () => string): Iterable<string> {
  yield section();
}

/**
 * GPOs in the order their worst finding appears; users likewise; loose files and audit-wide findings last. The
 * report order (worst first, then rule, then subject) spreads a GPO's or a user's findings over the whole list, so
 * no group is complete before the walk ends: each finding is held until then, as the text it renders to rather than
 * as the finding with all its fields. The list is walked once.
 */
function walkFindings(findings: FindingList, paint: Paint, fired: Fired): Group[] {
  const gpos = new Map<string, string[]>();
  const users = new Map<string, string[]>();
  const looseFiles: string[] = [];
  const auditWide: string[] = [];
  const add = (groups: Map<string, string[]>, heading: string, line: string) => {
    const lines = groups.get(heading);
    if (lines) lines.push(line);
    else groups.set(heading, [line]);
  };
  for (const f of findings) {
    const line = describeFinding(f, paint);
    // A GPO container's finding names both its GPO and its directory object, and is listed under each.
    if (f.gpo) add(gpos, `GPO ${formatGpo(f.gpo)}${f.precedence !== undefined ? ` (precedence ${f.precedence})` : ''}`, line);
    if (f.directoryObject) add(users, userHeading(f.directoryObject), line);
    if (!f.gpo && !f.directoryObject) (f.locations.length > 0 ? looseFiles : auditWide).push(line);
    noteFired(fired, f);
  }
  const groups = [...gpos, ...users, ['Files with no GPO identity', looseFiles] as const, ['Audit-wide (no single GPO)', auditWide] as const]
    .filter(([, lines]) => lines.length > 0)
    .map(([heading, lines]) => ({ heading, lines }));
  return groups;
}

/**
 * Findings already grouped by user (FindingList.bySubject: a directory scan sorted them so), written as they are
 * read: the same chunks findingChunks makes of walkFindings' groups, without holding any.
 */
function* subjectChunks(findings: Iterable<Finding>, fired: Fired, paint: Paint, quiet: boolean): Iterable<string> {
  let heading: string | undefined;
  for (const f of findings) {
    if (!f.directoryObject) throw new Error('text report: a finding grouped by subject names no directory user');
    const next = userHeading(f.directoryObject);
    if (next !== heading) {
      yield `${heading === undefined ? '' : '\n'}${paint('bold', printable(next))}\n`;
      heading = next;
    }
    yield describeFinding(f, paint);
    noteFired(fired, f);
  }
  if (heading === undefined && !quiet) yield 'No findings.\n';
}

function userHeading(user: NonNullable<Finding['directoryObject']>): string {
  return `User ${user.name ? `${user.name} ` : ''}(${user.dn})`;
}

/** Each group's heading, then its findings, a blank line between groups; or that there are none. */
function* findingChunks(groups: Group[], paint: Paint, quiet: boolean): Iterable<string> {
  if (groups.length === 0 && !quiet) yield 'No findings.\n';
  for (const [i, { heading, lines }] of groups.entries()) {
    yield `${i > 0 ? '\n' : ''}${paint('bold', printable(heading))}\n`;
    yield* lines;
  }
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

function problemSection(result: AuditResult<FindingList>, paint: Paint): string {
  if (result.problems.length === 0) return '';
  const body = sortProblems(result.problems).map((p) => `  ${paint(p.severity === 'error' ? 'red' : 'yellow', printable(formatProblem(p)))}\n`).join('');
  return `${paint('bold', 'Problems')}\n${body}`;
}

function noticeSection(notices: string[], paint: Paint): string {
  if (notices.length === 0) return '';
  return `${paint('bold', 'Notices')}\n${notices.map((n) => `  ${printable(n)}\n`).join('')}`;
}

/**
 * A rule fires with an unsuppressed finding; its value is set unless its only such finding is the reminder that
 * nothing sets it.
 */
function noteFired(fired: Fired, f: Finding): void {
  if (f.suppressed) return;
  const entry = fired.get(f.ruleId) ?? { set: false };
  if (!f.notConfigured) entry.set = true;
  fired.set(f.ruleId, entry);
}

/**
 * Remediation once per rule that has an unsuppressed finding, in rule-set order. A rule whose only finding is the
 * reminder that nothing sets its value gets the not-configured remediation: its own speaks of a value that is set.
 */
function howToFixSection(allRules: Rule[], fired: Fired, paint: Paint): string {
  const rules = allRules.filter((r) => fired.has(r.id));
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

function summarySection(result: AuditResult<FindingList>, paint: Paint): string {
  return `${summaryLine(result)}\n${paint(exitCodeOf(result) === 0 ? 'green' : 'red', exitExplanation(result))}\n`;
}

/** The one-line summary: also printed on stderr when the report goes to a file, and all that --quiet adds. */
export function summaryLine(result: AuditResult<FindingList>): string {
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
export function exitExplanation(result: AuditResult<FindingList>, counts: SeverityCounts = summariseAudit(result).findings): string {
  const threshold = SEVERITY_RANK[result.failOn];
  const failing = ORDER.filter((sev) => SEVERITY_RANK[sev] >= threshold && counts[sev] > 0).map((sev) => `${counts[sev]} ${sev}`);
  const findings = failing.length > 0 ? `${failing.join(', ')} at or above --fail-on ${result.failOn}` : `nothing at or above --fail-on ${result.failOn}`;
  const inputErrors = result.problems.filter((p) => p.severity === 'error').length;
  const errors = inputErrors > 0 ? `${inputErrors} input error(s) (see Problems); ` : '';
  return `${errors}${findings}: exit ${exitCodeOf(result)}`;
}
