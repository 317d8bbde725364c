// Pure text utilities shared by the rooms that turn bytes into text: codecs/ (GPO exports) and rules/ (YAML rule
// and configuration files). They live on the ground floor because rules/ may import nothing but the model.

/** The Unicode encodings whose decoding can fail on a bad byte (windows-1252 decodes anything). */
export type StrictEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * Offset of the first byte of `bytes` that is not valid text in `encoding`: where the damage starts, so a byte
 * that breaks a sequence (a UTF-8 multi-byte character, a UTF-16 surrogate pair) begun just before it is reported
 * at the sequence's first byte. `bytes.length` when the whole input decodes.
 */
export function firstBadByte(bytes: Uint8Array, encoding: StrictEncoding): number {
  // Streaming decodes leave an unfinished sequence pending instead of failing, so "decodes" is monotonic in the
  // prefix length and a binary search finds the first byte that cannot continue.
  const decodes = (n: number): boolean => {
    try {
      new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (decodes(mid + 1)) lo = mid + 1;
    else hi = mid;
  }
  return encoding === 'utf-8' ? utf8SequenceStart(bytes, lo) : utf16SequenceStart(bytes, lo, encoding);
}

/** If the byte at `at` breaks a UTF-8 sequence begun just before it, the sequence's lead byte; else `at`. */
function utf8SequenceStart(bytes: Uint8Array, at: number): number {
  for (let k = at - 1; k >= Math.max(0, at - 3); k--) {
    const b = bytes[k]!;
    if ((b & 0xc0) === 0x80) continue;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return k + length > at ? k : at;
  }
  return at;
}

/** The code unit holding byte `at`, or the high surrogate just before it that the unit fails to complete. */
function utf16SequenceStart(bytes: Uint8Array, at: number, encoding: 'utf-16le' | 'utf-16be'): number {
  const unit = at - (at % 2);
  if (unit < 2) return unit;
  const before = encoding === 'utf-16le' ? bytes[unit - 2]! | (bytes[unit - 1]! << 8) : (bytes[unit - 2]! << 8) | bytes[unit - 1]!;
  return before >= 0xd800 && before <= 0xdbff ? unit - 2 : unit;
}
