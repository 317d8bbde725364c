// The CLDAP "LDAP ping" (MS-ADTS 6.3.3): a rootDSE search for the Netlogon attribute over UDP 389.
// A domain controller answers with a searchResEntry carrying a NETLOGON_SAM_LOGON_RESPONSE_EX, then a searchResDone.

import {
  applicationTag,
  berBoolean,
  berInteger,
  berOctetString,
  childrenOf,
  CodecError,
  contextTag,
  expectTlv,
  readInteger,
  readTlv,
  TAG,
  tlv,
  type Tlv,
} from './ber.js';
import { readName } from './dns-codec.js';

const SEARCH_REQUEST = applicationTag(3);
const SEARCH_RESULT_ENTRY = applicationTag(4);
const SEARCH_RESULT_DONE = applicationTag(5);
const FILTER_AND = contextTag(0);
const FILTER_EQUALITY = contextTag(3);
// NETLOGON_NT_VERSION_5 | NETLOGON_NT_VERSION_5EX: ask for the _EX reply, which carries DNS names.
const NT_VERSION_5EX = Buffer.from([0x06, 0x00, 0x00, 0x00]);
const LOGON_SAM_LOGON_RESPONSE_EX = 23;
const LOGON_SAM_USER_UNKNOWN_EX = 25;

export function encodeLdapPing(messageId: number, dnsDomain: string): Buffer {
  const filter = tlv(
    FILTER_AND,
    tlv(FILTER_EQUALITY, berOctetString('DnsDomain'), berOctetString(dnsDomain)),
    tlv(FILTER_EQUALITY, berOctetString('NtVer'), berOctetString(NT_VERSION_5EX)),
  );
  const search = tlv(
    SEARCH_REQUEST,
    berOctetString(''), // baseObject: the rootDSE
    berInteger(0, TAG.enumerated), // scope: baseObject
    berInteger(0, TAG.enumerated), // derefAliases: never
    berInteger(0), // sizeLimit
    berInteger(0), // timeLimit
    berBoolean(false), // typesOnly
    filter,
    tlv(TAG.sequence, berOctetString('Netlogon')),
  );
  return tlv(TAG.sequence, berInteger(messageId), search);
}

export interface LdapPingReply {
  messageId: number;
  /** Raw Netlogon attribute value, when the reply had one. */
  netlogon?: Buffer;
  /** LDAP result code from searchResDone, when the datagram carried one (0 = success). */
  resultCode?: number;
}

/** Decodes the LDAP messages in one CLDAP datagram; throws CodecError if it is not LDAP. */
export function decodeLdapPingReply(buf: Buffer): LdapPingReply {
  let messageId: number | undefined;
  let netlogon: Buffer | undefined;
  let resultCode: number | undefined;
  for (let at = 0; at < buf.length; ) {
    const message = expectTlv(buf, at, buf.length, TAG.sequence, 'an LDAPMessage');
    const idElement = expectTlv(buf, message.start, message.end, TAG.integer, 'a messageID');
    const id = readInteger(buf, idElement);
    if (messageId !== undefined && id !== messageId) throw new CodecError(`messageID ${id} differs from ${messageId}`, idElement.start);
    messageId = id;
    const op = readTlv(buf, idElement.end, message.end);
    if (op.tag === SEARCH_RESULT_ENTRY) netlogon ??= netlogonValue(buf, op);
    else if (op.tag === SEARCH_RESULT_DONE) resultCode = readInteger(buf, expectTlv(buf, op.start, op.end, TAG.enumerated, 'a resultCode'));
    else throw new CodecError(`unexpected LDAP operation tag 0x${op.tag.toString(16)}`, idElement.end);
    at = message.end;
  }
  if (messageId === undefined) throw new CodecError('empty datagram', 0);
  return { messageId, ...(netlogon ? { netlogon } : {}), ...(resultCode !== undefined ? { resultCode } : {}) };
}

function netlogonValue(buf: Buffer, entry: Tlv): Buffer | undefined {
  const objectName = expectTlv(buf, entry.start, entry.end, TAG.octetString, 'an objectName');
  const attributes = expectTlv(buf, objectName.end, entry.end, TAG.sequence, 'an attribute list');
  for (const attribute of childrenOf(buf, attributes)) {
    const type = expectTlv(buf, attribute.start, attribute.end, TAG.octetString, 'an attribute type');
    if (buf.toString('utf8', type.start, type.end).toLowerCase() !== 'netlogon') continue;
    const values = expectTlv(buf, type.end, attribute.end, TAG.set, 'an attribute value set');
    const first = childrenOf(buf, values)[0];
    if (first) return Buffer.from(buf.subarray(first.start, first.end));
  }
  return undefined;
}

export interface NetlogonSummary {
  opcode: number;
  dnsForestName?: string;
  dnsDomainName?: string;
  dnsHostName?: string;
}

/** Reads the DNS names from a NETLOGON_SAM_LOGON_RESPONSE_EX (MS-ADTS 6.3.1.9); other opcodes give just the opcode. */
export function summariseNetlogon(blob: Buffer): NetlogonSummary {
  if (blob.length < 2) throw new CodecError('Netlogon response shorter than its opcode', blob.length);
  const opcode = blob.readUInt16LE(0);
  if (opcode !== LOGON_SAM_LOGON_RESPONSE_EX && opcode !== LOGON_SAM_USER_UNKNOWN_EX) return { opcode };
  // Opcode, Sbz, Flags and DomainGuid come before the names.
  const forest = readName(blob, 24);
  const domain = readName(blob, forest.next);
  const host = readName(blob, domain.next);
  return { opcode, dnsForestName: forest.name, dnsDomainName: domain.name, dnsHostName: host.name };
}
