// A correct Registry.pol (PReg v1) encoder for tests, samples and the benchmark generator.
// Self-contained on purpose (no imports): bench/generate-estate.mjs transpiles and loads this file as it is
// (scripts/lib/import-ts.mjs). The samples use it through gpo-fixtures.ts (scripts/samples/samples.ts).

export type PolData = Uint8Array | string | number | string[] | bigint;

export interface PolEntry {
  key: string;
  valueName: string;
  type: number;
  data: PolData;
}

export interface PolWriterOptions {
  /** Write `name NUL NUL ;` after each value name, as files that PolicyPlus accepts sometimes have. */
  extraNulAfterValueName?: boolean;
}

const REG_DWORD = 4;
const REG_DWORD_BIG_ENDIAN = 5;
const REG_QWORD = 11;

export function writeRegistryPol(entries: PolEntry[], options: PolWriterOptions = {}): Uint8Array {
  const parts: Uint8Array[] = [new Uint8Array([0x50, 0x52, 0x65, 0x67, 1, 0, 0, 0])];
  for (const entry of entries) parts.push(encodeRecord(entry, options));
  return concat(parts);
}

export function encodeRecord(entry: PolEntry, options: PolWriterOptions = {}): Uint8Array {
  const data = encodeData(entry.type, entry.data);
  return concat([
    utf16('['),
    utf16z(entry.key),
    utf16(';'),
    utf16z(entry.valueName),
    options.extraNulAfterValueName ? new Uint8Array(2) : new Uint8Array(0),
    utf16(';'),
    u32le(entry.type),
    utf16(';'),
    u32le(data.length),
    utf16(';'),
    data,
    utf16(']'),
  ]);
}

/** The bytes Windows stores for a value: strings NUL-terminated, lists double-NUL-terminated, numbers little-endian. */
export function encodeData(type: number, data: PolData): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (Array.isArray(data)) return utf16(data.map((s) => `${s}\u0000`).join('') + '\u0000');
  if (typeof data === 'string') return utf16z(data);
  if (typeof data === 'bigint') return u64le(data);
  if (type === REG_QWORD) return u64le(BigInt(data));
  if (type === REG_DWORD_BIG_ENDIAN) return u32be(data);
  if (type === REG_DWORD || Number.isInteger(data)) return u32le(data);
  throw new TypeError(`cannot encode ${String(data)} as registry type ${type}`);
}

export function utf16(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[i * 2] = unit & 0xff;
    out[i * 2 + 1] = unit >> 8;
  }
  return out;
}

export function utf16z(text: string): Uint8Array {
  return utf16(`${text}\u0000`);
}

export function u32le(value: number): Uint8Array {
  checkU32(value);
  return new Uint8Array([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff]);
}

function u32be(value: number): Uint8Array {
  return u32le(value).reverse();
}

function u64le(value: bigint): Uint8Array {
  if (value < 0n || value > 0xffffffffffffffffn) throw new RangeError(`${value} does not fit in a QWORD`);
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return out;
}

function checkU32(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`${value} does not fit in a DWORD`);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
