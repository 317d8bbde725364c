// The parts of the audit report drawn on the server side, so that they read without the script: what was audited,
// the verdict, the counts, what could not be read or evaluated, the OU's GPO lists, the rules, notices and inputs.
// Every string that comes from a result goes through escapeHtml (imported as `e`).
import type { AuditResult } from '../../audit/result.js';
import { formatPosition } from '../../model/describe.js';
import type { NotEvaluated } from '../../model/findings.js';
import type { Problem } from '../../model/problems.js';
import { SEVERITIES } from '../../model/severity.js';
import type { AuditSummary } from '../audit-output-types.js';
import { directorySummaryLine } from '../directory-summary.js';
import { exitExplanation } from '../audit-text.js';
import type { ReportData } from './audit-data.js';
import { escapeHtml as e } from './escape.js';
import { gpoListsHtml } from './policy-sections.js';
import { severityChart, severityLabel, severityTable } from './severity-chart.js';

export function reportKind(result: AuditResult): string {
  if (result.directory) return 'Directory scan';
  if (result.policy) return 'Effective-policy audit';
  return 'GPO audit';
}

export function headerHtml(result: AuditResult, summary: AuditSummary, generatedAt: Date): string {
  const facts: [string, string][] = [['Generated', `<time datetime="${e(generatedAt.toISOString())}">${e(generatedAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</time>`]];
  facts.push(['gpaudit', e(result.tool.version)]);
  if (result.directory) {
    const d = result.directory;
    facts.push(['Directory', `${e(d.server)}, base <code>${e(d.baseDn)}</code>`]);
    facts.push(['Filter', `<code>${e(d.filter)}</code>`]);
    facts.push(['Scan', e(directorySummaryLine(d).replace(/^Directory: /, ''))]);
  } else {
    const f = summary.files;
    facts.push(['Inputs', `${f.total.toLocaleString('en-US')} file(s): ${f.read.toLocaleString('en-US')} read, ${f.failed} failed, ${f.unsupported} not audited, ${f.unknown} not recognised <a href="#inputs">(list)</a>`]);
  }
  if (result.policy) facts.push(['OU', `<code>${e(result.policy.ou)}</code>${result.policy.userOu ? `; users from <code>${e(result.policy.userOu)}</code>` : ''}`]);
  const c = result.configuration;
  facts.push(['Rules', `${result.rules.length} rule(s)${c ? ` from ${c.rules.map((r) => `<code>${e(r)}</code>`).join(', ')}` : ''}`]);
  if (c) facts.push(['Configuration', c.file ? `<code>${e(c.file)}</code>` : 'none (no .gpaudit.yaml found)']);
  facts.push(['Fails on', `${e(result.failOn)} or worse`]);
  if (result.baseline) facts.push(['Baseline', `<code>${e(result.baseline.file)}</code>: ${result.baseline.known} known finding(s) not shown`]);
  const exit = summary.exitCode;
  return `<header>
<h1>gpaudit report: ${e(reportKind(result))}</h1>
<p class="verdict${exit === 0 ? '' : ' fail'}" id="verdict">${e(exitExplanation(result))}</p>
<dl class="facts">
${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join('\n')}
</dl>
</header>`;
}

export function navHtml(result: AuditResult): string {
  const links = [
    ['#summary', 'Summary'],
    ['#attention', 'Not evaluated and unreadable'],
    ...(result.policy ? [['#ou', 'GPOs of the OU']] : []),
    ['#findings', 'Findings'],
    ['#rules', 'Rules'],
    ...(result.notices.length ? [['#notices', 'Notices']] : []),
    ...(result.directory ? [] : [['#inputs', 'Inputs']]),
  ];
  return `<nav aria-label="Sections"><ul>${links.map(([href, text]) => `<li><a href="${href}">${text}</a></li>`).join('')}</ul></nav>`;
}

export function summaryHtml(summary: AuditSummary): string {
  const extra = [
    { label: 'Waived', count: summary.suppressed, key: 'suppressed' },
    { label: 'Not evaluated', count: summary.notEvaluated, key: 'notEvaluated' },
  ];
  return `<section id="summary" aria-labelledby="summary-h">
<h2 id="summary-h">Summary</h2>
<div class="summary">
${severityChart(summary.findings)}
${severityTable(summary.findings, extra)}
</div>
</section>`;
}

/** Problems that kept inputs from being read, and rules that could not be evaluated: never a silent pass. */
export function attentionHtml(result: AuditResult): string {
  const errors = result.problems.filter((p) => p.severity === 'error');
  const warnings = result.problems.filter((p) => p.severity === 'warning');
  const parts: string[] = [];
  if (errors.length > 0) {
    parts.push(`<p class="callout" id="incomplete"><strong>Incomplete:</strong> ${errors.length} input error(s). What those inputs hold was not evaluated, so the findings below may not be all there is.</p>`);
    parts.push(problemTable('Inputs that could not be read', 'problems-errors', errors));
  }
  if (result.notEvaluated.length > 0) parts.push(notEvaluatedTable(result.notEvaluated));
  if (warnings.length > 0) parts.push(problemTable('Read with warnings', 'problems-warnings', warnings));
  if (parts.length === 0) parts.push('<p class="callout ok">Every input was read and every rule was evaluated.</p>');
  return `<section id="attention" aria-labelledby="attention-h">
<h2 id="attention-h">Not evaluated and unreadable inputs</h2>
${parts.join('\n')}
</section>`;
}

function problemTable(caption: string, id: string, problems: Problem[]): string {
  const rows = problems.map((p) => {
    const where = p.position ? formatPosition(p.position) : '';
    return `<tr><td><code>${e(p.file)}</code>${where ? ` <span class="muted">(${e(where)})</span>` : ''}</td><td><span class="badge ${p.severity}">${p.severity === 'error' ? 'Error' : 'Warning'}</span></td><td>${e(p.message)} <code class="muted">${e(p.code)}</code></td></tr>`;
  });
  return `<table id="${id}">
<caption>${e(caption)} (${problems.length})</caption>
<thead><tr><th scope="col">Input</th><th scope="col">Kind</th><th scope="col">What happened</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/** One row per input and reason, naming the rules, as the text report does. */
function notEvaluatedTable(entries: NotEvaluated[]): string {
  const rows = new Map<string, { input: string; reason: string; rules: string[] }>();
  for (const n of entries) {
    const input = n.input ?? 'all inputs';
    const key = `${input}\u0000${n.reason}`;
    const row = rows.get(key) ?? { input, reason: n.reason, rules: [] };
    if (!row.rules.includes(n.ruleId)) row.rules.push(n.ruleId);
    rows.set(key, row);
  }
  return `<table id="not-evaluated">
<caption>Not evaluated (${entries.length})</caption>
<thead><tr><th scope="col">Input</th><th scope="col">Why</th><th scope="col">Rules</th></tr></thead>
<tbody>
${[...rows.values()].map((r) => `<tr><td><code>${e(r.input)}</code></td><td>${e(r.reason)}</td><td>${r.rules.map((id) => `<code>${e(id)}</code>`).join(', ')}</td></tr>`).join('\n')}
</tbody>
</table>`;
}

export function ouHtml(result: AuditResult): string {
  if (!result.policy) return '';
  return `<section id="ou" aria-labelledby="ou-h">
<h2 id="ou-h">GPOs of <code>${e(result.policy.ou)}</code></h2>
<p>Only the GPOs applied to this OU were audited, and of each only the settings it wins.</p>
${gpoListsHtml(result.policy, 3)}
</section>`;
}

/** The controls start hidden: without the script they would do nothing. */
export function findingsHtml(data: ReportData): string {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<(typeof SEVERITIES)[number], number>;
  const byRule = new Map<number, number>();
  for (const f of data.findings) {
    bySeverity[f.severity]++;
    byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  }
  const boxes = SEVERITIES.map((s) => `<label class="check"><input type="checkbox" name="severity" value="${s}" checked> ${severityLabel(s)} (${bySeverity[s].toLocaleString('en-US')})</label>`).join('\n');
  const ruleOptions = [...byRule.keys()]
    .sort((a, b) => (data.rules[a]!.id < data.rules[b]!.id ? -1 : 1))
    .map((i) => `<option value="${i}">${e(data.rules[i]!.id)} (${byRule.get(i)!.toLocaleString('en-US')})</option>`)
    .join('\n');
  const total = data.findings.length;
  return `<section id="findings" aria-labelledby="findings-h">
<h2 id="findings-h">Findings</h2>
<div id="findings-controls" class="controls" role="search" aria-label="Filter and sort findings" hidden>
<fieldset><legend>Severity</legend>
${boxes}
</fieldset>
<label class="field">Rule <select id="filter-rule"><option value="">All rules</option>
${ruleOptions}
</select></label>
<label class="field">Text <input type="search" id="filter-text" placeholder="GPO, value, file, user"></label>
<label class="check"><input type="checkbox" id="filter-waived" checked> Show waived</label>
<label class="field">Group by <select id="group-by"><option value="gpo">GPO or user</option><option value="rule">Rule</option></select></label>
<label class="field">Sort by <select id="sort-by"><option value="severity">Severity, worst first</option><option value="rule">Rule</option><option value="name">GPO or user name</option></select></label>
</div>
<p id="findings-status" class="status" role="status">${total === 0 ? 'No findings.' : `${total.toLocaleString('en-US')} finding(s).`}</p>
<noscript><p class="callout warn">The list of findings is drawn by this report's script, which is switched off here. The counts above are complete, and the Rules section says how to fix each rule that fired; <code>gpaudit audit --format text</code> lists every finding as text.</p></noscript>
<div id="findings-list"></div>
<div class="more"><button type="button" id="findings-more" hidden>Show more</button><button type="button" id="findings-all" hidden>Show all</button></div>
</section>`;
}

/** Each rule's rationale and fix, once; findings link here. Rules with nothing to report are listed after. */
export function rulesHtml(result: AuditResult, data: ReportData): string {
  const counts = data.rules.map(() => ({ open: 0, waived: 0, notConfiguredOnly: true }));
  for (const f of data.findings) {
    const c = counts[f.rule]!;
    if (f.waiver) c.waived++;
    else c.open++;
    if (!f.notConfigured) c.notConfiguredOnly = false;
  }
  const notEvaluated = new Set(result.notEvaluated.map((n) => n.ruleId));
  const fired = data.rules.map((r, i) => ({ r, c: counts[i]! })).filter(({ c }) => c.open + c.waived > 0);
  const quiet = data.rules.map((r, i) => ({ r, c: counts[i]! })).filter(({ c }) => c.open + c.waived === 0);
  const entries = fired.map(({ r, c }) => {
    const fix = c.notConfiguredOnly && r.notConfiguredRemediation ? r.notConfiguredRemediation : r.remediation;
    const refs = r.references.map((ref) => `<li>${referenceHtml(ref)}</li>`).join('');
    return `<div class="rule-entry" id="${r.anchor}">
<h3><span class="badge ${r.severity}">${severityLabel(r.severity)}</span> ${e(r.title)}</h3>
<p class="muted"><code>${e(r.id)}</code> · ${c.open} finding(s)${c.waived ? `, ${c.waived} waived` : ''}${notEvaluated.has(r.id) ? ' · not evaluated for some inputs' : ''}</p>
${r.rationale ? `<h4>Why it matters</h4>\n<p class="pre">${e(r.rationale)}</p>` : ''}
${fix ? `<h4>How to fix</h4>\n<p class="pre">${e(fix)}</p>` : ''}
${refs ? `<h4>References</h4>\n<ul>${refs}</ul>` : ''}
</div>`;
  });
  const quietTable = quiet.length === 0
    ? ''
    : `<table id="rules-quiet">
<caption>Rules with no finding (${quiet.length})</caption>
<thead><tr><th scope="col">Rule</th><th scope="col">Severity</th><th scope="col">Title</th></tr></thead>
<tbody>
${quiet.map(({ r }) => `<tr id="${r.anchor}"><td><code>${e(r.id)}</code>${notEvaluated.has(r.id) ? ' <span class="muted">(not evaluated for some inputs)</span>' : ''}</td><td>${severityLabel(r.severity)}</td><td>${e(r.title)}</td></tr>`).join('\n')}
</tbody>
</table>`;
  return `<section id="rules" aria-labelledby="rules-h">
<h2 id="rules-h">Rules</h2>
${entries.length ? entries.join('\n') : '<p>No rule found anything.</p>'}
${quietTable}
</section>`;
}

/** Only web addresses become links: a rules file could name a `javascript:` URL. */
function referenceHtml(ref: { title: string; url?: string; doc?: string }): string {
  if (ref.url && /^https?:\/\//i.test(ref.url)) return `<a href="${e(ref.url)}" rel="noreferrer noopener">${e(ref.title)}</a>`;
  const where = ref.url ?? ref.doc;
  return `${e(ref.title)}${where ? ` (<code>${e(where)}</code>)` : ''}`;
}

export function noticesHtml(result: AuditResult): string {
  if (result.notices.length === 0) return '';
  return `<section id="notices" aria-labelledby="notices-h">
<h2 id="notices-h">Notices</h2>
<ul>${result.notices.map((n) => `<li>${e(n)}</li>`).join('\n')}</ul>
</section>`;
}

/** Inputs that were not read are in plain sight; the read ones, which can number thousands, behind a disclosure. */
export function inputsHtml(result: AuditResult): string {
  if (result.directory) return '';
  const notRead = result.inputs.filter((i) => i.status !== 'read');
  const read = result.inputs.filter((i) => i.status === 'read');
  const describe = (i: AuditResult['inputs'][number]): string => {
    if (i.status === 'read') return e(i.format);
    if (i.status === 'failed') return `failed${i.format ? ` (${e(i.format)})` : ''}`;
    return `${i.status === 'unsupported' ? 'not audited' : 'not recognised'}: ${e(i.what)}`;
  };
  const table = (caption: string, id: string, list: AuditResult['inputs']) => `<table id="${id}">
<caption>${e(caption)} (${list.length.toLocaleString('en-US')})</caption>
<thead><tr><th scope="col">File</th><th scope="col">Outcome</th></tr></thead>
<tbody>
${list.map((i) => `<tr><td><code>${e(i.file)}</code></td><td>${describe(i)}</td></tr>`).join('\n')}
</tbody>
</table>`;
  const parts = [
    notRead.length ? table('Not read', 'inputs-not-read', notRead) : '',
    read.length ? `<details><summary>Files read (${read.length.toLocaleString('en-US')})</summary>\n${table('Files read', 'inputs-read', read)}\n</details>` : '',
  ].filter(Boolean);
  return `<section id="inputs" aria-labelledby="inputs-h">
<h2 id="inputs-h">Inputs</h2>
${parts.length ? parts.join('\n') : '<p>No input files.</p>'}
</section>`;
}
