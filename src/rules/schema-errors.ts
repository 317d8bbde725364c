import type { ErrorObject } from 'ajv';
import { pointerSegments, type RuleFileError, type RuleFileErrorCode } from './rule-file-error.js';
import type { SchemaObject } from './schemas.js';
import { suggest } from './suggest.js';
import { locate, type YamlSource } from './yaml-source.js';

/**
 * Objects whose properties are alternatives (a matcher is one of registry/right/...; a condition one operator):
 * an unknown key there reads "unknown condition", not "unknown property".
 */
interface ObjectInfo {
  noun: string;
  alternatives: boolean;
  /** What the message offers: the properties, or for alternatives the operators without their modifiers. */
  expected: string[];
  /** Every property name, for "did you mean". */
  names: string[];
}

/** What the error mapper knows about a schema, found once by walking it. */
export interface SchemaHints {
  objects: Map<object, ObjectInfo>;
  /** Subschemas whose errors are dropped because code checks the same thing with a better message. */
  checkedByCode: Set<object>;
}

const hintCache = new WeakMap<object, SchemaHints>();

/** `checkedByCode`: JSON pointers into the schema (e.g. `/$defs/principalSpec`). */
export function schemaHints(schema: SchemaObject, checkedByCode: string[] = []): SchemaHints {
  const cached = hintCache.get(schema);
  if (cached) return cached;
  const objects = new Map<object, ObjectInfo>();
  for (const sub of subschemas(schema)) {
    const props = sub.properties;
    if (typeof sub.title !== 'string' || !isObject(props)) continue;
    const names = Object.keys(props).filter((k) => k !== '$schema');
    const alternatives = sub.maxProperties === 1 || isObject(sub.dependentSchemas);
    // A modifier (flags, is) only goes with an operator: it depends on one but is not an operator itself.
    const dependents = isObject(sub.dependentRequired) ? Object.keys(sub.dependentRequired) : [];
    const operators = isObject(sub.dependentSchemas) ? Object.keys(sub.dependentSchemas) : names;
    const expected = names.filter((n) => !dependents.includes(n) || operators.includes(n));
    const info = { noun: sub.title, alternatives, expected, names };
    objects.set(sub, info);
    if (isObject(sub.dependentSchemas)) for (const dep of Object.values(sub.dependentSchemas)) if (isObject(dep)) objects.set(dep, info);
  }
  const skipped = new Set<object>();
  for (const pointer of checkedByCode) {
    let node: unknown = schema;
    for (const seg of pointerSegments(pointer)) node = isObject(node) ? node[seg] : undefined;
    if (isObject(node)) for (const sub of subschemas(node)) skipped.add(sub);
  }
  const hints = { objects, checkedByCode: skipped };
  hintCache.set(schema, hints);
  return hints;
}

function isObject(v: unknown): v is SchemaObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function subschemas(root: SchemaObject): SchemaObject[] {
  const out: SchemaObject[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isObject(node)) {
      out.push(node);
      for (const [k, v] of Object.entries(node)) if (k !== 'examples' && k !== 'enum' && k !== 'const') stack.push(v);
    }
  }
  return out;
}

interface Mapped {
  path: string;
  code: RuleFileErrorCode;
  message: string;
  /** Locate at the key holding the value rather than the value itself. */
  atKey: boolean;
}

/**
 * Turn ajv's errors into one message per problem, located in the YAML. ajv reports every failed branch of
 * if/oneOf/anyOf; the user needs only the branch that applies: a wrong type hides everything else at that path,
 * `if` errors repeat their `then`, and a oneOf of `required` branches becomes "needs exactly one of".
 */
export function schemaErrors(source: YamlSource, errors: readonly ErrorObject[], hints: SchemaHints): RuleFileError[] {
  const relevant = errors.filter((e) => e.keyword !== 'if' && !(isObject(e.parentSchema) && hints.checkedByCode.has(e.parentSchema)));
  const typeFailed = new Set(relevant.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const branchErrors = oneOfBranchErrors(relevant);
  const mapped: Mapped[] = [];
  const seenType = new Set<string>();
  for (const e of relevant) {
    if (branchErrors.has(e)) continue;
    if (typeFailed.has(e.instancePath)) {
      if (e.keyword !== 'type' || seenType.has(e.instancePath)) continue;
      seenType.add(e.instancePath);
    }
    mapped.push(mapError(e, hints, source.data));
  }
  const unique = new Map<string, RuleFileError>();
  for (const m of mapped) {
    const key = `${m.path}\0${m.message}`;
    if (!unique.has(key)) unique.set(key, { file: source.file, ...locate(source, m.path, { key: m.atKey }), path: m.path, code: m.code, message: m.message });
  }
  return sortErrors([...unique.values()]);
}

export function sortErrors(errors: RuleFileError[]): RuleFileError[] {
  return errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}

/** Errors that only explain why a oneOf branch failed; the oneOf error itself says it better. */
function oneOfBranchErrors(errors: readonly ErrorObject[]): Set<ErrorObject> {
  const out = new Set<ErrorObject>();
  for (const e of errors) {
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') continue;
    const branches = isObject(e.parentSchema) ? e.parentSchema[e.keyword] : undefined;
    if (!Array.isArray(branches)) continue;
    for (const other of errors) if (other.instancePath === e.instancePath && branches.includes(other.parentSchema)) out.add(other);
  }
  return out;
}

function mapError(e: ErrorObject, hints: SchemaHints, root: unknown): Mapped {
  const at = (code: RuleFileErrorCode, message: string, atKey = false, path = e.instancePath): Mapped => ({ path, code, message, atKey });
  const info = isObject(e.parentSchema) ? hints.objects.get(e.parentSchema) : undefined;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const noun = info ? (info.alternatives ? `${info.noun} "${name}"` : `${info.noun} property "${name}"`) : `property "${name}"`;
      const expected = info ? `; expected one of ${info.expected.join(', ')}${didYouMean(name, info.names)}` : '';
      return at('unknown-property', `unknown ${noun}${expected}`, true, `${e.instancePath}/${escapeSegment(name)}`);
    }
    case 'required':
      return at('schema', `missing required property "${String(params.missingProperty)}"`, true);
    case 'dependentRequired':
      return at('schema', `"${String(params.property)}" needs "${String(params.missingProperty)}" beside it`, true);
    case 'minProperties':
      return at('schema', info ? `empty ${info.noun}; expected one of ${info.expected.join(', ')}` : `must not be empty`, true);
    case 'maxProperties': {
      const keys = Object.keys(isObject(e.data) ? e.data : {});
      const noun = info?.noun ?? 'map';
      const hint = noun === 'condition' ? ' (combine conditions with all or any)' : '';
      return at('schema', `a ${noun} takes exactly one of ${info?.expected.join(', ') ?? 'its properties'}; got ${keys.join(', ')}${hint}`, true);
    }
    case 'oneOf':
    case 'anyOf':
      return at('schema', alternativesMessage(e), true);
    case 'type':
      return at('schema', `must be ${describeTypes(params.type)} (got ${describeValue(e.data)})`);
    case 'enum':
      return at('invalid-value', `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')} (got ${JSON.stringify(e.data)})`);
    case 'const':
      if (e.instancePath === '/version') return at('invalid-value', `unsupported version ${JSON.stringify(e.data)}; this gpaudit reads version ${JSON.stringify(params.allowedValue)}`);
      return at('invalid-value', `must be ${JSON.stringify(params.allowedValue)} (got ${JSON.stringify(e.data)})`);
    case 'pattern':
      return at('invalid-value', patternMessage(String(params.pattern), e.data));
    case 'minLength':
      return at('invalid-value', 'must not be empty');
    case 'minItems':
      return at('schema', `must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`);
    case 'uniqueItems':
      return at('invalid-value', `items ${String(params.j)} and ${String(params.i)} are the same`);
    case 'minimum':
      return at('invalid-value', `must be at least ${String(params.limit)} (got ${JSON.stringify(e.data)})`);
    case 'false schema':
      return at('unknown-property', notAllowedMessage(e.instancePath, root), true);
    default:
      return at('schema', e.message ?? `fails ${e.keyword}`);
  }
}

function alternativesMessage(e: ErrorObject): string {
  const branches = isObject(e.parentSchema) ? e.parentSchema[e.keyword] : undefined;
  const names = Array.isArray(branches) ? branches.flatMap((b) => (isObject(b) && Array.isArray(b.required) ? b.required.map(String) : [])) : [];
  if (names.length === 0) return e.message ?? 'does not match any allowed form';
  return e.keyword === 'oneOf' ? `needs exactly one of ${names.join(', ')}` : `needs at least one of ${names.join(', ')}`;
}

const KEBAB = '^[a-z0-9]+(-[a-z0-9]+)*$';

function patternMessage(pattern: string, data: unknown): string {
  const got = JSON.stringify(data);
  if (pattern === KEBAB) return `must be kebab-case: lower-case letters and digits joined by single hyphens (got ${got})`;
  if (pattern === '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') return `must be a date as YYYY-MM-DD (got ${got})`;
  if (pattern === '\\S') return 'must not be blank';
  if (pattern.startsWith('^https?://')) return `must be an http or https URL (got ${got})`;
  return `must match ${pattern} (got ${got})`;
}

function notAllowedMessage(pointer: string, root: unknown): string {
  const segments = pointerSegments(pointer);
  const name = segments[segments.length - 1] ?? '';
  let parent: unknown = root;
  for (const seg of segments.slice(0, -1)) parent = isObject(parent) || Array.isArray(parent) ? (parent as Record<string, unknown>)[seg] : undefined;
  const outcome = isObject(parent) && typeof parent.outcome === 'string' ? ` with outcome "${parent.outcome}"` : '';
  return `"${name}" is not allowed here${outcome}`;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a map',
  array: 'a list',
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'empty',
};

function describeTypes(types: unknown): string {
  const list = (Array.isArray(types) ? types : String(types).split(',')).map((t) => TYPE_WORDS[String(t)] ?? String(t));
  return list.length <= 1 ? (list[0] ?? '?') : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}

export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return String(v);
  return `text ${JSON.stringify(v)}`;
}

function didYouMean(got: unknown, candidates: string[]): string {
  if (typeof got !== 'string') return '';
  const best = suggest(got, candidates);
  return best ? `; did you mean "${best}"?` : '';
}

function escapeSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
