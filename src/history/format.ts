// Plain-text views of the history for the terminal: `gpaudit ldap history` and the end of a `--history` scan.
import { SEVERITIES, SEVERITY_RANK } from '../model/severity.js';
import type { BaselineDiff, HistoryDiff, RecordableFinding, RunCounts, RunDetail, RunSummary } from './types.js';

export function formatRunList(runs: readonly RunSummary[]): string {
  if (runs.length === 0) return 'No runs recorded.\n';
  const header = ['RUN', 'STATUS', 'STARTED', 'DURATION', 'SERVER', 'BASE DN', 'SCANNED', 'FINDINGS'];
  const rows = runs.map((run) => [
    String(run.id),
    run.status,
    run.startedAt,
    duration(run) ?? '-',
    run.server,
    run.baseDn,
    run.counts ? String(run.counts.scanned) : '-',
    outcome(run),
  ]);
  return alignColumns([header, ...rows]);
}

export function formatRun(run: RunDetail): string {
  const lines = [`Run ${run.id}: ${run.status}`];
  const field = (name: string, value: string): void => {
    lines.push(`  ${`${name}:`.padEnd(10)}${value}`);
  };
  field('server', run.server);
  field('base DN', run.baseDn);
  field('started', run.startedAt);
  const took = duration(run);
  field('ended', run.endedAt === undefined ? '-' : took === undefined ? run.endedAt : `${run.endedAt} (${took})`);
  field('gpaudit', run.gpauditVersion);
  field('options', JSON.stringify(run.options));
  if (run.counts) {
    field('scanned', `${run.counts.scanned} entries`);
    field('findings', countsText(run.counts));
  }
  if (run.error !== undefined) field('error', run.error);
  if (run.status === 'completed') {
    lines.push('', ...findingsBlock('Findings', run.findings, 'No findings.'));
  }
  return `${lines.join('\n')}\n`;
}

export function formatDiff(diff: HistoryDiff | BaselineDiff): string {
  if ('newCount' in diff) return baselineText(diff.newCount);
  if (diff.baseRunId === undefined) return baselineText(diff.new.length);
  const lines = [
    `Since run ${diff.baseRunId}: ${diff.new.length} new, ${diff.resolved.length} resolved, ${diff.unchanged} unchanged.`,
  ];
  if (diff.new.length > 0) lines.push('', ...findingsBlock('New', diff.new, ''));
  if (diff.resolved.length > 0) lines.push('', ...findingsBlock('Resolved', diff.resolved, ''));
  return `${lines.join('\n')}\n`;
}

function baselineText(findings: number): string {
  return `No earlier completed run for this base DN to compare with; this run is the first baseline (${plural(findings, 'finding')}).\n`;
}

function findingsBlock(title: string, findings: readonly RecordableFinding[], none: string): string[] {
  if (findings.length === 0) return [none];
  const sorted = [...findings].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.ruleId.localeCompare(b.ruleId),
  );
  const lines = [`${title}:`];
  for (const finding of sorted) {
    lines.push(`  ${finding.severity.padEnd(8)} ${finding.ruleId}  ${finding.message}`);
    if (finding.subject) {
      const account = finding.subject.sAMAccountName === undefined ? '' : ` (${finding.subject.sAMAccountName})`;
      lines.push(`  ${''.padEnd(8)} subject: ${finding.subject.dn}${account}`);
    }
  }
  return lines;
}

function outcome(run: RunSummary): string {
  if (run.counts) return countsText(run.counts);
  if (run.status === 'failed') return `failed: ${run.error ?? 'no reason recorded'}`;
  return '-';
}

function countsText(counts: RunCounts): string {
  const parts = SEVERITIES.filter((severity) => (counts.bySeverity[severity] ?? 0) > 0).map(
    (severity) => `${counts.bySeverity[severity]} ${severity}`,
  );
  return parts.length === 0 ? String(counts.findings) : `${counts.findings} (${parts.join(', ')})`;
}

function duration(run: RunSummary): string | undefined {
  if (run.endedAt === undefined) return undefined;
  const ms = Date.parse(run.endedAt) - Date.parse(run.startedAt);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

function alignColumns(rows: readonly string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  }
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  '),
  );
  return `${lines.join('\n')}\n`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
