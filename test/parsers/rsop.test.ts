import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RegistrySetting } from '../../src/model/settings.js';
import { parseRsop } from '../../src/parsers/rsop.js';
import { describeCorpus, REALDATA } from '../helpers/realdata.js';

const parse = (path: string) => parseRsop(readFileSync(path), { file: path });

describe('parseRsop on the broken sample', () => {
  const r = parse('samples/broken/rsop/gpresult-WSAMZN-0001.xml');
  const ws = { id: '{6E4D2A10-B001-4C1A-9A5E-2F60C1D0A001}', domain: 'corp.example.test', name: 'WorkSpaces - Logon Security' };
  const ddp = { id: '{31B2F340-016D-11D2-945F-00C04FB984F9}', domain: 'corp.example.test', name: 'Default Domain Policy' };

  it('lists applied and filtered-out GPOs', () => {
    expect(r.problems).toEqual([]);
    expect(r.gpos.map((g) => [g.ref.name, g.rsop?.computer?.applied, g.links[0]?.appliedOrder])).toEqual([
      ['Default Domain Policy', true, 1],
      ['WorkSpaces - Logon Security', true, 2],
      ['Old Kiosk Lockdown', false, 0],
    ]);
    expect(r.gpos[2]!.rsop).toEqual({ computer: { applied: false, filterAllowed: false, accessDenied: false, isValid: true } });
  });

  it('names the winning GPO and the precedence of every setting', () => {
    const dont = r.settings.filter((s): s is RegistrySetting => s.kind === 'registry' && s.valueName === 'DontDisplayLastUserName');
    expect(dont.map((s) => [s.provenance.gpo, s.provenance.rsop, s.operation])).toEqual([
      [ws, { precedence: 1, winner: true }, { op: 'set', data: { type: 'REG_DWORD', value: 0 } }],
      [ddp, { precedence: 2, winner: false }, { op: 'set', data: { type: 'REG_DWORD', value: 1 } }],
    ]);
    expect(dont[0]!.provenance.position).toEqual({ line: 86 });
  });

  it('reads rights and administrative templates under their GPO', () => {
    expect(r.settings.find((s) => s.kind === 'privilege-right')).toMatchObject({
      right: 'SeNetworkLogonRight',
      principals: [{ sid: 'S-1-5-32-544' }, { rid: 515 }],
      provenance: { gpo: ws, rsop: { precedence: 1, winner: true }, format: 'rsop' },
    });
    expect(r.settings.filter((s) => s.kind === 'admin-template').map((s) => s.kind === 'admin-template' && [s.displayName, s.state, s.elements])).toEqual([
      ['Hide entry points for Fast User Switching', 'enabled', []],
      ['Turn off Windows Installer', 'enabled', [{ kind: 'dropdown', label: 'Disable Windows Installer', value: 'For non-managed applications only' }]],
    ]);
  });

  it('refuses a GPO report handed in as RSoP', () => {
    const wrong = parseRsop(readFileSync('samples/broken/gpo-report/All-GPOs.xml'), { file: 'x.xml' });
    expect(wrong.problems).toMatchObject([{ code: 'malformed', message: expect.stringContaining('expected an <Rsop> root') }]);
  });
});

describeCorpus('parseRsop on real gpresult output', () => {
  it('reads a domain controller RSoP (zh-CN-free, English lab domain)', () => {
    const r = parse(join(REALDATA, 'laymanstake__laymanstake/rsop.xml'));
    expect(r.problems).toEqual([]);
    expect(r.gpos.map((g) => [g.ref.name, g.rsop?.computer?.applied])).toEqual([
      ['Local Group Policy', false],
      ['Default Domain Policy', true],
      ['Default Domain Controllers Policy', true],
    ]);
    const machineAccount = r.settings.find((s) => s.kind === 'privilege-right' && s.right === 'SeMachineAccountPrivilege');
    expect(machineAccount).toMatchObject({
      principals: [{ sid: 'S-1-5-11', name: 'Authenticated Users', resolution: 'well-known-name' }],
      provenance: { gpo: { name: 'Default Domain Controllers Policy', id: '{6AC1786C-016F-11D2-945F-00C04FB984F9}' }, rsop: { precedence: 1, winner: true } },
    });
    expect(r.settings.length).toBe(46);
  });
});

describe('parseRsop: small gpresult documents', () => {
  const T = 'http://www.microsoft.com/GroupPolicy/Types';
  const A = '{AAAAAAAA-0000-4000-8000-00000000000A}';
  const B = '{BBBBBBBB-0000-4000-8000-00000000000B}';
  const rsop = (body: string) => parseRsop(Buffer.from(`<?xml version="1.0"?>
<Rsop xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.microsoft.com/GroupPolicy/Rsop">
${body}
</Rsop>`, 'utf8'), { file: 'rsop.xml' });
  const gpo = (id: string, name: string, extra: string) =>
    `<GPO><Name>${name}</Name><Path><Identifier xmlns="${T}">${id}</Identifier><Domain xmlns="${T}">corp.test</Domain></Path>${extra}</GPO>`;
  const link = (applied: string, more = '') => `<Link><SOMPath>corp.test/OU</SOMPath><AppliedOrder>${applied}</AppliedOrder>${more}</Link>`;
  const by = (id: string, precedence?: string) =>
    `<GPO xmlns="http://www.microsoft.com/GroupPolicy/Settings/Base"><Identifier xmlns="${T}">${id}</Identifier></GPO>`
    + (precedence === undefined ? '' : `<Precedence xmlns="http://www.microsoft.com/GroupPolicy/Settings/Base">${precedence}</Precedence>`);
  const audit = (origin: string, name: string) => `<ExtensionData><Extension xmlns:q1="http://www.microsoft.com/GroupPolicy/Settings/Security" xsi:type="q1:SecuritySettings" xmlns="http://www.microsoft.com/GroupPolicy/Settings">
<q1:Audit>${origin}<q1:Name>${name}</q1:Name><q1:SuccessAttempts>true</q1:SuccessAttempts></q1:Audit></Extension></ExtensionData>`;
  const unknownExt = (name: string, inside: string) =>
    `<ExtensionData><Extension xmlns:q9="urn:ext:${name}" xsi:type="q9:Stuff" xmlns="http://www.microsoft.com/GroupPolicy/Settings"><q9:Item>${inside}</q9:Item></Extension><Name>${name}</Name></ExtensionData>`;

  it('reads a link\'s order, path and flags, with defaults where gpresult leaves them out', () => {
    const r = rsop(`<ComputerResults>${gpo(A, 'A', link('3', '<LinkOrder>2</LinkOrder><Enabled>false</Enabled><NoOverride>true</NoOverride>') + '<Link/>')}</ComputerResults>`);
    expect(r.problems).toEqual([]);
    expect(r.gpos[0]!.links).toEqual([
      { somPath: 'corp.test/OU', enabled: false, noOverride: true, appliedOrder: 3, linkOrder: 2 },
      { somPath: '', enabled: true, noOverride: false, appliedOrder: 0 },
    ]);
  });

  it('a GPO applied only when a link has an applied order and no filter, access or validity check failed', () => {
    const r = rsop(`<ComputerResults>${[
      gpo(A, 'applied', link('1') + '<FilterAllowed>true</FilterAllowed><AccessDenied>false</AccessDenied><IsValid>true</IsValid><Enabled>true</Enabled>'),
      gpo(A, 'not linked in order', link('0')),
      gpo(A, 'filtered', link('1') + '<FilterAllowed>false</FilterAllowed>'),
      gpo(A, 'denied', link('1') + '<AccessDenied>true</AccessDenied>'),
      gpo(A, 'invalid', link('1') + '<IsValid>false</IsValid>'),
      gpo(A, 'disabled', link('1') + '<Enabled>false</Enabled>'),
      gpo(A, 'no flags', link('1')),
      gpo(A, 'no links', ''),
    ].join('')}</ComputerResults>`);
    expect(r.gpos.map((g) => [g.ref.name, g.rsop])).toEqual([
      ['applied', { computer: { applied: true, filterAllowed: true, accessDenied: false, isValid: true } }],
      ['not linked in order', { computer: { applied: false } }],
      ['filtered', { computer: { applied: false, filterAllowed: false } }],
      ['denied', { computer: { applied: false, accessDenied: true } }],
      ['invalid', { computer: { applied: false, isValid: false } }],
      ['disabled', { computer: { applied: false } }],
      ['no flags', { computer: { applied: true } }],
      ['no links', { computer: { applied: false } }],
    ]);
  });

  it('names each GPO with its GUID, domain and name; a name that is only its GUID (in any case) is no name', () => {
    const r = rsop(`<UserResults>${gpo(A, 'Named', '') + gpo(B, B.toLowerCase(), '')}</UserResults>`);
    expect(r.gpos).toEqual([
      { ref: { id: A, domain: 'corp.test', name: 'Named' }, links: [], rsop: { user: { applied: false } }, sources: [{ file: 'rsop.xml', format: 'rsop' }] },
      { ref: { id: B, domain: 'corp.test' }, links: [], rsop: { user: { applied: false } }, sources: [{ file: 'rsop.xml', format: 'rsop' }] },
    ]);
  });

  it('a setting names its GPO from the list (with the name), its precedence, and whether it won', () => {
    const r = rsop(`<UserResults>${gpo(A, 'GPO A', link('1'))}${audit(by(A.toLowerCase(), '1'), 'AuditA')}${audit(by(B, '2'), 'AuditB')}${audit(by(A), 'AuditNoPrecedence')}</UserResults>`);
    expect(r.problems).toEqual([]);
    expect(r.settings.map((s) => [s.kind === 'audit' && s.name, s.provenance.gpo, s.provenance.rsop, s.provenance.format, s.provenance.file])).toEqual([
      ['AuditA', { id: A, domain: 'corp.test', name: 'GPO A' }, { precedence: 1, winner: true }, 'rsop', 'rsop.xml'],
      ['AuditB', { id: B }, { precedence: 2, winner: false }, 'rsop', 'rsop.xml'],
      ['AuditNoPrecedence', { id: A, domain: 'corp.test', name: 'GPO A' }, { precedence: 1, winner: true }, 'rsop', 'rsop.xml'],
    ]);
  });

  it('reads the computer and the user half, each under its own scope', () => {
    const r = rsop(`<ComputerResults>${gpo(A, 'A', link('1'))}</ComputerResults><UserResults>${gpo(B, 'B', link('1'))}</UserResults>`);
    expect(r.gpos.map((g) => [g.ref.name, g.rsop])).toEqual([['A', { computer: { applied: true } }], ['B', { user: { applied: true } }]]);
  });

  it('an unread extension belongs to the GPOs it names, or to every GPO when it names none of the list', () => {
    const r = rsop(`<ComputerResults>${gpo(A, 'A', link('1'))}${gpo(B, 'B', link('2'))}`
      + `${unknownExt('OnlyA', by(A.toLowerCase()))}${unknownExt('Anyone', '')}${unknownExt('Stranger', by('{CCCCCCCC-0000-4000-8000-00000000000C}'))}</ComputerResults>`);
    expect(r.gpos.map((g) => [g.ref.name, g.unreadExtensions, g.sources[0]!.unreadExtensions])).toEqual([
      ['A', ['OnlyA', 'Anyone', 'Stranger'], [
        { name: 'OnlyA', namespace: 'urn:ext:OnlyA', scope: 'computer' },
        { name: 'Anyone', namespace: 'urn:ext:Anyone', scope: 'computer' },
        { name: 'Stranger', namespace: 'urn:ext:Stranger', scope: 'computer' },
      ]],
      ['B', ['Anyone', 'Stranger'], [
        { name: 'Anyone', namespace: 'urn:ext:Anyone', scope: 'computer' },
        { name: 'Stranger', namespace: 'urn:ext:Stranger', scope: 'computer' },
      ]],
    ]);
  });

  it('a GPO without an identifier gets only the extensions that name no GPO of the list', () => {
    const r = rsop(`<ComputerResults>${gpo(A, 'A', '')}<GPO><Name>Local Group Policy</Name></GPO>${unknownExt('OnlyA', by(A))}${unknownExt('Anyone', '')}</ComputerResults>`);
    expect(r.gpos.map((g) => [g.ref.name, g.unreadExtensions])).toEqual([['A', ['OnlyA', 'Anyone']], ['Local Group Policy', ['Anyone']]]);
  });

  it('an unread extension met twice is listed once', () => {
    const r = rsop(`<ComputerResults>${gpo(A, 'A', '')}${unknownExt('Twice', by(A))}${unknownExt('Twice', by(A))}</ComputerResults>`);
    expect(r.gpos[0]!.unreadExtensions).toEqual(['Twice']);
    expect(r.gpos[0]!.sources[0]!.unreadExtensions).toEqual([{ name: 'Twice', namespace: 'urn:ext:Twice', scope: 'computer' }]);
  });

  it('a GPO that no unread extension concerns lists none', () => {
    const r = rsop(`<ComputerResults>${gpo(A, 'A', '')}${gpo(B, 'B', '')}${unknownExt('OnlyA', by(A))}</ComputerResults>`);
    expect(r.gpos[1]!).not.toHaveProperty('unreadExtensions');
    expect(r.gpos[1]!.sources[0]!).not.toHaveProperty('unreadExtensions');
  });

  it('another root, or <Rsop> in another namespace, is an error naming what was found, at its line', () => {
    const other = parseRsop(Buffer.from('<?xml version="1.0"?>\n<GPO xmlns="http://www.microsoft.com/GroupPolicy/Rsop"/>'), { file: 'x.xml' });
    expect(other.problems).toEqual([{ file: 'x.xml', position: { line: 2 }, code: 'malformed', severity: 'error', message: 'expected an <Rsop> root in namespace http://www.microsoft.com/GroupPolicy/Rsop, found <GPO>' }]);
    const noNs = parseRsop(Buffer.from('<Rsop/>'), { file: 'x.xml' });
    expect(noNs.problems.map((p) => p.message)).toEqual(['expected an <Rsop> root in namespace http://www.microsoft.com/GroupPolicy/Rsop, found <Rsop>']);
    expect(noNs.gpos).toEqual([]);
  });

  it('results in another namespace are not read', () => {
    expect(rsop(`<ComputerResults xmlns="urn:x">${gpo(A, 'A', '')}</ComputerResults>`).gpos).toEqual([]);
  });
});
