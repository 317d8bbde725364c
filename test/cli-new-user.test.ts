// What a new user tripped on (issue 7): each test here failed on the code before that issue was fixed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { GPO_RULES } from './helpers/rule-pack.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'dist/cli/main.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'gpaudit-newuser-'));

/** The built CLI in another working directory, as a user runs it (the in-process helper cannot change directory). */
function gpaudit(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm run test:all does)`);
});

describe('a partial audit does not fail on the audit-wide reminder', () => {
  it('one Registry.pol with nothing wrong: the reminder is info, exit 0', async () => {
    const r = await cli(['audit', 'samples/clean/registry-pol', '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    const reminder = doc.findings.find((f: { ruleId: string }) => f.ruleId === 'workspaces-last-signed-in-displayed');
    expect(reminder).toMatchObject({ severity: 'info', notConfigured: true, locations: [] });
    expect(r.code).toBe(0);
  });

  it('its "How to fix" speaks of the setting not being configured, not of it being disabled', async () => {
    const r = await cli(['audit', 'samples/clean/registry-pol']);
    const fix = r.stdout.slice(r.stdout.indexOf('How to fix'));
    expect(fix).toContain('workspaces-last-signed-in-displayed: not set by any audited file');
    expect(fix).toContain('If no GPO linked to the WorkSpaces OU sets it');
    expect(fix).not.toContain('is disabled');
  });

  it('a GPO that disables the setting still gets the rule\'s own remediation', async () => {
    const r = await cli(['audit', 'samples/broken/security-template/GptTmpl.inf']);
    expect(r.stdout).toContain('workspaces-last-signed-in-displayed: "Interactive logon: Don\'t display last signed-in" is disabled\n');
  });
});

describe('small defects', () => {
  it('a waiver with a mistyped rule id names the id and the nearest real one', async () => {
    const dir = tmp();
    const config = join(dir, '.gpaudit.yaml');
    writeFileSync(config, 'version: 1\nwaivers:\n  - rule: workspaces-logon-baner\n    reason: typo\n    expires: 2099-01-01\n');
    const r = await cli(['audit', 'samples/clean/gpo-report', '--config', config]);
    expect(r.stdout).toContain('a waiver names rule "workspaces-logon-baner", which is not in the rule set; did you mean "workspaces-logon-banner"?');
    expect(r.stdout).not.toContain('[object Object]');
    // Said once, not again as a waiver that matched nothing.
    expect(r.stdout).not.toContain('waiver for workspaces-logon-baner matched no finding');
  });

  it('--admx with a folder that does not exist is a configuration error: exit 2, one line (audit and settings)', async () => {
    for (const command of ['audit', 'settings']) {
      const r = await cli([command, 'samples/clean/gpo-report', '--admx', '/nonexistent/PolicyDefinitions']);
      expect(r.code, command).toBe(2);
      expect(r.stderr.trim()).toBe('gpaudit: --admx /nonexistent/PolicyDefinitions: no such folder (give the PolicyDefinitions folder holding the *.admx files)');
      expect(r.stdout).toBe('');
    }
  });

  it('rules list --tags lines the header up with the columns', async () => {
    const r = await cli(['rules', 'list', '--tags', 'web-access']);
    const [header, ...rows] = r.stdout.trimEnd().split('\n').slice(0, -1);
    for (const column of ['severity', 'tags', 'title']) {
      const at = header!.indexOf(column);
      for (const row of rows) expect(row[at - 1], `${column} in ${row}`).toBe(' ');
      for (const row of rows) expect(row[at], `${column} in ${row}`).not.toBe(' ');
    }
    expect(rows.length).toBeGreaterThan(0);
  });

  it('remediation texts point at the GPO the finding names, never "below"', async () => {
    const r = await cli(['audit', 'samples/broken', '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    for (const rule of doc.rules) expect(rule.remediation, rule.id).not.toMatch(/named below|named above/);
  });

  it('rules show cites the public URLs with their anchors, not a file the package does not ship', async () => {
    const r = await cli(['rules', 'show', 'workspaces-logon-banner']);
    expect(r.stdout).toContain('https://docs.aws.amazon.com/workspaces/latest/adminguide/amazon-workspaces-troubleshooting.html#logon_banner');
    expect(r.stdout).not.toMatch(/workspaces-(troubleshooting|guidance)\.md/);
  });
});

describe('errors come first, on stderr, in words', () => {
  it('an input that cannot be read: stderr names it, the report opens with it, exit 2', async () => {
    const r = await cli(['audit', '/nonexistent/exports']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('gpaudit: /nonexistent/exports: error: no such file or folder [io-error]\n');
    const body = r.stdout.split('\n').filter((l) => l !== '');
    expect(body[0]).toMatch(new RegExp(`^gpaudit \\d+\\.\\d+\\.\\d+: ${GPO_RULES.length} rule\\(s\\) from builtin; configuration: `));
    expect(body[1]).toMatch(/^Incomplete: 1 input error\(s\)/);
    expect(r.stdout.indexOf('Incomplete')).toBeLessThan(r.stdout.indexOf('No findings.'));
  });

  it('with -o the terminal still shows the errors and the summary line', async () => {
    const dir = tmp();
    const out = join(dir, 'report.txt');
    const r = await cli(['audit', 'samples/clean/gpo-report', '/nonexistent/x.xml', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('gpaudit: /nonexistent/x.xml: error: no such file or folder [io-error]\n');
    expect(r.stderr).toMatch(/\nSummary: 0 critical, .*; 2 file\(s\) read, 1 failed.*\n1 input error\(s\) .*: exit 2\n/);
    expect(r.stderr).toContain(`report written to ${out}`);
    // The file keeps the problems itself: a saved report is never silently complete.
    const saved = readFileSync(out, 'utf8');
    expect(saved).toMatch(/^gpaudit .*\n\nProblems\n {2}\/nonexistent\/x\.xml: error: no such file or folder \[io-error\]\n/);
  });

  it('-o into a folder that does not exist: one line saying what to do, exit 2, no audit run', async () => {
    const r = await cli(['audit', 'samples/clean', '-o', '/nonexistent/dir/out.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('gpaudit: -o /nonexistent/dir/out.txt: cannot write the report there: the folder /nonexistent/dir does not exist (create it first)\n');
    expect(r.stdout).toBe('');
  });

  it('--baseline that is not a JSON report: one line naming the file and what to pass', async () => {
    const r = await cli(['audit', 'samples/clean', '--baseline', 'README.md']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('gpaudit: --baseline README.md: not a JSON file, so not a gpaudit report; pass a report written earlier by `gpaudit audit --format json -o FILE`\n');
    const missing = await cli(['audit', 'samples/clean', '--baseline', 'nosuch.json']);
    expect(missing.stderr).toBe('gpaudit: --baseline nosuch.json: cannot read it: no such file; pass a report written earlier by `gpaudit audit --format json -o FILE`\n');
    const other = join(tmp(), 'other.json');
    writeFileSync(other, '{"results": []}');
    expect((await cli(['audit', 'samples/clean', '--baseline', other])).stderr).toContain('JSON, but not a gpaudit audit report (it has no "findings" list)');
  });
});

describe('noise', () => {
  /** A Backup-GPO folder with the standard parts gpaudit does not read: GPO.cmt, comment.cmtx, audit.csv, an HTML report. */
  function backupWithStandardParts(): string {
    const dir = tmp();
    const backup = join(dir, 'backups');
    cpSync(join(ROOT, 'samples/broken/backups'), backup, { recursive: true });
    const gpo = join(backup, '{B0A7E5C1-0D5E-4B7B-9C4A-1F2E3D4C5B01}');
    writeFileSync(join(gpo, 'gpreport.html'), '<!DOCTYPE html>\n<html><body>report</body></html>\n');
    writeFileSync(join(gpo, 'DomainSysvol/GPO/GPO.cmt'), Buffer.from('\ufeffWorkSpaces desktop baseline', 'utf16le'));
    writeFileSync(
      join(gpo, 'DomainSysvol/GPO/Machine/comment.cmtx'),
      '<?xml version="1.0" encoding="utf-8"?>\n<policyComments xmlns="http://www.microsoft.com/GroupPolicy/CommentDefinitions"><policyNamespaces/></policyComments>\n',
    );
    mkdirSync(join(gpo, 'DomainSysvol/GPO/Machine/microsoft/windows nt/Audit'), { recursive: true });
    writeFileSync(join(gpo, 'DomainSysvol/GPO/Machine/microsoft/windows nt/Audit/audit.csv'), 'Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value\n');
    return backup;
  }

  it('standard backup parts are counted in one summary line, not warned about one by one', async () => {
    const r = await cli(['audit', backupWithStandardParts()]);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('Problems');
    expect(r.stdout).toMatch(/not audited, 0 not recognised, 4 standard backup part\(s\) skipped \(comments, audit\.csv, HTML reports\)\n/);
    const json = JSON.parse((await cli(['audit', backupWithStandardParts(), '--format', 'json'])).stdout);
    expect(json.problems).toEqual([]);
    expect(json.inputs.filter((i: { knownPart?: boolean }) => i.knownPart).map((i: { what: string }) => i.what).sort()).toEqual([
      'GPO comments (GPO.cmt, comment.cmtx)', 'GPO comments (GPO.cmt, comment.cmtx)', 'HTML report', 'advanced audit policy (audit.csv)',
    ]);
  });

  it('a standard part named explicitly on the command line is still an error: the user asked for it', async () => {
    const file = join(tmp(), 'report.html');
    writeFileSync(file, '<!DOCTYPE html>\n<html></html>\n');
    const r = await cli(['audit', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: HTML report: not audited (export with Get-GPOReport -ReportType Xml) [unsupported-format]');
  });

  it('each finding states its detail once: the headline is the title, the `at` lines carry the setting', async () => {
    const r = await cli(['audit', 'samples/broken/gpo-report/WorkSpaces-Logon-Security.xml']);
    const lines = r.stdout.split('\n');
    const head = lines.find((l) => l.includes('[medium] workspaces-ctrl-alt-del-not-required'))!;
    expect(head).toBe('  [medium] workspaces-ctrl-alt-del-not-required: "Interactive logon: Do not require CTRL+ALT+DEL" is enabled');
    expect(lines[lines.indexOf(head) + 1]).toMatch(/^ {6}at samples\/broken\/gpo-report\/WorkSpaces-Logon-Security\.xml:\d+ {2}HKLM\\.*\\DisableCAD = 1 \(REG_DWORD\)/);
    // Notes the locations cannot carry stay in the headline.
    const gpp = await cli(['audit', 'samples/broken/gpp/Machine/Preferences/Registry/Registry.xml']);
    expect(gpp.stdout).toContain('"Hide entry points for Fast User Switching" is enabled (set by a preference item with item-level targeting: it applies only where its filters match)\n');
  });

  it('"How to fix" comes right after the findings and lists only the rules that fired', async () => {
    const r = await cli(['audit', 'samples/broken/registry-pol/User']);
    const out = r.stdout;
    expect(out.indexOf('How to fix')).toBeGreaterThan(out.indexOf('[high] workspaces-drive-access-restricted'));
    expect(out.indexOf('How to fix')).toBeLessThan(out.indexOf('Not evaluated'));
    const fixes = out.slice(out.indexOf('How to fix'), out.indexOf('Not evaluated')).split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(':')[0]);
    // The info reminder fired too (nothing here sets "Don't display last signed-in"); the rules that did not fire are absent.
    expect(fixes).toEqual(['workspaces-last-signed-in-displayed', 'workspaces-drive-access-restricted']);
  });

  it('--quiet prints the findings and the summary line, nothing else', async () => {
    const r = await cli(['audit', 'samples/broken/registry-pol/User', '--quiet']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n').filter((l) => l !== '');
    expect(lines[0]).toBe('Files with no GPO identity');
    expect(lines.at(-1)).toMatch(/^Summary: 0 critical, 1 high, /);
    expect(r.stdout).not.toMatch(/How to fix|Not evaluated|Notices|gpaudit \d|exit 1/);
    const clean = await cli(['audit', 'samples/clean/gpo-report', '-q']);
    expect(clean.stdout).toMatch(/^Summary: 0 critical/);
  });
});

describe('configuration is found where users expect it', () => {
  function repoWithConfig(): { repo: string; nested: string } {
    const repo = tmp();
    mkdirSync(join(repo, '.git'));
    const nested = join(repo, 'exports', 'site-a');
    mkdirSync(nested, { recursive: true });
    cpSync(join(ROOT, 'samples/broken/gpp/Machine/Preferences/PowerOptions'), join(nested, 'PowerOptions'), { recursive: true });
    writeFileSync(join(repo, '.gpaudit.yaml'), 'version: 1\nfailOn: high\n');
    return { repo, nested };
  }

  it('.gpaudit.yaml is looked up from the working directory up to the repository root, and named in the header', () => {
    const { nested } = repoWithConfig();
    const r = gpaudit(['audit', 'PowerOptions'], nested);
    // failOn: high from the configuration two folders up: the medium power finding does not fail the run.
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^gpaudit \\S+: ${GPO_RULES.length} rule\\(s\\) from builtin; configuration: /.*/\\.gpaudit\\.yaml$`));
    expect(r.stdout).toContain('--fail-on high: exit 0');
  });

  it('the search stops at the repository root', () => {
    const { repo, nested } = repoWithConfig();
    const outer = join(repo, 'outer');
    mkdirSync(join(outer, '.git'), { recursive: true });
    cpSync(join(nested, 'PowerOptions'), join(outer, 'PowerOptions'), { recursive: true });
    const r = gpaudit(['audit', 'PowerOptions'], outer);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toContain('configuration: none (no .gpaudit.yaml found)');
  });

  it('the configuration in use is recorded in the JSON and SARIF output', () => {
    const { repo, nested } = repoWithConfig();
    const json = JSON.parse(gpaudit(['audit', 'PowerOptions', '--format', 'json'], nested).stdout);
    expect(json.configuration).toEqual({ file: join(repo, '.gpaudit.yaml'), rules: ['builtin'] });
    const sarif = JSON.parse(gpaudit(['audit', 'PowerOptions', '--format', 'sarif'], nested).stdout);
    expect(sarif.runs[0].invocations[0].properties).toEqual({ configurationFile: join(repo, '.gpaudit.yaml'), rulesFiles: ['builtin'] });
    const inside = gpaudit(['audit', 'exports', '--format', 'json'], repo);
    expect(JSON.parse(inside.stdout).configuration.file).toBe('.gpaudit.yaml');
  });
});

describe('Preferences files gpaudit does not read, found in a GPO folder', () => {
  function backupWith(file: string, xml: string): { dir: string; gpo: string } {
    const dir = tmp();
    cpSync(join(ROOT, 'samples/clean/backups'), dir, { recursive: true });
    const gpo = readdirSync(dir).find((n) => n.startsWith('{'))!;
    const target = join(dir, gpo, 'DomainSysvol/GPO/Machine/Preferences', file);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, xml);
    return { dir, gpo };
  }

  it('a Groups.xml (Local Users and Groups) leaves the Restricted Groups rule not evaluated for that GPO, as inside a report', async () => {
    const { dir } = backupWith(
      'Groups/Groups.xml',
      '<?xml version="1.0" encoding="utf-8"?>\n<Groups clsid="{3125E937-EB16-4b4c-9934-544FC6D24D26}"><Group clsid="{6D4A79E4-529C-4481-ABD0-F5BD7EA93BA7}" name="Remote Desktop Users (built-in)"><Properties action="U" groupSid="S-1-5-32-555" groupName="Remote Desktop Users (built-in)" deleteAllUsers="1"/></Group></Groups>\n',
    );
    const r = await cli(['audit', dir, '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    const entries = doc.notEvaluated.filter((n: { input?: string }) => n.input?.endsWith('Groups.xml'));
    expect(entries.map((n: { ruleId: string }) => n.ruleId)).toEqual(['workspaces-remote-desktop-users-restricted']);
    expect(entries[0].reason).toMatch(/holds the "Local Users and Groups" extension, which gpaudit does not read and which can set this rule's setting$/);
  });

  it('a ScheduledTasks.xml changes nothing the rules read: no rule becomes not evaluated', async () => {
    const { dir } = backupWith('ScheduledTasks/ScheduledTasks.xml', '<?xml version="1.0" encoding="utf-8"?>\n<ScheduledTasks clsid="{CC63F200-7309-4ba0-B154-A71CD118DBCC}"></ScheduledTasks>\n');
    const doc = JSON.parse((await cli(['audit', dir, '--format', 'json'])).stdout);
    expect(doc.notEvaluated.filter((n: { input?: string }) => n.input?.endsWith('ScheduledTasks.xml'))).toEqual([]);
  });
});
