// The rules and configuration validators are compiled when gpaudit is built (scripts/build-validators.mjs, ajv's
// standalone code) into src/rules/validators.generated.ts, which is checked in: these tests hold it to the schemas
// and hold the errors to what ajv compiled at run time gave (test/rules/load.test.ts and test/config/load.test.ts
// check the messages and locations word for word).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completeRuleValidator, configSchema, configValidator, rulesFileValidator, rulesSchema } from '../../src/rules/schemas.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Every object inside `root`, by identity. */
function objectsIn(root: unknown): Set<unknown> {
  const seen = new Set<unknown>();
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    stack.push(...Object.values(node));
  }
  return seen;
}

describe('src/rules/validators.generated.ts', () => {
  it('is what scripts/build-validators.mjs makes of the schemas today (run it after editing schemas/)', () => {
    const r = spawnSync(process.execPath, ['scripts/build-validators.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toContain('is up to date');
    expect(r.status).toBe(0);
  });

  it('holds the schemas exactly as schemas/*.json has them', () => {
    expect(rulesSchema()).toEqual(JSON.parse(readFileSync(join(ROOT, 'schemas/rules.schema.json'), 'utf8')));
    expect(configSchema()).toEqual(JSON.parse(readFileSync(join(ROOT, 'schemas/config.schema.json'), 'utf8')));
  });

  it("an error's parentSchema is an object of the schema rulesSchema() returns, as schema-errors.ts needs", () => {
    const validate = rulesFileValidator();
    const data = { version: 1, rules: { r: { severity: 'urgent', checks: [{ match: { registry: { hive: 'HKLM' } }, when: { equalz: 1 } }], notConfigured: 7 } } };
    expect(validate(data)).toBe(false);
    const inside = objectsIn(rulesSchema());
    expect(validate.errors!.length).toBeGreaterThan(3);
    for (const e of validate.errors!) {
      expect(inside.has(e.parentSchema), `${e.schemaPath}`).toBe(true);
      expect(inside.has(e.schema) || typeof e.schema !== 'object', `${e.schemaPath}`).toBe(true);
    }
    const complete = completeRuleValidator();
    expect(complete({ title: 'x' })).toBe(false);
    for (const e of complete.errors!) expect(inside.has(e.parentSchema)).toBe(true);
    const config = configValidator();
    expect(config({ version: 1, waivers: [{ rule: 'x' }] })).toBe(false);
    const configObjects = objectsIn(configSchema());
    for (const e of config.errors!) expect(configObjects.has(e.parentSchema)).toBe(true);
  });

  it('keeps allErrors and verbose: every problem is reported, with the data and schema that failed', () => {
    const validate = rulesFileValidator();
    expect(validate({ version: 2, extends: 'builtin', rules: [] })).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath).sort()).toEqual(['/extends', '/rules', '/version']);
    expect(validate.errors!.every((e) => 'data' in e && 'parentSchema' in e)).toBe(true);
  });

  it('nothing in src/ compiles a schema at run time', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && name !== 'validators.generated.ts') files.push(path);
      }
    };
    walk(join(ROOT, 'src'));
    const compiling = files.filter((f) => /from 'ajv[^']*'|new Ajv|\.compile\(/.test(readFileSync(f, 'utf8').replace(/^import type .*$/gm, '')));
    expect(compiling.map((f) => f.slice(ROOT.length + 1))).toEqual([]);
  });
});
