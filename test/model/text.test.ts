// The one bad-byte search (model/text.ts), shared by codecs/decode.ts (GPO exports) and rules/yaml-source.ts.
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/codecs/decode.js';
import { InputError } from '../../src/model/problems.js';
import { firstBadByte } from '../../src/model/text.js';

const le = (...units: number[]) => Uint8Array.from(units.flatMap((u) => [u & 0xff, u >> 8]));
const be = (...units: number[]) => Uint8Array.from(units.flatMap((u) => [u >> 8, u & 0xff]));

describe('firstBadByte', () => {
  it.each<[string, number[], number]>([
    ['valid text: its length', [0x61, 0xc3, 0xa9], 3],
    ['a stray continuation byte after a complete character', [0x61, 0xc3, 0xa9, 0xa9, 0x62], 3],
    ['a lone byte that is never valid', [0x61, 0x62, 0xff], 2],
    ['a sequence cut short at the end', [0x61, 0xe2, 0x82], 1],
    ['a sequence broken in the middle', [0x61, 0x62, 0xe2, 0x41, 0x42], 2],
  ])('UTF-8, %s', (_name, bytes, offset) => {
    expect(firstBadByte(Uint8Array.from(bytes), 'utf-8')).toBe(offset);
  });

  it.each<[string, Uint8Array, 'utf-16le' | 'utf-16be', number]>([
    ['valid text: its length', le(0x61, 0xd83d, 0xde00, 0x62), 'utf-16le', 8],
    ['a lone low surrogate', le(0x61, 0x62, 0xdc00, 0x63), 'utf-16le', 4],
    ['a high surrogate not followed by a low one', le(0x61, 0xd800, 0x62, 0x63), 'utf-16le', 2],
    ['a high surrogate at the end', le(0x61, 0x62, 0xd800), 'utf-16le', 4],
    ['big-endian, a high surrogate not followed by a low one', be(0x61, 0x62, 0x63, 0xd800, 0x64), 'utf-16be', 6],
  ])('%s (%s)', (_name, bytes, encoding, offset) => {
    expect(firstBadByte(bytes, encoding)).toBe(offset);
  });

  it('gives decodeText the offset of a bad byte in a UTF-8 file with a BOM (counted after the BOM)', () => {
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from('[Unicode]\n'), 0xc3, 0x28]);
    const err = (() => {
      try {
        decodeText(bytes);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({ code: 'decode-error', position: { byteOffset: 10 } });
  });
});
