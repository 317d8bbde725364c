// A minimal Kerberos AS-REQ (RFC 4120 §5.4.1) for a made-up client principal, to see whether a KDC answers on UDP 88.
// A live KDC answers with a KRB-ERROR (normally KDC_ERR_C_PRINCIPAL_UNKNOWN); nothing is authenticated.

import {
  applicationTag,
  berInteger,
  berOctetString,
  childrenOf,
  CodecError,
  contextTag,
  readInteger,
  readString,
  readTlv,
  TAG,
  tlv,
} from './ber.js';

const AS_REQ = applicationTag(10);
const AS_REP = applicationTag(11);
const KRB_ERROR = applicationTag(30);
const NT_PRINCIPAL = 1;
const NT_SRV_INST = 2;
const ETYPES = [18, 17, 23]; // aes256-cts-hmac-sha1-96, aes128-cts-hmac-sha1-96, rc4-hmac
export const PROBE_PRINCIPAL = 'gpaudit-preflight-probe';

const ERROR_NAMES: Record<number, string> = {
  6: 'KDC_ERR_C_PRINCIPAL_UNKNOWN',
  7: 'KDC_ERR_S_PRINCIPAL_UNKNOWN',
  14: 'KDC_ERR_ETYPE_NOSUPP',
  24: 'KDC_ERR_PREAUTH_FAILED',
  25: 'KDC_ERR_PREAUTH_REQUIRED',
  37: 'KRB_AP_ERR_SKEW',
  52: 'KRB_ERR_RESPONSE_TOO_BIG',
  60: 'KRB_ERR_GENERIC',
  68: 'KDC_ERR_WRONG_REALM',
};

export function kerberosErrorName(code: number): string {
  return ERROR_NAMES[code] ?? `Kerberos error ${code}`;
}

function generalString(value: string): Buffer {
  return berOctetString(value, TAG.generalString);
}

function principalName(type: number, parts: string[]): Buffer {
  return tlv(TAG.sequence, tlv(contextTag(0), berInteger(type)), tlv(contextTag(1), tlv(TAG.sequence, ...parts.map(generalString))));
}

export function encodeAsReq(realm: string, nonce: number, client: string = PROBE_PRINCIPAL): Buffer {
  const upperRealm = realm.toUpperCase();
  const body = tlv(
    TAG.sequence,
    tlv(contextTag(0), tlv(TAG.bitString, Buffer.from([0, 0, 0, 0, 0]))), // kdc-options: none
    tlv(contextTag(1), principalName(NT_PRINCIPAL, [client])),
    tlv(contextTag(2), generalString(upperRealm)),
    tlv(contextTag(3), principalName(NT_SRV_INST, ['krbtgt', upperRealm])),
    tlv(contextTag(5), berOctetString('20370913024805Z', TAG.generalizedTime)), // till: the customary "no limit"
    tlv(contextTag(7), berInteger(nonce)),
    tlv(contextTag(8), tlv(TAG.sequence, ...ETYPES.map((etype) => berInteger(etype)))),
  );
  return tlv(AS_REQ, tlv(TAG.sequence, tlv(contextTag(1), berInteger(5)), tlv(contextTag(2), berInteger(10)), tlv(contextTag(4), body)));
}

export type KdcReply = { kind: 'error'; errorCode: number; errorName: string; realm?: string; text?: string } | { kind: 'as-rep' };

/** Classifies a KDC reply; throws CodecError if the bytes are not a Kerberos message. */
export function decodeKdcReply(buf: Buffer): KdcReply {
  const outer = readTlv(buf, 0);
  if (outer.tag === AS_REP) return { kind: 'as-rep' };
  if (outer.tag !== KRB_ERROR) throw new CodecError(`not a Kerberos reply (tag 0x${outer.tag.toString(16)})`, 0);
  const sequence = readTlv(buf, outer.start, outer.end);
  if (sequence.tag !== TAG.sequence) throw new CodecError('KRB-ERROR is not a SEQUENCE', outer.start);
  let errorCode: number | undefined;
  let messageType: number | undefined;
  let realm: string | undefined;
  let text: string | undefined;
  for (const field of childrenOf(buf, sequence)) {
    const inner = () => readTlv(buf, field.start, field.end);
    if (field.tag === contextTag(1)) messageType = readInteger(buf, inner());
    else if (field.tag === contextTag(6)) errorCode = readInteger(buf, inner());
    else if (field.tag === contextTag(9)) realm = readString(buf, inner());
    else if (field.tag === contextTag(11)) text = readString(buf, inner());
  }
  if (messageType !== 30) throw new CodecError(`KRB-ERROR has msg-type ${messageType ?? 'missing'}, not 30`, outer.start);
  if (errorCode === undefined) throw new CodecError('KRB-ERROR has no error-code', outer.start);
  return {
    kind: 'error',
    errorCode,
    errorName: kerberosErrorName(errorCode),
    ...(realm !== undefined ? { realm } : {}),
    ...(text !== undefined ? { text } : {}),
  };
}
