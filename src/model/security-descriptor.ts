// Windows security descriptors as the directory returns them in `nTSecurityDescriptor`: the self-relative form of
// [MS-DTYP] 2.4.6 (header, owner and group SIDs, DACL). Only what deciding security filtering needs is decoded; the
// SACL is never asked for (reading it needs a privilege). The bytes come from a server, so every length and offset
// is checked before it is used: a damaged or hostile blob yields errors, never a read outside the buffer.
import { InputError } from './problems.js';

/**
 * The extended right "Apply Group Policy": the rightsGuid of CN=Apply-Group-Policy,CN=Extended-Rights in the
 * configuration partition, lower case as decoded GUIDs are. It is `...-00a0c968f939` (Microsoft's schema files, the
 * Samba DC, real GPO reports); `...-00a0c94f9aaf`, seen in some notes, is a mistake that matches no ACE.
 */
export const APPLY_GROUP_POLICY = 'edacfd8f-ffb3-11d1-b41d-00a0c968f939';

/** Access mask bits that matter for Group Policy ([MS-ADTS] 5.1.3.2, [MS-DTYP] 2.4.3). */
export const ACCESS = {
  /** ADS_RIGHT_DS_CONTROL_ACCESS: extended rights (one, with an object type; all, without). */
  CONTROL_ACCESS: 0x100,
  /** ADS_RIGHT_DS_READ_PROP. */
  READ_PROPERTY: 0x10,
  GENERIC_ALL: 0x10000000,
  GENERIC_READ: 0x80000000,
} as const;

/** ACE header flags ([MS-DTYP] 2.4.4.1), by the names SDDL and the documentation use. */
export type AceFlag = 'object-inherit' | 'container-inherit' | 'no-propagate-inherit' | 'inherit-only' | 'inherited' | 'successful-access' | 'failed-access';

const ACE_FLAG_BITS: ReadonlyArray<[number, AceFlag]> = [
  [0x01, 'object-inherit'],
  [0x02, 'container-inherit'],
  [0x04, 'no-propagate-inherit'],
  [0x08, 'inherit-only'],
  [0x10, 'inherited'],
  [0x40, 'successful-access'],
  [0x80, 'failed-access'],
];

interface AceCommon {
  /** The AceType byte as stored. */
  typeCode: number;
  flags: AceFlag[];
  /** The AceFlags byte as stored (bit 0x20 has no name). */
  rawFlags: number;
  /** Unsigned 32-bit access mask. */
  mask: number;
  /** `S-1-...`. */
  trustee: string;
}

/** ACCESS_ALLOWED_ACE / ACCESS_DENIED_ACE: the mask applies to the whole object. */
export interface PlainAce extends AceCommon {
  type: 'allow' | 'deny';
}

/** ACCESS_ALLOWED_OBJECT_ACE / ACCESS_DENIED_OBJECT_ACE: the mask may be narrowed to one property, set or right. */
export interface ObjectAce extends AceCommon {
  type: 'allow-object' | 'deny-object';
  /** Lower-case GUID; absent = the ACE covers every property and extended right. */
  objectType?: string;
  /** Lower-case GUID of the child class that inherits the ACE. */
  inheritedObjectType?: string;
}

/**
 * Audit, alarm, callback (conditional) and label ACEs: kept so the list is complete, but AD grants and denies
 * directory access only through the four types above, so nothing here decides access. Their body is not decoded.
 */
export interface OtherAce {
  type: 'other';
  typeCode: number;
  flags: AceFlag[];
  rawFlags: number;
}

export type Ace = PlainAce | ObjectAce | OtherAce;

export interface SecurityDescriptor {
  /** The Control field ([MS-DTYP] 2.4.6). */
  control: number;
  owner?: string;
  group?: string;
  /**
   * The DACL's ACEs in stored order. `null`: SE_DACL_PRESENT is clear, a NULL DACL, which grants everyone everything.
   * Absent: it could not be read (see errors). Never a partial list: a dropped deny ACE would widen access.
   */
  dacl?: Ace[] | null;
  /** What could not be decoded; empty for a sound descriptor. */
  errors: string[];
}

const SE_DACL_PRESENT = 0x0004;
const SE_SELF_RELATIVE = 0x8000;
const HEADER_SIZE = 20;
const ACL_HEADER_SIZE = 8;
/** Revision, count and the 6-byte authority. */
const SID_HEADER_SIZE = 8;
const MAX_SUB_AUTHORITIES = 15;
const ACE_OBJECT_TYPE_PRESENT = 1;
const ACE_INHERITED_OBJECT_TYPE_PRESENT = 2;

const ACE_TYPES: Readonly<Record<number, PlainAce['type'] | ObjectAce['type']>> = {
  0x00: 'allow',
  0x01: 'deny',
  0x05: 'allow-object',
  0x06: 'deny-object',
};

/** A failure to decode at a byte offset: turned into an `errors` entry by the caller. */
class Damage extends Error {}

/**
 * Decodes a self-relative security descriptor. Never throws for any bytes: what cannot be read is left out and
 * listed in `errors` (a damaged DACL leaves `dacl` absent rather than partial).
 */
export function decodeSecurityDescriptor(bytes: Uint8Array): SecurityDescriptor {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < HEADER_SIZE) return { control: 0, errors: [`security descriptor is ${buf.length} bytes; the header alone needs ${HEADER_SIZE}`] };
  const revision = buf.readUInt8(0);
  const control = buf.readUInt16LE(2);
  if (revision !== 1) return { control, errors: [`security descriptor revision ${revision}; only revision 1 exists`] };
  // An absolute descriptor holds memory pointers where the offsets should be: nothing in it can be followed.
  if ((control & SE_SELF_RELATIVE) === 0) return { control, errors: ['security descriptor is not self-relative (SE_SELF_RELATIVE clear)'] };
  const result: SecurityDescriptor = { control, errors: [] };
  const readPart = (field: string, offset: number, read: (offset: number) => void): void => {
    if (offset === 0) return;
    try {
      if (offset < HEADER_SIZE) throw new Damage(`offset ${offset} points into the header`);
      read(offset);
    } catch (error) {
      if (!(error instanceof Damage)) throw error;
      result.errors.push(`${field}: ${error.message}`);
    }
  };
  readPart('owner', buf.readUInt32LE(4), (offset) => (result.owner = readSid(buf, offset, buf.length).sid));
  readPart('group', buf.readUInt32LE(8), (offset) => (result.group = readSid(buf, offset, buf.length).sid));
  const daclOffset = buf.readUInt32LE(16);
  if ((control & SE_DACL_PRESENT) === 0) result.dacl = null;
  else if (daclOffset === 0) result.errors.push('DACL: SE_DACL_PRESENT is set but the DACL offset is 0');
  else readPart('DACL', daclOffset, (offset) => (result.dacl = readAcl(buf, offset)));
  return result;
}

/** `S-1-5-21-...` from a binary SID ([MS-DTYP] 2.4.2.2), such as `objectSid`. Throws InputError for bytes that are no SID. */
export function sidToString(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const { sid, length } = readSid(buf, 0, buf.length);
    if (length !== buf.length) throw new Damage(`${buf.length - length} bytes follow the SID`);
    return sid;
  } catch (error) {
    if (error instanceof Damage) throw new InputError('malformed', `not a SID: ${error.message}`);
    throw error;
  }
}

/** Lower-case GUID text from its 16-byte binary form: the first three fields are little-endian, the rest as stored. */
export function guidToString(buf: Uint8Array, offset = 0): string {
  if (offset < 0 || offset + 16 > buf.length) throw new InputError('truncated', `a GUID needs 16 bytes at offset ${offset}; ${Math.max(0, buf.length - offset)} remain`);
  const hex = (i: number): string => buf[offset + i]!.toString(16).padStart(2, '0');
  const run = (indexes: number[]): string => indexes.map(hex).join('');
  return `${run([3, 2, 1, 0])}-${run([5, 4])}-${run([7, 6])}-${run([8, 9])}-${run([10, 11, 12, 13, 14, 15])}`;
}

/** Whether an ACE takes part in the access check on the object itself (an inherit-only ACE is only passed on). */
export function isEffectiveHere(ace: Ace): ace is PlainAce | ObjectAce {
  return ace.type !== 'other' && !ace.flags.includes('inherit-only');
}

/**
 * Whether an allow or deny ACE covers a right on the whole object: `read` = reading every property (Read Property with
 * no object type, or Generic Read/All); `apply-group-policy` = the extended right (Control Access for that right or for
 * all rights, or Generic All). An ACE narrowed to one property does not count: it neither grants nor takes away
 * reading the object as a whole.
 */
export function aceCovers(ace: PlainAce | ObjectAce, right: 'read' | 'apply-group-policy'): boolean {
  if ((ace.mask & ACCESS.GENERIC_ALL) !== 0) return true;
  const objectType = ace.type === 'allow-object' || ace.type === 'deny-object' ? ace.objectType : undefined;
  if (right === 'read') return ((ace.mask & ACCESS.GENERIC_READ) !== 0 || (ace.mask & ACCESS.READ_PROPERTY) !== 0) && objectType === undefined;
  return (ace.mask & ACCESS.CONTROL_ACCESS) !== 0 && (objectType === undefined || objectType === APPLY_GROUP_POLICY);
}

function need(buf: Buffer, offset: number, length: number, limit: number, what: string): void {
  if (offset + length > Math.min(limit, buf.length)) {
    const end = Math.min(limit, buf.length);
    throw new Damage(`${what} at offset ${offset} needs ${length} bytes; ${Math.max(0, end - offset)} remain`);
  }
}

function readSid(buf: Buffer, offset: number, limit: number): { sid: string; length: number } {
  need(buf, offset, SID_HEADER_SIZE, limit, 'SID');
  const revision = buf.readUInt8(offset);
  const count = buf.readUInt8(offset + 1);
  if (revision !== 1) throw new Damage(`SID at offset ${offset} has revision ${revision}; only revision 1 exists`);
  if (count > MAX_SUB_AUTHORITIES) throw new Damage(`SID at offset ${offset} claims ${count} sub-authorities; at most ${MAX_SUB_AUTHORITIES} exist`);
  const length = SID_HEADER_SIZE + 4 * count;
  need(buf, offset, length, limit, `SID with ${count} sub-authorities`);
  // The authority is 48-bit big-endian: decimal below 2^32, hexadecimal above ([MS-DTYP] 2.4.2.1).
  const high = buf.readUInt16BE(offset + 2);
  const low = buf.readUInt32BE(offset + 4);
  const authority = high === 0 ? String(low) : `0x${(high.toString(16).padStart(4, '0') + low.toString(16).padStart(8, '0')).toUpperCase()}`;
  const parts = ['S', '1', authority];
  for (let i = 0; i < count; i++) parts.push(String(buf.readUInt32LE(offset + SID_HEADER_SIZE + 4 * i)));
  return { sid: parts.join('-'), length };
}

function readAcl(buf: Buffer, offset: number): Ace[] {
  need(buf, offset, ACL_HEADER_SIZE, buf.length, 'ACL header');
  const revision = buf.readUInt8(offset);
  const size = buf.readUInt16LE(offset + 2);
  const count = buf.readUInt16LE(offset + 4);
  // Revision 2 is ACL_REVISION, 4 is ACL_REVISION_DS (object ACEs); nothing else is defined.
  if (revision !== 2 && revision !== 4) throw new Damage(`ACL revision ${revision}; only 2 and 4 exist`);
  if (size < ACL_HEADER_SIZE) throw new Damage(`ACL size ${size} is smaller than its header`);
  need(buf, offset, size, buf.length, `ACL of ${size} bytes`);
  const end = offset + size;
  const aces: Ace[] = [];
  let at = offset + ACL_HEADER_SIZE;
  for (let i = 0; i < count; i++) {
    need(buf, at, 4, end, `ACE ${i + 1} of ${count}: header`);
    const aceSize = buf.readUInt16LE(at + 2);
    if (aceSize < 4) throw new Damage(`ACE ${i + 1} of ${count} at offset ${at} has size ${aceSize}, smaller than its header`);
    need(buf, at, aceSize, end, `ACE ${i + 1} of ${count}`);
    aces.push(readAce(buf, at, aceSize, `ACE ${i + 1} of ${count}`));
    at += aceSize;
  }
  return aces;
}

function readAce(buf: Buffer, offset: number, size: number, what: string): Ace {
  const typeCode = buf.readUInt8(offset);
  const rawFlags = buf.readUInt8(offset + 1);
  const flags = ACE_FLAG_BITS.filter(([bit]) => (rawFlags & bit) !== 0).map(([, name]) => name);
  const type = ACE_TYPES[typeCode];
  if (type === undefined) return { type: 'other', typeCode, flags, rawFlags };
  const end = offset + size;
  need(buf, offset + 4, 4, end, `${what}: access mask`);
  const mask = buf.readUInt32LE(offset + 4);
  if (type === 'allow' || type === 'deny') {
    return { type, typeCode, flags, rawFlags, mask, trustee: readSid(buf, offset + 8, end).sid };
  }
  need(buf, offset + 8, 4, end, `${what}: object flags`);
  const objectFlags = buf.readUInt32LE(offset + 8);
  let at = offset + 12;
  const guidIf = (bit: number, name: string): string | undefined => {
    if ((objectFlags & bit) === 0) return undefined;
    need(buf, at, 16, end, `${what}: ${name}`);
    at += 16;
    return guidToString(buf, at - 16);
  };
  const objectType = guidIf(ACE_OBJECT_TYPE_PRESENT, 'object type');
  const inheritedObjectType = guidIf(ACE_INHERITED_OBJECT_TYPE_PRESENT, 'inherited object type');
  const trustee = readSid(buf, at, end).sid;
  return {
    type,
    typeCode,
    flags,
    rawFlags,
    mask,
    trustee,
    ...(objectType !== undefined ? { objectType } : {}),
    ...(inheritedObjectType !== undefined ? { inheritedObjectType } : {}),
  };
}
