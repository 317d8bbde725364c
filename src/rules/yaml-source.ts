import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Document, LineCounter, Node } from 'yaml';
import { firstBadByte } from '../model/text.js';
import { pointerSegments, type RuleFileError, type RuleFileErrorCode } from './rule-file-error.js';

/** Rule and configuration files are small hand-written documents; anything bigger is a mistake or an attack. */
export const MAX_YAML_BYTES = 5 * 1024 * 1024;
/** Aliases are fine for sharing a registry reference; thousands of them only serve to expand exponentially. */
export const MAX_ALIAS_COUNT = 100;
/** Deeper data than this is not a rule; the limit also keeps recursive validation off the end of the stack. */
export const MAX_NESTING = 64;
/** After this many syntax errors the rest are usually echoes of the first ones. */
const MAX_SYNTAX_ERRORS = 20;

// The YAML library is loaded on first use, not with this module: it is about 70 modules, and a run whose rules come
// from the built-in pack's build-time snapshot (builtin-snapshot.ts) and that has no configuration file parses no
// YAML at all. `yaml` is a CommonJS package, so a synchronous require loads the same module an import would.
const requireHere = createRequire(import.meta.url);
let yamlLib: typeof Yaml | undefined;
const yaml = (): typeof Yaml => (yamlLib ??= requireHere('yaml') as typeof Yaml);
const isAlias = ((node) => yaml().isAlias(node)) as typeof Yaml.isAlias;
const isCollection = ((node) => yaml().isCollection(node)) as typeof Yaml.isCollection;
const isMap = ((node) => yaml().isMap(node)) as typeof Yaml.isMap;
const isPair = ((node) => yaml().isPair(node)) as typeof Yaml.isPair;
const isScalar = ((node) => yaml().isScalar(node)) as typeof Yaml.isScalar;
const isSeq = ((node) => yaml().isSeq(node)) as typeof Yaml.isSeq;

/** A parsed YAML file that can turn JSON pointers into line and column. */
export interface YamlSource {
  file: string;
  doc: Document;
  lineCounter: LineCounter;
  data: unknown;
  /**
   * Locations worked out in advance (the built-in pack's snapshot holds its rules' keys), by `locationKey`; locate()
   * answers from here before it looks at `doc`.
   */
  known?: ReadonlyMap<string, Location>;
  /** Every rule in the file is complete on its own: the built-in snapshot, whose pack the build loaded without errors. */
  rulesComplete?: boolean;
}

/** How `YamlSource.known` names what locate() was asked. */
export function locationKey(pointer: string, options: { key?: boolean } = {}): string {
  return `${options.key ? 'key' : 'value'} ${pointer}`;
}

export interface Location {
  line: number;
  column: number;
}

/**
 * Read and parse one YAML file. Returns the source when the data could be built, even if there are errors
 * (duplicate keys), so that schema errors can be reported in the same run; returns no source when nothing useful
 * can be said beyond the errors.
 */
export function readYamlFile(file: string): { source?: YamlSource; errors: RuleFileError[] } {
  const read = readSmallFile(file);
  if ('error' in read) return { errors: [read.error] };
  return parseYamlText(file, read.text);
}

function readSmallFile(file: string): { text: string } | { error: RuleFileError } {
  const whole = (code: RuleFileErrorCode, message: string): { error: RuleFileError } => ({
    error: { file, line: 0, column: 0, path: '', code, message },
  });
  let bytes: Buffer;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return whole('io-error', 'not a regular file');
    if (stat.size > MAX_YAML_BYTES) return whole('io-error', `file is ${stat.size} bytes; the limit is ${MAX_YAML_BYTES} (5 MB)`);
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return whole('io-error', code === 'ENOENT' ? 'file not found' : `cannot read the file: ${code ?? (e as Error).message}`);
  }
  // A file can grow between stat and read.
  if (bytes.length > MAX_YAML_BYTES) return whole('io-error', `file is over the ${MAX_YAML_BYTES}-byte (5 MB) limit`);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return whole('yaml-syntax', `not valid UTF-8 (first bad byte at offset ${firstBadByte(bytes, 'utf-8')})`);
  }
}

export function parseYamlText(file: string, text: string): { source?: YamlSource; errors: RuleFileError[] } {
  const lineCounter = new (yaml().LineCounter)();
  let doc: Document;
  try {
    // Duplicate keys are found by our own walk, which can tell a duplicate rule id from any other duplicate.
    doc = yaml().parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  } catch (e) {
    return { errors: [{ file, line: 0, column: 0, path: '', code: 'yaml-syntax', message: `cannot parse: ${(e as Error).message}` }] };
  }
  const at = (offset: number): Location => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  // Warnings are unknown tags (`!!js/function`) and the like: a data-only format has no use for them.
  const errors: RuleFileError[] = [];
  const seen = new Set<string>();
  for (const p of [...doc.errors, ...doc.warnings]) {
    // The parser recurses per nesting level; it catches its own stack overflow, once per level it unwinds.
    const message = p.message.includes('Maximum call stack size exceeded') ? 'nested too deeply to parse' : p.message;
    const error: RuleFileError = { file, ...at(p.pos[0]), path: '', code: 'yaml-syntax', message };
    const key = `${error.line}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(error);
    if (errors.length === MAX_SYNTAX_ERRORS) break;
  }
  if (doc.errors.length > 0) return { errors };

  const source: YamlSource = { file, doc, lineCounter, data: undefined };
  const depth = deepestNode(doc.contents);
  if (depth.depth > MAX_NESTING) {
    return { errors: [...errors, { file, ...locateNode(source, depth.node), path: '', code: 'schema', message: `nested more than ${MAX_NESTING} levels deep` }] };
  }
  try {
    source.data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const alias = firstAlias(doc.contents);
    const where = alias ? locateNode(source, alias) : { line: 0, column: 0 };
    const message =
      e instanceof ReferenceError
        ? `too many alias expansions (limit ${MAX_ALIAS_COUNT}); aliases that multiply like this are refused`
        : `cannot build the data: ${(e as Error).message}`;
    return { errors: [...errors, { file, ...where, path: '', code: 'yaml-syntax', message }] };
  }
  return { source, errors: [...errors, ...duplicateKeys(source)] };
}

function deepestNode(root: unknown): { depth: number; node?: Node } {
  let best: { depth: number; node?: Node } = { depth: 0 };
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (!isCollection(node)) continue;
    if (depth > best.depth) best = { depth, node };
    if (depth > MAX_NESTING) break;
    for (const item of node.items) {
      if (isPair(item)) {
        stack.push({ node: item.key, depth: depth + 1 });
        stack.push({ node: item.value, depth: depth + 1 });
      } else stack.push({ node: item, depth: depth + 1 });
    }
  }
  return best;
}

function firstAlias(root: unknown): Node | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.shift();
    if (isAlias(node)) return node;
    if (!isCollection(node)) continue;
    for (const item of node.items) stack.push(...(isPair(item) ? [item.key, item.value] : [item]));
  }
  return undefined;
}

/** Every map key given twice. In the `rules` map that is a duplicate rule id; anywhere else a YAML error. */
function duplicateKeys(source: YamlSource): RuleFileError[] {
  const out: RuleFileError[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, String(i)]));
    if (!isMap(node)) return;
    const seen = new Map<string, Node>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key !== undefined) {
        const first = seen.get(key);
        if (first && isScalar(pair.key)) {
          const isRuleId = path.length === 1 && path[0] === 'rules';
          const firstLine = locateNode(source, first).line;
          out.push({
            file: source.file,
            ...locateNode(source, pair.key),
            path: pointerOf([...path, key]),
            code: isRuleId ? 'duplicate-id' : 'yaml-syntax',
            message: isRuleId ? `rule id "${key}" is defined twice in this file (first at line ${firstLine})` : `duplicate key "${key}" (first at line ${firstLine})`,
          });
        } else if (isScalar(pair.key)) seen.set(key, pair.key);
      }
      walk(pair.value, key === undefined ? path : [...path, key]);
    }
  };
  walk(source.doc.contents, []);
  return out;
}

function pointerOf(segments: string[]): string {
  return segments.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function locateNode(source: YamlSource, node: Node | undefined): Location {
  const offset = node?.range?.[0];
  if (offset === undefined) return { line: 1, column: 1 };
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * Where a JSON pointer lands in the file. A scalar is located at its value; a block map or list at the key that
 * holds it (its own first line is its first child, which would mislead); a property of a map with `key: true` at
 * its key. A pointer that goes past what the file holds lands on the deepest node that exists.
 */
export function locate(source: YamlSource, pointer: string, options: { key?: boolean } = {}): Location {
  const known = source.known?.get(locationKey(pointer, options));
  if (known) return { ...known };
  let node: unknown = source.doc.contents;
  let keyNode: Node | undefined;
  for (const segment of pointerSegments(pointer)) {
    if (isAlias(node)) node = node.resolve(source.doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      keyNode = isScalar(pair.key) ? pair.key : undefined;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) break;
      keyNode = undefined;
      node = item;
    } else break;
  }
  const isBlockCollection = isCollection(node) && !node.flow;
  if (keyNode && (options.key || isBlockCollection || node === null || (isScalar(node) && node.range?.[0] === node.range?.[1])))
    return locateNode(source, keyNode);
  return locateNode(source, isAlias(node) || isCollection(node) || isScalar(node) ? node : undefined);
}
