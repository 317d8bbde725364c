import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseAdmx, admxStem } from '../../src/admx/admx-parser.js';
import { parseAdml } from '../../src/admx/adml-parser.js';

const NS = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';
const utf8 = (s: string) => new TextEncoder().encode(s);

// A made-up template that uses every construct the parser supports.
const SAMPLE_ADMX = `<?xml version="1.0" encoding="utf-8"?>
<policyDefinitions xmlns="${NS}" revision="1.0" schemaVersion="1.0">
  <policyNamespaces>
    <target prefix="sample" namespace="Example.Policies.Sample" />
    <using prefix="windows" namespace="Microsoft.Policies.Windows" />
  </policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <categories>
    <category name="SampleCat" displayName="$(string.SampleCat)">
      <parentCategory ref="windows:System" />
    </category>
  </categories>
  <policies>
    <policy name="Switch" class="Both" displayName="$(string.Switch)" key="Software\\Example" valueName="On">
      <parentCategory ref="SampleCat" />
      <enabledValue><string>yes</string></enabledValue>
      <disabledValue><delete /></disabledValue>
      <enabledList defaultKey="Software\\Example\\Extra">
        <item valueName="A"><value><decimal value="7" /></value></item>
        <item key="Software\\Other" valueName="B"><value><longDecimal value="18446744073709551615" /></value></item>
      </enabledList>
    </policy>
    <policy name="Everything" class="User" displayName="$(string.Everything)" presentation="$(presentation.Everything)" key="Software\\Example">
      <elements>
        <boolean id="Check" valueName="Checked">
          <trueValue><decimal value="5" /></trueValue>
          <falseList><item valueName="Off"><value><decimal value="1" /></value></item></falseList>
        </boolean>
        <decimal id="Count" valueName="Count" storeAsText="true" maxValue="10" />
        <longDecimal id="Big" valueName="Big" />
        <text id="Path" key="Software\\Example\\Paths" valueName="Path" expandable="true" />
        <multiText id="Lines" valueName="Lines" />
        <enum id="Mode" valueName="Mode">
          <item displayName="$(string.ModeA)"><value><decimal value="0" /></value></item>
          <item displayName="$(string.ModeB)">
            <value><string>b</string></value>
            <valueList><item key="Software\\Example\\B" valueName="Also"><value><delete /></value></item></valueList>
          </item>
        </enum>
        <list id="Names" key="Software\\Example\\Names" valuePrefix="" additive="true" />
        <list id="Pairs" key="Software\\Example\\Pairs" explicitValue="true" expandable="true" />
      </elements>
    </policy>
  </policies>
</policyDefinitions>
`;

describe('parseAdmx()', () => {
  it('reads namespaces, categories, values, lists and every element type', () => {
    const { document, problems } = parseAdmx(utf8(SAMPLE_ADMX), 'C:\\PolicyDefinitions\\Sample.admx');
    expect(problems).toEqual([]);
    expect(document).toMatchObject({
      file: 'C:\\PolicyDefinitions\\Sample.admx',
      stem: 'Sample',
      namespace: 'Example.Policies.Sample',
      prefixes: { sample: 'Example.Policies.Sample', windows: 'Microsoft.Policies.Windows' },
      categories: [{ name: 'SampleCat', displayName: { stringId: 'SampleCat' }, parentCategory: 'windows:System', line: 9 }],
    });
    expect(document!.policies[0]).toEqual({
      name: 'Switch',
      class: 'Both',
      displayName: { stringId: 'Switch' },
      key: 'Software\\Example',
      valueName: 'On',
      parentCategory: 'SampleCat',
      enabledValue: { kind: 'string', value: 'yes' },
      disabledValue: { kind: 'delete' },
      enabledList: {
        defaultKey: 'Software\\Example\\Extra',
        items: [
          { valueName: 'A', value: { kind: 'decimal', value: 7 } },
          { key: 'Software\\Other', valueName: 'B', value: { kind: 'longDecimal', value: '18446744073709551615' } },
        ],
      },
      elements: [],
      line: 14,
    });
    const everything = document!.policies[1]!;
    expect(everything).toMatchObject({ name: 'Everything', class: 'User', presentation: 'Everything', line: 23 });
    expect(everything.valueName).toBeUndefined();
    expect(everything.elements).toEqual([
      {
        type: 'boolean', id: 'Check', valueName: 'Checked', line: 25,
        trueValue: { kind: 'decimal', value: 5 },
        falseList: { items: [{ valueName: 'Off', value: { kind: 'decimal', value: 1 } }] },
      },
      { type: 'decimal', id: 'Count', valueName: 'Count', storeAsText: true, line: 29 },
      { type: 'longDecimal', id: 'Big', valueName: 'Big', storeAsText: false, line: 30 },
      { type: 'text', id: 'Path', key: 'Software\\Example\\Paths', valueName: 'Path', expandable: true, line: 31 },
      { type: 'multiText', id: 'Lines', valueName: 'Lines', line: 32 },
      {
        type: 'enum', id: 'Mode', valueName: 'Mode', line: 33,
        items: [
          { displayName: { stringId: 'ModeA' }, value: { kind: 'decimal', value: 0 } },
          {
            displayName: { stringId: 'ModeB' },
            value: { kind: 'string', value: 'b' },
            valueList: { items: [{ key: 'Software\\Example\\B', valueName: 'Also', value: { kind: 'delete' } }] },
          },
        ],
      },
      { type: 'list', id: 'Names', key: 'Software\\Example\\Names', valuePrefix: '', explicitValue: false, additive: true, expandable: false, line: 40 },
      { type: 'list', id: 'Pairs', key: 'Software\\Example\\Pairs', explicitValue: true, additive: false, expandable: true, line: 41 },
    ]);
  });

  it('accepts templates without the PolicyDefinitions namespace (MSS-legacy, LAPS) or with the older URI, and UTF-16 with BOM', () => {
    const plain = SAMPLE_ADMX.replace(` xmlns="${NS}"`, '');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(plain, 'utf16le')]);
    const { document, problems } = parseAdmx(utf16, 'Sample.admx');
    expect(problems).toEqual([]);
    expect(document!.policies.map((p) => p.name)).toEqual(['Switch', 'Everything']);
    expect(document!.policies[1]!.elements).toHaveLength(8);
    const older = parseAdmx(utf8(SAMPLE_ADMX.replace(NS, 'http://www.microsoft.com/GroupPolicy/PolicyDefinitions')), 'Sample.admx');
    expect(older.problems).toEqual([]);
    expect(older.document!.policies[1]!.elements).toHaveLength(8);
  });

  it('turns truncated XML into one error naming the file and line, and no document', () => {
    const cut = SAMPLE_ADMX.slice(0, SAMPLE_ADMX.indexOf('<enum id="Mode"'));
    const { document, problems } = parseAdmx(utf8(cut), 'broken.admx');
    expect(document).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'broken.admx', code: 'truncated', severity: 'error', position: { line: 33 } });
  });

  it('reports a mismatched tag at the line where the mismatch shows', () => {
    const bad = SAMPLE_ADMX.replace('<multiText id="Lines" valueName="Lines" />', '<multiText id="Lines" valueName="Lines">');
    const { document, problems } = parseAdmx(utf8(bad), 'bad.admx');
    expect(document).toBeUndefined();
    expect(problems[0]).toMatchObject({ file: 'bad.admx', code: 'malformed', severity: 'error' });
    // The unclosed <multiText> on line 32 is noticed at </elements> on line 42.
    expect(problems[0]!.position).toMatchObject({ line: 42 });
  });

  it('refuses a DOCTYPE, another root element and empty input', () => {
    expect(parseAdmx(utf8(`<!DOCTYPE x [<!ENTITY a "b">]><policyDefinitions xmlns="${NS}"/>`), 'x.admx').problems[0]).toMatchObject({ code: 'hostile', position: { line: 1 } });
    expect(parseAdmx(utf8(`<policyDefinitionResources xmlns="${NS}"/>`), 'x.admx').problems[0]).toMatchObject({
      code: 'malformed',
      message: expect.stringContaining('expected <policyDefinitions>'),
      position: { line: 1 },
    });
    expect(parseAdmx(utf8('<policyDefinitions xmlns="urn:other"/>'), 'x.admx').problems[0]!.code).toBe('malformed');
    expect(parseAdmx(new Uint8Array(), 'x.admx').problems[0]!.code).toBe('malformed');
  });

  it('skips a broken policy, element or value with a warning naming its line and keeps the rest', () => {
    const text = `<policyDefinitions xmlns="${NS}">
  <policyNamespaces><target prefix="t" namespace="T" /></policyNamespaces>
  <policies>
    <policy name="NoKey" class="Machine" displayName="$(string.A)" />
    <policy name="BadClass" class="Everyone" displayName="$(string.A)" key="K" />
    <policy name="Good" class="Machine" displayName="$(string.A)" key="K" valueName="V">
      <enabledValue><decimal value="-1" /></enabledValue>
      <disabledValue></disabledValue>
      <elements>
        <decimal valueName="NoId" />
        <text id="NoValueName" />
        <slider id="Unknown" valueName="X" />
        <enum id="Empty" valueName="E"><item displayName="$(string.I)" /></enum>
        <decimal id="Kept" valueName="Kept" />
      </elements>
    </policy>
  </policies>
</policyDefinitions>`;
    const { document, problems } = parseAdmx(utf8(text), 'partial.admx');
    expect(document!.policies).toHaveLength(1);
    expect(document!.policies[0]).toMatchObject({ name: 'Good', elements: [{ id: 'Kept', line: 14 }] });
    expect(document!.policies[0]!.enabledValue).toBeUndefined();
    expect(problems.map((p) => [p.code, p.severity, (p.position as { line: number }).line])).toEqual([
      ['skipped-entry', 'warning', 4],
      ['skipped-entry', 'warning', 5],
      ['skipped-entry', 'warning', 7],
      ['skipped-entry', 'warning', 8],
      ['skipped-entry', 'warning', 10],
      ['skipped-entry', 'warning', 11],
      ['skipped-entry', 'warning', 12],
      ['skipped-entry', 'warning', 13],
      ['skipped-entry', 'warning', 13],
    ]);
    expect(problems[0]!.message).toBe('policy "NoKey" skipped: missing key');
    expect(problems[1]!.message).toBe('policy "BadClass" skipped: missing a valid class');
    expect(problems[2]!.message).toContain('"-1" is not an unsigned 32-bit number');
  });

  it('warns when the file has no target namespace and uses its stem instead', () => {
    const { document, problems } = parseAdmx(utf8(`<policyDefinitions xmlns="${NS}"><policies/></policyDefinitions>`), 'dir/NoTarget.ADMX');
    expect(document).toMatchObject({ stem: 'NoTarget', namespace: 'NoTarget', policies: [] });
    expect(problems).toEqual([
      { file: 'dir/NoTarget.ADMX', position: { line: 1 }, code: 'skipped-entry', severity: 'warning', message: expect.stringContaining('no <policyNamespaces><target>') },
    ]);
  });

  it('never throws, whatever prefix of a valid file it is given', () => {
    const bytes = utf8(SAMPLE_ADMX);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length }), (n) => {
        const result = parseAdmx(bytes.subarray(0, n), 'cut.admx');
        if (n < bytes.length - 1) expect(result.problems.some((p) => p.severity === 'error')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('takes the policy id stem from the file name', () => {
    expect(admxStem('/x/y/msi.admx')).toBe('msi');
    expect(admxStem('C:\\Windows\\PolicyDefinitions\\Logon.admx')).toBe('Logon');
  });
});

const SAMPLE_ADML = `<?xml version="1.0" encoding="utf-8"?>
<policyDefinitionResources xmlns="${NS}" revision="1.0" schemaVersion="1.0">
  <displayName>sample</displayName>
  <description>sample</description>
  <resources>
    <stringTable>
      <string id="Everything">Configure everything</string>
      <string id="ModeA">Mode A &amp; more</string>
      <string id="Everything">A second definition</string>
      <string id="constructor">not the prototype's</string>
    </stringTable>
    <presentationTable>
      <presentation id="Everything">
        <text>Some caption</text>
        <checkBox refId="Check" defaultChecked="true">Turn it on</checkBox>
        <decimalTextBox refId="Count" defaultValue="3">Count:</decimalTextBox>
        <longDecimalTextBox refId="Big">Big number</longDecimalTextBox>
        <textBox refId="Path">
          <label>Path to use:</label>
          <defaultValue>%windir%</defaultValue>
        </textBox>
        <multiTextBox refId="Lines">Lines</multiTextBox>
        <dropdownList refId="Mode" noSort="true">Mode</dropdownList>
        <listBox refId="Names">Names</listBox>
        <comboBox refId="Other"><label>Pick or type</label><suggestion>x</suggestion></comboBox>
        <slider refId="Nope">?</slider>
      </presentation>
    </presentationTable>
  </resources>
</policyDefinitionResources>`;

describe('parseAdml()', () => {
  it('reads strings and presentation labels matched by refId', () => {
    const { document, problems } = parseAdml(utf8(SAMPLE_ADML), 'en-US/Sample.adml', 'en-US');
    expect(document!.language).toBe('en-US');
    expect({ ...document!.strings }).toEqual({ Everything: 'Configure everything', ModeA: 'Mode A & more', constructor: "not the prototype's" });
    expect(document!.presentations.Everything).toEqual([
      { kind: 'checkBox', refId: 'Check', label: 'Turn it on' },
      { kind: 'decimalTextBox', refId: 'Count', label: 'Count:' },
      { kind: 'longDecimalTextBox', refId: 'Big', label: 'Big number' },
      { kind: 'textBox', refId: 'Path', label: 'Path to use:' },
      { kind: 'multiTextBox', refId: 'Lines', label: 'Lines' },
      { kind: 'dropdownList', refId: 'Mode', label: 'Mode' },
      { kind: 'listBox', refId: 'Names', label: 'Names' },
      { kind: 'comboBox', refId: 'Other', label: 'Pick or type' },
    ]);
    expect(problems).toEqual([
      { file: 'en-US/Sample.adml', position: { line: 9 }, code: 'skipped-entry', severity: 'warning', message: 'duplicate string id "Everything" ignored; the first one is kept' },
      { file: 'en-US/Sample.adml', position: { line: 26 }, code: 'skipped-entry', severity: 'warning', message: 'presentation "Everything": unknown control <slider> skipped' },
    ]);
  });

  it('reports an ADMX given as ADML, and a truncated ADML, as errors with a line', () => {
    expect(parseAdml(utf8(SAMPLE_ADMX), 'x.adml').problems[0]).toMatchObject({ code: 'malformed', position: { line: 2 } });
    expect(parseAdml(utf8(SAMPLE_ADML.slice(0, 400)), 'x.adml').problems[0]).toMatchObject({ code: 'truncated', file: 'x.adml' });
  });
});
