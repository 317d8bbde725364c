// What a GPO report and a GPT.INI say about a GPO beside its settings: versions, WMI filter, permissions, links.
// Expectations are written from reading the files (the real exports under ../shared/realdata and our fixtures).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GpoPermission } from '../../src/model/gpo.js';
import { parseGpoReport } from '../../src/parsers/gpo-report.js';
import { parseGptIni } from '../../src/parsers/gpt-ini.js';
import { describeCorpus, REALDATA } from '../helpers/realdata.js';

const parse = (path: string) => parseGpoReport(readFileSync(path), { file: path });
const xml = (text: string) => parseGpoReport(Buffer.from(text, 'utf8'), { file: 'r.xml' });
const ini = (text: string) => parseGptIni(Buffer.from(text, 'utf8'), { file: 'GPT.INI', gpo: { id: '{7D3B9F21-4A6C-4E8B-B1D2-3C4E5F6A7B01}' } });

const DOMAIN = 'S-1-5-21-1004336348-1177238915-682003330';
const allow = (sid: string, name: string, access: string, rights: { read: boolean; applyGroupPolicy: boolean }): GpoPermission => ({
  sid, name, type: 'allow', access, inherited: false, ...rights,
});
const APPLY = { read: true, applyGroupPolicy: true };
const READ_ONLY = { read: true, applyGroupPolicy: false };

describe('GPO report metadata: a GPO filtered to one group (test/fixtures/gpo-report/security-filtered.xml)', () => {
  const r = parse('test/fixtures/gpo-report/security-filtered.xml');
  const info = r.gpos[0]!;

  it('reads each side\'s directory and SYSVOL versions, also where they differ', () => {
    expect(r.problems).toEqual([]);
    expect(info.versions).toEqual({ computer: { directory: 5, sysvol: 4 }, user: { directory: 0, sysvol: 0 } });
    expect([info.computerEnabled, info.userEnabled]).toEqual([true, false]);
  });

  it('reads the WMI filter by name (reports carry no filter id)', () => {
    expect(info.wmiFilter).toEqual({ name: 'Windows 10 and later' });
    expect(info.filterDataAvailable).toBe(true);
  });

  it('reads every trustee with SID, name, allow/deny and the rights of its grouped permission', () => {
    expect(info.permissions).toEqual([
      allow(`${DOMAIN}-1605`, 'CORP\\WorkSpaces Pool Computers', 'Apply Group Policy', APPLY),
      allow('S-1-5-9', 'NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS', 'Read', READ_ONLY),
      allow('S-1-5-11', 'NT AUTHORITY\\Authenticated Users', 'Read', READ_ONLY),
      allow('S-1-5-18', 'NT AUTHORITY\\SYSTEM', 'Edit, delete, modify security', READ_ONLY),
      allow(`${DOMAIN}-512`, 'CORP\\Domain Admins', 'Edit, delete, modify security', READ_ONLY),
    ]);
  });

  it('keeps an enforced and a disabled link, SOMPath as written', () => {
    expect(info.links).toEqual([
      { somPath: 'corp.example.test/WorkSpaces/Pool', somName: 'Pool', enabled: true, noOverride: true },
      { somPath: 'corp.example.test/WorkSpaces/Staging', somName: 'Staging', enabled: false, noOverride: false },
    ]);
  });
});

describe('GPO report metadata: the -All form (test/fixtures/gpo-report/two-at-one-ou.xml)', () => {
  const r = parse('test/fixtures/gpo-report/two-at-one-ou.xml');

  it('reads each GPO\'s own security descriptor while the report is streamed', () => {
    expect(r.problems).toEqual([]);
    expect(r.gpos.map((g) => [g.ref.name, g.permissions?.map((p) => `${p.sid}:${p.access}`)])).toEqual([
      ['WorkSpaces - Baseline', ['S-1-5-11:Apply Group Policy', `${DOMAIN}-512:Edit, delete, modify security`]],
      // No <SecurityDescriptor>: unknown, not "nobody".
      ['WorkSpaces - Browser', undefined],
      ['Domain Defaults', ['S-1-5-11:Read', `${DOMAIN}-515:Apply Group Policy`, `${DOMAIN}-512:Edit, delete, modify security`]],
    ]);
    expect(r.gpos.map((g) => g.versions)).toEqual([
      { computer: { directory: 3, sysvol: 3 }, user: { directory: 0, sysvol: 0 } },
      { computer: { directory: 2, sysvol: 2 }, user: { directory: 1, sysvol: 1 } },
      { computer: { directory: 1, sysvol: 1 }, user: { directory: 0, sysvol: 0 } },
    ]);
  });
});

describe('GPO report metadata: bad values are left out and reported, never thrown', () => {
  const report = (body: string) => `<?xml version="1.0"?>
<GPO xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.microsoft.com/GroupPolicy/Settings">
 <Identifier><Identifier xmlns="http://www.microsoft.com/GroupPolicy/Types">{0f1e2d3c-aaaa-4bbb-8ccc-0123456789ab}</Identifier></Identifier>
 <Name>Odd</Name>
${body}
</GPO>`;
  const sd = (entries: string) => `<SecurityDescriptor>
  <PermissionsPresent xmlns="http://www.microsoft.com/GroupPolicy/Types/Security">true</PermissionsPresent>
  <Permissions xmlns="http://www.microsoft.com/GroupPolicy/Types/Security">${entries}</Permissions>
 </SecurityDescriptor>`;
  const entry = (trustee: string, type: string, access: string, mask = '0') => `<TrusteePermissions>
   <Trustee>${trustee}</Trustee>
   <Type xsi:type="PermissionType"><PermissionType>${type}</PermissionType></Type>
   <Inherited>false</Inherited>
   <Standard><GPOGroupedAccessEnum>${access}</GPOGroupedAccessEnum></Standard>
   <AccessMask>${mask}</AccessMask>
  </TrusteePermissions>`;
  const sidName = (sid: string, name: string) =>
    `<SID xmlns="http://www.microsoft.com/GroupPolicy/Types">${sid}</SID><Name xmlns="http://www.microsoft.com/GroupPolicy/Types">${name}</Name>`;

  it('a version that is not a number (or over 16 bits) is left out with a warning at its line', () => {
    const r = xml(report(' <Computer>\n  <VersionDirectory>seven</VersionDirectory>\n  <VersionSysvol>7</VersionSysvol>\n </Computer>\n <User><VersionDirectory>70000</VersionDirectory></User>'));
    expect(r.gpos[0]!.versions).toEqual({ computer: { sysvol: 7 } });
    expect(r.problems.map((p) => [p.code, p.severity, p.position])).toEqual([
      ['skipped-entry', 'warning', { line: 6 }],
      ['skipped-entry', 'warning', { line: 9 }],
    ]);
    expect(r.problems[0]!.message).toContain('"seven"');
  });

  it('a trustee without SID keeps its name and counts for no principal; an unknown type is kept without one', () => {
    const r = xml(report(sd(
      entry('<Name xmlns="http://www.microsoft.com/GroupPolicy/Types">CORP\\Gone</Name>', 'Allow', 'Apply Group Policy') +
        entry(sidName('S-1-5-11', 'NT AUTHORITY\\Authenticated Users'), 'Sometimes', 'Read'),
    )));
    expect(r.gpos[0]!.permissions).toEqual([
      { name: 'CORP\\Gone', type: 'allow', access: 'Apply Group Policy', inherited: false, ...APPLY },
      { sid: 'S-1-5-11', name: 'NT AUTHORITY\\Authenticated Users', access: 'Read', inherited: false, ...READ_ONLY },
    ]);
    expect(r.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('"CORP\\Gone" has no SID'),
      expect.stringContaining('neither Allow nor Deny'),
    ]);
    expect(r.problems.every((p) => p.severity === 'warning')).toBe(true);
  });

  it('a deny entry is kept as a deny; Custom (no mask) leaves the rights unknown; a non-zero mask decides', () => {
    const r = xml(report(sd(
      entry(sidName(`${DOMAIN}-1700`, 'CORP\\Kiosks'), 'Deny', 'Apply Group Policy') +
        entry(sidName(`${DOMAIN}-1701`, 'CORP\\Odd'), 'Allow', 'Custom') +
        // 0x20094 = list, read property, list object, read control: Read without the Apply Group Policy right.
        entry(sidName(`${DOMAIN}-1702`, 'CORP\\Masked'), 'Allow', 'Custom', String(0x20094)) +
        // 0x100 = control access: every extended right, Apply Group Policy included.
        entry(sidName(`${DOMAIN}-1703`, 'CORP\\Extended'), 'Allow', 'Custom', String(0x20194)),
    )));
    expect(r.gpos[0]!.permissions).toEqual([
      { sid: `${DOMAIN}-1700`, name: 'CORP\\Kiosks', type: 'deny', access: 'Apply Group Policy', inherited: false, ...APPLY },
      { sid: `${DOMAIN}-1701`, name: 'CORP\\Odd', type: 'allow', access: 'Custom', inherited: false },
      { sid: `${DOMAIN}-1702`, name: 'CORP\\Masked', type: 'allow', access: 'Custom', inherited: false, accessMask: 0x20094, ...READ_ONLY },
      { sid: `${DOMAIN}-1703`, name: 'CORP\\Extended', type: 'allow', access: 'Custom', inherited: false, accessMask: 0x20194, ...APPLY },
    ]);
    expect(r.problems).toEqual([]);
  });

  it('an unknown grouped permission is reported; PermissionsPresent false leaves the permissions unknown', () => {
    const odd = xml(report(sd(entry(sidName('S-1-5-11', 'NT AUTHORITY\\Authenticated Users'), 'Allow', 'Gruppenrichtlinie übernehmen'))));
    expect(odd.gpos[0]!.permissions).toEqual([{ sid: 'S-1-5-11', name: 'NT AUTHORITY\\Authenticated Users', type: 'allow', access: 'Gruppenrichtlinie übernehmen', inherited: false }]);
    expect(odd.problems.map((p) => p.message)).toEqual([expect.stringContaining('unknown grouped permission')]);

    const absent = xml(report('<SecurityDescriptor><PermissionsPresent xmlns="http://www.microsoft.com/GroupPolicy/Types/Security">false</PermissionsPresent></SecurityDescriptor>'));
    expect(absent.gpos[0]!.permissions).toBeUndefined();
    const empty = xml(report(sd('')));
    expect(empty.gpos[0]!.permissions).toEqual([]);
  });

  it('a report without filter fields has no wmiFilter; FilterDataAvailable false is kept', () => {
    expect(xml(report('')).gpos[0]!).not.toHaveProperty('wmiFilter');
    expect(xml(report('<FilterDataAvailable>false</FilterDataAvailable>')).gpos[0]!.filterDataAvailable).toBe(false);
  });
});

describe('GPT.INI: the SYSVOL version of both sides', () => {
  it('splits Version= (high 16 bits user, low 16 bits computer)', () => {
    const r = parseGptIni(readFileSync('samples/broken/sysvol/Policies/{7D3B9F21-4A6C-4E8B-B1D2-3C4E5F6A7B01}/GPT.INI'), { file: 'GPT.INI' });
    expect(r.problems).toEqual([]);
    // 65539 = 0x00010003.
    expect(r.gpos[0]!.versions).toEqual({ computer: { sysvol: 3 }, user: { sysvol: 1 } });
  });

  it('reads a negative Version (the user half past 32767) as the 32-bit value it is', () => {
    expect(ini('[General]\r\nVersion=-2147418111\r\n').gpos[0]!.versions).toEqual({ computer: { sysvol: 1 }, user: { sysvol: 0x8001 } });
  });

  it('a Version that is not a number is left out with a warning at its line, the GPO still read', () => {
    const r = ini('[General]\r\ndisplayName=X\r\nVersion=12a\r\n');
    expect(r.gpos).toEqual([{ ref: { id: '{7D3B9F21-4A6C-4E8B-B1D2-3C4E5F6A7B01}', name: 'X' }, links: [], sources: [{ file: 'GPT.INI', format: 'gpt-ini' }] }]);
    expect(r.problems).toEqual([{ file: 'GPT.INI', position: { line: 3 }, code: 'skipped-entry', severity: 'warning', message: expect.stringContaining('"12a"') }]);
  });

  it('a Version outside [General] is not the GPO\'s', () => {
    expect(ini('[General]\r\n[Other]\r\nVersion=5\r\n').gpos[0]).not.toHaveProperty('versions');
  });
});

describeCorpus('GPO report metadata on real exports', () => {
  it('DoD IE11 STIG - User (nsacyber): WMI filter, versions, the default permissions, one link', () => {
    const r = parse(join(REALDATA, 'nsacyber__Windows-Secure-Host-Baseline/Internet Explorer/Group Policy Objects/User/{845FE5F1-165B-42F5-93DD-EF3316256419}/gpreport.xml'));
    expect(r.problems).toEqual([]);
    const info = r.gpos[0]!;
    expect(info.ref).toEqual({ id: '{1F36468A-CBF4-41A9-81A6-1E8802A7012B}', domain: 'idl.local', name: 'DoD IE11 STIG - User (July 2016)' }); // the report's trailing blank is trimmed
    expect(info.wmiFilter).toEqual({ name: 'AF Internet Explorer 11' });
    expect(info.filterDataAvailable).toBe(true);
    expect(info.versions).toEqual({ computer: { directory: 1, sysvol: 1 }, user: { directory: 1, sysvol: 1 } });
    expect([info.computerEnabled, info.userEnabled]).toEqual([false, true]);
    const idl = 'S-1-5-21-852640682-2439737213-2645099010';
    const edit = 'Edit, delete, modify security';
    expect(info.permissions).toEqual([
      allow(`${idl}-519`, 'IDL\\Enterprise Admins', edit, READ_ONLY),
      allow('S-1-5-9', 'NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS', 'Read', READ_ONLY),
      allow('S-1-5-18', 'NT AUTHORITY\\SYSTEM', edit, READ_ONLY),
      allow('S-1-5-11', 'NT AUTHORITY\\Authenticated Users', 'Apply Group Policy', APPLY),
      allow(`${idl}-512`, 'IDL\\Domain Admins', edit, READ_ONLY),
    ]);
    expect(info.links).toEqual([{ somPath: 'idl.local/SDC 5.x Test', somName: 'SDC 5.x Test', enabled: true, noOverride: false }]);
  });

  it('Blumira Logmira: Apply Group Policy for Domain Controllers, Domain Computers, Domain Users and Authenticated Users', () => {
    const r = parse(join(REALDATA, 'Blumira__Logmira/GPO Files/gpreport.xml'));
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const info = r.gpos[0]!;
    const salab = 'S-1-5-21-2345444175-907887962-1953393728';
    expect(info.permissions?.filter((p) => p.applyGroupPolicy).map((p) => [p.sid, p.name])).toEqual([
      [`${salab}-516`, 'SALAB\\Domain Controllers'],
      [`${salab}-515`, 'SALAB\\Domain Computers'],
      [`${salab}-513`, 'SALAB\\Domain Users'],
      ['S-1-5-11', 'NT AUTHORITY\\Authenticated Users'],
    ]);
    expect(info.permissions).toHaveLength(8);
    expect(info.versions).toEqual({ computer: { directory: 20, sysvol: 20 }, user: { directory: 1, sysvol: 1 } });
    expect(info.links).toEqual([{ somPath: 'SAlab.local/TestOU', somName: 'TestOU', enabled: true, noOverride: false }]);
    expect(info).not.toHaveProperty('wmiFilter');
  });

  it('MSFT Internet Explorer 11 - User (raandree backup): three links in the order the report lists them', () => {
    const r = parse(join(REALDATA, 'raandree__GpoReport/GpoBackup/{BF76B495-48DD-4A15-AFFF-E9E20A6C9AAB}/gpreport.xml'));
    const info = r.gpos[0]!;
    expect(info.ref.id).toBe('{582D31BD-8974-43C8-B88B-FC18B4254E87}');
    expect(info.links.map((l) => [l.somName, l.somPath, l.enabled, l.noOverride])).toEqual([
      ['MSFT Clients', 'security.local/MSFT Clients', true, false],
      ['SCT Member Server', 'security.local/SCT Member Server', true, false],
      ['SCT Domain Controller', 'security.local/SCT Domain Controller', true, false],
    ]);
    expect(info.versions).toEqual({ computer: { directory: 1, sysvol: 1 }, user: { directory: 1, sysvol: 1 } });
    expect(info.permissions?.find((p) => p.sid === 'S-1-5-11')).toMatchObject({ type: 'allow', access: 'Apply Group Policy', ...APPLY });
  });

  it('two more real reports: the GPO\'s own permissions are read, each entry with a SID, Allow and known rights', () => {
    const reports = ['nsacyber__Windows-Secure-Host-Baseline/Windows/Group Policy Objects/Computer/{A2A38432-E322-437F-9975-B7CC7F16F4AA}/gpreport.xml', 'raandree__GpoReport/tests/TestData/AllSettings1.xml'];
    for (const rel of reports) {
      const r = parse(join(REALDATA, rel));
      const perms = r.gpos[0]!.permissions!;
      // AllSettings1 holds file and registry ACLs in its security extension: those are not the GPO's permissions.
      expect(perms, rel).toHaveLength(5);
      expect(perms.every((p) => p.sid && p.type === 'allow' && p.read !== undefined && p.applyGroupPolicy !== undefined), rel).toBe(true);
    }
  });
});
