import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../src/model/parse-result.js';
import type { PowerPlanSetting, RegistrySetting } from '../../src/model/settings.js';
import { parseGppPowerOptions } from '../../src/parsers/gpp-power.js';
import { parseGppRegistry } from '../../src/parsers/gpp-registry.js';
import { corpusFiles, describeCorpus, REALDATA } from '../helpers/realdata.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
/** One string per line, so a test can name the line an item starts on by its index + 1. */
const xml = (lines: string[]) => utf8(lines.join('\r\n'));
const ctx = { file: 'Registry.xml' };

const REG = 'clsid="{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}"';
const COLL = 'clsid="{53B533F5-224C-47e3-B01B-CA3B3F3FF4BF}"';
const prefs = (overrides: Partial<{ itemName: string; action: string; conditional: boolean; disabled: boolean; collections: string[] }>) => ({
  itemName: '', action: 'update', conditional: false, disabled: false, collections: [], ...overrides,
});

function registrySettings(result: ParseResult): RegistrySetting[] {
  return result.settings.filter((s): s is RegistrySetting => s.kind === 'registry');
}
function powerSettings(result: ParseResult): PowerPlanSetting[] {
  return result.settings.filter((s): s is PowerPlanSetting => s.kind === 'power-plan');
}
/** The fields a rule reads, without provenance noise; line kept separately. */
function summary(s: RegistrySetting) {
  const position = s.provenance.position;
  return { hive: s.hive, key: s.key, valueName: s.valueName, operation: s.operation, preference: s.preference, line: 'line' in position ? position.line : undefined };
}

describe('parseGppRegistry: value types', () => {
  const result = parseGppRegistry(xml([
    '<?xml version="1.0" encoding="utf-8"?>',
    '<RegistrySettings clsid="{A3CCFC41-DFDB-43a5-8D26-0FE8B954DA51}">',
    `<Registry ${REG} name="Caption" image="7"><Properties action="U" displayDecimal="0" default="0" hive="HKEY_LOCAL_MACHINE" key="Software\\Example" name="Caption" type="REG_SZ" value="Hello &amp; welcome"/></Registry>`,
    `<Registry ${REG} name="Path" image="7"><Properties action="U" hive="HKEY_CURRENT_USER" key="Environment" name="ToolPath" type="REG_EXPAND_SZ" value="%ProgramFiles%\\Tool"/></Registry>`,
    `<Registry ${REG} name="Timeout" image="12"><Properties action="U" displayDecimal="1" default="0" hive="HKEY_LOCAL_MACHINE" key="Software\\Example" name="Timeout" type="REG_DWORD" value="00000168"/></Registry>`,
    `<Registry ${REG} name="Short" image="12"><Properties action="U" displayDecimal="0" hive="HKEY_LOCAL_MACHINE" key="Software\\Example" name="Short" type="REG_DWORD" value="1a"/></Registry>`,
    `<Registry ${REG} name="Max" image="12"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\Example" name="Max" type="REG_DWORD" value="FFFFFFFF"/></Registry>`,
    `<Registry ${REG} name="Big" image="17"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\Example" name="Big" type="REG_QWORD" value="FFFFFFFFFFFFFFFF"/></Registry>`,
    `<Registry ${REG} name="Quota" image="17"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\Example" name="Quota" type="REG_QWORD" value="0000000100000000"/></Registry>`,
    `<Registry ${REG} name="Servers" image="7">`,
    '  <Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\Example" name="Servers" type="REG_MULTI_SZ" value="alpha beta gamma">',
    '    <Values><Value>alpha beta</Value><Value>gamma</Value></Values>',
    '  </Properties>',
    '</Registry>',
    `<Registry ${REG} name="Single" image="7"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\Example" name="Single" type="REG_MULTI_SZ" value="only one"/></Registry>`,
    `<Registry ${REG} name="Blob" image="17"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\Example" name="Blob" type="REG_BINARY" value="01ABff00"/></Registry>`,
    `<Registry ${REG} name="(Default)" image="7"><Properties action="U" displayDecimal="0" default="1" hive="HKEY_LOCAL_MACHINE" key="Software\\Example\\Handler" name="" type="REG_SZ" value="handler.exe"/></Registry>`,
    '</RegistrySettings>',
  ]), ctx);
  const byLine = new Map(registrySettings(result).map((s) => [summary(s).line, s]));
  const setData = (line: number) => {
    const op = byLine.get(line)?.operation;
    return op?.op === 'set' ? op.data : op;
  };

  it('reads every item without problems', () => {
    expect(result.problems).toEqual([]);
    expect(result.format).toBe('gpp-registry');
    expect([...byLine.keys()]).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 15, 16, 17]);
  });
  it('keeps strings as written (entities decoded)', () => {
    expect(summary(byLine.get(3)!)).toEqual({
      hive: 'HKLM', key: 'Software\\Example', valueName: 'Caption',
      operation: { op: 'set', data: { type: 'REG_SZ', value: 'Hello & welcome' } },
      preference: prefs({ itemName: 'Caption' }), line: 3,
    });
    expect(byLine.get(4)).toMatchObject({ hive: 'HKCU', key: 'Environment', valueName: 'ToolPath' });
    expect(setData(4)).toEqual({ type: 'REG_EXPAND_SZ', value: '%ProgramFiles%\\Tool' });
  });
  it('reads REG_DWORD as hex whatever displayDecimal says, 8 digits or fewer', () => {
    expect(setData(5)).toEqual({ type: 'REG_DWORD', value: 360 });
    expect(setData(6)).toEqual({ type: 'REG_DWORD', value: 26 });
    expect(setData(7)).toEqual({ type: 'REG_DWORD', value: 4294967295 });
  });
  it('reads REG_QWORD as an exact decimal string', () => {
    expect(setData(8)).toEqual({ type: 'REG_QWORD', value: '18446744073709551615' });
    expect(setData(9)).toEqual({ type: 'REG_QWORD', value: '4294967296' });
  });
  it('takes REG_MULTI_SZ from <Values>, or the whole value attribute as one string when there are none', () => {
    expect(setData(10)).toEqual({ type: 'REG_MULTI_SZ', value: ['alpha beta', 'gamma'] });
    expect(setData(15)).toEqual({ type: 'REG_MULTI_SZ', value: ['only one'] });
  });
  it('lower-cases REG_BINARY hex', () => {
    expect(setData(16)).toEqual({ type: 'REG_BINARY', value: '01abff00' });
  });
  it('maps default="1" to the (Default) value, named by the empty string', () => {
    expect(byLine.get(17)).toMatchObject({ key: 'Software\\Example\\Handler', valueName: '' });
    expect(setData(17)).toEqual({ type: 'REG_SZ', value: 'handler.exe' });
  });
  it('records the file, format and line in provenance', () => {
    expect(byLine.get(10)!.provenance).toEqual({ gpo: {}, file: 'Registry.xml', format: 'gpp-registry', position: { line: 10 } });
  });
});

describe('parseGppRegistry: actions, collections, targeting, disabled', () => {
  const result = parseGppRegistry(xml([
    '<RegistrySettings clsid="{A3CCFC41-DFDB-43a5-8D26-0FE8B954DA51}">',
    `<Registry ${REG} name="Create"><Properties action="C" hive="HKEY_LOCAL_MACHINE" key="Software\\A" name="One" type="REG_DWORD" value="00000001"/></Registry>`,
    `<Registry ${REG} name="Replace"><Properties action="R" hive="HKEY_LOCAL_MACHINE" key="Software\\A" name="Two" type="REG_DWORD" value="00000002"/></Registry>`,
    `<Registry ${REG} name="Update"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\A" name="Three" type="REG_DWORD" value="00000003"/></Registry>`,
    `<Registry ${REG} name="Delete"><Properties action="D" hive="HKEY_LOCAL_MACHINE" key="Software\\A" name="Four" type="REG_DWORD" value=""/></Registry>`,
    `<Collection ${COLL} name="Outer">`,
    `  <Collection ${COLL} name="Inner">`,
    `    <Registry ${REG} name="Nested"><Properties action="U" hive="HKEY_CURRENT_USER" key="Software\\B" name="Deep" type="REG_SZ" value="x"/></Registry>`,
    '  </Collection>',
    `  <Collection ${COLL} name="Off" disabled="1">`,
    `    <Registry ${REG} name="InDisabled"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\B" name="Off" type="REG_SZ" value="y"/></Registry>`,
    '  </Collection>',
    `  <Collection ${COLL} name="Targeted">`,
    '    <Filters><FilterComputer bool="AND" not="0" type="NETBIOS" name="WS01"/></Filters>',
    `    <Registry ${REG} name="InTargeted"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\B" name="Aimed" type="REG_SZ" value="z"/></Registry>`,
    '  </Collection>',
    '</Collection>',
    `<Registry ${REG} name="SelfDisabled" disabled="1"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\C" name="D" type="REG_SZ" value=""/></Registry>`,
    `<Registry ${REG} name="SelfTargeted"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\C" name="T" type="REG_SZ" value=""/><Filters><FilterOs hidden="1" not="0" bool="AND" class="NT" version="WIN10" type="NE" edition="NE" sp="NE"/></Filters></Registry>`,
    `<Registry ${REG} name="EmptyFilters"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\C" name="E" type="REG_SZ" value=""/><Filters/></Registry>`,
    `<Registry ${REG} name="Key" image="2"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\Made" type="" name="" value=""/></Registry>`,
    `<Registry ${REG} name="KeyGone" image="2"><Properties action="D" hive="HKEY_LOCAL_MACHINE" key="Software\\Example\\Old" type="" name="" value=""/></Registry>`,
    '</RegistrySettings>',
  ]), ctx);
  const all = registrySettings(result).map(summary);

  it('reads everything without problems', () => {
    expect(result.problems).toEqual([]);
    expect(all.map((s) => s.line)).toEqual([2, 3, 4, 5, 8, 11, 15, 18, 19, 20, 21, 22]);
  });
  it('maps C/R/U/D to create/replace/update/delete; D deletes the value', () => {
    expect(all.slice(0, 4)).toEqual([
      { hive: 'HKLM', key: 'Software\\A', valueName: 'One', operation: { op: 'set', data: { type: 'REG_DWORD', value: 1 } }, preference: prefs({ itemName: 'Create', action: 'create' }), line: 2 },
      { hive: 'HKLM', key: 'Software\\A', valueName: 'Two', operation: { op: 'set', data: { type: 'REG_DWORD', value: 2 } }, preference: prefs({ itemName: 'Replace', action: 'replace' }), line: 3 },
      { hive: 'HKLM', key: 'Software\\A', valueName: 'Three', operation: { op: 'set', data: { type: 'REG_DWORD', value: 3 } }, preference: prefs({ itemName: 'Update', action: 'update' }), line: 4 },
      { hive: 'HKLM', key: 'Software\\A', valueName: 'Four', operation: { op: 'delete' }, preference: prefs({ itemName: 'Delete', action: 'delete' }), line: 5 },
    ]);
  });
  it('names enclosing collections outermost first and inherits their disabled and targeting flags', () => {
    expect(all[4]).toEqual({ hive: 'HKCU', key: 'Software\\B', valueName: 'Deep', operation: { op: 'set', data: { type: 'REG_SZ', value: 'x' } }, preference: prefs({ itemName: 'Nested', collections: ['Outer', 'Inner'] }), line: 8 });
    expect(all[5]!.preference).toEqual(prefs({ itemName: 'InDisabled', disabled: true, collections: ['Outer', 'Off'] }));
    expect(all[6]!.preference).toEqual(prefs({ itemName: 'InTargeted', conditional: true, collections: ['Outer', 'Targeted'] }));
  });
  it('flags the item\'s own disabled="1" and non-empty Filters, and keeps them in the output', () => {
    expect(all[7]!.preference).toEqual(prefs({ itemName: 'SelfDisabled', disabled: true }));
    expect(all[8]!.preference).toEqual(prefs({ itemName: 'SelfTargeted', conditional: true }));
    expect(all[9]!.preference).toEqual(prefs({ itemName: 'EmptyFilters' }));
  });
  it('turns a key item into create-key, and a deleted one into delete-keys on its parent', () => {
    expect(all[10]).toMatchObject({ hive: 'HKLM', key: 'Software\\Made', valueName: '', operation: { op: 'create-key' }, line: 21 });
    expect(all[11]).toMatchObject({ hive: 'HKLM', key: 'Software\\Example', valueName: '', operation: { op: 'delete-keys', keys: ['Old'] }, line: 22 });
  });
});

describe('parseGppRegistry: skipped items', () => {
  const result = parseGppRegistry(xml([
    '<RegistrySettings>',
    `<Registry ${REG} name="Users"><Properties action="U" hive="HKEY_USERS" key=".DEFAULT\\Software" name="X" type="REG_SZ" value="1"/></Registry>`,
    `<Registry ${REG} name="Classes"><Properties action="U" hive="HKEY_CLASSES_ROOT" key=".txt" name="" default="1" type="REG_SZ" value="txtfile"/></Registry>`,
    `<Registry ${REG} name="Bare"/>`,
    `<Registry ${REG} name="BadDword"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\A" name="N" type="REG_DWORD" value="123456789"/></Registry>`,
    `<Registry ${REG} name="NotHex"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\A" name="N" type="REG_QWORD" value="12g4"/></Registry>`,
    `<Registry ${REG} name="OddBinary"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\A" name="N" type="REG_BINARY" value="abc"/></Registry>`,
    `<Registry ${REG} name="Strange"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\A" name="N" type="REG_NONE" value=""/></Registry>`,
    `<Registry ${REG} name="Verb"><Properties action="X" hive="HKEY_LOCAL_MACHINE" key="Software\\A" name="N" type="REG_SZ" value=""/></Registry>`,
    '<Shortcut name="misplaced"/>',
    `<Registry ${REG} name="Good"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="Software\\A" name="Kept" type="REG_SZ" value="yes"/></Registry>`,
    '</RegistrySettings>',
  ]), ctx);

  it('warns with the line and reason for each unreadable item and keeps the rest', () => {
    expect(result.problems.map((p) => [p.severity, p.code, p.position, p.message])).toEqual([
      ['warning', 'skipped-entry', { line: 2 }, '<Registry> "Users" skipped: hive "HKEY_USERS" is not HKEY_LOCAL_MACHINE or HKEY_CURRENT_USER'],
      ['warning', 'skipped-entry', { line: 3 }, '<Registry> "Classes" skipped: hive "HKEY_CLASSES_ROOT" is not HKEY_LOCAL_MACHINE or HKEY_CURRENT_USER'],
      ['warning', 'skipped-entry', { line: 4 }, '<Registry> "Bare" skipped: it has no <Properties>'],
      ['warning', 'skipped-entry', { line: 5 }, '<Registry> "BadDword" skipped: REG_DWORD value "123456789" is not 1 to 8 hex digits'],
      ['warning', 'skipped-entry', { line: 6 }, '<Registry> "NotHex" skipped: REG_QWORD value "12g4" is not 1 to 16 hex digits'],
      ['warning', 'skipped-entry', { line: 7 }, '<Registry> "OddBinary" skipped: REG_BINARY value "abc" is not a whole number of hex bytes'],
      ['warning', 'skipped-entry', { line: 8 }, '<Registry> "Strange" skipped: value type "REG_NONE" is not one GPP writes (REG_SZ, REG_EXPAND_SZ, REG_DWORD, REG_QWORD, REG_MULTI_SZ, REG_BINARY)'],
      ['warning', 'skipped-entry', { line: 9 }, '<Registry> "Verb" skipped: unknown action "X" (expected C, R, U or D)'],
      ['warning', 'skipped-entry', { line: 10 }, 'unknown element <Shortcut> in RegistrySettings skipped'],
    ]);
    expect(result.problems.every((p) => p.file === 'Registry.xml')).toBe(true);
    expect(registrySettings(result).map(summary)).toEqual([
      { hive: 'HKLM', key: 'Software\\A', valueName: 'Kept', operation: { op: 'set', data: { type: 'REG_SZ', value: 'yes' } }, preference: prefs({ itemName: 'Good' }), line: 11 },
    ]);
  });
});

describe('parseGppRegistry: files that cannot be read', () => {
  const only = (result: ParseResult) => {
    expect(result.settings).toEqual([]);
    expect(result.problems).toHaveLength(1);
    return result.problems[0]!;
  };

  it('refuses a root other than RegistrySettings', () => {
    expect(only(parseGppRegistry(utf8('<?xml version="1.0"?>\n<PowerOptions clsid="{7B0F9381-C3B8-4525-8167-87349B671D94}"/>'), ctx))).toEqual({
      file: 'Registry.xml', code: 'malformed', severity: 'error', position: { line: 2 },
      message: 'expected <RegistrySettings> root, found <PowerOptions>',
    });
  });
  it('reports truncated XML with the place it stopped, and drops the half-read settings', () => {
    const cut = `<RegistrySettings>\n<Registry ${REG} name="A"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="K" name="A" type="REG_SZ" value="1"/></Registry>\n<Registry ${REG} name="B"><Prop`;
    const p = only(parseGppRegistry(utf8(cut), ctx));
    expect(p).toMatchObject({ code: 'truncated', severity: 'error', position: { line: 3 } });
    expect(p.message).toMatch(/cut short/);
  });
  it('refuses a DOCTYPE as hostile', () => {
    const p = only(parseGppRegistry(utf8('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e "boom">]>\n<RegistrySettings>&e;</RegistrySettings>'), ctx));
    expect(p).toMatchObject({ code: 'hostile', severity: 'error', position: { line: 2 } });
  });
  it('reports an empty file', () => {
    expect(only(parseGppRegistry(new Uint8Array(0), ctx))).toMatchObject({ code: 'malformed', severity: 'error', position: { line: 1 } });
  });
  it('reports binary junk as a decode error', () => {
    expect(only(parseGppRegistry(new Uint8Array([0x3c, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03]), ctx))).toMatchObject({ code: 'decode-error', severity: 'error' });
  });
  it('turns every truncation of a real-shaped file into one error and no settings', () => {
    const text = readFileSync(fileURLToPath(new URL('../../samples/broken/gpp/Machine/Preferences/Registry/Registry.xml', import.meta.url)), 'utf8');
    const end = text.indexOf('</RegistrySettings>');
    for (let cut = 0; cut < end; cut += 23) {
      const result = parseGppRegistry(utf8(text.slice(0, cut)), ctx);
      expect(result.settings).toEqual([]);
      expect(result.problems.map((p) => p.severity)).toEqual(['error']);
    }
  });
  it('refuses Collections nested deeper than the XML reader allows as hostile', () => {
    const depth = 300;
    const text = `<RegistrySettings>${`<Collection ${COLL} name="c">`.repeat(depth)}${'</Collection>'.repeat(depth)}</RegistrySettings>`;
    expect(only(parseGppRegistry(utf8(text), ctx))).toMatchObject({ code: 'hostile', severity: 'error' });
  });
  it('reads a UTF-16LE file with a BOM', () => {
    const text = `<?xml version="1.0" encoding="utf-16"?>\r\n<RegistrySettings><Registry ${REG} name="W"><Properties action="U" hive="HKEY_LOCAL_MACHINE" key="K" name="W" type="REG_SZ" value="wide"/></Registry></RegistrySettings>`;
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
    const result = parseGppRegistry(bytes, ctx);
    expect(result.problems).toEqual([]);
    expect(registrySettings(result).map(summary)).toEqual([
      { hive: 'HKLM', key: 'K', valueName: 'W', operation: { op: 'set', data: { type: 'REG_SZ', value: 'wide' } }, preference: prefs({ itemName: 'W' }), line: 2 },
    ]);
  });
});

describe('parseGppPowerOptions', () => {
  const pctx = { file: 'PowerOptions.xml' };
  const result = parseGppPowerOptions(xml([
    '<?xml version="1.0" encoding="utf-8"?>',
    '<PowerOptions clsid="{7B0F9381-C3B8-4525-8167-87349B671D94}">',
    '<GlobalPowerOptionsV2 clsid="{2B130A62-fc14-4572-91C3-5435C6A0C3FC}" name="High performance" image="2" uid="{00000000-0000-0000-0000-000000000001}">',
    '  <Properties action="U" nameGuid="{8C5E7FDA-E8BF-4A96-9A85-A6E23A8C635C}" default="1" sleepAfterAC="0" linkPwrMgmtAC="OFF" linkPwrMgmtDC="OFF"/>',
    '</GlobalPowerOptionsV2>',
    '<GlobalPowerOptions clsid="{46D0DCC4-FC14-48fb-829B-854868C7DC16}" name="Power Options (Windows XP)">',
    '  <Filters><FilterCollection hidden="1" bool="AND" not="0"><FilterOs hidden="1" not="0" bool="AND" class="NT" version="XP" type="NE" edition="NE" sp="NE"/></FilterCollection></Filters>',
    '  <Properties promptPassword="1" enableHibernation="0" closeLid="STAND_BY" pressPowerBtn="SHUT_DOWN" pressSleepBtn="SHUT_DOWN"/>',
    '</GlobalPowerOptions>',
    '<Collection clsid="{53B533F5-224C-47e3-B01B-CA3B3F3FF4BF}" name="Legacy" disabled="1">',
    '  <PowerScheme clsid="{DE828AFA-7E71-480e-8081-5447CBE87754}" name="Always On" image="2"><Properties action="R" name="Always On" default="1" monitorAc="20" standbyAc="0"/></PowerScheme>',
    '  <GlobalPowerOptionsV2 clsid="{2B130A62-fc14-4572-91C3-5435C6A0C3FC}" name="Old plan"><Properties action="D" nameGuid="a1841308-3541-4fab-bc81-f71556f20b4a" default="0"/></GlobalPowerOptionsV2>',
    '</Collection>',
    '<GlobalPowerOptionsV2 clsid="{2B130A62-fc14-4572-91C3-5435C6A0C3FC}" name="New plan"><Properties action="C" default="0" sleepAfterAC="15"/></GlobalPowerOptionsV2>',
    '<GlobalPowerOptionsV2 clsid="{2B130A62-fc14-4572-91C3-5435C6A0C3FC}" name="Odd GUID"><Properties action="U" nameGuid="{not-a-guid}" default="1"/></GlobalPowerOptionsV2>',
    '<PowerScheme name="Empty"/>',
    '<GlobalPowerOptionsV2 name="Bad verb"><Properties action="Z" nameGuid="{8C5E7FDA-E8BF-4A96-9A85-A6E23A8C635C}"/></GlobalPowerOptionsV2>',
    '<PowerButtons name="unknown"/>',
    '</PowerOptions>',
  ]), pctx);
  const plans = powerSettings(result);

  it('reads a Vista+ power plan: GUID lower-case without braces, make-active, every property verbatim', () => {
    expect(plans[0]).toEqual({
      kind: 'power-plan', variant: 'power-plan-v2', itemName: 'High performance', planGuid: '8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c', makeActive: true,
      properties: { action: 'U', nameGuid: '{8C5E7FDA-E8BF-4A96-9A85-A6E23A8C635C}', default: '1', sleepAfterAC: '0', linkPwrMgmtAC: 'OFF', linkPwrMgmtDC: 'OFF' },
      preference: prefs({ itemName: 'High performance' }),
      provenance: { gpo: {}, file: 'PowerOptions.xml', format: 'gpp-power', position: { line: 3 } },
    });
  });
  it('reads the XP global options as conditional (hidden OS filters) with the default action', () => {
    expect(plans[1]).toMatchObject({
      variant: 'global-power-options-xp', itemName: 'Power Options (Windows XP)', makeActive: false,
      properties: { promptPassword: '1', enableHibernation: '0', closeLid: 'STAND_BY', pressPowerBtn: 'SHUT_DOWN', pressSleepBtn: 'SHUT_DOWN' },
      preference: prefs({ itemName: 'Power Options (Windows XP)', conditional: true }),
      provenance: { position: { line: 6 } },
    });
    expect(plans[1]!.planGuid).toBeUndefined();
  });
  it('reads items inside a disabled Collection, XP schemes included', () => {
    expect(plans[2]).toMatchObject({
      variant: 'power-scheme-xp', itemName: 'Always On', makeActive: true,
      properties: { action: 'R', name: 'Always On', default: '1', monitorAc: '20', standbyAc: '0' },
      preference: prefs({ itemName: 'Always On', action: 'replace', disabled: true, collections: ['Legacy'] }),
      provenance: { position: { line: 11 } },
    });
    expect(plans[2]!.planGuid).toBeUndefined();
    expect(plans[3]).toMatchObject({
      variant: 'power-plan-v2', itemName: 'Old plan', planGuid: 'a1841308-3541-4fab-bc81-f71556f20b4a', makeActive: false,
      preference: prefs({ itemName: 'Old plan', action: 'delete', disabled: true, collections: ['Legacy'] }),
      provenance: { position: { line: 12 } },
    });
  });
  it('leaves the GUID unset on a create item and on a malformed one, warning about the latter', () => {
    expect(plans[4]).toMatchObject({ itemName: 'New plan', makeActive: false, preference: { action: 'create' }, provenance: { position: { line: 14 } } });
    expect('planGuid' in plans[4]!).toBe(false);
    expect(plans[5]).toMatchObject({ itemName: 'Odd GUID', makeActive: true, provenance: { position: { line: 15 } } });
    expect('planGuid' in plans[5]!).toBe(false);
    expect(plans).toHaveLength(6);
  });
  it('warns about the bad GUID, items it cannot read and unknown elements, with lines', () => {
    expect(result.problems.map((p) => [p.severity, p.code, p.position, p.message])).toEqual([
      ['warning', 'malformed', { line: 15 }, '<GlobalPowerOptionsV2> "Odd GUID": nameGuid "{not-a-guid}" is not a GUID; plan GUID left unknown'],
      ['warning', 'skipped-entry', { line: 16 }, '<PowerScheme> "Empty" skipped: it has no <Properties>'],
      ['warning', 'skipped-entry', { line: 17 }, '<GlobalPowerOptionsV2> "Bad verb" skipped: unknown action "Z" (expected C, R, U or D)'],
      ['warning', 'skipped-entry', { line: 18 }, 'unknown element <PowerButtons> in PowerOptions skipped'],
    ]);
  });
  it('refuses a root other than PowerOptions, and truncated input', () => {
    expect(parseGppPowerOptions(utf8('<RegistrySettings/>'), pctx).problems).toEqual([
      { file: 'PowerOptions.xml', code: 'malformed', severity: 'error', position: { line: 1 }, message: 'expected <PowerOptions> root, found <RegistrySettings>' },
    ]);
    const cut = parseGppPowerOptions(utf8('<PowerOptions><GlobalPowerOptionsV2 name="x"><Properties default="1"/>'), pctx);
    expect(cut.settings).toEqual([]);
    expect(cut.problems.map((p) => [p.code, p.severity])).toEqual([['truncated', 'error']]);
  });
});

// --- real exports ---------------------------------------------------------------------------------

const isRegistryXml = (p: string) => basename(p).toLowerCase() === 'registry.xml';
const isPowerOptionsXml = (p: string) => basename(p).toLowerCase() === 'poweroptions.xml';
const read = (path: string) => readFileSync(path);
const corpusPath = (path: string) => relative(REALDATA, path).split('\\').join('/');

describeCorpus('GPP parsers over the real corpus', () => {
  const registryFiles = corpusFiles(isRegistryXml);
  const powerFiles = corpusFiles(isPowerOptionsXml);

  it('finds the real Registry.xml and PowerOptions.xml files', () => {
    expect(registryFiles.length).toBeGreaterThanOrEqual(3);
    expect(powerFiles.length).toBeGreaterThanOrEqual(1);
  });
  it.each(registryFiles.map((f) => [corpusPath(f), f]))('reads %s with no error problems', (_name, file) => {
    const result = parseGppRegistry(read(file), { file });
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.settings.length).toBeGreaterThan(0);
  });
  it.each(powerFiles.map((f) => [corpusPath(f), f]))('reads %s with no error problems', (_name, file) => {
    const result = parseGppPowerOptions(read(file), { file });
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.settings.length).toBeGreaterThan(0);
  });

  const find = (files: string[], fragment: string) => {
    const file = files.find((f) => corpusPath(f).includes(fragment));
    if (!file) throw new Error(`corpus file containing ${fragment} is missing`);
    return file;
  };

  it('NSA baseline (machine): LocalAccountTokenFilterPolicy DWORD 0, displayDecimal="1" still hex', () => {
    const result = parseGppRegistry(read(find(registryFiles, '{AC662460-6494-4818-A303-FADC513B9876}')), ctx);
    expect(result.problems).toEqual([]);
    expect(registrySettings(result).map(summary)).toEqual([{
      hive: 'HKLM', key: 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System', valueName: 'LocalAccountTokenFilterPolicy',
      operation: { op: 'set', data: { type: 'REG_DWORD', value: 0 } }, preference: prefs({ itemName: 'LocalAccountTokenFilterPolicy' }), line: 2,
    }]);
  });
  it('NSA IE baseline (user): Software Publishing State 00023C00 = 146432 in HKCU', () => {
    const result = parseGppRegistry(read(find(registryFiles, '{845FE5F1-165B-42F5-93DD-EF3316256419}')), ctx);
    expect(result.problems).toEqual([]);
    expect(registrySettings(result).map(summary)).toEqual([{
      hive: 'HKCU', key: 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WinTrust\\Trust Providers\\Software Publishing', valueName: 'State',
      operation: { op: 'set', data: { type: 'REG_DWORD', value: 146432 } }, preference: prefs({ itemName: 'State' }), line: 2,
    }]);
  });
  it('raandree lab GPO: unnamed Collection, Registry Wizard key item and nested wizard collections', () => {
    const result = parseGppRegistry(read(find(registryFiles, 'raandree__GpoReport/GpoBackup/{FF584826-3215-4323-ACA3-CEFEF30DFBD2}')), ctx);
    expect(result.problems).toEqual([]);
    const wizard = ['Registry Wizard Values', 'HKEY_LOCAL_MACHINE', 'SYSTEM', 'HardwareConfig'];
    expect(registrySettings(result).map(summary)).toEqual([
      { hive: 'HKLM', key: 'SYSTEM\\Maps', valueName: 'fgdfgf', operation: { op: 'set', data: { type: 'REG_SZ', value: 'fdgdfg' } }, preference: prefs({ itemName: 'fgdfgf' }), line: 2 },
      { hive: 'HKLM', key: 'SYSTEM\\HardwareConfig', valueName: '', operation: { op: 'create-key' }, preference: prefs({ itemName: 'HardwareConfig', collections: wizard }), line: 3 },
      { hive: 'HKLM', key: 'SYSTEM\\HardwareConfig', valueName: 'LastId', operation: { op: 'set', data: { type: 'REG_DWORD', value: 0 } }, preference: prefs({ itemName: 'LastId', collections: wizard }), line: 4 },
    ]);
  });
  it('raandree lab GPO: the XP GlobalPowerOptions item, conditional through its hidden OS filters', () => {
    const result = parseGppPowerOptions(read(find(powerFiles, 'raandree__GpoReport/GpoBackup/{FF584826-3215-4323-ACA3-CEFEF30DFBD2}')), { file: 'PowerOptions.xml' });
    expect(result.problems).toEqual([]);
    expect(powerSettings(result)).toEqual([{
      kind: 'power-plan', variant: 'global-power-options-xp', itemName: 'Power Options (Windows XP)', makeActive: false,
      properties: { promptPassword: '1', enableHibernation: '0', closeLid: 'STAND_BY', pressPowerBtn: 'SHUT_DOWN', pressSleepBtn: 'SHUT_DOWN' },
      preference: prefs({ itemName: 'Power Options (Windows XP)', conditional: true }),
      provenance: { gpo: {}, file: 'PowerOptions.xml', format: 'gpp-power', position: { line: 2 } },
    }]);
  });
});

// --- samples shipped with the project -------------------------------------------------------------

const sample = (path: string) => readFileSync(fileURLToPath(new URL(`../../samples/${path}`, import.meta.url)));

describe('GPP samples', () => {
  const system = 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System';
  const installer = 'SOFTWARE\\Policies\\Microsoft\\Windows\\Installer';

  it('broken Registry.xml: legal notice, DisableMSI 1, a disabled item and a targeted item in one Collection', () => {
    const result = parseGppRegistry(sample('broken/gpp/Machine/Preferences/Registry/Registry.xml'), ctx);
    expect(result.problems).toEqual([]);
    const inLockdown = (overrides: Parameters<typeof prefs>[0]) => prefs({ collections: ['Workstation lockdown'], ...overrides });
    expect(registrySettings(result).map(summary)).toEqual([
      { hive: 'HKLM', key: system, valueName: 'LegalNoticeText', operation: { op: 'set', data: { type: 'REG_SZ', value: 'Authorised use only' } }, preference: inLockdown({ itemName: 'LegalNoticeText' }), line: 4 },
      { hive: 'HKLM', key: installer, valueName: 'DisableMSI', operation: { op: 'set', data: { type: 'REG_DWORD', value: 1 } }, preference: inLockdown({ itemName: 'DisableMSI' }), line: 7 },
      { hive: 'HKLM', key: system, valueName: 'LegalNoticeCaption', operation: { op: 'set', data: { type: 'REG_SZ', value: 'Notice' } }, preference: inLockdown({ itemName: 'LegalNoticeCaption', disabled: true }), line: 10 },
      { hive: 'HKLM', key: system, valueName: 'HideFastUserSwitching', operation: { op: 'set', data: { type: 'REG_DWORD', value: 1 } }, preference: inLockdown({ itemName: 'HideFastUserSwitching', conditional: true }), line: 13 },
    ]);
  });
  it('clean Registry.xml: no legal notice, DisableMSI 0', () => {
    const result = parseGppRegistry(sample('clean/gpp/Machine/Preferences/Registry/Registry.xml'), ctx);
    expect(result.problems).toEqual([]);
    const settings = registrySettings(result).map(summary);
    expect(settings.some((s) => /legalnotice/i.test(s.valueName))).toBe(false);
    expect(settings.map((s) => [s.key, s.valueName, s.operation, s.preference?.disabled, s.preference?.conditional])).toEqual([
      ['Software\\Example\\Inventory', 'AssetOwner', { op: 'set', data: { type: 'REG_SZ', value: 'IT Operations' } }, false, false],
      [installer, 'DisableMSI', { op: 'set', data: { type: 'REG_DWORD', value: 0 } }, false, false],
      ['Software\\Example\\Inventory', 'AssetTag', { op: 'set', data: { type: 'REG_SZ', value: 'UNASSIGNED' } }, true, false],
      ['Software\\Example\\Inventory', 'Site', { op: 'set', data: { type: 'REG_SZ', value: 'Branch office' } }, false, true],
    ]);
  });
  it('broken PowerOptions.xml: Balanced made active, sleeps after 30 on AC, disk AC = DC, link power management on', () => {
    const result = parseGppPowerOptions(sample('broken/gpp/Machine/Preferences/PowerOptions/PowerOptions.xml'), { file: 'PowerOptions.xml' });
    expect(result.problems).toEqual([]);
    const [plan, ...rest] = powerSettings(result);
    expect(rest).toEqual([]);
    expect(plan).toMatchObject({
      variant: 'power-plan-v2', itemName: 'Balanced', planGuid: '381b4222-f694-41f0-9685-ff5bb260df2e', makeActive: true,
      properties: { sleepAfterAC: '30', turnOffHDAC: '20', turnOffHDDC: '20', linkPwrMgmtAC: 'ON', linkPwrMgmtDC: 'ON' },
      preference: prefs({ itemName: 'Balanced' }), provenance: { position: { line: 3 } },
    });
  });
  it('clean PowerOptions.xml: High performance made active, no sleep on AC, disk never off on AC, link power management off', () => {
    const result = parseGppPowerOptions(sample('clean/gpp/Machine/Preferences/PowerOptions/PowerOptions.xml'), { file: 'PowerOptions.xml' });
    expect(result.problems).toEqual([]);
    const [plan, ...rest] = powerSettings(result);
    expect(rest).toEqual([]);
    expect(plan).toMatchObject({
      variant: 'power-plan-v2', itemName: 'High performance', planGuid: '8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c', makeActive: true,
      properties: { sleepAfterAC: '0', turnOffHDAC: '0', turnOffHDDC: '20', linkPwrMgmtAC: 'OFF', linkPwrMgmtDC: 'OFF' },
      preference: prefs({ itemName: 'High performance' }), provenance: { position: { line: 3 } },
    });
  });
});
