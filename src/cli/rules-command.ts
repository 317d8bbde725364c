import { resolve } from 'node:path';
import { formatRuleFileError } from '../rules/rule-file-error.js';
import { loadRuleSet } from '../rules/load.js';
import type { Rule, RuleSet } from '../rules/types.js';
import { conditionToYaml, matcherToYaml } from '../rules/yaml-form.js';
import { UsageError } from './errors.js';

export function rulesList(ruleSet: RuleSet): string {
  const header = ['id', 'severity', 'tags', 'title'];
  const rows = ruleSet.rules.map((r) => [r.id, r.severity, r.tags.join(','), r.title]);
  // The header is a row like any other: with --tags the widest value can be narrower than its heading.
  const widths = [0, 1, 2].map((i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n${ruleSet.rules.length} rule(s) from ${ruleSet.files.join(', ')}\n`;
}

export function rulesShow(ruleSet: RuleSet, id: string): string {
  const rule = ruleSet.rules.find((r: Rule) => r.id === id);
  if (!rule) throw new UsageError(`no rule "${id}"; \`gpaudit rules list\` shows the ids`);
  // `doc` names a page of the project's research notes, which the package does not ship: show it only when there is no URL.
  const refs = rule.references.map((r) => `  - ${r.title}${r.url ? `\n    ${r.url}` : r.doc ? `\n    (${r.doc})` : ''}`).join('\n');
  return [
    `${rule.id}: ${rule.title}`,
    `severity: ${rule.severity}    tags: ${rule.tags.join(', ')}    defined at ${rule.source.file}:${rule.source.line}`,
    '',
    'Why it matters:',
    wrap(rule.rationale),
    '',
    'How to fix:',
    wrap(rule.remediation),
    '',
    `When nothing configures it: ${rule.notConfigured.outcome}${rule.notConfigured.outcome === 'fail' ? ` (${rule.notConfigured.severity}, once per audit)` : ''}`,
    '',
    'Checks:',
    // In the rules file's own form (`{"right":...}`, `{"equals":1}`), not the engine's.
    ...rule.checks.map((c) => `  - match ${JSON.stringify(matcherToYaml(c.match))}\n    when ${JSON.stringify(conditionToYaml(c.when))}`),
    '',
    'References:',
    refs,
    '',
  ].join('\n');
}

/** Exit 0 when every file loads, 2 with one line per problem otherwise. */
export function rulesValidate(files: string[], cwd: string): { text: string; code: 0 | 2 } {
  const { ruleSet, errors } = loadRuleSet(files.map((f) => resolve(cwd, f)));
  if (errors.length > 0 || !ruleSet) return { text: `${errors.map(formatRuleFileError).join('\n')}\n`, code: 2 };
  return { text: `ok: ${ruleSet.rules.length} rule(s) from ${ruleSet.files.join(', ')}\n`, code: 0 };
}

function wrap(text: string, width = 100): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let current = ' ';
  for (const w of words) {
    if (current.length + w.length + 1 > width) {
      lines.push(current);
      current = ' ';
    }
    current += ` ${w}`;
  }
  lines.push(current);
  return lines.join('\n');
}
