import { describe, expect, it } from 'vitest';
import { textAuditReporter } from '../../src/reporters/audit-text.js';
import { emptyResult, FILES, FINDINGS, richResult } from './fixture.js';

const plain = { color: false };

describe('text audit reporter', () => {
  it('prints the rich fixture exactly as reviewed', async () => {
    await expect(textAuditReporter(richResult(), plain)).toMatchFileSnapshot('__snapshots__/audit-rich.txt');
  });

  it('prints an empty audit as no findings and exit 0', () => {
    expect(textAuditReporter(emptyResult(), plain)).toBe(
      'No findings.\n\n' +
        'Summary: 0 critical, 0 high, 0 medium, 0 low, 0 info; 0 suppressed; 0 not evaluated; 0 file(s) read, 0 failed, 0 not audited, 0 not recognised\n' +
        'nothing at or above --fail-on high: exit 0\n',
    );
  });

  it('lists every location of a finding as file:line or file@byte N with the setting there', () => {
    const lines = textAuditReporter(richResult(), plain).split('\n');
    const at = lines.filter((l) => l.includes('LegalNoticeCaption') && l.trimStart().startsWith('at '));
    expect(at.map((l) => l.trim().split('  ')[0])).toEqual([
      `at ${FILES.pilotReport}:120`,
      `at ${FILES.pilotTemplate}:33`,
      `at ${FILES.pilotPol}@byte 1480`,
    ]);
  });

  it('collapses not-evaluated entries to one line per input and reason', () => {
    const out = textAuditReporter(richResult(), plain);
    expect(out).toContain(
      `Not evaluated\n  ${FILES.cut}: the file could not be read (see problems): workspaces-deny-network-logon-users, workspaces-logon-banner, ` +
        'workspaces-windows-installer-disabled, workspaces-last-signed-in-displayed, workspaces-hard-disk-turn-off, workspaces-pcie-link-state-power-management\n' +
        '  all inputs: no input that can carry power plans was read (needs one of: gpp-power): workspaces-pcie-link-state-power-management\n',
    );
  });

  it('prints each rule\'s remediation once, however many findings it has', () => {
    const r = richResult();
    const second = { ...FINDINGS[1]!, gpo: { id: '{11111111-2222-3333-4444-555555555555}', name: 'Another' }, fingerprint: 'f'.repeat(32) };
    r.findings = [...r.findings, second];
    const out = textAuditReporter(r, plain);
    expect(out.split('Fix workspaces-windows-installer-disabled').length - 1).toBe(1);
    expect(out.split('remove LegalNoticeCaption under').length - 1).toBe(1);
    expect(out).toContain('GPO "Another" {11111111-2222-3333-4444-555555555555}\n  [high] workspaces-logon-banner: ');
    // A suppressed finding's rule has nothing to fix.
    expect(out).not.toContain('Fix workspaces-last-signed-in-displayed');
  });

  it('explains the exit code with the counts at or above --fail-on', () => {
    const r = richResult();
    r.problems = r.problems.filter((p) => p.severity !== 'error');
    r.failOn = 'low';
    expect(textAuditReporter(r, plain).split('\n').at(-2)).toBe('1 critical, 1 high, 1 medium, 1 low at or above --fail-on low: exit 1');
  });

  it('writes no escape codes without colour, and colours severities, problems and suppressed findings with it', () => {
    expect(textAuditReporter(richResult(), plain)).not.toContain('\x1b');
    const out = textAuditReporter(richResult(), { color: true });
    expect(out).toContain('\x1b[1;31m[critical]\x1b[0m workspaces-deny-network-logon-users: ');
    expect(out).toContain('\x1b[31m[high]\x1b[0m workspaces-logon-banner: ');
    expect(out).toContain('\x1b[33m[medium]\x1b[0m workspaces-windows-installer-disabled: ');
    expect(out).toContain('\x1b[1mHow to fix\x1b[0m\n');
    expect(out).toContain(`\x1b[2m  [medium, suppressed] workspaces-last-signed-in-displayed: `);
    expect(out).toContain(`\x1b[2m      suppressed by waiver: Lab kiosks: approved by "Sec" & <IT> ]]> until rebuild (until 2099-12-31)\x1b[0m\n`);
    expect(out).toContain(`\x1b[31m${FILES.cut} (line 88, column 3): error: document ends inside <q1:Policy> (the file is cut short) [truncated]\x1b[0m`);
    expect(out.trimEnd().split('\n').at(-1)).toBe('\x1b[31m1 input error(s) (see Problems); 1 critical, 1 high, 1 medium at or above --fail-on medium: exit 2\x1b[0m');
  });

  it('shows control characters from the audited files instead of sending them to the terminal', () => {
    const r = richResult();
    r.findings = [{ ...FINDINGS[2]!, gpo: { name: 'Evil\x1b[2J\u009bGPO\nline' } }];
    const out = textAuditReporter(r, { color: false });
    expect(out).toContain('GPO "Evil\\x1b[2J\\x9bGPO\\nline"\n');
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});
