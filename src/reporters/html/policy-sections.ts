// The OU's GPO lists as HTML: which GPOs reach it on each side in precedence order, and which do not and why. Shared
// by `audit --ou` reports (result.policy) and `gpaudit policy` reports (the whole ResultantPolicy).
import { sourcesText } from '../policy-output.js';
import type { OuPolicySummary } from '../../audit/result.js';
import type { PolicySideResult, ResultantPolicy } from '../../audit/run-policy.js';
import type { NotAppliedReason } from '../../policy/effective.js';
import { escapeHtml as e } from './escape.js';

const REASON: Readonly<Record<NotAppliedReason, string>> = {
  'not-linked': 'not linked on the path to this OU',
  'link-disabled': 'its link is disabled',
  blocked: 'blocked by block inheritance (link not enforced)',
  'computer-settings-disabled': 'computer settings disabled in the GPO',
  'user-settings-disabled': 'user settings disabled in the GPO',
  'security-filtered': 'security filtering: applies only to some groups',
  empty: 'this side was never edited (version 0)',
  'sysvol-missing': 'its SYSVOL folder is missing',
  'gpo-missing': 'a link names a GPO the input does not describe',
};

export function gpoLabel(g: { id: string; name?: string }): string {
  return g.name ? `<strong>${e(g.name)}</strong> <code class="muted">${e(g.id)}</code>` : `<code>${e(g.id)}</code>`;
}


/** Both sides' lists, the loopback mode and the assumptions; headings start at `level`. */
export function gpoListsHtml(p: OuPolicySummary, level: 3 | 4): string {
  const out: string[] = [];
  out.push(`<p>Links and containers from ${e(sourcesText(p.sources))}.${p.userOu ? ` Users' own OU: <code>${e(p.userOu)}</code>.` : ''}</p>`);
  if (p.loopback) out.push(`<p>Loopback processing: <strong>${e(p.loopback.mode)}</strong>, set by ${gpoLabel(p.loopback.gpo)}.</p>`);
  out.push(sideHtml('Computer side', 'computer', p.computer, level), sideHtml('User side', 'user', p.user, level));
  if (p.assumptions.length > 0) {
    out.push(`<h${level}>Assumptions</h${level}>`, `<ul>${p.assumptions.map((a) => `<li>${e(a)}</li>`).join('')}</ul>`);
  }
  return out.join('\n');
}

function sideHtml(title: string, id: string, side: Pick<PolicySideResult, 'applied' | 'notApplied'>, level: 3 | 4): string {
  const applied = side.applied.length === 0
    ? '<p>No GPO applies on this side.</p>'
    : `<table class="applied" id="${id}-applied">
<caption>Applied, precedence 1 wins</caption>
<thead><tr><th scope="col" class="num">Precedence</th><th scope="col">GPO</th><th scope="col">Linked at</th><th scope="col">Notes</th></tr></thead>
<tbody>
${side.applied.map((a) => `<tr><td class="num">${a.precedence}</td><td>${gpoLabel(a)}</td><td><code>${e(a.linkedAt)}</code></td><td>${e(appliedNotes(a))}</td></tr>`).join('\n')}
</tbody>
</table>`;
  const notApplied = side.notApplied.length === 0
    ? ''
    : `<table class="not-applied" id="${id}-not-applied">
<caption>Not applied</caption>
<thead><tr><th scope="col">GPO</th><th scope="col">Why not</th></tr></thead>
<tbody>
${side.notApplied.map((n) => `<tr><td>${gpoLabel(n)}</td><td>${e(REASON[n.reason] ?? n.reason)}${n.detail ? ` <span class="muted">(${e(n.detail)})</span>` : ''}</td></tr>`).join('\n')}
</tbody>
</table>`;
  return `<h${level}>${title}: ${side.applied.length} applied, ${side.notApplied.length} not applied</h${level}>\n${applied}\n${notApplied}`;
}

function appliedNotes(a: PolicySideResult['applied'][number]): string {
  return [
    a.enforced ? 'enforced' : undefined,
    a.linkOrder !== undefined ? `link order ${a.linkOrder}` : undefined,
    a.orderKnown ? undefined : 'order unknown',
    a.security === 'unknown' ? 'security filtering not read' : undefined,
    a.conditional ? `WMI filter ${a.conditional.wmiFilter.name ?? a.conditional.wmiFilter.id} (not evaluated)` : undefined,
    a.alsoLinkedAt?.length ? `also linked at ${a.alsoLinkedAt.join(', ')}` : undefined,
    a.from ? `from the ${a.from === 'user-ou' ? "users' OU" : "computer's OU"}` : undefined,
  ].filter((n): n is string => n !== undefined).join('; ');
}
