// `gpaudit policy --ou` and `gpaudit audit --ou` against the live test DC (issue 9). The scenario (GPOs, links,
// flags, versions, filtering, settings) is made with samba-tool, ldapmodify and files in SYSVOL by
// test/helpers/gpo-scenario.ts, which also holds the expected outcome per target OU, worked out by hand from
// [MS-GPOL] 3.2.5.1 and the set-up (never read off gpaudit's output). SYSVOL is copied with the smbclient recipe of
// docs/effective-policy.md. The offline twin (LDIF export + the same copy): effective-policy-exports.test.ts.
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import {
  buildScenario,
  copySysvol,
  dcPoliciesDir,
  DOMAIN_DN,
  expectedNotApplied,
  gpoDn,
  GPOS,
  KNOWN_GPOS,
  ldapModify,
  ldapSearch,
  ldifValues,
  LINKS,
  MISSING_OU,
  ORPHAN_ID,
  packVersion,
  PILOT_GROUP,
  removeScenario,
  sambaTool,
  TARGETS,
  withPassword,
  writeSmbAuthFile,
  APPLY_GROUP_POLICY,
  DEFAULT_DOMAIN_POLICY,
  expectedFindingRows,
  findingRows,
  type FindingDoc,
  type ExpectedSetting,
  type ExpectedSide,
  type Scenario,
  type TargetExpectation,
} from '../helpers/gpo-scenario.js';
import { describeSamba, samba } from '../helpers/samba.js';

const run = promisify(execFile);

interface SideDoc {
  applied: { id: string; name?: string; precedence: number; linkedAt: string; enforced: boolean; linkOrder?: number; orderKnown: boolean; security: string; from?: string }[];
  notApplied: { id: string; name?: string; reason: string; detail?: string }[];
}
interface SettingDoc {
  side: 'computer' | 'user';
  registry?: { hive: string; key: string; valueName: string; data?: unknown };
  winner: { id: string; name?: string; precedence: number };
  overridden: { id: string; name?: string; precedence: number }[];
}

let scenario: Scenario;
let root: string;
let sysvol: string;

const nameOf = (id: string): string => scenario.names.get(id.toUpperCase()) ?? `foreign ${id}`;
const known = (id: string): boolean => scenario.names.has(id.toUpperCase());

/** The directory flags of every live run: LDAPS with the DC's CA, so stderr carries nothing but gpaudit's own lines. */
const directory = (): string[] => ['--url', samba().ldapsUrl, '--ca-file', samba().caFile, '--bind-dn', samba().adminUpn];
const env = (): Record<string, string> => ({ GPAUDIT_LDAP_PASSWORD: samba().password });
const targetArgs = (t: Pick<TargetExpectation, 'ou' | 'userOu'>): string[] => ['--ou', t.ou, ...(t.userOu ? ['--user-ou', t.userOu] : [])];

function appliedRows(side: SideDoc) {
  return side.applied.map((a) => ({
    name: nameOf(a.id),
    id: a.id,
    precedence: a.precedence,
    linkedAt: a.linkedAt,
    enforced: a.enforced,
    linkOrder: a.linkOrder,
    orderKnown: a.orderKnown,
    security: a.security,
  }));
}

function expectedAppliedRows(side: ExpectedSide, s: Scenario) {
  return side.applied.map((a) => ({ ...a, id: s.ids[a.name], orderKnown: true, security: 'applies' }));
}

/** Not-applied reasons of the GPOs the scenario knows (GPOs other test files may have made are left out). */
function notAppliedRows(side: SideDoc): Record<string, string> {
  return Object.fromEntries(side.notApplied.filter((n) => known(n.id)).map((n) => [nameOf(n.id), n.reason]));
}

function settingRow(s: SettingDoc) {
  return {
    side: s.side,
    key: s.registry ? `${s.registry.hive}\\${s.registry.key}`.toLowerCase() : '(not a registry value)',
    valueName: s.registry?.valueName.toLowerCase(),
    data: s.registry?.data,
    winner: nameOf(s.winner.id),
    precedence: s.winner.precedence,
    overridden: s.overridden.map((o) => [nameOf(o.id), o.precedence]),
  };
}
function expectedSettingRow(s: ExpectedSetting) {
  return {
    side: s.side,
    key: `${s.side === 'computer' ? 'HKLM' : 'HKCU'}\\${s.key}`.toLowerCase(),
    valueName: s.valueName.toLowerCase(),
    data: s.data,
    winner: s.winner,
    precedence: s.precedence,
    overridden: s.overridden,
  };
}
const bySetting = (a: { side: string; key: string; valueName?: string }, b: { side: string; key: string; valueName?: string }) =>
  `${a.side} ${a.key} ${a.valueName}`.localeCompare(`${b.side} ${b.key} ${b.valueName}`);

/** The applied and not-applied lists of one side against the expectation. */
function expectSide(doc: SideDoc, expected: ExpectedSide, what: string): void {
  expect(appliedRows(doc), `${what}: applied`).toEqual(expectedAppliedRows(expected, scenario));
  expect(notAppliedRows(doc), `${what}: not applied`).toEqual(expectedNotApplied(expected));
  // Each GPO once per side.
  const ids = [...doc.applied, ...doc.notApplied].map((g) => g.id.toUpperCase());
  expect(new Set(ids).size, `${what}: a GPO listed twice`).toBe(ids.length);
  for (const g of [...doc.applied, ...doc.notApplied].filter((g) => known(g.id))) expect(g.name, `${what}: name of ${g.id}`).toBe(nameOf(g.id));
  const filtered = doc.notApplied.find((g) => g.reason === 'security-filtered');
  if (filtered) expect(filtered.detail, `${what}: whom EP-Filtered is filtered to`).toContain(PILOT_GROUP);
}

describeSamba('the effective policy of OUs on a real AD DC (gpaudit policy --ou, audit --ou)', () => {
  beforeAll(async () => {
    scenario = await buildScenario(samba());
    root = mkdtempSync(join(tmpdir(), 'gpaudit-ep-'));
    const auth = join(root, 'smb-auth');
    await writeSmbAuthFile(samba(), auth);
    sysvol = join(root, 'Policies');
    mkdirSync(sysvol);
    await copySysvol(sysvol, withPassword(auth));
  }, 300_000);

  afterAll(async () => {
    await removeScenario(samba());
    if (root) rmSync(root, { recursive: true, force: true });
  }, 300_000);

  it('the scenario is on the DC as intended (checked with ldapsearch, samba-tool and the files, not gpaudit)', async () => {
    const dc = samba();
    expect(Object.keys(scenario.ids).sort()).toEqual([...KNOWN_GPOS].sort());
    const link = (name: (typeof LINKS)[number]['links'][number]) =>
      `[LDAP://CN=${scenario.ids[name.gpo]},CN=Policies,CN=System,${DOMAIN_DN};${(name.enforce ? 2 : 0) | (name.disable ? 1 : 0)}]`;
    for (const container of LINKS) {
      const entry = await ldapSearch(dc, container.at, 'base', '(objectClass=*)', ['gPLink', 'gPOptions']);
      // samba-tool puts each new link first: gPLink lists them in the reverse of the order they were made.
      let expected = [...container.links].reverse().map(link).join('');
      if (container.at === DOMAIN_DN) expected += `[LDAP://CN=${DEFAULT_DOMAIN_POLICY},CN=Policies,CN=System,${DOMAIN_DN};0]`;
      expect(ldifValues(entry, 'gPLink').join('').toUpperCase(), `gPLink of ${container.at}`).toBe(expected.toUpperCase());
      expect(ldifValues(entry, 'gPOptions'), `gPOptions of ${container.at}`).toEqual(container.block ? ['1'] : []);
    }
    for (const gpo of GPOS) {
      const entry = await ldapSearch(dc, gpoDn(scenario.ids[gpo.name]), 'base', '(objectClass=*)', ['displayName', 'flags', 'versionNumber', 'gPCFileSysPath']);
      expect(
        { name: ldifValues(entry, 'displayName'), flags: ldifValues(entry, 'flags'), version: ldifValues(entry, 'versionNumber'), path: ldifValues(entry, 'gPCFileSysPath') },
        gpo.name,
      ).toEqual({
        name: [gpo.name],
        flags: [String(gpo.flags)],
        version: [String(packVersion(gpo.version))],
        path: [`\\\\example.test\\sysvol\\example.test\\Policies\\${scenario.ids[gpo.name]}`],
      });
      const folder = join(dcPoliciesDir(dc), scenario.ids[gpo.name]);
      if (gpo.noSysvol) {
        expect(existsSync(folder), `${gpo.name} has no folder`).toBe(false);
        expect(existsSync(join(sysvol, scenario.ids[gpo.name])), `${gpo.name} has no folder in the copy`).toBe(false);
        continue;
      }
      expect(readFileSync(join(folder, 'GPT.INI'), 'latin1'), `${gpo.name} GPT.INI`).toBe(`[General]\r\nVersion=${packVersion(gpo.gptVersion ?? gpo.version)}\r\n`);
      expect(readFileSync(join(sysvol, scenario.ids[gpo.name], 'GPT.INI')), `${gpo.name} GPT.INI in the copy`).toEqual(readFileSync(join(folder, 'GPT.INI')));
    }
    expect(readdirSync(sysvol)).toContain(ORPHAN_ID);

    // Security filtering: Authenticated Users keep Read but lose Apply Group Policy, which EP-Pilot holds (with Read).
    const sddl = (await sambaTool(dc, 'dsacl', 'get', `--objectdn=${gpoDn(scenario.ids['EP-Filtered'])}`)).trim().split('\n').pop()!;
    expect(sddl).toContain(`(OA;CI;CR;${APPLY_GROUP_POLICY};;${scenario.pilotSid})`);
    expect(sddl).toContain(`(A;CI;RPLCLORC;;;${scenario.pilotSid})`);
    expect(sddl).toContain('(A;CI;RPLCLORC;;;AU)');
    expect(sddl).not.toContain(`(OA;CI;CR;${APPLY_GROUP_POLICY};;AU)`);
    // An untouched GPO still grants it to Authenticated Users.
    const plain = (await sambaTool(dc, 'dsacl', 'get', `--objectdn=${gpoDn(scenario.ids['EP-Order-A'])}`)).trim();
    expect(plain).toContain(`(OA;CI;CR;${APPLY_GROUP_POLICY};;AU)`);
    // The same ACL over LDAP with the SD flags control (DACL only), as gpaudit reads it: a value is there.
    const withControl = await ldapSearch(dc, gpoDn(scenario.ids['EP-Filtered']), 'base', '(objectClass=*)', ['nTSecurityDescriptor'], ['-E', '!1.2.840.113556.1.4.801=::MAMCAQQ=']);
    expect(withControl).toMatch(/^nTSecurityDescriptor:: [A-Za-z0-9+/]+=*$/m);

    // The Registry.pol files as Samba's own decoder (python3-samba, NDR) reads them from the copy.
    const decoder = [
      'import sys, json',
      'from samba.ndr import ndr_unpack',
      'from samba.dcerpc import preg',
      'out = {}',
      'for path in sys.argv[1:]:',
      '    f = ndr_unpack(preg.file, open(path, "rb").read())',
      '    out[path] = [[e.keyname, e.valuename, e.type, e.data if isinstance(e.data, (int, str)) else None] for e in f.entries]',
      'print(json.dumps(out))',
    ].join('\n');
    const files: [string, string, unknown[]][] = [];
    for (const gpo of GPOS) {
      for (const [folder, entries] of [['Machine', gpo.machine], ['User', gpo.user]] as const) {
        if (entries && !gpo.noSysvol) files.push([gpo.name, join(sysvol, scenario.ids[gpo.name], folder, 'Registry.pol'), entries.map((e) => [e.key, e.valueName, e.type, e.data])]);
      }
    }
    const decoded = JSON.parse((await run('/usr/bin/python3', ['-c', decoder, ...files.map((f) => f[1])], { timeout: 60_000 })).stdout) as Record<string, unknown[]>;
    for (const [name, path, entries] of files) expect(decoded[path], `${name}: ${path}`).toEqual(entries);
  });

  it.each(TARGETS)('policy --ou: $label', async (target) => {
    const r = await cli(['policy', ...targetArgs(target), ...directory(), '--sysvol', sysvol, '--format', 'json'], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.ou).toBe(target.ou);
    if (target.userOu) expect(doc.userOu).toBe(target.userOu);
    expect(doc.sources).toMatchObject({ directory: { domain: DOMAIN_DN }, sysvol: expect.stringMatching(/Policies$/) });
    expectSide(doc.computer, target.computer, 'computer');
    expectSide(doc.user, target.user, 'user');
    if (target.loopback) {
      expect(doc.loopback).toEqual({ mode: target.loopback.mode, gpo: { id: scenario.ids[target.loopback.gpo], name: target.loopback.gpo } });
      // Replace mode: every user-side GPO comes from the computer's OU.
      for (const g of doc.user.applied) expect(g.from ?? 'computer-ou').toBe('computer-ou');
    } else {
      expect(doc.loopback).toBeUndefined();
    }
    expect([...doc.settings].map(settingRow).sort(bySetting)).toEqual(target.settings.map(expectedSettingRow).sort(bySetting));
    // The winners' names as the directory gives them.
    for (const s of doc.settings as SettingDoc[]) expect(s.winner.name).toBe(nameOf(s.winner.id));
    expect(doc.settingsNotRead).toEqual([]);
    expect(doc.problems).toEqual([]);
  });

  it.each(TARGETS)('audit --ou: $label', async (target) => {
    const r = await cli(['audit', ...targetArgs(target), ...directory(), '--sysvol', sysvol, '--format', 'json'], env());
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    // Every target has at least one finding (the enforced banner): exit 1, as --fail-on low (the default) says.
    expect(r.code).toBe(1);
    expect(doc.summary.exitCode).toBe(1);
    expect(findingRows(doc.findings, scenario)).toEqual(expectedFindingRows(target.findings));
    for (const f of doc.findings as FindingDoc[]) {
      if (f.notConfigured) {
        // The reminder judges the resultant policy: the rule's own severity, naming the OU, no GPO.
        expect(f.gpo).toBeUndefined();
        expect(f.ou).toBe(target.ou);
        expect(f.message).toContain(target.ou);
      }
    }
    expect(doc.policy.ou).toBe(target.ou);
    expectSide(doc.policy.computer, target.computer, 'audit computer');
    expectSide(doc.policy.user, target.user, 'audit user');
    expect(doc.problems).toEqual([]);
    // Each finding names its winning GPO by GUID and display name (issue 9), the name the directory gives.
    for (const f of doc.findings as FindingDoc[]) {
      if (f.gpo && known(f.gpo.id)) expect(f.gpo, `${f.ruleId}: the winning GPO`).toEqual({ id: scenario.ids[nameOf(f.gpo.id) as keyof Scenario['ids']], name: nameOf(f.gpo.id) });
    }
  });

  it('the directory options of the brief: ldap:// with --allow-plaintext gives the same policy, with one warning line', async () => {
    const target = TARGETS[0]!;
    const r = await cli(['policy', '--ou', target.ou, '--url', 'ldap://127.0.0.1', '--bind-dn', samba().adminUpn, '--allow-plaintext', '--sysvol', sysvol, '--format', 'json'], env());
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('--allow-plaintext');
    const doc = JSON.parse(r.stdout);
    expectSide(doc.computer, target.computer, 'computer');
  });

  it('an OU that does not exist: exit 2 and one line naming it, for policy and audit', async () => {
    for (const command of ['policy', 'audit']) {
      const r = await cli([command, '--ou', MISSING_OU, ...directory(), '--sysvol', sysvol, '--format', 'json'], env());
      expect(r.code, command).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, command).toHaveLength(1);
      expect(lines[0], command).toContain(MISSING_OU);
    }
  });

  it('a gPCFileSysPath pointing outside SYSVOL is not followed: the GPO is read from <sysvol>/<GUID>, nothing changes', async () => {
    const dc = samba();
    const id = scenario.ids['EP-Order-A'];
    const original = `\\\\example.test\\sysvol\\example.test\\Policies\\${id}`;
    const set = (path: string) => ldapModify(dc, `dn: ${gpoDn(id)}\nchangetype: modify\nreplace: gPCFileSysPath\ngPCFileSysPath: ${path}\n`);
    await set('\\\\example.test\\SysVol\\..\\..\\etc');
    try {
      expect(ldifValues(await ldapSearch(dc, gpoDn(id), 'base', '(objectClass=*)', ['gPCFileSysPath']), 'gPCFileSysPath')).toEqual(['\\\\example.test\\SysVol\\..\\..\\etc']);
      const target = TARGETS[0]!;
      const r = await cli(['policy', '--ou', target.ou, ...directory(), '--sysvol', sysvol, '--format', 'json'], env());
      // Read by GUID, the audit is complete: exit 0. A warning about the path may be given, on one line naming the GPO.
      expect(r.code).toBe(0);
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      expect(lines.length).toBeLessThanOrEqual(1);
      if (lines.length === 1) expect(lines[0]).toMatch(new RegExp(`EP-Order-A|${id.replace(/[{}]/g, '\\$&')}`, 'i'));
      const doc = JSON.parse(r.stdout);
      expectSide(doc.computer, target.computer, 'computer');
      // EP-Order-A's settings still come from its folder in the copy, and win what they won.
      expect([...doc.settings].map(settingRow).sort(bySetting)).toEqual(target.settings.map(expectedSettingRow).sort(bySetting));
      const fromOrderA = (doc.settings as (SettingDoc & { winner: { file: string } })[]).filter((s) => s.winner.id === id).map((s) => resolve(s.winner.file));
      expect(fromOrderA.length).toBe(2);
      for (const file of fromOrderA) expect(file.startsWith(resolve(sysvol, id))).toBe(true);
    } finally {
      await set(original);
    }
  });

  it('a GPO folder that arrived empty (what smbclient leaves of a folder it may not list): exit 2, one line naming the GPO', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'gpaudit-ep-empty-'));
    const id = scenario.ids['EP-Order-A'];
    try {
      cpSync(sysvol, join(copy, 'Policies'), { recursive: true });
      rmSync(join(copy, 'Policies', id), { recursive: true });
      mkdirSync(join(copy, 'Policies', id));
      const target = TARGETS[0]!;
      const r = await cli(['audit', '--ou', target.ou, ...directory(), '--sysvol', join(copy, 'Policies'), '--format', 'json'], env());
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(id);
      const doc = JSON.parse(r.stdout);
      // Not a GPO without settings: its rules are not evaluated, and it wins nothing.
      expect(JSON.stringify(doc.notEvaluated)).toContain(id);
      const rows = findingRows(doc.findings, scenario);
      expect(rows.filter((f) => f[1] === 'EP-Order-A')).toEqual([]);
      expect(rows).toContainEqual(['workspaces-logon-banner', 'EP-DomainEnforced', 1, 'high']);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('a SYSVOL folder the user cannot read: one line naming it, exit 2, the certain findings kept (run as nobody)', async (ctx) => {
    // As root, mode 000 means nothing: the built CLI runs as uid/gid 65534 with setpriv, over a copy readable by all.
    const bin = resolve('dist/cli/main.js');
    if (!existsSync(bin)) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
    if (spawnSync('setpriv', ['--version']).status !== 0) ctx.skip('setpriv (util-linux) is not available to drop root');
    const copy = mkdtempSync(join(tmpdir(), 'gpaudit-ep-perm-'));
    const id = scenario.ids['EP-Order-A'];
    try {
      cpSync(sysvol, join(copy, 'Policies'), { recursive: true });
      cpSync(samba().caFile, join(copy, 'ca.pem'));
      spawnSync('chmod', ['-R', 'a+rX', copy]);
      chmodSync(join(copy, 'Policies', id), 0o000);
      const target = TARGETS[0]!;
      const r = spawnSync(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, bin, 'audit', '--ou', target.ou, '--url', samba().ldapsUrl, '--ca-file', 'ca.pem', '--bind-dn', samba().adminUpn, '--sysvol', 'Policies', '--format', 'json'],
        { encoding: 'utf8', cwd: copy, env: { ...process.env, ...env() } },
      );
      expect(r.status, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(id);
      const doc = JSON.parse(r.stdout);
      // EP-Order-A's settings are unknown: its rules are not evaluated for it, never passed in silence.
      expect(JSON.stringify(doc.notEvaluated)).toContain(id);
      // What no GPO of worse precedence can change still stands: the enforced banner (precedence 1) and the health.
      const rows = findingRows(doc.findings, scenario);
      expect(rows).toContainEqual(['workspaces-logon-banner', 'EP-DomainEnforced', 1, 'high']);
      expect(rows).toContainEqual(['gpo-sysvol-missing', 'EP-NoSysvol', undefined, 'high']);
      expect(rows.filter((f) => f[1] === 'EP-Order-A')).toEqual([]);
    } finally {
      spawnSync('chmod', ['-R', 'u+rwX', copy]);
      rmSync(copy, { recursive: true, force: true });
    }
  });

});
