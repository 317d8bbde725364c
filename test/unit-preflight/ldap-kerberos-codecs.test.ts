import { describe, expect, it } from 'vitest';
import { CodecError } from '../../src/preflight/ber.js';
import { decodeLdapPingReply, encodeLdapPing, summariseNetlogon } from '../../src/preflight/cldap.js';
import { decodeKdcReply, encodeAsReq, kerberosErrorName } from '../../src/preflight/kerberos.js';
import { der, hex, ldapMessage, netlogonResponse, searchDone, searchEntry } from './fixtures.js';

const INT = 0x02;
const OCTETS = 0x04;
const ENUM = 0x0a;
const SEQ = 0x30;
const GENERAL = 0x1b;

const netlogonBlob = netlogonResponse('dc1', 'example.test');

describe('CLDAP LDAP ping', () => {
  it('encodes a rootDSE search for Netlogon filtered on DnsDomain and NtVer', () => {
    const expected = ldapMessage(
      42,
      der(
        0x63,
        der(OCTETS),
        der(ENUM, [0]),
        der(ENUM, [0]),
        der(INT, [0]),
        der(INT, [0]),
        der(0x01, [0]),
        der(0xa0, der(0xa3, der(OCTETS, 'DnsDomain'), der(OCTETS, 'example.test')), der(0xa3, der(OCTETS, 'NtVer'), der(OCTETS, [6, 0, 0, 0]))),
        der(SEQ, der(OCTETS, 'Netlogon')),
      ),
    );
    expect(hex(encodeLdapPing(42, 'example.test'))).toBe(hex(expected));
  });

  it('decodes a searchResEntry and searchResDone in one datagram', () => {
    const reply = decodeLdapPingReply(Buffer.concat([searchEntry(42, netlogonBlob), searchDone(42, 0)]));
    expect(reply.messageId).toBe(42);
    expect(reply.resultCode).toBe(0);
    expect(hex(reply.netlogon!)).toBe(hex(netlogonBlob));
  });

  it('reads the DNS names from the Netlogon response', () => {
    expect(summariseNetlogon(netlogonBlob)).toEqual({
      opcode: 23,
      dnsForestName: 'example.test',
      dnsDomainName: 'example.test',
      dnsHostName: 'dc1.example.test',
    });
  });

  it('gives only the opcode for older Netlogon responses', () => {
    expect(summariseNetlogon(Buffer.from('1300414243', 'hex'))).toEqual({ opcode: 19 });
  });

  it('accepts a reply without a Netlogon attribute', () => {
    expect(decodeLdapPingReply(searchDone(7, 53))).toEqual({ messageId: 7, resultCode: 53 });
  });

  it.each([
    ['a DNS message', Buffer.from('123481800001000000000000', 'hex'), 'expected an LDAPMessage (tag 0x30), found tag 0x12 at byte 0'],
    ['an empty datagram', Buffer.alloc(0), 'empty datagram at byte 0'],
    ['mixed message ids', Buffer.concat([searchEntry(1, netlogonBlob), searchDone(2, 0)]), 'messageID 2 differs from 1'],
    ['a bindResponse', ldapMessage(1, der(0x61, der(ENUM, [0]), der(OCTETS), der(OCTETS))), 'unexpected LDAP operation tag 0x61 at byte 5'],
    ['a truncated reply', searchEntry(1, netlogonBlob).subarray(0, 30), 'runs past the end'],
  ])('rejects %s', (_what, bytes, message) => {
    expect(() => decodeLdapPingReply(bytes)).toThrow(message);
    expect(() => decodeLdapPingReply(bytes)).toThrow(CodecError);
  });

  it('rejects a Netlogon response whose name points forwards', () => {
    const broken = Buffer.concat([netlogonBlob.subarray(0, 24), Buffer.from([0xc0, 40])]);
    expect(() => summariseNetlogon(broken)).toThrow('compression pointer to 40 does not point backwards at byte 24');
  });
});

describe('Kerberos AS-REQ probe', () => {
  const principal = (type: number, parts: string[]) =>
    der(SEQ, der(0xa0, der(INT, [type])), der(0xa1, der(SEQ, ...parts.map((part) => der(GENERAL, part)))));

  it('encodes an AS-REQ for the made-up principal in the upper-cased realm', () => {
    const body = der(
      SEQ,
      der(0xa0, der(0x03, [0, 0, 0, 0, 0])),
      der(0xa1, principal(1, ['gpaudit-preflight-probe'])),
      der(0xa2, der(GENERAL, 'EXAMPLE.TEST')),
      der(0xa3, principal(2, ['krbtgt', 'EXAMPLE.TEST'])),
      der(0xa5, der(0x18, '20370913024805Z')),
      der(0xa7, der(INT, [1, 2, 3, 4])),
      der(0xa8, der(SEQ, der(INT, [18]), der(INT, [17]), der(INT, [23]))),
    );
    const expected = der(0x6a, der(SEQ, der(0xa1, der(INT, [5])), der(0xa2, der(INT, [10])), der(0xa4, body)));
    expect(hex(encodeAsReq('example.test', 0x01020304))).toBe(hex(expected));
  });

  const krbError = (fields: Buffer[]) => der(0x7e, der(SEQ, ...fields));
  const standardFields = [
    der(0xa0, der(INT, [5])),
    der(0xa1, der(INT, [30])),
    der(0xa4, der(0x18, '20240101000000Z')),
    der(0xa5, der(INT, [0])),
    der(0xa6, der(INT, [6])),
    der(0xa9, der(GENERAL, 'EXAMPLE.TEST')),
    der(0xaa, principal(2, ['krbtgt', 'EXAMPLE.TEST'])),
    der(0xab, der(GENERAL, 'CLIENT_NOT_FOUND')),
  ];

  it('decodes a KRB-ERROR', () => {
    expect(decodeKdcReply(krbError(standardFields))).toEqual({
      kind: 'error',
      errorCode: 6,
      errorName: 'KDC_ERR_C_PRINCIPAL_UNKNOWN',
      realm: 'EXAMPLE.TEST',
      text: 'CLIENT_NOT_FOUND',
    });
  });

  it('recognises an AS-REP', () => {
    expect(decodeKdcReply(der(0x6b, der(SEQ)))).toEqual({ kind: 'as-rep' });
  });

  it('names unknown error codes by number', () => {
    expect([kerberosErrorName(68), kerberosErrorName(99)]).toEqual(['KDC_ERR_WRONG_REALM', 'Kerberos error 99']);
  });

  it.each([
    ['an LDAP message', searchDone(1, 0), 'not a Kerberos reply (tag 0x30) at byte 0'],
    ['a KRB-ERROR with the wrong msg-type', krbError([der(0xa1, der(INT, [11])), der(0xa6, der(INT, [6]))]), 'KRB-ERROR has msg-type 11, not 30 at byte 2'],
    ['a KRB-ERROR without error-code', krbError(standardFields.filter((field) => field[0] !== 0xa6)), 'KRB-ERROR has no error-code at byte 2'],
    ['a truncated KRB-ERROR', krbError(standardFields).subarray(0, 20), 'runs past the end at byte 0'],
  ])('rejects %s', (_what, bytes, message) => {
    expect(() => decodeKdcReply(bytes)).toThrow(message);
    expect(() => decodeKdcReply(bytes)).toThrow(CodecError);
  });
});
