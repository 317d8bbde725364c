import { InputError, type ProblemCode } from '../model/problems.js';
import type { ParseContext, ParseResult } from '../model/parse-result.js';
import type { Hive, RegistryData, RegistryOperation, RegistrySetting } from '../model/settings.js';
import { guardParser, provenance, type Parser } from './common.js';

// Registry.pol (PReg v1), [MS-GPREG] 2.2.1; layout in formats.md §1:
//   "PReg" u32le(1) { '[' key NUL ';' valueName NUL ';' u32le(type) ';' u32le(size) ';' data[size] ']' }*
// with every delimiter and string in UTF-16LE.

const FORMAT = 'registry-pol';
const HEADER_BYTES = 8;
const MAGIC = [0x50, 0x52, 0x65, 0x67]; // "PReg"

const OPEN = 0x5b; // [
const SEMI = 0x3b; // ;
const CLOSE = 0x5d; // ]

// Windows caps value names at 16,383 characters and key paths well below this; anything longer is not a
// registry name but a file built to make us scan and decode megabytes.
const MAX_NAME_UNITS = 64 * 1024;

// Not fatal: names with lone surrogates are reported from real files; replace them rather than reject the file.
const utf16 = new TextDecoder('utf-16le');

// No ProblemCode says "guessed"; this warning drops nothing, but it is the closest existing code.
const HIVE_ASSUMED_CODE: ProblemCode = 'skipped-entry';

export const parseRegistryPol: Parser = guardParser(FORMAT, (bytes, ctx, out) => {
  checkHeader(bytes);
  const reader = new RecordReader(bytes);
  const hive = ctx.hive ?? 'HKLM';
  let hiveAnnounced = ctx.hive !== undefined;
  while (!reader.atEnd()) {
    const record = reader.next();
    const setting = toSetting(record, hive, ctx, out);
    if (!setting) continue;
    if (!hiveAnnounced) {
      out.problems.push({
        file: ctx.file,
        code: HIVE_ASSUMED_CODE,
        severity: 'warning',
        message: 'hive assumed to be HKLM: the file is not under a Machine or User folder; use --hive HKLM|HKCU to set it',
      });
      hiveAnnounced = true;
    }
    out.settings.push(setting);
  }
});

function checkHeader(bytes: Uint8Array): void {
  const at0 = { byteOffset: 0 };
  if (bytes.length === 0) throw new InputError('malformed', 'empty file: a Registry.pol starts with the header "PReg" and version 1', at0);
  const magicMatches = MAGIC.every((b, i) => i >= bytes.length || bytes[i] === b);
  if (!magicMatches) {
    throw new InputError('malformed', `not a Registry.pol file: expected the signature "PReg" (50 52 65 67), found ${hexBytes(bytes, 0, 4)}`, at0);
  }
  if (bytes.length < HEADER_BYTES) {
    throw new InputError('truncated', `file is ${bytes.length} bytes, shorter than the 8-byte Registry.pol header`, at0);
  }
  const version = readU32(bytes, 4);
  if (version !== 1) throw new InputError('malformed', `unsupported Registry.pol version ${version} (only version 1 exists)`, at0);
}

interface RawRecord {
  offset: number;
  key: string;
  valueName: string;
  type: number;
  data: Uint8Array;
}

/** Walks the records one at a time; every structural fault is an InputError at the offset where it was found. */
class RecordReader {
  private pos = HEADER_BYTES;

  constructor(private readonly bytes: Uint8Array) {}

  atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  next(): RawRecord {
    const offset = this.pos;
    this.expectChar(OPEN, '[', offset, 'the start of a record');
    const key = this.readName('key', offset);
    this.expectChar(SEMI, ';', offset, 'after the key');
    const valueName = this.readName('value name', offset);
    this.skipPolicyPlusExtraNul();
    this.expectChar(SEMI, ';', offset, 'after the value name');
    const type = this.readU32('type', offset);
    this.expectChar(SEMI, ';', offset, 'after the type');
    const size = this.readU32('data size', offset);
    this.expectChar(SEMI, ';', offset, 'after the data size');
    const data = this.readData(size, offset);
    this.expectChar(CLOSE, ']', offset, 'the end of the record');
    return { offset, key, valueName, type, data };
  }

  private expectChar(code: number, char: string, record: number, where: string): void {
    const { bytes, pos } = this;
    if (pos + 2 > bytes.length) {
      throw new InputError('truncated', `record at byte ${record}: file ends at byte ${bytes.length} where '${char}' (${where}) was expected`, {
        byteOffset: pos,
      });
    }
    if (bytes[pos] !== code || bytes[pos + 1] !== 0) {
      throw new InputError('malformed', `record at byte ${record}: expected '${char}' (${where}) at byte ${pos}, found ${describeUnit(bytes, pos)}`, {
        byteOffset: pos,
      });
    }
    this.pos = pos + 2;
  }

  /** A NUL-terminated UTF-16LE string; the scan is bounded so a hostile file cannot make it run away. */
  private readName(what: string, record: number): string {
    const { bytes } = this;
    const start = this.pos;
    // One unit past the longest name we accept, so that a name of exactly MAX_NAME_UNITS still finds its NUL.
    const limit = Math.min(bytes.length - 1, start + MAX_NAME_UNITS * 2 + 1);
    let end = start;
    while (end < limit && (bytes[end] !== 0 || bytes[end + 1] !== 0)) end += 2;
    if (end >= limit) {
      if (limit === bytes.length - 1) {
        throw new InputError('truncated', `record at byte ${record}: the ${what} starting at byte ${start} has no NUL terminator before the end of the file`, {
          byteOffset: start,
        });
      }
      throw new InputError('malformed', `record at byte ${record}: the ${what} starting at byte ${start} is longer than ${MAX_NAME_UNITS} UTF-16 characters (refused)`, {
        byteOffset: start,
      });
    }
    this.pos = end + 2;
    return utf16.decode(bytes.subarray(start, end));
  }

  // PolicyPlus accepts `name NUL NUL ;` because Microsoft's description can be read that way.
  private skipPolicyPlusExtraNul(): void {
    const { bytes, pos } = this;
    if (bytes[pos] === 0 && bytes[pos + 1] === 0 && bytes[pos + 2] === SEMI && bytes[pos + 3] === 0) this.pos = pos + 2;
  }

  private readU32(what: string, record: number): number {
    if (this.pos + 4 > this.bytes.length) {
      throw new InputError('truncated', `record at byte ${record}: file ends inside the ${what} field at byte ${this.pos}`, { byteOffset: this.pos });
    }
    const value = readU32(this.bytes, this.pos);
    this.pos += 4;
    return value;
  }

  // The size is untrusted: check it against what is left before touching the data.
  private readData(size: number, record: number): Uint8Array {
    const { bytes, pos } = this;
    if (size > bytes.length - pos) {
      throw new InputError('truncated', `record at byte ${record}: data size ${size} runs past the end of the file (${bytes.length} bytes)`, {
        byteOffset: record,
      });
    }
    this.pos = pos + size;
    return bytes.subarray(pos, pos + size);
  }
}

// ---------------------------------------------------------------------------------------------
// Records → settings

function toSetting(record: RawRecord, hive: Hive, ctx: ParseContext, out: ParseResult): RegistrySetting | undefined {
  const decoded = decodeOperation(record);
  if ('skip' in decoded) {
    out.problems.push({
      file: ctx.file,
      position: { byteOffset: record.offset },
      code: 'skipped-entry',
      severity: 'warning',
      message: `record at byte ${record.offset} (${record.key}\\${record.valueName}): ${decoded.skip}; record skipped`,
    });
    return undefined;
  }
  return {
    kind: 'registry',
    hive,
    key: record.key,
    valueName: decoded.valueName,
    operation: decoded.operation,
    provenance: provenance(ctx, FORMAT, { byteOffset: record.offset }),
  };
}

type Decoded = { valueName: string; operation: RegistryOperation } | { skip: string };

/** Special value names (formats.md §1) are instructions to the client, not values; they become operations. */
function decodeOperation(record: RawRecord): Decoded {
  const name = record.valueName;
  if (name.startsWith('**')) {
    const special = decodeSpecialName(record, name.toLowerCase());
    if (special) return special;
  }
  if (name === '' && record.data.length === 0) return { valueName: '', operation: { op: 'create-key' } };
  return withData(record, name, (data) => ({ op: 'set', data }));
}

function decodeSpecialName(record: RawRecord, lower: string): Decoded | undefined {
  const name = record.valueName;
  if (lower.startsWith('**del.')) return { valueName: name.slice(6), operation: { op: 'delete' } };
  if (lower === '**delvals.' || lower === '**delvals') return { valueName: '', operation: { op: 'delete-all-values' } };
  if (lower === '**deletevalues') return { valueName: '', operation: { op: 'delete-values', names: nameList(record.data) } };
  if (lower === '**deletekeys') return { valueName: '', operation: { op: 'delete-keys', keys: nameList(record.data) } };
  if (lower === '**securekey') return decodeSecureKey(record);
  if (lower.startsWith('**soft.')) return withData(record, name.slice(7), (data) => ({ op: 'set-if-absent', data }));
  // Any other `**` name is not an instruction we know: keep it as an ordinary value, name and all.
  return undefined;
}

function withData(record: RawRecord, valueName: string, op: (data: RegistryData) => RegistryOperation): Decoded {
  const data = decodeData(record.type, record.data);
  return typeof data === 'string' ? { skip: data } : { valueName, operation: op(data) };
}

function decodeSecureKey(record: RawRecord): Decoded {
  if (record.type !== 4 || record.data.length !== 4) {
    return { skip: `**SecureKey needs a 4-byte REG_DWORD, found type ${record.type} with ${record.data.length} bytes` };
  }
  return { valueName: '', operation: { op: 'secure-key', secure: readU32(record.data, 0) === 1 } };
}

/** `**DeleteValues` / `**DeleteKeys` data: a `;`-separated list in a REG_SZ. */
function nameList(data: Uint8Array): string[] {
  return decodeString(data)
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The decoded value, or a string saying why the data cannot be that type. */
function decodeData(type: number, data: Uint8Array): RegistryData | string {
  switch (type) {
    case 0:
      return { type: 'REG_NONE', value: toHex(data) };
    case 1:
      return { type: 'REG_SZ', value: decodeString(data) };
    case 2:
      return { type: 'REG_EXPAND_SZ', value: decodeString(data) };
    case 3:
      return { type: 'REG_BINARY', value: toHex(data) };
    case 4:
      return data.length === 4 ? { type: 'REG_DWORD', value: readU32(data, 0) } : wrongSize('REG_DWORD', 4, data);
    case 5:
      return data.length === 4 ? { type: 'REG_DWORD_BIG_ENDIAN', value: readU32BigEndian(data, 0) } : wrongSize('REG_DWORD_BIG_ENDIAN', 4, data);
    case 6:
      return { type: 'REG_LINK', value: decodeString(data) };
    case 7:
      return { type: 'REG_MULTI_SZ', value: decodeMultiString(data) };
    case 8:
      return { type: 'REG_RESOURCE_LIST', value: toHex(data) };
    case 11:
      return data.length === 8 ? { type: 'REG_QWORD', value: readU64(data, 0).toString() } : wrongSize('REG_QWORD', 8, data);
    default:
      return { type: 'REG_UNKNOWN', value: toHex(data), rawType: type };
  }
}

function wrongSize(type: string, expected: number, data: Uint8Array): string {
  return `${type} data is ${data.length} bytes, expected ${expected}`;
}

// ---------------------------------------------------------------------------------------------
// Byte helpers

function decodeString(data: Uint8Array): string {
  return stripTrailingNuls(utf16.decode(data));
}

function decodeMultiString(data: Uint8Array): string[] {
  const text = stripTrailingNuls(utf16.decode(data));
  return text === '' ? [] : text.split('\u0000');
}

function stripTrailingNuls(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  return end === text.length ? text : text.slice(0, end);
}

function readU32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function readU32BigEndian(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function readU64(bytes: Uint8Array, at: number): bigint {
  return (BigInt(readU32(bytes, at + 4)) << 32n) | BigInt(readU32(bytes, at));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function toHex(data: Uint8Array): string {
  const parts = new Array<string>(data.length);
  for (let i = 0; i < data.length; i++) parts[i] = HEX[data[i]!]!;
  return parts.join('');
}

function hexBytes(bytes: Uint8Array, from: number, count: number): string {
  return Array.from(bytes.subarray(from, from + count), (b) => HEX[b]!).join(' ');
}

/** What sits at `pos`, for error messages: the character if printable, else its code unit in hex. */
function describeUnit(bytes: Uint8Array, pos: number): string {
  const unit = bytes[pos]! | (bytes[pos + 1]! << 8);
  const hex = `0x${unit.toString(16).padStart(4, '0')}`;
  return unit >= 0x20 && unit < 0x7f ? `'${String.fromCharCode(unit)}' (${hex})` : hex;
}
