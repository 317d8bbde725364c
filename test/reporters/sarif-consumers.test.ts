// The SARIF gpaudit writes, as the services that ingest it judge it: the Microsoft SARIF Multitool's own rules,
// its GitHub code scanning rules (`--rule-kind Gh`) and its GitHub Advanced Security for Azure DevOps rules
// (`--rule-kind Ado`), plus what GitHub needs beyond them (expectCodeScanningShape). Every kind of log gpaudit
// writes is here: a GPO audit, an audit whose only result is the audit-wide reminder, a directory scan, runs
// with waivers; `audit --ou` is in test/cli-policy.test.ts. docs/ci-consumers.md explains the choices.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { directoryArtifactUri, toSarif, type SarifLog } from '../../src/reporters/sarif.js';
import { cli } from '../helpers/cli.js';
import { AZURE_PIPELINES_ENV, expectCodeScanningShape, NO_PIPELINE_ENV, validateForAllConsumers, validateForGitHub } from './ci-consumers.js';
import { directoryResult, DNS, richResult, RULES } from './fixture.js';
import { validateSarif } from './multitool.js';

const dir = mkdtempSync(join(tmpdir(), 'gpaudit-sarif-consumers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, log: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof log === 'string' ? log : JSON.stringify(log, null, 2));
  return file;
}

/** `gpaudit audit ARGS --format sarif`, once as GitHub Actions (or a workstation) runs it and once in an Azure Pipelines job. */
async function auditSarif(args: string[]): Promise<{ github: SarifLog; azure: SarifLog; code: number }> {
  const github = await cli(['audit', ...args, '--format', 'sarif'], NO_PIPELINE_ENV);
  const azure = await cli(['audit', ...args, '--format', 'sarif'], AZURE_PIPELINES_ENV);
  expect(azure.code).toBe(github.code);
  return { github: JSON.parse(github.stdout), azure: JSON.parse(azure.stdout), code: github.code };
}

/** Zero errors and zero warnings from every rule kind that applies, and the shape GitHub needs. */
function expectAccepted(name: string, logs: { github: SarifLog; azure: SarifLog }): void {
  expect(validateForGitHub(write(`${name}.github.sarif`, logs.github))).toEqual([]);
  expect(validateForAllConsumers(write(`${name}.azure.sarif`, logs.azure))).toEqual([]);
  expectCodeScanningShape(logs.github);
  expectCodeScanningShape(logs.azure);
  expect(logs.github.runs[0]).not.toHaveProperty('automationDetails');
  expect(logs.azure.runs[0].automationDetails?.id).toMatch(/^azuredevops\/pipeline\/build\//);
}

const lineOf = (file: string, text: string) => readFileSync(file, 'utf8').split('\n').indexOf(text) + 1;

describe('SARIF that GitHub code scanning and GHAzDO accept', () => {
  it('a GPO audit (samples/broken): every result in a file, Registry.pol ones with line 1 beside the byte offset', async () => {
    const logs = await auditSarif(['samples/broken']);
    expect(logs.code).toBe(1);
    expectAccepted('broken', logs);
    const pol = logs.github.runs[0].results.flatMap((r) => r.locations ?? []).filter((l) => l.physicalLocation.artifactLocation.uri.endsWith('Registry.pol'));
    expect(pol.length).toBeGreaterThan(3);
    const caption = pol.find((l) => l.message?.text.includes('DisableMSI'))!;
    expect(caption.physicalLocation.region).toEqual({
      startLine: 1,
      byteOffset: expect.any(Number),
      snippet: { text: caption.message!.text },
      message: { text: `binary file: the record starts at byte ${caption.physicalLocation.region!.byteOffset}; line 1 stands for the whole file` },
    });
    expect(caption.physicalLocation.region!.snippet!.text).toMatch(/^HKLM\\Software\\Policies\\Microsoft\\Windows\\Installer\\DisableMSI = \d+ \(REG_DWORD\)/);
  });

  it('an audit whose only result is the audit-wide reminder: located at the rule in rules.yaml', async () => {
    const logs = await auditSarif(['samples/clean/registry-pol']);
    expect(logs.code).toBe(0);
    expectAccepted('reminder', logs);
    const results = logs.github.runs[0].results;
    expect(results.map((r) => r.ruleId)).toEqual(['workspaces-last-signed-in-displayed']);
    // The tests run in the repository, the root: the built-in pack is rules.yaml there, relative to %SRCROOT%.
    expect(results[0]!.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'rules.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: lineOf('rules.yaml', '  workspaces-last-signed-in-displayed:') },
        },
        message: { text: 'where rule workspaces-last-signed-in-displayed is defined: nothing the audit read sets what the rule checks, and its notConfigured says to report that' },
      },
    ]);
  });

  it('a run with waivers: the waived finding is an accepted external suppression, still located', async () => {
    const config = join(dir, 'waivers.yaml');
    writeFileSync(config, 'version: 1\nwaivers:\n  - rule: workspaces-windows-installer-disabled\n    reason: Packaging lab; CHG-42\n    expires: 2999-12-31\n');
    const logs = await auditSarif(['samples/broken', '--config', config]);
    expectAccepted('waivers', logs);
    const waived = logs.github.runs[0].results.filter((r) => r.suppressions);
    expect(waived.length).toBeGreaterThan(0);
    for (const r of waived) {
      expect(r.ruleId).toBe('workspaces-windows-installer-disabled');
      expect(r.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'Packaging lab; CHG-42', properties: { expires: '2999-12-31' } }]);
    }
  });

  it('a directory scan (with a waiver): each object at directory/<DN>, its DN the logical location', () => {
    const github = toSarif(directoryResult());
    const azure = toSarif(directoryResult(), { environment: AZURE_PIPELINES_ENV });
    expectAccepted('directory', { github, azure });
    const results = github.runs[0].results;
    expect(results.map((r) => [r.ruleId, r.locations!.map((l) => l.physicalLocation.artifactLocation)])).toEqual([
      ['workspaces-user-missing-email', [{ uri: 'directory/CN=Smith%5C,%20Anna,OU=Staff,DC=corp,DC=example', uriBaseId: '%SRCROOT%' }]],
      ['workspaces-login-shell-override', [{ uri: 'directory/CN=J%C3%BCrgen%2FLab%20%231,OU=Staff,DC=corp,DC=example', uriBaseId: '%SRCROOT%' }]],
      ['workspaces-user-missing-email', [{ uri: 'directory/CN=Kiosk%207,OU=Kiosks,DC=corp,DC=example', uriBaseId: '%SRCROOT%' }]],
      ['gpo-sysvol-missing', [{ uri: `directory/CN=%7B31B2F340-016D-11D2-945F-00C04FB984F9%7D,CN=Policies,CN=System,DC=corp,DC=example`, uriBaseId: '%SRCROOT%' }]],
    ]);
    expect(results[0]!.locations![0]).toEqual({
      physicalLocation: {
        artifactLocation: { uri: 'directory/CN=Smith%5C,%20Anna,OU=Staff,DC=corp,DC=example', uriBaseId: '%SRCROOT%' },
        region: { startLine: 1, snippet: { text: `dn: ${DNS.smith}` } },
      },
      logicalLocations: [{ name: 'asmith', fullyQualifiedName: DNS.smith, kind: 'object' }],
      message: { text: 'on ldaps://dc1.corp.example:636' },
    });
    // A GPO container names its GPO too, after the object.
    expect(results[3]!.locations![0]!.logicalLocations!.map((l) => l.kind)).toEqual(['object', 'module']);
    expect(results[2]!.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'Kiosk accounts have no mailbox', properties: { expires: '2099-12-31', path: 'CN=Kiosk *,OU=Kiosks,*' } },
    ]);
  });

  it('the hand-made rich result too (three formats, RSoP, a waiver, an audit-wide finding, a failed input)', () => {
    expectAccepted('rich', { github: toSarif(richResult()), azure: toSarif(richResult(), { environment: AZURE_PIPELINES_ENV }) });
  });
});

describe('directory/<DN> artifact URIs', () => {
  it('keep a DN readable and decode back to it, one segment whatever the DN holds', () => {
    expect(directoryArtifactUri('CN=Smith\\, Anna+UID=as1,OU=Staff,DC=corp,DC=example')).toBe('directory/CN=Smith%5C,%20Anna+UID=as1,OU=Staff,DC=corp,DC=example');
    expect(directoryArtifactUri('CN=a/b?c#d%e;f,DC=x')).toBe('directory/CN=a%2Fb%3Fc%23d%25e;f,DC=x');
    expect(directoryArtifactUri('CN=..,DC=x')).toBe('directory/CN=..,DC=x');
    for (const dn of Object.values(DNS)) {
      const uri = directoryArtifactUri(dn);
      expect(uri.split('/')).toHaveLength(2);
      expect(decodeURIComponent(uri.split('/')[1]!)).toBe(dn);
      expect(uri).toMatch(/^[A-Za-z0-9\-._~!$&'()*+,;=@%/]+$/);
    }
  });
});

describe('where a result with no file of its own points', () => {
  it('the built-in pack of an installed gpaudit, outside the root: an absolute file: URI at the rule\'s line', () => {
    const result = richResult();
    result.rules = RULES.map((r) => ({ ...r, source: { file: '/usr/lib/node_modules/gpaudit/rules.yaml', line: 212 } }));
    const location = toSarif(result).runs[0].results[4]!.locations![0]!;
    expect(location.physicalLocation).toEqual({ artifactLocation: { uri: 'file:///usr/lib/node_modules/gpaudit/rules.yaml' }, region: { startLine: 212 } });
  });

  it('a rules file inside the root: relative to %SRCROOT%; an `audit --ou` reminder names its OU', () => {
    const result = richResult();
    result.rules = RULES.map((r) => ({ ...r, source: { file: '/srv/gp audit/policy/our rules.yaml', line: 9 } }));
    result.findings = [{ ...result.findings[4]!, notConfigured: true, ou: 'OU=WorkSpaces,DC=corp,DC=example' }];
    expect(toSarif(result).runs[0].results[0]!.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: 'policy/our%20rules.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 9 } },
        logicalLocations: [{ name: 'OU=WorkSpaces,DC=corp,DC=example', fullyQualifiedName: 'OU=WorkSpaces,DC=corp,DC=example', kind: 'object' }],
        message: {
          text: 'where rule workspaces-hard-disk-turn-off is defined: nothing that reaches OU=WorkSpaces,DC=corp,DC=example sets what the rule checks, and its notConfigured says to report that',
        },
      },
    ]);
  });
});

describe('the run\'s identity', () => {
  it('names the driver in full, with its semantic version', () => {
    expect(toSarif(richResult()).runs[0].tool.driver).toMatchObject({ name: 'gpaudit', fullName: 'gpaudit 0.1.0', version: '0.1.0', semanticVersion: '0.1.0' });
    const dev = richResult();
    dev.tool = { name: 'gpaudit', version: '0.1' };
    expect(toSarif(dev).runs[0].tool.driver).not.toHaveProperty('semanticVersion');
  });

  it('in an Azure Pipelines job: automationDetails as GHAzDO files runs', () => {
    const run = toSarif(richResult(), { environment: AZURE_PIPELINES_ENV }).runs[0];
    expect(run.automationDetails).toEqual({
      id: 'azuredevops/pipeline/build/contoso/6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b/42/0e7d2c1b-3a4f-4e5d-9c8b-7a6f5e4d3c2b/refs/heads/main/1234',
      properties: {
        'azuredevops/pipeline/build/buildDefinitionId': '42',
        'azuredevops/pipeline/build/buildDefinitionName': 'gpo-audit',
        'azuredevops/pipeline/build/phaseId': '0e7d2c1b-3a4f-4e5d-9c8b-7a6f5e4d3c2b',
        'azuredevops/pipeline/build/phaseName': 'Audit',
      },
    });
    expect(run).not.toHaveProperty('versionControlProvenance');
    const legacy = toSarif(richResult(), { environment: { ...AZURE_PIPELINES_ENV, SYSTEM_COLLECTIONURI: 'https://contoso.visualstudio.com/' } }).runs[0];
    expect(legacy.automationDetails?.id).toMatch(/^azuredevops\/pipeline\/build\/contoso\//);
  });

  it('elsewhere, none: GitHub\'s upload-sarif would keep it and ignore the workflow\'s `category`', async () => {
    expect(toSarif(richResult()).runs[0]).not.toHaveProperty('automationDetails');
    expect(toSarif(richResult(), { environment: { GITHUB_ACTIONS: 'true', TF_BUILD: 'False' } }).runs[0]).not.toHaveProperty('automationDetails');
    // So GHAzDO's rules turn such a log down, for that reason alone.
    const found = validateSarif(write('not-in-a-pipeline.sarif', toSarif(richResult())), { ruleKinds: ['Ado'] });
    expect(found.map((r) => [r.ruleId, r.level])).toEqual([['GHAzDO1014', 'error']]);
  });

  it('in a pipeline that lacks a variable: no automationDetails, and a configuration notice that says which', () => {
    const env = { ...AZURE_PIPELINES_ENV, SYSTEM_PHASEID: undefined, SYSTEM_JOBID: undefined };
    const run = toSarif(richResult(), { environment: env }).runs[0];
    expect(run).not.toHaveProperty('automationDetails');
    expect(run.invocations[0].toolConfigurationNotifications!.at(-1)).toEqual({
      level: 'warning',
      message: { text: 'running in Azure Pipelines (TF_BUILD) without SYSTEM_PHASEID: no automationDetails written, so GitHub Advanced Security for Azure DevOps will not accept this log' },
    });
  });
});
