import { describe, expect, it } from 'vitest';
import { principal, describePrincipal } from '../src/model/principals.js';
import { decodeText } from '../src/codecs/decode.js';
import { parseXml } from '../src/codecs/xml.js';
import { InputError } from '../src/model/problems.js';

describe('principal()', () => {
  it('keeps a SID the input gives and learns its RID', () => {
    expect(principal({ sid: '*S-1-5-21-1-2-3-515', name: 'CONTOSO\\Domain Computers' })).toEqual({
      sid: 'S-1-5-21-1-2-3-515', rid: 515, name: 'CONTOSO\\Domain Computers', resolution: 'input-sid',
    });
  });
  it('resolves well-known names in several languages', () => {
    expect(principal({ name: 'VORDEFINIERT\\Benutzer' }).sid).toBe('S-1-5-32-545');
    expect(principal({ name: 'Utilisateurs authentifiés' }).sid).toBe('S-1-5-11');
    expect(principal({ name: 'CONTOSO\\Domänen-Benutzer' }).rid).toBe(513);
    expect(principal({ name: 'Guest' })).toMatchObject({ rid: 501, resolution: 'well-known-name' });
  });
  it('leaves an unknown name unresolved and says so', () => {
    const p = principal({ name: 'CONTOSO\\app-readers' });
    expect(p).toEqual({ name: 'CONTOSO\\app-readers', resolution: 'unresolved' });
    expect(describePrincipal(p)).toContain('unresolved');
  });
});

describe('decodeText()', () => {
  const le = (s: string) => Buffer.from(s, 'utf16le');
  it('decodes UTF-16LE with and without BOM, UTF-8 with BOM and windows-1252', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), le('[Unicode]\r\n')])).text).toBe('[Unicode]\r\n');
    expect(decodeText(le('[Version]\r\nsignature="$CHICAGO$"')).encoding).toBe('utf-16le');
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x41])).text).toBe('A');
    expect(decodeText(Buffer.from([0x47, 0xe4, 0x73, 0x74, 0x65]))).toEqual({ text: 'Gäste', encoding: 'windows-1252' });
  });
  it('refuses binary data and odd-length UTF-16', () => {
    expect(() => decodeText(Buffer.from([0x41, 0x00, 0x00, 0x00, 0x42, 0x42, 0x42, 0x42, 0x42]))).toThrow(InputError);
    expect(() => decodeText(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42]))).toThrow(/odd number of bytes/);
  });
});

describe('parseXml()', () => {
  it('resolves namespaces, not prefixes, and records lines', () => {
    const root = parseXml('<a xmlns="urn:x" xmlns:q9="urn:y">\n<q9:b>t</q9:b></a>');
    expect(root.children[0]).toMatchObject({ ns: 'urn:y', local: 'b', text: 't', line: 2 });
  });
  it('refuses DOCTYPE (XXE, billion laughs) with the line', () => {
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';
    expect(() => parseXml(xxe)).toThrow(expect.objectContaining({ code: 'hostile', position: expect.objectContaining({ line: 2 }) }));
  });
  it('reports truncation and garbage as errors, never a crash', () => {
    expect(() => parseXml('<a><b>')).toThrow(InputError);
    expect(() => parseXml('')).toThrow(InputError);
    expect(() => parseXml('x'.repeat(1000))).toThrow(InputError);
    expect(() => parseXml('<a>'.repeat(10_000))).toThrow(/nested deeper/);
  });
});
