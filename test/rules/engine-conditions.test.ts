// The condition evaluator (src/engine/conditions.ts) case by case, in the engine's own form of a condition: the
// edges a rule author relies on (numbers written as text, case, booleans, lists, principals, sibling values), and
// the exact notes a finding carries. Lives under test/rules so that the mutation run (vitest.stryker.config.ts) runs it.
import { describe, expect, it } from 'vitest';
import { evaluate, type ConditionContext, type SubjectValue } from '../../src/engine/conditions.js';
import type { PowerPlanSetting, Principal } from '../../src/model/settings.js';
import type { Condition } from '../../src/rules/types.js';

const ctx = (): ConditionContext => ({ notes: [], sibling: () => undefined });
const scalar = (value: string | number | boolean): SubjectValue => ({ kind: 'scalar', value });
const strings = (...value: string[]): SubjectValue => ({ kind: 'strings', value });
const principals = (...value: Principal[]): SubjectValue => ({ kind: 'principals', value });

const DU: Principal = { sid: 'S-1-5-21-1-2-3-513', rid: 513, resolution: 'input-sid' };
const ADMINS: Principal = { sid: 'S-1-5-32-544', resolution: 'input-sid' };
/** A well-known domain group named without its domain: a RID but no SID. Resolved enough: not "unresolved". */
const DOMAIN_ADMINS_BY_NAME: Principal = { rid: 512, name: 'CORP\\Domain Admins', resolution: 'well-known-name' };
const NAMED: Principal = { name: 'CORP\\WorkSpaces Users', resolution: 'unresolved' };
const NAMED2: Principal = { name: 'CORP\\VDI', resolution: 'unresolved' };
const NAMELESS: Principal = { resolution: 'unresolved' };

const PLAN: PowerPlanSetting = {
  kind: 'power-plan',
  variant: 'power-plan-v2',
  itemName: 'Balanced',
  planGuid: '381b4222-f694-41f0-9685-ff5bb260df2e',
  makeActive: true,
  properties: { turnOffHDAC: '20', turnOffHDDC: '10' },
  preference: { itemName: 'Balanced', action: 'update', conditional: false, disabled: false, collections: [] },
  provenance: { gpo: {}, file: 'p.xml', format: 'gpp-power', position: { line: 1 } },
};
const plan: SubjectValue = { kind: 'power-plan', value: PLAN };

const eq = (value: string | number | boolean): Condition => ({ kind: 'equals', value });

describe('values compared as numbers or as text', () => {
  it.each<[string, Condition, SubjectValue, boolean]>([
    ['a boolean counts as 1', eq(1), scalar(true), true],
    ['false counts as 0', eq(0), scalar(false), true],
    ['true is not 0', eq(0), scalar(true), false],
    ['a number with spaces around it', { kind: 'gt', value: 4 }, scalar(' 5 '), true],
    ['a decimal with two places', { kind: 'gt', value: 1.2 }, scalar('1.25'), true],
    ['a decimal with two places, below', { kind: 'lt', value: 1.3 }, scalar('1.25'), true],
    ['a hexadecimal number', eq(31), scalar('0x1F'), true],
    ['hexadecimal with a digit', eq(16), scalar('0x10'), true],
    ['text ending in digits is text, equal to itself', eq('a1'), scalar('a1'), true],
    ['text ending in a hex number is text', eq('z0x1f'), scalar('z0x1f'), true],
    ['text starting like a hex number is text', eq('0x1g'), scalar('0x1h'), false],
    ['"true" equals true', eq('true'), scalar(true), true],
    ['"TRUE" equals true', eq(true), scalar('TRUE'), true],
    ['"yes" is not true', eq(true), scalar('yes'), false],
    ['" TRUE " is true, as " on " is "ON"', eq(true), scalar(' TRUE '), true],
    ['"on" is "ON" with spaces around it', eq('ON'), scalar(' on '), true],
    ['"ON" is " on "', eq(' on '), scalar('ON'), true],
    ['a number is not text that merely contains it', eq(1), scalar('1 day'), false],
  ])('%s', (_name, cond, subject, expected) => {
    expect(evaluate(cond, subject, ctx())).toBe(expected);
  });
});

describe('each condition on each kind of subject', () => {
  it.each<[string, Condition, SubjectValue, boolean]>([
    // A multi-string compares as its lines joined by a newline.
    ['equals on a multi-string', eq('a\nb'), strings('a', 'b'), true],
    ['equals on a multi-string, other lines', eq('a,b'), strings('a', 'b'), false],
    // Scalar conditions never hold on principals or a power plan (and never throw).
    ['equals on principals', eq('x'), principals(DU), false],
    ['equals on a power plan', eq('x'), plan, false],
    ['notEquals on principals', { kind: 'notEquals', value: 'x' }, principals(DU), false],
    ['notEquals on a power plan', { kind: 'notEquals', value: 'x' }, plan, false],
    ['oneOf on principals', { kind: 'oneOf', values: ['x'] }, principals(DU), false],
    ['notOneOf on principals', { kind: 'notOneOf', values: ['x'] }, principals(DU), false],
    ['regex on principals', { kind: 'regex', pattern: '.' }, principals(DU), false],
    ['regex on a power plan', { kind: 'regex', pattern: '.' }, plan, false],
    // A multi-string matches a regex when one of its lines does.
    ['regex on the second line', { kind: 'regex', pattern: '^b$' }, strings('a', 'b'), true],
    ['regex on no line', { kind: 'regex', pattern: '^c$' }, strings('a', 'b'), false],
    ['regex on a number', { kind: 'regex', pattern: '^12$' }, scalar(12), true],
    ['lt below', { kind: 'lt', value: 5 }, scalar(4), true],
    ['lt at the value', { kind: 'lt', value: 5 }, scalar(5), false],
    ['lt above', { kind: 'lt', value: 5 }, scalar(6), false],
    ['lte above', { kind: 'lte', value: 5 }, scalar(6), false],
    ['lte below', { kind: 'lte', value: 5 }, scalar(4), true],
    ['gt at the value', { kind: 'gt', value: 5 }, scalar(5), false],
    ['gte below', { kind: 'gte', value: 5 }, scalar(4), false],
    ['gte at the value', { kind: 'gte', value: 5 }, scalar(5), true],
    ['gte above', { kind: 'gte', value: 5 }, scalar(6), true],
    ['gte on text', { kind: 'gte', value: 5 }, scalar('many'), false],
    ['anyBits on a fraction', { kind: 'anyBits', mask: 1 }, scalar(1.5), false],
    ['anyBits on text', { kind: 'anyBits', mask: 1 }, scalar('x'), false],
    ['containsAnyPrincipal on a scalar', { kind: 'containsAnyPrincipal', principals: ['domain-users'] }, scalar('S-1-5-21-1-2-3-513'), false],
    ['containsAnyPrincipal on strings', { kind: 'containsAnyPrincipal', principals: ['domain-users'] }, strings('S-1-5-21-1-2-3-513'), false],
    ['lacksEveryPrincipal on a scalar', { kind: 'lacksEveryPrincipal', principals: ['domain-users'] }, scalar('x'), false],
    ['lacksEveryPrincipal on strings', { kind: 'lacksEveryPrincipal', principals: ['domain-users'] }, strings('x'), false],
    ['nonEmpty on the number 0', { kind: 'nonEmpty' }, scalar(0), true],
    ['nonEmpty on false', { kind: 'nonEmpty' }, scalar(false), true],
    ['nonEmpty on no principals', { kind: 'nonEmpty' }, principals(), false],
    ['nonEmpty on a principal', { kind: 'nonEmpty' }, principals(DU), true],
    ['empty on no principals', { kind: 'empty' }, principals(), true],
    ['nonEmpty on a power plan', { kind: 'nonEmpty' }, plan, true],
    ['empty on a power plan', { kind: 'empty' }, plan, false],
    ['empty on blank lines', { kind: 'empty' }, strings(' ', ''), true],
    ['longerThan on principals', { kind: 'longerThan', length: 3 }, principals(DU, ADMINS), false],
    ['longerThan on a power plan', { kind: 'longerThan', length: 3 }, plan, false],
    ['charactersOutside on principals', { kind: 'charactersOutside', allowed: 'a' }, principals(DU), false],
    // A property of something that is not a power plan does not exist.
    ['property of a scalar', { kind: 'property', property: 'x', is: { kind: 'notEquals', value: 'y' } }, scalar(5), false],
    ['property of strings', { kind: 'property', property: 'x', is: { kind: 'notEquals', value: 'y' } }, strings('x'), false],
    ['a property the item lacks', { kind: 'property', property: 'sleepAfterAC', is: { kind: 'notEquals', value: 'y' } }, plan, false],
    ['the variant', { kind: 'property', property: 'variant', is: eq('power-plan-v2') }, plan, true],
    ['the item name', { kind: 'property', property: 'itemName', is: eq('balanced') }, plan, true],
    ['the plan GUID', { kind: 'property', property: 'planGuid', is: eq('381B4222-F694-41F0-9685-FF5BB260DF2E') }, plan, true],
    ['a Properties attribute without case', { kind: 'property', property: 'TURNOFFHDAC', is: eq(20) }, plan, true],
  ])('%s', (_name, cond, subject, expected) => {
    expect(evaluate(cond, subject, ctx())).toBe(expected);
  });
});

describe('notes a condition leaves on the finding', () => {
  it.each<[string, Condition, SubjectValue, boolean, string[]]>([
    ['longerThan names each long value', { kind: 'longerThan', length: 3 }, strings('abcd', 'ab', 'abcdé'), true, ['4 characters, more than 3', '5 characters, more than 3']],
    ['longerThan on a scalar', { kind: 'longerThan', length: 3 }, scalar('abcdef'), true, ['6 characters, more than 3']],
    ['longerThan on a number', { kind: 'longerThan', length: 3 }, scalar(12345), true, ['5 characters, more than 3']],
    ['longerThan, nothing long', { kind: 'longerThan', length: 3 }, scalar('abc'), false, []],
    ['charactersOutside, all allowed', { kind: 'charactersOutside', allowed: 'a-z' }, scalar('abc'), false, []],
    ['charactersOutside names a space as a space', { kind: 'charactersOutside', allowed: 'a-z' }, scalar('a b'), true, ['not allowed: " " (U+0020)']],
    [
      'charactersOutside names each character once, invisible ones by code point',
      { kind: 'charactersOutside', allowed: 'a-z' },
      strings('a@b@', 'c\td\u00a0'),
      true,
      ['not allowed: "@" (U+0040), an invisible or control character (U+0009), an invisible or control character (U+00A0)'],
    ],
    ['lacks every group, nothing unresolved: no note', { kind: 'lacksEveryPrincipal', principals: ['domain-users'] }, principals(ADMINS), true, []],
    ['a RID without a SID is resolved enough', { kind: 'lacksEveryPrincipal', principals: ['domain-users'] }, principals(DOMAIN_ADMINS_BY_NAME), true, []],
    ['holds a group: unresolved names do not matter', { kind: 'lacksEveryPrincipal', principals: ['domain-users'] }, principals(DU, NAMED), false, []],
    [
      'every unresolved name, and "?" for one without a name',
      { kind: 'lacksEveryPrincipal', principals: ['domain-users'] },
      principals(ADMINS, NAMED, NAMELESS, NAMED2),
      true,
      ['names gpaudit could not resolve to a SID: CORP\\WorkSpaces Users, ?, CORP\\VDI; if one of them covers the users, waive this finding'],
    ],
    ['containsAnyPrincipal', { kind: 'containsAnyPrincipal', principals: ['administrators', 'domain-users'] }, principals(NAMED, DU), true, []],
  ])('%s', (_name, cond, subject, expected, notes) => {
    const c = ctx();
    expect(evaluate(cond, subject, c)).toBe(expected);
    expect(c.notes).toEqual(notes);
  });
});

describe('notGreaterThan', () => {
  const registryOther = (extra: Partial<Extract<Condition, { kind: 'notGreaterThan' }>> = {}): Condition => ({
    kind: 'notGreaterThan',
    other: { kind: 'registry', ref: { hive: 'HKLM', key: 'K', value: 'DC' } },
    ...extra,
  });
  const withSibling = (n: number | undefined): ConditionContext => ({ notes: [], sibling: (ref) => (ref.value === 'DC' ? n : undefined) });

  it.each<[string, Condition, SubjectValue, number | undefined, boolean]>([
    ['not a number, the other never times out', registryOther({ zeroMeansNever: true }), scalar('never'), 0, false],
    ['not a number', registryOther(), scalar('never'), 5, false],
    ['no other value and no default', registryOther(), scalar(5), undefined, false],
    ['no other value and no default, zero', registryOther({ zeroMeansNever: true }), scalar(0), undefined, false],
    ['the default stands in', registryOther({ otherDefault: 10 }), scalar(5), undefined, true],
    ['0 is a number unless zeroMeansNever', registryOther(), scalar(0), 5, true],
    ['0 is never with zeroMeansNever', registryOther({ zeroMeansNever: true }), scalar(0), 5, false],
    ['greater', registryOther(), scalar(6), 5, false],
    ['equal', registryOther(), scalar(5), 5, true],
  ])('%s', (_name, cond, subject, other, expected) => {
    expect(evaluate(cond, subject, withSibling(other))).toBe(expected);
  });

  it('compares with a property of the same power-plan item, and with the default outside one', () => {
    const c: Condition = { kind: 'property', property: 'turnOffHDDC', is: { kind: 'notGreaterThan', other: { kind: 'property', property: 'TurnOffHDAC' } } };
    expect(evaluate(c, plan, ctx())).toBe(true); // 10 <= 20
    const reversed: Condition = { kind: 'property', property: 'turnOffHDAC', is: { kind: 'notGreaterThan', other: { kind: 'property', property: 'turnOffHDDC' } } };
    expect(evaluate(reversed, plan, ctx())).toBe(false); // 20 > 10
    // Outside `property` there is no item to read the other value from: the default stands in.
    const outside: Condition = { kind: 'notGreaterThan', other: { kind: 'property', property: 'turnOffHDDC' }, otherDefault: 10 };
    expect(evaluate(outside, scalar(5), ctx())).toBe(true);
    expect(evaluate(outside, scalar(15), ctx())).toBe(false);
  });

  it('refuses a sibling kind it does not know, naming it', () => {
    const bad = { kind: 'notGreaterThan', other: { kind: 'ldap', attribute: 'x' } } as unknown as Condition;
    expect(() => evaluate(bad, scalar(1), ctx())).toThrow('unknown sibling value {"kind":"ldap","attribute":"x"}');
  });

  it('refuses a condition kind it does not know, naming it', () => {
    expect(() => evaluate({ kind: 'between' } as unknown as Condition, scalar(1), ctx())).toThrow('unknown condition {"kind":"between"}');
  });
});
