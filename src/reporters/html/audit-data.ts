// What the HTML report's script renders the findings from: the result's findings, cut down to what a person reads,
// with each rule's text stated once (rules) and each GPO or user once (groups), so that a report of 10,000 findings
// stays a few megabytes and the page can draw any slice, grouping or filter of it without a server.
import type { AuditResult } from '../../audit/result.js';
import { formatGpo, formatLocation } from '../../model/describe.js';
import type { Finding } from '../../model/findings.js';
import type { Severity } from '../../model/severity.js';
import type { Rule } from '../../rules/types.js';
import { visible } from './escape.js';

/** Findings drawn at first and per "Show more": enough to read and scroll, few enough to open at once at any size. */
export const PAGE_SIZE = 200;

export interface ReportData {
  pageSize: number;
  rules: ReportRule[];
  groups: ReportGroup[];
  findings: ReportFinding[];
}

export interface ReportRule {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  /** For a finding that is only the reminder that nothing sets the value: the rule's own text speaks of a set value. */
  notConfiguredRemediation?: string;
  references: { title: string; url?: string; doc?: string }[];
  /** The id of the rule's entry in the report's Rules section. */
  anchor: string;
}

/** Whom a finding is about: a GPO, a directory user, files with no GPO identity, or the audit as a whole. */
export interface ReportGroup {
  kind: 'gpo' | 'user' | 'files' | 'audit';
  label: string;
  /** GUID and domain of a GPO, DN and server of a user: what tells two of the same name apart. */
  detail?: string;
}

export interface ReportFinding {
  severity: Severity;
  /** Index into rules. */
  rule: number;
  /** Index into groups. */
  group: number;
  title: string;
  /**
   * What the title and the locations do not say: the message without its title when there is no location, else its
   * notes (the message is the title and the located setting, which the locations show already, as in the text report).
   */
  text: string;
  fingerprint: string;
  /** Every place the setting was read: `file:12` or `file@byte 120`, and the setting as it stands there. */
  locations: { where: string; setting: string }[];
  /** Directory findings: the user's entry. */
  dn?: string;
  /** What the finding's fields add in words: RSoP winner, item-level targeting, the OU of a reminder. */
  notes: string[];
  notConfigured?: true;
  waiver?: { reason: string; expires: string; scope: string };
}

export function reportData(result: AuditResult): ReportData {
  const rules = result.rules.map(reportRule);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const groups: ReportGroup[] = [];
  const groupIndex = new Map<string, number>();
  const findings = result.findings.map((f): ReportFinding => {
    let rule = ruleIndex.get(f.ruleId);
    if (rule === undefined) {
      // A finding of a rule the result does not list (a baseline of another rule set, say) still shows, with its own words.
      rule = rules.push(findingOnlyRule(f, rules.length)) - 1;
      ruleIndex.set(f.ruleId, rule);
    }
    const { key, group } = groupOf(f);
    let index = groupIndex.get(key);
    if (index === undefined) {
      index = groups.push(group) - 1;
      groupIndex.set(key, index);
    }
    return {
      severity: f.severity,
      rule,
      group: index,
      title: visible(f.title),
      text: visible(f.locations.length > 0 ? (f.notes ?? []).join('; ') : withoutTitle(f)),
      fingerprint: f.fingerprint,
      locations: f.locations.map((l) => ({ where: visible(formatLocation(l)), setting: visible(l.setting) })),
      ...(f.directoryObject ? { dn: visible(f.directoryObject.dn) } : {}),
      notes: notesOf(f),
      ...(f.notConfigured ? { notConfigured: true as const } : {}),
      ...(f.suppressed ? { waiver: waiverOf(f.suppressed.waiver) } : {}),
    };
  });
  return { pageSize: PAGE_SIZE, rules, groups, findings };
}

export function ruleAnchor(index: number): string {
  return `rule-${index + 1}`;
}

function reportRule(rule: Rule, index: number): ReportRule {
  const nc = rule.notConfigured;
  return {
    id: visible(rule.id),
    title: visible(rule.title),
    severity: rule.severity,
    rationale: visible(rule.rationale),
    remediation: visible(rule.remediation),
    ...(nc.outcome === 'fail' && nc.remediation ? { notConfiguredRemediation: visible(nc.remediation) } : {}),
    references: rule.references.map((r) => ({ title: visible(r.title), ...(r.url ? { url: visible(r.url) } : {}), ...(r.doc ? { doc: visible(r.doc) } : {}) })),
    anchor: ruleAnchor(index),
  };
}

function findingOnlyRule(f: Finding, index: number): ReportRule {
  return { id: visible(f.ruleId), title: visible(f.title), severity: f.severity, rationale: '', remediation: '', references: [], anchor: ruleAnchor(index) };
}

/** The same grouping as the text report: one group per GPO (and precedence), per user, loose files, audit-wide. */
function groupOf(f: Finding): { key: string; group: ReportGroup } {
  if (f.gpo) {
    const detail = [f.gpo.id, f.gpo.domain, f.precedence !== undefined ? `precedence ${f.precedence}` : undefined].filter(Boolean).join(' · ');
    return {
      key: `gpo\u0000${formatGpo(f.gpo)}\u0000${f.precedence ?? ''}`,
      group: { kind: 'gpo', label: visible(f.gpo.name ?? '(unnamed GPO)'), ...(detail ? { detail: visible(detail) } : {}) },
    };
  }
  if (f.directoryObject) {
    const o = f.directoryObject;
    return { key: `user\u0000${o.dn}`, group: { kind: 'user', label: visible(o.name ?? o.dn), detail: visible(`${o.dn} · ${o.server}`) } };
  }
  if (f.locations.length > 0) return { key: 'files', group: { kind: 'files', label: 'Files with no GPO identity' } };
  return { key: 'audit', group: { kind: 'audit', label: 'Audit-wide (no single GPO)' } };
}

/** A message is the title, a colon and what was found; the report shows the title already. */
function withoutTitle(f: Finding): string {
  const prefix = `${f.title}: `;
  return f.message.startsWith(prefix) ? f.message.slice(prefix.length) : f.message;
}

function notesOf(f: Finding): string[] {
  return [
    ...(f.rsop ? [`RSoP precedence ${f.rsop.precedence}: ${f.rsop.winner ? 'this GPO wins' : 'overridden by a GPO with higher precedence'}`] : []),
    ...(f.conditional ? ['Item-level targeting: applies only where its filters match'] : []),
    ...(f.notConfigured ? [`Nothing the audit read sets this value${f.ou ? ` for ${f.ou}` : ''}`] : []),
  ].map(visible);
}

function waiverOf(w: NonNullable<Finding['suppressed']>['waiver']): NonNullable<ReportFinding['waiver']> {
  const scope = [`rule ${w.rule}`, w.gpo ? `GPO ${w.gpo}` : undefined, w.path ? `path ${w.path}` : undefined].filter(Boolean).join(', ');
  return { reason: visible(w.reason), expires: visible(w.expires), scope: visible(scope) };
}
