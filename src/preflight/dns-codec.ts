// A DNS message codec (RFC 1035) for the one query shape preflight sends over TCP: one question, SRV or A.
// Replies are untrusted: names are read with a bound on length and compression pointers may only point backwards,
// so a hostile reply cannot loop or make us read past the end.

import { domainToASCII } from 'node:url';
import { CodecError } from './ber.js';

export const DNS_TYPE = { A: 1, SOA: 6, SRV: 33 } as const;
const CLASS_IN = 1;
const HEADER_LENGTH = 12;
const MAX_NAME_LENGTH = 255;
const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export type DnsRecordData = { type: 'SRV'; srv: SrvData } | { type: 'A'; address: string } | { type: 'other'; code: number };

export interface DnsRecord {
  name: string;
  ttl: number;
  data: DnsRecordData;
}

export interface DnsResponse {
  id: number;
  isResponse: boolean;
  truncated: boolean;
  rcode: number;
  answers: DnsRecord[];
}

export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE ${rcode}`;
}

/** Labels in wire form; throws RangeError for a name DNS cannot carry (the caller validated user input with it). */
export function encodeName(name: string): Buffer {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed === '') return Buffer.from([0]);
  const ascii = /^[\x21-\x7e]+$/.test(trimmed) ? trimmed.toLowerCase() : domainToASCII(trimmed);
  if (ascii === '') throw new RangeError(`not a valid DNS name: ${JSON.stringify(name)}`);
  const parts: Buffer[] = [];
  for (const label of ascii.split('.')) {
    const bytes = Buffer.from(label, 'ascii');
    if (bytes.length === 0 || bytes.length > 63) throw new RangeError(`DNS label must be 1 to 63 bytes: ${JSON.stringify(name)}`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  const wire = Buffer.concat(parts);
  if (wire.length > MAX_NAME_LENGTH) throw new RangeError(`DNS name longer than 255 bytes: ${JSON.stringify(name)}`);
  return wire;
}

export function encodeQuery(id: number, name: string, type: number): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt16BE(id & 0xffff, 0);
  header.writeUInt16BE(0x0100, 2); // RD set, as dig and Windows clients do
  header.writeUInt16BE(1, 4);
  const question = Buffer.alloc(4);
  question.writeUInt16BE(type, 0);
  question.writeUInt16BE(CLASS_IN, 2);
  return Buffer.concat([header, encodeName(name), question]);
}

/** DNS over TCP prefixes each message with its length (RFC 1035 §4.2.2). */
export function frameForTcp(message: Buffer): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(message.length, 0);
  return Buffer.concat([prefix, message]);
}

/** Collects TCP chunks until one length-prefixed message is complete; never holds more than 64 KiB + 2 bytes. */
export class TcpFrameReader {
  private buffered = Buffer.alloc(0);

  push(chunk: Buffer): Buffer | undefined {
    const room = 2 + 0xffff - this.buffered.length;
    this.buffered = Buffer.concat([this.buffered, chunk.subarray(0, room)]);
    if (this.buffered.length < 2) return undefined;
    const total = 2 + this.buffered.readUInt16BE(0);
    return this.buffered.length >= total ? this.buffered.subarray(2, total) : undefined;
  }

  get bytesReceived(): number {
    return this.buffered.length;
  }
}

export function decodeResponse(buf: Buffer): DnsResponse {
  if (buf.length < HEADER_LENGTH) throw new CodecError(`DNS message shorter than its ${HEADER_LENGTH}-byte header`, buf.length);
  const flags = buf.readUInt16BE(2);
  const questionCount = buf.readUInt16BE(4);
  const answerCount = buf.readUInt16BE(6);
  let at = HEADER_LENGTH;
  for (let i = 0; i < questionCount; i++) {
    at = readName(buf, at).next + 4;
    if (at > buf.length) throw new CodecError('question section truncated', buf.length);
  }
  const answers: DnsRecord[] = [];
  for (let i = 0; i < answerCount; i++) {
    const record = readRecord(buf, at);
    answers.push(record.record);
    at = record.next;
  }
  return {
    id: buf.readUInt16BE(0),
    isResponse: (flags & 0x8000) !== 0,
    truncated: (flags & 0x0200) !== 0,
    rcode: flags & 0x000f,
    answers,
  };
}

function readRecord(buf: Buffer, offset: number): { record: DnsRecord; next: number } {
  const name = readName(buf, offset);
  const fixed = name.next;
  if (fixed + 10 > buf.length) throw new CodecError('resource record header truncated', fixed);
  const type = buf.readUInt16BE(fixed);
  const ttl = buf.readUInt32BE(fixed + 4);
  const dataLength = buf.readUInt16BE(fixed + 8);
  const dataStart = fixed + 10;
  const dataEnd = dataStart + dataLength;
  if (dataEnd > buf.length) throw new CodecError(`record data of ${dataLength} bytes runs past the end`, dataStart);
  return { record: { name: name.name, ttl, data: readRecordData(buf, type, dataStart, dataEnd) }, next: dataEnd };
}

function readRecordData(buf: Buffer, type: number, start: number, end: number): DnsRecordData {
  if (type === DNS_TYPE.A) {
    if (end - start !== 4) throw new CodecError(`A record data is ${end - start} bytes, not 4`, start);
    return { type: 'A', address: [...buf.subarray(start, end)].join('.') };
  }
  if (type === DNS_TYPE.SRV) {
    if (end - start < 7) throw new CodecError('SRV record data truncated', start);
    const target = readName(buf, start + 6);
    if (target.next > end) throw new CodecError('SRV target runs past its record', start + 6);
    return {
      type: 'SRV',
      srv: { priority: buf.readUInt16BE(start), weight: buf.readUInt16BE(start + 2), port: buf.readUInt16BE(start + 4), target: target.name },
    };
  }
  return { type: 'other', code: type };
}

/**
 * Reads a possibly compressed name; the result has no trailing dot ('' for the root).
 * `next` is where the data after the name starts in the original (uncompressed) position.
 */
export function readName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let at = offset;
  let next: number | undefined;
  let wireLength = 1;
  for (;;) {
    if (at >= buf.length) throw new CodecError('name runs past the end', at);
    const length = buf[at]!;
    if (length === 0) break;
    if ((length & 0xc0) === 0xc0) {
      if (at + 1 >= buf.length) throw new CodecError('compression pointer truncated', at);
      const target = ((length & 0x3f) << 8) | buf[at + 1]!;
      // Pointing only backwards rules out loops.
      if (target >= at) throw new CodecError(`compression pointer to ${target} does not point backwards`, at);
      next ??= at + 2;
      at = target;
      continue;
    }
    if ((length & 0xc0) !== 0) throw new CodecError(`unknown label type 0x${length.toString(16)}`, at);
    if (at + 1 + length > buf.length) throw new CodecError('label runs past the end', at);
    wireLength += length + 1;
    if (wireLength > MAX_NAME_LENGTH) throw new CodecError('name longer than 255 bytes', at);
    labels.push(buf.toString('latin1', at + 1, at + 1 + length));
    at += 1 + length;
  }
  return { name: labels.join('.'), next: next ?? at + 1 };
}
