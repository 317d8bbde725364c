import { describe, expect, it } from 'vitest';
import { berInteger, CodecError, readInteger, readTlv, tlv } from '../../src/preflight/ber.js';
import { decodeResponse, encodeName, encodeQuery, frameForTcp, readName, TcpFrameReader } from '../../src/preflight/dns-codec.js';
import { dnsName, dnsResponse, hex } from './fixtures.js';

describe('BER', () => {
  it.each([
    [0, '020100'],
    [127, '02017f'],
    [128, '02020080'],
    [256, '02020100'],
    [-1, '0201ff'],
    [-128, '020180'],
    [-129, '0202ff7f'],
    [0x7fffffff, '02047fffffff'],
  ])('encodes integer %i as %s and reads it back', (value, expected) => {
    const encoded = berInteger(value);
    expect(hex(encoded)).toBe(expected);
    expect(readInteger(encoded, readTlv(encoded, 0))).toBe(value);
  });

  it('uses the long length form past 127 bytes', () => {
    expect(hex(tlv(0x04, Buffer.alloc(200)).subarray(0, 3))).toBe('0481c8');
    expect(hex(tlv(0x04, Buffer.alloc(300)).subarray(0, 4))).toBe('0482012c');
    expect(readTlv(tlv(0x04, Buffer.alloc(300)), 0)).toEqual({ tag: 0x04, start: 4, end: 304 });
  });

  it.each([
    ['30 80 00 00', 'indefinite length is not supported at byte 1'],
    ['04 05 61 62', 'element of 5 bytes runs past the end at byte 0'],
    ['1f 01 00', 'multi-byte tag 0x1f is not supported at byte 0'],
    ['04 85 00 00 00 00 01', 'length of 5 bytes is too long at byte 1'],
    ['04 82 01', 'element length truncated at byte 2'],
    ['04', 'element length missing at byte 1'],
  ])('rejects %s', (bytes, message) => {
    const buf = Buffer.from(bytes.replace(/ /g, ''), 'hex');
    expect(() => readTlv(buf, 0)).toThrow(message);
    expect(() => readTlv(buf, 0)).toThrow(CodecError);
  });
});

describe('DNS query encoding', () => {
  it('writes header, question name and SRV type', () => {
    const query = encodeQuery(0x1234, '_ldap._tcp.Example.TEST', 33);
    const expected = Buffer.concat([Buffer.from('123401000001000000000000', 'hex'), dnsName('_ldap._tcp.example.test'), Buffer.from('00210001', 'hex')]);
    expect(hex(query)).toBe(hex(expected));
  });

  it('prefixes the TCP form with the length', () => {
    expect(hex(frameForTcp(Buffer.from('abcdef', 'hex')))).toBe('0003abcdef');
  });

  it('turns an international name into its xn-- form', () => {
    expect(hex(encodeName('exämple.test'))).toBe(hex(dnsName('xn--exmple-cua.test')));
  });

  it.each([['a..test'], ['x'.repeat(64) + '.test'], [Array(130).fill('a').join('.')], ['bad name.test']])('refuses %s', (name) => {
    expect(() => encodeName(name)).toThrow(RangeError);
  });
});

describe('DNS response decoding', () => {
  const question = Buffer.concat([dnsName('_ldap._tcp.example.test'), Buffer.from('00210001', 'hex')]);

  it('reads SRV answers named by a compression pointer', () => {
    const response = dnsResponse(0xbeef, question, 0, [
      { type: 'SRV', priority: 0, weight: 100, port: 389, target: 'dc1.example.test' },
      { type: 'SRV', priority: 10, weight: 5, port: 3268, target: 'dc2.example.test' },
    ]);
    expect(decodeResponse(response)).toEqual({
      id: 0xbeef,
      isResponse: true,
      truncated: false,
      rcode: 0,
      answers: [
        { name: '_ldap._tcp.example.test', ttl: 600, data: { type: 'SRV', srv: { priority: 0, weight: 100, port: 389, target: 'dc1.example.test' } } },
        { name: '_ldap._tcp.example.test', ttl: 600, data: { type: 'SRV', srv: { priority: 10, weight: 5, port: 3268, target: 'dc2.example.test' } } },
      ],
    });
  });

  it('reads an SRV target that is itself compressed', () => {
    // "dc1" then a pointer to "example.test" inside the question: 12 + 1 + 5 + 1 + 4 = offset 23.
    const target = Buffer.from([3, ...Buffer.from('dc1'), 0xc0, 23]);
    const rdata = Buffer.concat([Buffer.from('00000064' + '0185', 'hex'), target]);
    const answer = Buffer.concat([Buffer.from([0xc0, 0x0c, 0x00, 0x21, 0x00, 0x01, 0, 0, 0, 60, 0, rdata.length]), rdata]);
    const message = Buffer.concat([Buffer.from('0001818000010001 00000000'.replace(/ /g, ''), 'hex'), question, answer]);
    expect(decodeResponse(message).answers[0]!.data).toEqual({ type: 'SRV', srv: { priority: 0, weight: 100, port: 389, target: 'dc1.example.test' } });
  });

  it('reads A answers and the NXDOMAIN code', () => {
    const aQuestion = Buffer.concat([dnsName('dc1.example.test'), Buffer.from('00010001', 'hex')]);
    expect(decodeResponse(dnsResponse(7, aQuestion, 0, [{ type: 'A', address: '127.0.0.1' }])).answers).toEqual([
      { name: 'dc1.example.test', ttl: 600, data: { type: 'A', address: '127.0.0.1' } },
    ]);
    const nx = decodeResponse(dnsResponse(8, question, 3, []));
    expect([nx.rcode, nx.answers]).toEqual([3, []]);
  });

  it.each([
    ['a short header', Buffer.from('0001818000', 'hex'), 'DNS message shorter than its 12-byte header at byte 5'],
    ['a pointer to itself', Buffer.from('000181800001000000000000c00c00210001', 'hex'), 'compression pointer to 12 does not point backwards at byte 12'],
    ['a forward pointer', Buffer.from('000181800001000000000000c01000210001', 'hex'), 'compression pointer to 16 does not point backwards at byte 12'],
    ['a label past the end', Buffer.from('0001818000010000000000000961', 'hex'), 'label runs past the end at byte 12'],
    ['a reserved label type', Buffer.from('000181800001000000000000410000', 'hex'), 'unknown label type 0x41 at byte 12'],
    ['a name with no end', Buffer.from('0001818000010000000000000161', 'hex'), 'name runs past the end at byte 14'],
  ])('rejects %s', (_what, message, error) => {
    expect(() => decodeResponse(message)).toThrow(error);
    expect(() => decodeResponse(message)).toThrow(CodecError);
  });

  it('rejects record data that runs past the end', () => {
    const answer = Buffer.from([0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 60, 0, 4, 127, 0]);
    const message = Buffer.concat([Buffer.from('000181800001000100000000', 'hex'), question, answer]);
    expect(() => decodeResponse(message)).toThrow('record data of 4 bytes runs past the end at byte 53');
  });

  it('rejects a name longer than 255 bytes built from backward pointers', () => {
    // 200 bytes of one-byte labels ending in a pointer to another 200 bytes of them.
    const run = Buffer.concat(Array.from({ length: 100 }, () => Buffer.from([1, 0x61])));
    const message = Buffer.concat([run, Buffer.from([0]), run, Buffer.from([0xc0, 0x00])]);
    expect(() => readName(message, 201)).toThrow('name longer than 255 bytes');
  });
});

describe('TCP framing', () => {
  it('reassembles a reply delivered one byte at a time and ignores trailing bytes', () => {
    const reader = new TcpFrameReader();
    const framed = Buffer.concat([frameForTcp(Buffer.from('0102030405', 'hex')), Buffer.from('ffff', 'hex')]);
    const results = [...framed].map((byte) => reader.push(Buffer.from([byte])));
    expect(results.slice(0, 6)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(hex(results[6]!)).toBe('0102030405');
  });

  it('never buffers more than one maximum-size frame', () => {
    const reader = new TcpFrameReader();
    expect(reader.push(Buffer.from([0xff, 0xff]))).toBeUndefined();
    for (let i = 0; i < 10; i++) reader.push(Buffer.alloc(20_000));
    expect(reader.bytesReceived).toBe(2 + 0xffff);
  });
});
