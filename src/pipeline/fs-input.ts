// What the file system can hand the walk and the reader that is not a plain file: FIFOs, sockets and devices (never
// opened: a FIFO would block the run for ever), names that are not UTF-8, error codes in words.
import type { Stats } from 'node:fs';

/** `a FIFO`, `a socket`, `a device` for anything that is neither a regular file nor a folder. */
export function notRegularKind(st: Pick<Stats, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'neither a file nor a folder';
}

export function notRegularMessage(st: Pick<Stats, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string {
  return `not a regular file (${notRegularKind(st)}); skipped`;
}

export const NOT_FOUND = 'no such file or folder';

/** An error from the file system in words, with its code. */
export function ioMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return NOT_FOUND;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENAMETOOLONG') return 'the path is longer than the system allows (ENAMETOOLONG); not read';
  if (code === 'ELOOP') return 'too many levels of symbolic links (ELOOP); not read';
  return `could not be read (${code ?? String(err)})`;
}

/** The same for a path found in a folder listing: gone since, so say so. */
export function listedIoMessage(err: unknown): string {
  return (err as NodeJS.ErrnoException).code === 'ENOENT' ? VANISHED : ioMessage(err);
}

export const VANISHED = `${NOT_FOUND}: removed after its folder was listed`;

/** The name as UTF-8 when its bytes are UTF-8, else undefined. */
export function utf8Name(raw: Uint8Array): string | undefined {
  const text = Buffer.from(raw).toString('utf8');
  return Buffer.from(text, 'utf8').equals(raw) ? text : undefined;
}

const STRICT = new TextDecoder('utf-8', { fatal: true });

/** A name for display: UTF-8 sequences as they are, every other byte (and control characters) as `\xHH`. */
export function escapeName(raw: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const b = raw[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len > 0 && i + len <= raw.length && !(len === 1 && (b < 0x20 || b === 0x7f))) {
      try {
        out += STRICT.decode(raw.subarray(i, i + len));
        i += len;
        continue;
      } catch {
        // not a valid sequence: escape the lead byte and go on
      }
    }
    out += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
    i++;
  }
  return out;
}
