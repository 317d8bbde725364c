import type { ValidateFunction } from 'ajv';
import * as generated from './validators.generated.js';

export const RULES_SCHEMA_ID = 'urn:gpaudit:schema:rules:1';
export const CONFIG_SCHEMA_ID = 'urn:gpaudit:schema:config:1';

/** A JSON Schema object as read from schemas/*.json. */
export type SchemaObject = { [key: string]: unknown };

// The validators are compiled from schemas/rules.schema.json and schemas/config.schema.json when gpaudit is built
// (scripts/build-validators.mjs, ajv's standalone code with the options ajv was given here before: allErrors, strict,
// allowUnionTypes, verbose), so no start compiles a schema. The schema objects come from the same generated module:
// with `verbose`, an error's parentSchema is one of their subschemas, and schema-errors.ts looks them up by identity.

/** The permissive shape every rules file must have: each rule entry's fields are optional but typed. */
export function rulesFileValidator(): ValidateFunction {
  return generated.rulesFile;
}

/** A rule after merging: every required field present. */
export function completeRuleValidator(): ValidateFunction {
  return generated.completeRule;
}

export function configValidator(): ValidateFunction {
  return generated.config;
}

export function rulesSchema(): SchemaObject {
  return generated.rulesSchema;
}

export function configSchema(): SchemaObject {
  return generated.configSchema;
}
