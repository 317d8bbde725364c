// Reading the effective-policy data of an OU from the Samba DC (src/ldap/policy-data.ts): links, block inheritance,
// GPO containers and their DACLs, made here with samba-tool as an administrator would, and read back as the
// administrator and as an ordinary user. Every object this file makes is named PD-... (the DC is shared by the files
// of one run) and removed afterwards.
//
// The ACL samba-tool 4.17 gives a new GPO (`samba-tool gpo show`, checked in 'a new GPO applies to all' below):
//   O:DA G:DA D:P (A;CI;RPWPCCDCLCLORCWOWDSDDTSW;;;DA)(A;CI;RPWPCCDCLCLORCWOWDSDDTSW;;;EA)
//   (A;CIIO;RPWPCCDCLCLORCWOWDSDDTSW;;;CO)(A;;RPWPCCDCLCLORCWOWDSDDTSW;;;DA)(A;CI;RPWPCCDCLCLORCWOWDSDDTSW;;;SY)
//   (A;CI;RPLCLORC;;;AU)(OA;CI;CR;edacfd8f-ffb3-11d1-b41d-00a0c968f939;;AU)(A;CI;RPLCLORC;;;ED)
//   S:AI (OU;CIIOIDSA;WP;<gPLink>;<user class>;WD)(OU;CIIOIDSA;WP;<gPOptions>;<user class>;WD)
// i.e. the schema's defaultSecurityDescriptor for groupPolicyContainer: admins and SYSTEM may do everything except
// Control Access (so they do NOT get the GPO), Authenticated Users read and hold Apply Group Policy, Enterprise
// Domain Controllers read. Security filtering in samba-tool 4.17: `dsacl set --sddl` adds ACEs; nothing removes
// one (`gpo` has no security-filtering command), so the Authenticated Users ACE is removed with python3-samba
// (deleteAce below).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attribute, BerWriter, Change, Client, Control } from 'ldapts';
import { LdapConnection } from '../../src/ldap/client.js';
import type { ConnectOptions } from '../../src/ldap/connect-options.js';
import { readPolicyData, SdFlagsControl, type DirectoryPolicy } from '../../src/ldap/policy-data.js';
import type { GpoLinkEntry, ScopeOfManagement } from '../../src/model/gpo-links.js';
import { APPLY_GROUP_POLICY, decodeSecurityDescriptor, sidToString } from '../../src/model/security-descriptor.js';
import { effectiveGpoList } from '../../src/policy/effective.js';
import { securityLookup, securityVerdict } from '../../src/policy/security-filter.js';
import { describeSamba, samba } from '../helpers/samba.js';

const run = promisify(execFile);
const BASE = 'DC=example,DC=test';
const ROOT = `OU=PD-Root,${BASE}`;
const POOL = `OU=PD-Pool,${ROOT}`;
const BLOCKED = `OU=PD-Blocked,${ROOT}`;
const DAMAGED = `OU=PD-Damaged,${ROOT}`;
const PILOT = `CN=PD-Pilot,${ROOT}`;
const SITE = 'PD-Site';
const SITE_DN = `CN=${SITE},CN=Sites,CN=Configuration,${BASE}`;
const WMI_ID = '{6D1A5F1E-5A3C-4E57-9F3B-0C1D2E3F4A5B}';
const WMI_DN = `CN=${WMI_ID},CN=SOM,CN=WMIPolicy,CN=System,${BASE}`;
const DEFAULT_DOMAIN_POLICY = '{31B2F340-016D-11D2-945F-00C04FB984F9}';
const TREE_DELETE = '1.2.840.113556.1.4.805';
const REGISTRY_CSE = '{35378EAC-683F-11D2-A89A-00C04FBBCFA2}';
const REGISTRY_TOOL = '{D02B1F72-3407-48AE-BA88-E8213C6761F1}';
const APPLY_ACE = (trustee: string, type: 'OA' | 'OD' = 'OA'): string => `(${type};CI;CR;${APPLY_GROUP_POLICY};;${trustee})`;

/** The GPOs this file makes, by name; filled with their {GUID}s in beforeAll. */
const gpo: Record<'Enforced' | 'Disabled' | 'Filtered' | 'Plain' | 'Denied' | 'SiteWide', string> = {
  Enforced: '',
  Disabled: '',
  Filtered: '',
  Plain: '',
  Denied: '',
  SiteWide: '',
};
const gpoDn = (id: string): string => `CN=${id},CN=Policies,CN=System,${BASE}`;
let pilotSid = '';

function connectOptions(extra: Partial<ConnectOptions> = {}): ConnectOptions {
  const dc = samba();
  return { urls: [dc.url], bindDn: dc.adminUpn, password: dc.password, allowPlaintext: true, retries: 0, ...extra };
}

async function samba_tool(...args: string[]): Promise<string> {
  const dc = samba();
  try {
    const { stdout } = await run('samba-tool', [...args, '-H', 'ldap://127.0.0.1', '-U', `Administrator%${dc.password}`], { timeout: 120_000 });
    return stdout;
  } catch (error) {
    throw new Error(`samba-tool ${args.join(' ')} failed: ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
}

/**
 * Removes one ACE, given in SDDL, from an object's DACL as an administrator, with python3-samba (samba-tool's own
 * library). Not SDUtils.dacl_delete_aces: in 4.17 it looks the ACE up with Python's `in`, which compares the wrapped
 * objects by identity, finds nothing and silently changes nothing; descriptor.dacl_del_ace compares the ACEs themselves.
 */
async function deleteAce(dn: string, sddlAce: string): Promise<void> {
  const dc = samba();
  const script = [
    'import sys',
    'from samba.samdb import SamDB',
    'from samba.credentials import Credentials',
    'from samba.param import LoadParm',
    'from samba.sd_utils import SDUtils',
    'from samba.dcerpc import security',
    'lp = LoadParm(); lp.load(sys.argv[1])',
    'creds = Credentials(); creds.guess(lp); creds.set_username("Administrator"); creds.set_password(sys.argv[2])',
    'utils = SDUtils(SamDB(url="ldap://127.0.0.1", credentials=creds, lp=lp))',
    'sd = utils.read_sd_on_dn(sys.argv[3])',
    'before = len(sd.dacl.aces)',
    'sd.dacl_del_ace(security.descriptor.from_sddl("D:" + sys.argv[4], utils.domain_sid).dacl.aces[0])',
    'if len(sd.dacl.aces) != before - 1: sys.exit("ACE not found: " + sys.argv[4])',
    'utils.modify_sd_on_dn(sys.argv[3], sd)',
  ].join('\n');
  await run('/usr/bin/python3', ['-c', script, dc.smbConf, dc.password, dn, sddlAce], { timeout: 60_000 });
}

async function createGpo(name: string): Promise<string> {
  const out = await samba_tool('gpo', 'create', `PD-${name}`);
  const id = /created as (\{[0-9A-F-]{36}\})/i.exec(out)?.[1];
  if (!id) throw new Error(`samba-tool gpo create printed no GUID: ${out}`);
  return id.toUpperCase();
}

async function policyData(target: string, extra: { site?: string; timeoutMs?: number } = {}, connect: Partial<ConnectOptions> = {}): Promise<DirectoryPolicy> {
  const connection = await LdapConnection.open(connectOptions(connect));
  try {
    return await readPolicyData(connection, { target, ...extra });
  } finally {
    await connection.close();
  }
}

const link = (id: string, linkOrder: number, options: { disabled?: boolean; enforced?: boolean } = {}): GpoLinkEntry => ({
  gpoId: id,
  gpoDn: gpoDn(id),
  disabled: options.disabled ?? false,
  enforced: options.enforced ?? false,
  linkOrder,
});
const somOf = (result: DirectoryPolicy, dn: string): ScopeOfManagement | undefined => result.data.soms.find((som) => som.dn === dn);
const gpcOf = (result: DirectoryPolicy, id: string) => result.data.gpcs.find((gpc) => gpc.id === id);

describeSamba('readPolicyData against Samba', () => {
  let admin: Client;

  beforeAll(async () => {
    const dc = samba();
    admin = new Client({ url: dc.url, timeout: 30_000 });
    await admin.bind(dc.adminUpn, dc.password);
    for (const ou of [ROOT, POOL, BLOCKED, DAMAGED]) await admin.add(ou, { objectClass: ['top', 'organizationalUnit'], ou: /^OU=([^,]+)/.exec(ou)![1]! });
    await admin.add(PILOT, { objectClass: ['top', 'group'], sAMAccountName: 'PD-Pilot' });
    const pilot = await admin.search(PILOT, { scope: 'base', attributes: ['objectSid'], explicitBufferAttributes: ['objectSid'] });
    pilotSid = sidToString(pilot.searchEntries[0]!['objectSid'] as Buffer);

    for (const name of Object.keys(gpo) as (keyof typeof gpo)[]) gpo[name] = await createGpo(name);

    // Links: samba-tool puts each new link first in gPLink, so the one set last has the highest link order.
    await samba_tool('gpo', 'setlink', ROOT, gpo.Enforced, '--enforce');
    await samba_tool('gpo', 'setlink', ROOT, gpo.Disabled, '--disable');
    await samba_tool('gpo', 'setlink', POOL, gpo.Plain);
    await samba_tool('gpo', 'setlink', POOL, gpo.Filtered);
    await samba_tool('gpo', 'setlink', POOL, gpo.Denied);
    await samba_tool('gpo', 'setlink', BLOCKED, gpo.Plain, '--disable');
    await samba_tool('gpo', 'setinheritance', BLOCKED, 'block');
    await samba_tool('sites', 'create', SITE);
    await samba_tool('gpo', 'setlink', SITE_DN, gpo.SiteWide);
    // A value no tool writes: one good link, one without a GUID, and trailing junk.
    await admin.modify(DAMAGED, [
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: 'gPLink', values: [`[LDAP://${gpoDn(gpo.Plain)};0][LDAP://cn=nonsense,cn=policies;0]trailing junk`] }),
      }),
      new Change({ operation: 'replace', modification: new Attribute({ type: 'gPOptions', values: ['1'] }) }),
    ]);

    // Security filtering: PD-Filtered only for PD-Pilot (Authenticated Users keep Read, as Microsoft now advises);
    // PD-Denied denied to Authenticated Users outright.
    await deleteAce(gpoDn(gpo.Filtered), APPLY_ACE('AU'));
    await samba_tool('dsacl', 'set', `--objectdn=${gpoDn(gpo.Filtered)}`, `--sddl=${APPLY_ACE(pilotSid)}`);
    await samba_tool('dsacl', 'set', `--objectdn=${gpoDn(gpo.Denied)}`, `--sddl=${APPLY_ACE('AU', 'OD')}`);

    // What the GPO editor would leave: versions, a disabled user half, extension lists, a WMI filter.
    await admin.add(WMI_DN, {
      objectClass: ['top', 'msWMI-Som'],
      'msWMI-ID': WMI_ID,
      'msWMI-Name': 'PD-Windows-10',
      'msWMI-Parm2': '1;3;10;66;WQL;root\\CIMv2;SELECT * FROM Win32_OperatingSystem WHERE Version LIKE "10.%";',
    });
    const set = (id: string, values: Record<string, string>) =>
      admin.modify(
        gpoDn(id),
        Object.entries(values).map(([type, value]) => new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) })),
      );
    await set(gpo.Plain, {
      flags: '1',
      versionNumber: String((2 << 16) | 3),
      gPCMachineExtensionNames: `[${REGISTRY_CSE}${REGISTRY_TOOL}]`,
      gPCWQLFilter: `[example.test;${WMI_ID};0]`,
    });
    for (const id of [gpo.Enforced, gpo.Disabled, gpo.Filtered, gpo.Denied, gpo.SiteWide]) await set(id, { versionNumber: '1' });
  });

  afterAll(async () => {
    // The OUs first: `gpo del` unlinks the GPO everywhere, and fails on the hand-made gPLink of PD-Damaged.
    await admin?.del(ROOT, new Control(TREE_DELETE, { critical: true })).catch(() => undefined);
    for (const id of Object.values(gpo)) if (id) await samba_tool('gpo', 'del', id).catch(() => undefined);
    await samba_tool('sites', 'remove', SITE).catch(() => undefined);
    await admin?.del(WMI_DN).catch(() => undefined);
    await admin?.unbind();
  });

  it('reads the links of the site, the domain and each OU down to the target, in gPLink order with link order and options', async () => {
    const result = await policyData(POOL, { site: SITE });
    expect(result.target).toBe(POOL);
    expect(result.domainDn).toBe(BASE);
    expect(result.domainSid).toMatch(/^S-1-5-21-\d+-\d+-\d+$/);
    expect(pilotSid.startsWith(`${result.domainSid}-`)).toBe(true);
    expect(result.data.soms.map((som) => [som.kind, som.dn])).toEqual([
      ['site', SITE_DN],
      ['domain', BASE],
      ['ou', ROOT],
      ['ou', POOL],
    ]);
    expect(result.data.soms[0]).toEqual({ kind: 'site', dn: SITE_DN, links: [link(gpo.SiteWide, 1)] });
    // Other files may link GPOs at the domain head too; the Default Domain Policy is always there.
    expect(somOf(result, BASE)?.links).toContainEqual(expect.objectContaining({ gpoId: DEFAULT_DOMAIN_POLICY, disabled: false, enforced: false }));
    expect(somOf(result, BASE)?.blockInheritance).toBe(false);
    expect(somOf(result, ROOT)).toEqual({
      kind: 'ou',
      dn: ROOT,
      links: [link(gpo.Disabled, 2, { disabled: true }), link(gpo.Enforced, 1, { enforced: true })],
      blockInheritance: false,
    });
    expect(somOf(result, POOL)).toEqual({ kind: 'ou', dn: POOL, links: [link(gpo.Denied, 3), link(gpo.Filtered, 2), link(gpo.Plain, 1)], blockInheritance: false });
    expect(result.data.skipped).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  it('reads every GPO container: name, flags, versions, path, WMI filter with its name, extensions', async () => {
    const result = await policyData(POOL);
    const path = (id: string): string => `\\\\example.test\\sysvol\\example.test\\Policies\\${id}`;
    expect(gpcOf(result, gpo.Plain)).toEqual({
      id: gpo.Plain,
      name: 'PD-Plain',
      flags: 1,
      version: { user: 2, computer: 3 },
      fileSysPath: path(gpo.Plain),
      wmiFilter: { id: WMI_ID, name: 'PD-Windows-10' },
      extensions: { computer: [REGISTRY_CSE] },
    });
    expect(gpcOf(result, gpo.Filtered)).toEqual({ id: gpo.Filtered, name: 'PD-Filtered', flags: 0, version: { user: 0, computer: 1 }, fileSysPath: path(gpo.Filtered) });
    // Every GPO of the domain, not only those linked on the path: the Default Domain Policy and the DC policy too.
    expect(result.data.gpcs.map((gpc) => gpc.id)).toEqual(expect.arrayContaining([...Object.values(gpo), DEFAULT_DOMAIN_POLICY, '{6AC1786C-016F-11D2-945F-00C04FB984F9}']));
    expect(new Set(result.aclByGpo.keys())).toEqual(new Set(result.data.gpcs.map((gpc) => gpc.id)));
  });

  it('a new GPO applies to all; filtered to a group it names the group; denied to Authenticated Users it applies to no one', async () => {
    const result = await policyData(POOL);
    const show = await samba_tool('gpo', 'show', gpo.Plain);
    expect(show).toMatch(/\(A;CI;RPLCLORC;;;AU\)\(OA;CI;CR;edacfd8f-ffb3-11d1-b41d-00a0c968f939;;AU\)\(A;CI;RPLCLORC;;;ED\)/);
    // The whole DACL of an untouched GPO, as the header comment describes it.
    const sid = result.domainSid;
    const full = 0xf00ff; // RPWPCCDCLCLORCWOWDSDDTSW: all but Control Access (0x100)
    const ci: ['container-inherit'] = ['container-inherit'];
    expect(result.aclByGpo.get(gpo.SiteWide)).toEqual([
      { type: 'allow', typeCode: 0, flags: ci, rawFlags: 2, mask: full, trustee: `${sid}-512` },
      { type: 'allow', typeCode: 0, flags: ci, rawFlags: 2, mask: full, trustee: `${sid}-519` },
      { type: 'allow', typeCode: 0, flags: ['container-inherit', 'inherit-only'], rawFlags: 10, mask: full, trustee: 'S-1-3-0' },
      { type: 'allow', typeCode: 0, flags: [], rawFlags: 0, mask: full, trustee: `${sid}-512` },
      { type: 'allow', typeCode: 0, flags: ci, rawFlags: 2, mask: full, trustee: 'S-1-5-18' },
      { type: 'allow', typeCode: 0, flags: ci, rawFlags: 2, mask: 0x20094, trustee: 'S-1-5-11' },
      { type: 'allow-object', typeCode: 5, flags: ci, rawFlags: 2, mask: 0x100, objectType: APPLY_GROUP_POLICY, trustee: 'S-1-5-11' },
      { type: 'allow', typeCode: 0, flags: ci, rawFlags: 2, mask: 0x20094, trustee: 'S-1-5-9' },
    ]);
    const plain = result.aclByGpo.get(gpo.Plain);
    expect(plain?.filter((ace) => ace.type !== 'other' && ace.trustee === 'S-1-5-11')).toEqual([
      { type: 'allow', typeCode: 0, flags: ['container-inherit'], rawFlags: 2, mask: 0x20094, trustee: 'S-1-5-11' },
      { type: 'allow-object', typeCode: 5, flags: ['container-inherit'], rawFlags: 2, mask: 0x100, objectType: APPLY_GROUP_POLICY, trustee: 'S-1-5-11' },
    ]);
    const nameOf = (sid: string): string | undefined => result.names.get(sid);
    expect(securityVerdict(plain, 'computer', result.domainSid, nameOf)).toBe('applies');
    expect(securityVerdict(result.aclByGpo.get(gpo.Filtered), 'computer', result.domainSid, nameOf)).toEqual({ filteredTo: ['EXAMPLE\\PD-Pilot'] });
    expect(securityVerdict(result.aclByGpo.get(gpo.Filtered), 'computer', result.domainSid)).toEqual({ filteredTo: [pilotSid] });
    expect(securityVerdict(result.aclByGpo.get(gpo.Denied), 'computer', result.domainSid, nameOf)).toEqual({ filteredTo: [] });
    expect(result.names.get(pilotSid)).toBe('EXAMPLE\\PD-Pilot');
    expect(result.names.get('S-1-5-11')).toBe('Authenticated Users');
    expect(result.names.get(`${result.domainSid}-512`)).toBe('EXAMPLE\\Domain Admins');

    // The same through the effective GPO list of the OU, computer side.
    const list = effectiveGpoList({
      target: POOL,
      soms: result.data.soms,
      gpcs: result.data.gpcs,
      side: 'computer',
      security: securityLookup(result.aclByGpo, 'computer', result.domainSid, nameOf),
    });
    expect(list.applied.find((a) => a.id === gpo.Plain)).toMatchObject({ security: 'applies', linkedAt: POOL, conditional: { wmiFilter: { id: WMI_ID, name: 'PD-Windows-10' } } });
    expect(list.applied.find((a) => a.id === gpo.Enforced)).toMatchObject({ precedence: 1, enforced: true, linkedAt: ROOT });
    expect(list.notApplied).toEqual(
      expect.arrayContaining([
        { id: gpo.Filtered, name: 'PD-Filtered', reason: 'security-filtered', detail: 'applies only to EXAMPLE\\PD-Pilot' },
        { id: gpo.Denied, name: 'PD-Denied', reason: 'security-filtered', detail: 'applies to no one' },
        { id: gpo.Disabled, name: 'PD-Disabled', reason: 'link-disabled', detail: `disabled link at ${ROOT}` },
      ]),
    );
  });

  it('an ordinary user reads the DACLs too, because the DACL alone is asked for (SD flags control)', async () => {
    const dc = samba();
    const alice = { bindDn: 'alice@example.test', password: dc.seedPassword };
    // Without the control Samba, like AD, leaves nTSecurityDescriptor out for a user who may not read the SACL.
    const client = new Client({ url: dc.url, timeout: 30_000 });
    await client.bind(alice.bindDn, alice.password);
    try {
      const read = async (controls: Control[]) =>
        (await client.search(gpoDn(gpo.Plain), { scope: 'base', attributes: ['nTSecurityDescriptor'], explicitBufferAttributes: ['nTSecurityDescriptor'] }, controls))
          .searchEntries[0]?.['nTSecurityDescriptor'];
      expect(await read([])).toEqual([]);
      expect(await read([new SdFlagsControl(15)])).toEqual([]);
      const daclOnly = (await read([new SdFlagsControl(4)])) as Buffer;
      expect(decodeSecurityDescriptor(daclOnly)).toMatchObject({ control: 0x9004, errors: [] });
      expect(decodeSecurityDescriptor(daclOnly).owner).toBeUndefined();
    } finally {
      await client.unbind();
    }

    const asAdmin = await policyData(POOL, { site: SITE });
    const asAlice = await policyData(POOL, { site: SITE }, alice);
    expect(asAlice.problems).toEqual([]);
    expect(asAlice.data).toEqual(asAdmin.data);
    expect(asAlice.aclByGpo).toEqual(asAdmin.aclByGpo);
    expect(asAlice.names).toEqual(asAdmin.names);
    expect(securityVerdict(asAlice.aclByGpo.get(gpo.Filtered), 'computer', asAlice.domainSid, (sid) => asAlice.names.get(sid))).toEqual({ filteredTo: ['EXAMPLE\\PD-Pilot'] });
  });

  it('block inheritance and a disabled link on the target', async () => {
    const result = await policyData(BLOCKED);
    expect(somOf(result, BLOCKED)).toEqual({ kind: 'ou', dn: BLOCKED, links: [link(gpo.Plain, 1, { disabled: true })], blockInheritance: true });
    expect(result.data.soms.map((som) => som.dn)).toEqual([BASE, ROOT, BLOCKED]);
  });

  it('a gPLink that does not parse is skipped with the DN and the reason; its good link and the OU stay', async () => {
    const result = await policyData(DAMAGED);
    expect(result.data.skipped).toEqual([
      {
        dn: DAMAGED,
        reason: 'gPLink: link "[LDAP://cn=nonsense,cn=policies;0]" does not name a GPO by {GUID}; unreadable text in gPLink: "trailing junk"',
      },
    ]);
    expect(somOf(result, DAMAGED)).toEqual({ kind: 'ou', dn: DAMAGED, links: [link(gpo.Plain, 1)], blockInheritance: true });
  });

  it('a container that is no OU is on the path but carries no links: the domain alone', async () => {
    const result = await policyData(`CN=Computers,${BASE}`);
    expect(result.target).toBe(`CN=Computers,${BASE}`);
    expect(result.data.soms.map((som) => som.kind)).toEqual(['domain']);
  });

  it('a target or site that does not exist is one clear error naming it; so is a target that is no DN', async () => {
    const missing = `OU=PD-Nowhere,${ROOT}`;
    await expect(policyData(missing)).rejects.toMatchObject({
      name: 'LdapScanError',
      kind: 'no-such-object',
      message: `ldap://127.0.0.1:389: the target "${missing}" does not exist in the directory (LDAP result 32, no such object); check the DN`,
    });
    await expect(policyData('OU=x,DC=nowhere,DC=invalid')).rejects.toMatchObject({ kind: 'no-such-object' });
    await expect(policyData(POOL, { site: 'PD-No-Such-Site' })).rejects.toMatchObject({
      kind: 'no-such-object',
      message: `ldap://127.0.0.1:389: there is no site "PD-No-Such-Site" (no site object CN=PD-No-Such-Site,CN=Sites,CN=Configuration,${BASE})`,
    });
    await expect(policyData('example.test/PD-Root/PD-Pool')).rejects.toMatchObject({
      kind: 'usage',
      message: '"example.test/PD-Root/PD-Pool" is not the distinguished name of an OU or a domain (OU=WorkSpaces,DC=example,DC=com)',
    });
  });

  it('a deadline for the whole read ends it with a timeout error', async () => {
    await expect(policyData(POOL, { timeoutMs: 1 })).rejects.toMatchObject({ kind: 'timeout' });
  });
});

describe('SdFlagsControl (no DC needed)', () => {
  it('writes the control the way [MS-ADTS] asks: OID, criticality, OCTET STRING { SEQUENCE { INTEGER flags } }', () => {
    const writer = new BerWriter();
    new SdFlagsControl(4).write(writer);
    const oid = Buffer.from('1.2.840.113556.1.4.801', 'latin1');
    expect(writer.buffer.toString('hex')).toBe(`3022 0416${oid.toString('hex')} 010100 0405 3003020104`.replace(/ /g, ''));
    expect(() => new SdFlagsControl(16)).toThrow('SD flags must be 0 to 15; got 16');
  });
});
