import type { UnitRead, InputUnit, UnitFile } from '../model/unit.js';
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { ParseResult } from '../model/parse-result.js';
import type { Problem } from '../model/problems.js';
import type { GpoRef, InputFormat } from '../model/settings.js';
import { PARSERS } from '../parsers/index.js';
import { detectFormat } from './detect.js';
import { ioMessage, NOT_FOUND, notRegularMessage, VANISHED } from './fs-input.js';

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
/** One file's read is abandoned after this long (checked between chunks: see readFileWithin). */
export const DEFAULT_READ_TIME_LIMIT_MS = 60_000;

export interface ReadOptions {
  /** Files above this size are refused unread, so one hostile or mistaken file cannot exhaust memory. */
  maxFileBytes?: number;
  /** One file's read is abandoned after this long; default DEFAULT_READ_TIME_LIMIT_MS. */
  readTimeLimitMs?: number;
}



/** Metadata first: the GPO's identity from Backup.xml/bkupInfo.xml/GPT.INI is given to every other file's parse. */
const METADATA_FIRST: ReadonlyArray<InputFormat> = ['backup-metadata', 'gpt-ini', 'gpo-report'];

export function readUnit(unit: InputUnit, options: ReadOptions = {}): UnitRead {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const read: UnitRead = { unit, results: [], problems: [], outcomes: [] };
  const pending: { file: UnitFile; bytes: Uint8Array; format: InputFormat }[] = [];

  for (const file of unit.files) {
    const loaded = loadFile(file, maxBytes, options.readTimeLimitMs ?? DEFAULT_READ_TIME_LIMIT_MS);
    if ('problem' in loaded) {
      read.problems.push(loaded.problem);
      read.outcomes.push({ file: file.display, status: 'failed' });
      continue;
    }
    const detection = detectFormat(loaded.bytes, basename(file.path));
    if (detection.kind === 'supported') {
      pending.push({ file, bytes: loaded.bytes, format: detection.format });
      continue;
    }
    const what = detection.kind === 'unsupported' ? detection.what : detection.why;
    const hint = detection.kind === 'unsupported' && detection.hint ? ` (${detection.hint})` : '';
    const knownPart = detection.kind === 'unsupported' && detection.knownPart === true && !file.explicit;
    const preferences = detection.kind === 'unsupported' && detection.preferences ? { root: detection.preferences, ...(file.scope ? { scope: file.scope } : {}) } : undefined;
    read.outcomes.push({ file: file.display, status: detection.kind, what, ...(knownPart ? { knownPart: true as const } : {}), ...(preferences ? { preferences } : {}) });
    if (knownPart) continue;
    read.problems.push({
      file: file.display,
      code: detection.kind === 'unsupported' ? 'unsupported-format' : 'unknown-format',
      // A file the user named explicitly and we cannot read is an error; one found while walking a folder is not.
      severity: file.explicit ? 'error' : 'warning',
      message: detection.kind === 'unsupported' ? `${what}: not audited${hint}` : `not recognised: ${what}`,
    });
  }

  pending.sort((a, b) => rank(a.format) - rank(b.format));
  let gpo: GpoRef | undefined = unit.gpo;
  for (const { file, bytes, format } of pending) {
    const result = PARSERS[format](bytes, {
      file: file.display,
      ...(gpo ? { gpo } : {}),
      ...(file.hive ? { hive: file.hive } : {}),
      ...(file.scope ? { scope: file.scope } : {}),
    });
    if (unit.kind !== 'file' && result.gpos.length > 0) gpo = mergeRef(gpo, result.gpos[0]!.ref);
    read.results.push(result);
    read.problems.push(...result.problems);
    const failed = result.problems.some((p) => p.severity === 'error');
    read.outcomes.push(failed ? { file: file.display, status: 'failed', format } : { file: file.display, status: 'read', format });
  }
  return read;
}

function rank(format: InputFormat): number {
  const i = METADATA_FIRST.indexOf(format);
  return i < 0 ? METADATA_FIRST.length : i;
}

/** What a later metadata file says adds to (and, where it says something, overrides) what is known. */
function mergeRef(known: GpoRef | undefined, found: GpoRef): GpoRef {
  return { ...known, ...found };
}

function loadFile(file: UnitFile, maxBytes: number, timeLimitMs: number): { bytes: Uint8Array } | { problem: Problem } {
  const read = readFileWithin(file.path, maxBytes, { timeLimitMs });
  if ('bytes' in read) return read;
  // A file found in a folder that is gone by now was removed after the listing.
  const message = !file.explicit && read.message === NOT_FOUND ? VANISHED : read.message;
  return { problem: { file: file.display, code: read.code, severity: 'error', message } };
}

export interface ReadFileOptions {
  /** A read that is still going after this long is abandoned (checked before each chunk); default 60 s. */
  timeLimitMs?: number;
  /** Called once the file is open and measured, before its bytes are read: a seam for tests that change the file. */
  afterOpen?: (fd: number) => void;
}

const CHUNK_BYTES = 1024 * 1024;

/**
 * A whole regular file, refused unread above `maxBytes`, so one hostile or mistaken file cannot exhaust memory.
 * Only a regular file is opened: anything else (a FIFO, which would block for ever, a socket, a device) is refused
 * from `stat`, and the open itself is non-blocking and checked again with `fstat`, so a file swapped for a FIFO in
 * between cannot block either. A file that changes size (or is rewritten) while being read is refused, not half read.
 * Time: reads are synchronous, so one stuck system call (a hard-mounted share that stopped answering) cannot be
 * interrupted; what is bounded is the read as a whole, checked before every 1 MB chunk.
 */
export function readFileWithin(path: string, maxBytes: number, options: ReadFileOptions = {}): { bytes: Uint8Array } | { code: 'too-large' | 'io-error'; message: string } {
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_READ_TIME_LIMIT_MS;
  let fd: number | undefined;
  try {
    const before = statSync(path);
    if (!before.isFile()) return { code: 'io-error', message: before.isDirectory() ? 'is a folder, not a file; not read' : notRegularMessage(before) };
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const started = Date.now();
    const opened = fstatSync(fd);
    if (!opened.isFile()) return { code: 'io-error', message: notRegularMessage(opened) };
    const size = opened.size;
    if (size > maxBytes) {
      return { code: 'too-large', message: `${size} bytes is over the per-file limit of ${maxBytes} bytes; not read (raise it with --max-file-size)` };
    }
    options.afterOpen?.(fd);
    const bytes = new Uint8Array(size);
    let off = 0;
    while (off < size) {
      if (Date.now() - started > timeLimitMs) {
        return { code: 'io-error', message: `reading took over ${formatSeconds(timeLimitMs)} (${off} of ${size} bytes read; slow or stuck storage?); not read` };
      }
      const n = readSync(fd, bytes, off, Math.min(CHUNK_BYTES, size - off), off);
      if (n === 0) break;
      off += n;
    }
    const after = fstatSync(fd);
    if (off !== size || after.size !== size) {
      return { code: 'io-error', message: `changed size while being read (${size} bytes when opened, ${off === size ? `${after.size} after` : `ended after ${off}`}); not read, run again when nothing is writing to it` };
    }
    if (after.mtimeMs !== opened.mtimeMs) {
      return { code: 'io-error', message: 'was rewritten while being read; not read, run again when nothing is writing to it' };
    }
    return { bytes };
  } catch (err) {
    return { code: 'io-error', message: ioMessage(err) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
