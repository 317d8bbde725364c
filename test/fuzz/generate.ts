// The fuzz input of run `run` of a format: a pure function of (seed, format, run), so any input a long run found
// is rebuilt from those three values (and saved besides, with them, for --replay).
import { mutate } from './mutate.js';
import type { FuzzInput } from './pipeline.js';
import { createRng } from './rng.js';
import { pickSeeds, seedBytes, type FuzzFormat, type SeedFile } from './seeds.js';

export interface Generated extends FuzzInput {
  seedFile: string;
  steps: string[];
}

export interface SeedSet {
  format: FuzzFormat;
  files: SeedFile[];
  bytes: Uint8Array[];
}

export function seedSet(format: FuzzFormat, seed: string | number, options: { max?: number; maxBytes?: number } = {}): SeedSet {
  const files = pickSeeds(format, seed, options.max ?? 40, options.maxBytes ?? 128 * 1024);
  return { format, files, bytes: files.map(seedBytes) };
}

export function generate(set: SeedSet, seed: string | number, run: number): Generated {
  const rng = createRng(`${seed}:${set.format}:${run}`);
  const i = rng.int(0, set.files.length - 1);
  const file = set.files[i]!;
  const m = mutate(set.bytes[i]!, set.format, file.encoding, rng);
  return { rel: file.rel, format: set.format, bytes: m.bytes, seedFile: file.rel, steps: m.steps };
}
