// A fuzz worker: runs batches of (format, seed, runs) through the whole pipeline and tells the main thread when
// each run starts (the watchdog there detects a hang) and what each batch found.
import { parentPort } from 'node:worker_threads';
import { generate, seedSet, type SeedSet } from '../../test/fuzz/generate.js';
import { createContext, disposeContext, runPipeline, type FuzzContext } from '../../test/fuzz/pipeline.js';
import type { FuzzFormat } from '../../test/fuzz/seeds.js';

export interface BatchRequest {
  format: FuzzFormat;
  seed: string;
  from: number;
  to: number;
  timeBoundMs: number;
  sarifEvery: number;
  maxSeedBytes: number;
}

export type WorkerMessage =
  | { type: 'start'; run: number }
  | {
      type: 'batch';
      format: FuzzFormat;
      runs: number;
      shapes: Record<string, number>;
      slowest?: { ms: number; run: number; seedFile: string };
      failed: { run: number; failures: string[] }[];
      heapPeak: number;
      ms: number;
    };

const port = parentPort!;
let ctx: FuzzContext | undefined;
const sets = new Map<string, SeedSet>();
const warmed = new Set<string>();

port.on('message', async (req: BatchRequest | 'exit') => {
  if (req === 'exit') {
    if (ctx) disposeContext(ctx);
    process.exit(0);
  }
  ctx ??= createContext({ timeBoundMs: req.timeBoundMs, sarifEvery: req.sarifEvery });
  const key = `${req.format}:${req.seed}:${req.maxSeedBytes}`;
  if (!sets.has(key)) sets.set(key, seedSet(req.format, req.seed, { maxBytes: req.maxSeedBytes }));
  const set = sets.get(key)!;
  if (!warmed.has(key)) {
    // The first run of a format pays for compiling and loading its code paths: one unmutated seed first, untimed.
    warmed.add(key);
    await runPipeline({ rel: set.files[0]!.rel, format: req.format, bytes: set.bytes[0]! }, ctx);
  }
  const shapes: Record<string, number> = {};
  const failed: { run: number; failures: string[] }[] = [];
  let slowest: { ms: number; run: number; seedFile: string } | undefined;
  let heapPeak = 0;
  let total = 0;
  for (let run = req.from; run < req.to; run++) {
    port.postMessage({ type: 'start', run } satisfies WorkerMessage);
    const input = generate(set, req.seed, run);
    const o = await runPipeline(input, ctx);
    total += o.ms;
    for (const s of o.shapes) shapes[s] = (shapes[s] ?? 0) + 1;
    if (o.failures.length) failed.push({ run, failures: o.failures });
    if (!slowest || o.ms > slowest.ms) slowest = { ms: o.ms, run, seedFile: input.seedFile };
    if ((run & 31) === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }
  port.postMessage({ type: 'batch', format: req.format, runs: req.to - req.from, shapes, ...(slowest ? { slowest } : {}), failed, heapPeak, ms: total } satisfies WorkerMessage);
});

