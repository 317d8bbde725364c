// `gpaudit policy --ou … --format html`: the resultant policy of one OU as one self-contained page, like gpresult's
// HTML report: the GPO lists, then each setting's winning value and what it overrides. Drawn on the server side (a
// policy has thousands of settings at most); the script only filters the settings tables.
import type { ResultantPolicy } from '../../audit/run-policy.js';
import { formatLocation, formatPosition } from '../../model/describe.js';
import type { Problem } from '../../model/problems.js';
import { toPolicyOutput } from '../policy-output.js';
import type { PolicySetting } from '../policy-output-types.js';
import { escapeHtml as e } from './escape.js';
import { htmlPage } from './page.js';
import { sourcesText } from '../policy-output.js';
import { gpoLabel, gpoListsHtml } from './policy-sections.js';
import { REPORT_CSS } from './styles.js';

const SETTINGS_SCRIPT = `
(() => {
  'use strict';
  const input = document.getElementById('settings-filter');
  const status = document.getElementById('settings-status');
  const rows = Array.from(document.querySelectorAll('#settings tbody tr'));
  const texts = rows.map((r) => r.textContent.toLowerCase());
  let timer = 0;
  function apply() {
    const q = input.value.trim().toLowerCase();
    let n = 0;
    rows.forEach((r, i) => {
      const hit = q === '' || texts[i].includes(q);
      r.hidden = !hit;
      if (hit) n++;
    });
    status.textContent = q === '' ? 'Showing all ' + rows.length + ' settings.' : 'Showing ' + n + ' of ' + rows.length + ' settings matching "' + input.value.trim() + '".';
  }
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });
  document.getElementById('settings-controls').hidden = false;
  document.documentElement.dataset.ready = 'true';
})();
`;

export function policyReportHtml(policy: ResultantPolicy, version: string, generatedAt: Date): string {
  const doc = toPolicyOutput(policy, version);
  const body = [
    '<a class="skip" href="#settings">Skip to settings</a>',
    headerHtml(policy, version, generatedAt),
    '<nav aria-label="Sections"><ul><li><a href="#attention">Not read</a></li><li><a href="#gpos">GPOs</a></li><li><a href="#settings">Settings</a></li></ul></nav>',
    '<main>',
    attentionHtml(policy),
    `<section id="gpos" aria-labelledby="gpos-h">\n<h2 id="gpos-h">GPOs that reach the OU</h2>\n${gpoListsHtml(policy, 3)}\n</section>`,
    settingsHtml(doc.settings),
    '</main>',
    `<footer><p>Made by gpaudit ${e(version)}. This page loads nothing from elsewhere: its style and script are inside it.</p></footer>`,
  ].join('\n');
  return htmlPage({ title: `gpaudit: resultant policy of ${policy.ou}`, body, css: REPORT_CSS, scripts: [SETTINGS_SCRIPT] });
}

function headerHtml(policy: ResultantPolicy, version: string, generatedAt: Date): string {
  const facts: [string, string][] = [
    ['Generated', `<time datetime="${e(generatedAt.toISOString())}">${e(generatedAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</time>`],
    ['gpaudit', e(version)],
    ['OU', `<code>${e(policy.ou)}</code>`],
    ...(policy.userOu ? [['Users\' OU', `<code>${e(policy.userOu)}</code>`] as [string, string]] : []),
    ['Sources', e(sourcesText(policy.sources))],
  ];
  return `<header>
<h1>gpaudit report: resultant policy</h1>
<dl class="facts">
${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join('\n')}
</dl>
</header>`;
}

/** GPOs whose settings no input held, and inputs that could not be read: a policy that looks complete but is not. */
function attentionHtml(policy: ResultantPolicy): string {
  const parts: string[] = [];
  if (policy.settingsNotRead.length > 0) {
    parts.push(`<div class="callout" id="settings-not-read"><p><strong>Settings not read:</strong> ${policy.settingsNotRead.length} GPO(s) reach the OU, but no input held their settings; what they set is not known.</p>
<ul>${policy.settingsNotRead.map((g) => `<li>${gpoLabel(g)}</li>`).join('')}</ul></div>`);
  }
  if (policy.problems.length > 0) parts.push(problemTable(policy.problems));
  if (parts.length === 0) parts.push('<p class="callout ok">Every GPO that reaches the OU was read.</p>');
  return `<section id="attention" aria-labelledby="attention-h">\n<h2 id="attention-h">Not read</h2>\n${parts.join('\n')}\n</section>`;
}

function problemTable(problems: Problem[]): string {
  const sorted = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const rows = sorted.map((p) => {
    const where = p.position ? ` <span class="muted">(${e(formatPosition(p.position))})</span>` : '';
    return `<tr><td><code>${e(p.file)}</code>${where}</td><td><span class="badge ${p.severity}">${p.severity === 'error' ? 'Error' : 'Warning'}</span></td><td>${e(p.message)} <code class="muted">${e(p.code)}</code></td></tr>`;
  });
  return `<table id="problems">
<caption>Problems (${problems.length})</caption>
<thead><tr><th scope="col">Input</th><th scope="col">Kind</th><th scope="col">What happened</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function settingsHtml(settings: PolicySetting[]): string {
  const side = (name: 'computer' | 'user', title: string) => {
    const list = settings.filter((s) => s.side === name);
    if (list.length === 0) return `<h3>${title} (0)</h3>\n<p>No setting.</p>`;
    const rows = list.map((s) => {
      const winner = `${gpoLabel(s.winner)} <span class="muted">(precedence ${s.winner.precedence})</span>`;
      const where = `<code>${e(formatLocation(s.winner))}</code>`;
      const overrides = s.overridden.map((o) => `<li>${gpoLabel(o)} <span class="muted">(precedence ${o.precedence})</span>: ${e(o.value)}</li>`).join('');
      const unknown = s.orderUnknown ? '<p><strong>Order unknown:</strong> another GPO at the same container sets another value; the winner is a guess.</p>' : '';
      return `<tr><td>${e(s.setting)}</td><td><code>${e(s.value)}</code></td><td>${winner}<br>${where}${unknown}</td><td>${overrides ? `<ul>${overrides}</ul>` : '<span class="muted">none</span>'}</td></tr>`;
    });
    return `<h3>${title} (${list.length})</h3>
<table id="settings-${name}">
<caption>${title}: winning values</caption>
<thead><tr><th scope="col">Setting</th><th scope="col">Value</th><th scope="col">Winning GPO</th><th scope="col">Overrides</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
  };
  return `<section id="settings" aria-labelledby="settings-h">
<h2 id="settings-h">Settings</h2>
<div id="settings-controls" class="controls" role="search" aria-label="Filter settings" hidden>
<label class="field">Text <input type="search" id="settings-filter" placeholder="key, value, GPO"></label>
</div>
<p id="settings-status" class="status" role="status">${settings.length} setting(s).</p>
${side('computer', 'Computer settings')}
${side('user', 'User settings')}
</section>`;
}
