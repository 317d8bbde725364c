import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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

/** The default of `--jobs`: the cores Node reports as available to this process. */
export function defaultJobs(): number {
  return availableParallelism();
}

/**
 * Units read in this thread before any worker is started. Starting a worker costs about as much as reading a dozen
 * small units (it loads the parsers and the rules engine anew), so a run of a few files never pays for a pool.
 */
export const UNITS_BEFORE_POOL = 16;

/** Units sent to a worker and not yet handed on, per worker: enough to keep it busy, few enough to bound memory. */
const IN_FLIGHT_PER_WORKER = 4;

export interface PoolReadOptions extends ReadEstateOptions {
  /** Threads that read, parse and normalise (and run the task): 1 reads everything in this thread. */
  jobs: number;
  /** Units read in this thread before workers start; default UNITS_BEFORE_POOL (0: workers from the first unit). */
  unitsBeforePool?: number;
}

/** What a worker is started with (workerData). */
export interface WorkerData {
  catalog: { kind: 'builtin' } | { kind: 'input'; input: CatalogInput };
  read: ReadOptions;
  task: { module: string; init: unknown };
}

/** What a worker sends back for each unit. */
export type WorkerReply =
  | { seq: number; count: UnitCount; result: unknown }
  | { seq: number; error: { message: string; stack: string } };

/** One walk item's place in the output: handed on strictly in walk order, whichever thread finished it first. */
type Slot = { kind: 'problem'; problem: Problem } | { kind: 'deadline'; at: InputPath } | { kind: 'unit'; count: UnitCount; result: unknown };

/**
 * read → parse → normalise → task on every core: the walk runs here, each unit goes to the least busy worker
 * thread, and results are handed to `onResult` in the order the walk found the units, so the outcomes, problems and
 * results are those of the one-thread reader (read-estate.ts) whatever the number of jobs. The first
 * UNITS_BEFORE_POOL units are read here; workers start only when there are more. With `jobs` 1, a catalogue that
 * cannot be rebuilt in a worker (not made by admx/), or no built worker script (running from TypeScript sources),
 * every unit is read here.
 */
export async function readEstateInPool<Init, Result>(
  paths: string[],
  options: PoolReadOptions,
  task: UnitTask<Init, Result>,
  onResult: (result: Result) => void,
): Promise<EstateRead & { workers: number }> {
  const tally = new EstateTally();
  const readOptions = readOptionsOf(options);
  const local = task.create(task.init);
  const workerData = poolable(options, task, readOptions);
  const ready = new Map<number, Slot>();
  let nextOut = 0;
  const handOn = () => {
    for (let slot = ready.get(nextOut); slot; slot = ready.get(nextOut)) {
      ready.delete(nextOut++);
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
  let units = 0;
  try {
    const walk = walkInputs(paths, walkOptionsOf(options))[Symbol.iterator]();
    for (let walking = true; walking || seq > nextOut; ) {
      while (walking && (!pool || seq - nextOut < pool.capacity)) {
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
          ready.set(s, { kind: 'deadline', at });
          walking = false;
          break;
        }
        if ('problem' in item) {
          tally.keep(item.path);
          ready.set(s, { kind: 'problem', problem: item.problem });
          continue;
        }
        tally.keep(item.unit);
        if (!pool && workerData && ++units > (options.unitsBeforePool ?? UNITS_BEFORE_POOL)) pool = new Pool(options.jobs, workerData, ready);
        if (pool) {
          pool.send(s, item.unit);
          continue;
        }
        const unit = normaliseUnit(readUnit(item.unit, readOptions), options.catalog);
        ready.set(s, { kind: 'unit', count: countOf(unit), result: local(unit) });
        handOn();
      }
      handOn();
      if (seq > nextOut) await pool!.settled();
    }
  } finally {
    await pool?.close();
  }
  return { ...tally.result(), workers: pool?.size ?? 0 };
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

/** The worker threads, each unit sent to the one with the fewest waiting; replies land in `ready` by sequence number. */
class Pool {
  private readonly workers: { worker: Worker; waiting: number }[] = [];
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  readonly capacity: number;
  readonly size: number;

  constructor(jobs: number, data: WorkerData, private readonly ready: Map<number, Slot>) {
    this.size = jobs;
    this.capacity = jobs * IN_FLIGHT_PER_WORKER;
    for (let i = 0; i < jobs; i++) {
      const worker = new Worker(WORKER_SCRIPT, { workerData: data });
      const entry = { worker, waiting: 0 };
      worker.on('message', (reply: WorkerReply) => {
        entry.waiting--;
        if ('error' in reply) this.fail(Object.assign(new Error(reply.error.message), { stack: reply.error.stack }));
        else this.ready.set(reply.seq, { kind: 'unit', count: reply.count, result: reply.result });
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
