// Just enough ASN.1 BER to write an LDAP ping and a Kerberos AS-REQ, and to read their replies.
// Replies come from the network, so every read is bounds-checked and throws CodecError instead of reading past the end.

export class CodecError extends Error {
  override name = 'CodecError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  enumerated: 0x0a,
  generalString: 0x1b,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

export function contextTag(n: number): number {
  return 0xa0 | n;
}

export function applicationTag(n: number): number {
  return 0x60 | n;
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

export function berInteger(value: number, tag: number = TAG.integer): Buffer {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`);
  const bytes: number[] = [];
  let rest = value;
  // Two's complement, shortest form: stop once the remaining value is just the sign of the top byte.
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (!(rest === 0 && (bytes[0]! & 0x80) === 0) && !(rest === -1 && (bytes[0]! & 0x80) !== 0));
  return tlv(tag, Buffer.from(bytes));
}

export function berOctetString(value: string | Buffer, tag: number = TAG.octetString): Buffer {
  return tlv(tag, typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
}

export function berBoolean(value: boolean): Buffer {
  return tlv(TAG.boolean, Buffer.from([value ? 0xff : 0x00]));
}

export interface Tlv {
  tag: number;
  /** Offset of the first content byte. */
  start: number;
  /** Offset just past the last content byte. */
  end: number;
}

/** Reads one element at `offset`, which must lie inside [offset, limit). */
export function readTlv(buf: Buffer, offset: number, limit: number = buf.length): Tlv {
  if (offset >= limit) throw new CodecError('expected an element but the data ended', offset);
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new CodecError(`multi-byte tag 0x${tag.toString(16)} is not supported`, offset);
  if (offset + 1 >= limit) throw new CodecError('element length missing', offset + 1);
  const first = buf[offset + 1]!;
  let start = offset + 2;
  let length = first;
  if (first === 0x80) throw new CodecError('indefinite length is not supported', offset + 1);
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4) throw new CodecError(`length of ${count} bytes is too long`, offset + 1);
    if (start + count > limit) throw new CodecError('element length truncated', start);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[start + i]!;
    start += count;
  }
  const end = start + length;
  if (end > limit) throw new CodecError(`element of ${length} bytes runs past the end`, offset);
  return { tag, start, end };
}

export function expectTlv(buf: Buffer, offset: number, limit: number, tag: number, what: string): Tlv {
  // The tag is checked before the length: "not LDAP at all" says more than "length runs past the end".
  if (offset < limit && buf[offset] !== tag) {
    throw new CodecError(`expected ${what} (tag 0x${hex(tag)}), found tag 0x${hex(buf[offset]!)}`, offset);
  }
  return readTlv(buf, offset, limit);
}

/** The elements directly inside a constructed element. */
export function childrenOf(buf: Buffer, parent: Tlv): Tlv[] {
  const result: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const element = readTlv(buf, at, parent.end);
    result.push(element);
    at = element.end;
  }
  return result;
}

export function readInteger(buf: Buffer, element: Tlv): number {
  const length = element.end - element.start;
  if (length < 1 || length > 6) throw new CodecError(`integer of ${length} bytes is out of range`, element.start);
  // Starting from -1 for a negative number makes the running sum come out in two's complement.
  let value = buf[element.start]! & 0x80 ? -1 : 0;
  for (let i = element.start; i < element.end; i++) value = value * 256 + buf[i]!;
  return value;
}

export function readString(buf: Buffer, element: Tlv): string {
  return buf.toString('utf8', element.start, element.end);
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
