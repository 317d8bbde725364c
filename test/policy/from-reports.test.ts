// GPO reports as the effective-policy engine's input (src/policy/from-reports.ts). Expectations come from reading the
// reports (our fixtures, the real exports) and from the rules in docs/effective-policy.md, never from the output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GpoInfo, GpoPermission } from '../../src/model/gpo.js';
import { parseGpoReport } from '../../src/parsers/gpo-report.js';
import { effectiveGpoList } from '../../src/policy/effective.js';
import { policyDataFromReports, securityVerdictFromPermissions, somKind } from '../../src/policy/from-reports.js';
import { corpusFiles, describeCorpus, REALDATA } from '../helpers/realdata.js';

const report = (path: string): GpoInfo[] => parseGpoReport(readFileSync(path), { file: path }).gpos;
const FIXTURES = ['test/fixtures/gpo-report/security-filtered.xml', 'test/fixtures/gpo-report/two-at-one-ou.xml'];
const infos = (): GpoInfo[] => FIXTURES.flatMap(report);

const FILTERED = '{4A1B2C3D-0001-4E5F-8A9B-0C1D2E3F4A01}';
const BASELINE = '{4A1B2C3D-0002-4E5F-8A9B-0C1D2E3F4A02}';
const BROWSER = '{4A1B2C3D-0003-4E5F-8A9B-0C1D2E3F4A03}';
const DEFAULTS = '{4A1B2C3D-0004-4E5F-8A9B-0C1D2E3F4A04}';
const gpoDn = (id: string) => `cn=${id},cn=policies,cn=system,DC=corp,DC=example,DC=test`;
const link = (id: string, disabled = false, enforced = false) => ({ gpoId: id, gpoDn: gpoDn(id), disabled, enforced });

const DOMAIN_SID = 'S-1-5-21-1004336348-1177238915-682003330';
const AU = 'S-1-5-11';
const perm = (sid: string | undefined, name: string, type: 'allow' | 'deny' | undefined, rights: Partial<Pick<GpoPermission, 'read' | 'applyGroupPolicy'>>): GpoPermission => ({
  ...(sid ? { sid } : {}), name, ...(type ? { type } : {}), ...rights,
});
const APPLY = { read: true, applyGroupPolicy: true };
const READ = { read: true, applyGroupPolicy: false };

function info(id: string | undefined, extra: Partial<GpoInfo> = {}, format: GpoInfo['sources'][number]['format'] = 'gpo-report'): GpoInfo {
  return { ref: { ...(id ? { id } : {}), domain: 'corp.example.test' }, links: [], sources: [{ file: `${id ?? 'x'}.${format}`, format }], ...extra };
}
const at = (somPath: string, enabled = true, noOverride = false) => ({ somPath, enabled, noOverride });

describe('policyDataFromReports: our fixtures', () => {
  const r = policyDataFromReports(infos());

  it('one SOM per container, links merged from several reports, no link order and no block inheritance', () => {
    expect(r.data.soms).toEqual([
      { kind: 'ou', dn: 'corp.example.test/WorkSpaces/Pool', links: [link(FILTERED, false, true), link(BASELINE), link(BROWSER)] },
      { kind: 'ou', dn: 'corp.example.test/WorkSpaces/Staging', links: [link(FILTERED, true, false)] },
      { kind: 'domain', dn: 'corp.example.test', links: [link(DEFAULTS)] },
    ]);
    expect(r.data.skipped).toEqual([]);
    expect(r.problems).toEqual([]);
  });

  it('a container per GPO: flags from the disabled sides, the directory versions, the WMI filter by name', () => {
    expect(r.data.gpcs).toEqual([
      // User side disabled = flags bit 1; the directory version (5), not SYSVOL's (4).
      { id: FILTERED, name: 'WorkSpaces - Pool Lockdown', flags: 1, version: { computer: 5, user: 0 }, wmiFilter: { id: 'Windows 10 and later', name: 'Windows 10 and later' } },
      { id: BASELINE, name: 'WorkSpaces - Baseline', flags: 0, version: { computer: 3, user: 0 } },
      { id: BROWSER, name: 'WorkSpaces - Browser', flags: 0, version: { computer: 2, user: 1 } },
      { id: DEFAULTS, name: 'Domain Defaults', flags: 0, version: { computer: 1, user: 0 } },
    ]);
  });

  it('security: filtered to the group when Authenticated Users keep Read only; no descriptor, no verdict', () => {
    expect(Object.fromEntries(r.security)).toEqual({
      [FILTERED]: { filteredTo: ['CORP\\WorkSpaces Pool Computers'] },
      [BASELINE]: 'applies',
      // Authenticated Users Read and Domain Computers Apply Group Policy: between them, every computer has both.
      [DEFAULTS]: 'applies',
    });
  });

  it('end to end: two GPOs at one OU are applied with their order unknown; the filtered one is not applied', () => {
    const list = effectiveGpoList({ target: 'corp.example.test/WorkSpaces/Pool', ...r.data, side: 'computer', security: (id) => r.security.get(id) });
    expect(list.applied.map((a) => [a.name, a.linkedAt, a.orderKnown, a.security, a.enforced])).toEqual([
      // Within the OU the report order stands in (the later applied last) and must not be relied on.
      ['WorkSpaces - Browser', 'corp.example.test/WorkSpaces/Pool', false, 'unknown', false],
      ['WorkSpaces - Baseline', 'corp.example.test/WorkSpaces/Pool', false, 'applies', false],
      // The domain is processed before the OU: its order against the OU's GPOs is known.
      ['Domain Defaults', 'corp.example.test', true, 'applies', false],
    ]);
    expect(list.applied.every((a) => a.linkOrder === undefined)).toBe(true);
    expect(list.notApplied).toEqual([
      { id: FILTERED, name: 'WorkSpaces - Pool Lockdown', reason: 'security-filtered', detail: 'applies only to CORP\\WorkSpaces Pool Computers' },
    ]);
    expect(list.assumptions).toEqual(['block inheritance of corp.example.test/WorkSpaces/Pool is not known (the source does not carry gPOptions): read as not blocked']);
  });

  it('end to end, user side: a disabled user side and empty sides drop out', () => {
    const list = effectiveGpoList({ target: 'corp.example.test/WorkSpaces/Pool', ...r.data, side: 'user', security: (id) => r.security.get(id) });
    expect(list.applied.map((a) => a.name)).toEqual(['WorkSpaces - Browser']);
    expect(Object.fromEntries(list.notApplied.map((n) => [n.name, n.reason]))).toEqual({
      'WorkSpaces - Pool Lockdown': 'user-settings-disabled',
      'WorkSpaces - Baseline': 'empty',
      'Domain Defaults': 'empty',
    });
  });

  it('a WMI-filtered GPO that applies is conditional on the filter, by name', () => {
    const open = policyDataFromReports(infos().map((i) => (i.ref.id === FILTERED ? { ...i, permissions: [perm(AU, 'AU', 'allow', APPLY)] } : i)));
    const list = effectiveGpoList({ target: 'corp.example.test/WorkSpaces/Pool', ...open.data, side: 'computer', security: (id) => open.security.get(id) });
    // Enforced: applied after every non-enforced link, precedence 1.
    expect(list.applied[0]).toMatchObject({ id: FILTERED, enforced: true, orderKnown: true, conditional: { wmiFilter: { name: 'Windows 10 and later' } } });
  });
});

describe('policyDataFromReports: containers, versions and several files of one GPO', () => {
  it('SOMPath kinds: the domain head (also with a trailing slash), OUs, a site\'s canonical name, DNs', () => {
    expect(somKind('corp.example.com')).toBe('domain');
    expect(somKind('corp.example.com/')).toBe('domain');
    expect(somKind('corp.example.com/WorkSpaces/Pool')).toBe('ou');
    expect(somKind('corp.example.com/Configuration/Sites/Default-First-Site-Name')).toBe('site');
    expect(somKind('corp.example.com/Configuration/Sites')).toBe('ou');
    expect(somKind('CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=corp,DC=example,DC=com')).toBe('site');
    expect(somKind('DC=corp,DC=example,DC=com')).toBe('domain');
    expect(somKind('OU=Pool,DC=corp,DC=example,DC=com')).toBe('ou');
  });

  it('one container across case and a trailing slash; the same link twice is one entry; a disagreeing one is reported', () => {
    const a = info(FILTERED, { links: [at('corp.example.test/WorkSpaces'), at('Corp.Example.Test/')] });
    const b = info(FILTERED, { links: [at('CORP.example.test/workspaces'), at('corp.example.test', false, true)] });
    const r = policyDataFromReports([a, b]);
    expect(r.data.soms).toEqual([
      { kind: 'ou', dn: 'corp.example.test/WorkSpaces', links: [link(FILTERED)] },
      { kind: 'domain', dn: 'Corp.Example.Test/', links: [link(FILTERED)] },
    ]);
    expect(r.problems).toEqual([expect.stringMatching(/two reports disagree on its link at Corp\.Example\.Test\/ \(enabled, not enforced \/ disabled, enforced\); the first is used/)]);
  });

  it('versions: the directory\'s, else SYSVOL\'s (from the report or GPT.INI), else unknown (absent, not 0)', () => {
    const r = policyDataFromReports([
      info(FILTERED, { versions: { computer: { sysvol: 4 } } }),
      info(BASELINE, { versions: { computer: { directory: 0, sysvol: 2 } } }),
      info(BROWSER),
      // GPT.INI completes a reported GPO's SYSVOL version; the report's own values come first.
      info(BROWSER, { versions: { computer: { sysvol: 9 }, user: { sysvol: 1 } } }, 'gpt-ini'),
    ]);
    expect(r.data.gpcs.map((g) => [g.id, g.version])).toEqual([
      [FILTERED, { computer: 4 }],
      [BASELINE, { computer: 0 }],
      [BROWSER, { computer: 9, user: 1 }],
    ]);
  });

  it('flags: computer disabled = 2, both = 3; a side whose Enabled no report gives counts as enabled', () => {
    const r = policyDataFromReports([info(FILTERED, { computerEnabled: false, userEnabled: true }), info(BASELINE, { computerEnabled: false, userEnabled: false }), info(BROWSER)]);
    expect(r.data.gpcs.map((g) => g.flags)).toEqual([2, 3, 0]);
  });

  it('GPOs no report describes, RSoP entries and GPOs without GUID are left out, each said', () => {
    const r = policyDataFromReports([
      info(FILTERED, { links: [at('corp.example.test')] }),
      info(BASELINE, { ref: { id: BASELINE, name: 'Only in SYSVOL' }, versions: { computer: { sysvol: 1 } } }, 'gpt-ini'),
      info(BROWSER, { links: [{ ...at('Local'), appliedOrder: 1, linkOrder: 1 }] }, 'rsop'),
      info(undefined, { ref: { name: 'No id' }, links: [at('corp.example.test')] }),
      info(DEFAULTS, { links: [at('  ')] }),
    ]);
    expect(r.data.gpcs.map((g) => g.id)).toEqual([FILTERED, DEFAULTS]);
    expect(r.data.soms.map((s) => s.dn)).toEqual(['corp.example.test']);
    expect(r.data.skipped.map((s) => s.reason)).toEqual([expect.stringContaining('has no GUID'), expect.stringContaining('empty SOMPath')]);
    expect(r.problems).toEqual([
      expect.stringContaining('"No id"'),
      expect.stringContaining('RSoP'),
      expect.stringMatching(/"Only in SYSVOL" .*described only by gpt-ini.*left out/),
      expect.stringContaining('empty SOMPath'),
    ]);
  });

  it('a report that could not read WMI filter data says so', () => {
    const r = policyDataFromReports([info(FILTERED, { filterDataAvailable: false })]);
    expect(r.data.gpcs[0]).not.toHaveProperty('wmiFilter');
    expect(r.problems).toEqual([expect.stringContaining('could not read WMI filter data')]);
  });
});

describe('securityVerdictFromPermissions: Read and Apply Group Policy for every computer, no deny removing it', () => {
  const POOL_GROUP = perm(`${DOMAIN_SID}-1605`, 'CORP\\Pool', 'allow', APPLY);

  it('Authenticated Users, Everyone or Domain Computers holding both: applies', () => {
    expect(securityVerdictFromPermissions([perm(AU, 'AU', 'allow', APPLY)])).toBe('applies');
    expect(securityVerdictFromPermissions([perm('S-1-1-0', 'Everyone', 'allow', APPLY)])).toBe('applies');
    expect(securityVerdictFromPermissions([perm(`${DOMAIN_SID}-515`, 'CORP\\Domain Computers', 'allow', APPLY)])).toBe('applies');
    // Read from one, Apply from another: a computer's token holds both groups.
    expect(securityVerdictFromPermissions([perm('S-1-1-0', 'Everyone', 'allow', READ), perm(`${DOMAIN_SID}-515`, 'DC', 'allow', { read: false, applyGroupPolicy: true })])).toBe('applies');
  });

  it('Authenticated Users with Read only and a group with Apply Group Policy: filtered to the group', () => {
    expect(securityVerdictFromPermissions([perm(AU, 'AU', 'allow', READ), POOL_GROUP, perm(`${DOMAIN_SID}-512`, 'CORP\\Domain Admins', 'allow', READ)])).toEqual({ filteredTo: ['CORP\\Pool'] });
    // Domain Users is not in a computer's token: it filters like any group.
    expect(securityVerdictFromPermissions([perm(`${DOMAIN_SID}-513`, 'CORP\\Domain Users', 'allow', APPLY)])).toEqual({ filteredTo: ['CORP\\Domain Users'] });
  });

  it('a group granted Apply without Read anywhere gets nothing; a group read through Authenticated Users does', () => {
    const applyOnly = perm(`${DOMAIN_SID}-1605`, 'CORP\\Pool', 'allow', { read: false, applyGroupPolicy: true });
    expect(securityVerdictFromPermissions([applyOnly])).toEqual({ filteredTo: [] });
    expect(securityVerdictFromPermissions([applyOnly, perm(AU, 'AU', 'allow', READ)])).toEqual({ filteredTo: ['CORP\\Pool'] });
  });

  it('a deny to a group every computer holds removes it for all; a deny to the group itself removes the group', () => {
    expect(securityVerdictFromPermissions([perm(AU, 'AU', 'allow', APPLY), perm('S-1-1-0', 'Everyone', 'deny', { read: false, applyGroupPolicy: true })])).toEqual({ filteredTo: [] });
    expect(securityVerdictFromPermissions([perm(AU, 'AU', 'allow', READ), POOL_GROUP, perm(`${DOMAIN_SID}-1605`, 'CORP\\Pool', 'deny', { applyGroupPolicy: true, read: false })])).toEqual({ filteredTo: [] });
    // A deny to another group does not touch every computer.
    expect(securityVerdictFromPermissions([perm(AU, 'AU', 'allow', APPLY), perm(`${DOMAIN_SID}-1700`, 'CORP\\Kiosks', 'deny', APPLY)])).toBe('applies');
  });

  it('rights or type the report does not say make it unknown where they could change the verdict', () => {
    expect(securityVerdictFromPermissions([perm(AU, 'AU', 'allow', {})])).toBe('unknown');
    expect(securityVerdictFromPermissions([perm(AU, 'AU', undefined, APPLY)])).toBe('unknown');
    expect(securityVerdictFromPermissions([perm(AU, 'AU', 'allow', APPLY), perm('S-1-1-0', 'Everyone', 'deny', {})])).toBe('unknown');
    // A Custom entry on another group cannot change it.
    expect(securityVerdictFromPermissions([perm(AU, 'AU', 'allow', APPLY), perm(`${DOMAIN_SID}-1701`, 'CORP\\Odd', 'allow', {})])).toBe('applies');
  });

  it('an entry without SID counts for no principal; no entries at all applies to no one', () => {
    expect(securityVerdictFromPermissions([perm(undefined, 'NT AUTHORITY\\Authenticated Users', 'allow', APPLY)])).toEqual({ filteredTo: ['NT AUTHORITY\\Authenticated Users'] });
    expect(securityVerdictFromPermissions([])).toEqual({ filteredTo: [] });
  });
});

describeCorpus('policyDataFromReports on real exports', () => {
  it('the Microsoft security baseline GPOs of the raandree lab: six linked at one OU, order unknown', () => {
    const files = corpusFiles((p) => p.startsWith(join(REALDATA, 'raandree__GpoReport/GpoBackup/')) && p.endsWith('gpreport.xml'));
    expect(files).toHaveLength(11);
    const r = policyDataFromReports(files.flatMap(report));
    expect(r.problems).toEqual([]);
    const client = r.data.soms.find((s) => s.dn === 'security.local/SCT Windows 11 Client')!;
    expect(client.kind).toBe('ou');
    expect(client.links).toHaveLength(6);
    expect(client.links[0]!.gpoDn).toBe('cn={E9F1D4BF-D7C0-4358-B1CD-6B1F7E1754D3},cn=policies,cn=system,DC=security,DC=local');
    expect([...r.security.values()].every((v) => v === 'applies')).toBe(true);

    const list = effectiveGpoList({ target: 'security.local/SCT Windows 11 Client', ...r.data, side: 'computer', security: (id) => r.security.get(id) });
    expect(list.applied.map((a) => a.name).sort()).toEqual([
      'MSFT Windows 11 24H2 - BitLocker',
      'MSFT Windows 11 24H2 - Computer',
      'MSFT Windows 11 24H2 - Credential Guard',
      'MSFT Windows 11 24H2 - Defender Antivirus',
      'MSFT Windows 11 24H2 - Domain Security',
    ]);
    expect(list.applied.every((a) => !a.orderKnown)).toBe(true);
    const why = Object.fromEntries(list.notApplied.map((n) => [n.name, [n.reason, n.detail]]));
    // The User GPO's computer side is disabled (<Computer><Enabled>false).
    expect(why['MSFT Windows 11 24H2 - User']).toEqual(['computer-settings-disabled', 'flags 2']);
    expect(why['MSFT Internet Explorer 11 - Computer']).toEqual(['not-linked', expect.stringContaining('security.local/SCT Member Server')]);
    expect(why['AllSettings1']).toEqual(['not-linked', 'linked nowhere']);
    // No report links a GPO to the domain head: the engine says its links are not counted.
    expect(list.assumptions).toContain('no domain container on the path of security.local/SCT Windows 11 Client: its links are not counted');
  });
});
