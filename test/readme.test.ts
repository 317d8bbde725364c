import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIRECTORY_RULES, GPO_RULES, HEALTH_RULES, PACK } from './helpers/rule-pack.js';

const ROOT = resolve(import.meta.dirname, '..');

describe('README', () => {
  it('shows the real output of the commands it quotes (npm run readme regenerates the excerpts)', () => {
    expect(existsSync(join(ROOT, 'dist/cli/main.js')), 'run `npm run build` first').toBe(true);
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/readme-excerpts.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  describe('the rule tables list exactly the rules of rules.yaml, with their severities, in order', () => {
    const tables = ruleTables(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    const rows = (rules: typeof PACK) => rules.map((r) => [r.id, r.severity]);

    it('under "### The WorkSpaces rules": the GPO rules', () => {
      expect(tables.filter((t) => t.heading === '### The WorkSpaces rules').map((t) => t.rows)).toEqual([rows(GPO_RULES)]);
    });

    it('under "## Directory scans": the directory rules', () => {
      expect(tables.filter((t) => t.heading.startsWith('## Directory scans')).map((t) => t.rows)).toEqual([rows(DIRECTORY_RULES)]);
    });

    it('under "## The policy of one OU": the GPO health rules', () => {
      expect(tables.filter((t) => t.heading.startsWith('## The policy of one OU')).map((t) => t.rows)).toEqual([rows(HEALTH_RULES)]);
    });

    it('and no other rule table', () => {
      expect(tables.map((t) => t.heading)).toEqual([
        '### The WorkSpaces rules',
        '## The policy of one OU: `gpaudit policy --ou` and `gpaudit audit --ou`',
        '## Directory scans: `gpaudit ldap scan`',
      ]);
    });
  });
});

interface RuleTable {
  /** The heading the table sits under. */
  heading: string;
  /** [id, severity] per row. */
  rows: string[][];
}

/** Every Markdown table whose header starts `| id | severity |`, outside code blocks, with the heading above it. */
function ruleTables(markdown: string): RuleTable[] {
  const tables: RuleTable[] = [];
  const lines = markdown.split('\n');
  let heading = '';
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    if (/^#{1,6} /.test(line)) heading = line.trim();
    if (!/^\|\s*id\s*\|\s*severity\s*\|/.test(line)) continue;
    const rows: string[][] = [];
    for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
      const [id = '', severity = ''] = lines[i]!.split('|').slice(1).map((cell) => cell.trim());
      rows.push([id.replace(/^`(.*)`$/, '$1'), severity]);
    }
    tables.push({ heading, rows });
  }
  return tables;
}
