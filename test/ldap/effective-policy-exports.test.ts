// The effective-policy scenario (test/helpers/gpo-scenario.ts) offline: the links and GPO containers exported from
// the DC as LDIF with ldapsearch, SYSVOL copied with smbclient, and `gpaudit audit --ou <DN> <ldif> --sysvol <copy>`
// with no directory options. Its findings (rule, winning GPO, precedence) must be the live run's, and both the
// hand-written expectation.
import { writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import {
  buildScenario,
  copySysvol,
  DOMAIN_DN,
  expectedFindingRows,
  findingRows,
  gpoDn,
  GPOS,
  ldapSearch,
  LINKS,
  removeScenario,
  TARGETS,
  withPassword,
  writeSmbAuthFile,
  type FindingDoc,
  type Scenario,
  type TargetExpectation,
} from '../helpers/gpo-scenario.js';
import { describeSamba, samba } from '../helpers/samba.js';

let scenario: Scenario;
let root: string;
let sysvol: string;
let ldif: string;
let exported: string;

/**
 * What an administrator would export (docs/effective-policy.md): every OU, the domain head and every GPO container,
 * with the link attributes, the container attributes and the DACL (SD flags control, DACL only), unwrapped.
 */
const EXPORT_FILTER = '(|(objectClass=organizationalUnit)(objectClass=domainDNS)(objectClass=groupPolicyContainer))';
const EXPORT_ATTRIBUTES = [
  'objectClass',
  'cn',
  'gPLink',
  'gPOptions',
  'displayName',
  'flags',
  'versionNumber',
  'gPCFileSysPath',
  'gPCWQLFilter',
  'gPCMachineExtensionNames',
  'gPCUserExtensionNames',
  'nTSecurityDescriptor',
];

const targetArgs = (t: Pick<TargetExpectation, 'ou' | 'userOu'>): string[] => ['--ou', t.ou, ...(t.userOu ? ['--user-ou', t.userOu] : [])];

/** [rule, GPO id, precedence] of every finding, sorted: what the live and the offline run must share. */
const idRows = (findings: FindingDoc[]) =>
  findings.map((f) => [f.ruleId, f.gpo?.id.toUpperCase(), f.precedence]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const appliedIds = (side: { applied: { id: string; precedence: number; linkedAt: string; enforced: boolean }[] }) =>
  side.applied.map((a) => [a.id.toUpperCase(), a.precedence, a.linkedAt, a.enforced]);

describeSamba('the effective policy from exports: LDIF of links and GPO containers plus a SYSVOL copy', () => {
  beforeAll(async () => {
    const dc = samba();
    scenario = await buildScenario(dc);
    root = mkdtempSync(join(tmpdir(), 'gpaudit-ep-exports-'));
    const auth = join(root, 'smb-auth');
    await writeSmbAuthFile(dc, auth);
    sysvol = join(root, 'Policies');
    mkdirSync(sysvol);
    await copySysvol(sysvol, withPassword(auth));
    exported = await ldapSearch(dc, DOMAIN_DN, 'sub', EXPORT_FILTER, EXPORT_ATTRIBUTES, ['-E', '!1.2.840.113556.1.4.801=::MAMCAQQ=']);
    ldif = join(root, 'links.ldif');
    writeFileSync(ldif, exported);
  }, 300_000);

  afterAll(async () => {
    await removeScenario(samba());
    if (root) rmSync(root, { recursive: true, force: true });
  }, 300_000);

  it('the export holds every container on the paths with its gPLink, block inheritance, and every GPO container with its DACL', () => {
    const entries = exported.split(/\n\n+/);
    const entry = (dn: string) => entries.find((e) => e.startsWith(`dn: ${dn}\n`)) ?? '';
    for (const container of LINKS) {
      expect(entry(container.at), container.at).toMatch(/^gPLink: \[LDAP:\/\//m);
      expect(/^gPOptions: (\d+)$/m.exec(entry(container.at))?.[1], container.at).toBe(container.block ? '1' : undefined);
    }
    for (const gpo of GPOS) {
      const e = entry(gpoDn(scenario.ids[gpo.name]));
      expect(e, gpo.name).toContain('objectClass: groupPolicyContainer');
      expect(e, gpo.name).toContain(`displayName: ${gpo.name}\n`);
      expect(e, gpo.name).toMatch(/^nTSecurityDescriptor:: /m);
    }
  });

  it.each(TARGETS)('$label: the same findings and GPO lists as the live directory, and as expected', async (target) => {
    const dc = samba();
    const live = await cli(
      ['audit', ...targetArgs(target), '--url', dc.ldapsUrl, '--ca-file', dc.caFile, '--bind-dn', dc.adminUpn, '--sysvol', sysvol, '--format', 'json'],
      { GPAUDIT_LDAP_PASSWORD: dc.password },
    );
    const offline = await cli(['audit', ...targetArgs(target), ldif, '--sysvol', sysvol, '--format', 'json']);
    expect(offline.stderr).toBe('');
    expect(live.stderr).toBe('');
    expect(offline.code).toBe(live.code);
    const liveDoc = JSON.parse(live.stdout);
    const offlineDoc = JSON.parse(offline.stdout);
    expect(idRows(offlineDoc.findings)).toEqual(idRows(liveDoc.findings));
    expect(findingRows(offlineDoc.findings, scenario)).toEqual(expectedFindingRows(target.findings));
    expect(appliedIds(offlineDoc.policy.computer)).toEqual(appliedIds(liveDoc.policy.computer));
    expect(appliedIds(offlineDoc.policy.user)).toEqual(appliedIds(liveDoc.policy.user));
    expect(offlineDoc.policy.sources.ldif).toEqual([expect.stringMatching(/links\.ldif$/)]);
  });
});
