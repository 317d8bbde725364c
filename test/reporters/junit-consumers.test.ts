// The JUnit XML gpaudit writes, as CI readers take it: valid against both JUnit schemas of the Jenkins xUnit plugin
// (xmllint, test/fixtures/junit/), with counts that add up at every level, for every kind of run: findings, a clean
// run, rules not evaluated, waivers, an input that could not be read, a directory scan. docs/ci-consumers.md.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { junitAuditReporter } from '../../src/reporters/junit.js';
import { cli } from '../helpers/cli.js';
import { expectJunitCountsAddUp, JUNIT_SCHEMAS, mustRunXmllint, xmllintAvailable, xmllintErrors, type JunitCounts } from './ci-consumers.js';
import { directoryResult, emptyResult, richResult } from './fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'gpaudit-junit-consumers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function auditJunit(args: string[]): Promise<{ xml: string; code: number }> {
  const r = await cli(['audit', ...args, '--format', 'junit']);
  return { xml: r.stdout, code: r.code };
}

/** Valid against both schemas, counts adding up; returns the totals (skipped counted from the suites). */
function expectAccepted(xml: string): JunitCounts {
  for (const schema of JUNIT_SCHEMAS) expect(xmllintErrors(xml, schema), schema).toEqual([]);
  return expectJunitCountsAddUp(xml);
}

describe.runIf(mustRunXmllint)('JUnit that Jenkins and GitLab accept (xmllint, Jenkins xUnit plugin schemas)', () => {
  it('xmllint is there (CI installs it: scripts/install-system-deps.sh)', () => {
    expect(xmllintAvailable).toBe(true);
  });

  it('the schemas can fail: the attributes gpaudit no longer writes are refused', () => {
    const old = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="gpaudit" tests="1" failures="0" errors="0" skipped="1">\n  <testsuite name="s" tests="1" failures="0" errors="0" skipped="1">\n    <testcase classname="s" name="r">\n      <skipped message="waived"/>\n    </testcase>\n  </testsuite>\n</testsuites>\n';
    const [junit4] = JUNIT_SCHEMAS.map((schema) => xmllintErrors(old, schema).join('\n'));
    expect(junit4).toMatch(/Element 'testsuites', attribute 'skipped': The attribute 'skipped' is not allowed/);
    expect(junit4).toMatch(/Element 'skipped', attribute 'message': The attribute 'message' is not allowed/);
  });

  it('samples/broken: a failure per finding', async () => {
    const { xml, code } = await auditJunit(['samples/broken']);
    expect(code).toBe(1);
    const totals = expectAccepted(xml);
    expect(totals.failures).toBeGreaterThan(10);
    expect(totals.errors).toBe(0);
  });

  it('samples/clean: passes only', async () => {
    const { xml, code } = await auditJunit(['samples/clean']);
    expect(code).toBe(0);
    const totals = expectAccepted(xml);
    expect(totals).toEqual({ tests: totals.tests, failures: 0, errors: 0, skipped: 0 });
    expect(totals.tests).toBeGreaterThan(10);
  });

  it('rules not evaluated: skipped testcases saying why', async () => {
    const { xml } = await auditJunit(['samples/clean/registry-pol']);
    const totals = expectAccepted(xml);
    expect(totals.skipped).toBeGreaterThan(0);
    expect(xml).toMatch(/<skipped><!\[CDATA\[not evaluated: [^\]]+\]\]><\/skipped>/);
  });

  it('a run with waivers: the waived findings skipped with the reason, the others still failures', async () => {
    const config = join(dir, 'waivers.yaml');
    writeFileSync(config, 'version: 1\nwaivers:\n  - rule: workspaces-windows-installer-disabled\n    reason: Packaging lab; CHG-42\n    expires: 2999-12-31\n');
    const { xml } = await auditJunit(['samples/broken', '--config', config]);
    const totals = expectAccepted(xml);
    expect(totals.skipped).toBeGreaterThan(0);
    expect(totals.failures).toBeGreaterThan(0);
    expect(xml).toContain('<skipped><![CDATA[suppressed by waiver: Packaging lab; CHG-42 (until 2999-12-31)]]></skipped>');
  });

  it('an input that cannot be read: an error testcase, exit 2', async () => {
    const report = readFileSync('samples/broken/gpo-report/WorkSpaces-Logon-Security.xml', 'utf8');
    const cut = join(dir, 'cut-short.xml');
    writeFileSync(cut, report.slice(0, Math.floor(report.length / 2)));
    const { xml, code } = await auditJunit([cut]);
    expect(code).toBe(2);
    const totals = expectAccepted(xml);
    expect(totals.errors).toBe(1);
    expect(xml).toMatch(/<testcase classname="[^"]*cut-short\.xml" name="read">\n {6}<error message="[^"]+" type="[^"]+">/);
  });

  it('the hand-made results: every outcome at once, an empty run, a directory scan', () => {
    expect(expectAccepted(junitAuditReporter(richResult(), { color: false }))).toEqual({ tests: 13, failures: 4, errors: 1, skipped: 8 });
    expect(expectAccepted(junitAuditReporter(emptyResult(), { color: false }))).toEqual({ tests: 6, failures: 0, errors: 0, skipped: 0 });
    expect(expectAccepted(junitAuditReporter(directoryResult(), { color: false }))).toEqual({ tests: 4, failures: 3, errors: 0, skipped: 1 });
  });
});
