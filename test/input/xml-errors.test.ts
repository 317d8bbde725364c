// The XML reader reports the first error, located, and stops there (src/codecs/xml.ts). saxes itself goes on and
// reports every later character as a new error: a damaged attribute followed by 300,000 characters took 1.6 s before
// the reader stopped it (0.7 ms after; found by the fuzzer, docs/testing.md "Fuzzing"). Tests here are not timed: they
// hold the reported error to the first one; the time is the fuzzer's figure to watch.
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/codecs/xml.js';
import { InputError } from '../../src/model/problems.js';

describe('parseXml on damaged input', () => {
  it.each([
    ['a character not allowed in an attribute name, repeated', `<a><b x="1" ${'<'.repeat(300_000)}/></a>`, /disallowed character in attribute name/, 1],
    ['an unquoted attribute value', `<a><b x=${'z'.repeat(300_000)}/></a>`, /unquoted attribute value/, 1],
    ['a < inside an attribute value', `<a x="${'<'.repeat(300_000)}"/>`, /disallowed character/, 1],
  ])('%s: one located error, the first', (_name, text, message, line) => {
    let caught: unknown;
    try {
      parseXml(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).message).toMatch(message);
    expect((caught as InputError).position).toMatchObject({ line });
  });
});
