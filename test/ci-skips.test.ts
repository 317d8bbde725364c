// scripts/check-skips.mjs: under CI a skipped test fails the run unless .ci/allowed-skips.txt names it (issue 11).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'gpaudit-skips-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(statuses: [string, string][], allowed: string): { status: number | null; stderr: string } {
  const report = join(dir, 'report.json');
  writeFileSync(report, JSON.stringify({ testResults: [{ name: `${process.cwd()}/test/x.test.ts`, assertionResults: statuses.map(([fullName, status]) => ({ fullName, status })) }] }));
  const list = join(dir, 'allowed.txt');
  writeFileSync(list, allowed);
  const r = spawnSync(process.execPath, ['scripts/check-skips.mjs', report, list], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('check-skips', () => {
  it('passes when every skipped test is on the list (comments and blank lines ignored)', () => {
    const r = check([['a passes', 'passed'], ['b is skipped on purpose', 'skipped']], '# why\n\nb is skipped on purpose\n');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('check-skips: allowed: test/x.test.ts > b is skipped on purpose');
  });

  it('fails on a skipped or todo test the list does not name, naming it', () => {
    const r = check([['c quietly skipped', 'skipped'], ['d later', 'todo']], 'something else\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('NOT ALLOWED: test/x.test.ts > c quietly skipped');
    expect(r.stderr).toContain('NOT ALLOWED: test/x.test.ts > d later');
    expect(r.stderr).toContain('2 skipped test(s) not on');
  });

  it('.ci/run sets CI=true itself', async () => {
    const { readFileSync } = await import('node:fs');
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/^export CI=true$/m);
  });
});
