// Edges of the pieces every GPP reader shares (issue 11, mutation testing): actions, collections, targeting, the
// disabled flag, namespaces and the exact warnings for what is skipped. Read through the Registry.xml reader and the
// report-side entry point, as users meet them.
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/codecs/xml.js';
import type { ParseResult } from '../../src/model/parse-result.js';
import type { RegistrySetting } from '../../src/model/settings.js';
import { preferenceAction } from '../../src/parsers/gpp-common.js';
import { parseGppRegistry, readRegistryPreferences } from '../../src/parsers/gpp-registry.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const ctx = { file: 'Registry.xml' };
const parse = (lines: string[]): ParseResult => parseGppRegistry(utf8(lines.join('\n')), ctx);
const settings = (r: ParseResult) => r.settings.filter((s): s is RegistrySetting => s.kind === 'registry');
const warnings = (r: ParseResult) => r.problems.map((p) => [p.severity, p.code, p.position, p.message]);
const props = (name: string, extra = '') => `<Properties action="U" hive="HKEY_LOCAL_MACHINE" key="K" name="${name}" type="REG_SZ" value="v"${extra}/>`;

describe('GPP common edges: actions', () => {
  it('reads C, R, U and D in either case and with spaces; blank or absent is update; anything else is unknown', () => {
    expect(['C', 'r', ' u ', 'd'].map(preferenceAction)).toEqual(['create', 'replace', 'update', 'delete']);
    expect([undefined, '', '   '].map(preferenceAction)).toEqual(['update', 'update', 'update']);
    expect(['X', 'CR', 'create'].map(preferenceAction)).toEqual([undefined, undefined, undefined]);
  });
});

describe('GPP common edges: collections, targeting and the disabled flag', () => {
  const r = parse([
    '<RegistrySettings>',
    '<Collection name="">',
    `  <Registry name="in unnamed">${props('A')}</Registry>`,
    '</Collection>',
    '<Collection name="Empty filters"><Filters/>',
    `  <Registry name="under empty filters">${props('B')}</Registry>`,
    '</Collection>',
    '<Collection name="Off" disabled="true">',
    '  <Collection name="Inner" disabled="0">',
    `    <Registry name="deep in disabled">${props('C')}</Registry>`,
    '  </Collection>',
    '</Collection>',
    '<Collection name="Targeted"><Filters><FilterComputer name="WS01"/></Filters>',
    '  <Collection name="Plain">',
    `    <Registry name="deep in targeted">${props('D')}</Registry>`,
    '  </Collection>',
    '</Collection>',
    `<Registry name="off by word" disabled="TRUE">${props('E')}</Registry>`,
    `<Registry name="on by zero" disabled="0">${props('F')}</Registry>`,
    `<Registry name="odd disabled" disabled="maybe">${props('G')}</Registry>`,
    '</RegistrySettings>',
  ]);
  const pref = (valueName: string) => settings(r).find((s) => s.valueName === valueName)?.preference;

  it('reads everything without a problem', () => {
    expect(r.problems).toEqual([]);
    expect(settings(r).map((s) => s.valueName)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
  });
  it('leaves an unnamed Collection out of the names, and an empty <Filters/> does not make it conditional', () => {
    expect(pref('A')).toEqual({ itemName: 'in unnamed', action: 'update', conditional: false, disabled: false, collections: [] });
    expect(pref('B')).toEqual({ itemName: 'under empty filters', action: 'update', conditional: false, disabled: false, collections: ['Empty filters'] });
  });
  it('carries a disabled or targeted outer Collection down through an inner one that is neither', () => {
    expect(pref('C')).toEqual({ itemName: 'deep in disabled', action: 'update', conditional: false, disabled: true, collections: ['Off', 'Inner'] });
    expect(pref('D')).toEqual({ itemName: 'deep in targeted', action: 'update', conditional: true, disabled: false, collections: ['Targeted', 'Plain'] });
  });
  it('reads disabled="TRUE" as disabled; "0" and words it does not know as enabled', () => {
    expect([pref('E')?.disabled, pref('F')?.disabled, pref('G')?.disabled]).toEqual([true, false, false]);
  });
});

describe('GPP common edges: what is skipped, and the warnings', () => {
  it('warns about <Filters> outside a Collection, and names an unnamed item by its element alone', () => {
    const r = parse([
      '<RegistrySettings>',
      '<Filters><FilterComputer name="WS01"/></Filters>',
      '<Registry/>',
      `<Registry name="">${props('A')}</Registry>`,
      '</RegistrySettings>',
    ]);
    expect(warnings(r)).toEqual([
      ['warning', 'skipped-entry', { line: 2 }, 'unknown element <Filters> in RegistrySettings skipped'],
      ['warning', 'skipped-entry', { line: 3 }, '<Registry> skipped: it has no <Properties>'],
    ]);
    expect(settings(r).map((s) => [s.valueName, s.preference?.itemName])).toEqual([['A', '']]);
  });
  it('warns about an unknown element inside a Collection too, and still reads the items beside it', () => {
    const r = parse([
      '<RegistrySettings>',
      '<Collection name="C">',
      '  <Shortcut name="misplaced"/>',
      `  <Registry name="kept">${props('A')}</Registry>`,
      '</Collection>',
      '</RegistrySettings>',
    ]);
    expect(warnings(r)).toEqual([['warning', 'skipped-entry', { line: 3 }, 'unknown element <Shortcut> in RegistrySettings skipped']]);
    expect(settings(r).map((s) => [s.valueName, s.preference?.collections])).toEqual([['A', ['C']]]);
  });
  it('reads a file whose root declares a default namespace, items and properties in it', () => {
    const r = parse([
      '<RegistrySettings xmlns="urn:example">',
      `<Registry name="ns item"><Properties action="U" hive="HKLM" key="K" name="N" type="REG_MULTI_SZ" value="a b"><Values><Value>a</Value><Value>b</Value></Values></Properties></Registry>`,
      '</RegistrySettings>',
    ]);
    expect(r.problems).toEqual([]);
    expect(settings(r).map((s) => s.operation)).toEqual([{ op: 'set', data: { type: 'REG_MULTI_SZ', value: ['a', 'b'] } }]);
  });
  it('ignores elements of another namespace inside an item: Properties, Values and Filters must be in the item\'s own', () => {
    const r = parse([
      '<RegistrySettings xmlns:o="urn:other">',
      '<Registry name="foreign props"><o:Properties action="U" hive="HKLM" key="K" name="X" type="REG_SZ" value="v"/></Registry>',
      '<Registry name="foreign values"><Properties action="U" hive="HKLM" key="K" name="M" type="REG_MULTI_SZ" value="whole"><o:Values><o:Value>part</o:Value></o:Values></Properties></Registry>',
      `<Registry name="foreign filters">${props('F')}<o:Filters><o:FilterComputer/></o:Filters></Registry>`,
      '<o:Registry name="foreign item"/>',
      '</RegistrySettings>',
    ]);
    expect(warnings(r)).toEqual([
      ['warning', 'skipped-entry', { line: 2 }, '<Registry> "foreign props" skipped: it has no <Properties>'],
      ['warning', 'skipped-entry', { line: 5 }, 'unknown element <Registry> in RegistrySettings skipped'],
    ]);
    expect(settings(r).map((s) => [s.valueName, s.operation, s.preference?.conditional])).toEqual([
      ['M', { op: 'set', data: { type: 'REG_MULTI_SZ', value: ['whole'] } }, false],
      ['F', { op: 'set', data: { type: 'REG_SZ', value: 'v' } }, false],
    ]);
  });
});

describe('GPP common edges: items inside a report extension', () => {
  const NS = 'http://www.microsoft.com/GroupPolicy/Settings/Registry';
  const report = parseXml([
    `<q1:RegistrySettings xmlns:q1="${NS}">`,
    '  <q1:GPOSettingOrder>1</q1:GPOSettingOrder>',
    '  <q1:Collection name="Coll">',
    '    <q1:Filters><q1:FilterComputer name="WS01"/></q1:Filters>',
    '    <q1:GPOSettingOrder>2</q1:GPOSettingOrder>',
    '    <q1:Registry name="in report"><q1:Properties action="C" hive="HKEY_CURRENT_USER" key="K" name="R" type="REG_SZ" value="x"/></q1:Registry>',
    '  </q1:Collection>',
    '  <Registry name="no namespace"/>',
    '</q1:RegistrySettings>',
  ].join('\n'));

  it('reads items in the extension namespace, skips the report annotations, and warns about anything else', () => {
    const out: ParseResult = { file: 'report.xml', format: 'gpo-report', settings: [], gpos: [], problems: [] };
    readRegistryPreferences(report, {
      ns: NS,
      out,
      provenance: (item) => ({ gpo: {}, file: 'report.xml', format: 'gpo-report', position: { line: item.line } }),
      isAnnotation: (el) => el.local === 'GPOSettingOrder',
    });
    expect(warnings(out)).toEqual([['warning', 'skipped-entry', { line: 8 }, 'unknown element <Registry> in RegistrySettings skipped']]);
    expect(settings(out).map((s) => [s.hive, s.valueName, s.preference, s.provenance.position])).toEqual([
      ['HKCU', 'R', { itemName: 'in report', action: 'create', conditional: true, disabled: false, collections: ['Coll'] }, { line: 6 }],
    ]);
  });
  it('hands the provenance the container and each enclosing Collection, outermost first (RSoP finds the setting GPO there)', () => {
    const nested = parseXml([
      '<RegistrySettings>',
      `  <Registry name="top">${props('T')}</Registry>`,
      '  <Collection name="Outer"><Collection name="Inner">',
      `    <Registry name="deep">${props('D')}</Registry>`,
      '  </Collection></Collection>',
      '</RegistrySettings>',
    ].join('\n'));
    const out: ParseResult = { file: 'rsop.xml', format: 'rsop', settings: [], gpos: [], problems: [] };
    const paths: string[][] = [];
    readRegistryPreferences(nested, {
      ns: '',
      out,
      provenance: (item, enclosing) => {
        paths.push(enclosing.path.map((el) => `${el.local}:${el.attrs.name ?? ''}`));
        return { gpo: {}, file: 'rsop.xml', format: 'rsop', position: { line: item.line } };
      },
    });
    expect(out.problems).toEqual([]);
    expect(paths).toEqual([['RegistrySettings:'], ['RegistrySettings:', 'Collection:Outer', 'Collection:Inner']]);
  });
});
