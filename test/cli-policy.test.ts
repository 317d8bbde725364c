// `gpaudit policy --ou` and `gpaudit audit --ou` offline: an LDIF export of the links and GPO containers plus a
// SYSVOL copy, written here. The expectations are worked out by hand from [MS-GPOL] 3.2.5.1 as docs/effective-policy.md
// states it (the comments say how), never read off gpaudit's output. The live-directory twin: test/ldap/effective-policy.test.ts.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { validateSarif } from './reporters/multitool.js';
import { AZURE_PIPELINES_ENV, expectCodeScanningShape, NO_PIPELINE_ENV, validateForAllConsumers, validateForGitHub } from './reporters/ci-consumers.js';
import { KEYS } from './helpers/gpo-fixtures.js';
import { writeRegistryPol, type PolEntry } from './helpers/pol-writer.js';

const DOMAIN = 'DC=corp,DC=test';
const WS = `OU=WorkSpaces,${DOMAIN}`;
const CHILD = `OU=Pool,${WS}`;

// One letter per GPO, spelled into a GUID.
const guid = (n: number) => `{${String(n).padStart(8, "0")}-AAAA-4BBB-8CCC-0000000000${String(n).padStart(2, "0")}}`;
const G = { D: guid(1), DD: guid(2), A: guid(3), B: guid(4), E: guid(5), F: guid(6), Z: guid(7), H: guid(8), I: guid(9), C: guid(10), J: guid(11) } as const;
type Name = keyof typeof G;

const REG_SZ = 1;
const REG_DWORD = 4;
const dword = (key: string, valueName: string, data: number): PolEntry => ({ key, valueName, type: REG_DWORD, data });
const sz = (key: string, valueName: string, data: string): PolEntry => ({ key, valueName, type: REG_SZ, data });

interface Gpo {
  flags?: number;
  /** versionNumber in the directory; GPT.INI gets `gptVersion` (default: the same). */
  version: number;
  gptVersion?: number;
  machine?: PolEntry[];
  /** No folder under SYSVOL. */
  noFolder?: true;
}

const GPOS: Record<Exclude<Name, 'J'>, Gpo> = {
  D: { version: 1, machine: [sz(KEYS.system, 'LegalNoticeCaption', '')] }, // enforced at the domain: its empty caption wins
  DD: { version: 1, machine: [sz(KEYS.system, 'LegalNoticeCaption', 'Authorised use only')] },
  A: { version: 3, gptVersion: 2, machine: [dword(KEYS.installer, 'DisableMSI', 0), dword(KEYS.system, 'HideFastUserSwitching', 1)] },
  B: { version: 1, machine: [dword(KEYS.installer, 'DisableMSI', 2)] },
  E: { version: 1, machine: [dword(KEYS.system, 'DisableCAD', 1)] }, // its link is disabled
  F: { version: 1, flags: 2, machine: [dword(KEYS.system, 'DisableCAD', 1)] }, // computer half disabled
  Z: { version: 0, machine: [dword(KEYS.system, 'DisableCAD', 1)] }, // never edited: empty
  H: { version: 1, machine: [dword(KEYS.system, 'DisableCAD', 1)] }, // linked nowhere
  I: { version: 1, noFolder: true }, // the directory has it, SYSVOL does not
  C: { version: 1, machine: [dword(KEYS.installer, 'DisableMSI', 1)] }, // linked at the blocking child OU
};

const link = (n: Name, options: number) => `[LDAP://cn=${G[n]},cn=policies,cn=system,${DOMAIN};${options}]`;

function ldif(): string {
  const entries = [
    // The first gPLink entry has the highest link order: D (enforced, option 2) is link order 2, DD link order 1.
    `dn: ${DOMAIN}\nobjectClass: top\nobjectClass: domain\nobjectClass: domainDNS\ngPLink: ${link('D', 2)}${link('DD', 0)}\n`,
    // Link orders A 6, B 5, E 4 (disabled), F 3, Z 2, I 1: B is applied after A and wins what both set.
    `dn: ${WS}\nobjectClass: top\nobjectClass: organizationalUnit\nou: WorkSpaces\ngPLink: ${link('A', 0)}${link('B', 0)}${link('E', 1)}${link('F', 0)}${link('Z', 0)}${link('I', 0)}\ngPOptions: 0\n`,
    `dn: ${CHILD}\nobjectClass: top\nobjectClass: organizationalUnit\nou: Pool\ngPLink: ${link('C', 0)}\ngPOptions: 1\n`,
    `dn: OU=Empty,${DOMAIN}\nobjectClass: top\nobjectClass: organizationalUnit\nou: Empty\n`,
  ];
  for (const [n, g] of Object.entries(GPOS) as [Name, Gpo][]) {
    entries.push(
      `dn: CN=${G[n]},CN=Policies,CN=System,${DOMAIN}\nobjectClass: top\nobjectClass: container\nobjectClass: groupPolicyContainer\ncn: ${G[n]}\n` +
        `displayName: GPO ${n}\nflags: ${g.flags ?? 0}\nversionNumber: ${g.version}\n` +
        `gPCFileSysPath: \\\\corp.test\\SysVol\\corp.test\\Policies\\${G[n]}\n`,
    );
  }
  return entries.join('\n');
}

let root: string;
let sysvol: string;
let ldifFile: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'gpaudit-ou-'));
  sysvol = join(root, 'Policies');
  for (const [n, g] of Object.entries(GPOS) as [Name, Gpo][]) {
    if (g.noFolder) continue;
    // Folder names in another case than the directory's: matched without case.
    const dir = join(sysvol, G[n].toLowerCase());
    mkdirSync(join(dir, 'Machine'), { recursive: true });
    writeFileSync(join(dir, 'GPT.INI'), `[General]\r\nVersion=${g.gptVersion ?? g.version}\r\ndisplayName=GPO ${n}\r\n`);
    if (g.machine) writeFileSync(join(dir, 'Machine', 'Registry.pol'), writeRegistryPol(g.machine));
  }
  // An orphan: a folder no container names.
  mkdirSync(join(sysvol, G.J), { recursive: true });
  writeFileSync(join(sysvol, G.J, 'GPT.INI'), '[General]\r\nVersion=1\r\n');
  ldifFile = join(root, 'links.ldif');
  writeFileSync(ldifFile, ldif());
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function policyJson(ou: string, extra: string[] = []) {
  const r = await cli(['policy', '--ou', ou, ldifFile, '--sysvol', sysvol, '--format', 'json', ...extra]);
  return { ...r, doc: JSON.parse(r.stdout) };
}

const names = (list: { name?: string }[]) => list.map((g) => g.name);

describe('gpaudit policy --ou, from an LDIF export and a SYSVOL copy', () => {
  it('lists the GPOs that reach the OU in precedence order, with where each is linked', async () => {
    const { code, doc, stderr } = await policyJson(WS);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // Applied top-down: DD (domain), then A before B (link order 6 before 5), then the enforced D after everything.
    expect(doc.computer.applied.map((g: { name: string; precedence: number; linkedAt: string; enforced: boolean; linkOrder: number }) => [g.name, g.precedence, g.linkedAt, g.enforced, g.linkOrder])).toEqual([
      ['GPO D', 1, DOMAIN, true, 2],
      ['GPO B', 2, WS, false, 5],
      ['GPO A', 3, WS, false, 6],
      ['GPO DD', 4, DOMAIN, false, 1],
    ]);
    const reasons = Object.fromEntries(doc.computer.notApplied.map((g: { name: string; reason: string }) => [g.name, g.reason]));
    expect(reasons).toEqual({
      'GPO E': 'link-disabled',
      'GPO F': 'computer-settings-disabled',
      'GPO Z': 'empty',
      'GPO I': 'sysvol-missing',
      'GPO H': 'not-linked',
      'GPO C': 'not-linked',
    });
    // Every GPO has user version 0: nothing applies on the user side.
    expect(doc.user.applied).toEqual([]);
  });

  it("gives each setting's winner and what it overrides", async () => {
    const { doc } = await policyJson(WS);
    const byValue = (name: string) => doc.settings.find((s: { registry?: { valueName: string } }) => s.registry?.valueName === name);
    const msi = byValue('DisableMSI');
    expect([msi.winner.name, msi.winner.precedence, msi.registry.data]).toEqual(['GPO B', 2, 2]);
    expect(msi.overridden.map((o: { name: string; value: string }) => [o.name, o.value])).toEqual([['GPO A', '0 (REG_DWORD)']]);
    const caption = byValue('LegalNoticeCaption');
    expect([caption.winner.name, caption.registry.data]).toEqual(['GPO D', '']);
    expect(caption.overridden.map((o: { name: string }) => o.name)).toEqual(['GPO DD']);
    expect(byValue('DisableCAD')).toBeUndefined(); // only GPOs that do not reach the OU set it
    expect(doc.settings.every((s: { orderUnknown?: boolean }) => s.orderUnknown === undefined)).toBe(true);
  });

  it('block inheritance keeps only the enforced links from above', async () => {
    const { doc } = await policyJson(CHILD);
    expect(doc.computer.applied.map((g: { name: string; precedence: number }) => [g.name, g.precedence])).toEqual([
      ['GPO D', 1],
      ['GPO C', 2],
    ]);
    const blocked = doc.computer.notApplied.filter((g: { reason: string }) => g.reason === 'blocked').map((g: { name: string }) => g.name).sort();
    expect(blocked).toEqual(['GPO A', 'GPO B', 'GPO DD', 'GPO F', 'GPO I', 'GPO Z']);
    // E's only link is disabled: that it would also be blocked does not matter.
    expect(doc.computer.notApplied.find((g: { name: string }) => g.name === 'GPO E').reason).toBe('link-disabled');
  });

  it('writes JSON that validates against schemas/policy-output.schema.json, which is what the type generates', async () => {
    const schema = JSON.parse(readFileSync('schemas/policy-output.schema.json', 'utf8'));
    const { doc } = await policyJson(WS);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const fresh = execFileSync(
      'npx',
      ['ts-json-schema-generator', '--path', 'src/reporters/policy-output-types.ts', '--type', 'PolicyOutput', '--tsconfig', 'tsconfig.build.json', '--no-top-ref'],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(fresh)).toEqual(schema);
  });

  it('writes a self-contained HTML page with --format html (tested in a browser by test/html)', async () => {
    const r = await cli(['policy', '--ou', WS, ldifFile, '--sysvol', sysvol, '--format', 'html']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>\n/);
    expect(r.stdout).toContain('GPO B');
    expect(r.stdout).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);
  });

  it('prints a text summary like gpresult', async () => {
    const r = await cli(['policy', '--ou', WS, ldifFile, '--sysvol', sysvol]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Resultant policy of ${WS}`);
    expect(r.stdout).toMatch(/Computer side: 4 applied \(precedence 1 wins\)\n +1 {2}"GPO D" \{00000001-AAAA-4BBB-8CCC-000000000001\} {2}linked at DC=corp,DC=test; enforced, link order 2/);
    expect(r.stdout).toContain('"GPO E" {00000005-AAAA-4BBB-8CCC-000000000005}: link-disabled');
    expect(r.stdout).toMatch(/DisableMSI = 2 \(REG_DWORD\).*\n +from "GPO B" .* \(precedence 2\) at .*Registry\.pol@byte \d+\n +overrides "GPO A" .* \(precedence 3\): 0 \(REG_DWORD\)/);
  });
});

describe('gpaudit audit --ou, offline', () => {
  async function auditJson(ou: string) {
    const r = await cli(['audit', '--ou', ou, ldifFile, '--sysvol', sysvol, '--format', 'json']);
    return { ...r, doc: JSON.parse(r.stdout) };
  }
  const summary = (doc: { findings: { ruleId: string; gpo?: { name?: string; id?: string }; precedence?: number; severity: string }[] }) =>
    doc.findings.map((f) => [f.ruleId, f.gpo?.name ?? f.gpo?.id, f.precedence, f.severity]).sort((a, b) => String(a).localeCompare(String(b)));

  it('judges the resultant policy: the winners only, each finding naming its GPO and precedence', async () => {
    const { code, doc } = await auditJson(WS);
    expect(code).toBe(1);
    expect(summary(doc)).toEqual(
      [
        // B's DisableMSI=2 beats A's 0; A alone hides Fast User Switching; D's empty caption beats DD's banner.
        ['workspaces-windows-installer-disabled', 'GPO B', 2, 'medium'],
        ['workspaces-fast-user-switching-hidden', 'GPO A', 3, 'high'],
        // Nothing that reaches the OU sets DontDisplayLastUserName: the Windows default shows the last user.
        ['workspaces-last-signed-in-displayed', undefined, undefined, 'medium'],
        // A: versionNumber 3 in the directory, GPT.INI says 2. I: no folder. J: a folder without a container.
        ['gpo-version-mismatch', 'GPO A', undefined, 'medium'],
        ['gpo-sysvol-missing', 'GPO I', undefined, 'high'],
        ['gpo-sysvol-missing', G.J, undefined, 'high'],
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );
    const reminder = doc.findings.find((f: { ruleId: string }) => f.ruleId === 'workspaces-last-signed-in-displayed');
    expect(reminder.message).toContain(`no GPO that reaches ${WS} sets it`);
    expect(reminder.ou).toBe(WS);
    expect(doc.policy.computer.applied.map((g: { name: string }) => g.name)).toEqual(['GPO D', 'GPO B', 'GPO A', 'GPO DD']);
    const schema = JSON.parse(readFileSync('schemas/audit-output.schema.json', 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('under a blocking OU, only the enforced GPO and the OU\'s own reach it', async () => {
    const { doc } = await auditJson(CHILD);
    const rules = summary(doc).filter((f) => !String(f[0]).startsWith('gpo-'));
    expect(rules).toEqual([
      ['workspaces-last-signed-in-displayed', undefined, undefined, 'medium'],
      ['workspaces-windows-installer-disabled', 'GPO C', 2, 'medium'],
    ]);
  });

  it('writes SARIF the Microsoft SARIF Multitool accepts, with the precedence on each result, and JUnit with it in the body', async () => {
    const sarif = await cli(['audit', '--ou', WS, ldifFile, '--sysvol', sysvol, '--format', 'sarif', '-o', join(root, 'ou.sarif')]);
    expect(sarif.code).toBe(1);
    expect(validateSarif(join(root, 'ou.sarif'))).toEqual([]);
    const log = JSON.parse(readFileSync(join(root, 'ou.sarif'), 'utf8'));
    const msi = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'workspaces-windows-installer-disabled');
    expect([msi.properties.gpo.name, msi.properties.precedence]).toEqual(['GPO B', 2]);
    const junit = await cli(['audit', '--ou', WS, ldifFile, '--sysvol', sysvol, '--format', 'junit']);
    expect(junit.stdout).toContain("precedence 2 in the OU's resultant policy (the winning GPO)");
  });

  it('writes SARIF that GitHub code scanning and GHAzDO accept: the reminder at its rule, a GPO without a folder at its container', async () => {
    await cli(['audit', '--ou', WS, ldifFile, '--sysvol', sysvol, '--format', 'sarif', '-o', join(root, 'ou-github.sarif')], NO_PIPELINE_ENV);
    expect(validateForGitHub(join(root, 'ou-github.sarif'))).toEqual([]);
    const log = JSON.parse(readFileSync(join(root, 'ou-github.sarif'), 'utf8'));
    expectCodeScanningShape(log);
    const at = (ruleId: string, gpo?: string) =>
      log.runs[0].results.find((r: { ruleId: string; properties: { gpo?: { name?: string; id?: string } } }) => r.ruleId === ruleId && (gpo === undefined || r.properties.gpo?.name === gpo || r.properties.gpo?.id === gpo)).locations[0];
    const reminder = at('workspaces-last-signed-in-displayed');
    expect(reminder.physicalLocation.artifactLocation).toEqual({ uri: 'rules.yaml', uriBaseId: '%SRCROOT%' });
    expect(reminder.logicalLocations).toEqual([{ name: WS, fullyQualifiedName: WS, kind: 'object' }]);
    // GPO I has a container but no folder: the finding is about the container.
    const missing = at('gpo-sysvol-missing', 'GPO I');
    expect(missing.physicalLocation.artifactLocation.uri).toBe(`directory/CN=${encodeURIComponent(G.I)},CN=Policies,CN=System,${DOMAIN}`);
    expect(missing.logicalLocations.map((l: { kind: string }) => l.kind)).toEqual(['object', 'module']);
    // In an Azure Pipelines job the same run carries the job's identity, and meets GHAzDO's rules too.
    await cli(['audit', '--ou', WS, ldifFile, '--sysvol', sysvol, '--format', 'sarif', '-o', join(root, 'ou-azure.sarif')], AZURE_PIPELINES_ENV);
    expect(validateForAllConsumers(join(root, 'ou-azure.sarif'))).toEqual([]);
  });

  it('says in the text report which GPOs reach the OU before the findings', async () => {
    const r = await cli(['audit', '--ou', WS, ldifFile, '--sysvol', sysvol]);
    expect(r.stdout).toMatch(/Effective policy of OU=WorkSpaces,DC=corp,DC=test \(from LDIF .*links\.ldif; SYSVOL .*Policies\)/);
    expect(r.stdout).toContain('GPO "GPO B" {00000004-AAAA-4BBB-8CCC-000000000004} (precedence 2)');
  });
});

describe('bad input for --ou', () => {
  it('an OU the export does not hold: one line naming it, exit 2', async () => {
    const r = await cli(['policy', '--ou', `OU=Nope,${DOMAIN}`, ldifFile, '--sysvol', sysvol]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`gpaudit: OU=Nope,${DOMAIN}: the OU OU=Nope,${DOMAIN} is not in the directory data given (check the DN, or export it too): its own links are not known\n`);
  });

  it('an OU without links of its own is fine', async () => {
    const { code, doc } = await policyJson(`OU=Empty,${DOMAIN}`);
    expect(code).toBe(0);
    expect(names(doc.computer.applied)).toEqual(['GPO D', 'GPO DD']);
  });

  it('a gPLink on the path that does not parse: the OU policy is incomplete, exit 2', async () => {
    const bad = join(root, 'bad-link.ldif');
    writeFileSync(bad, ldif().replace(/^(ou: WorkSpaces\ngPLink: ).*$/m, '$1[LDAP://not a link;x]'));
    const r = await cli(['policy', '--ou', WS, bad, '--sysvol', sysvol]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^gpaudit: .*bad-link\\.ldif: ${WS} is on the path of the OU, and gPLink does not parse`, 'm'));
  });

  it('usage: --ou without link data, directory options without --ou, --url without --bind-dn', async () => {
    expect((await cli(['policy', '--ou', WS])).stderr).toMatch(/--ou needs link data/);
    const noOu = await cli(['audit', 'samples/clean', '--sysvol', sysvol]);
    expect([noOu.code, noOu.stderr]).toEqual([2, 'gpaudit: --url, --sysvol, --user-ou and --site answer for one OU: give --ou too\n']);
    const noBind = await cli(['policy', '--ou', WS, '--url', 'ldap://127.0.0.1']);
    expect([noBind.code, noBind.stderr]).toEqual([2, 'gpaudit: --url needs --bind-dn (the account to bind as: a DN, user@domain or DOMAIN\\user)\n']);
    expect((await cli(['audit'])).code).toBe(2);
  });

  it('a SYSVOL folder the user cannot read: one line naming it, the other GPOs still judged, exit 2', () => {
    // The tests run as root, for whom mode 000 means nothing: the built CLI runs as nobody (setpriv), over a copy.
    const copy = mkdtempSync(join(tmpdir(), 'gpaudit-ou-perm-'));
    try {
      execFileSync('cp', ['-r', sysvol, ldifFile, copy]);
      execFileSync('chmod', ['-R', 'a+rX', copy]);
      execFileSync('chmod', ['000', join(copy, 'Policies', G.B.toLowerCase())]);
      const run = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, resolve('dist/cli/main.js'), 'audit', '--ou', WS, join(copy, 'links.ldif'), '--sysvol', join(copy, 'Policies'), '--format', 'json'], { encoding: 'utf8', cwd: copy });
      expect(run.status).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toEqual([`gpaudit: Policies/${G.B.toLowerCase()}: error: folder could not be listed (permission denied) [io-error]`]);
      const doc = JSON.parse(run.stdout);
      // B cannot be read: its DisableMSI=2 goes unseen and every settings rule is not evaluated for it; A's finding stands.
      expect(doc.findings.map((f: { ruleId: string; gpo?: { name: string } }) => [f.ruleId, f.gpo?.name]).filter((f: string[]) => f[0]!.startsWith('workspaces-fast') || f[0]!.startsWith('workspaces-windows'))).toEqual([
        ['workspaces-fast-user-switching-hidden', 'GPO A'],
      ]);
      expect(doc.notEvaluated.filter((n: { input?: string }) => n.input?.includes('GPO B')).length).toBeGreaterThan(10);
    } finally {
      execFileSync('chmod', ['-R', 'u+rwX', copy]);
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('--sysvol that is not a folder, or holds no {GUID} folders', async () => {
    const r = await cli(['policy', '--ou', WS, ldifFile, '--sysvol', ldifFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--sysvol is not a folder');
  });
});

describe('from GPO reports alone (LinksTo, no link order)', () => {
  it('marks two GPOs linked at one OU as order unknown, and says what was assumed', async () => {
    const { code, doc } = await (async () => {
      const r = await cli(['policy', '--ou', 'corp.example.test/WorkSpaces', 'samples/broken/gpo-report', '--format', 'json']);
      return { ...r, doc: JSON.parse(r.stdout) };
    })();
    expect(code).toBe(0);
    const applied = doc.computer.applied.map((g: { name: string; enforced: boolean; orderKnown: boolean; linkedAt: string }) => [g.name, g.linkedAt, g.enforced, g.orderKnown]);
    // The enforced domain link wins; the two WorkSpaces-OU links have no known relative order.
    expect(applied).toEqual([
      ['Legacy Winlogon Tweaks (broken)', 'corp.example.test', true, true],
      ['WorkSpaces - Logon Security (broken)', 'corp.example.test/WorkSpaces', false, false],
      ['WorkSpaces - Desktop Templates (broken)', 'corp.example.test/WorkSpaces', false, false],
    ]);
    expect(doc.assumptions.join('\n')).toMatch(/block inheritance of corp\.example\.test\/WorkSpaces is not known/);
  });
});

describe('loopback processing, offline', () => {
  // OU=Comp holds the WorkSpaces; L, linked there, sets UserPolicyMode (1 merge / 2 replace) on its computer side and
  // NoViewOnDrive=4 on its user side. OU=People holds the users; U, linked there, sets NoViewOnDrive=8.
  const L = '{1111AAAA-0000-4000-8000-00000000000A}';
  const U = '{2222BBBB-0000-4000-8000-00000000000B}';
  const D = 'DC=loop,DC=test';
  const COMP = `OU=Comp,${D}`;
  const PEOPLE = `OU=People,${D}`;
  let dir: string;
  const write = (mode: number) => {
    dir = mkdtempSync(join(tmpdir(), 'gpaudit-loop-'));
    const gpc = (id: string, name: string, version: number) =>
      `dn: CN=${id},CN=Policies,CN=System,${D}\nobjectClass: groupPolicyContainer\ncn: ${id}\ndisplayName: ${name}\nflags: 0\nversionNumber: ${version}\n`;
    const link = (id: string) => `[LDAP://cn=${id},cn=policies,cn=system,${D};0]`;
    writeFileSync(
      join(dir, 'links.ldif'),
      [`dn: ${D}\nobjectClass: domainDNS\n`, `dn: ${COMP}\nobjectClass: organizationalUnit\ngPLink: ${link(L)}\n`, `dn: ${PEOPLE}\nobjectClass: organizationalUnit\ngPLink: ${link(U)}\n`, gpc(L, 'L', 0x10001), gpc(U, 'U', 0x10000)].join('\n'),
    );
    for (const [id, machine, user] of [
      [L, [dword('Software\\Policies\\Microsoft\\Windows\\System', 'UserPolicyMode', mode)], [dword(KEYS.explorer, 'NoViewOnDrive', 4)]],
      [U, [], [dword(KEYS.explorer, 'NoViewOnDrive', 8)]],
    ] as const) {
      mkdirSync(join(dir, 'Policies', id, 'Machine'), { recursive: true });
      mkdirSync(join(dir, 'Policies', id, 'User'), { recursive: true });
      writeFileSync(join(dir, 'Policies', id, 'GPT.INI'), '[General]\r\nVersion=65537\r\n');
      if (machine.length) writeFileSync(join(dir, 'Policies', id, 'Machine', 'Registry.pol'), writeRegistryPol([...machine]));
      writeFileSync(join(dir, 'Policies', id, 'User', 'Registry.pol'), writeRegistryPol([...user]));
    }
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = async () => JSON.parse((await cli(['policy', '--ou', COMP, '--user-ou', PEOPLE, join(dir, 'links.ldif'), '--sysvol', join(dir, 'Policies'), '--format', 'json'])).stdout);

  it('merge (1): the users\' own GPOs apply first, the computer OU\'s after them and win', async () => {
    write(1);
    const doc = await run();
    expect(doc.loopback).toEqual({ mode: 'merge', gpo: { id: L, name: 'L' } });
    expect(doc.user.applied.map((g: { name: string; precedence: number; from: string }) => [g.name, g.precedence, g.from])).toEqual([
      ['L', 1, 'computer-ou'],
      ['U', 2, 'user-ou'],
    ]);
    expect(doc.user.notApplied.map((g: { name: string }) => g.name)).not.toContain('U');
    const drive = doc.settings.find((s: { side: string; registry?: { valueName: string } }) => s.side === 'user' && s.registry?.valueName === 'NoViewOnDrive');
    expect([drive.winner.name, drive.registry.data, drive.overridden.map((o: { name: string }) => o.name)]).toEqual(['L', 4, ['U']]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('replace (2): only the computer OU\'s user sides; the users\' own GPO does not reach them', async () => {
    write(2);
    const doc = await run();
    expect(doc.loopback.mode).toBe('replace');
    expect(doc.user.applied.map((g: { name: string }) => g.name)).toEqual(['L']);
    expect(doc.user.notApplied.find((g: { name: string }) => g.name === 'U')?.reason).toBe('not-linked');
  });
});
