#!/usr/bin/env node
// Compiles the JSON Schemas gpaudit validates against at run time (schemas/rules.schema.json and
// schemas/config.schema.json) into plain JavaScript with ajv's standalone code, so a start does not build an ajv
// instance, compile the meta-schema and the two schemas (about 200 ms of `gpaudit audit` on a small folder, see
// docs/performance.md, "Start-up").
//
//   node scripts/build-validators.mjs           write src/rules/validators.generated.ts (npm run build does this)
//   node scripts/build-validators.mjs --check   exit 1 when that file differs from what the schemas give now
//
// The output is checked in, so vitest, tsc and the fuzz job find it like any other source file;
// test/rules/validators.test.ts runs --check, so a schema edited without regenerating fails the tests.
//
// Two changes to ajv's output, both so the validators behave exactly as the ones ajv compiled at run time did:
// - ajv's ESM output still `require`s its runtime helpers (ucs2length for minLength): the module makes itself a require.
// - ajv serialises every $ref target ($defs/rule, $defs/condition, …) as its own copy of the JSON. With `verbose`,
//   an error's parentSchema is one of these objects, and src/rules/schema-errors.ts finds what it knows about a
//   subschema (its title, whether it is checked by code) by object identity in the root schema. So each copy is
//   replaced by a reference into the root schema, and the root schemas are exported for rulesSchema() and
//   configSchema(): the objects the errors point at are the objects the hints are built from.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUT = join(ROOT, 'src', 'rules', 'validators.generated.ts');

const SCHEMAS = {
  rules: { file: 'schemas/rules.schema.json', id: 'urn:gpaudit:schema:rules:1' },
  config: { file: 'schemas/config.schema.json', id: 'urn:gpaudit:schema:config:1' },
};

/** Exported validator name -> the schema (or fragment) ajv compiles for it. */
const VALIDATORS = {
  rulesFile: SCHEMAS.rules.id,
  completeRule: `${SCHEMAS.rules.id}#/$defs/completeRule`,
  config: SCHEMAS.config.id,
};

/** The options src/rules/schemas.ts used with ajv at run time: `verbose` and `allErrors` shape the errors users see. */
export const AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true, verbose: true };

export function generate() {
  const roots = Object.fromEntries(Object.entries(SCHEMAS).map(([name, s]) => [name, JSON.parse(readFileSync(join(ROOT, s.file), 'utf8'))]));
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true, esm: true, lines: true } });
  for (const schema of Object.values(roots)) ajv.addSchema(schema);
  const standaloneCode = standaloneModule.default ?? standaloneModule;
  // "use strict" is ajv's CommonJS habit: an ES module is strict already.
  let code = standaloneCode(ajv, VALIDATORS).replace(/^"use strict";/, '');

  // 1. The runtime helpers: ajv's ESM output still says require("ajv/dist/runtime/ucs2length").default, so the
  // module gets a require of its own (an import's default export of a CommonJS module differs between Node and vite).
  const usesRequire = /\brequire\("ajv\/dist\/runtime\//.test(code);

  // 2. The schema constants: the roots keep their JSON, every other one becomes a reference into its root.
  const rootNames = {};
  const rewritten = [];
  let out = '';
  let at = 0;
  const decl = /const (schema\d+) = \{/g;
  for (let m; (m = decl.exec(code)); ) {
    const start = m.index + m[0].length - 1;
    const end = endOfJson(code, start);
    const json = code.slice(start, end);
    const value = JSON.parse(json);
    const rootName = Object.keys(SCHEMAS).find((n) => value.$id === SCHEMAS[n].id);
    out += code.slice(at, m.index);
    if (rootName) {
      if (JSON.stringify(value) !== JSON.stringify(roots[rootName])) throw new Error(`${m[1]}: not the same as ${SCHEMAS[rootName].file}`);
      rootNames[rootName] = m[1];
      out += `const ${m[1]} = ${json}`;
    } else {
      const ref = findIn(roots, value);
      if (!rootNames[ref.root]) throw new Error(`${m[1]} refers into the ${ref.root} schema before it is declared`);
      out += `const ${m[1]} = ${rootNames[ref.root]}${ref.path.map((k) => `[${JSON.stringify(k)}]`).join('')}`;
      rewritten.push(m[1]);
    }
    at = end;
    decl.lastIndex = end;
  }
  out += code.slice(at);
  for (const name of Object.keys(SCHEMAS)) if (!rootNames[name]) throw new Error(`the ${name} schema is not in ajv's output`);

  // 3. Typed exports in place of ajv's untyped ones.
  const exported = {};
  out = out.replace(/export const (\w+) = (validate\d+);/g, (_, name, fn) => {
    exported[name] = fn;
    return '';
  });
  for (const name of Object.keys(VALIDATORS)) if (!exported[name]) throw new Error(`validator ${name} is not in ajv's output`);

  const ajvVersion = createRequire(import.meta.url)('ajv/package.json').version;
  return [
    '// @ts-nocheck',
    `// Generated by scripts/build-validators.mjs from ${Object.values(SCHEMAS).map((s) => s.file).join(' and ')} with ajv ${ajvVersion}`,
    `// (${JSON.stringify(AJV_OPTIONS)}). Do not edit: \`npm run build\` or \`node scripts/build-validators.mjs\` regenerates it,`,
    '// and test/rules/validators.test.ts fails when it is out of date.',
    "import type { ValidateFunction } from 'ajv';",
    ...(usesRequire ? ["import { createRequire } from 'node:module';", '', 'const require = createRequire(import.meta.url);'] : []),
    out.trim(),
    '',
    ...Object.keys(VALIDATORS).map((name) => `export const ${name}: ValidateFunction = ${exported[name]};`),
    ...Object.keys(SCHEMAS).map((name) => `export const ${name}Schema: { [key: string]: unknown } = ${rootNames[name]};`),
    '',
  ].join('\n');
}

/** Index just past the JSON object that starts at `start` (ajv writes JSON.stringify output: no comments, no spaces). */
function endOfJson(text, start) {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error('unterminated JSON in ajv output');
}

/** Where `value` sits in one of the root schemas: a $defs entry first, else the only equal subschema. */
function findIn(roots, value) {
  const text = JSON.stringify(value);
  const found = [];
  const walk = (node, root, path) => {
    if (typeof node !== 'object' || node === null) return;
    if (path.length > 0 && !Array.isArray(node) && JSON.stringify(node) === text) found.push({ root, path });
    for (const [k, v] of Object.entries(node)) walk(v, root, [...path, Array.isArray(node) ? Number(k) : k]);
  };
  for (const [root, schema] of Object.entries(roots)) walk(schema, root, []);
  const defs = found.filter((f) => f.path.length === 2 && f.path[0] === '$defs');
  const pick = defs.length > 0 ? defs : found;
  if (pick.length !== 1) throw new Error(`a schema in ajv's output is found ${pick.length} times in the root schemas: ${text.slice(0, 80)}…`);
  return pick[0];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const code = generate();
  const shown = relative(process.cwd(), OUTPUT) || OUTPUT;
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OUTPUT, 'utf8');
    } catch {}
    if (current !== code) {
      process.stderr.write(`${shown} is out of date with the schemas (or with ajv): run \`node scripts/build-validators.mjs\`\n`);
      process.exit(1);
    }
    process.stdout.write(`${shown} is up to date\n`);
  } else {
    let current;
    try {
      current = readFileSync(OUTPUT, 'utf8');
    } catch {}
    if (current !== code) writeFileSync(OUTPUT, code);
    process.stderr.write(`${shown} ${current === code ? 'unchanged' : 'written'}\n`);
  }
}
