// A waiver names its GPO by display name or GUID; GUIDs compare as model/keys.ts compares them.
import { describe, expect, it } from 'vitest';
import { applyWaivers } from '../src/audit/waivers.js';
import type { Finding, Waiver } from '../src/model/findings.js';

const finding: Finding = {
  ruleId: 'R',
  title: 'T',
  severity: 'high',
  tags: [],
  message: 'm',
  gpo: { id: '{9A1F0C3E-B010-4D2B-8E6F-7A8B9C0D1E2F}', name: 'WorkSpaces - Desktop Baseline' },
  locations: [],
  fingerprint: 'f',
};
const waiver = (gpo: string): Waiver => ({ rule: 'R', gpo, reason: 'accepted', expires: '2099-12-31' });
const waived = (gpo: string) => applyWaivers([finding], [waiver(gpo)], '2025-01-01').findings[0]!.suppressed !== undefined;

describe('waiver GPO', () => {
  it.each([
    '{9A1F0C3E-B010-4D2B-8E6F-7A8B9C0D1E2F}',
    '{9a1f0c3e-b010-4d2b-8e6f-7a8b9c0d1e2f}',
    '9a1f0c3e-b010-4d2b-8e6f-7a8b9c0d1e2f',
    ' 9A1F0C3E-B010-4D2B-8E6F-7A8B9C0D1E2F ',
    'workspaces - desktop baseline',
  ])('%j matches', (gpo) => {
    expect(waived(gpo)).toBe(true);
  });

  it.each(['{00000000-0000-0000-0000-000000000000}', 'Other GPO', '9A1F0C3E'])('%j does not', (gpo) => {
    expect(waived(gpo)).toBe(false);
  });
});
