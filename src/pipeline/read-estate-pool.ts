import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PolicyCatalog } from '../admx/catalog.js';
import type { CatalogInput } from '../admx/resolve.js';
import { builtinCatalog } from '../admx/load.js';
import type { InputPath, InputUnit } from '../model/unit.js';
import type { Problem } from '../model/problems.js';
import { normaliseUnit } from '../normalise/normalise.js';
import { EstateTally, type EstateRead, type UnitCount } from './estate-tally.js';
import { countOf, readOptionsOf, walkOptionsOf, type ReadEstateOptions } from './read-estate.js';
import { readUnit, type ReadOptions } from './read-unit.js';
import type { UnitTask } from '../model/unit-task.js';
import { walkInputs } from './walk.js';

/**
 * Reading time (ms, in this thread) after which workers are started, if units remain. A worker costs 100-300 ms
 * of start-up (it loads the parsers, the catalogue and the rules engine anew: measured on samples/, where the
 * whole read takes 15-20 ms warm), so a run that is over in a moment never starts one.
 */
export const POOL_AFTER_MS = 200;

/**
 * Each worker's young generation, in MB. V8's default let two workers take the 5,000-GPO audit to 267-294 MB and
 * settings to 308-316 MB of peak RSS; at 16 MB: 239-252 and 263-265 MB, for 0-3 % more wall time (two runs each,
 * quiet machine; 8 MB cut a little more memory but cost 10-20 % time). Old-generation size is not limited: one
 * large file still parses.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/** Units sent to a worker and not yet handed on, per worker: enough to keep it busy, few enough to bound memory. */
const IN_FLIGHT_PER_WORKER = 4;

export interface PoolReadOptions extends ReadEstateOptions {
  /** Threads that read, parse and normalise (and run the task): 1 reads everything in this thread. */
  jobs: number;
  /** Reading time in this thread after which workers start; default POOL_AFTER_MS (0: every unit goes to a worker). */
  poolAfterMs?: number;
}

/** What a worker is started with (workerData). */
export interface WorkerData {
  catalog: { kind: 'builtin' } | { kind: 'input'; input: CatalogInput };
  read: ReadOptions;
  task: { module: string; init: unknown };
}

/** What a worker sends back for each unit. */
export type WorkerReply =
  | { ready: true }
  | { seq: number; count: UnitCount; result: unknown }
  | { seq: number; error: { message: string; stack: string } };

/** One walk item's place in the output: handed on strictly in walk order, whichever thread finished it first. */
type Slot = { kind: 'problem'; problem: Problem } | { kind: 'deadline'; at: InputPath } | { kind: 'unit'; count: UnitCount; result: unknown };

/**
 * read → parse → normalise → task on every core: the walk runs here, each unit goes to the least busy worker
 * thread, and results are handed to `onResult` in the order the walk found the units, so the outcomes, problems and
 * results are those of the one-thread reader (read-estate.ts) whatever the number of jobs. Units are read here until
 * POOL_AFTER_MS have passed, and on until the first worker is ready; a short run starts none. With `jobs` 1, a catalogue that
 * cannot be rebuilt in a worker (not made by admx/), or no built worker script (running from TypeScript sources),
 * every unit is read here.
 */
export async function readEstateInPool<Init, Result>(
  paths: string[],
  options: PoolReadOptions,
  task: UnitTask<Init, Result>,
  onResult: (result: Result) => void,
): Promise<EstateRead & { workers: number; unitsInWorkers: number }> {
  const tally = new EstateTally();
  const readOptions = readOptionsOf(options);
  const local = task.create(task.init);
  const workerData = poolable(options, task, readOptions);
  const slots = new Map<number, Slot>();
  let nextOut = 0;
  const handOn = () => {
    for (let slot = slots.get(nextOut); slot; slot = slots.get(nextOut)) {
      slots.delete(nextOut++);
      if (slot.kind === 'problem') tally.failedInput(slot.problem);
      else if (slot.kind === 'deadline') tally.deadline(slot.at);
      else {
        tally.unit(slot.count);
        onResult(slot.result as Result);
      }
    }
  };

  let pool: Pool | undefined;
  let seq = 0;
  let sent = 0;
  const started = performance.now();
  const poolAfterMs = options.poolAfterMs ?? POOL_AFTER_MS;
  try {
    const walk = walkInputs(paths, walkOptionsOf(options))[Symbol.iterator]();
    for (let walking = true; walking || seq > nextOut; ) {
      while (walking && (!pool?.ready || seq - nextOut < pool.capacity)) {
        const next = walk.next();
        if (next.done) {
          walking = false;
          break;
        }
        const item = next.value;
        const s = seq++;
        if (options.readDeadline !== undefined && Date.now() > options.readDeadline) {
          const at = 'problem' in item ? item.path : item.unit;
          tally.keep(at);
          slots.set(s, { kind: 'deadline', at });
          walking = false;
          break;
        }
        if ('problem' in item) {
          tally.keep(item.path);
          slots.set(s, { kind: 'problem', problem: item.problem });
          continue;
        }
        tally.keep(item.unit);
        if (!pool && workerData && performance.now() - started >= poolAfterMs) pool = new Pool(options.jobs, workerData, slots);
        if (pool && poolAfterMs === 0) while (!pool.ready) await pool.settled();
        if (pool?.ready) {
          pool.send(s, item.unit);
          sent++;
          continue;
        }
        // No worker has started yet: this thread reads the unit itself, and lets a worker's "ready" in before the next.
        const unit = normaliseUnit(readUnit(item.unit, readOptions), options.catalog);
        slots.set(s, { kind: 'unit', count: countOf(unit), result: local(unit) });
        handOn();
        if (pool) await pool.poll();
      }
      handOn();
      if (seq > nextOut) await pool!.settled();
    }
  } finally {
    await pool?.close();
  }
  return { ...tally.result(), workers: pool?.size ?? 0, unitsInWorkers: sent };
}

/** What the workers need, or undefined when this run must stay in one thread. */
function poolable(options: PoolReadOptions, task: Pick<UnitTask<unknown, unknown>, 'module' | 'init'>, read: ReadOptions): WorkerData | undefined {
  if (options.jobs <= 1 || !existsSync(fileURLToPath(WORKER_SCRIPT))) return undefined;
  const catalog = catalogRecipe(options.catalog);
  if (!catalog) return undefined;
  return { catalog, read, task: { module: task.module, init: task.init } };
}

const WORKER_SCRIPT = new URL('./unit-worker.js', import.meta.url);

function catalogRecipe(catalog: PolicyCatalog): WorkerData['catalog'] | undefined {
  if (catalog === builtinCatalog()) return { kind: 'builtin' };
  return 'input' in catalog ? { kind: 'input', input: (catalog as { input: CatalogInput }).input } : undefined;
}

/** The worker threads, each unit sent to the one with the fewest waiting; replies land in `slots` by sequence number. */
class Pool {
  private readonly workers: { worker: Worker; waiting: number }[] = [];
  /** True once a worker has loaded what it needs: until then the main thread reads units itself. */
  ready = false;
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  readonly capacity: number;
  readonly size: number;

  constructor(jobs: number, data: WorkerData, private readonly slots: Map<number, Slot>) {
    this.size = jobs;
    this.capacity = jobs * IN_FLIGHT_PER_WORKER;
    for (let i = 0; i < jobs; i++) {
      const worker = new Worker(WORKER_SCRIPT, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      const entry = { worker, waiting: 0 };
      worker.on('message', (reply: WorkerReply) => {
        if ('ready' in reply) {
          this.ready = true;
          this.wake?.();
          return;
        }
        entry.waiting--;
        if ('error' in reply) this.fail(Object.assign(new Error(reply.error.message), { stack: reply.error.stack }));
        else this.slots.set(reply.seq, { kind: 'unit', count: reply.count, result: reply.result });
        this.wake?.();
      });
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (entry.waiting > 0) this.fail(new Error(`a worker thread stopped (exit code ${code}) with ${entry.waiting} unit(s) unread`));
      });
      this.workers.push(entry);
    }
  }

  send(seq: number, unit: InputUnit): void {
    let best = this.workers[0]!;
    for (const w of this.workers) if (w.waiting < best.waiting) best = w;
    best.waiting++;
    best.worker.postMessage({ seq, unit });
  }

  /** Lets waiting messages in (a worker saying it is ready) without waiting for one; rejects when a worker failed. */
  async poll(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.failure) throw this.failure;
  }

  /** Resolves when a reply has arrived (or rejects when a worker failed). */
  settled(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.wake = () => {
        this.wake = undefined;
        if (this.failure) reject(this.failure);
        else resolve();
      };
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake?.();
  }

  async close(): Promise<void> {
    for (const w of this.workers) w.waiting = 0;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
