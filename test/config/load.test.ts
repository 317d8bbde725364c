import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRuleFileError, isRealDate, loadConfig, unknownSeverityRules, unknownWaiverRules, type AuditConfig } from '../../src/config/load.js';
import { loadRuleSet, type RuleFileError } from '../../src/rules/load.js';
import { SEVERITIES } from '../../src/model/severity.js';

const FIX = 'test/fixtures/config';
const VALID = `${FIX}/valid/.gpaudit.yaml`;
const show = (e: RuleFileError) => `${e.code} ${e.file}:${e.line}:${e.column} ${e.path} | ${e.message}`;

describe('loadConfig', () => {
  it('given a valid file, returns the typed configuration with paths resolved against the file', () => {
    const { config, errors } = loadConfig(VALID);
    expect(errors).toEqual([]);
    expect(config).toEqual({
      version: 1,
      rules: ['builtin', path.join(FIX, 'valid', 'rules', 'team.yaml')],
      failOn: 'medium',
      tags: ['workspaces'],
      severity: { 'demo-banner': 'low' },
      root: path.join(FIX, 'valid', 'exports'),
      waivers: [
        { rule: 'demo-banner', gpo: 'Default Domain Policy', reason: 'Legal requires the banner until the OU split (CHG-1234).', expires: '2026-06-30' },
        // An unquoted date stays text: the YAML 1.2 core schema has no timestamps.
        { rule: 'demo-network-logon', path: 'exports/legacy/**', reason: 'Legacy exports, retired soon.', expires: '2024-02-29' },
        // Neither gpo nor path: a rule-wide waiver, allowed because it still expires.
        { rule: 'no-such-rule', reason: 'Rule-wide waiver for a rule that does not exist.', expires: '2030-01-01' },
      ],
    } satisfies AuditConfig);
  });

  it('given its rules and severity, feeds loadRuleSet; unknown waiver rules and severity ids are left to the caller', () => {
    const { config } = loadConfig(VALID);
    const { ruleSet, errors } = loadRuleSet(config!.rules!, {
      builtinPath: 'test/fixtures/rules/builtin.yaml',
      severityOverrides: { ...config!.severity, 'not-a-rule': 'high' },
    });
    expect(errors).toEqual([]);
    // team.yaml sets medium; the configuration's severity map wins over every rules file.
    expect(ruleSet!.rules.find((r) => r.id === 'demo-banner')?.severity).toBe('low');
    expect(unknownWaiverRules(config!, ruleSet!)).toEqual([config!.waivers![2]]);
    expect(unknownSeverityRules({ ...config!, severity: { 'demo-banner': 'low', 'not-a-rule': 'high' } }, ruleSet!)).toEqual(['not-a-rule']);
  });

  it('given bad waivers, reports each problem at its place', () => {
    const f = `${FIX}/errors/bad-waivers.yaml`;
    expect(loadConfig(f).errors.map(show)).toEqual([
      `schema ${f}:3:5 /waivers/0 | missing required property "reason"`,
      `invalid-value ${f}:7:13 /waivers/1/reason | must not be blank`,
      `invalid-value ${f}:8:14 /waivers/1/expires | must be a date as YYYY-MM-DD (got "30/06/2026")`,
      `invalid-value ${f}:9:11 /waivers/2/rule | must be kebab-case: lower-case letters and digits joined by single hyphens (got "Demo_Banner")`,
      `invalid-value ${f}:11:14 /waivers/2/expires | "2025-02-30" is not a real date`,
      `unknown-property ${f}:12:5 /waivers/2/owner | unknown waiver property "owner"; expected one of rule, gpo, path, reason, expires`,
    ]);
  });

  it('given waiver globs whose regular expression could backtrack, refuses them at their place; ordinary globs load', () => {
    // picomatch compiles a glob to a backtracking RegExp: the first glob against 40 "a"s takes about 30 s.
    const f = `${FIX}/errors/backtracking-globs.yaml`;
    expect(loadConfig(f).errors.map(show)).toEqual([
      `invalid-value ${f}:4:11 /waivers/0/path | "*a*a*a*a*a*a*a*a*a*a*c" has 11 wildcards; at most 3 are allowed (* and ** count one each, so does !(...)), as each one multiplies the time matching a long path can take`,
      `invalid-value ${f}:8:11 /waivers/1/path | "exports/+(a|aa)/x.xml" has the repeating extglob "+(...)", which can make matching take exponential time`,
    ]);
  });

  it('given dates that do not exist, rejects them and accepts a leap day', () => {
    const f = `${FIX}/errors/bad-date.yaml`;
    expect(loadConfig(f).errors.map(show)).toEqual([
      `invalid-value ${f}:5:14 /waivers/0/expires | "2025-02-30" is not a real date`,
      `invalid-value ${f}:11:14 /waivers/2/expires | "2023-02-29" is not a real date`,
    ]);
  });

  it('given bad top-level values, names each with the compiler-style format', () => {
    const f = `${FIX}/errors/bad-top.yaml`;
    expect(loadConfig(f).errors.map(formatRuleFileError)).toEqual([
      `${f}:2:9: /failOn: must be one of critical, high, medium, low, info (got "hgih")`,
      `${f}:3:1: /fail-on: unknown configuration file property "fail-on"; expected one of version, rules, failOn, tags, severity, root, waivers; did you mean "failOn"?`,
      `${f}:5:16: /severity/demo-banner: must be one of critical, high, medium, low, info (got "severe")`,
      `${f}:6:9: /rules/0: rules file not found: ${FIX}/errors/absent.yaml`,
      `${f}:7:7: /tags: must be a list (got text "workspaces")`,
    ]);
  });

  it('given a rules file that does not exist, reports it at the entry', () => {
    const f = `${FIX}/errors/missing-rules.yaml`;
    expect(loadConfig(f).errors).toEqual([
      { file: f, line: 4, column: 5, path: '/rules/1', code: 'io-error', message: `rules file not found: ${FIX}/errors/nowhere.yaml` },
    ]);
  });

  it('given a YAML syntax error or a missing file, reports it', () => {
    expect(loadConfig(`${FIX}/errors/syntax.yaml`).errors.map(show)).toEqual([`yaml-syntax ${FIX}/errors/syntax.yaml:5:1  | Missing closing "quote`]);
    expect(loadConfig(`${FIX}/nope.yaml`).errors.map(formatRuleFileError)).toEqual([`${FIX}/nope.yaml: file not found`]);
  });
});

describe('isRealDate', () => {
  it.each<[string, boolean]>([
    ['2026-06-30', true],
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2026-13-01', false],
    ['2026-04-31', false],
    ['2026-00-10', false],
    ['2026-6-30', false],
    ['', false],
  ])('%j is %s', (text, expected) => {
    expect(isRealDate(text)).toBe(expected);
  });
});

describe('schemas/config.schema.json', () => {
  const schema = JSON.parse(readFileSync('schemas/config.schema.json', 'utf8')) as {
    properties: Record<string, { description?: string; examples?: unknown[] }>;
    $defs: { waiver: { properties: Record<string, { description?: string; examples?: unknown[] }>; additionalProperties: boolean } };
    additionalProperties: boolean;
  };

  it('documents every property and closes every object', () => {
    const all = { ...schema.properties, ...Object.fromEntries(Object.entries(schema.$defs.waiver.properties).map(([k, v]) => [`waiver.${k}`, v])) };
    expect(Object.entries(all).filter(([, p]) => typeof p.description !== 'string' || !Array.isArray(p.examples))).toEqual([]);
    expect([schema.additionalProperties, schema.$defs.waiver.additionalProperties]).toEqual([false, false]);
  });

  it('lists the same severities as the code', () => {
    expect((schema.properties.failOn as { enum?: string[] }).enum).toEqual([...SEVERITIES]);
  });
});
