// `--format html`: one self-contained page per report, for people who read it in a browser, mail it or print it.
// Nothing is fetched (style and script are inside, a Content-Security-Policy forbids every other source), every
// input string is escaped, and a report of any size opens at once (the findings are drawn a page at a time).
// What the page shows and how it is tested: docs/html-report.md.
import type { ResultantPolicy } from '../audit/run-policy.js';
import type { AuditWriter } from './audit-output-types.js';
import { reporterOf } from './audit-writer.js';
import { summariseAudit } from './audit-json.js';
import { reportData } from './html/audit-data.js';
import { AUDIT_SCRIPT } from './html/audit-script.js';
import {
  attentionHtml,
  findingsHtml,
  headerHtml,
  inputsHtml,
  navHtml,
  noticesHtml,
  ouHtml,
  reportKind,
  rulesHtml,
  summaryHtml,
} from './html/audit-sections.js';
import { escapeHtml } from './html/escape.js';
import { htmlPage } from './html/page.js';
import { policyReportHtml } from './html/policy-report.js';
import { REPORT_CSS } from './html/styles.js';

/**
 * The audit (and `ldap scan`) report. Pure but for the clock: the time the page states is `generatedAt`, else now.
 * The order puts what decides whether the result can be trusted (the verdict, what was not read or evaluated)
 * before the findings.
 */
export const htmlAuditWriter: AuditWriter = (listed, options, write) => {
  // The page embeds every finding as data for its script, so it is made whole: a page of a million findings is not
  // one a browser opens, and the formats meant for that size (json, sarif, text) stream.
  const result = { ...listed, findings: Array.from(listed.findings) };
  const summary = summariseAudit(result);
  const data = reportData(result);
  const generatedAt = options.generatedAt ?? new Date();
  const body = [
    '<a class="skip" href="#findings">Skip to findings</a>',
    headerHtml(result, summary, generatedAt),
    navHtml(result),
    '<main>',
    summaryHtml(summary),
    attentionHtml(result),
    ouHtml(result),
    findingsHtml(data),
    rulesHtml(result, data),
    noticesHtml(result),
    inputsHtml(result),
    '</main>',
    `<footer><p>Made by gpaudit ${escapeHtml(result.tool.version)}. This page loads nothing from elsewhere: its style, script and data are inside it.</p></footer>`,
  ].filter((part) => part !== '').join('\n');
  write(
    htmlPage({
      title: `gpaudit: ${reportKind(result)}`,
      body,
      css: REPORT_CSS,
      scripts: [AUDIT_SCRIPT],
      data: { id: 'report-data', value: data },
    }),
  );
};

export const htmlAuditReporter = reporterOf(htmlAuditWriter);

/** `gpaudit policy --ou … --format html`. */
export function htmlPolicyReport(policy: ResultantPolicy, version: string, generatedAt: Date = new Date()): string {
  return policyReportHtml(policy, version, generatedAt);
}
