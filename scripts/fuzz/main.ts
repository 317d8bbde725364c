// Long fuzz runs: `npm run fuzz -- --runs N --seed S [--format F]`; `--replay FILE` reruns one saved input.
// Each format's runs are cut into batches that worker threads run through the whole pipeline; a watchdog here
// terminates a worker whose current input has run longer than --watchdog ms and saves that input as a hang.
// A crash (an exception, an internal-error problem, an invalid report) or a file over --time-bound is saved too:
// <out>/<format>-<seed>-<run>.<kind>.bin with a .json beside it that says how to replay it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { generate, seedSet, type SeedSet } from '../../test/fuzz/generate.js';
import { createContext, disposeContext, runPipeline } from '../../test/fuzz/pipeline.js';
import { bucketOf, FUZZ_FORMATS, PROJECT, type FuzzFormat } from '../../test/fuzz/seeds.js';
import type { BatchRequest, WorkerMessage } from './worker.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '20261203' },
    format: { type: 'string', multiple: true },
    out: { type: 'string', default: 'test-output/fuzz' },
    replay: { type: 'string' },
    workers: { type: 'string', default: '2' },
    batch: { type: 'string', default: '250' },
    'time-bound': { type: 'string', default: '5000' },
    watchdog: { type: 'string', default: '60000' },
    'sarif-every': { type: 'string', default: '2000' },
    'max-seed-bytes': { type: 'string', default: String(128 * 1024) },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`npm run fuzz -- [--runs N per format] [--seed S] [--format F ...] [--out DIR] [--workers W] [--batch B]
       [--time-bound MS per file] [--watchdog MS before a run is a hang] [--sarif-every K] [--max-seed-bytes B]
npm run fuzz -- --replay DIR/<format>-<seed>-<run>.<kind>.json
formats: ${FUZZ_FORMATS.join(', ')}`);
  process.exit(0);
}

const seed = args.seed;
const runs = Number(args.runs);
const timeBoundMs = Number(args['time-bound']);
const watchdogMs = Number(args.watchdog);
const sarifEvery = Number(args['sarif-every']);
const maxSeedBytes = Number(args['max-seed-bytes']);
const outDir = resolve(PROJECT, args.out);

interface Saved {
  format: FuzzFormat;
  seed: string;
  run: number;
  kind: 'crash' | 'hang' | 'slow' | 'invalid';
  rel: string;
  seedFile: string;
  steps: string[];
  failures: string[];
  maxSeedBytes: number;
  replay: string;
}

if (args.replay) await replay(resolve(args.replay));
else await fuzz();

async function replay(file: string): Promise<void> {
  const meta = JSON.parse(readFileSync(file.replace(/\.bin$/, '.json'), 'utf8')) as Saved;
  const bytes = readFileSync(file.replace(/\.json$/, '.bin'));
  const ctx = createContext({ timeBoundMs, sarifEvery: 1 });
  console.log(`replaying ${meta.format} seed ${meta.seed} run ${meta.run} (${meta.seedFile}: ${meta.steps.join(', ')}), ${bytes.length} bytes`);
  try {
    const o = await runPipeline({ rel: meta.rel, format: meta.format, bytes }, ctx);
    console.log(`${o.ms.toFixed(1)} ms; ${o.shapes.length} problems`);
    for (const f of o.failures) console.log(`FAIL ${f}`);
    if (!o.failures.length) console.log('no failure: fixed, or it only fails under load (a hang: rerun with the same --time-bound)');
    process.exitCode = o.failures.length ? 1 : 0;
  } finally {
    disposeContext(ctx);
  }
}

interface FormatStats {
  runs: number;
  shapes: Map<string, number>;
  slowest?: { ms: number; run: number; seedFile: string };
  crashes: number;
  hangs: number;
  slow: number;
  invalid: number;
  seeds: number;
  buckets: number;
  ms: number;
}

async function fuzz(): Promise<void> {
  const formats = (args.format?.flatMap((f) => f.split(',')) ?? [...FUZZ_FORMATS]) as FuzzFormat[];
  for (const f of formats) if (!FUZZ_FORMATS.includes(f)) throw new Error(`unknown format ${f}; one of ${FUZZ_FORMATS.join(', ')}`);
  mkdirSync(outDir, { recursive: true });
  const sets = new Map<FuzzFormat, SeedSet>(formats.map((f) => [f, seedSet(f, seed, { maxBytes: maxSeedBytes })]));
  const stats = new Map<FuzzFormat, FormatStats>();
  for (const [f, set] of sets) {
    if (!set.files.length) throw new Error(`no seed files for ${f}`);
    stats.set(f, { runs: 0, shapes: new Map(), crashes: 0, hangs: 0, slow: 0, invalid: 0, seeds: set.files.length, buckets: new Set(set.files.map(bucketOf)).size, ms: 0 });
  }
  const queue: BatchRequest[] = [];
  const batch = Number(args.batch);
  for (const format of formats) for (let from = 0; from < runs; from += batch) queue.push({ format, seed, from, to: Math.min(runs, from + batch), timeBoundMs, sarifEvery, maxSeedBytes });
  const started = performance.now();
  let heapPeak = 0;
  let done = 0;

  const save = (format: FuzzFormat, run: number, kind: Saved['kind'], failures: string[]) => {
    const g = generate(sets.get(format)!, seed, run);
    const base = join(outDir, `${format}-${seed}-${run}.${kind}`);
    writeFileSync(`${base}.bin`, g.bytes);
    const meta: Saved = { format, seed, run, kind, rel: g.rel, seedFile: g.seedFile, steps: g.steps, failures, maxSeedBytes, replay: `npm run fuzz -- --replay ${base}.json` };
    writeFileSync(`${base}.json`, `${JSON.stringify(meta, null, 2)}\n`);
    console.log(`  ${kind.toUpperCase()} ${format} run ${run}: ${failures[0]?.split('\n')[0]} -> ${base}.json`);
  };

  const worker = () =>
    new Promise<void>((resolveWorker) => {
      let current: BatchRequest | undefined;
      let running: { run: number; at: number } | undefined;
      let w: Worker;
      const spawn = () => {
        w = new Worker(new URL('./worker.ts', import.meta.url), { execArgv: process.execArgv });
        w.on('message', (m: WorkerMessage) => {
          if (m.type === 'start') running = { run: m.run, at: performance.now() };
          else {
            const s = stats.get(m.format)!;
            s.runs += m.runs;
            s.ms += m.ms;
            for (const [k, v] of Object.entries(m.shapes)) s.shapes.set(k, (s.shapes.get(k) ?? 0) + v);
            if (m.slowest && (!s.slowest || m.slowest.ms > s.slowest.ms)) s.slowest = m.slowest;
            for (const f of m.failed) {
              const kind = f.failures.some((x) => x.startsWith('crash:')) ? 'crash' : f.failures.some((x) => x.startsWith('invalid:')) ? 'invalid' : 'slow';
              s[kind === 'crash' ? 'crashes' : kind === 'invalid' ? 'invalid' : 'slow']++;
              save(m.format, f.run, kind, f.failures);
            }
            heapPeak = Math.max(heapPeak, m.heapPeak);
            done += m.runs;
            next();
          }
        });
        w.on('error', (err) => lost(`crash: worker died: ${err.stack ?? err}`, 'crash'));
        w.on('exit', (code) => {
          if (current && code !== 0 && !killed) lost(`crash: worker exited with code ${code}`, 'crash');
        });
      };
      let killed = false;
      const lost = (why: string, kind: 'crash' | 'hang') => {
        if (!current) return;
        const req = current;
        const run = running?.run ?? req.from;
        const s = stats.get(req.format)!;
        s[kind === 'crash' ? 'crashes' : 'hangs']++;
        s.runs += run - req.from + 1;
        save(req.format, run, kind, [why]);
        current = undefined;
        running = undefined;
        killed = true;
        void w.terminate().then(() => {
          killed = false;
          if (run + 1 < req.to) queue.unshift({ ...req, from: run + 1 });
          spawn();
          next();
        });
      };
      const timer = setInterval(() => {
        if (current && running && performance.now() - running.at > watchdogMs) lost(`hang: run still going after ${watchdogMs} ms (watchdog)`, 'hang');
      }, 1_000);
      const next = () => {
        current = queue.shift();
        running = undefined;
        if (!current) {
          clearInterval(timer);
          w.postMessage('exit');
          resolveWorker();
          return;
        }
        w.postMessage(current);
      };
      spawn();
      next();
    });

  const progress = setInterval(() => {
    const total = formats.length * runs;
    console.log(`  ${done}/${total} runs, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }, 30_000);
  await Promise.all(Array.from({ length: Number(args.workers) }, worker));
  clearInterval(progress);

  const elapsed = (performance.now() - started) / 1000;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const allShapes = new Set<string>();
  console.log(`\ngpaudit fuzz: seed ${seed}, ${runs} runs per format, ${elapsed.toFixed(0)} s, ${args.workers} workers`);
  console.log('format             runs  seeds(buckets)  problems  slowest (ms, seed file, run)                     crashes hangs slow invalid');
  const summary: Record<string, unknown> = {};
  for (const [f, s] of stats) {
    for (const k of s.shapes.keys()) allShapes.add(k);
    console.log(
      `${f.padEnd(18)} ${String(s.runs).padStart(6)}  ${`${s.seeds}(${s.buckets})`.padStart(14)}  ${String(s.shapes.size).padStart(8)}  ${`${s.slowest?.ms.toFixed(0)} ${s.slowest?.seedFile} #${s.slowest?.run}`.padEnd(48)} ${String(s.crashes).padStart(7)} ${String(s.hangs).padStart(5)} ${String(s.slow).padStart(4)} ${String(s.invalid).padStart(7)}`,
    );
    summary[f] = { ...s, shapes: Object.fromEntries([...s.shapes].sort((a, b) => b[1] - a[1])), meanMs: s.ms / Math.max(1, s.runs) };
  }
  console.log(`distinct problems (code + message shape), all formats: ${allShapes.size}`);
  console.log(`peak memory: maxRSS ${(maxRss / 2 ** 20).toFixed(0)} MiB (whole process, workers included); peak worker heap ${(heapPeak / 2 ** 20).toFixed(0)} MiB`);
  const file = join(outDir, `summary-${seed}-${runs}.json`);
  writeFileSync(file, `${JSON.stringify({ seed, runs, elapsedSeconds: elapsed, maxRssBytes: maxRss, heapPeakBytes: heapPeak, distinctProblems: allShapes.size, formats: summary }, null, 2)}\n`);
  console.log(`summary: ${file}`);
  const bad = [...stats.values()].reduce((n, s) => n + s.crashes + s.hangs + s.slow + s.invalid, 0);
  process.exitCode = bad ? 1 : 0;
}
