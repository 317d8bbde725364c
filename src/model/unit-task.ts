import type { NormalisedUnit } from './unit.js';

/**
 * What a run does with each unit once it is read and normalised, wherever the unit was read: in this thread or in
 * a worker (pipeline/read-estate-pool.ts). The module at `module` exports `createUnitTask`, the same function as `create`,
 * so a unit gives the same result in either place; `init` is plain data (structured-clone safe), sent to each worker.
 */
export interface UnitTask<Init, Result> {
  /** URL of a module exporting `createUnitTask(init)` (built JavaScript: a worker cannot load TypeScript). */
  module: string;
  init: Init;
  create: (init: Init) => (unit: NormalisedUnit) => Result;
}

/** The shape of a task module. */
export interface UnitTaskModule<Init, Result> {
  createUnitTask(init: Init): (unit: NormalisedUnit) => Result;
}
