import type { PowerPlanSetting, Principal } from '../model/settings.js';
import { principalMatches } from './principal-sets.js';
import { classBodyProblem, regexRisk } from '../rules/safe-regex.js';
import type { Condition, RegistryRef, Scalar } from '../rules/types.js';

/** What a matcher hands a condition: a scalar registry/policy value, a multi-string, principals, or a power plan. */
export type SubjectValue =
  | { kind: 'scalar'; value: string | number | boolean }
  | { kind: 'strings'; value: string[] }
  | { kind: 'principals'; value: Principal[] }
  | { kind: 'power-plan'; value: PowerPlanSetting };

export interface ConditionContext {
  /** A sibling numeric value of the same GPO (for notGreaterThan on registry values). */
  sibling(ref: RegistryRef): number | undefined;
  /** Notes that qualify a result, e.g. principals the rule could not resolve. Collected into the finding. */
  notes: string[];
  /** Inside `property`: the power-plan item the property came from, so siblings can be compared. */
  plan?: PowerPlanSetting;
}

/** Numbers written as text ("1" in a legacy REG_SZ, "30" in a GPP attribute) compare as numbers. */
export function toNumber(v: Scalar | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (/^0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t, 16);
  return undefined;
}

/** Registry and GPO text compares without case (GUIDs, ON/OFF, names); numbers compare as numbers. */
function same(a: Scalar, b: Scalar): boolean {
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  // A boolean meets text here ("true" against true): the same trimmed, case-blind compare as any text.
  return String(a).trim().toLowerCase() === String(b).trim().toLowerCase();
}

function scalarsOf(subject: SubjectValue): Scalar[] | undefined {
  if (subject.kind === 'scalar') return [subject.value];
  if (subject.kind === 'strings') return [subject.value.join('\n')];
  return undefined;
}

function numberOf(subject: SubjectValue): number | undefined {
  return subject.kind === 'scalar' ? toNumber(subject.value) : undefined;
}

export function evaluate(cond: Condition, subject: SubjectValue, ctx: ConditionContext): boolean {
  switch (cond.kind) {
    case 'all':
      return cond.conditions.every((c) => evaluate(c, subject, ctx));
    case 'any':
      return cond.conditions.some((c) => evaluate(c, subject, ctx));
    case 'not':
      return !evaluate(cond.condition, subject, ctx);
    case 'property': {
      if (subject.kind !== 'power-plan') return false;
      const v = planProperty(subject.value, cond.property);
      return v !== undefined && evaluate(cond.is, { kind: 'scalar', value: v }, { ...ctx, plan: subject.value });
    }
    case 'equals':
      return scalarsOf(subject)?.some((s) => same(s, cond.value)) ?? false;
    case 'notEquals':
      return scalarsOf(subject)?.every((s) => !same(s, cond.value)) ?? false;
    case 'oneOf':
      return scalarsOf(subject)?.some((s) => cond.values.some((o) => same(s, o))) ?? false;
    case 'notOneOf':
      return scalarsOf(subject)?.every((s) => !cond.values.some((o) => same(s, o))) ?? false;
    case 'nonEmpty':
      return nonEmpty(subject);
    case 'empty':
      return !nonEmpty(subject);
    case 'longerThan': {
      const long = textsOf(subject).filter((s) => [...s].length > cond.length);
      for (const s of long) ctx.notes.push(`${[...s].length} characters, more than ${cond.length}`);
      return long.length > 0;
    }
    case 'charactersOutside': {
      // The loader refused these already; a rule built in code gets the same refusal here (a cached look-up).
      const problem = classBodyProblem(cond.allowed);
      if (problem) throw new Error(`charactersOutside "${cond.allowed}" ${problem}`);
      const outside = new RegExp(`[^${cond.allowed}]`, 'gu');
      const found = new Set<string>();
      for (const s of textsOf(subject)) for (const m of s.matchAll(outside)) found.add(m[0]);
      if (found.size > 0) ctx.notes.push(`not allowed: ${[...found].map(describeCharacter).join(', ')}`);
      return found.size > 0;
    }
    case 'regex': {
      const re = new RegExp(cond.pattern, cond.flags);
      const risk = regexRisk(cond.pattern, cond.flags);
      if (risk) throw new Error(`regex "${cond.pattern}" is refused: it ${risk}`);
      return subject.kind === 'strings' ? subject.value.some((s) => re.test(s)) : (scalarsOf(subject)?.some((s) => re.test(String(s))) ?? false);
    }
    case 'lt':
      return compare(subject, (n) => n < cond.value);
    case 'lte':
      return compare(subject, (n) => n <= cond.value);
    case 'gt':
      return compare(subject, (n) => n > cond.value);
    case 'gte':
      return compare(subject, (n) => n >= cond.value);
    case 'anyBits': {
      const n = numberOf(subject);
      return n !== undefined && Number.isInteger(n) && (BigInt(n) & BigInt(cond.mask)) !== 0n;
    }
    case 'containsAnyPrincipal':
      if (subject.kind !== 'principals') return false;
      return subject.value.some((p) => cond.principals.some((spec) => principalMatches(p, spec)));
    case 'lacksEveryPrincipal': {
      if (subject.kind !== 'principals') return false;
      const lacks = !subject.value.some((p) => cond.principals.some((spec) => principalMatches(p, spec)));
      const unresolved = subject.value.filter((p) => !p.sid && p.rid === undefined);
      if (lacks && unresolved.length > 0) {
        ctx.notes.push(
          `names gpaudit could not resolve to a SID: ${unresolved.map((p) => p.name ?? '?').join(', ')}; if one of them covers the users, waive this finding`,
        );
      }
      return lacks;
    }
    case 'notGreaterThan':
      return notGreaterThan(cond, subject, ctx);
    default:
      return unhandled('condition', cond);
  }
}

function textsOf(subject: SubjectValue): string[] {
  if (subject.kind === 'strings') return subject.value;
  if (subject.kind === 'scalar') return [String(subject.value)];
  return [];
}

/** `"@" (U+0040)`, `a tab (U+0009)`: the character and its code point, so invisible ones can be found. */
export function describeCharacter(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return /[\p{C}\p{Z}]/u.test(ch) && ch !== ' ' ? `an invisible or control character (${code})` : `"${ch}" (${code})`;
}

function nonEmpty(subject: SubjectValue): boolean {
  switch (subject.kind) {
    case 'scalar':
      return typeof subject.value === 'string' ? subject.value.trim() !== '' : true;
    case 'strings':
      return subject.value.some((s) => s.trim() !== '');
    case 'principals':
      return subject.value.length > 0;
    case 'power-plan':
      return true;
  }
}

function compare(subject: SubjectValue, test: (n: number) => boolean): boolean {
  const n = numberOf(subject);
  return n !== undefined && test(n);
}

/** A power-plan item's own fields first (planGuid, makeActive, variant, itemName), then its Properties attributes. */
export function planProperty(plan: PowerPlanSetting, name: string): Scalar | undefined {
  switch (name) {
    case 'planGuid':
      return plan.planGuid;
    case 'makeActive':
      return plan.makeActive;
    case 'variant':
      return plan.variant;
    case 'itemName':
      return plan.itemName;
  }
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(plan.properties)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function notGreaterThan(spec: Extract<Condition, { kind: 'notGreaterThan' }>, subject: SubjectValue, ctx: ConditionContext): boolean {
  const mine = numberOf(subject);
  let other: number | undefined;
  switch (spec.other.kind) {
    case 'registry':
      other = ctx.sibling(spec.other.ref);
      break;
    case 'property':
      if (ctx.plan) other = toNumber(planProperty(ctx.plan, spec.other.property));
      break;
    default:
      return unhandled('sibling value', spec.other);
  }
  other ??= spec.otherDefault;
  if (mine === undefined || other === undefined) return false;
  return notGreater(mine, other, spec.zeroMeansNever ?? false);
}

/** 0 = never when `zeroMeansNever`: a side that never times out is always long enough. */
export function notGreater(mine: number, other: number, zeroMeansNever: boolean): boolean {
  if (zeroMeansNever && mine === 0) return false;
  if (zeroMeansNever && other === 0) return true;
  return mine <= other;
}

/** The `default` of a switch that handles every kind: the compiler proves it unreachable; at run time it throws. */
export function unhandled(what: string, x: never): never {
  throw new Error(`unknown ${what} ${JSON.stringify(x)}`);
}
