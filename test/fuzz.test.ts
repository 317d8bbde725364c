import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParseResult } from '../src/model/parse-result.js';
import type { InputFormat } from '../src/model/settings.js';
import { parseLdif } from '../src/parsers/ldif.js';
import { PARSERS } from '../src/parsers/index.js';
import { generate, seedSet } from './fuzz/generate.js';
import { createContext, disposeContext, runPipeline, type FuzzContext } from './fuzz/pipeline.js';
import { bucketOf, FUZZ_FORMATS, pickSeeds, seedBytes } from './fuzz/seeds.js';

// Property: whatever bytes arrive, every parser returns a ParseResult; a failure is a Problem that names
// the file and says what was wrong, never an exception, a hang or a bug report (code internal-error).
// Seeds are fixed so a CI failure reproduces; FUZZ_SEED / FUZZ_RUNS / FUZZ_PIPELINE_RUNS explore further locally,
// and `npm run fuzz` (scripts/fuzz/) does long runs with a watchdog and replay files. The seed files are spread over
// the whole corpus (every repository, encoding and Registry.pol hive) and samples/: test/fuzz/seeds.ts.
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const RUNS = Number(process.env.FUZZ_RUNS ?? 700);
const PIPELINE_RUNS = Number(process.env.FUZZ_PIPELINE_RUNS ?? 60);

/** Real and sample files of one format, chosen from the seed over every (repository, encoding, hive) bucket. */
function seedsFor(format: InputFormat | 'ldif'): Uint8Array[] {
  return pickSeeds(format, SEED, 12, 64 * 1024).map(seedBytes);
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

  it(`ldif: ${RUNS} mutated files each parse or fail with a clear problem`, () => {
    const seeds = seedsFor('ldif');
    expect(seeds.length, 'no seed files for ldif').toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (i, ms) => {
        const started = performance.now();
        const { problems } = parseLdif(mutate(seeds[i]!, ms), 'fuzzed');
        for (const p of problems) {
          expect(p.file).toBe('fuzzed');
          expect(p.message.length).toBeGreaterThan(0);
          expect(p.code).not.toBe('internal-error');
        }
        expect(performance.now() - started).toBeLessThan(2_000);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('random bytes and empty input never crash any parser', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.constantFrom(...FORMATS), (bytes, format) => {
        assertWellFormed(PARSERS[format](bytes, { file: 'random' }), 'random');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

// The whole pipeline, as `gpaudit audit` runs it (read → parse → normalise → evaluate with the shipped rules → every
// reporter), over structure-aware and byte mutations: test/fuzz/pipeline.ts says what must hold. The first run's SARIF
// is also checked with the Multitool (validating each would take seconds apiece).
describe('the whole pipeline under mutated input', () => {
  let ctx: FuzzContext;
  beforeAll(() => {
    ctx = createContext({ sarifEvery: 1_000_000, timeBoundMs: 5_000 });
  });
  afterAll(() => disposeContext(ctx));

  it('seeds cover every format, and more than one repository, encoding or hive where the corpus has them', () => {
    for (const format of FUZZ_FORMATS) {
      const set = seedSet(format, SEED);
      expect(set.files.length, format).toBeGreaterThan(0);
      const buckets = new Set(set.files.map(bucketOf));
      if (format === 'registry-pol') expect(new Set(set.files.map((f) => f.hive))).toEqual(new Set(['Machine', 'User']));
      if (format === 'gpo-report' || format === 'security-template') expect(buckets.size).toBeGreaterThan(1);
    }
  });

  for (const format of FUZZ_FORMATS) {
    it(`${format}: ${PIPELINE_RUNS} mutated files through read, normalise, evaluate and every reporter`, async () => {
      const set = seedSet(format, SEED, { maxBytes: 64 * 1024 });
      // Untimed warm-up: the first file of a format pays for loading its code paths.
      await runPipeline({ rel: set.files[0]!.rel, format, bytes: set.bytes[0]! }, ctx);
      for (let run = 0; run < PIPELINE_RUNS; run++) {
        const input = generate(set, SEED, run);
        const outcome = await runPipeline(input, ctx);
        expect(outcome.failures, `${format} run ${run} (seed ${SEED}) from ${input.seedFile}: ${input.steps.join(', ')}`).toEqual([]);
      }
    });
  }
});
