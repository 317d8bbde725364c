// One formatter of source positions (model/describe.ts): problems, locations and SARIF regions are forms of it.
import { describe, expect, it } from 'vitest';
import { lineAt } from '../../src/codecs/decode.js';
import { parseXml } from '../../src/codecs/xml.js';
import { formatLocation, formatPosition } from '../../src/model/describe.js';
import { formatProblem } from '../../src/model/problems.js';

describe('formatPosition', () => {
  it('says where in words by default', () => {
    expect(formatPosition({ line: 12 })).toBe('line 12');
    expect(formatPosition({ line: 12, column: 3 })).toBe('line 12, column 3');
    expect(formatPosition({ byteOffset: 120 })).toBe('byte 120');
  });

  it('puts a position after a file name in a location, without the column', () => {
    expect(formatLocation({ file: 'gpreport.xml', position: { line: 12, column: 3 } })).toBe('gpreport.xml:12');
    expect(formatLocation({ file: 'Registry.pol', position: { byteOffset: 120 } })).toBe('Registry.pol@byte 120');
  });

  it('takes any other form', () => {
    const form = { line: (line: number, column: number | undefined) => [line, column], byte: (offset: number) => [offset] };
    expect(formatPosition({ line: 4, column: 2 }, form)).toEqual([4, 2]);
    expect(formatPosition({ byteOffset: 9 }, form)).toEqual([9]);
  });

  it('is what a problem line shows', () => {
    expect(formatProblem({ file: 'a.xml', position: { line: 2, column: 5 }, code: 'malformed', message: 'bad', severity: 'error' })).toBe(
      'a.xml (line 2, column 5): error: bad [malformed]',
    );
    expect(formatProblem({ file: 'a.pol', code: 'truncated', message: 'cut', severity: 'error' })).toBe('a.pol: error: cut [truncated]');
  });
});

describe('line counting', () => {
  it('counts 1-based lines of decoded text, and the XML reader uses the same count', () => {
    const text = '<?xml version="1.0"?>\r\n<!-- a -->\n<!DOCTYPE x>\n<x/>';
    expect(lineAt(text, text.indexOf('<!DOCTYPE'))).toBe(3);
    expect(lineAt(text, 0)).toBe(1);
    expect(() => parseXml(text)).toThrow(expect.objectContaining({ code: 'hostile', position: { line: 3 } }));
  });
});
