import type { AuditResult } from '../audit/result.js';
import { tallyFindings, type Finding, type FindingList } from '../model/findings.js';
import { formatProblem, type Problem } from '../model/problems.js';
import type { Rule } from '../rules/types.js';
import type { AuditWriter } from './audit-output-types.js';
import { reporterOf } from './audit-writer.js';
import { formatGpo, formatLocation } from '../model/describe.js';

/*
 * Layout (CI test viewers show suites → cases):
 *  - one <testsuite> per GPO with findings, one <testcase classname="GPO ..." name="rule-id"> per finding: a
 *    <failure type="severity"> when it counts, <skipped> with the waiver's reason when a waiver suppresses it;
 *  - the same for findings of files with no GPO identity and for audit-wide findings;
 *  - one <testsuite> per input (file or folder) that could not be read or had rules not evaluated: an <error>
 *    testcase named "read" for the problems that stopped it, a <skipped> testcase per rule not evaluated;
 *  - a "gpaudit" suite with a passing testcase for every rule that produced no finding, and the warnings and
 *    notices as <system-out>, so a clean run is visible as passes rather than as an empty report.
 *
 * The document is valid against both JUnit schemas of the Jenkins xUnit plugin, the current junit-10.xsd and the
 * older dtkit junit-4.xsd (test/fixtures/junit/, docs/ci-consumers.md). Their common ground decides two things:
 * <testsuites> carries tests, failures and errors but no `skipped` (neither schema allows it: each <testsuite>
 * has its own count), and <skipped> gives its reason as text, not as a `message` attribute (junit-4 allows
 * none; Jenkins reads the text when there is no attribute, GitLab shows it).
 */

type Outcome =
  | { kind: 'pass' }
  | { kind: 'failure'; message: string; type: string; body: string }
  | { kind: 'error'; message: string; type: string; body: string }
  | { kind: 'skipped'; message: string };

interface TestCase {
  classname: string;
  name: string;
  outcome: Outcome;
}

interface Suite {
  name: string;
  cases: TestCase[];
  systemOut?: string;
}

/**
 * A list in report order is walked once into suites, each finding's test case held until the walk ends: a suite's
 * opening tag carries its counts and <testsuites> the totals, and a GPO's or user's findings are spread over the
 * list (worst first, then by rule, then by subject), so no suite is complete before then. A list that offers its
 * findings grouped by user (FindingList.bySubject, a directory scan's) is written suite by suite instead, holding
 * one user's test cases at a time: the totals come from its tally.
 */
export const junitAuditWriter: AuditWriter = (result, _options, write) => {
  const rules = new Map(result.rules.map((r) => [r.id, r]));
  const bySubject = result.findings.bySubject;
  if (bySubject) return writeGrouped(result, bySubject, rules, write);
  const { suites, found } = findingSuites(result.findings, rules);
  writeSuites([...suites, ...inputSuites(result), gpauditSuite(result, found)], write);
};

function writeGrouped(result: AuditResult<FindingList>, findings: Iterable<Finding>, rules: Map<string, Rule>, write: (chunk: string) => void): void {
  const tally = tallyFindings(result.findings);
  const others = [...inputSuites(result), gpauditSuite(result, tally.rules)];
  const counts = others.map((s) => countAll(s.cases));
  // Every finding is a test case: a failure, or skipped when a waiver covers it.
  counts.push({ tests: result.findings.length, failures: result.findings.length - tally.suppressed, errors: 0, skipped: tally.suppressed });
  writeHeader(counts, write);
  let suite: Suite | undefined;
  for (const f of findings) {
    const name = suiteName(f);
    if (suite?.name !== name) {
      if (suite) writeSuite(suite, countAll(suite.cases), write);
      suite = { name, cases: [] };
    }
    suite.cases.push({ classname: name, name: f.ruleId, outcome: findingOutcome(f, rules.get(f.ruleId)) });
  }
  if (suite) writeSuite(suite, countAll(suite.cases), write);
  others.forEach((s, i) => writeSuite(s, counts[i]!, write));
  write('</testsuites>\n');
}

function suiteName(f: Finding): string {
  return f.gpo ? `GPO ${formatGpo(f.gpo)}` : f.directoryObject ? `user ${f.directoryObject.dn}` : f.locations.length > 0 ? 'files with no GPO identity' : 'audit-wide';
}

export const junitAuditReporter = reporterOf(junitAuditWriter);

/** A suite per GPO, user or kind of finding, and the rules that produced a finding. */
function findingSuites(findings: FindingList, rules: Map<string, Rule>): { suites: Suite[]; found: Set<string> } {
  const suites = new Map<string, Suite>();
  const found = new Set<string>();
  for (const f of findings) {
    const name = suiteName(f);
    const suite = suites.get(name) ?? { name, cases: [] };
    suite.cases.push({ classname: name, name: f.ruleId, outcome: findingOutcome(f, rules.get(f.ruleId)) });
    suites.set(name, suite);
    found.add(f.ruleId);
  }
  return { suites: [...suites.values()], found };
}

function findingOutcome(f: Finding, rule: Rule | undefined): Outcome {
  if (f.suppressed) {
    const w = f.suppressed.waiver;
    return { kind: 'skipped', message: `suppressed by waiver: ${w.reason} (until ${w.expires})` };
  }
  const body = [
    f.message,
    ...f.locations.map((l) => `  at ${formatLocation(l)}  ${l.setting}`),
    ...(f.rsop ? [`  RSoP precedence ${f.rsop.precedence}${f.rsop.winner ? ' (winning GPO)' : ''}`] : []),
    ...(f.precedence !== undefined ? [`  precedence ${f.precedence} in the OU's resultant policy (the winning GPO)`] : []),
    ...(rule ? ['', `How to fix: ${rule.remediation}`, ...rule.references.map(describeReference)] : []),
    '',
    `fingerprint: ${f.fingerprint}`,
  ];
  return { kind: 'failure', message: f.message, type: f.severity, body: body.join('\n') };
}

function describeReference(r: Rule['references'][number]): string {
  const target = r.url ?? r.doc;
  return `  see: ${r.title}${target ? ` <${target}>` : ''}`;
}

function inputSuites(result: AuditResult<FindingList>): Suite[] {
  const suites = new Map<string, Suite>();
  const suiteFor = (input: string) => {
    const suite = suites.get(input) ?? { name: input, cases: [] };
    suites.set(input, suite);
    return suite;
  };
  for (const [file, problems] of errorsByFile(result.problems)) {
    const first = problems[0]!;
    suiteFor(file).cases.push({
      classname: file,
      name: 'read',
      outcome: { kind: 'error', message: first.message, type: first.code, body: problems.map(formatProblem).join('\n') },
    });
  }
  for (const n of result.notEvaluated) {
    if (n.input === undefined) continue;
    suiteFor(n.input).cases.push({ classname: n.input, name: n.ruleId, outcome: { kind: 'skipped', message: `not evaluated: ${n.reason}` } });
  }
  const auditWide = result.notEvaluated.filter((n) => n.input === undefined);
  if (auditWide.length > 0) {
    const suite = suiteFor('all inputs');
    for (const n of auditWide) suite.cases.push({ classname: 'all inputs', name: n.ruleId, outcome: { kind: 'skipped', message: `not evaluated: ${n.reason}` } });
  }
  return [...suites.values()];
}

function errorsByFile(problems: Problem[]): Map<string, Problem[]> {
  const byFile = new Map<string, Problem[]>();
  for (const p of problems) {
    if (p.severity !== 'error') continue;
    byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  }
  return byFile;
}

function gpauditSuite(result: AuditResult<FindingList>, found: ReadonlySet<string>): Suite {
  const unevaluated = new Set(result.notEvaluated.filter((n) => n.input === undefined).map((n) => n.ruleId));
  const cases = result.rules
    .filter((r) => !found.has(r.id) && !unevaluated.has(r.id))
    .map((r): TestCase => ({ classname: 'gpaudit', name: r.id, outcome: { kind: 'pass' } }));
  const out = [...result.problems.filter((p) => p.severity === 'warning').map(formatProblem), ...result.notices.map((n) => `notice: ${n}`)];
  return { name: 'gpaudit', cases, ...(out.length ? { systemOut: out.join('\n') } : {}) };
}

function writeSuites(suites: Suite[], write: (chunk: string) => void): void {
  const counts = suites.map((s) => countAll(s.cases));
  writeHeader(counts, write);
  suites.forEach((suite, i) => writeSuite(suite, counts[i]!, write));
  write('</testsuites>\n');
}

/** The document's start, with the totals of every suite's counts. */
function writeHeader(counts: Counts[], write: (chunk: string) => void): void {
  const total = (key: 'tests' | 'failures' | 'errors') => counts.reduce((sum, c) => sum + c[key], 0);
  write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="gpaudit" tests="${total('tests')}" failures="${total('failures')}" errors="${total('errors')}">\n`);
}

function writeSuite(suite: Suite, counts: Counts, write: (chunk: string) => void): void {
  write(`  <testsuite name="${escapeXmlAttribute(suite.name)}"${countAttributes(counts)}>\n`);
  for (const c of suite.cases) write(renderCase(c));
  write(`${suite.systemOut ? `    <system-out>${cdata(suite.systemOut)}</system-out>\n` : ''}  </testsuite>\n`);
}

function renderCase(c: TestCase): string {
  const open = `    <testcase classname="${escapeXmlAttribute(c.classname)}" name="${escapeXmlAttribute(c.name)}"`;
  const o = c.outcome;
  switch (o.kind) {
    case 'pass':
      return `${open}/>\n`;
    case 'skipped':
      return `${open}>\n      <skipped>${cdata(o.message)}</skipped>\n    </testcase>\n`;
    case 'failure':
    case 'error':
      return `${open}>\n      <${o.kind} message="${escapeXmlAttribute(o.message)}" type="${escapeXmlAttribute(o.type)}">${cdata(o.body)}</${o.kind}>\n    </testcase>\n`;
  }
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function countAll(cases: TestCase[]): Counts {
  const count = (kind: Outcome['kind']) => cases.filter((c) => c.outcome.kind === kind).length;
  return { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
}

function countAttributes(c: Counts): string {
  return ` tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`;
}

// XML 1.0 allows tab, LF, CR and most of Unicode; anything else (NUL, ESC, lone surrogates, U+FFFE) makes the
// document ill-formed even when escaped, so it is shown instead: `\x1b`, U+FFFD.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function xmlSafe(text: string): string {
  return text.replace(NOT_XML_CHAR, (c) => {
    const code = c.codePointAt(0)!;
    return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : '\uFFFD';
  });
}

const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // Attribute-value normalisation would turn raw whitespace characters into spaces.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

export function escapeXmlAttribute(text: string): string {
  return xmlSafe(text).replace(/[&<>"'\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);
}

/** Text as one or more CDATA sections: every `]]>` is split across two sections, so none can end one early. */
export function cdata(text: string): string {
  return `<![CDATA[${xmlSafe(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
