// Baselines (`--baseline`) written by earlier versions hold finding fingerprints: the same input must keep giving
// the same fingerprints. These are the values gpaudit 0.1.0 gave for the bundled broken samples.
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';

describe('finding fingerprints', () => {
  it('stay what earlier versions wrote for the same input', async () => {
    const r = await cli(['audit', 'samples/broken/backups', '--format', 'json']);
    const doc = JSON.parse(r.stdout) as { findings: { ruleId: string; gpo?: { id?: string }; fingerprint: string }[] };
    const of = (ruleId: string) => doc.findings.filter((f) => f.ruleId === ruleId).map((f) => [f.gpo?.id, f.fingerprint]);
    const GPO = '{9A1F0C3E-B010-4D2B-8E6F-7A8B9C0D1E2F}';
    // A registry value read from two formats, a user right, and a power plan.
    expect(of('workspaces-windows-installer-disabled')).toEqual([[GPO, '2e3f2ab854c33997813b49f4fcd613e8']]);
    expect(of('workspaces-network-logon-domain-computers')).toEqual([[GPO, '3eda15d3fd95fa9d68803571add46102']]);
    expect(of('workspaces-power-plan-sleeps')).toEqual([[GPO, '0c6086add35417ed6ebce704152eed4c']]);
  });
});
