import type { UnitRead, InputUnit, UnitFile } from '../model/unit.js';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import type { ParseResult } from '../model/parse-result.js';
import type { Problem } from '../model/problems.js';
import type { GpoRef, InputFormat } from '../model/settings.js';
import { PARSERS } from '../parsers/index.js';
import { detectFormat } from './detect.js';

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface ReadOptions {
  /** Files above this size are refused unread, so one hostile or mistaken file cannot exhaust memory. */
  maxFileBytes?: number;
}



/** Metadata first: the GPO's identity from Backup.xml/bkupInfo.xml/GPT.INI is given to every other file's parse. */
const METADATA_FIRST: ReadonlyArray<InputFormat> = ['backup-metadata', 'gpt-ini', 'gpo-report'];

export function readUnit(unit: InputUnit, options: ReadOptions = {}): UnitRead {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const read: UnitRead = { unit, results: [], problems: [], outcomes: [] };
  const pending: { file: UnitFile; bytes: Uint8Array; format: InputFormat }[] = [];

  for (const file of unit.files) {
    const loaded = loadFile(file, maxBytes);
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

function loadFile(file: UnitFile, maxBytes: number): { bytes: Uint8Array } | { problem: Problem } {
  const read = readFileWithin(file.path, maxBytes);
  return 'bytes' in read ? read : { problem: { file: file.display, code: read.code, severity: 'error', message: read.message } };
}

/** A whole file, refused unread above `maxBytes`, so one hostile or mistaken file cannot exhaust memory. */
export function readFileWithin(path: string, maxBytes: number): { bytes: Uint8Array } | { code: 'too-large' | 'io-error'; message: string } {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size > maxBytes) {
      return { code: 'too-large', message: `${size} bytes is over the per-file limit of ${maxBytes} bytes; not read (raise it with --max-file-size)` };
    }
    const bytes = new Uint8Array(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, bytes, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return { bytes: off === size ? bytes : bytes.subarray(0, off) };
  } catch (err) {
    return { code: 'io-error', message: `could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
