// One fuzz input through the whole pipeline, as `gpaudit audit` runs it: the mutated file is written into a temp
// folder in its original layout (so the walk makes the same unit of it: a `{GUID}` folder, Machine/User for a
// Registry.pol hive), then read → parse → normalise → evaluate (the shipped rules) → every audit reporter. LDIF goes
// through `audit --ou` against a small SYSVOL. What must hold: nothing throws; every problem names the file and says
// something, and none is an internal error; the JSON matches schemas/audit-output.schema.json, the SARIF is a JSON
// SARIF 2.1.0 log (and, for a sample, passes the Multitool), the JUnit parses as XML; the file takes less than the
// time bound.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Ajv, type ValidateFunction } from 'ajv';
import { builtinCatalog } from '../../src/admx/load.js';
import type { AdmxPolicyCatalog } from '../../src/admx/create-catalog.js';
import type { AuditResult } from '../../src/audit/result.js';
import { runAudit, runOuAudit } from '../../src/audit/run-audit.js';
import { parseXml } from '../../src/codecs/xml.js';
import { AUDIT_FORMATS, AUDIT_REPORTERS } from '../../src/reporters/audit-reporters.js';
import { loadRuleSet } from '../../src/rules/load.js';
import type { Rule } from '../../src/rules/types.js';
import { validateSarif } from '../reporters/multitool.js';
import { LINKS_LDIF_OU, PROJECT, type FuzzFormat } from './seeds.js';

export interface FuzzInput {
  /** Layout path the file is written at (relative to the temp root): also its display name in problems. */
  rel: string;
  format: FuzzFormat;
  bytes: Uint8Array;
}

export interface PipelineOutcome {
  /** What went wrong: empty when the input was handled as it must be. `crash:`, `slow:` or `invalid:` first. */
  failures: string[];
  /** Problems the run reported, by shape (code and message with numbers and quoted text blanked). */
  shapes: string[];
  ms: number;
}

export interface FuzzContext {
  root: string;
  sysvol: string;
  rules: Rule[];
  catalog: AdmxPolicyCatalog;
  validateJson: ValidateFunction;
  /** Validate one SARIF log in this many with the Multitool (0: never). */
  sarifEvery: number;
  /** A file slower than this through the whole pipeline is a failure (`slow:`). */
  timeBoundMs: number;
  runs: number;
  dirs: Set<string>;
}

const GUID = /^\{[0-9a-f-]{36}\}$/i;

export function createContext(options: { sarifEvery?: number; timeBoundMs?: number } = {}): FuzzContext {
  const root = mkdtempSync(join(tmpdir(), 'gpaudit-fuzz-'));
  const sysvol = join(root, '_sysvol', 'Policies');
  for (const [n, version] of [[1, 65537], [2, 3], [3, 1]] as const) {
    const dir = join(sysvol, `{${String(n).repeat(8)}-1111-4111-8111-111111111111}`);
    mkdirSync(join(dir, 'Machine'), { recursive: true });
    writeFileSync(join(dir, 'GPT.INI'), `[General]\r\ndisplayName=Fuzz GPO ${n}\r\nVersion=${version}\r\n`);
    writeFileSync(join(dir, 'Machine', 'Registry.pol'), Buffer.from('PReg\x01\x00\x00\x00', 'latin1'));
  }
  const { ruleSet, errors } = loadRuleSet([]);
  if (!ruleSet) throw new Error(`the shipped rules do not load: ${JSON.stringify(errors)}`);
  const schema = JSON.parse(readFileSync(join(PROJECT, 'schemas/audit-output.schema.json'), 'utf8'));
  return {
    root,
    sysvol,
    rules: ruleSet.rules,
    catalog: builtinCatalog(),
    validateJson: new Ajv({ allErrors: true, strict: false }).compile(schema),
    sarifEvery: options.sarifEvery ?? 0,
    timeBoundMs: options.timeBoundMs ?? 5_000,
    runs: 0,
    dirs: new Set(),
  };
}

export function disposeContext(ctx: FuzzContext): void {
  rmSync(ctx.root, { recursive: true, force: true });
}

/** A problem's shape: its code and its message with quoted text, paths and numbers blanked. */
export function problemShape(code: string, message: string): string {
  const m = message
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '"…"')
    .replace(/<[^<>\s]{1,80}>/g, '<…>')
    .replace(/0x[0-9a-f]+/gi, 'N')
    .replace(/\d+/g, 'N')
    .replace(/\s+/g, ' ');
  return `${code}: ${m.length > 160 ? `${m.slice(0, 160)}…` : m}`;
}

function unitPathOf(rel: string): string {
  const parts = rel.split('/');
  const g = parts.findIndex((p) => GUID.test(p));
  return g >= 0 ? parts.slice(0, g + 1).join('/') : parts.slice(0, -1).join('/');
}

export async function runPipeline(input: FuzzInput, ctx: FuzzContext): Promise<PipelineOutcome> {
  const failures: string[] = [];
  const shapes: string[] = [];
  const file = join(ctx.root, input.rel);
  const dir = dirname(file);
  if (!ctx.dirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    ctx.dirs.add(dir);
  }
  writeFileSync(file, input.bytes);
  const n = ctx.runs++;
  const started = performance.now();
  // Multitool validation is a child process of a second or two: not the pipeline's time.
  let validationMs = 0;
  try {
    const base = { rules: ctx.rules, catalog: ctx.catalog, failOn: 'high' as const, waivers: [], today: '2026-12-03', cwd: ctx.root, root: ctx.root, version: 'fuzz' };
    let result: AuditResult;
    try {
      result =
        input.format === 'ldif'
          ? await runOuAudit([input.rel], { ...base, ou: LINKS_LDIF_OU, sysvol: ctx.sysvol })
          : runAudit([unitPathOf(input.rel)], base);
    } catch (err) {
      failures.push(`crash: audit threw ${describeError(err)}`);
      return { failures, shapes, ms: performance.now() - started - validationMs };
    }
    for (const p of result.problems) {
      shapes.push(problemShape(p.code, p.message));
      if (p.code === 'internal-error') failures.push(`invalid: internal-error problem: ${p.message}`);
      if (!p.message) failures.push(`invalid: problem ${p.code} without a message`);
      // audit --ou also names the OU (or a directory object) it could not resolve in the LDIF.
      const located = p.file === input.rel || input.rel.startsWith(`${p.file}/`) || (input.format === 'ldif' && (p.file.startsWith('_sysvol/') || /^[a-z]+=/i.test(p.file)));
      if (!located) failures.push(`invalid: problem ${p.code} names ${JSON.stringify(p.file)}, not the file`);
    }
    for (const format of AUDIT_FORMATS) {
      let out: string;
      try {
        out = AUDIT_REPORTERS[format](result, { color: false, environment: {}, generatedAt: new Date(0) });
      } catch (err) {
        failures.push(`crash: ${format} reporter threw ${describeError(err)}`);
        continue;
      }
      if (typeof out !== 'string' || out.length === 0) failures.push(`invalid: ${format} report is empty`);
      else if (format === 'json') {
        const doc = parseJson(out, failures, 'json');
        if (doc !== undefined && !ctx.validateJson(doc)) failures.push(`invalid: json does not match audit-output.schema.json: ${JSON.stringify(ctx.validateJson.errors?.slice(0, 3))}`);
      } else if (format === 'sarif') {
        const doc = parseJson(out, failures, 'sarif') as { version?: string; runs?: unknown[] } | undefined;
        if (doc && (doc.version !== '2.1.0' || !Array.isArray(doc.runs))) failures.push('invalid: sarif is not a SARIF 2.1.0 log');
        if (doc && ctx.sarifEvery > 0 && n % ctx.sarifEvery === 0) {
          const validating = performance.now();
          const path = join(ctx.root, `_sarif-${n}.sarif`);
          writeFileSync(path, out);
          const errors = validateSarif(path, { levels: ['Error'] });
          if (errors.length) failures.push(`invalid: sarif fails the Multitool: ${errors.map((e) => `${e.ruleId} ${e.text}`).join('; ').slice(0, 500)}`);
          rmSync(path, { force: true });
          rmSync(`${path}.validation.sarif`, { force: true });
          validationMs += performance.now() - validating;
        }
      } else if (format === 'junit') {
        try {
          parseXml(out);
        } catch (err) {
          failures.push(`invalid: junit is not well-formed XML: ${describeError(err)}`);
        }
      }
    }
  } finally {
    unlinkSync(file);
  }
  const ms = performance.now() - started - validationMs;
  if (ms > ctx.timeBoundMs) failures.push(`slow: ${ms.toFixed(0)} ms through the pipeline (bound ${ctx.timeBoundMs} ms)`);
  return { failures, shapes, ms };
}

function parseJson(text: string, failures: string[], what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    failures.push(`invalid: ${what} is not JSON: ${describeError(err)}`);
    return undefined;
  }
}

export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);
}
