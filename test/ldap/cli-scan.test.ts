import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { directorySummaryLine } from '../../src/reporters/directory-summary.js';
import { cli } from '../helpers/cli.js';
import { describeSamba, samba } from '../helpers/samba.js';


const byRule = (doc: { findings: { ruleId: string; directoryObject?: { name?: string } }[] }, rule: string) =>
  doc.findings.filter((f) => f.ruleId === rule).map((f) => f.directoryObject?.name).sort();

describeSamba('gpaudit ldap scan against a real AD DC', () => {
  const base = () => ['ldap', 'scan', '--url', samba().ldapsUrl, '--ca-file', samba().caFile, '--bind-dn', samba().adminUpn];

  it('finds the seeded users that break each directory rule, and only those, exit 1', async () => {
    const r = await cli([...base(), '--format', 'json'], { GPAUDIT_LDAP_PASSWORD: samba().password });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(byRule(doc, 'workspaces-linux-username')).toEqual(
      ['-leadingdash', '100%done', 'bang!user', 'john@corp', "o'brien", 'paren(x)', 'pay$roll', 'r&d', 'tilde~user', 'twenty.five.characters.xx', 'twenty.one.characters', '{braces}'].sort(),
    );
    expect(byRule(doc, 'workspaces-login-shell-override')).toEqual(['a_b-c.d']);
    expect(byRule(doc, 'workspaces-user-missing-email')).toContain('nomail');
    const john = doc.findings.find((f: { directoryObject?: { name?: string } }) => f.directoryObject?.name === 'john@corp');
    expect(john.message).toContain('"@" (U+0040)');
    expect(john.directoryObject.dn).toMatch(/^CN=.*,OU=Staff,DC=example,DC=test$/);
    const long = doc.findings.find((f: { directoryObject?: { name?: string } }) => f.directoryObject?.name === 'twenty.one.characters');
    expect(long.message).toContain('21 characters, more than 20');
  });

  it('narrows to nested members of a group, and widens to disabled accounts', async () => {
    const env = { GPAUDIT_LDAP_PASSWORD: samba().password };
    const group = await cli([...base(), '--format', 'json', '--member-of', 'CN=WorkSpaces Users,CN=Users,DC=example,DC=test'], env);
    const names = JSON.parse(group.stdout).findings.map((f: { directoryObject?: { name?: string } }) => f.directoryObject?.name);
    expect(names).toContain('twenty.one.characters'); // two levels deep
    expect(names).not.toContain('outsider');
    const all = await cli([...base(), '--format', 'json', '--include-disabled'], env);
    expect(byRule(JSON.parse(all.stdout), 'workspaces-linux-username')).toEqual(expect.arrayContaining(['-disabled', 'ex~employee']));
  });

  it('keeps a history: a second run reports nothing new, and lists both runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-hist-'));
    const pw = join(dir, 'pw');
    writeFileSync(pw, samba().password);
    chmodSync(pw, 0o600);
    const args = [...base(), '--password-file', pw, '--history', join(dir, 'h.sqlite'), '--format', 'json'];
    const first = await cli(args);
    expect(first.code).toBe(1);
    const second = await cli(args);
    expect(second.stderr).toMatch(/0 new/);
    const list = await cli(['ldap', 'history', join(dir, 'h.sqlite')]);
    expect(list.code).toBe(0);
    expect(list.stdout.match(/completed/g)?.length).toBe(2);
  });

  it('refuses a plaintext bind, a world-readable password file and a wrong password, exit 2 with one line', async () => {
    const plain = await cli(['ldap', 'scan', '--url', samba().url, '--bind-dn', samba().adminUpn], { GPAUDIT_LDAP_PASSWORD: samba().password });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/clear/);
    expect(plain.stderr).toContain('or add --starttls;');
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-pw-'));
    writeFileSync(join(dir, 'pw'), samba().password);
    chmodSync(join(dir, 'pw'), 0o644);
    const loose = await cli([...base(), '--password-file', join(dir, 'pw')]);
    expect(loose.code).toBe(2);
    expect(loose.stderr).toMatch(/chmod 600/);
    const wrong = await cli(base(), { GPAUDIT_LDAP_PASSWORD: 'not-the-password' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/52e/);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('summarises what the directory scan did: server, base DN, entries read and in scope, pages, time', async () => {
    const r = await cli([...base(), '--format', 'json', '--page-size', '5', '--base-dn', 'OU=Staff,DC=example,DC=test'], { GPAUDIT_LDAP_PASSWORD: samba().password });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    const { directory } = doc;
    expect(directory).toMatchObject({
      server: 'ldaps://127.0.0.1:636',
      baseDn: 'OU=Staff,DC=example,DC=test',
      filter: '(&(objectCategory=person)(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))',
    });
    expect(directory.entriesRead).toBeGreaterThan(14);
    expect(directory.inScope).toBe(directory.entriesRead);
    // A server may end with an empty page when the count is a multiple of the page size.
    expect(directory.pages).toBeGreaterThanOrEqual(Math.ceil(directory.entriesRead / 5));
    expect(directory.pages).toBeLessThanOrEqual(Math.ceil(directory.entriesRead / 5) + 1);
    expect(directory.elapsedMs).toBeGreaterThan(0);
    // Every user with a finding was read.
    const users = new Set(doc.findings.map((f: { directoryObject: { dn: string } }) => f.directoryObject.dn));
    expect(directory.inScope).toBeGreaterThanOrEqual(users.size);
    expect(directorySummaryLine(directory)).toMatch(
      new RegExp(`^Directory: ${directory.entriesRead} entries read from ldaps://127\\.0\\.0\\.1:636 \\(base OU=Staff,DC=example,DC=test\\), ${directory.inScope} in scope, ${directory.pages} pages, \\d+\\.\\d s$`),
    );
  });

  it('its text report ends with the directory counts, not file counts, and names the configuration in its header', async () => {
    const r = await cli([...base(), '--page-size', '5', '--base-dn', 'OU=Staff,DC=example,DC=test'], { GPAUDIT_LDAP_PASSWORD: samba().password });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^gpaudit \S+: \d+ rule\(s\) from builtin; configuration: /);
    const summary = r.stdout.split('\n').find((l) => l.startsWith('Summary: '))!;
    expect(summary).toMatch(/; directory: \d+ entries read from ldaps:\/\/127\.0\.0\.1:636 \(base OU=Staff,DC=example,DC=test\), \d+ in scope, \d+ pages, \d+\.\d s$/);
    expect(r.stdout).not.toContain('file(s) read');
  });

  it('writes SARIF with the DN as a logical location', async () => {
    const r = await cli([...base(), '--format', 'sarif', '--tags', 'linux'], { GPAUDIT_LDAP_PASSWORD: samba().password });
    const results = JSON.parse(r.stdout).runs[0].results;
    expect(results.length).toBeGreaterThan(5);
    expect(results[0].locations[0].logicalLocations[0]).toMatchObject({ kind: 'object', fullyQualifiedName: expect.stringMatching(/DC=example,DC=test$/) });
  });
});

describeSamba('waivers on directory findings, and gpaudit preflight, from the CLI', () => {
  it('a waiver whose path matches the DN suppresses that user\'s finding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-waive-'));
    writeFileSync(join(dir, '.gpaudit.yaml'), `version: 1
waivers:
  - rule: workspaces-login-shell-override
    path: 'CN=Abcd Underscore,OU=Staff,*'
    reason: Lab account keeps zsh until the lab closes
    expires: 2999-01-01
`);
    const r = await cli(['ldap', 'scan', '--url', samba().ldapsUrl, '--ca-file', samba().caFile, '--bind-dn', samba().adminUpn, '--format', 'json', '--config', join(dir, '.gpaudit.yaml'), '--tags', 'linux'], { GPAUDIT_LDAP_PASSWORD: samba().password });
    const shell = JSON.parse(r.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'workspaces-login-shell-override');
    expect(shell).toHaveLength(1);
    expect(shell[0].suppressed.waiver.reason).toBe('Lab account keeps zsh until the lab closes');
  });

  it('names a waiver whose rule id is mistyped, with the id it most likely meant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-waive-'));
    writeFileSync(join(dir, '.gpaudit.yaml'), 'version: 1\nwaivers:\n  - rule: workspaces-user-missing-emial\n    reason: typo\n    expires: 2999-01-01\n');
    const r = await cli(['ldap', 'scan', '--url', samba().ldapsUrl, '--ca-file', samba().caFile, '--bind-dn', samba().adminUpn, '--format', 'json', '--config', join(dir, '.gpaudit.yaml')], { GPAUDIT_LDAP_PASSWORD: samba().password });
    expect(JSON.parse(r.stdout).notices).toContain('a waiver names rule "workspaces-user-missing-emial", which is not in the rule set; did you mean "workspaces-user-missing-email"?');
  });

  it('checks only waivers of directory rules: GPO waivers are neither applied nor reported as unused or expired', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-waive-'));
    writeFileSync(join(dir, '.gpaudit.yaml'), `version: 1
waivers:
  - rule: workspaces-logon-banner
    gpo: Default Domain Policy
    reason: Legal wants the banner on the admin OU
    expires: 2999-01-01
  - rule: workspaces-power-plan-sleeps
    path: 'estate/**'
    reason: Old waiver
    expires: 2001-01-01
  - rule: workspaces-login-shell-override
    path: 'CN=Abcd Underscore,OU=Staff,*'
    reason: Lab account keeps zsh until the lab closes
    expires: 2999-01-01
  - rule: workspaces-user-missing-email
    path: 'CN=Nobody Here,*'
    reason: Stale directory waiver
    expires: 2999-01-01
`);
    const r = await cli(['ldap', 'scan', '--url', samba().ldapsUrl, '--ca-file', samba().caFile, '--bind-dn', samba().adminUpn, '--format', 'json', '--config', join(dir, '.gpaudit.yaml')], { GPAUDIT_LDAP_PASSWORD: samba().password });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    const waiverNotices = doc.notices.filter((n: string) => n.startsWith('waiver for'));
    // The directory waiver that matched nobody is still reported; the GPO waivers are the GPO audit's business.
    expect(waiverNotices).toEqual(['waiver for workspaces-user-missing-email (path CN=Nobody Here,*) matched no finding']);
    expect(doc.findings.filter((f: { suppressed?: unknown }) => f.suppressed)).toHaveLength(1);
  });

  it('preflight passes against the DC and fails, exit 1, for a domain with no SRV records', async () => {
    const ok = await cli(['preflight', '--domain', samba().domain, '--dns', samba().dnsServer, '--timeout', '2000']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/10 ok, 0 failed/);
    const none = await cli(['preflight', '--domain', 'nosuch.example.test', '--dns', samba().dnsServer, '--timeout', '2000']);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('SRV record for LDAP does not exist for IP: 127.0.0.1');
    expect((await cli(['preflight', '--domain', 'x', '--dns', 'not-an-ip'])).code).toBe(2);
  });
});
