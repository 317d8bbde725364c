// Mutations: byte-level ones for every format, and structure-aware ones that work on the decoded text (re-encoded in
// the file's own encoding) for text formats and on the PReg records for Registry.pol.
import type { Rng } from './rng.js';
import type { ByteEncoding, FuzzFormat } from './seeds.js';

export interface Mutated {
  bytes: Uint8Array;
  /** What was done, for the replay file and the report. */
  steps: string[];
}

/** Values that break assumptions: sizes, signs, emptiness, other scripts, control characters, length. */
export const EXTREMES: readonly string[] = [
  '',
  ' ',
  '0',
  '-1',
  '-0',
  '-2147483649',
  '2147483648',
  '4294967295',
  '4294967296',
  '18446744073709551616',
  '99999999999999999999999999999999999999',
  '1e308',
  '-1e309',
  'NaN',
  'Infinity',
  '0x7FFFFFFF',
  '1.5',
  'true',
  'Ä€ß中文𝄞',
  'Ω̈\u200B\u202E',
  '\u0000',
  '\u0001\u0008\u000B\u001F\u007F',
  '\t\r\n',
  '\uFFFE\uFFFF',
  '%SystemRoot%\\..\\..',
  '*S-1-5-32-544',
  '{00000000-0000-0000-0000-000000000000}',
  '&amp;&lt;&#0;&#xD800;',
  '<',
  '"\'',
  ']]>',
  '=;,[]',
];

function extreme(rng: Rng): string {
  const r = rng.int(0, 9);
  if (r === 0) return 'A'.repeat(rng.pick([1_000, 70_000, 300_000]));
  if (r === 1) return '9'.repeat(rng.pick([20, 400, 5_000]));
  if (r === 2) return 'Ä€中'.repeat(rng.pick([100, 20_000]));
  return rng.pick(EXTREMES);
}

// ---- bytes --------------------------------------------------------------------------------------------------------

export function byteMutation(b: Uint8Array, rng: Rng): { bytes: Uint8Array; step: string } {
  const buf = Buffer.from(b);
  const at = buf.length === 0 ? 0 : rng.int(0, buf.length - 1);
  switch (rng.int(0, 5)) {
    case 0: {
      const v = rng.int(0, 255);
      if (buf.length) buf[at] = v;
      return { bytes: buf, step: `flip @${at}=${v}` };
    }
    case 1: {
      const bit = 1 << rng.int(0, 7);
      if (buf.length) buf[at] = buf[at]! ^ bit;
      return { bytes: buf, step: `bit @${at}^${bit}` };
    }
    case 2:
      return { bytes: buf.subarray(0, at), step: `truncate @${at}` };
    case 3: {
      const ins = Buffer.from(Array.from({ length: rng.int(1, 16) }, () => rng.int(0, 255)));
      return { bytes: Buffer.concat([buf.subarray(0, at), ins, buf.subarray(at)]), step: `insert @${at} ${ins.toString('hex')}` };
    }
    case 4: {
      const n = rng.int(1, 64);
      return { bytes: Buffer.concat([buf.subarray(0, at), buf.subarray(at + n)]), step: `delete @${at}+${n}` };
    }
    default: {
      const n = rng.int(1, 256);
      const times = rng.pick([1, 1, 2, 50]);
      const piece = buf.subarray(at, at + n);
      return { bytes: Buffer.concat([buf.subarray(0, at + n), ...Array.from({ length: times }, () => piece), buf.subarray(at + n)]), step: `duplicate @${at}+${n}x${times}` };
    }
  }
}

// ---- text ---------------------------------------------------------------------------------------------------------

export function decodeAs(bytes: Uint8Array, enc: ByteEncoding): string | undefined {
  try {
    switch (enc) {
      case 'utf-8':
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      case 'utf-8-bom':
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(3));
      case 'utf-16le-bom':
        return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes.subarray(2));
      case 'utf-16le':
        return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes);
      case 'utf-16be-bom':
        return new TextDecoder('utf-16be', { ignoreBOM: true }).decode(bytes.subarray(2));
      case 'windows-1252':
        return new TextDecoder('windows-1252').decode(bytes);
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** The text in the file's own encoding (windows-1252: characters outside it become '?', as a Windows tool would). */
export function encodeAs(text: string, enc: ByteEncoding): Uint8Array {
  switch (enc) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf-16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf-16le':
      return Buffer.from(text, 'utf16le');
    case 'utf-16be-bom':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    default: {
      const out = Buffer.alloc(text.length);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        out[i] = c < 0x80 || (c >= 0xa0 && c <= 0xff) ? c : 0x3f;
      }
      return out;
    }
  }
}

interface Span {
  start: number;
  end: number;
  what: string;
}

/** Every match's capture group 1 as a span. */
function spans(text: string, re: RegExp, what: string, limit = 20_000): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(new RegExp(re.source, re.flags.includes('d') ? re.flags : re.flags + 'd'))) {
    const [start, end] = m.indices![1]!;
    out.push({ start, end, what: `${what}@${start}` });
    if (out.length >= limit) break;
  }
  return out;
}

function replaceSpan(text: string, s: Span, value: string): string {
  return text.slice(0, s.start) + value + text.slice(s.end);
}

function xmlMutation(text: string, rng: Rng): { text: string; step: string } | undefined {
  const attrs = spans(text, /\s[\w:.-]+="([^"<]*)"/g, 'attr', 50_000);
  const texts = spans(text, />([^<>]+)</g, 'text', 50_000).filter((s) => text.slice(s.start, s.end).trim() !== '');
  const r = rng.int(0, 9);
  if (r <= 5 && attrs.length) {
    const s = rng.pick(attrs);
    const v = extreme(rng);
    return { text: replaceSpan(text, s, v), step: `${s.what}=${JSON.stringify(v.slice(0, 40))}(${v.length})` };
  }
  if (r <= 8 && texts.length) {
    const s = rng.pick(texts);
    const v = extreme(rng);
    return { text: replaceSpan(text, s, v), step: `${s.what}=${JSON.stringify(v.slice(0, 40))}(${v.length})` };
  }
  // Structure: drop or repeat one element's start tag, or nest deeply.
  const tags = spans(text, /(<[\w:.-]+[^<>]*>)/g, 'tag', 50_000);
  if (!tags.length) return undefined;
  const s = rng.pick(tags);
  const tag = text.slice(s.start, s.end);
  const how = rng.int(0, 2);
  if (how === 0) return { text: replaceSpan(text, s, ''), step: `drop ${s.what}` };
  if (how === 1) return { text: replaceSpan(text, s, tag.repeat(rng.pick([2, 300]))), step: `repeat ${s.what}` };
  const name = /<([\w:.-]+)/.exec(tag)![1];
  const depth = rng.pick([100, 300, 5_000]);
  return { text: replaceSpan(text, s, `${tag}${`<${name}>`.repeat(depth)}${`</${name}>`.repeat(depth)}`), step: `nest ${s.what}x${depth}` };
}

function iniMutation(text: string, rng: Rng, format: FuzzFormat): { text: string; step: string } | undefined {
  const values = spans(text, /^[^\r\n=[;]+=[ \t]*([^\r\n]*)/gm, 'value');
  const r = rng.int(0, 9);
  // INF registry values: MACHINE\...=<type>,<data>; the type code swapped.
  const typed = spans(text, /^[^\r\n=]+\\[^\r\n=]*=[ \t]*(-?\d+),/gm, 'type');
  if (format === 'security-template' && r <= 2 && typed.length) {
    const s = rng.pick(typed);
    const v = rng.pick(['0', '5', '8', '11', '12', '99', '-1', '4294967300', '', 'x', '7']);
    return { text: replaceSpan(text, s, v), step: `${s.what}=${v}` };
  }
  // Numbers anywhere in a value swapped for extremes.
  const numbers = spans(text, /(?<![\w.])(-?\d+)(?![\w.])/g, 'number', 50_000);
  if (r <= 5 && numbers.length) {
    const s = rng.pick(numbers);
    const v = rng.pick(['-1', '0', '4294967296', '99999999999999999999999', '-2147483649', '1e308', '00000000000000000007', '']);
    return { text: replaceSpan(text, s, v), step: `${s.what}=${v}` };
  }
  if (r <= 7 && values.length) {
    const s = rng.pick(values);
    const v = extreme(rng);
    return { text: replaceSpan(text, s, v), step: `${s.what}=${JSON.stringify(v.slice(0, 40))}(${v.length})` };
  }
  const sections = spans(text, /^\[([^\]\r\n]*)\]/gm, 'section');
  if (r === 8 && sections.length) {
    const s = rng.pick(sections);
    const v = rng.pick(['', 'Unicode', 'Version', 'Registry Values', 'Privilege Rights', 'General', 'x'.repeat(10_000), ']']);
    return { text: replaceSpan(text, s, v), step: `${s.what}=${v.slice(0, 20)}` };
  }
  // Repeat one line many times (duplicate keys), or join two lines.
  const lines = spans(text, /^([^\r\n]+)/gm, 'line');
  if (!lines.length) return undefined;
  const s = rng.pick(lines);
  const line = text.slice(s.start, s.end);
  return rng.chance(0.5)
    ? { text: replaceSpan(text, s, `${line}\r\n`.repeat(rng.pick([2, 1000]))), step: `repeat ${s.what}` }
    : { text: replaceSpan(text, s, line + '\u0000' + line), step: `nul ${s.what}` };
}

function ldifMutation(text: string, rng: Rng): { text: string; step: string } | undefined {
  const values = spans(text, /^[\w;-]+:[ \t]*([^\r\n]*)/gm, 'value');
  const r = rng.int(0, 9);
  if (r <= 4 && values.length) {
    const s = rng.pick(values);
    const v = extreme(rng).replace(/[\r\n]/g, '');
    return { text: replaceSpan(text, s, v), step: `${s.what}=${JSON.stringify(v.slice(0, 40))}(${v.length})` };
  }
  if (r === 5 && values.length) {
    // A value as base64 (`attr:: ...`), valid or not.
    const s = rng.pick(values);
    const v = rng.pick([Buffer.from(extreme(rng)).toString('base64'), '!!!notbase64', '=', '']);
    return { text: text.slice(0, s.start - 1) + ': ' + v + text.slice(s.end), step: `base64 ${s.what}` };
  }
  if (r <= 7) {
    // Fold a line at a random point (valid folding), or break folding (continuation without its space).
    const at = rng.int(0, Math.max(0, text.length - 1));
    return rng.chance(0.6)
      ? { text: text.slice(0, at) + '\n ' + text.slice(at), step: `fold @${at}` }
      : { text: text.slice(0, at) + '\n' + text.slice(at), step: `break @${at}` };
  }
  if (r === 8) {
    const at = rng.int(0, text.length);
    const v = rng.pick(['\n\n', '\n-\n', '\nversion: 2\n', '\ndn:\n', '\nchangetype: delete\n', '\n#' + 'x'.repeat(5000) + '\n', '\n ' + 'y'.repeat(100_000) + '\n']);
    return { text: text.slice(0, at) + v + text.slice(at), step: `insert @${at}` };
  }
  const lines = spans(text, /^([^\r\n]+)/gm, 'line');
  if (!lines.length) return undefined;
  const s = rng.pick(lines);
  return { text: replaceSpan(text, s, `${text.slice(s.start, s.end)}\n`.repeat(rng.pick([2, 1000]))), step: `repeat ${s.what}` };
}

// ---- Registry.pol -------------------------------------------------------------------------------------------------

interface PregRecord {
  start: number;
  typeAt: number;
  sizeAt: number;
  dataAt: number;
  end: number;
}

/** The records of a PReg file: `[key;value;type;size;data]`, UTF-16LE delimiters, type and size u32 LE. Stops at the first one that does not fit. */
export function pregRecords(b: Uint8Array): PregRecord[] {
  const out: PregRecord[] = [];
  const u16 = (i: number) => b[i]! | (b[i + 1]! << 8);
  let i = 8;
  while (i + 2 <= b.length && u16(i) === 0x5b) {
    const start = i;
    i += 2;
    let semis = 0;
    while (i + 2 <= b.length && semis < 2) {
      if (u16(i) === 0x3b) semis++;
      i += 2;
    }
    if (semis < 2 || i + 10 > b.length) break;
    const typeAt = i;
    const sizeAt = i + 6;
    const size = (b[sizeAt]! | (b[sizeAt + 1]! << 8) | (b[sizeAt + 2]! << 16) | (b[sizeAt + 3]! << 24)) >>> 0;
    const dataAt = sizeAt + 6;
    if (dataAt + size + 2 > b.length) break;
    out.push({ start, typeAt, sizeAt, dataAt, end: dataAt + size + 2 });
    i = dataAt + size + 2;
  }
  return out;
}

function polMutation(b: Uint8Array, rng: Rng): { bytes: Uint8Array; step: string } | undefined {
  const records = pregRecords(b);
  const buf = Buffer.from(b);
  const r = rng.int(0, 9);
  if (r === 0 || !records.length) {
    // Header: signature or version.
    const at = rng.pick([0, 1, 2, 3, 4, 5, 6, 7]);
    buf[at] = rng.pick([0, 0xff, 0x50, 0x02, buf[at]! ^ 1]);
    return { bytes: buf, step: `header @${at}` };
  }
  const rec = rng.pick(records);
  const u32 = [0, 1, 2, 3, 4, 5, 7, 8, 11, 12, 0xff, 0x7fffffff, 0x80000000, 0xffffffff];
  if (r <= 3) {
    const v = rng.pick(u32);
    buf.writeUInt32LE(v, rec.typeAt);
    return { bytes: buf, step: `type rec@${rec.start}=${v}` };
  }
  if (r <= 6) {
    const size = buf.readUInt32LE(rec.sizeAt);
    const v = rng.pick([0, 1, 2, 3, size - 1, size + 1, size + 2, buf.length - rec.dataAt, buf.length - rec.dataAt + 2, 0x7fffffff, 0xffffffff, 0x10000000]) >>> 0;
    buf.writeUInt32LE(v, rec.sizeAt);
    return { bytes: buf, step: `size rec@${rec.start}=${v}` };
  }
  if (r === 7) {
    // The data replaced by odd-length, unterminated or huge data, with the size field kept consistent.
    const data = rng.pick([Buffer.alloc(0), Buffer.from([0x41]), Buffer.from('A'.repeat(70_000), 'utf16le'), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), Buffer.from('\uD800x', 'utf16le')]);
    const head = Buffer.from(buf.subarray(rec.start, rec.dataAt));
    head.writeUInt32LE(data.length, rec.sizeAt - rec.start);
    return { bytes: Buffer.concat([buf.subarray(0, rec.start), head, data, Buffer.from([0x5d, 0]), buf.subarray(rec.end)]), step: `data rec@${rec.start} len=${data.length}` };
  }
  if (r === 8) {
    const times = rng.pick([2, 500]);
    const one = buf.subarray(rec.start, rec.end);
    return { bytes: Buffer.concat([buf.subarray(0, rec.end), ...Array.from({ length: times }, () => one), buf.subarray(rec.end)]), step: `repeat rec@${rec.start}x${times}` };
  }
  // Key or value name replaced (empty, very long, non-ASCII, a `;` or `]` inside).
  const name = rng.pick(['', ';', ']', '[', '**del.', '**DeleteValues', 'Ä€中𝄞', 'K\\'.repeat(20_000), '\u0000x']);
  const key = Buffer.from(name, 'utf16le');
  return { bytes: Buffer.concat([buf.subarray(0, rec.start + 2), key, buf.subarray(rec.start + 2)]), step: `name rec@${rec.start}=${JSON.stringify(name.slice(0, 20))}` };
}

// ---- entry point --------------------------------------------------------------------------------------------------

/** 1–3 mutations of one seed: about half structure-aware, the rest byte-level. */
export function mutate(seed: Uint8Array, format: FuzzFormat, encoding: ByteEncoding, rng: Rng): Mutated {
  let bytes: Uint8Array = seed;
  const steps: string[] = [];
  const n = rng.pick([1, 1, 1, 2, 3]);
  for (let k = 0; k < n; k++) {
    let done = false;
    if (rng.chance(0.55)) {
      if (format === 'registry-pol') {
        const m = polMutation(bytes, rng);
        if (m) [bytes, done] = [m.bytes, !!steps.push(m.step)];
      } else {
        const text = decodeAs(bytes, encoding);
        if (text !== undefined) {
          const m = format === 'ldif' ? ldifMutation(text, rng) : format === 'security-template' || format === 'gpt-ini' ? iniMutation(text, rng, format) : xmlMutation(text, rng);
          if (m) [bytes, done] = [encodeAs(m.text, encoding), !!steps.push(m.step)];
        }
      }
    }
    if (!done) {
      const m = byteMutation(bytes, rng);
      bytes = m.bytes;
      steps.push(m.step);
    }
  }
  return { bytes, steps };
}
