import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/pipeline/detect.js';
import { walkInputs } from '../../src/pipeline/walk.js';
import { type InputUnit } from '../../src/model/unit.js';

const u8 = (s: string) => Buffer.from(s, 'utf8');
const u16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);

describe('detectFormat: content decides, not the file name', () => {
  it.each([
    [u8('PReg\x01\x00\x00\x00'), 'anything.bin', { kind: 'supported', format: 'registry-pol' }],
    [u16('<?xml version="1.0" encoding="utf-16"?>\r\n<GPO xmlns="http://www.microsoft.com/GroupPolicy/Settings"/>'), 'x.txt', { kind: 'supported', format: 'gpo-report' }],
    [u8('<!-- c --><report xmlns="http://www.microsoft.com/GroupPolicy/Settings">'), 'all.xml', { kind: 'supported', format: 'gpo-report' }],
    [u8('<Rsop xmlns="http://www.microsoft.com/GroupPolicy/Rsop">'), 'r.xml', { kind: 'supported', format: 'rsop' }],
    [u16('[Unicode]\r\nUnicode=yes\r\n[Privilege Rights]\r\n'), 'secpol.cfg', { kind: 'supported', format: 'security-template' }],
    [u8('[General]\r\nVersion=3\r\n'), 'GPT.INI', { kind: 'supported', format: 'gpt-ini' }],
    [u8('<RegistrySettings clsid="{A3CCFC41-DFDB-43a5-8D26-0FE8B954DA51}">'), 'r.xml', { kind: 'supported', format: 'gpp-registry' }],
    [u8('<PowerOptions clsid="{7B0F9381-C3B8-4525-8167-87349B671D94}">'), 'p.xml', { kind: 'supported', format: 'gpp-power' }],
  ])('%#: recognises a supported format', (bytes, name, expected) => {
    expect(detectFormat(bytes, name)).toEqual(expected);
  });

  it.each([
    [u8('<html><body>GPO report</body></html>'), 'HTML report'],
    [u8('<Printers clsid="{1F577D12-3D1B-471e-A1B7-060317597B9C}">'), 'Group Policy Preferences Printers items'],
    [u8('<SomethingNew clsid="{00000000-0000-0000-0000-000000000000}">'), 'Group Policy Preferences SomethingNew items'],
    [u8('Machine Name,Policy Target,Subcategory,Subcategory GUID\r\n'), 'advanced audit policy (audit.csv)'],
    [u8('dn: CN=x,DC=example,DC=test\nobjectClass: user\n'), 'LDIF directory export'],
    [u8('PK\x03\x04rest'), 'zip archive'],
  ])('%#: recognises an unsupported kind and says what it is', (bytes, what) => {
    expect(detectFormat(bytes, 'f')).toMatchObject({ kind: 'unsupported', what });
  });

  it('calls empty, binary and foreign files unknown, with a reason', () => {
    expect(detectFormat(new Uint8Array(), 'f')).toEqual({ kind: 'unknown', why: 'the file is empty' });
    expect(detectFormat(Uint8Array.from([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]), 'f')).toMatchObject({ kind: 'unknown' });
    expect(detectFormat(u8('<project><modelVersion/></project>'), 'pom.xml')).toEqual({ kind: 'unknown', why: 'XML with root <project> is not a Group Policy export gpaudit reads' });
  });
});

describe('walkInputs: folder layouts', () => {
  const root = mkdtempSync(join(tmpdir(), 'gpaudit-walk-'));
  const put = (rel: string, text = 'x') => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  put('backups/manifest.xml');
  put('backups/{11111111-1111-1111-1111-111111111111}/bkupInfo.xml');
  put('backups/{11111111-1111-1111-1111-111111111111}/DomainSysvol/GPO/Machine/registry.pol');
  put('backups/{11111111-1111-1111-1111-111111111111}/DomainSysvol/GPO/User/Registry.pol');
  put('Policies/{22222222-2222-2222-2222-222222222222}/GPT.INI');
  put('Policies/{22222222-2222-2222-2222-222222222222}/MACHINE/Registry.pol');
  put('Policies/{33333333-3333-3333-3333-333333333333}/User/Preferences/Registry/Registry.xml');
  put('loose/registry.pol');

  const units = [...walkInputs([root], { cwd: root })].map((i) => ('unit' in i ? i.unit : undefined)).filter((u): u is InputUnit => !!u);

  it('makes one unit per backup and per SYSVOL GPO folder, and skips the redundant manifest', () => {
    // Folders are walked in code-point order, so the result is the same on every machine.
    expect(units.map((u) => [u.kind, u.display, u.gpo?.id])).toEqual([
      ['sysvol-gpo', 'Policies/{22222222-2222-2222-2222-222222222222}', '{22222222-2222-2222-2222-222222222222}'],
      ['sysvol-gpo', 'Policies/{33333333-3333-3333-3333-333333333333}', '{33333333-3333-3333-3333-333333333333}'],
      ['backup', 'backups/{11111111-1111-1111-1111-111111111111}', undefined],
      ['file', 'loose/registry.pol', undefined],
    ]);
  });

  it('takes the hive from Machine/MACHINE/User folders whatever their case', () => {
    const hives = units.flatMap((u) => u.files.map((f) => [f.display.replace(/\\/g, '/'), f.hive ?? null]));
    expect(hives).toEqual([
      ['Policies/{22222222-2222-2222-2222-222222222222}/GPT.INI', null],
      ['Policies/{22222222-2222-2222-2222-222222222222}/MACHINE/Registry.pol', 'HKLM'],
      ['Policies/{33333333-3333-3333-3333-333333333333}/User/Preferences/Registry/Registry.xml', 'HKCU'],
      ['backups/{11111111-1111-1111-1111-111111111111}/DomainSysvol/GPO/Machine/registry.pol', 'HKLM'],
      ['backups/{11111111-1111-1111-1111-111111111111}/DomainSysvol/GPO/User/Registry.pol', 'HKCU'],
      ['backups/{11111111-1111-1111-1111-111111111111}/bkupInfo.xml', null],
      ['loose/registry.pol', null],
    ]);
  });

  it('applies --hive to a loose Registry.pol', () => {
    const [item] = [...walkInputs([join(root, 'loose/registry.pol')], { cwd: root, hive: 'HKCU' })];
    expect(item && 'unit' in item && item.unit.files[0]).toMatchObject({ hive: 'HKCU', scope: 'user', explicit: true });
  });
});
