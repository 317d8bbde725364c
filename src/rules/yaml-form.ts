// A check as a rules file writes it (schemas/rules.schema.json), and the conversions between that form and the
// engine's (types.ts). The YAML names a matcher's or condition's kind by its one key (`{ right: X }`,
// `{ equals: 1 }`); the engine's types name it in a `kind` field, so a `switch` can prove it handles every kind.
// The loader converts one way; `gpaudit rules show` converts back to print the checks as the user wrote them.
import type { GpoFactKind } from '../model/gpo-health.js';
import type { PowerPlanSetting } from '../model/settings.js';
import type { Check, Condition, Matcher, PrincipalSpec, RegistryRef, Scalar, SiblingRef } from './types.js';

export type YamlMatcher =
  /** One reference or a list; the engine always gets a list. */
  | { registry: RegistryRef | RegistryRef[] }
  | { right: string }
  | { groupMembers: PrincipalSpec }
  | { powerPlan: { variant?: PowerPlanSetting['variant'] } }
  | { accountPolicy: string }
  | { directory: { attribute: string } }
  | { gpo: { fact: GpoFactKind } };

/** `notGreaterThan`: exactly one of registry and property names the other value. */
export type YamlSiblingValue = ({ registry: RegistryRef } | { property: string }) & { zeroMeansNever?: boolean; otherDefault?: number };

export type YamlCondition =
  | { equals: Scalar }
  | { notEquals: Scalar }
  | { oneOf: Scalar[] }
  | { notOneOf: Scalar[] }
  | { nonEmpty: true }
  | { empty: true }
  | { longerThan: number }
  | { charactersOutside: string }
  | { regex: string; flags?: string }
  | { lt: number }
  | { lte: number }
  | { gt: number }
  | { gte: number }
  | { anyBits: number }
  | { containsAnyPrincipal: PrincipalSpec[] }
  | { lacksEveryPrincipal: PrincipalSpec[] }
  | { notGreaterThan: YamlSiblingValue }
  | { property: string; is: YamlCondition }
  | { all: YamlCondition[] }
  | { any: YamlCondition[] }
  | { not: YamlCondition };

export interface YamlCheck {
  match: YamlMatcher;
  when: YamlCondition;
  message?: string;
}

// ---------------------------------------------------------------------------------------------
// YAML -> engine. The input passed the schema: each object has exactly one kind key (regex may add flags,
// property needs is). The `in` chains end in a `never` check, so a kind added to the YAML types but not
// handled here does not compile.

export function checkFromYaml(c: YamlCheck): Check {
  return { match: matcherFromYaml(c.match), when: conditionFromYaml(c.when), ...(c.message !== undefined ? { message: c.message } : {}) };
}

export function matcherFromYaml(m: YamlMatcher): Matcher {
  if ('registry' in m) return { kind: 'registry', refs: (Array.isArray(m.registry) ? m.registry : [m.registry]).map(copyRef) };
  if ('right' in m) return { kind: 'right', right: m.right };
  if ('groupMembers' in m) return { kind: 'groupMembers', group: m.groupMembers };
  if ('powerPlan' in m) return { kind: 'powerPlan', ...(m.powerPlan.variant !== undefined ? { variant: m.powerPlan.variant } : {}) };
  if ('accountPolicy' in m) return { kind: 'accountPolicy', policy: m.accountPolicy };
  if ('directory' in m) return { kind: 'directory', attribute: m.directory.attribute };
  if ('gpo' in m) return { kind: 'gpo', fact: m.gpo.fact };
  return unhandled('matcher', m);
}

export function conditionFromYaml(c: YamlCondition): Condition {
  if ('equals' in c) return { kind: 'equals', value: c.equals };
  if ('notEquals' in c) return { kind: 'notEquals', value: c.notEquals };
  if ('oneOf' in c) return { kind: 'oneOf', values: [...c.oneOf] };
  if ('notOneOf' in c) return { kind: 'notOneOf', values: [...c.notOneOf] };
  if ('nonEmpty' in c) return { kind: 'nonEmpty' };
  if ('empty' in c) return { kind: 'empty' };
  if ('longerThan' in c) return { kind: 'longerThan', length: c.longerThan };
  if ('charactersOutside' in c) return { kind: 'charactersOutside', allowed: c.charactersOutside };
  if ('regex' in c) return { kind: 'regex', pattern: c.regex, ...(c.flags !== undefined ? { flags: c.flags } : {}) };
  if ('lt' in c) return { kind: 'lt', value: c.lt };
  if ('lte' in c) return { kind: 'lte', value: c.lte };
  if ('gt' in c) return { kind: 'gt', value: c.gt };
  if ('gte' in c) return { kind: 'gte', value: c.gte };
  if ('anyBits' in c) return { kind: 'anyBits', mask: c.anyBits };
  if ('containsAnyPrincipal' in c) return { kind: 'containsAnyPrincipal', principals: [...c.containsAnyPrincipal] };
  if ('lacksEveryPrincipal' in c) return { kind: 'lacksEveryPrincipal', principals: [...c.lacksEveryPrincipal] };
  if ('notGreaterThan' in c) {
    const s = c.notGreaterThan;
    const other: SiblingRef = 'registry' in s ? { kind: 'registry', ref: copyRef(s.registry) } : { kind: 'property', property: s.property };
    return {
      kind: 'notGreaterThan',
      other,
      ...(s.zeroMeansNever !== undefined ? { zeroMeansNever: s.zeroMeansNever } : {}),
      ...(s.otherDefault !== undefined ? { otherDefault: s.otherDefault } : {}),
    };
  }
  if ('property' in c) return { kind: 'property', property: c.property, is: conditionFromYaml(c.is) };
  if ('all' in c) return { kind: 'all', conditions: c.all.map(conditionFromYaml) };
  if ('any' in c) return { kind: 'any', conditions: c.any.map(conditionFromYaml) };
  if ('not' in c) return { kind: 'not', condition: conditionFromYaml(c.not) };
  return unhandled('condition', c);
}

// ---------------------------------------------------------------------------------------------
// Engine -> YAML: the form the user wrote, keys in the schema's order (a single registry reference comes back as
// a list of one, as the loader made it).

export function checkToYaml(c: Check): YamlCheck {
  return { match: matcherToYaml(c.match), when: conditionToYaml(c.when), ...(c.message !== undefined ? { message: c.message } : {}) };
}

export function matcherToYaml(m: Matcher): YamlMatcher {
  switch (m.kind) {
    case 'registry':
      return { registry: m.refs.map(copyRef) };
    case 'right':
      return { right: m.right };
    case 'groupMembers':
      return { groupMembers: m.group };
    case 'powerPlan':
      return { powerPlan: m.variant !== undefined ? { variant: m.variant } : {} };
    case 'accountPolicy':
      return { accountPolicy: m.policy };
    case 'directory':
      return { directory: { attribute: m.attribute } };
    case 'gpo':
      return { gpo: { fact: m.fact } };
    default:
      return unhandled('matcher', m);
  }
}

export function conditionToYaml(c: Condition): YamlCondition {
  switch (c.kind) {
    case 'equals':
      return { equals: c.value };
    case 'notEquals':
      return { notEquals: c.value };
    case 'oneOf':
      return { oneOf: [...c.values] };
    case 'notOneOf':
      return { notOneOf: [...c.values] };
    case 'nonEmpty':
      return { nonEmpty: true };
    case 'empty':
      return { empty: true };
    case 'longerThan':
      return { longerThan: c.length };
    case 'charactersOutside':
      return { charactersOutside: c.allowed };
    case 'regex':
      return { regex: c.pattern, ...(c.flags !== undefined ? { flags: c.flags } : {}) };
    case 'lt':
      return { lt: c.value };
    case 'lte':
      return { lte: c.value };
    case 'gt':
      return { gt: c.value };
    case 'gte':
      return { gte: c.value };
    case 'anyBits':
      return { anyBits: c.mask };
    case 'containsAnyPrincipal':
      return { containsAnyPrincipal: [...c.principals] };
    case 'lacksEveryPrincipal':
      return { lacksEveryPrincipal: [...c.principals] };
    case 'notGreaterThan': {
      const options = {
        ...(c.zeroMeansNever !== undefined ? { zeroMeansNever: c.zeroMeansNever } : {}),
        ...(c.otherDefault !== undefined ? { otherDefault: c.otherDefault } : {}),
      };
      const other = c.other;
      switch (other.kind) {
        case 'registry':
          return { notGreaterThan: { registry: copyRef(other.ref), ...options } };
        case 'property':
          return { notGreaterThan: { property: other.property, ...options } };
        default:
          return unhandled('sibling value', other);
      }
    }
    case 'property':
      return { property: c.property, is: conditionToYaml(c.is) };
    case 'all':
      return { all: c.conditions.map(conditionToYaml) };
    case 'any':
      return { any: c.conditions.map(conditionToYaml) };
    case 'not':
      return { not: conditionToYaml(c.condition) };
    default:
      return unhandled('condition', c);
  }
}

/** A copy with the schema's keys in the schema's order: the YAML's parsed objects stay the YAML's. */
function copyRef(r: RegistryRef): RegistryRef {
  return { hive: r.hive, key: r.key, value: r.value };
}

/** Reached only when a value escaped the types (the schema let through something the types do not list). */
function unhandled(what: string, x: never): never {
  throw new Error(`unknown ${what} ${JSON.stringify(x)}`);
}
