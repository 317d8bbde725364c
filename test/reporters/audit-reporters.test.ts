import { describe, expect, it } from 'vitest';
import { AUDIT_FORMATS, AUDIT_REPORTERS } from '../../src/reporters/audit-reporters.js';
import { richResult } from './fixture.js';

describe('AUDIT_REPORTERS', () => {
  it('has exactly one reporter per --format value', () => {
    expect(Object.keys(AUDIT_REPORTERS)).toEqual([...AUDIT_FORMATS]);
    expect(AUDIT_FORMATS).toEqual(['text', 'json', 'sarif', 'junit', 'html']);
  });

  it('renders the same result in each format', () => {
    const out = Object.fromEntries(AUDIT_FORMATS.map((f) => [f, AUDIT_REPORTERS[f](richResult(), { color: false })]));
    expect(out.text!.split('\n').at(-2)).toBe('1 input error(s) (see Problems); 1 critical, 1 high, 1 medium at or above --fail-on medium: exit 2');
    expect(JSON.parse(out.json!).summary.exitCode).toBe(2);
    expect(JSON.parse(out.sarif!).runs[0].results).toHaveLength(5);
    expect(out.html!).toMatch(/^<!DOCTYPE html>\n/);
    expect(out.junit!).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="gpaudit" tests="13" failures="4" errors="1">\n/);
    for (const text of Object.values(out)) expect(text.endsWith('\n')).toBe(true);
  });
});
