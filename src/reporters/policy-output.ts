// `gpaudit policy --ou`: the resultant policy of one OU as text (like gpresult's summary) and as JSON
// (schemas/policy-output.schema.json), and the OU section an `audit --ou` report carries. Pure: the policy in, text out.
import type { OuPolicySummary } from '../audit/result.js';
import type { PolicySideResult, ResultantPolicy } from '../audit/run-policy.js';
import { describeSetting, formatData, formatLocation, formatOperation } from '../model/describe.js';
import type { GpoSide } from '../model/gpo-links.js';
import { formatProblem } from '../model/problems.js';
import type { Setting } from '../model/settings.js';
import type { ResultantEntry, ResultantSetting } from '../policy/resultant.js';
import { printable } from './printable.js';
import type { PolicyAppliedGpo, PolicyNotAppliedGpo, PolicyOutput, PolicySetting, PolicySide } from './policy-output-types.js';

export const POLICY_SCHEMA_ID = 'https://github.com/gpaudit/gpaudit/schemas/policy-output.schema.json';

export function toPolicySide(side: Pick<PolicySideResult, 'applied' | 'notApplied'>): PolicySide {
  return {
    applied: side.applied.map((a): PolicyAppliedGpo => ({
      id: a.id,
      ...(a.name !== undefined ? { name: a.name } : {}),
      precedence: a.precedence,
      linkedAt: a.linkedAt,
      enforced: a.enforced,
      ...(a.linkOrder !== undefined ? { linkOrder: a.linkOrder } : {}),
      orderKnown: a.orderKnown,
      security: a.security,
      ...(a.conditional ? { wmiFilter: a.conditional.wmiFilter } : {}),
      ...(a.alsoLinkedAt ? { alsoLinkedAt: a.alsoLinkedAt } : {}),
      ...(a.from ? { from: a.from } : {}),
    })),
    notApplied: side.notApplied.map((n): PolicyNotAppliedGpo => ({ id: n.id, ...(n.name !== undefined ? { name: n.name } : {}), reason: n.reason, ...(n.detail ? { detail: n.detail } : {}) })),
  };
}

export function toPolicyOutput(policy: ResultantPolicy, version: string): PolicyOutput {
  const names = gpoNames(policy);
  const settings = (['computer', 'user'] as const).flatMap((side) => [...policy.settings[side].values()].map((s) => policySetting(side, s, names)));
  return {
    $schema: POLICY_SCHEMA_ID,
    schemaVersion: 1,
    tool: { name: 'gpaudit', version },
    ou: policy.ou,
    ...(policy.userOu ? { userOu: policy.userOu } : {}),
    sources: policy.sources,
    ...(policy.loopback ? { loopback: policy.loopback } : {}),
    computer: toPolicySide(policy.computer),
    user: toPolicySide(policy.user),
    settings,
    assumptions: policy.assumptions,
    settingsNotRead: policy.settingsNotRead,
    problems: policy.problems,
  };
}

export const policyJson = (policy: ResultantPolicy, version: string): string => `${JSON.stringify(toPolicyOutput(policy, version), null, 2)}\n`;

function gpoNames(policy: ResultantPolicy): Map<string, string> {
  const names = new Map<string, string>();
  for (const side of [policy.computer, policy.user]) for (const g of [...side.applied, ...side.notApplied]) if (g.name) names.set(g.id, g.name);
  return names;
}

function policySetting(side: GpoSide, s: ResultantSetting, names: Map<string, string>): PolicySetting {
  const source = (e: ResultantEntry) => ({
    id: e.gpoId,
    ...(names.has(e.gpoId) ? { name: names.get(e.gpoId)! } : {}),
    precedence: e.precedence,
    file: e.setting.provenance.file,
    position: e.setting.provenance.position,
  });
  const w = s.winner.setting;
  return {
    side,
    key: s.key,
    setting: describeSetting(w),
    value: valueText(w),
    ...(w.kind === 'registry' ? { registry: registryIdentity(w) } : {}),
    winner: source(s.winner),
    overridden: s.overridden.map((o) => ({ ...source(o), value: valueText(o.setting) })),
    ...(s.orderUnknown ? { orderUnknown: true as const } : {}),
  };
}

function registryIdentity(s: Extract<Setting, { kind: 'registry' }>): NonNullable<PolicySetting['registry']> {
  const op = s.operation;
  const data = op.op === 'set' || op.op === 'set-if-absent' ? op.data : undefined;
  return {
    hive: s.hive,
    key: s.key,
    valueName: s.valueName,
    ...(data ? { type: data.type, data: typeof data.value === 'bigint' ? String(data.value) : (data.value as string | number | string[]) } : {}),
  };
}

/** The value alone, in words: `1 (REG_DWORD)`, `*S-1-5-11, *S-1-5-32-544`, `power plan "Balanced"`. */
function valueText(s: Setting): string {
  switch (s.kind) {
    case 'registry': {
      const op = s.operation;
      return op.op === 'set' || op.op === 'set-if-absent' ? formatData(op.data) : formatOperation(op);
    }
    case 'privilege-right':
      return s.principals.map((p) => p.name ?? p.sid ?? '').join(', ') || '(no one)';
    case 'account-policy':
      return String(s.value);
    case 'admin-template':
      return s.state;
    default:
      return describeSetting(s);
  }
}

// ---------------------------------------------------------------------------------------------
// Text

export function policyText(policy: ResultantPolicy): string {
  const out: string[] = [];
  out.push(`Resultant policy of ${printable(policy.ou)}${policy.userOu ? ` (users from ${printable(policy.userOu)})` : ''}`);
  out.push(`  ${sourcesLine(policy.sources)}`);
  if (policy.loopback) out.push(`  loopback processing: ${policy.loopback.mode}, set by ${gpoLabel(policy.loopback.gpo)}`);
  out.push('');
  out.push(...sideLines('Computer', policy.computer), '');
  out.push(...sideLines('User', policy.user), '');
  for (const side of ['computer', 'user'] as const) {
    const list = [...policy.settings[side].values()];
    out.push(`${side === 'computer' ? 'Computer' : 'User'} settings (${list.length})`);
    if (list.length === 0) out.push('  (none)');
    for (const s of list) out.push(...settingLines(s, gpoNames(policy)));
    out.push('');
  }
  if (policy.settingsNotRead.length > 0) {
    out.push('Settings not read (the GPO reaches the OU, no input holds its settings)');
    out.push(...policy.settingsNotRead.map((g) => `  ${gpoLabel(g)}`), '');
  }
  if (policy.assumptions.length > 0) out.push('Assumptions', ...policy.assumptions.map((a) => `  ${printable(a)}`), '');
  if (policy.problems.length > 0) out.push('Problems', ...policy.problems.map((p) => `  ${printable(formatProblem(p))}`), '');
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** For `audit --ou` text reports: the two lists, before the findings. */
export function ouSectionText(summary: OuPolicySummary): string {
  const out = [`Effective policy of ${printable(summary.ou)} (${sourcesLine(summary.sources)})`];
  if (summary.loopback) out.push(`  loopback processing: ${summary.loopback.mode}, set by ${gpoLabel(summary.loopback.gpo)}`);
  out.push(...sideLines('Computer', summary.computer).map((l) => `  ${l}`));
  out.push(...sideLines('User', summary.user).map((l) => `  ${l}`));
  if (summary.assumptions.length > 0) out.push('  Assumptions:', ...summary.assumptions.map((a) => `    ${printable(a)}`));
  return `${out.join('\n')}\n`;
}

/** Where an OU's policy came from, in words (plain text: each reporter escapes it its own way). */
export function sourcesText(s: ResultantPolicy['sources']): string {
  const parts = [
    ...(s.directory ? [`directory ${s.directory.url} (${s.directory.domain})`] : []),
    ...(s.ldif ? [`LDIF ${s.ldif.join(', ')}`] : []),
    ...(s.reports ? [`links from ${s.reports.length} GPO report(s)`] : []),
    ...(s.site ? [`site ${s.site}`] : []),
    ...(s.sysvol ? [`SYSVOL ${s.sysvol}`] : []),
  ];
  return parts.length ? parts.join('; ') : 'no link data (every GPO read counts as not linked)';
}

function sourcesLine(s: ResultantPolicy['sources']): string {
  return printable(`from ${sourcesText(s)}`);
}

function sideLines(title: string, side: Pick<PolicySideResult, 'applied' | 'notApplied'>): string[] {
  const lines = [`${title} side: ${side.applied.length} applied (precedence 1 wins)`];
  for (const a of side.applied) {
    const notes = [
      a.enforced ? 'enforced' : undefined,
      a.linkOrder !== undefined ? `link order ${a.linkOrder}` : undefined,
      a.orderKnown ? undefined : 'order unknown',
      a.security === 'unknown' ? 'security filtering not read' : undefined,
      a.conditional ? `WMI filter ${a.conditional.wmiFilter.name ?? a.conditional.wmiFilter.id} (not evaluated)` : undefined,
      a.from ? `from the ${a.from === 'user-ou' ? "users' OU" : "computer's OU"}` : undefined,
    ].filter((n): n is string => n !== undefined);
    lines.push(`  ${String(a.precedence).padStart(3)}  ${gpoLabel(a)}  linked at ${printable(a.linkedAt)}${notes.length ? `; ${notes.join(', ')}` : ''}`);
  }
  if (side.notApplied.length > 0) {
    lines.push(`  not applied: ${side.notApplied.length}`);
    for (const n of side.notApplied) lines.push(`       ${gpoLabel(n)}: ${n.reason}${n.detail ? ` (${printable(n.detail)})` : ''}`);
  }
  return lines;
}

function settingLines(s: ResultantSetting, names: Map<string, string>): string[] {
  const w = s.winner;
  const who = (e: ResultantEntry) => `${gpoLabel({ id: e.gpoId, ...(names.has(e.gpoId) ? { name: names.get(e.gpoId)! } : {}) })} (precedence ${e.precedence})`;
  const lines = [`  ${printable(describeSetting(w.setting))}`, `      from ${who(w)} at ${printable(formatLocation(w.setting.provenance))}${s.orderUnknown ? '; ORDER UNKNOWN: another GPO at the same OU sets another value' : ''}`];
  for (const o of s.overridden) lines.push(`      overrides ${who(o)}: ${printable(valueText(o.setting))}`);
  return lines;
}

function gpoLabel(g: { id: string; name?: string }): string {
  return g.name ? `"${printable(g.name)}" ${g.id}` : g.id;
}
