// The library surface (src/index.ts, `main` of the package): what the README's "Library" section shows, run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as gpaudit from '../src/index.js';

const ROOT = resolve(import.meta.dirname, '..');

describe('public API', () => {
  it('reads, audits and reports the bundled samples as the README shows', () => {
    const { ruleSet, errors } = gpaudit.loadRuleSet([]);
    expect(errors).toEqual([]);
    const result = gpaudit.runAudit(['samples/broken/gpo-report'], {
      rules: ruleSet!.rules,
      catalog: gpaudit.builtinCatalog(),
      failOn: 'high',
      waivers: [],
      today: '2026-01-01',
      cwd: ROOT,
      root: ROOT,
      version: 'api-test',
    });
    expect(result.findings.map((f) => f.ruleId)).toContain('workspaces-logon-banner');
    expect(gpaudit.exitCodeOf(result)).toBe(1);
    const doc: gpaudit.AuditOutput = gpaudit.toAuditOutput(result);
    expect(doc.summary.exitCode).toBe(1);
    expect(gpaudit.toSarif(result).runs[0].results.length).toBe(result.findings.length);
    expect(gpaudit.AUDIT_REPORTERS.text(result, { color: false })).toContain('How to fix');
  });

  it('streams an estate unit by unit with every setting\'s provenance', () => {
    const units: gpaudit.NormalisedUnit[] = [];
    const { summary } = gpaudit.readEstate(['samples/clean/registry-pol'], { catalog: gpaudit.builtinCatalog(), cwd: ROOT }, (u) => units.push(u));
    expect(summary.read).toBe(units.flatMap((u) => u.outcomes).filter((o) => o.status === 'read').length);
    const settings = units.flatMap((u) => u.gpos.flatMap((g) => g.settings));
    expect(settings.length).toBeGreaterThan(0);
    for (const s of settings) expect(s.provenance.file).toMatch(/Registry\.pol$/);
  });

  it('is what the built package exports (`main`/`types` in package.json)', () => {
    expect(existsSync(join(ROOT, 'dist/index.js')), 'run `npm run build` first').toBe(true);
    const script = "import('gpaudit').then((m) => console.log(Object.keys(m).sort().join(',')))";
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const names = r.stdout.trim().split(',');
    for (const name of ['readEstate', 'loadRuleSet', 'loadConfig', 'runAudit', 'exitCodeOf', 'AUDIT_REPORTERS', 'toAuditOutput', 'toSarif', 'builtinCatalog']) {
      expect(names).toContain(name);
    }
  });
});
