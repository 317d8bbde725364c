import type { NormalisedUnit } from '../model/unit.js';
import type { PolicyCatalog } from '../admx/catalog.js';
import { readUnit, type ReadOptions } from './read-unit.js';
import { walkInputs, type WalkOptions } from './walk.js';
import type { Hive } from '../model/settings.js';
import { normaliseUnit } from '../normalise/normalise.js';
import { EstateTally, type EstateRead, type UnitCount } from './estate-tally.js';

export type { EstateRead } from './estate-tally.js';

export interface ReadEstateOptions {
  hive?: Hive;
  maxFileBytes?: number;
  /** One file's read is abandoned after this long (readFileWithin); default 60 s. */
  readTimeLimitMs?: number;
  /**
   * When (ms since the epoch) the run stops reading: checked between units, so the input then due and everything
   * after it is left unread, with one line naming it. None by default.
   */
  readDeadline?: number;
  catalog: PolicyCatalog;
  /** The working directory input paths are resolved against and shown relative to. */
  cwd: string;
  /** What root-relative paths are relative to: absolute, or relative to `cwd`; default `cwd`. */
  root?: string;
}

/**
 * read → parse → normalise, one unit at a time in this thread, handing each to `onUnit`. Returns every file's
 * outcome and every problem, so callers can decide the exit code and list what was not evaluated, and every input
 * path the walk resolved, by the name those give it (`display`). read-estate-pool.ts does the same on every core.
 */
export function readEstate(paths: string[], options: ReadEstateOptions, onUnit: (unit: NormalisedUnit) => void): EstateRead {
  const tally = new EstateTally();
  for (const item of walkInputs(paths, walkOptionsOf(options))) {
    if (options.readDeadline !== undefined && Date.now() > options.readDeadline) {
      const at = 'problem' in item ? item.path : item.unit;
      tally.keep(at);
      tally.deadline(at);
      break;
    }
    if ('problem' in item) {
      tally.keep(item.path);
      tally.failedInput(item.problem);
      continue;
    }
    tally.keep(item.unit);
    const unit = normaliseUnit(readUnit(item.unit, readOptionsOf(options)), options.catalog);
    tally.unit(countOf(unit));
    onUnit(unit);
  }
  return tally.result();
}

export function walkOptionsOf(options: ReadEstateOptions): WalkOptions {
  return { cwd: options.cwd, ...(options.root !== undefined ? { root: options.root } : {}), ...(options.hive ? { hive: options.hive } : {}) };
}

export function readOptionsOf(options: Pick<ReadEstateOptions, 'maxFileBytes' | 'readTimeLimitMs'>): ReadOptions {
  return { ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}), ...(options.readTimeLimitMs !== undefined ? { readTimeLimitMs: options.readTimeLimitMs } : {}) };
}

/** What the tally counts of a unit. */
export function countOf(unit: NormalisedUnit): UnitCount {
  let settings = 0;
  for (const g of unit.gpos) settings += g.settings.length;
  return { outcomes: unit.outcomes, problems: unit.problems, gpos: unit.gpos.length, settings };
}
