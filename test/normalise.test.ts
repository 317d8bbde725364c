import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../src/admx/load.js';
import { readUnit } from '../src/pipeline/read-unit.js';
import { walkInputs } from '../src/pipeline/walk.js';
import { type InputUnit } from '../src/model/unit.js';
import type { AdminTemplateSetting, PrivilegeRightSetting, RegistrySetting } from '../src/model/settings.js';
import { normaliseUnit } from '../src/normalise/normalise.js';
import { parseGpoReport } from '../src/parsers/gpo-report.js';
import { parseSecurityTemplate } from '../src/parsers/security-template.js';

function unitOf(path: string): InputUnit {
  const [item] = [...walkInputs([path], { cwd: process.cwd() })];
  if (!item || !('unit' in item)) throw new Error(`no unit for ${path}`);
  return item.unit;
}

describe('normaliseUnit on a Backup-GPO folder', () => {
  const norm = normaliseUnit(readUnit(unitOf('samples/broken/backups/{B0A7E5C1-0D5E-4B7B-9C4A-1F2E3D4C5B01}')), builtinCatalog());
  const gpo = { id: '{9A1F0C3E-B010-4D2B-8E6F-7A8B9C0D1E2F}', domain: 'corp.example.test', name: 'WorkSpaces - Desktop Baseline (broken)' };

  it('puts every file of the backup under one GPO with its full identity', () => {
    expect(norm.problems).toEqual([]);
    expect(norm.gpos).toHaveLength(1);
    expect(norm.gpos[0]!.gpo).toEqual(gpo);
    const formats = new Set(norm.gpos[0]!.settings.map((s) => s.provenance.format));
    expect([...formats].sort()).toEqual(['gpo-report', 'registry-pol', 'security-template']);
    for (const s of norm.gpos[0]!.settings) expect(s.provenance.gpo).toEqual(gpo);
    expect(norm.gpos[0]!.info?.sources.map((s) => s.format).sort()).toEqual(['backup-metadata', 'backup-metadata', 'gpo-report']);
  });

  it('maps report policies to the registry values Registry.pol holds, and annotates those values with the policy', () => {
    const settings = norm.gpos[0]!.settings;
    const policy = settings.find((s): s is AdminTemplateSetting => s.kind === 'admin-template' && s.displayName === 'Turn off Windows Installer');
    expect(policy).toMatchObject({ policyId: 'MSI:DisableMSI' });
    expect(policy!.registry.map((r) => [r.hive, r.key, r.valueName, r.operation])).toEqual([
      ['HKLM', 'Software\\Policies\\Microsoft\\Windows\\Installer', 'DisableMSI', { op: 'set', data: { type: 'REG_DWORD', value: 1 } }],
    ]);
    const pol = settings.find((s): s is RegistrySetting => s.kind === 'registry' && s.valueName === 'DisableMSI' && s.provenance.format === 'registry-pol');
    expect(pol?.policy).toEqual({ id: 'MSI:DisableMSI', displayName: 'Turn off Windows Installer', state: 'enabled' });
  });
});

describe('normaliseUnit: names paired with SIDs elsewhere in the same input', () => {
  const report = `<GPO xmlns="http://www.microsoft.com/GroupPolicy/Settings" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<Identifier><Identifier xmlns="http://www.microsoft.com/GroupPolicy/Types">{11111111-2222-3333-4444-555555555555}</Identifier></Identifier><Name>G</Name>
<Computer><ExtensionData><Extension xmlns:q1="http://www.microsoft.com/GroupPolicy/Settings/Security" xsi:type="q1:SecuritySettings">
<q1:UserRightsAssignment><q1:Name>SeServiceLogonRight</q1:Name><q1:Member><SID xmlns="http://www.microsoft.com/GroupPolicy/Types">S-1-5-21-1-2-3-1105</SID><Name xmlns="http://www.microsoft.com/GroupPolicy/Types">CORP\\svc-app</Name></q1:Member></q1:UserRightsAssignment>
</Extension><Name>Security</Name></ExtensionData></Computer></GPO>`;
  const inf = '[Privilege Rights]\r\nSeBatchLogonRight = CORP\\svc-app,CORP\\unknown-one\r\n';

  it('gives a name-only principal the SID the input pairs with that name, and says how it was learnt', () => {
    const unit: InputUnit = { kind: 'backup', path: '/b', display: 'b', files: [] };
    const results = [parseGpoReport(Buffer.from(report), { file: 'gpreport.xml' }), parseSecurityTemplate(Buffer.from(inf), { file: 'GptTmpl.inf' })];
    const norm = normaliseUnit({ unit, results, problems: [], outcomes: [] }, builtinCatalog());
    const batch = norm.gpos.flatMap((g) => g.settings).find((s): s is PrivilegeRightSetting => s.kind === 'privilege-right' && s.right === 'SeBatchLogonRight');
    expect(batch?.principals).toEqual([
      { sid: 'S-1-5-21-1-2-3-1105', rid: 1105, name: 'CORP\\svc-app', resolution: 'input-name-match' },
      { name: 'CORP\\unknown-one', resolution: 'unresolved' },
    ]);
  });
});
