import { formatPosition } from './describe.js';
import type { SourcePosition } from './settings.js';

/**
 * Something that kept part of an input from being read. Problems are data, not exceptions:
 * the run reports them and carries on with the other files.
 */
export interface Problem {
  file: string;
  position?: SourcePosition;
  /** Stable machine-readable code. */
  code: ProblemCode;
  message: string;
  /** `error`: the file (or a part of it) was not evaluated. `warning`: read, but something was skipped or guessed. */
  severity: 'error' | 'warning';
}

export type ProblemCode =
  | 'unsupported-format'   // recognised, deliberately not read (HTML report, .pow, comment.cmtx, audit.csv ...)
  | 'unknown-format'       // not recognised at all
  | 'decode-error'         // bytes are not text in any supported encoding
  | 'malformed'            // syntax error
  | 'truncated'            // ended before a structure was complete
  | 'hostile'              // DOCTYPE / entities / other constructs refused for safety
  | 'too-large'            // over the per-file size limit
  | 'io-error'             // could not be read from disk
  | 'skipped-entry'        // one entry in an otherwise readable file was skipped
  | 'internal-error';      // gpaudit's own bug, caught at the parser boundary: please report it

/** Thrown inside parsers to abort one file; the parser boundary turns it into a Problem. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly position?: SourcePosition,
  ) {
    super(message);
  }
}

/** One line a user can read: `file:line 12: what was wrong`. */
export function formatProblem(p: Problem): string {
  const where = p.position ? formatPosition(p.position) : '';
  return `${p.file}${where ? ` (${where})` : ''}: ${p.severity}: ${p.message} [${p.code}]`;
}

/** Any error thrown while reading one file, as the Problem the run reports: InputError as it says, anything else as a bug. */
export function problemFromError(file: string, err: unknown): Problem {
  if (err instanceof InputError) {
    return { file, code: err.code, message: err.message, severity: 'error', ...(err.position ? { position: err.position } : {}) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { file, code: 'internal-error', message: `gpaudit failed on this file (a bug; please report it): ${message}`, severity: 'error' };
}
