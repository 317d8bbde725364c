import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';

export const RULES_SCHEMA_ID = 'urn:gpaudit:schema:rules:1';
export const CONFIG_SCHEMA_ID = 'urn:gpaudit:schema:config:1';

/** A JSON Schema object as read from schemas/*.json. */
export type SchemaObject = { [key: string]: unknown };

// From src/rules/ under vitest and from dist/rules/ after the build, two levels up is the package root.
const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);

let ajv: Ajv2020 | undefined;
const loaded = new Map<string, SchemaObject>();

function schemaFile(name: 'rules' | 'config'): SchemaObject {
  const cached = loaded.get(name);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(new URL(`${name}.schema.json`, SCHEMA_DIR), 'utf8')) as SchemaObject;
  loaded.set(name, schema);
  return schema;
}

function compiler(): Ajv2020 {
  if (ajv) return ajv;
  // verbose: errors carry the schema object that failed, which names the thing (condition, matcher) in messages.
  // allowUnionTypes: `registry` takes one reference or a list, `notConfigured` a word or a map.
  const instance = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  instance.addSchema(schemaFile('rules'));
  instance.addSchema(schemaFile('config'));
  ajv = instance;
  return instance;
}

function validator(ref: string): ValidateFunction {
  const v = compiler().getSchema(ref);
  if (!v) throw new Error(`schema ${ref} is missing`);
  return v;
}

/** The permissive shape every rules file must have: each rule entry's fields are optional but typed. */
export function rulesFileValidator(): ValidateFunction {
  return validator(RULES_SCHEMA_ID);
}

/** A rule after merging: every required field present. */
export function completeRuleValidator(): ValidateFunction {
  return validator(`${RULES_SCHEMA_ID}#/$defs/completeRule`);
}

export function configValidator(): ValidateFunction {
  return validator(CONFIG_SCHEMA_ID);
}

export function rulesSchema(): SchemaObject {
  return schemaFile('rules');
}

export function configSchema(): SchemaObject {
  return schemaFile('config');
}
