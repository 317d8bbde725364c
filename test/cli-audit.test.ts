import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { GPO_RULES, PACK, sortedIds } from './helpers/rule-pack.js';


const json = async (args: string[]) => {
  const r = await cli([...args, '--format', 'json']);
  return { ...r, doc: JSON.parse(r.stdout) };
};
const tmp = () => mkdtempSync(join(tmpdir(), 'gpaudit-audit-'));
const ids = (doc: { findings: { ruleId: string; suppressed?: unknown }[] }) => [...new Set(doc.findings.filter((f) => !f.suppressed).map((f) => f.ruleId))].sort();

// Every GPO rule of rules.yaml (the directory rules run under `gpaudit ldap scan`, not `gpaudit audit`).
const ALL_RULES = sortedIds(GPO_RULES);

describe('gpaudit audit on the bundled samples', () => {
  it('the broken set trips every rule and exits 1; the clean set trips none and exits 0', async () => {
    const broken = await json(['audit', 'samples/broken']);
    expect(broken.code).toBe(1);
    expect(ids(broken.doc)).toEqual(ALL_RULES);
    const clean = await json(['audit', 'samples/clean']);
    expect(clean.doc.findings).toEqual([]);
    expect(clean.doc.notEvaluated).toEqual([]);
    expect(clean.code).toBe(0);
  });

  it('writes JSON that validates against schemas/audit-output.schema.json', async () => {
    const { doc } = await json(['audit', 'samples']);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync('schemas/audit-output.schema.json', 'utf8')));
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('names the GPO, file and line of a finding, and lists every format of one GPO in one finding', async () => {
    const { doc } = await json(['audit', 'samples/broken/backups']);
    const msi = doc.findings.filter((f: { ruleId: string }) => f.ruleId === 'workspaces-windows-installer-disabled');
    expect(msi).toHaveLength(1);
    expect(msi[0].gpo).toEqual({ id: '{9A1F0C3E-B010-4D2B-8E6F-7A8B9C0D1E2F}', domain: 'corp.example.test', name: 'WorkSpaces - Desktop Baseline (broken)' });
    expect(msi[0].locations.map((l: { file: string; position: unknown }) => [l.file.replace(/^.*\}\//, ''), l.position])).toEqual([
      ['gpreport.xml', { line: 45 }],
      ['DomainSysvol/GPO/Machine/registry.pol', { byteOffset: 192 }],
    ]);
  });

  it('for RSoP input reports the winning GPO, not the overridden one', async () => {
    const { doc } = await json(['audit', 'samples/broken/rsop']);
    const last = doc.findings.find((f: { ruleId: string; gpo?: unknown }) => f.ruleId === 'workspaces-last-signed-in-displayed' && f.gpo);
    expect(last.gpo.name).toBe('WorkSpaces - Logon Security');
    expect(last.rsop).toEqual({ precedence: 1, winner: true });
  });
});

describe('exit codes and --fail-on', () => {
  it('exits 0 when every finding is below --fail-on', async () => {
    const r = await cli(['audit', 'samples/broken/gpp', '--fail-on', 'critical']);
    expect(r.stdout).toMatch(/workspaces-power-plan-sleeps/);
    expect(r.code).toBe(0);
    expect((await cli(['audit', 'samples/broken/gpp', '--fail-on', 'high'])).code).toBe(1); // the banner preference item is high
  });

  it('exits 2 when an input cannot be read, even with findings elsewhere', async () => {
    const dir = tmp();
    copyFileSync('samples/broken/gpo-report/All-GPOs.xml', join(dir, 'good.xml'));
    writeFileSync(join(dir, 'bad.xml'), '<GPO xmlns="http://www.microsoft.com/GroupPolicy/Settings"><Name>cut');
    const { code, doc } = await json(['audit', dir]);
    expect(code).toBe(2);
    expect(doc.findings.length).toBeGreaterThan(0);
    // Every GPO rule: a report can carry every kind of setting, so the unreadable one leaves each rule unjudged.
    expect(doc.notEvaluated.filter((n: { input?: string }) => n.input?.endsWith('bad.xml'))).toHaveLength(GPO_RULES.length);
  });

  it('lists rules no input could carry as not evaluated, never a silent pass', async () => {
    const { code, doc } = await json(['audit', 'samples/clean/registry-pol']);
    expect(code).toBe(0); // the reminder that nothing here sets "Don't display last signed-in" is info: a partial audit does not fail
    const notEvaluated = doc.notEvaluated.map((n: { ruleId: string }) => n.ruleId).sort();
    // Registry.pol carries registry values only: exactly the GPO rules without a registry check are left unjudged.
    const withoutRegistry = GPO_RULES.filter((r) => !r.matchers.includes('registry'));
    expect(withoutRegistry.length).toBeGreaterThan(0);
    expect(notEvaluated).toEqual(sortedIds(withoutRegistry));
    expect(doc.notEvaluated[0].reason).toMatch(/no input that can carry/);
  });

  it('reminds once, at info severity (never failing by default), when nothing configures "Don\'t display last signed-in"', async () => {
    const { doc } = await json(['audit', 'samples/clean/registry-pol', 'samples/clean/gpp']);
    const reminders = doc.findings.filter((f: { ruleId: string }) => f.ruleId === 'workspaces-last-signed-in-displayed');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ severity: 'info', locations: [] });
    expect(reminders[0].gpo).toBeUndefined();
  });
});

describe('--tags, --rules, rules commands', () => {
  it('runs only the rules with a tag', async () => {
    const { doc } = await json(['audit', 'samples/broken', '--tags', 'web-access']);
    const tagged = GPO_RULES.filter((r) => r.tags.includes('web-access'));
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.length).toBeLessThan(GPO_RULES.length);
    expect(doc.rules.map((r: { id: string }) => r.id).sort()).toEqual(sortedIds(tagged));
  });

  it('takes a user rules file that extends the pack, overrides a severity and adds a rule', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'mine.yaml'), `version: 1
extends: [builtin]
rules:
  workspaces-windows-installer-disabled:
    severity: info
  corp-min-password-length:
    title: Minimum password length below 14
    severity: medium
    checks:
      - match: { accountPolicy: MinimumPasswordLength }
        when: { lt: 14 }
    notConfigured: pass
    rationale: Our standard.
    remediation: Set it to 14.
`);
    const { doc } = await json(['audit', 'samples/broken/security-template', 'samples/broken/gpo-report', '--rules', join(dir, 'mine.yaml')]);
    expect(doc.findings.find((f: { ruleId: string }) => f.ruleId === 'workspaces-windows-installer-disabled').severity).toBe('info');
    expect(doc.findings.find((f: { ruleId: string }) => f.ruleId === 'corp-min-password-length').message).toMatch(/MinimumPasswordLength = 12/);
  });

  it('rejects a broken rules file naming the file, line and property, exit 2', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nrules:\n  my-rule:\n    title: x\n    severity: hgih\n');
    const r = await cli(['audit', 'samples/clean', '--rules', join(dir, 'bad.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:5:15: \/rules\/my-rule\/severity: .*hgih/);
    const v = await cli(['rules', 'validate', join(dir, 'bad.yaml')]);
    expect(v.code).toBe(2);
    expect((await cli(['rules', 'validate', 'rules.yaml'])).stdout).toMatch(new RegExp(`^ok: ${PACK.length} rule\\(s\\) `));
  });

  it('refuses a rules file whose regex can backtrack: exit 2 and one located line, without running the pattern', async () => {
    // Run, `^(a+)+$` would take minutes on a 35-character value; refused at load it never runs. No timing assertion:
    // vitest's timeout is the guard.
    const dir = tmp();
    const rules = join(dir, 'mine.yaml');
    writeFileSync(
      rules,
      `version: 1
rules:
  corp-banner-shape:
    title: The logon banner title has the corporate shape
    severity: low
    checks:
      - match: { registry: { hive: HKLM, key: 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System', value: legalnoticecaption } }
        when: { regex: '^(a+)+$' }
    notConfigured: pass
    rationale: r
    remediation: m
`,
    );
    const r = await cli(['audit', 'samples/broken', '--rules', rules]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${rules}:8:24: /rules/corp-banner-shape/checks/0/when/regex: "^(a+)+$" is refused: it can backtrack for exponential time`);
    expect(r.stdout).toBe('');
  });

  it('lists and shows rules', async () => {
    const list = await cli(['rules', 'list']);
    // A header, one row per rule (the id first) in rules.yaml order, then "N rule(s) from <file>".
    const rows = list.stdout.split('\n').slice(1, -2);
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(PACK.map((r) => r.id));
    expect(list.stdout).toContain(`\n${PACK.length} rule(s) from `);
    const show = await cli(['rules', 'show', 'workspaces-logon-banner']);
    expect(show.stdout).toMatch(/How to fix:/);
    expect((await cli(['rules', 'show', 'nope'])).code).toBe(2);
  });
});

describe('waivers and baselines', () => {
  it('suppresses a waived finding (not counted for the exit code) and says when a waiver expired', async () => {
    const dir = tmp();
    writeFileSync(join(dir, '.gpaudit.yaml'), `version: 1
waivers:
  - rule: workspaces-power-plan-sleeps
    path: '**/PowerOptions.xml'
    reason: Lab power plan, tracked in CHG-1234
    expires: 2999-12-31
  - rule: workspaces-hard-disk-turn-off
    reason: Old exception
    expires: 2020-01-01
  - rule: workspaces-pcie-link-state-power-management
    gpo: '{00000000-0000-0000-0000-000000000000}'
    reason: Not this GPO
    expires: 2999-12-31
`);
    const { code, doc } = await json(['audit', 'samples/broken/gpp/Machine/Preferences/PowerOptions', '--config', join(dir, '.gpaudit.yaml'), '--fail-on', 'medium']);
    const sleeps = doc.findings.find((f: { ruleId: string }) => f.ruleId === 'workspaces-power-plan-sleeps');
    expect(sleeps.suppressed.waiver.reason).toBe('Lab power plan, tracked in CHG-1234');
    expect(code).toBe(0); // the only medium finding is waived
    expect(doc.notices).toEqual([
      'waiver for workspaces-hard-disk-turn-off expired on 2020-01-01 and no longer applies (reason was: Old exception)',
      'waiver for workspaces-pcie-link-state-power-management (GPO "{00000000-0000-0000-0000-000000000000}") matched no finding',
    ]);
  });

  it('with --baseline reports only new findings', async () => {
    const dir = tmp();
    const before = await cli(['audit', 'samples/broken/gpo-report', '--format', 'json', '-o', join(dir, 'before.json')]);
    expect(before.code).toBe(1);
    const { code, doc } = await json(['audit', 'samples/broken/gpo-report', 'samples/broken/sysvol', '--baseline', join(dir, 'before.json')]);
    expect(doc.baseline.known).toBeGreaterThan(5);
    expect(doc.findings.every((f: { locations: { file: string }[] }) => f.locations.every((l) => l.file.includes('sysvol')))).toBe(true);
    expect(code).toBe(1);
    expect((await cli(['audit', 'samples/clean', '--baseline', join(dir, 'missing.json')])).code).toBe(2);
  });
});

describe('SARIF and JUnit from the CLI', () => {
  it('writes SARIF 2.1.0 with a result per finding and relative artifact URIs', async () => {
    const r = await cli(['audit', 'samples/broken/backups', '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0].results;
    expect(results.length).toBeGreaterThan(3);
    const uri = results[0].locations[0].physicalLocation.artifactLocation.uri as string;
    expect(uri.startsWith('samples/broken/backups/%7BB0A7E5C1')).toBe(true);
  });

  it('writes JUnit XML with a failure per finding', async () => {
    const r = await cli(['audit', 'samples/broken/backups', '--format', 'junit']);
    expect(r.stdout).toMatch(/^<\?xml/);
    expect((r.stdout.match(/<failure /g) ?? []).length).toBeGreaterThan(3);
  });
});

describe('a check message template', () => {
  it('replaces the default description with {value} and {setting} filled in', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'mine.yaml'), `version: 1
rules:
  corp-msi:
    title: MSI off
    severity: low
    checks:
      - match: { registry: { hive: HKLM, key: 'Software\\Policies\\Microsoft\\Windows\\Installer', value: DisableMSI } }
        when: { gt: 0 }
        message: 'installer switched off ({value})'
    notConfigured: pass
    rationale: r
    remediation: f
`);
    const { doc } = await json(['audit', 'samples/broken/registry-pol', '--rules', join(dir, 'mine.yaml')]);
    expect(doc.findings.map((f: { message: string }) => f.message)).toEqual(['MSI off: installer switched off (DisableMSI = 2 (REG_DWORD))']);
  });
});
