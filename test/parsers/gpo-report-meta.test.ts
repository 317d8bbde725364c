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

  const warning = (line: number, message: string) => ({ file: 'r.xml', position: { line }, code: 'skipped-entry', severity: 'warning', message });
  const AU = sidName('S-1-5-11', 'NT AUTHORITY\\Authenticated Users');

  it('a side version is 0 to 65535: the largest is read, one more is left out with the exact warning', () => {
    const r = xml(report(' <Computer>\n  <VersionDirectory> 65535 </VersionDirectory>\n  <VersionSysvol>0</VersionSysvol>\n </Computer>\n <User>\n  <VersionSysvol>65536</VersionSysvol>\n  <VersionDirectory>-1</VersionDirectory>\n </User>'));
    expect(r.gpos[0]!.versions).toEqual({ computer: { directory: 65535, sysvol: 0 } });
    expect(r.problems).toEqual([
      warning(11, 'User VersionDirectory "-1" is not a version number (0 to 65535); left out'),
      warning(10, 'User VersionSysvol "65536" is not a version number (0 to 65535); left out'),
    ]);
  });

  it('a version with text around the digits, more than five digits or none is left out; the warning quotes 40 characters at most', () => {
    const long = '1'.repeat(45);
    for (const [text, quoted] of [['v7', 'v7'], ['7x', '7x'], ['000007', '000007'], ['', ''], [long, long.slice(0, 40)]] as const) {
      const r = xml(report(`<Computer><VersionSysvol>${text}</VersionSysvol></Computer>`));
      expect(r.gpos[0]!.versions, text).toBeUndefined();
      expect(r.problems, text).toEqual([warning(5, `Computer VersionSysvol "${quoted}" is not a version number (0 to 65535); left out`)]);
    }
    expect(xml(report('<Computer><VersionSysvol>00007</VersionSysvol></Computer>')).gpos[0]!.versions).toEqual({ computer: { sysvol: 7 } });
  });

  it('the versions point at the first side with versions, at its VersionDirectory (else VersionSysvol); a side without any has no versions', () => {
    const r = xml(report(' <Computer>\n  <Enabled>true</Enabled>\n </Computer>\n <User>\n  <VersionSysvol>2</VersionSysvol>\n  <VersionDirectory>3</VersionDirectory>\n </User>'));
    expect(r.gpos[0]!.versions).toEqual({ user: { directory: 3, sysvol: 2 } });
    expect(r.gpos[0]!.versionsLine).toBe(10);
    const both = xml(report(' <Computer>\n  <VersionSysvol>1</VersionSysvol>\n </Computer>\n <User>\n  <VersionSysvol>2</VersionSysvol>\n </User>'));
    expect(both.gpos[0]!.versionsLine).toBe(6);
    const bad = xml(report(' <Computer>\n  <VersionSysvol>x</VersionSysvol>\n  <VersionDirectory>4</VersionDirectory>\n </Computer>'));
    expect(bad.gpos[0]!.versions).toEqual({ computer: { directory: 4 } });
    expect(bad.gpos[0]!.versionsLine).toBe(7);
  });

  it('version elements in another namespace are not the GPO\'s', () => {
    const r = xml(report('<Computer><VersionSysvol xmlns="urn:other">5</VersionSysvol></Computer>'));
    expect(r.gpos[0]!.versions).toBeUndefined();
    expect(r.problems).toEqual([]);
  });

  it('the warnings for a trustee without SID and an unknown type say exactly what is wrong, at the entry\'s parts', () => {
    const r = xml(report(sd(
      entry('<Name xmlns="http://www.microsoft.com/GroupPolicy/Types">CORP\\Gone</Name>', 'Allow', 'Read') +
        entry('', 'Allow', 'Read') +
        entry(AU, 'Sometimes', 'Read') +
        entry('<SID xmlns="http://www.microsoft.com/GroupPolicy/Types">S-1-5-9</SID>', 'x'.repeat(50), 'Read'),
    )));
    // Entries start at lines 7, 13, 19 and 25 (one shares its first line with the previous one's end); Trustee is the next line, Type the one after.
    expect(r.problems).toEqual([
      warning(8, 'permission entry for "CORP\\Gone" has no SID; it counts for no principal'),
      warning(14, 'permission entry for an unnamed trustee has no SID; it counts for no principal'),
      warning(21, 'permission entry for NT AUTHORITY\\Authenticated Users is neither Allow nor Deny ("Sometimes"); its effect is unknown'),
      warning(27, `permission entry for S-1-5-9 is neither Allow nor Deny ("${'x'.repeat(40)}"); its effect is unknown`),
    ]);
  });

  it('an entry without Trustee or Type is reported at the entry itself', () => {
    const r = xml(report(sd('\n<TrusteePermissions><Inherited>true</Inherited></TrusteePermissions>')));
    expect(r.gpos[0]!.permissions).toEqual([{ inherited: true }]);
    expect(r.problems).toEqual([
      warning(8, 'permission entry for an unnamed trustee has no SID; it counts for no principal'),
      warning(8, 'permission entry for a trustee is neither Allow nor Deny (""); its effect is unknown'),
    ]);
  });

  it('Allow and Deny are read in any case; Inherited true is kept', () => {
    const r = xml(report(sd(entry(AU, 'ALLOW', 'Read').replace('<Inherited>false', '<Inherited>true') + entry(AU, 'deny', 'Read'))));
    expect(r.gpos[0]!.permissions!.map((p) => [p.type, p.inherited])).toEqual([['allow', true], ['deny', false]]);
    expect(r.problems).toEqual([]);
  });

  it('every grouped permission GPMC writes gives its rights, whatever the case; only Apply Group Policy applies', () => {
    const groups = ['Apply Group Policy', 'Read', 'Edit settings', 'Edit, delete, modify security', 'Edit settings, delete, modify security', 'READ'];
    const r = xml(report(sd(groups.map((g) => entry(AU, 'Allow', g)).join(''))));
    expect(r.problems).toEqual([]);
    expect(r.gpos[0]!.permissions!.map((p) => [p.access, p.read, p.applyGroupPolicy])).toEqual([
      ['Apply Group Policy', true, true],
      ['Read', true, false],
      ['Edit settings', true, false],
      ['Edit, delete, modify security', true, false],
      ['Edit settings, delete, modify security', true, false],
      ['READ', true, false],
    ]);
  });

  it('each access-mask right decides: read property or generic read is Read, control access is Apply, generic all is both', () => {
    const masks = [0x10, 0x80000000, 0x100, 0x10000000, 0x4];
    const r = xml(report(sd(masks.map((m) => entry(AU, 'Allow', 'Custom', String(m))).join(''))));
    expect(r.problems).toEqual([]);
    expect(r.gpos[0]!.permissions!.map((p) => [p.accessMask, p.read, p.applyGroupPolicy])).toEqual([
      [0x10, true, false],
      [0x80000000, true, false],
      [0x100, false, true],
      [0x10000000, true, true],
      [0x4, false, false],
    ]);
  });

  it('the largest 32-bit mask is used; a mask past 32 bits, with a sign or not a number falls back to the grouped permission', () => {
    const r = xml(report(sd(
      entry(AU, 'Allow', 'Read', '4294967295') + entry(AU, 'Allow', 'Read', '4294967296') + entry(AU, 'Allow', 'Read', '-256')
        + entry(AU, 'Allow', 'Read', '256x') + entry(AU, 'Allow', 'Read', '12345678901'),
    )));
    expect(r.gpos[0]!.permissions!.map((p) => [p.read, p.applyGroupPolicy])).toEqual([[true, true], [true, false], [true, false], [true, false], [true, false]]);
    expect(r.gpos[0]!.permissions![0]!.accessMask).toBe(4294967295);
    expect(r.gpos[0]!.permissions!.slice(2).map((p) => p.accessMask)).toEqual([undefined, undefined, undefined]);
    // Only the first disagrees with "Read" (it grants Apply Group Policy too).
    expect(r.problems).toEqual([warning(7, 'permission entry for NT AUTHORITY\\Authenticated Users: access mask 4294967295 and "Read" disagree; the mask is used')]);
  });

  it('a mask that agrees with the grouped permission is used without a warning; one that disagrees in Read only is reported', () => {
    const r = xml(report(sd(entry(AU, 'Allow', 'Apply Group Policy', String(0x110)) + entry(AU, 'Allow', 'Apply Group Policy', String(0x100)))));
    expect(r.gpos[0]!.permissions!.map((p) => [p.read, p.applyGroupPolicy])).toEqual([[true, true], [false, true]]);
    expect(r.problems).toEqual([warning(13, 'permission entry for NT AUTHORITY\\Authenticated Users: access mask 256 and "Apply Group Policy" disagree; the mask is used')]);
  });

  it('an unknown grouped permission is reported at its Standard element, quoting 60 characters at most; Custom in any case is not', () => {
    const long = 'Q'.repeat(70);
    const r = xml(report(sd(entry(AU, 'Allow', long) + entry(AU, 'Allow', 'CUSTOM'))));
    expect(r.gpos[0]!.permissions!.map((p) => [p.read, p.applyGroupPolicy])).toEqual([[undefined, undefined], [undefined, undefined]]);
    expect(r.problems).toEqual([
      warning(11, `permission entry for NT AUTHORITY\\Authenticated Users has an unknown grouped permission "${'Q'.repeat(60)}"; whether it grants Read and Apply Group Policy is unknown`),
    ]);
  });

  it('a security descriptor without a Permissions list, or outside the report\'s namespace, leaves the permissions unknown', () => {
    expect(xml(report('<SecurityDescriptor><PermissionsPresent xmlns="http://www.microsoft.com/GroupPolicy/Types/Security">true</PermissionsPresent></SecurityDescriptor>')).gpos[0]!.permissions).toBeUndefined();
    expect(xml(report(sd(entry(AU, 'Allow', 'Read')).replace('<SecurityDescriptor>', '<SecurityDescriptor xmlns="urn:other">'))).gpos[0]!.permissions).toBeUndefined();
    // PermissionsPresent missing: the list is read.
    expect(xml(report(sd(entry(AU, 'Allow', 'Read')).replace(/<PermissionsPresent[^]*?<\/PermissionsPresent>/, ''))).gpos[0]!.permissions).toHaveLength(1);
  });

  it('PermissionsPresent false leaves the permissions unknown even when a list follows', () => {
    const r = xml(report(sd(entry(AU, 'Allow', 'Read')).replace('>true</PermissionsPresent>', '>false</PermissionsPresent>')));
    expect(r.gpos[0]!.permissions).toBeUndefined();
  });

  it('an entry naming no trustee at all is "a trustee" in the mask and grouped-permission warnings', () => {
    const r = xml(report(sd(entry('', 'Allow', 'Read', String(0x100)) + entry('', 'Allow', 'Whatever'))));
    expect(r.problems.filter((p) => !p.message.includes('has no SID'))).toEqual([
      warning(7, 'permission entry for a trustee: access mask 256 and "Read" disagree; the mask is used'),
      warning(17, 'permission entry for a trustee has an unknown grouped permission "Whatever"; whether it grants Read and Apply Group Policy is unknown'),
    ]);
  });

  it('the WMI filter name and FilterDataAvailable true are read', () => {
    expect(xml(report('<FilterName>Only laptops</FilterName><FilterDataAvailable>true</FilterDataAvailable>')).gpos[0]!).toMatchObject({ wmiFilter: { name: 'Only laptops' }, filterDataAvailable: true });
    expect(xml(report('<FilterName></FilterName>')).gpos[0]!).not.toHaveProperty('wmiFilter');
    expect(xml(report('')).gpos[0]!).not.toHaveProperty('filterDataAvailable');
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
