// The engine's matchers and conditions name their kind (`{ kind: 'right', right }`), the rules file names it by
// its one key (`{ right: X }`). These tests hold the two forms to each other: every kind the schema allows
// converts both ways, `gpaudit rules show` prints the checks as the file wrote them, and the compiler (`npx tsc
// -p tsconfig.json --noEmit` includes test/) refuses a kind that does not exist or a switch that misses one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rulesShow } from '../../src/cli/rules-command.js';
import { evaluate, unhandled } from '../../src/engine/conditions.js';
import { loadRuleSet } from '../../src/rules/load.js';
import { rulesSchema } from '../../src/rules/schemas.js';
import type { Condition, Matcher, MatcherKind, RuleSet, SiblingRef } from '../../src/rules/types.js';
import { conditionFromYaml, conditionToYaml, matcherFromYaml, matcherToYaml, type YamlCondition, type YamlMatcher } from '../../src/rules/yaml-form.js';
import { readYamlFile } from '../../src/rules/yaml-source.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'gpaudit-types-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** One rule using every matcher and every condition of the schema, each check written as a user would. */
const EVERY_KIND = `version: 1
rules:
  every-kind:
    title: Every kind
    severity: low
    checks:
      - match: { registry: { hive: HKLM, key: 'Software\\Policies\\X', value: A } }
        when: { equals: 1 }
      - match: { registry: [{ hive: HKCU, key: 'Software\\Policies\\X', value: A }, { hive: HKLM, key: 'Software\\Policies\\Y', value: B }] }
        when: { notEquals: 'ON' }
      - match: { right: SeNetworkLogonRight }
        when: { all: [{ containsAnyPrincipal: [domain-computers] }, { lacksEveryPrincipal: ['rid:513', 'S-1-5-11'] }] }
      - match: { groupMembers: remote-desktop-users }
        when: { any: [{ nonEmpty: true }, { not: { empty: true } }] }
      - match: { powerPlan: {} }
        when: { property: sleepAfterAC, is: { notGreaterThan: { property: sleepAfterDC, zeroMeansNever: true } } }
      - match: { powerPlan: { variant: power-plan-v2 } }
        when: { property: planGuid, is: { oneOf: [abc, 1, true] } }
      - match: { accountPolicy: LockoutBadCount }
        when: { all: [{ lt: 1 }, { lte: 2 }, { gt: 3 }, { gte: 4.5 }, { anyBits: 12 }, { notOneOf: [0, 'OFF'] }] }
      - match: { directory: { attribute: sAMAccountName } }
        when: { any: [{ longerThan: 20 }, { charactersOutside: '\\p{L} _.-' }, { regex: '^-', flags: i }, { regex: 'x$' }] }
      - match: { registry: { hive: HKLM, key: 'Software\\Policies\\Power', value: AC } }
        when: { notGreaterThan: { registry: { hive: HKLM, key: 'Software\\Policies\\Power', value: DC }, otherDefault: 1200 } }
        message: 'custom {value}'
      - match: { gpo: { fact: versionMismatch } }
        when: { equals: true }
    notConfigured: pass
    rationale: Because.
    remediation: Fix it.
`;

function scratchFile(name: string, content: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  return file;
}

function load(file: string): RuleSet {
  const { ruleSet, errors } = loadRuleSet([file]);
  expect(errors).toEqual([]);
  return ruleSet!;
}

interface WrittenCheck {
  match: Record<string, unknown>;
  when: unknown;
}

/** The checks of each rule as the file wrote them, a single registry reference made a list of one (as the loader does). */
function writtenChecks(file: string): Map<string, WrittenCheck[]> {
  const data = readYamlFile(file).source!.data as { rules: Record<string, { checks?: WrittenCheck[] }> };
  const out = new Map<string, WrittenCheck[]>();
  for (const [id, rule] of Object.entries(data.rules)) {
    if (!rule.checks) continue;
    out.set(
      id,
      rule.checks.map(({ match, when }) => ({
        match: 'registry' in match && !Array.isArray(match.registry) ? { registry: [match.registry] } : match,
        when,
      })),
    );
  }
  return out;
}

/** Every key the written conditions use, at any depth. */
function conditionKeys(cond: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(cond)) cond.forEach((c) => conditionKeys(c, into));
  else if (typeof cond === 'object' && cond !== null) {
    for (const [k, v] of Object.entries(cond)) {
      into.add(k);
      if (k === 'all' || k === 'any' || k === 'not' || k === 'is') conditionKeys(v, into);
    }
  }
  return into;
}

const schemaDefs = rulesSchema().$defs as Record<string, { properties: Record<string, unknown> }>;

describe('every kind the schema allows converts both ways', () => {
  const file = scratchFile('every-kind.yaml', EVERY_KIND);
  const written = writtenChecks(file).get('every-kind')!;

  it('the fixture uses every matcher and every condition key of the schema', () => {
    expect(new Set(written.flatMap((c) => Object.keys(c.match)))).toEqual(new Set(Object.keys(schemaDefs.matcher!.properties)));
    const used = new Set<string>();
    for (const c of written) conditionKeys(c.when, used);
    // Keys inside notGreaterThan (registry, property, zeroMeansNever, otherDefault) are not condition keys.
    const conditionOnly = new Set([...used].filter((k) => Object.hasOwn(schemaDefs.condition!.properties, k)));
    expect(conditionOnly).toEqual(new Set(Object.keys(schemaDefs.condition!.properties)));
  });

  it('the loader gives the engine a kind for each, and converting back gives what the file wrote, key for key', () => {
    const rule = load(file).rules[0]!;
    expect(rule.checks.map((c) => c.match.kind)).toEqual<MatcherKind[]>([
      'registry', 'registry', 'right', 'groupMembers', 'powerPlan', 'powerPlan', 'accountPolicy', 'directory', 'registry', 'gpo',
    ]);
    expect(rule.checks[7]!.when).toEqual<Condition>({
      kind: 'any',
      conditions: [
        { kind: 'longerThan', length: 20 },
        { kind: 'charactersOutside', allowed: '\\p{L} _.-' },
        { kind: 'regex', pattern: '^-', flags: 'i' },
        { kind: 'regex', pattern: 'x$' },
      ],
    });
    expect(rule.checks[8]).toEqual({
      match: { kind: 'registry', refs: [{ hive: 'HKLM', key: 'Software\\Policies\\Power', value: 'AC' }] },
      when: { kind: 'notGreaterThan', other: { kind: 'registry', ref: { hive: 'HKLM', key: 'Software\\Policies\\Power', value: 'DC' } }, otherDefault: 1200 },
      message: 'custom {value}',
    });
    rule.checks.forEach((check, i) => {
      // JSON text, not toEqual: the order of keys is what `rules show` prints.
      expect(JSON.stringify(matcherToYaml(check.match)), `check ${i}`).toBe(JSON.stringify(written[i]!.match));
      expect(JSON.stringify(conditionToYaml(check.when)), `check ${i}`).toBe(JSON.stringify(written[i]!.when));
      expect(matcherFromYaml(matcherToYaml(check.match))).toEqual(check.match);
      expect(conditionFromYaml(conditionToYaml(check.when))).toEqual(check.when);
    });
  });
});

describe('gpaudit rules show prints the checks as the rules file wrote them', () => {
  it('for the rule using every kind', () => {
    const file = scratchFile('show.yaml', EVERY_KIND);
    const text = rulesShow(load(file), 'every-kind');
    const checks = text.slice(text.indexOf('Checks:\n') + 'Checks:\n'.length, text.indexOf('\n\nReferences:'));
    const expected = writtenChecks(file).get('every-kind')!.map((c) => `  - match ${JSON.stringify(c.match)}\n    when ${JSON.stringify(c.when)}`);
    expect(checks).toBe(expected.join('\n'));
    expect(checks).toContain('  - match {"powerPlan":{}}\n    when {"property":"sleepAfterAC","is":{"notGreaterThan":{"property":"sleepAfterDC","zeroMeansNever":true}}}');
  });

  it.each(['rules.yaml', 'test/fixtures/rules/builtin.yaml'])('for every rule of %s', (file) => {
    const ruleSet = load(file);
    const written = writtenChecks(file);
    for (const rule of ruleSet.rules) {
      const expected = written.get(rule.id)!.map((c) => `  - match ${JSON.stringify(c.match)}\n    when ${JSON.stringify(c.when)}`);
      expect(rulesShow(ruleSet, rule.id), rule.id).toContain(`Checks:\n${expected.join('\n')}\n\nReferences:`);
    }
  });

  it('word for word for a shipped rule', () => {
    expect(rulesShow(load('rules.yaml'), 'workspaces-network-logon-domain-computers')).toContain(
      'Checks:\n  - match {"right":"SeNetworkLogonRight"}\n    when {"all":[{"containsAnyPrincipal":["domain-computers"]},{"lacksEveryPrincipal":["domain-users","authenticated-users","everyone","builtin-users"]}]}\n',
    );
  });
});

describe('no silent fallback', () => {
  it('a kind that escaped the types is an error, not some other kind', () => {
    const bogusCondition = { kind: 'startsWith', value: 'x' } as unknown as Condition;
    expect(() => evaluate(bogusCondition, { kind: 'scalar', value: 'x' }, { notes: [], sibling: () => undefined })).toThrow(
      'unknown condition {"kind":"startsWith","value":"x"}',
    );
    expect(() => matcherToYaml({ kind: 'service', name: 'x' } as unknown as Matcher)).toThrow('unknown matcher');
    expect(() => matcherFromYaml({ service: 'x' } as unknown as YamlMatcher)).toThrow('unknown matcher {"service":"x"}');
    expect(() => conditionFromYaml({ startsWith: 'x' } as unknown as YamlCondition)).toThrow('unknown condition');
  });
});

// ---------------------------------------------------------------------------------------------
// Checked by the compiler only (`npx tsc -p tsconfig.json --noEmit`): each @ts-expect-error fails the type check
// if the line below it ever compiles.

export const typeLevel = (): unknown[] => [
  // @ts-expect-error a matcher kind that does not exist
  { kind: 'service', name: 'Spooler' } satisfies Matcher,
  // @ts-expect-error the YAML form is not the engine's: it has no kind
  { right: 'SeNetworkLogonRight' } satisfies Matcher,
  // @ts-expect-error a registry matcher holds a list of refs
  { kind: 'registry', refs: { hive: 'HKLM', key: 'K', value: 'V' } } satisfies Matcher,
  // @ts-expect-error a hive other than HKLM and HKCU
  { kind: 'registry', refs: [{ hive: 'HKCR', key: 'K', value: 'V' }] } satisfies Matcher,
  // @ts-expect-error a condition kind that does not exist
  { kind: 'startsWith', value: 'x' } satisfies Condition,
  // @ts-expect-error a comparison takes a number
  { kind: 'lt', value: '5' } satisfies Condition,
  // @ts-expect-error notGreaterThan names the other value by registry or property, not by both
  { kind: 'registry', ref: { hive: 'HKLM', key: 'K', value: 'V' }, property: 'x' } satisfies SiblingRef,
  // @ts-expect-error property needs is
  { kind: 'property', property: 'sleepAfterAC' } satisfies Condition,
];

/** A switch that forgets a kind does not compile: the `never` in `unhandled` is what proves every kind handled. */
export function forgetsDirectory(m: Matcher): string {
  switch (m.kind) {
    case 'registry':
    case 'right':
    case 'groupMembers':
    case 'powerPlan':
    case 'accountPolicy':
      return m.kind;
    default:
      // @ts-expect-error m can still be a directory matcher here
      return unhandled('matcher', m);
  }
}

export function forgetsNot(c: Condition): string {
  switch (c.kind) {
    case 'equals':
    case 'notEquals':
    case 'oneOf':
    case 'notOneOf':
    case 'nonEmpty':
    case 'empty':
    case 'longerThan':
    case 'charactersOutside':
    case 'regex':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
    case 'anyBits':
    case 'containsAnyPrincipal':
    case 'lacksEveryPrincipal':
    case 'notGreaterThan':
    case 'property':
    case 'all':
    case 'any':
      return c.kind;
    default:
      // @ts-expect-error c can still be a `not` condition here
      return unhandled('condition', c);
  }
}
