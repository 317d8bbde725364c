import { InputError } from '../model/problems.js';
import { firstBadByte, type StrictEncoding } from '../model/text.js';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf16le = new TextDecoder('utf-16le', { fatal: true });
const utf16be = new TextDecoder('utf-16be', { fatal: true });
const cp1252 = new TextDecoder('windows-1252');

/**
 * Decode a text export whatever Windows tool wrote it: BOM first, then strict UTF-8, then BOM-less
 * UTF-16LE (recognised by NULs in odd positions), then windows-1252, which secedit writes when the
 * target file already existed. Anything that still holds NULs is binary, not text.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  let decoded: DecodedText;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) decoded = { text: strict(utf16le, bytes.subarray(2), 'UTF-16LE'), encoding: 'utf-16le' };
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) decoded = { text: strict(utf16be, bytes.subarray(2), 'UTF-16BE'), encoding: 'utf-16be' };
  else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) decoded = { text: strict(utf8, bytes.subarray(3), 'UTF-8'), encoding: 'utf-8-bom' };
  else if (looksLikeUtf16le(bytes)) decoded = { text: strict(utf16le, bytes, 'UTF-16LE'), encoding: 'utf-16le' };
  else {
    try {
      decoded = { text: utf8.decode(bytes), encoding: 'utf-8' };
    } catch {
      decoded = { text: cp1252.decode(bytes), encoding: 'windows-1252' };
    }
  }
  const nul = decoded.text.indexOf('\u0000');
  if (nul >= 0) {
    throw new InputError('decode-error', `binary data where text was expected (NUL character at character ${nul})`, {
      line: lineAt(decoded.text, nul),
    });
  }
  return decoded;
}

function strict(decoder: TextDecoder, bytes: Uint8Array, name: string): string {
  if (bytes.length % 2 === 1 && name.startsWith('UTF-16')) {
    throw new InputError('truncated', `${name} text has an odd number of bytes (${bytes.length}); the file is cut short`, {
      byteOffset: bytes.length,
    });
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new InputError('decode-error', `not valid ${name} text (bad byte sequence)`, { byteOffset: firstBadByte(bytes, decoder.encoding as StrictEncoding) });
  }
}

function looksLikeUtf16le(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 4) return false;
  let oddNuls = 0;
  let evenNuls = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNuls++;
    if (bytes[i + 1] === 0) oddNuls++;
  }
  return oddNuls > n / 4 && evenNuls < oddNuls / 4;
}

/** The 1-based line of a character of decoded text: the one line counter of the codecs (XML uses it too). */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
