// The body of one worker thread of read-estate-pool.ts: it reads, parses and normalises the units it is sent and
// runs the run's task on each (evaluating rules, rendering settings), so only the small result crosses back.
import { parentPort, workerData } from 'node:worker_threads';
import { builtinCatalog } from '../admx/load.js';
import { createPolicyCatalog } from '../admx/create-catalog.js';
import type { InputUnit } from '../model/unit.js';
import { normaliseUnit } from '../normalise/normalise.js';
import { countOf } from './read-estate.js';
import { readUnit } from './read-unit.js';
import type { UnitTaskModule } from '../model/unit-task.js';
import type { WorkerData, WorkerReply } from './read-estate-pool.js';

const data = workerData as WorkerData;
const catalog = data.catalog.kind === 'builtin' ? builtinCatalog() : createPolicyCatalog(data.catalog.input);
const taskModule = (await import(data.task.module)) as UnitTaskModule<unknown, unknown>;
const task = taskModule.createUnitTask(data.task.init);
const port = parentPort!;

port.on('message', ({ seq, unit }: { seq: number; unit: InputUnit }) => {
  let reply: WorkerReply;
  try {
    const normalised = normaliseUnit(readUnit(unit, data.read), catalog);
    reply = { seq, count: countOf(normalised), result: task(normalised) };
  } catch (err) {
    // Parsers report bad input as problems; an exception here is a bug, passed on whole for the main thread to raise.
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { seq, error: { message: e.message, stack: e.stack ?? e.message } };
  }
  port.postMessage(reply);
});
// Loaded: from now on the main thread sends units here rather than reading them itself.
port.postMessage({ ready: true } satisfies WorkerReply);
