// The severity summary: a bar chart drawn as inline SVG (no script, no image request), and the same counts as a
// table, which is what screen readers and the tests read; the chart is labelled with the counts in words too.
import { SEVERITIES } from '../../model/severity.js';
import type { SeverityCounts } from '../audit-output-types.js';
import { escapeHtml } from './escape.js';

const LABEL = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' } as const;

export function severityLabel(severity: keyof typeof LABEL): string {
  return LABEL[severity];
}

export function severityChart(counts: SeverityCounts): string {
  const max = Math.max(1, ...SEVERITIES.map((s) => counts[s]));
  const rowHeight = 26;
  const labelWidth = 70;
  const barWidth = 250;
  const inWords = SEVERITIES.map((s) => `${LABEL[s]} ${counts[s]}`).join(', ');
  const rows = SEVERITIES.map((s, i) => {
    const y = i * rowHeight;
    const width = counts[s] === 0 ? 0 : Math.max(2, Math.round((counts[s] / max) * barWidth));
    return [
      `<text x="0" y="${y + 17}">${LABEL[s]}</text>`,
      `<rect class="track" x="${labelWidth}" y="${y + 4}" width="${barWidth}" height="18" rx="2"/>`,
      `<rect class="bar-${s}" x="${labelWidth}" y="${y + 4}" width="${width}" height="18" rx="2"/>`,
      `<text x="${labelWidth + barWidth + 8}" y="${y + 17}">${counts[s].toLocaleString('en-US')}</text>`,
    ].join('');
  }).join('\n');
  const height = SEVERITIES.length * rowHeight + 4;
  return `<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}" width="${labelWidth + barWidth + 60}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title id="chart-title">Findings by severity</title>
<desc id="chart-desc">${inWords} (waived findings not counted)</desc>
${rows}
</svg>`;
}

export function severityTable(counts: SeverityCounts, extra: { label: string; count: number; key: string }[]): string {
  const rows = [
    ...SEVERITIES.map((s) => `<tr><th scope="row"><span class="badge ${s}">${LABEL[s]}</span></th><td class="num" data-count="${s}">${counts[s].toLocaleString('en-US')}</td></tr>`),
    ...extra.map((e) => `<tr><th scope="row">${escapeHtml(e.label)}</th><td class="num" data-count="${escapeHtml(e.key)}">${e.count.toLocaleString('en-US')}</td></tr>`),
  ];
  return `<table class="counts">
<caption>Findings by severity (waived ones not counted)</caption>
<thead><tr><th scope="col">Severity</th><th scope="col" class="num">Findings</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}
