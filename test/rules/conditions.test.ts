import { describe, expect, it } from 'vitest';
import type { PowerPlanSetting, Principal } from '../../src/model/settings.js';
import { evaluate as evaluateCondition, notGreater, type ConditionContext, type SubjectValue } from '../../src/engine/conditions.js';
import { hasRepetition, matchPaths, regexRisk } from '../../src/rules/safe-regex.js';
import { conditionFromYaml, type YamlCondition as Condition } from '../../src/rules/yaml-form.js';

/** The conditions below are written as a rules file writes them; the engine gets them as the loader makes them. */
const evaluate = (cond: Condition, subject: SubjectValue, c: ConditionContext): boolean => evaluateCondition(conditionFromYaml(cond), subject, c);

const ctx = (siblings: Record<string, number> = {}): ConditionContext => ({
  notes: [],
  sibling: (ref) => siblings[`${ref.key}\\${ref.value}`.toLowerCase()],
});
const scalar = (value: string | number | boolean): SubjectValue => ({ kind: 'scalar', value });
const principals = (...ps: Principal[]): SubjectValue => ({ kind: 'principals', value: ps });
const DU: Principal = { sid: 'S-1-5-21-1-2-3-513', rid: 513, resolution: 'input-sid' };
const DC: Principal = { sid: 'S-1-5-21-1-2-3-515', rid: 515, resolution: 'input-sid' };
const ADMINS: Principal = { sid: 'S-1-5-32-544', resolution: 'input-sid' };
const NAMED: Principal = { name: 'CORP\\WorkSpaces Users', resolution: 'unresolved' };

describe('scalar conditions', () => {
  it.each<[Condition, SubjectValue, boolean]>([
    [{ equals: 1 }, scalar(1), true],
    [{ equals: 1 }, scalar('1'), true], // legacy REG_SZ "1"
    [{ equals: 1 }, scalar(0), false],
    [{ notEquals: '8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c' }, scalar('8C5E7FDA-E8BF-4A96-9A85-A6E23A8C635C'), false], // GUIDs without case
    [{ notEquals: '8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c' }, scalar('a1841308-3541-4fab-bc81-f71556f20b4a'), true],
    [{ oneOf: [1, 2] }, scalar(2), true],
    [{ oneOf: [1, 2] }, scalar(0), false],
    [{ notOneOf: ['OFF', 0] }, scalar('off'), false],
    [{ notOneOf: ['OFF', 0] }, scalar('ON'), true],
    [{ nonEmpty: true }, scalar(''), false],
    [{ nonEmpty: true }, scalar('  '), false],
    [{ nonEmpty: true }, scalar('Notice'), true],
    [{ nonEmpty: true }, { kind: 'strings', value: [] }, false],
    [{ nonEmpty: true }, { kind: 'strings', value: ['', 'line'] }, true],
    [{ regex: '^Auth', flags: 'i' }, scalar('authorised'), true],
    [{ gt: 0 }, scalar(900), true],
    [{ gt: 0 }, scalar('0'), false],
    [{ lte: 5 }, scalar(5), true],
    [{ anyBits: 12 }, scalar(4), true],
    [{ anyBits: 12 }, scalar(3), false],
    [{ anyBits: 12 }, scalar(67108863), true],
    [{ all: [{ gt: 1 }, { lt: 10 }] }, scalar(5), true],
    [{ any: [{ equals: 1 }, { equals: 2 }] }, scalar(3), false],
    [{ not: { equals: 1 } }, scalar(3), true],
  ])('%j on %j → %s', (cond, subject, expected) => {
    expect(evaluate(cond, subject, ctx())).toBe(expected);
  });
});

describe('regular expressions a rule built in code gives the engine', () => {
  // The loader refuses these with a located error (load.test.ts); a rule made without it is refused when it runs,
  // before the pattern ever sees a value.
  it('refuses a backtracking regex instead of running it', () => {
    expect(() => evaluate({ regex: '^(a+)+$' }, scalar(`${'a'.repeat(35)}!`), ctx())).toThrow(/"\^\(a\+\)\+\$" is refused: it can backtrack for exponential time/);
  });

  it('refuses a charactersOutside body that closes its class', () => {
    expect(() => evaluate({ charactersOutside: 'a]|(a+)+$|[b' }, scalar('aaaa'), ctx())).toThrow(/unescaped "\]" at character 2/);
  });

  it('runs linear patterns as before', () => {
    expect(evaluate({ regex: '^[a-z]+(-[a-z]+)*$' }, scalar('gp-audit'), ctx())).toBe(true);
    const c = ctx();
    expect(evaluate({ charactersOutside: 'a-z\\]' }, scalar('a]b!'), c)).toBe(true);
    expect(c.notes).toEqual(['not allowed: "!" (U+0021)']);
  });
});

describe('matchPaths: ways a pattern tries at one position', () => {
  it.each<[string, string, number]>([
    ['^-', '', 1],
    ['^9\\d\\d$', 'i', 1],
    ['^(foo|bar|baz)-(x|y)\\d{3}$', '', 6],
    ['\\d{1,5}', '', 5],
    ['^(?:[0-9]{1,3}\\.){3}[0-9]{1,3}$', '', 81],
    ['(a|a){22}b', '', 2 ** 22],
    ['(?:a|b)(?<n>c|d)(?<=e|f)(?!g|h)', '', 16],
    ['\\p{L}+( \\p{L}+)*$', 'u', 2 * 3],
    ['[(|)]\\(\\|\\)', '', 1],
    ['[[a]|b]+', 'v', 2],
  ])('%s (flags "%s") → %d', (pattern, flags, expected) => {
    expect(matchPaths(pattern, flags)).toBe(expected);
  });

  it('refuses a pattern that is linear in the value but tries too many ways at each position', () => {
    expect(regexRisk('(a|a){22}b')).toMatch(/^can try more than 10000 ways to match at one position/);
    expect(regexRisk('^(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)(a|a)b')).toMatch(/^can try more than 10000 ways/);
    expect(regexRisk('^[ab]{22}c')).toBeUndefined();
  });

  it('analyses a v-flag pattern as u (recheck does not know v) unless it uses class set syntax', () => {
    expect(regexRisk('^[a-z]+$', 'v')).toBeUndefined();
    expect(regexRisk('^(a|a)*$', 'v')).toMatch(/^can backtrack for exponential time/);
    expect(regexRisk('^[\\p{L}--[a-z]]+$', 'v')).toMatch(/class set syntax/);
    expect(regexRisk('^[\\p{L}--[a-z]]$', 'v')).toBeUndefined(); // no repetition: nothing to analyse
  });
});

describe('hasRepetition: which patterns need the analyser', () => {
  it.each<[string, string, boolean]>([
    ['^-', '', false],
    ['^9\\d\\d$', 'i', false],
    ['(?:ab|cd)(?<n>x)(?=y)(?<!z)', '', false],
    ['[*+?{]\\*\\p{L}\\u{1F600}', 'u', false],
    ['a?', '', true],
    ['\\(?', '', true],
    ['a{2}', '', true],
    ['[[]a+', '', true], // without v, "[" inside a class is a character and "]" ends it
    ['[[a]b]+', 'v', true],
    ['[[a]b]', 'v', false],
  ])('%s (flags "%s") → %s', (pattern, flags, expected) => {
    expect(hasRepetition(pattern, flags)).toBe(expected);
  });
});

describe('principal conditions', () => {
  it('finds Domain Computers by RID in any domain, and the absence of every user group', () => {
    const cond: Condition = { all: [{ containsAnyPrincipal: ['domain-computers'] }, { lacksEveryPrincipal: ['domain-users', 'authenticated-users', 'everyone', 'builtin-users'] }] };
    expect(evaluate(cond, principals(ADMINS, DC), ctx())).toBe(true);
    expect(evaluate(cond, principals(ADMINS, DC, DU), ctx())).toBe(false);
    expect(evaluate(cond, principals(ADMINS), ctx())).toBe(false);
  });

  it('notes unresolved names when it concludes a group is missing', () => {
    const c = ctx();
    expect(evaluate({ lacksEveryPrincipal: ['domain-users'] }, principals(ADMINS, NAMED), c)).toBe(true);
    expect(c.notes).toEqual(['names gpaudit could not resolve to a SID: CORP\\WorkSpaces Users; if one of them covers the users, waive this finding']);
  });

  it('an empty right (granted to no one) lacks every principal', () => {
    expect(evaluate({ lacksEveryPrincipal: ['builtin-users'] }, principals(), ctx())).toBe(true);
  });
});

describe('comparisons with a sibling value', () => {
  const disk = 'Software\\Policies\\Microsoft\\Power\\PowerSettings\\6738E2C4-E8A5-4A42-B16A-E040E769756E';
  const cond: Condition = { notGreaterThan: { registry: { hive: 'HKLM', key: disk, value: 'DCSettingIndex' }, zeroMeansNever: true, otherDefault: 1200 } };
  const siblings = (dc?: number) => ctx(dc === undefined ? {} : { [`${disk}\\DCSettingIndex`.toLowerCase()]: dc });

  it.each<[number, number | undefined, boolean]>([
    [600, 1200, true], // plugged in shorter than on battery
    [1200, 1200, true], // equal is not greater
    [1800, 1200, false],
    [0, 1200, false], // never turns off while plugged in
    [600, 0, true], // battery never, plugged in does: not greater
    [600, undefined, true], // battery default 20 minutes
    [3600, undefined, false],
  ])('AC %s vs DC %s → %s', (ac, dc, expected) => {
    expect(evaluate(cond, scalar(ac), siblings(dc))).toBe(expected);
  });

  it('compares two properties of one power-plan item', () => {
    const plan: PowerPlanSetting = {
      kind: 'power-plan', variant: 'power-plan-v2', itemName: 'Balanced', planGuid: '381b4222-f694-41f0-9685-ff5bb260df2e', makeActive: true,
      properties: { turnOffHDAC: '20', turnOffHDDC: '20' },
      preference: { itemName: 'Balanced', action: 'update', conditional: false, disabled: false, collections: [] },
      provenance: { gpo: {}, file: 'p.xml', format: 'gpp-power', position: { line: 1 } },
    };
    const c: Condition = { property: 'turnOffHDAC', is: { notGreaterThan: { property: 'turnOffHDDC', zeroMeansNever: true } } };
    expect(evaluate(c, { kind: 'power-plan', value: plan }, ctx())).toBe(true);
    expect(evaluate(c, { kind: 'power-plan', value: { ...plan, properties: { turnOffHDAC: '0', turnOffHDDC: '20' } } }, ctx())).toBe(false);
    expect(evaluate({ property: 'makeActive', is: { equals: true } }, { kind: 'power-plan', value: plan }, ctx())).toBe(true);
    expect(evaluate({ property: 'linkpwrmgmtac', is: { equals: 'x' } }, { kind: 'power-plan', value: plan }, ctx())).toBe(false);
  });

  it('0 means never on either side', () => {
    expect(notGreater(0, 0, true)).toBe(false);
    expect(notGreater(5, 0, true)).toBe(true);
    expect(notGreater(0, 5, false)).toBe(true);
  });
});
