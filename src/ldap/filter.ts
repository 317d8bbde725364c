// LDAP search filters (RFC 4515): escaping user values, validating user filters, and encoding them for the wire.
//
// Filters are parsed here rather than handed to ldapts as text: its string parser turns each `\XX` escape into one
// UTF-16 code unit and then writes the value as UTF-8, so an escaped non-ASCII value (`\c3\a9` for "é") would reach
// the server double-encoded, and it rejects numeric-OID attribute names and attribute options. Values are kept as
// the exact bytes the filter text denotes and written to BER by `WireFilter` below.
import { Ber, Filter, type BerWriter, type SearchFilterValues } from 'ldapts';
import { LdapScanError } from './errors.js';

export type FilterNode =
  | { kind: 'and' | 'or'; children: FilterNode[] }
  | { kind: 'not'; child: FilterNode }
  | { kind: 'equal' | 'approx' | 'greaterOrEqual' | 'lessOrEqual'; attribute: string; value: Buffer }
  | { kind: 'present'; attribute: string }
  | { kind: 'substring'; attribute: string; initial?: Buffer; any: Buffer[]; final?: Buffer }
  | { kind: 'extensible'; attribute?: string; dnAttributes: boolean; rule?: string; value: Buffer };

/** A user filter larger than this is refused: nobody types one, and the parser stays cheap on hostile input. */
export const MAX_FILTER_LENGTH = 16_384;
/** Nesting deeper than this is refused, so a pathological filter cannot exhaust the stack. */
export const MAX_FILTER_DEPTH = 64;

export const MATCHING_RULE_BIT_AND = '1.2.840.113556.1.4.803';
export const MATCHING_RULE_IN_CHAIN = '1.2.840.113556.1.4.1941';
const ACCOUNTDISABLE = 2;

/**
 * Escapes a value for use inside a filter (RFC 4515 §3): `*`, `(`, `)`, `\`, NUL, every other control character and
 * every non-ASCII byte of the UTF-8 encoding become `\xx`, so no user value can change the filter's structure.
 */
export function escapeFilterValue(value: string | Buffer): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  let out = '';
  for (const byte of bytes) out += isPlainFilterByte(byte) ? String.fromCharCode(byte) : `\\${byte.toString(16).padStart(2, '0')}`;
  return out;
}

function isPlainFilterByte(byte: number): boolean {
  return byte >= 0x20 && byte <= 0x7e && byte !== 0x2a && byte !== 0x28 && byte !== 0x29 && byte !== 0x5c;
}

/** `(attribute=value)` with the value escaped: the safe way to match on something a user typed. */
export function equalityFilter(attribute: string, value: string): string {
  assertAttributeDescription(attribute);
  return `(${attribute}=${escapeFilterValue(value)})`;
}

/** Throws a usage error unless `attribute` is an attribute description (name or OID, optional ;options). */
export function assertAttributeDescription(attribute: string): void {
  if (!ATTRIBUTE_DESCRIPTION.test(attribute)) {
    throw new LdapScanError('usage', `"${attribute}" is not an LDAP attribute name`);
  }
}

// descr or numericoid, then options such as ;binary or ;range=0-1499 (RFC 4512 §2.5).
const ATTRIBUTE_DESCRIPTION = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)(?:;[A-Za-z0-9=-]+)*$/;
const NUMERIC_OID = /^\d+(?:\.\d+)+$/;
const DESCR = /^[A-Za-z][A-Za-z0-9-]*$/;

/**
 * Parses a filter typed by a user. Anything that is not an RFC 4515 filter is a usage error whose message says what
 * was wrong and at which character (1-based). Surrounding whitespace is ignored; whitespace inside is not (RFC 4515
 * has none outside values, and a value's spaces are significant).
 */
export function parseFilter(text: string): FilterNode {
  const trimmed = text.trim();
  if (trimmed === '') throw filterError(text, 'it is empty');
  if (trimmed.length > MAX_FILTER_LENGTH) {
    throw filterError(text, `it is ${trimmed.length} characters long; the limit is ${MAX_FILTER_LENGTH}`);
  }
  const offset = text.indexOf(trimmed);
  // A bare item such as `mail=*` is common on command lines (ldapsearch accepts it); read it as `(mail=*)`.
  const bare = !trimmed.startsWith('(');
  const source = bare ? `(${trimmed})` : trimmed;
  const shift = bare ? offset - 1 : offset;
  const parser = new FilterTextParser(source, (message, at) => filterError(text, message, Math.max(0, Math.min(at + shift, text.length))));
  return parser.parseWhole();
}

/** True when `text` parses as a filter; for callers that only need a yes or no. */
export function isValidFilter(text: string): boolean {
  try {
    parseFilter(text);
    return true;
  } catch {
    return false;
  }
}

function filterError(text: string, what: string, at?: number): LdapScanError {
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  const where = at === undefined ? '' : ` at character ${at + 1}`;
  return new LdapScanError(
    'usage',
    `--filter ${JSON.stringify(shown)} is not a valid LDAP filter: ${what}${where}. ` +
      'Write it as in RFC 4515, e.g. "(department=Sales)" or "(|(l=Paris)(l=Lyon))"; escape * ( ) \\ in values as \\2a \\28 \\29 \\5c.',
  );
}

class FilterTextParser {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly fail: (message: string, at: number) => LdapScanError,
  ) {}

  parseWhole(): FilterNode {
    const node = this.parseFilter(1);
    if (this.at < this.text.length) throw this.fail(`unexpected ${describeChar(this.text[this.at])} after the end of the filter`, this.at);
    return node;
  }

  private parseFilter(depth: number): FilterNode {
    if (depth > MAX_FILTER_DEPTH) throw this.fail(`it nests deeper than ${MAX_FILTER_DEPTH} levels`, this.at);
    this.expect('(');
    const node = this.parseComponent(depth);
    this.expect(')');
    return node;
  }

  private parseComponent(depth: number): FilterNode {
    const c = this.text[this.at];
    if (c === '&' || c === '|') {
      this.at++;
      const children: FilterNode[] = [];
      while (this.text[this.at] === '(') children.push(this.parseFilter(depth + 1));
      this.refuseWhitespace();
      if (children.length === 0) throw this.fail(`"${c}" must be followed by at least one (filter)`, this.at);
      return { kind: c === '&' ? 'and' : 'or', children };
    }
    if (c === '!') {
      this.at++;
      this.refuseWhitespace();
      if (this.text[this.at] !== '(') throw this.fail('"!" must be followed by one (filter)', this.at);
      return { kind: 'not', child: this.parseFilter(depth + 1) };
    }
    return this.parseItem();
  }

  private refuseWhitespace(): void {
    const c = this.text[this.at];
    if (c !== undefined && /\s/.test(c)) throw this.fail(`${describeChar(c)} between filter parts (RFC 4515 allows none)`, this.at);
  }

  private parseItem(): FilterNode {
    const start = this.at;
    const end = this.findItemEnd();
    const item = this.text.slice(start, end);
    // Only an extensible match has a ":" before its first "=" (attribute names cannot contain one).
    const eq = item.indexOf('=');
    const head = eq < 0 ? item : item.slice(0, eq);
    const node = head.includes(':') ? this.parseExtensible(item, start) : this.parseSimple(item, start);
    this.at = end;
    return node;
  }

  private findItemEnd(): number {
    for (let i = this.at; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === ')') return i;
      if (c === '(') throw this.fail('unescaped "(" inside a value (write it as \\28)', i);
    }
    throw this.fail('missing ")"', this.text.length);
  }

  private parseSimple(item: string, start: number): FilterNode {
    const eq = item.indexOf('=');
    if (eq < 0) throw this.fail(`"${item}" has no "=" (expected attribute=value)`, start);
    const operator = eq > 0 && '~<>'.includes(item[eq - 1] ?? '') ? item[eq - 1] : '';
    const attribute = item.slice(0, eq - (operator ? 1 : 0));
    this.checkAttribute(attribute, start);
    const valueText = item.slice(eq + 1);
    const valueAt = start + eq + 1;
    if (operator) {
      const kind = operator === '~' ? 'approx' : operator === '<' ? 'lessOrEqual' : 'greaterOrEqual';
      return { kind, attribute, value: this.decodeValue(valueText, valueAt, false) };
    }
    if (valueText === '*') return { kind: 'present', attribute };
    if (!valueText.includes('*')) return { kind: 'equal', attribute, value: this.decodeValue(valueText, valueAt, false) };
    return this.parseSubstring(attribute, valueText, valueAt);
  }

  private parseSubstring(attribute: string, valueText: string, valueAt: number): FilterNode {
    const parts = valueText.split('*');
    let partAt = valueAt;
    const decoded = parts.map((part) => {
      const value = this.decodeValue(part, partAt, true);
      partAt += part.length + 1;
      return value;
    });
    const middle = decoded.slice(1, -1);
    const emptyAny = middle.findIndex((value) => value.length === 0);
    if (emptyAny >= 0) throw this.fail('"**" in a substring value (an empty middle part is not allowed)', valueAt + valueText.indexOf('**') + 1);
    const first = decoded[0];
    const last = decoded[decoded.length - 1];
    return {
      kind: 'substring',
      attribute,
      ...(first && first.length > 0 ? { initial: first } : {}),
      any: middle,
      ...(last && last.length > 0 ? { final: last } : {}),
    };
  }

  // extensible = attr [":dn"] [":" rule] ":=" value  /  [":dn"] ":" rule ":=" value
  private parseExtensible(item: string, start: number): FilterNode {
    const assign = item.indexOf(':=');
    if (assign < 0) throw this.fail(`"${item}" is an extensible match without ":="`, start);
    const head = item.slice(0, assign).split(':');
    const attribute = head.shift() ?? '';
    if (attribute !== '') this.checkAttribute(attribute, start);
    let dnAttributes = false;
    if (head[0]?.toLowerCase() === 'dn') {
      dnAttributes = true;
      head.shift();
    }
    const rule = head.shift();
    if (head.length > 0 || rule === '') throw this.fail(`"${item.slice(0, assign)}" is not attribute[:dn][:matchingRule]`, start);
    if (rule !== undefined && !NUMERIC_OID.test(rule) && !DESCR.test(rule)) throw this.fail(`"${rule}" is not a matching rule OID`, start);
    if (attribute === '' && rule === undefined) throw this.fail('an extensible match without an attribute needs a matching rule', start);
    const value = this.decodeValue(item.slice(assign + 2), start + assign + 2, false);
    return {
      kind: 'extensible',
      ...(attribute ? { attribute } : {}),
      dnAttributes,
      ...(rule ? { rule } : {}),
      value,
    };
  }

  private checkAttribute(attribute: string, at: number): void {
    if (attribute === '') throw this.fail('missing attribute name before "="', at);
    if (!ATTRIBUTE_DESCRIPTION.test(attribute)) throw this.fail(`"${attribute}" is not an attribute name`, at);
  }

  private decodeValue(text: string, at: number, inSubstring: boolean): Buffer {
    const bytes: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (c === '\\') {
        const hex = text.slice(i + 1, i + 3);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw this.fail('"\\" must be followed by two hex digits (write a backslash as \\5c)', at + i);
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
        continue;
      }
      if (c === '*' && !inSubstring) throw this.fail('unexpected "*" in a value (write it as \\2a)', at + i);
      if (c === '\0') throw this.fail('a raw NUL character in a value (write it as \\00)', at + i);
      const code = text.codePointAt(i) as number;
      if (code >= 0xd800 && code <= 0xdfff) throw this.fail('a lone UTF-16 surrogate in a value', at + i);
      if (code > 0xffff) i++;
      bytes.push(...Buffer.from(String.fromCodePoint(code), 'utf8'));
    }
    return Buffer.from(bytes);
  }

  private expect(c: string): void {
    if (this.text[this.at] !== c) {
      const found = this.at >= this.text.length ? 'the end of the filter' : describeChar(this.text[this.at]);
      throw this.fail(`expected "${c}" but found ${found}`, this.at);
    }
    this.at++;
  }
}

function describeChar(c: string | undefined): string {
  if (c === undefined) return 'the end of the filter';
  return /\s/.test(c) ? `whitespace (${JSON.stringify(c)})` : `"${c}"`;
}

/** The canonical text of a filter, values escaped with `escapeFilterValue`. */
export function filterToString(node: FilterNode): string {
  switch (node.kind) {
    case 'and':
      return `(&${node.children.map(filterToString).join('')})`;
    case 'or':
      return `(|${node.children.map(filterToString).join('')})`;
    case 'not':
      return `(!${filterToString(node.child)})`;
    case 'present':
      return `(${node.attribute}=*)`;
    case 'equal':
      return `(${node.attribute}=${escapeFilterValue(node.value)})`;
    case 'approx':
      return `(${node.attribute}~=${escapeFilterValue(node.value)})`;
    case 'greaterOrEqual':
      return `(${node.attribute}>=${escapeFilterValue(node.value)})`;
    case 'lessOrEqual':
      return `(${node.attribute}<=${escapeFilterValue(node.value)})`;
    case 'substring': {
      const parts = [node.initial ?? Buffer.alloc(0), ...node.any, node.final ?? Buffer.alloc(0)];
      return `(${node.attribute}=${parts.map(escapeFilterValue).join('*')})`;
    }
    case 'extensible':
      return `(${node.attribute ?? ''}${node.dnAttributes ? ':dn' : ''}${node.rule ? `:${node.rule}` : ''}:=${escapeFilterValue(node.value)})`;
  }
}

// RFC 4511 §4.5.1 Filter CHOICE tags (context-specific; constructed except `present`).
const TAG = {
  and: 0xa0,
  or: 0xa1,
  not: 0xa2,
  equal: 0xa3,
  substring: 0xa4,
  greaterOrEqual: 0xa5,
  lessOrEqual: 0xa6,
  present: 0x87,
  approx: 0xa8,
  extensible: 0xa9,
} as const;

/** Writes a parsed filter to BER with every value as the exact bytes it denotes. */
export class WireFilter extends Filter {
  readonly type: SearchFilterValues;

  constructor(readonly node: FilterNode) {
    super();
    this.type = TAG[node.kind] as SearchFilterValues;
  }

  override write(writer: BerWriter): void {
    writeNode(writer, this.node);
  }

  toString(): string {
    return filterToString(this.node);
  }
}

function writeNode(writer: BerWriter, node: FilterNode): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      writer.startSequence(TAG[node.kind]);
      for (const child of node.children) writeNode(writer, child);
      writer.endSequence();
      return;
    case 'not':
      writer.startSequence(TAG.not);
      writeNode(writer, node.child);
      writer.endSequence();
      return;
    case 'present':
      writer.writeString(node.attribute, TAG.present);
      return;
    case 'equal':
    case 'approx':
    case 'greaterOrEqual':
    case 'lessOrEqual':
      writer.startSequence(TAG[node.kind]);
      writer.writeString(node.attribute);
      writer.writeBuffer(node.value, Ber.OctetString);
      writer.endSequence();
      return;
    case 'substring':
      writer.startSequence(TAG.substring);
      writer.writeString(node.attribute);
      writer.startSequence();
      if (node.initial) writer.writeBuffer(node.initial, 0x80);
      for (const part of node.any) writer.writeBuffer(part, 0x81);
      if (node.final) writer.writeBuffer(node.final, 0x82);
      writer.endSequence();
      writer.endSequence();
      return;
    case 'extensible':
      writer.startSequence(TAG.extensible);
      if (node.rule) writer.writeString(node.rule, 0x81);
      if (node.attribute) writer.writeString(node.attribute, 0x82);
      writer.writeBuffer(node.value, 0x83);
      if (node.dnAttributes) writer.writeBoolean(true, 0x84);
      writer.endSequence();
      return;
  }
}

export interface UserFilterOptions {
  /** Include accounts with ACCOUNTDISABLE set in userAccountControl (default: enabled accounts only). */
  includeDisabled?: boolean;
  /** An extra RFC 4515 filter typed by the user, ANDed with the rest. */
  filter?: string;
  /** Only members of this group, directly or through nested groups (LDAP_MATCHING_RULE_IN_CHAIN). */
  memberOf?: string;
}

export interface UserFilter {
  node: FilterNode;
  text: string;
}

/**
 * The filter a scan sends: user accounts (people, not computers: computers are objectClass=user too), enabled only
 * unless asked, narrowed by the user's filter and group. Every user-supplied value is escaped or parsed, never pasted.
 */
export function buildUserFilter(options: UserFilterOptions = {}): UserFilter {
  const parts: FilterNode[] = [
    { kind: 'equal', attribute: 'objectCategory', value: Buffer.from('person') },
    { kind: 'equal', attribute: 'objectClass', value: Buffer.from('user') },
  ];
  if (!options.includeDisabled) {
    parts.push({
      kind: 'not',
      child: { kind: 'extensible', attribute: 'userAccountControl', dnAttributes: false, rule: MATCHING_RULE_BIT_AND, value: Buffer.from(String(ACCOUNTDISABLE)) },
    });
  }
  if (options.filter !== undefined) parts.push(parseFilter(options.filter));
  if (options.memberOf !== undefined) parts.push(memberOfFilter(options.memberOf));
  const node: FilterNode = { kind: 'and', children: parts };
  return { node, text: filterToString(node) };
}

function memberOfFilter(groupDn: string): FilterNode {
  const dn = groupDn.trim();
  if (dn === '' || !dn.includes('=')) {
    throw new LdapScanError(
      'usage',
      `--member-of ${JSON.stringify(groupDn)} is not a group DN; give the group's distinguished name, e.g. "CN=WorkSpaces Users,OU=Groups,DC=example,DC=com"`,
    );
  }
  return { kind: 'extensible', attribute: 'memberOf', dnAttributes: false, rule: MATCHING_RULE_IN_CHAIN, value: Buffer.from(dn, 'utf8') };
}
