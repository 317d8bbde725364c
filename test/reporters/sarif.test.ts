import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveInputPath } from '../../src/pipeline/walk.js';
import { artifactUri, FINGERPRINT_KEY, pascalCase, SARIF_SCHEMA, toSarif } from '../../src/reporters/sarif.js';
import { emptyResult, FILES, FINDINGS, richResult } from './fixture.js';
import { validateSarif } from './multitool.js';

const PILOT_URI = 'estate/Pilot%20100%25%20%7B9A1F0C3E-B010-4D2B-8E6F-7A8B9C0D1E2F%7D';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const rich = () => toSarif(richResult());

describe('artifactUri', () => {
  // The walk resolves a path against the working directory and the root once (resolveInputPath); SARIF encodes it.
  const posix = (file: string, root = '/srv/gp audit', cwd = '/srv/gp audit') => artifactUri(resolveInputPath(file, cwd, root, path.posix), path.posix);
  const win = (file: string, root = 'C:\\Audit', cwd = 'C:\\Audit') => artifactUri(resolveInputPath(file, cwd, root, path.win32), path.win32);

  it('makes a path inside the root a relative reference with every segment percent-encoded', () => {
    expect(posix(FILES.pilotPol)).toEqual({ uri: `${PILOT_URI}/DomainSysvol/GPO/Machine/Registry.pol`, relative: true });
    expect(posix('Gäste/a#b?c[1].xml').uri).toBe('G%C3%A4ste/a%23b%3Fc%5B1%5D.xml');
    expect(posix('100%/50%25.inf').uri).toBe('100%25/50%2525.inf');
    // A colon in the first segment would make the reference read as a scheme.
    expect(posix('c:x/y.pol').uri).toBe('c%3Ax/y.pol');
    // On POSIX a backslash is part of a file name, not a separator.
    expect(posix('a\\b.xml').uri).toBe('a%5Cb.xml');
    expect(posix('\uD800x.pol').uri).toBe('%EF%BF%BDx.pol');
  });

  it('resolves the file against the working directory and the root against it too', () => {
    expect(posix('/srv/gp audit/x y.inf').uri).toBe('x%20y.inf');
    expect(posix('a.xml', '/srv/gp audit', '/srv/gp audit/estate').uri).toBe('estate/a.xml');
    expect(posix('a b.xml', '.', '/w').uri).toBe('a%20b.xml');
    expect(posix('estate/a.xml', 'estate', '/w').uri).toBe('a.xml');
  });

  it('falls back to an absolute file: URI outside the root', () => {
    expect(posix('../other {x}/a b.pol')).toEqual({ uri: 'file:///srv/other%20%7Bx%7D/a%20b.pol', relative: false });
    expect(posix('/srv/gp audit')).toEqual({ uri: 'file:///srv/gp%20audit', relative: false });
    expect(posix('/srv/gp auditx/a.pol').uri).toBe('file:///srv/gp%20auditx/a.pol');
  });

  it('handles Windows separators, drives and UNC paths', () => {
    expect(win('GPOs\\{31B2F340-016D-11D2-945F-00C04FB984F9}\\Machine\\Registry.pol')).toEqual({
      uri: 'GPOs/%7B31B2F340-016D-11D2-945F-00C04FB984F9%7D/Machine/Registry.pol',
      relative: true,
    });
    expect(win('D:\\x y\\a.pol')).toEqual({ uri: 'file:///D:/x%20y/a.pol', relative: false });
    expect(win('\\\\server\\share\\a b.pol')).toEqual({ uri: 'file://server/share/a%20b.pol', relative: false });
  });

  it('gives a reference that a URL parser resolves unchanged and that decodes back to the file name', () => {
    const segment = fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !s.includes('/') && s !== '.' && s !== '..' && !LONE_SURROGATE.test(s));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (segments) => {
        const { uri, relative } = posix(segments.join('/'));
        expect(relative).toBe(true);
        expect(new URL(uri, 'file:///srv/gp%20audit/').pathname).toBe(`/srv/gp%20audit/${uri}`);
        expect(uri.split('/').map(decodeURIComponent)).toEqual(segments);
        expect(uri).toMatch(/^[A-Za-z0-9\-._~!$&'()*+,;=@%/]+$/);
      }),
    );
  });
});

describe('SARIF reporter', () => {
  it('writes one run of a 2.1.0 log with the driver and its rules', () => {
    const log = rich();
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect([driver.name, driver.version, driver.informationUri]).toEqual(['gpaudit', '0.1.0', 'https://github.com/gpaudit/gpaudit']);
    expect(driver.rules.map((r) => [r.id, r.defaultConfiguration.level, r.properties['security-severity']])).toEqual([
      ['workspaces-deny-network-logon-users', 'error', '9.5'],
      ['workspaces-logon-banner', 'error', '8.0'],
      ['workspaces-windows-installer-disabled', 'warning', '5.5'],
      ['workspaces-last-signed-in-displayed', 'warning', '5.5'],
      ['workspaces-hard-disk-turn-off', 'note', '3.0'],
      ['workspaces-pcie-link-state-power-management', 'note', '3.0'],
    ]);
    expect(driver.rules[1]).toEqual({
      id: 'workspaces-logon-banner',
      name: 'WorkspacesLogonBanner',
      shortDescription: { text: 'An interactive logon message (logon banner) is set' },
      fullDescription: { text: 'A logon banner puts a dialog in front of the Windows sign-in that the WorkSpaces client cannot answer.' },
      help: {
        text:
          'How to fix: Set "Interactive logon: Message title" to Not Defined and remove LegalNoticeCaption under HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon.\n\n' +
          'References:\n- WorkSpaces troubleshooting: logon banner: https://docs.aws.amazon.com/workspaces/latest/adminguide/amazon-workspaces-troubleshooting.html#logon_banner\n- Shipped notes (workspaces-guidance.md)',
        markdown:
          '**How to fix:** Set "Interactive logon: Message title" to Not Defined and remove LegalNoticeCaption under HKLM\\\\Software\\\\Microsoft\\\\Windows NT\\\\CurrentVersion\\\\Winlogon.\n\n' +
          '**References**\n\n- [WorkSpaces troubleshooting: logon banner](https://docs.aws.amazon.com/workspaces/latest/adminguide/amazon-workspaces-troubleshooting.html#logon_banner)\n- Shipped notes (workspaces-guidance.md)',
      },
      helpUri: 'https://docs.aws.amazon.com/workspaces/latest/adminguide/amazon-workspaces-troubleshooting.html#logon_banner',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['workspaces', 'logon'], 'security-severity': '8.0', severity: 'high' },
    });
    expect(driver.rules[0]).not.toHaveProperty('helpUri');
  });

  it('derives PascalCase rule names from ids', () => {
    expect(pascalCase('workspaces-pcie-link-state-power-management')).toBe('WorkspacesPcieLinkStatePowerManagement');
    expect(pascalCase('rule_2--x.y')).toBe('Rule2XY');
  });

  it('gives a finding read from three formats three locations relative to %SRCROOT%, with line or byte offset', () => {
    const run = rich().runs[0];
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///srv/gp%20audit/', description: expect.objectContaining({ text: expect.any(String) }) } });
    const banner = run.results[1]!;
    expect([banner.ruleId, banner.ruleIndex, banner.level]).toEqual(['workspaces-logon-banner', 1, 'error']);
    expect(banner.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: '5e0d8f2a1c3b4a5968778695a4b3c2d1' });
    expect(banner.locations!.map((l) => [l.physicalLocation!.artifactLocation, l.physicalLocation!.region])).toEqual([
      [{ uri: `${PILOT_URI}/gpreport.xml`, uriBaseId: '%SRCROOT%' }, { startLine: 120 }],
      [{ uri: `${PILOT_URI}/DomainSysvol/GPO/Machine/microsoft/windows%20nt/SecEdit/GptTmpl.inf`, uriBaseId: '%SRCROOT%' }, { startLine: 33 }],
      // Registry.pol is binary: the byte offset stays; line 1 and a snippet naming the setting give viewers a line.
      [
        { uri: `${PILOT_URI}/DomainSysvol/GPO/Machine/Registry.pol`, uriBaseId: '%SRCROOT%' },
        {
          startLine: 1,
          byteOffset: 1480,
          snippet: { text: FINDINGS[1]!.locations[2]!.setting },
          message: { text: 'binary file: the record starts at byte 1480; line 1 stands for the whole file' },
        },
      ],
    ]);
    expect(banner.locations![2]!.logicalLocations).toEqual([{ name: 'WorkSpaces {Pilot} 100% Gäste', fullyQualifiedName: '{9A1F0C3E-B010-4D2B-8E6F-7A8B9C0D1E2F}', kind: 'module' }]);
    expect(banner.locations![2]!.message!.text).toContain('LegalNoticeCaption = "Gäste <Hinweis>');
  });

  it('keeps RSoP precedence, waivers as external suppressions, and locates an audit-wide finding at its rule\'s definition', () => {
    const results = rich().runs[0].results;
    expect(results[0]!.properties.rsop).toEqual({ precedence: 1, winner: true });
    expect(results[0]!.level).toBe('error');
    expect(results[3]!.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'Lab kiosks: approved by "Sec" & <IT> ]]> until rebuild',
        properties: { expires: '2099-12-31', gpo: 'Kiosk & Lab <Test> "A" \'B\'', path: 'estate/kiosk/**' },
      },
    ]);
    expect(results.filter((r) => r.suppressions)).toHaveLength(1);
    expect(results[4]!.ruleId).toBe('workspaces-hard-disk-turn-off');
    expect(results[4]!.level).toBe('note');
    // It has no file of its own: GitHub would drop it without a location, so it points at where its rule is defined.
    expect(results[4]!.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: 'rules.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } },
        message: { text: 'where rule workspaces-hard-disk-turn-off is defined: the finding names no file of its own' },
      },
    ]);
  });

  it('reports parse failures, not-evaluated rules and notices as notifications', () => {
    const invocation = rich().runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(false);
    const notes = invocation.toolExecutionNotifications!;
    expect(notes).toHaveLength(3 + 7);
    expect(notes[2]).toEqual({
      level: 'error',
      message: { text: 'document ends inside <q1:Policy> (the file is cut short)' },
      descriptor: { id: 'truncated' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'estate/broken/cut%231.xml', uriBaseId: '%SRCROOT%' }, region: { startLine: 88 } } }],
    });
    expect(notes[1]!.locations![0]!.physicalLocation!.region).toEqual({ byteOffset: 2048 });
    expect(notes[9]).toEqual({
      level: 'warning',
      message: { text: 'workspaces-pcie-link-state-power-management was not evaluated: no input that can carry power plans was read (needs one of: gpp-power)' },
      descriptor: { id: 'not-evaluated' },
      associatedRule: { id: 'workspaces-pcie-link-state-power-management', index: 5 },
    });
    expect(invocation.toolConfigurationNotifications).toEqual([{ level: 'warning', message: { text: richResult().notices[0] } }]);
    const empty = toSarif(emptyResult()).runs[0].invocations[0];
    expect(empty).toEqual({ executionSuccessful: true });
  });

  describe('validated by Microsoft SARIF Multitool', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-sarif-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, doc: unknown) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(doc, null, 2));
      return file;
    };

    it('finds no error or warning in the rich and the empty log', () => {
      expect(validateSarif(write('rich.sarif', rich()))).toEqual([]);
      expect(validateSarif(write('empty.sarif', toSarif(emptyResult())))).toEqual([]);
    });

    it('does find errors in a deliberately broken log (so the check above can fail)', () => {
      const broken = JSON.parse(JSON.stringify(rich()));
      delete broken.runs[0].tool.driver.name;
      broken.runs[0].results[0].level = 'severe';
      broken.runs[0].results[1].locations[0].physicalLocation.region = { startLine: 0 };
      const found = validateSarif(write('broken.sarif', broken));
      expect(found.map((r) => [r.ruleId, r.level])).toEqual([
        ['JSON1002', 'error'],
        ['JSON1019', 'error'],
        ['JSON1008', 'error'],
      ]);
    });

    it('meets GitHub code scanning\'s rules, the audit-wide result included', () => {
      expect(validateSarif(write('rich-gh.sarif', rich()), ['--rule-kind', 'Gh'])).toEqual([]);
      expect(validateSarif(write('empty-gh.sarif', toSarif(emptyResult())), ['--rule-kind', 'Gh'])).toEqual([]);
    });
  });
});
