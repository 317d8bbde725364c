import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPolicyCatalog } from '../../src/admx/create-catalog.js';
import { builtinCatalog, loadPolicyCatalog, loadPolicyDefinitions, MAX_DEFINITION_FILE_BYTES } from '../../src/admx/load.js';

const NS = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';
const roots: string[] = [];

/** A PolicyDefinitions folder in a fresh temp dir; `files` maps relative paths to contents. */
function store(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'gpaudit-admx-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

// Made-up template and translations (not Windows' own strings).
const FRUIT_ADMX = `<?xml version="1.0" encoding="utf-8"?>
<policyDefinitions xmlns="${NS}">
  <policyNamespaces>
    <target prefix="fruit" namespace="Example.Fruit" />
    <using prefix="windows" namespace="Microsoft.Policies.Windows" />
  </policyNamespaces>
  <categories><category name="Fruit" displayName="$(string.Fruit)"><parentCategory ref="windows:WindowsComponents" /></category></categories>
  <policies>
    <policy name="PickFruit" class="Machine" displayName="$(string.PickFruit)" presentation="$(presentation.PickFruit)" key="Software\\Policies\\Example\\Fruit">
      <parentCategory ref="Fruit" />
      <elements>
        <enum id="Kind" valueName="Kind">
          <item displayName="$(string.Apple)"><value><decimal value="1" /></value></item>
          <item displayName="$(string.Pear)"><value><decimal value="2" /></value></item>
        </enum>
      </elements>
    </policy>
  </policies>
</policyDefinitions>`;

function fruitAdml(fruit: string, pick: string, apple: string, pear: string, label: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<policyDefinitionResources xmlns="${NS}"><resources>
  <stringTable>
    <string id="Fruit">${fruit}</string><string id="PickFruit">${pick}</string>
    <string id="Apple">${apple}</string><string id="Pear">${pear}</string>
  </stringTable>
  <presentationTable><presentation id="PickFruit"><dropdownList refId="Kind">${label}</dropdownList></presentation></presentationTable>
</resources></policyDefinitionResources>`;
}

const FRUIT_EN = fruitAdml('Fruit', 'Choose a fruit', 'Apple', 'Pear', 'Fruit kind:');
const FRUIT_DE = fruitAdml('Obst', 'Obstsorte wählen', 'Apfel', 'Birne', 'Sorte:');
const FRUIT_KEY = 'Software\\Policies\\Example\\Fruit';

describe('loadPolicyDefinitions()', () => {
  it('falls back to en-US per file when the requested language folder is missing, whatever the folder case', () => {
    const dir = store({ 'Fruit.admx': FRUIT_ADMX, 'en-us/fruit.ADML': FRUIT_EN });
    const { sources, problems } = loadPolicyDefinitions(dir, 'de-DE');
    expect(problems).toEqual([]);
    expect(sources[0]!.admx.stem).toBe('Fruit');
    expect(sources[0]!.adml.map((a) => [a.file, a.language])).toEqual([[join(dir, 'en-us', 'fruit.ADML'), 'en-US']]);
    const catalog = createPolicyCatalog({ sources });
    const fruit = catalog.findByDisplayName('computer', 'Choose a fruit', 'Windows Components/Fruit')!;
    expect(fruit).toMatchObject({ id: 'Fruit:PickFruit', displayName: 'Choose a fruit', category: 'Windows Components/Fruit' });
    expect(fruit.registryValues('enabled', [{ kind: 'dropdown', label: 'Fruit kind:', value: 'Pear' }]).values).toEqual([
      { hive: 'HKLM', key: FRUIT_KEY, valueName: 'Kind', op: 'set', data: { type: 'REG_DWORD', value: 2 } },
    ]);
  });

  it('prefers the requested language and keeps en-US names as aliases', () => {
    const dir = store({ 'Fruit.admx': FRUIT_ADMX, 'de-de/Fruit.adml': FRUIT_DE, 'en-US/Fruit.adml': FRUIT_EN });
    const { catalog, problems } = loadPolicyCatalog(dir, 'de-DE');
    expect(problems).toEqual([]);
    const german = catalog.findByDisplayName('computer', 'Obstsorte wählen', 'Windows Components/Obst')!;
    expect(german).toMatchObject({ id: 'Fruit:PickFruit', displayName: 'Obstsorte wählen', category: 'Windows Components/Obst' });
    expect(german.registryValues('enabled', [{ kind: 'dropdown', label: 'Sorte', value: 'Birne' }]).values[0]).toMatchObject({ data: { value: 2 } });
    const english = catalog.findByDisplayName('computer', 'Choose a fruit', 'Windows Components/Fruit')!;
    expect(english.id).toBe('Fruit:PickFruit');
    expect(english.registryValues('enabled', [{ kind: 'dropdown', label: 'Fruit kind', value: 'apple' }]).values[0]).toMatchObject({ data: { value: 1 } });
  });

  it('lets a loaded template replace the built-in with the same policy id, keeping the built-in names', () => {
    const logon = `<policyDefinitions xmlns="${NS}">
  <policyNamespaces><target prefix="logon" namespace="Microsoft.Policies.WindowsLogon" /><using prefix="windows" namespace="Microsoft.Policies.Windows" /></policyNamespaces>
  <categories><category name="Logon" displayName="$(string.Logon)"><parentCategory ref="windows:System" /></category></categories>
  <policies>
    <policy name="HideFastUserSwitching" class="Machine" displayName="$(string.Hide)" key="Software\\Example\\Logon" valueName="HideFUS">
      <parentCategory ref="Logon" />
      <disabledValue><delete /></disabledValue>
    </policy>
  </policies>
</policyDefinitions>`;
    const adml = `<policyDefinitionResources xmlns="${NS}"><resources><stringTable><string id="Logon">Anmeldung</string><string id="Hide">Umschalten verbergen</string></stringTable></resources></policyDefinitionResources>`;
    const dir = store({ 'logon.admx': logon, 'de-DE/logon.adml': adml });
    const { catalog, problems } = loadPolicyCatalog(dir, 'de-DE');
    expect(problems).toEqual([]);
    const byOwnName = catalog.findByDisplayName('computer', 'Umschalten verbergen', 'System/Anmeldung')!;
    const byBuiltinName = catalog.findByDisplayName('computer', 'Hide entry points for Fast User Switching', 'System/Logon')!;
    // The loaded file's stem is lower-case; ids still compare without case.
    expect([byOwnName.id, byBuiltinName.id]).toEqual(['logon:HideFastUserSwitching', 'logon:HideFastUserSwitching']);
    expect(byBuiltinName.registryValues('disabled', [])).toEqual({ values: [{ hive: 'HKLM', key: 'Software\\Example\\Logon', valueName: 'HideFUS', op: 'delete' }], unresolved: [] });
    expect(catalog.findByRegistryValue('HKLM', 'Software\\Example\\Logon', 'HideFUS')!.id).toBe('logon:HideFastUserSwitching');
    // Built-ins the folder does not replace are still there.
    expect(catalog.findByDisplayName('computer', 'Turn off Windows Installer')!.id).toBe('MSI:DisableMSI');
  });

  it('reports a malformed template with its file and line and still loads the others', () => {
    const dir = store({
      'Broken.admx': `<policyDefinitions xmlns="${NS}">\n  <policies>\n    <policy name="x"\n`,
      'Fruit.admx': FRUIT_ADMX,
      'en-US/Fruit.adml': FRUIT_EN,
    });
    const { sources, problems } = loadPolicyDefinitions(dir, 'en-US');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: join(dir, 'Broken.admx'), severity: 'error', position: { line: 4 } });
    expect(['malformed', 'truncated']).toContain(problems[0]!.code);
    expect(sources.map((s) => s.admx.stem).slice(0, 2)).toEqual(['Fruit', 'Logon']);
  });

  it('reports unreadable, oversized and missing inputs as problems instead of failing', () => {
    const dir = store({ 'Fruit.admx': FRUIT_ADMX, 'en-US/Fruit.adml': FRUIT_EN.replace('<string id="Pear">Pear</string>', '') });
    mkdirSync(join(dir, 'Folder.admx'));
    writeFileSync(join(dir, 'Huge.admx'), '');
    truncateSync(join(dir, 'Huge.admx'), MAX_DEFINITION_FILE_BYTES + 1);
    writeFileSync(join(dir, 'Orphan.admx'), FRUIT_ADMX.replace('Example.Fruit', 'Example.Orphan'));
    const { problems } = loadPolicyDefinitions(dir, 'en-US');
    expect(problems.map((p) => [p.file, p.code, p.severity])).toEqual([
      [join(dir, 'Folder.admx'), 'io-error', 'error'],
      [join(dir, 'en-US', 'Fruit.adml'), 'skipped-entry', 'warning'],
      [join(dir, 'Huge.admx'), 'too-large', 'error'],
      [join(dir, 'Orphan.admx'), 'skipped-entry', 'warning'],
    ]);
    expect(problems[1]!.message).toContain('string Pear');
    expect(problems[3]!.message).toContain('no ADML found');

    const missing = loadPolicyDefinitions(join(dir, 'does-not-exist'), 'en-US');
    expect(missing.problems).toEqual([
      { file: join(dir, 'does-not-exist'), code: 'io-error', severity: 'error', message: expect.stringContaining('cannot list the folder') },
    ]);
    expect(createPolicyCatalog(missing).findByDisplayName('computer', 'Turn off Windows Installer')!.id).toBe('MSI:DisableMSI');
  });
});

describe('builtinCatalog()', () => {
  it('is built once and reused', () => {
    expect(builtinCatalog()).toBe(builtinCatalog());
    expect(builtinCatalog().policies.map((p) => p.id)).toEqual([
      'Logon:HideFastUserSwitching',
      'MSI:DisableMSI',
      'MSI:MSI_DisableUserInstalls',
      'Power:InboxActiveSchemeOverride_2',
      'Power:CustomActiveSchemeOverride_2',
      'Power:ACStandbyTimeOut_2',
      'Power:DCStandbyTimeOut_2',
      'Power:ACHibernateTimeOut_2',
      'Power:DCHibernateTimeOut_2',
      'Power:UnattendedSleepTimeOutAC',
      'Power:UnattendedSleepTimeOutDC',
      'Power:DiskACPowerDownTimeOut_2',
      'Power:DiskDCPowerDownTimeOut_2',
      'RemovableStorage:RemovableStorageClasses_DenyAll_Access_1',
      'RemovableStorage:RemovableStorageClasses_DenyAll_Access_2',
      'WindowsExplorer:NoViewOnDrive',
    ]);
  });
});
