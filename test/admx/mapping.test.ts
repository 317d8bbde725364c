import { describe, expect, it } from 'vitest';
import { parseAdml } from '../../src/admx/adml-parser.js';
import { parseAdmx } from '../../src/admx/admx-parser.js';
import { createPolicyCatalog } from '../../src/admx/create-catalog.js';
import type { PolicySource } from '../../src/admx/resolve.js';

// Element semantics (PolicyPlus SetPolicyState) exercised on a made-up template with every element type.

const NS = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';
const ADMX = `<policyDefinitions xmlns="${NS}">
  <policyNamespaces><target prefix="k" namespace="Kitchen.Sink" /></policyNamespaces>
  <categories><category name="Sink" displayName="$(string.Sink)" /></categories>
  <policies>
    <policy name="Lists" class="Both" displayName="$(string.Lists)" key="Software\\Sink" valueName="Main">
      <parentCategory ref="Sink" />
      <enabledValue><string>on</string></enabledValue>
      <enabledList defaultKey="Software\\Sink\\Extra">
        <item valueName="A"><value><decimal value="1" /></value></item>
        <item key="Software\\Other" valueName="B"><value><longDecimal value="9007199254740993" /></value></item>
      </enabledList>
      <disabledList>
        <item valueName="A"><value><delete /></value></item>
      </disabledList>
    </policy>
    <policy name="Everything" class="Machine" displayName="$(string.Everything)" presentation="$(presentation.Everything)" key="Software\\Sink">
      <parentCategory ref="Sink" />
      <elements>
        <boolean id="Plain" valueName="Plain" />
        <boolean id="Custom" valueName="Custom">
          <trueValue><string>yes</string></trueValue>
          <falseValue><decimal value="7" /></falseValue>
          <trueList><item valueName="AlsoOn"><value><decimal value="1" /></value></item></trueList>
        </boolean>
        <decimal id="Count" valueName="Count" storeAsText="true" />
        <longDecimal id="Big" valueName="Big" />
        <text id="Path" key="Software\\Sink\\Paths" valueName="Path" expandable="true" />
        <multiText id="Lines" valueName="Lines" />
        <enum id="Mode" valueName="Mode">
          <item displayName="$(string.ModeA)"><value><decimal value="0" /></value></item>
          <item displayName="$(string.ModeB)">
            <value><string>b</string></value>
            <valueList defaultKey="Software\\Sink\\B"><item valueName="Also"><value><delete /></value></item></valueList>
          </item>
        </enum>
        <list id="Numbered" key="Software\\Sink\\Numbered" valuePrefix="Item" additive="true" />
        <list id="Named" key="Software\\Sink\\Named" explicitValue="true" expandable="true" additive="true" />
        <list id="SelfNamed" key="Software\\Sink\\Self" />
      </elements>
    </policy>
  </policies>
</policyDefinitions>`;

const ADML = `<policyDefinitionResources xmlns="${NS}"><resources>
  <stringTable>
    <string id="Sink">Kitchen Sink</string>
    <string id="Lists">Lists only</string>
    <string id="Everything">Every element</string>
    <string id="ModeA">First mode</string>
    <string id="ModeB">Second mode</string>
  </stringTable>
  <presentationTable>
    <presentation id="Everything">
      <dropdownList refId="Mode">Mode:</dropdownList>
      <checkBox refId="Plain">Plain box</checkBox>
      <checkBox refId="Custom">Custom box</checkBox>
      <decimalTextBox refId="Count">Count</decimalTextBox>
      <longDecimalTextBox refId="Big">Big</longDecimalTextBox>
      <textBox refId="Path"><label>Path:</label></textBox>
      <multiTextBox refId="Lines">Lines</multiTextBox>
      <listBox refId="Numbered">Numbered</listBox>
      <listBox refId="Named">Named</listBox>
      <listBox refId="SelfNamed">Self-named</listBox>
    </presentation>
  </presentationTable>
</resources></policyDefinitionResources>`;

const source: PolicySource = {
  admx: parseAdmx(new TextEncoder().encode(ADMX), 'Sink.admx').document!,
  adml: [parseAdml(new TextEncoder().encode(ADML), 'en-US/Sink.adml', 'en-US').document!],
};
const catalog = createPolicyCatalog({ sources: [source] });

describe('policy-level values', () => {
  const lists = catalog.findByDisplayName('user', 'Lists only')!;

  it('writes enabledValue and enabledList items with their keys', () => {
    expect(lists.category).toBe('Kitchen Sink');
    expect(lists.registryValues('enabled', [])).toEqual({
      values: [
        { hive: 'HKCU', key: 'Software\\Sink', valueName: 'Main', op: 'set', data: { type: 'REG_SZ', value: 'on' } },
        { hive: 'HKCU', key: 'Software\\Sink\\Extra', valueName: 'A', op: 'set', data: { type: 'REG_DWORD', value: 1 } },
        { hive: 'HKCU', key: 'Software\\Other', valueName: 'B', op: 'set', data: { type: 'REG_QWORD', value: '9007199254740993' } },
      ],
      unresolved: [],
    });
  });

  it('deletes the value name and applies disabledList when disabled', () => {
    expect(lists.registryValues('disabled', [])).toEqual({
      values: [
        { hive: 'HKCU', key: 'Software\\Sink', valueName: 'Main', op: 'delete' },
        { hive: 'HKCU', key: 'Software\\Sink', valueName: 'A', op: 'delete' },
      ],
      unresolved: [],
    });
  });

  it('indexes list items under both hives of a Both policy', () => {
    expect(catalog.findByRegistryValue('HKLM', 'software\\other', 'b')!.id).toBe('Sink:Lists');
    expect(catalog.findByRegistryValue('HKCU', 'Software\\Sink\\Extra', 'A')!.hive).toBe('HKCU');
    expect(catalog.findByRegistryValue('HKCU', 'Software\\Sink', 'A')!.id).toBe('Sink:Lists');
  });
});

describe('element values', () => {
  const policy = catalog.findByDisplayName('computer', 'Every element')!;
  const at = (key: string, valueName: string, data: unknown) => ({ hive: 'HKLM', key, valueName, op: 'set', data });

  it('writes every element type from the report values, in presentation order', () => {
    const result = policy.registryValues('enabled', [
      { kind: 'checkbox', label: 'Plain box', value: true },
      { kind: 'checkbox', label: 'Custom box', value: true },
      { kind: 'numeric', label: 'Count', value: 42 },
      { kind: 'numeric', label: 'Big', value: 5000000000 },
      { kind: 'text', label: 'Path', value: '%SystemRoot%\\x' },
      { kind: 'multitext', label: 'Lines', value: ['one', 'two'] },
      { kind: 'dropdown', label: 'Mode', value: 'Second mode' },
      { kind: 'list', label: 'Numbered', entries: [{ value: 'x' }, { value: 'y' }] },
      { kind: 'list', label: 'Named', entries: [{ name: 'n1', value: '%TEMP%' }, { value: 'nameless' }] },
      { kind: 'list', label: 'Self-named', entries: [{ value: 'C:\\tool.exe' }] },
    ]);
    expect(result.values).toEqual([
      at('Software\\Sink', 'Mode', { type: 'REG_SZ', value: 'b' }),
      { hive: 'HKLM', key: 'Software\\Sink\\B', valueName: 'Also', op: 'delete' },
      at('Software\\Sink', 'Plain', { type: 'REG_DWORD', value: 1 }),
      at('Software\\Sink', 'Custom', { type: 'REG_SZ', value: 'yes' }),
      at('Software\\Sink', 'AlsoOn', { type: 'REG_DWORD', value: 1 }),
      at('Software\\Sink', 'Count', { type: 'REG_SZ', value: '42' }),
      at('Software\\Sink', 'Big', { type: 'REG_QWORD', value: '5000000000' }),
      at('Software\\Sink\\Paths', 'Path', { type: 'REG_EXPAND_SZ', value: '%SystemRoot%\\x' }),
      at('Software\\Sink', 'Lines', { type: 'REG_MULTI_SZ', value: ['one', 'two'] }),
      at('Software\\Sink\\Numbered', 'Item1', { type: 'REG_SZ', value: 'x' }),
      at('Software\\Sink\\Numbered', 'Item2', { type: 'REG_SZ', value: 'y' }),
      at('Software\\Sink\\Named', 'n1', { type: 'REG_EXPAND_SZ', value: '%TEMP%' }),
      at('Software\\Sink\\Self', 'C:\\tool.exe', { type: 'REG_SZ', value: 'C:\\tool.exe' }),
    ]);
    expect(result.unresolved).toEqual([
      'element "Named" ("Named"): entry "nameless" has no value name',
      'element "SelfNamed" ("Self-named"): the list first clears every other value under Software\\Sink\\Self, which cannot be listed value by value',
    ]);
  });

  it('writes falseValue for an unchecked box that has one and deletes the value of one that has none', () => {
    const result = policy.registryValues('enabled', [
      { kind: 'checkbox', label: 'Plain box', value: false },
      { kind: 'checkbox', label: 'Custom box', value: false },
    ]);
    expect(result.values).toEqual([
      { hive: 'HKLM', key: 'Software\\Sink', valueName: 'Plain', op: 'delete' },
      at('Software\\Sink', 'Custom', { type: 'REG_DWORD', value: 7 }),
    ]);
    expect(result.unresolved).toHaveLength(8);
  });

  it('deletes every element value when disabled and says a list cannot be cleared value by value', () => {
    const result = policy.registryValues('disabled', []);
    expect(result.values.map((v) => [v.op, v.key, v.valueName])).toEqual([
      ['delete', 'Software\\Sink', 'Mode'],
      ['delete', 'Software\\Sink', 'Plain'],
      ['delete', 'Software\\Sink', 'Custom'],
      ['delete', 'Software\\Sink', 'Count'],
      ['delete', 'Software\\Sink', 'Big'],
      ['delete', 'Software\\Sink\\Paths', 'Path'],
      ['delete', 'Software\\Sink', 'Lines'],
    ]);
    expect(result.unresolved).toEqual([
      'list element "Numbered": disabling clears every value under Software\\Sink\\Numbered, which cannot be listed value by value',
      'list element "Named": disabling clears every value under Software\\Sink\\Named, which cannot be listed value by value',
      'list element "SelfNamed": disabling clears every value under Software\\Sink\\Self, which cannot be listed value by value',
    ]);
  });

  it('finds the policy from any value an element or enum item writes, and from any value under a list key', () => {
    expect(catalog.findByRegistryValue('HKLM', 'Software\\Sink\\Paths', 'Path')!.id).toBe('Sink:Everything');
    expect(catalog.findByRegistryValue('HKLM', 'Software\\Sink\\B', 'Also')!.id).toBe('Sink:Everything');
    expect(catalog.findByRegistryValue('HKLM', 'Software\\Sink', 'AlsoOn')!.id).toBe('Sink:Everything');
    expect(catalog.findByRegistryValue('HKLM', 'Software\\Sink\\Named', 'whatever the user typed')!.id).toBe('Sink:Everything');
    expect(catalog.findByRegistryValue('HKCU', 'Software\\Sink\\Named', 'x')).toBeUndefined();
    expect(catalog.findByRegistryValue('HKLM', 'Software\\Sink\\Nope', 'x')).toBeUndefined();
  });
});
