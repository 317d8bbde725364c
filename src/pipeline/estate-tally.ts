import { dirname, join, sep } from 'node:path';
import type { EstateSummary, FileOutcome, InputPath } from '../model/unit.js';
import type { Problem } from '../model/problems.js';

/** What reading an estate gives besides the units themselves. */
export interface EstateRead {
  outcomes: FileOutcome[];
  problems: Problem[];
  summary: EstateSummary;
  /** The resolved paths of a file the run saw, by the name shown for it (a unit's files are derived from the unit's). */
  pathOf: (display: string) => InputPath | undefined;
}

/** What one unit came to, as the tally counts it: in this thread or in a worker (read-estate-pool.ts). */
export interface UnitCount {
  outcomes: FileOutcome[];
  problems: Problem[];
  gpos: number;
  settings: number;
}

/**
 * The bookkeeping of a run, in reading order: every file's outcome, every problem, the counts, and the resolved
 * paths. The one place both readers (one thread, or a pool of workers) keep it, so their results cannot differ.
 */
export class EstateTally {
  private readonly outcomes: FileOutcome[] = [];
  private readonly problems: Problem[] = [];
  private readonly summary: EstateSummary = { files: 0, read: 0, failed: 0, unsupported: 0, unknown: 0, knownParts: 0, gpos: 0, settings: 0 };
  private readonly resolved = new Map<string, InputPath>();

  /** Units only: a file's paths follow from its unit's (23,000 files kept one by one cost 12 MB of peak RSS). */
  keep({ path, display, fromRoot }: InputPath): void {
    this.resolved.set(display, { path, display, ...(fromRoot !== undefined ? { fromRoot } : {}) });
  }

  /** An input the walk could not read (its path was kept by `keep`). */
  failedInput(problem: Problem): void {
    this.problems.push(problem);
    this.outcomes.push({ file: problem.file, status: 'failed' });
    this.summary.files++;
    this.summary.failed++;
  }

  /** The run's time limit passed before `at` was read: it and everything after it are left unread. */
  deadline(at: InputPath): void {
    this.failedInput({ file: at.display, code: 'io-error', severity: 'error', message: 'the run reached its time limit here: this input and the ones after it were not read' });
  }

  unit(count: UnitCount): void {
    for (const o of count.outcomes) {
      this.summary.files++;
      this.summary[o.status === 'read' ? 'read' : o.status]++;
      if (o.status === 'unsupported' && o.knownPart) this.summary.knownParts++;
    }
    this.summary.gpos += count.gpos;
    this.summary.settings += count.settings;
    this.outcomes.push(...count.outcomes);
    this.problems.push(...count.problems);
  }

  result(): EstateRead {
    const resolved = this.resolved;
    return { outcomes: this.outcomes, problems: this.problems, summary: this.summary, pathOf: (display) => pathWithin(resolved, display) };
  }
}

/** A file's paths: its own entry, or its unit folder's with the rest of the name appended. */
function pathWithin(units: ReadonlyMap<string, InputPath>, display: string): InputPath | undefined {
  const own = units.get(display);
  if (own) return own;
  for (let dir = dirname(display); dir !== display && dir !== '.' && dir !== dirname(dir); dir = dirname(dir)) {
    const unit = units.get(dir);
    if (!unit) continue;
    const rest = display.slice(dir.length + 1);
    return {
      path: join(unit.path, rest),
      display,
      ...(unit.fromRoot !== undefined ? { fromRoot: `${unit.fromRoot}/${rest.split(sep).join('/')}` } : {}),
    };
  }
  return undefined;
}
