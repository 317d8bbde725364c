import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../src/model/parse-result.js';
import type { AdminTemplateSetting, PrivilegeRightSetting, RegistrySetting } from '../../src/model/settings.js';
import { parseGpoReport } from '../../src/parsers/gpo-report.js';
import { describeCorpus, REALDATA } from '../helpers/realdata.js';

const SYSTEM = 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System';
const parse = (path: string) => parseGpoReport(readFileSync(path), { file: path });
const xml = (text: string) => parseGpoReport(Buffer.from(text, 'utf8'), { file: 'r.xml' });

function registry(r: ParseResult, valueName: string): RegistrySetting {
  const s = r.settings.find((x): x is RegistrySetting => x.kind === 'registry' && x.valueName === valueName);
  if (!s) throw new Error(`no registry setting ${valueName}`);
  return s;
}
function right(r: ParseResult, name: string): PrivilegeRightSetting {
  const s = r.settings.find((x): x is PrivilegeRightSetting => x.kind === 'privilege-right' && x.right === name);
  if (!s) throw new Error(`no right ${name}`);
  return s;
}

describe('parseGpoReport: one GPO (UTF-16LE, as Get-GPOReport writes it)', () => {
  const r = parse('samples/broken/gpo-report/WorkSpaces-Logon-Security.xml');
  const gpo = { id: '{6E4D2A10-B001-4C1A-9A5E-2F60C1D0A001}', domain: 'corp.example.test', name: 'WorkSpaces - Logon Security (broken)' };

  it('reads identity, enabled flags and links', () => {
    expect(r.problems).toEqual([]);
    expect(r.gpos).toEqual([
      {
        ref: gpo,
        computerEnabled: true,
        userEnabled: true,
        links: [{ somPath: 'corp.example.test/WorkSpaces', somName: 'WorkSpaces', enabled: true, noOverride: false }],
        versions: { computer: { directory: 7, sysvol: 7 }, user: { directory: 2, sysvol: 2 } },
        versionsLine: 14,
        filterDataAvailable: true,
        sources: [{ file: 'samples/broken/gpo-report/WorkSpaces-Logon-Security.xml', format: 'gpo-report' }],
      },
    ]);
  });

  it('reads user rights with SIDs and names, and their lines', () => {
    expect(right(r, 'SeNetworkLogonRight')).toMatchObject({
      principals: [
        { sid: 'S-1-5-32-544', name: 'BUILTIN\\Administrators', resolution: 'input-sid' },
        { sid: 'S-1-5-21-1004336348-1177238915-682003330-515', rid: 515, name: 'CORP\\Domain Computers', resolution: 'input-sid' },
      ],
      provenance: { gpo, position: { line: 19 }, format: 'gpo-report' },
    });
  });

  it('turns security options into registry values: quoted string, multi-string, number', () => {
    expect(registry(r, 'LegalNoticeCaption')).toMatchObject({
      hive: 'HKLM', key: SYSTEM, operation: { op: 'set', data: { type: 'REG_SZ', value: 'Authorised use only' } },
      securityOption: { displayName: 'Interactive logon: Message title for users attempting to log on' },
      provenance: { position: { line: 35 } },
    });
    expect(registry(r, 'LegalNoticeText').operation).toEqual({
      op: 'set', data: { type: 'REG_MULTI_SZ', value: ['This WorkSpace is for authorised staff.', 'Activity is logged, monitored, and reviewed.'] },
    });
    expect(registry(r, 'DontDisplayLockedUserId').operation).toEqual({ op: 'set', data: { type: 'REG_DWORD', value: 3 } });
  });

  it('reads restricted groups', () => {
    expect(r.settings.find((s) => s.kind === 'group-membership')).toMatchObject({
      group: { sid: 'S-1-5-32-555' }, members: [{ sid: 'S-1-5-32-544' }], memberOf: [], provenance: { position: { line: 80 } },
    });
  });
});

describe('parseGpoReport: the -All form (<report> root, re-saved as UTF-8 with a utf-16 declaration)', () => {
  const r = parse('samples/broken/gpo-report/All-GPOs.xml');

  it('reads every GPO of the report', () => {
    expect(r.problems).toEqual([]);
    expect(r.gpos.map((g) => g.ref.name)).toEqual(['WorkSpaces - Desktop Templates (broken)', 'Legacy Winlogon Tweaks (broken)']);
    expect(r.gpos[1]!.links).toEqual([{ somPath: 'corp.example.test', somName: 'corp.example.test', enabled: true, noOverride: true }]);
  });

  it('reads administrative-template policies with their element values, unmapped until normalised', () => {
    const policies = r.settings.filter((s): s is AdminTemplateSetting => s.kind === 'admin-template');
    expect(policies.map((p) => [p.scope, p.displayName, p.state])).toEqual([
      ['computer', 'Hide entry points for Fast User Switching', 'enabled'],
      ['computer', 'Turn off Windows Installer', 'enabled'],
      ['computer', 'Select an active power plan', 'enabled'],
      ['computer', 'Specify the system sleep timeout (plugged in)', 'enabled'],
      ['computer', 'Turn Off the hard disk (plugged in)', 'enabled'],
      ['computer', 'Turn Off the hard disk (on battery)', 'enabled'],
      ['computer', 'All Removable Storage classes: Deny all access', 'enabled'],
      ['user', 'Prevent access to drives from My Computer', 'enabled'],
    ]);
    expect(policies[0]).toMatchObject({ category: 'System/Logon', elements: [], registry: [], provenance: { position: { line: 20 } } });
    expect(policies[1]!.elements).toEqual([{ kind: 'dropdown', label: 'Disable Windows Installer', value: 'Always' }]);
    expect(policies[3]!.elements).toEqual([{ kind: 'numeric', label: 'System Sleep Timeout (seconds):', value: 900 }]);
  });

  it('reads Extra Registry Settings with the hive of their side', () => {
    expect(registry(r, 'LegalNoticeCaption')).toMatchObject({
      hive: 'HKLM', key: 'Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon',
      operation: { op: 'set', data: { type: 'REG_SZ', value: 'Legacy banner title' } },
      provenance: { gpo: { name: 'Legacy Winlogon Tweaks (broken)' }, position: { line: 150 } },
    });
  });
});

describe('parseGpoReport: namespaces, not prefixes or localised names', () => {
  const report = (prefix: string, extName: string) => `<?xml version="1.0"?>
<GPO xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.microsoft.com/GroupPolicy/Settings">
 <Identifier><Identifier xmlns="http://www.microsoft.com/GroupPolicy/Types">{0f1e2d3c-aaaa-4bbb-8ccc-0123456789ab}</Identifier></Identifier>
 <Name>Srv</Name>
 <Computer><Enabled>true</Enabled><ExtensionData>
  <Extension xmlns:${prefix}="http://www.microsoft.com/GroupPolicy/Settings/Security" xsi:type="${prefix}:SecuritySettings">
   <${prefix}:UserRightsAssignment><${prefix}:Name>SeDenyNetworkLogonRight</${prefix}:Name>
    <${prefix}:Member><Name xmlns="http://www.microsoft.com/GroupPolicy/Types">VORDEFINIERT\\Gäste</Name></${prefix}:Member></${prefix}:UserRightsAssignment>
  </Extension><Name>${extName}</Name></ExtensionData></Computer>
</GPO>`;

  it('gives the same settings whatever the prefix and the extension name', () => {
    const a = xml(report('q1', 'Security'));
    const b = xml(report('q7', 'Sicherheit'));
    expect(a.settings).toHaveLength(1);
    expect(b.settings).toEqual(a.settings);
    expect(a.settings[0]).toMatchObject({ right: 'SeDenyNetworkLogonRight', principals: [{ sid: 'S-1-5-32-546', resolution: 'well-known-name' }] });
    expect(a.gpos[0]!.ref.id).toBe('{0F1E2D3C-AAAA-4BBB-8CCC-0123456789AB}');
  });

  it('lists extensions it does not model instead of dropping them silently', () => {
    const r = xml(`<GPO xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.microsoft.com/GroupPolicy/Settings"><Name>F</Name>
      <Computer><ExtensionData><Extension xmlns:q3="http://www.microsoft.com/GroupPolicy/Settings/WindowsFirewall" xsi:type="q3:WindowsFirewallSettings"/><Name>Windows Firewall</Name></ExtensionData></Computer></GPO>`);
    expect(r.gpos[0]!.unreadExtensions).toEqual(['Windows Firewall']);
  });
});

describe('parseGpoReport: bad input', () => {
  it.each([
    ['', 'malformed'],
    ['<GPO xmlns="http://www.microsoft.com/GroupPolicy/Settings"><Name>x</Name>', 'truncated'],
    ['<?xml version="1.0"?>\n<!DOCTYPE GPO [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n<GPO>&b;</GPO>', 'hostile'],
    ['<Rsop xmlns="http://www.microsoft.com/GroupPolicy/Rsop"/>', 'malformed'],
    ['<GPO><Name>no namespace</Name></GPO>', 'malformed'],
  ])('%j → %s, one problem, no settings', (text, code) => {
    const r = xml(text);
    expect(r.settings).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: 'r.xml', code, severity: 'error' });
  });
});

describeCorpus('parseGpoReport on real reports', () => {
  it('reads the DISA DoD banner GPO (caption and text, from a GPMC backup report)', () => {
    const r = parse(join(REALDATA, 'simeononsecurity__Standalone-Windows-STIG-Script/Files/GPOs/DoD/DoD - Banner/{2C3FC71B-6D02-4342-A231-6446F4038C96}/gpreport.xml'));
    expect(r.problems).toEqual([]);
    expect(r.gpos[0]!.ref).toEqual({ id: '{D8AFCEBE-2712-4AA1-B77F-EEEC6BD7A9CA}', domain: 'soc.lan', name: 'DoD - Banner' });
    expect(registry(r, 'LegalNoticeCaption').operation).toEqual({ op: 'set', data: { type: 'REG_SZ', value: 'US Department of Defense Warning Statement' } });
    const text = registry(r, 'LegalNoticeText').operation;
    expect(text.op === 'set' && text.data.type === 'REG_MULTI_SZ' && text.data.value[0]).toBe(
      'You are accessing a U.S. Government (USG) Information System (IS) that is provided for USG-authorized use only.',
    );
  });

  it('reads dropdown, numeric, checkbox, edit and list elements from a DISA Windows 10 report', () => {
    const r = parse(join(REALDATA, 'cloudcap10__stig-group-policy-objects/DoD Windows 10 V2R3/GPOs/{F55ED5BB-AD6E-4D34-949D-4FC120C7CAF5}/gpreport.xml'));
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const policies = r.settings.filter((s): s is AdminTemplateSetting => s.kind === 'admin-template');
    const kinds = new Set(policies.flatMap((p) => p.elements.map((e) => e.kind)));
    expect([...kinds].sort()).toEqual(['checkbox', 'dropdown', 'list', 'multitext', 'numeric', 'text']);
    expect(policies.flatMap((p) => p.elements).find((e) => e.kind === 'multitext')).toEqual({ kind: 'multitext', label: 'ECC Curve Order:', value: ['NistP384', 'NistP256'] });
    const pin = policies.flatMap((p) => p.elements).find((e) => e.label === 'Minimum PIN length');
    expect(pin).toEqual({ kind: 'numeric', label: 'Minimum PIN length', value: 6 });
    const unc = policies.flatMap((p) => p.elements).find((e) => e.kind === 'list');
    expect(unc).toMatchObject({ label: 'Hardened UNC Paths:', entries: [{ name: '\\\\*\\SYSVOL', value: 'RequireMutualAuthentication=1,RequireIntegrity=1' }, { name: '\\\\*\\NETLOGON' }] });
  });
});

describe('parseGpoReport: small reports', () => {
  const S = 'http://www.microsoft.com/GroupPolicy/Settings';
  const T = 'http://www.microsoft.com/GroupPolicy/Types';
  const A = '{AAAAAAAA-0000-4000-8000-00000000000A}';
  const one = (inner: string, name = 'G') => `<GPO xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="${S}"><Identifier><Identifier xmlns="${T}">${A}</Identifier><Domain xmlns="${T}">corp.test</Domain></Identifier><Name>${name}</Name>${inner}</GPO>`;
  const unknownExt = (name: string, ns = `urn:ext:${name}`) =>
    `<ExtensionData><Extension xmlns:q9="${ns}" xsi:type="q9:Stuff"/><Name>${name}</Name></ExtensionData>`;

  it('reads links: path, OU name, enabled and enforced, with defaults when a field is missing', () => {
    const r = xml(one('<LinksTo><SOMName>OU</SOMName><SOMPath>corp.test/OU</SOMPath><Enabled>false</Enabled><NoOverride>true</NoOverride></LinksTo><LinksTo/>'));
    expect(r.problems).toEqual([]);
    expect(r.gpos[0]!.links).toEqual([
      { somPath: 'corp.test/OU', somName: 'OU', enabled: false, noOverride: true },
      { somPath: '', enabled: true, noOverride: false },
    ]);
  });

  it('reads each side\'s Enabled flag and versions, and the GPO\'s identity', () => {
    const r = xml(one('<Computer><Enabled>false</Enabled><VersionDirectory>4</VersionDirectory><VersionSysvol>4</VersionSysvol></Computer><User><Enabled>true</Enabled></User>'));
    expect(r.gpos).toEqual([{
      ref: { id: A, domain: 'corp.test', name: 'G' },
      links: [],
      sources: [{ file: 'r.xml', format: 'gpo-report' }],
      computerEnabled: false,
      userEnabled: true,
      versions: { computer: { directory: 4, sysvol: 4 } },
      versionsLine: 1,
    }]);
  });

  it('a side in another namespace is not read; a GPO without name or sides has only its identity', () => {
    const r = xml(one(`<Computer xmlns="urn:x"><Enabled>false</Enabled></Computer>`, ''));
    expect(r.gpos).toEqual([{ ref: { id: A, domain: 'corp.test' }, links: [], sources: [{ file: 'r.xml', format: 'gpo-report' }] }]);
  });

  it('lists each unread extension once, and once per side and namespace in the file\'s source', () => {
    const r = xml(one(`<Computer>${unknownExt('Firewall')}${unknownExt('Firewall')}${unknownExt('Scripts')}</Computer><User>${unknownExt('Firewall')}</User>`));
    expect(r.gpos[0]!.unreadExtensions).toEqual(['Firewall', 'Scripts']);
    expect(r.gpos[0]!.sources).toEqual([{ file: 'r.xml', format: 'gpo-report', unreadExtensions: [
      { name: 'Firewall', namespace: 'urn:ext:Firewall', scope: 'computer' },
      { name: 'Scripts', namespace: 'urn:ext:Scripts', scope: 'computer' },
      { name: 'Firewall', namespace: 'urn:ext:Firewall', scope: 'user' },
    ] }]);
    expect(xml(one('<Computer/>')).gpos[0]!).not.toHaveProperty('unreadExtensions');
  });

  it('settings carry the GPO, side and place they came from', () => {
    const r = xml(one(`\n<Computer><ExtensionData><Extension xmlns:q1="http://www.microsoft.com/GroupPolicy/Settings/Security" xsi:type="q1:SecuritySettings">\n<q1:Audit><q1:Name>AuditLogonEvents</q1:Name><q1:SuccessAttempts>true</q1:SuccessAttempts></q1:Audit></Extension></ExtensionData></Computer>`));
    expect(r.settings).toEqual([{ kind: 'audit', name: 'AuditLogonEvents', success: true, failure: false,
      provenance: { gpo: { id: A, domain: 'corp.test', name: 'G' }, file: 'r.xml', format: 'gpo-report', position: { line: 3 } } }]);
  });

  it('the -All form reads every GPO of the settings namespace, each with its own identity, links and versions', () => {
    const r = xml(`<?xml version="1.0"?>\n<!-- <GPO> in a comment -->\n<report xmlns="${S}">\n${one('<LinksTo><SOMPath>a</SOMPath></LinksTo>', 'First')}\n<GPO xmlns="urn:x"><Name>Stranger</Name></GPO><ReadTime>2026-01-01</ReadTime>\n${one('<Computer><VersionSysvol>2</VersionSysvol></Computer>', 'Second')}</report>`);
    expect(r.problems).toEqual([]);
    expect(r.gpos.map((g) => [g.ref.name, g.links.map((l) => l.somPath), g.versions, g.versionsLine])).toEqual([
      ['First', ['a'], undefined, undefined],
      ['Second', [], { computer: { sysvol: 2 } }, 6],
    ]);
  });

  it('finds the root behind a prolog, comments, processing instructions and a namespace prefix', () => {
    const r = xml(`<?xml version="1.0"?><?pi <report>?><!-- <report> -->\n<gpo-x:report xmlns:gpo-x="${S}"><gpo-x:GPO><gpo-x:Name>P</gpo-x:Name></gpo-x:GPO></gpo-x:report>`);
    expect(r.problems).toEqual([]);
    expect(r.gpos.map((g) => g.ref.name)).toEqual(['P']);
    for (const before of ['<!-- <report> -->', '<?xml version="1.0"?><?pi\n<report> ?>']) {
      const single = xml(`${before}\n${one('', 'Single')}`);
      expect(single.problems, before).toEqual([]);
      expect(single.gpos.map((g) => g.ref.name), before).toEqual(['Single']);
    }
  });

  it('another root is an error naming it and its namespace, at its line', () => {
    expect(xml('<?xml version="1.0"?>\n<Rsop xmlns="http://www.microsoft.com/GroupPolicy/Rsop"/>').problems).toEqual([{
      file: 'r.xml', position: { line: 2 }, code: 'malformed', severity: 'error',
      message: 'expected a <GPO> or <report> root in namespace http://www.microsoft.com/GroupPolicy/Settings, found <Rsop> (http://www.microsoft.com/GroupPolicy/Rsop)',
    }]);
    expect(xml(`<Policy xmlns="${S}"><Name>x</Name></Policy>`).problems.map((p) => p.message)).toEqual([
      'expected a <GPO> or <report> root in namespace http://www.microsoft.com/GroupPolicy/Settings, found <Policy> (http://www.microsoft.com/GroupPolicy/Settings)',
    ]);
    expect(xml('<GPO><Name>x</Name></GPO>').problems.map((p) => p.message)).toEqual([
      'expected a <GPO> or <report> root in namespace http://www.microsoft.com/GroupPolicy/Settings, found <GPO> (no namespace)',
    ]);
  });

  it('the GPO\'s own permissions are read while other security descriptors are skipped', () => {
    const sd = (ns: string) => `<SecurityDescriptor xmlns="${ns}"><Permissions xmlns="http://www.microsoft.com/GroupPolicy/Types/Security"><TrusteePermissions><Trustee><SID xmlns="${T}">S-1-5-11</SID></Trustee><Type><PermissionType>Allow</PermissionType></Type><Standard><GPOGroupedAccessEnum>Apply Group Policy</GPOGroupedAccessEnum></Standard></TrusteePermissions></Permissions></SecurityDescriptor>`;
    expect(xml(one(sd(S))).gpos[0]!.permissions).toEqual([{ sid: 'S-1-5-11', type: 'allow', access: 'Apply Group Policy', read: true, applyGroupPolicy: true }]);
    expect(xml(one(sd('urn:other'))).gpos[0]!.permissions).toBeUndefined();
  });
});
