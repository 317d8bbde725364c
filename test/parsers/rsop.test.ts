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
