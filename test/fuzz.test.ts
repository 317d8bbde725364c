import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../src/pipeline/detect.js';
import type { ParseResult } from '../src/model/parse-result.js';
import type { InputFormat } from '../src/model/settings.js';
import { PARSERS } from '../src/parsers/index.js';
import { corpusFiles } from './helpers/realdata.js';

// Property: whatever bytes arrive, every parser returns a ParseResult; a failure is a Problem that names
// the file and says what was wrong, never an exception, a hang or a bug report (code internal-error).
// Seeds are fixed so a CI failure reproduces; FUZZ_SEED / FUZZ_RUNS explore further locally.
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const RUNS = Number(process.env.FUZZ_RUNS ?? 700);

/** Small real or sample files per format: the corpus where present, the project's own samples always. */
function seedsFor(format: InputFormat): Uint8Array[] {
  const candidates = [...corpusFiles(), ...corpusFilesUnder('samples')];
  const picked: Uint8Array[] = [];
  for (const path of candidates) {
    const bytes = readFileSync(path);
    if (bytes.length > 200_000) continue;
    const d = detectFormat(bytes, basename(path));
    if (d.kind === 'supported' && d.format === format) picked.push(bytes);
    if (picked.length >= 4) break;
  }
  return picked;
}

function corpusFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = `${d}/${n}`;
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

type Mutation =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 256 }) }),
);

function mutate(input: Uint8Array, mutations: Mutation[]): Uint8Array {
  let b = Buffer.from(input);
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.kind) {
      case 'flip':
        if (b.length) b[at] = m.value;
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
        break;
      case 'duplicate':
        b = Buffer.concat([b.subarray(0, at + m.length), b.subarray(at, at + m.length), b.subarray(at + m.length)]);
        break;
    }
  }
  return b;
}

function assertWellFormed(result: ParseResult, file: string): void {
  expect(result.file).toBe(file);
  for (const p of result.problems) {
    expect(p.file).toBe(file);
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.code).not.toBe('internal-error');
  }
  if (result.problems.some((p) => p.severity === 'error')) expect(result.settings).toEqual([]);
}

const FORMATS: InputFormat[] = ['registry-pol', 'security-template', 'gpo-report', 'rsop', 'gpp-registry', 'gpp-power', 'backup-metadata', 'gpt-ini'];

describe('parsers under mutated input', () => {
  for (const format of FORMATS) {
    it(`${format}: ${RUNS} mutated files each parse or fail with a clear problem`, () => {
      const seeds = seedsFor(format);
      expect(seeds.length, `no seed files for ${format}`).toBeGreaterThan(0);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (i, ms) => {
          const bytes = mutate(seeds[i]!, ms);
          const started = performance.now();
          const result = PARSERS[format](bytes, { file: 'fuzzed', hive: 'HKLM' });
          assertWellFormed(result, 'fuzzed');
          // No input may make a parser crawl: a few KB must never take seconds.
          expect(performance.now() - started).toBeLessThan(2_000);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });
  }

  it('random bytes and empty input never crash any parser', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.constantFrom(...FORMATS), (bytes, format) => {
        assertWellFormed(PARSERS[format](bytes, { file: 'random' }), 'random');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
