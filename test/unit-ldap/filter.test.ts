import { describe, expect, it } from 'vitest';
import { BerReader, BerWriter, FilterParser } from 'ldapts';
import {
  MAX_FILTER_DEPTH,
  MAX_FILTER_LENGTH,
  WireFilter,
  buildUserFilter,
  equalityFilter,
  escapeFilterValue,
  filterToString,
  isValidFilter,
  parseFilter,
} from '../../src/ldap/filter.js';
import { LdapScanError } from '../../src/ldap/errors.js';

function encode(filter: { write(writer: BerWriter): void }): string {
  const writer = new BerWriter();
  filter.write(writer);
  return writer.buffer.toString('hex');
}

function usageMessage(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(LdapScanError);
    expect((error as LdapScanError).kind).toBe('usage');
    return (error as LdapScanError).message;
  }
  throw new Error('expected a usage error');
}

describe('escapeFilterValue', () => {
  it('escapes each RFC 4515 special character', () => {
    expect(escapeFilterValue('*')).toBe('\\2a');
    expect(escapeFilterValue('(')).toBe('\\28');
    expect(escapeFilterValue(')')).toBe('\\29');
    expect(escapeFilterValue('\\')).toBe('\\5c');
    expect(escapeFilterValue('\0')).toBe('\\00');
  });

  it('escapes all of them together and leaves plain ASCII alone', () => {
    expect(escapeFilterValue('a*()\\\0z')).toBe('a\\2a\\28\\29\\5c\\00z');
    expect(escapeFilterValue('John Smith-O\'Neil #1 =,+<>;"')).toBe('John Smith-O\'Neil #1 =,+<>;"');
  });

  it('escapes non-ASCII as the UTF-8 bytes', () => {
    expect(escapeFilterValue('é')).toBe('\\c3\\a9');
    expect(escapeFilterValue('José Müller')).toBe('Jos\\c3\\a9 M\\c3\\bcller');
    expect(escapeFilterValue('Ω')).toBe('\\ce\\a9');
    expect(escapeFilterValue('😀')).toBe('\\f0\\9f\\98\\80');
  });

  it('escapes control characters and DEL', () => {
    expect(escapeFilterValue('a\tb\nc\x7f')).toBe('a\\09b\\0ac\\7f');
  });

  it('escapes raw bytes from a Buffer (binary values such as objectSid)', () => {
    expect(escapeFilterValue(Buffer.from([0x01, 0x05, 0x00, 0x2a, 0x41, 0xff]))).toBe('\\01\\05\\00\\2aA\\ff');
  });

  it('round-trips: the escaped text parses back to the original bytes', () => {
    const hostile = 'x*)(uid=*))(|(uid=*\\\0é';
    const node = parseFilter(`(cn=${escapeFilterValue(hostile)})`);
    expect(node).toEqual({ kind: 'equal', attribute: 'cn', value: Buffer.from(hostile, 'utf8') });
  });

  it('builds an equality filter from a user value', () => {
    expect(equalityFilter('sAMAccountName', '*()\\\0')).toBe('(sAMAccountName=\\2a\\28\\29\\5c\\00)');
    expect(usageMessage(() => equalityFilter('bad name', 'x'))).toContain('"bad name" is not an LDAP attribute name');
  });
});

describe('parseFilter', () => {
  it('parses every item kind', () => {
    expect(parseFilter('(cn=abc)')).toEqual({ kind: 'equal', attribute: 'cn', value: Buffer.from('abc') });
    expect(parseFilter('(mail=*)')).toEqual({ kind: 'present', attribute: 'mail' });
    expect(parseFilter('(n>=5)')).toEqual({ kind: 'greaterOrEqual', attribute: 'n', value: Buffer.from('5') });
    expect(parseFilter('(n<=5)')).toEqual({ kind: 'lessOrEqual', attribute: 'n', value: Buffer.from('5') });
    expect(parseFilter('(cn~=jon)')).toEqual({ kind: 'approx', attribute: 'cn', value: Buffer.from('jon') });
    expect(parseFilter('(cn=a*b*c)')).toEqual({ kind: 'substring', attribute: 'cn', initial: Buffer.from('a'), any: [Buffer.from('b')], final: Buffer.from('c') });
    expect(parseFilter('(cn=*mid*)')).toEqual({ kind: 'substring', attribute: 'cn', any: [Buffer.from('mid')] });
    expect(parseFilter('(userAccountControl:1.2.840.113556.1.4.803:=2)')).toEqual({
      kind: 'extensible',
      attribute: 'userAccountControl',
      dnAttributes: false,
      rule: '1.2.840.113556.1.4.803',
      value: Buffer.from('2'),
    });
    expect(parseFilter('(ou:dn:=Sales)')).toEqual({ kind: 'extensible', attribute: 'ou', dnAttributes: true, value: Buffer.from('Sales') });
    expect(parseFilter('(:DN:2.5.13.5:=x)')).toEqual({ kind: 'extensible', dnAttributes: true, rule: '2.5.13.5', value: Buffer.from('x') });
  });

  it('parses and/or/not and numeric-OID attributes with options', () => {
    expect(parseFilter('(&(a=1)(|(b=2)(!(c=3))))')).toEqual({
      kind: 'and',
      children: [
        { kind: 'equal', attribute: 'a', value: Buffer.from('1') },
        {
          kind: 'or',
          children: [
            { kind: 'equal', attribute: 'b', value: Buffer.from('2') },
            { kind: 'not', child: { kind: 'equal', attribute: 'c', value: Buffer.from('3') } },
          ],
        },
      ],
    });
    expect(parseFilter('(2.5.4.3;lang-en=x)')).toEqual({ kind: 'equal', attribute: '2.5.4.3;lang-en', value: Buffer.from('x') });
  });

  it('accepts a bare item and surrounding whitespace', () => {
    expect(parseFilter('  mail=*  ')).toEqual({ kind: 'present', attribute: 'mail' });
    expect(parseFilter('\n(cn=a b)\t')).toEqual({ kind: 'equal', attribute: 'cn', value: Buffer.from('a b') });
  });

  it('decodes escapes to bytes and raw non-ASCII to UTF-8', () => {
    expect(parseFilter('(cn=\\c3\\A9)').kind).toBe('equal');
    expect(parseFilter('(cn=\\c3\\A9)')).toEqual(parseFilter('(cn=é)'));
    expect(parseFilter('(cn=\\00)')).toEqual({ kind: 'equal', attribute: 'cn', value: Buffer.from([0]) });
    expect(parseFilter('(cn=😀)')).toEqual({ kind: 'equal', attribute: 'cn', value: Buffer.from('😀', 'utf8') });
  });

  it('reports what is wrong and where', () => {
    const cases: [string, string][] = [
      ['', 'it is empty'],
      ['(cn=a', 'missing ")" at character 6'],
      ['(cn=a))', 'unexpected ")" after the end of the filter at character 7'],
      ['(cn=a)(sn=b)', 'unexpected "(" after the end of the filter at character 7'],
      ['(cn=a(b)', 'unescaped "(" inside a value (write it as \\28) at character 6'],
      ['(cn=a\\zz)', '"\\" must be followed by two hex digits (write a backslash as \\5c) at character 6'],
      ['(cn=a\\5)', '"\\" must be followed by two hex digits'],
      ['(=x)', 'missing attribute name before "=" at character 2'],
      ['(c n=x)', '"c n" is not an attribute name at character 2'],
      ['(cn)', '"cn" has no "=" (expected attribute=value) at character 2'],
      ['(&)', '"&" must be followed by at least one (filter) at character 3'],
      ['(!cn=x)', '"!" must be followed by one (filter) at character 3'],
      ['(cn>=a*)', 'unexpected "*" in a value (write it as \\2a) at character 7'],
      ['(cn=a**b)', '"**" in a substring value'],
      ['(cn:foo bar:=x)', '"foo bar" is not a matching rule OID'],
      ['(:=x)', 'an extensible match without an attribute needs a matching rule at character 2'],
      ['(cn:1.2:3:=x)', '"cn:1.2:3" is not attribute[:dn][:matchingRule]'],
      ['(:dn:=x)', 'an extensible match without an attribute needs a matching rule'],
      ['(& (a=b))', 'whitespace (" ") between filter parts (RFC 4515 allows none) at character 3'],
      ['(&(a=b) (c=d))', 'whitespace (" ") between filter parts (RFC 4515 allows none) at character 8'],
      ['(cn=a\0)', 'a raw NUL character in a value (write it as \\00) at character 6'],
    ];
    for (const [filter, expected] of cases) {
      const message = usageMessage(() => parseFilter(filter));
      expect(message, filter).toContain(expected);
      expect(message, filter).toContain('is not a valid LDAP filter');
    }
    expect(isValidFilter('(cn=a')).toBe(false);
    expect(isValidFilter('(cn=a)')).toBe(true);
  });

  it('refuses hostile sizes without exhausting the stack', () => {
    const deep = '(!'.repeat(MAX_FILTER_DEPTH + 1) + '(a=b)' + ')'.repeat(MAX_FILTER_DEPTH + 1);
    expect(usageMessage(() => parseFilter(deep))).toContain(`it nests deeper than ${MAX_FILTER_DEPTH} levels`);
    const huge = `(cn=${'x'.repeat(MAX_FILTER_LENGTH)})`;
    expect(usageMessage(() => parseFilter(huge))).toContain(`the limit is ${MAX_FILTER_LENGTH}`);
    const deepButAllowed = '(!'.repeat(MAX_FILTER_DEPTH - 1) + '(a=b)' + ')'.repeat(MAX_FILTER_DEPTH - 1);
    expect(parseFilter(deepButAllowed).kind).toBe('not');
  });

  it('prints back a canonical filter', () => {
    expect(filterToString(parseFilter('(&(cn=a\\2A)(|(mail=*)(sn=*m\\c3\\a9*))(!(x:dn:1.2.3:=\\28)))'))).toBe(
      '(&(cn=a\\2a)(|(mail=*)(sn=*m\\c3\\a9*))(!(x:dn:1.2.3:=\\28)))',
    );
  });
});

describe('WireFilter', () => {
  it('encodes ASCII filters exactly as ldapts does', () => {
    const filters = [
      '(cn=abc)',
      '(&(a=b)(|(c=d)(!(e=f))))',
      '(mail=*)',
      '(cn=a*b*c)',
      '(cn=*b*)',
      '(cn=ab*)',
      '(cn=*ab)',
      '(x>=5)',
      '(x<=5)',
      '(x~=y)',
      '(userAccountControl:1.2.840.113556.1.4.803:=2)',
      '(cn:dn:2.5.13.5:=x)',
      '(:2.5.13.5:=x)',
      '(cn=\\2a\\28\\29\\5c)',
    ];
    for (const text of filters) expect(encode(new WireFilter(parseFilter(text))), text).toBe(encode(FilterParser.parseString(text)));
  });

  it('sends the UTF-8 bytes of an escaped non-ASCII value once (ldapts string parsing would double-encode)', () => {
    const hex = encode(new WireFilter(parseFilter('(cn=\\c3\\a9)')));
    // a3 (equalityMatch) len, 04 02 "cn", 04 02 c3 a9
    expect(hex).toBe('a3080402636e0402c3a9');
    const decoded = FilterParser.parse(new BerReader(Buffer.from(hex, 'hex')));
    expect(decoded.toString()).toBe('(cn=é)');
    expect(encode(FilterParser.parseString('(cn=\\c3\\a9)'))).not.toBe(hex);
  });

  it('keeps a NUL byte inside the value', () => {
    expect(encode(new WireFilter(parseFilter('(cn=a\\00b)')))).toBe('a3090402636e0403610062');
  });
});

describe('buildUserFilter', () => {
  const base = '(objectCategory=person)(objectClass=user)';
  const enabledOnly = '(!(userAccountControl:1.2.840.113556.1.4.803:=2))';

  it('selects enabled user accounts by default', () => {
    expect(buildUserFilter().text).toBe(`(&${base}${enabledOnly})`);
  });

  it('drops the disabled-account clause with includeDisabled', () => {
    expect(buildUserFilter({ includeDisabled: true }).text).toBe(`(&${base})`);
  });

  it('ANDs a user filter after validating it', () => {
    expect(buildUserFilter({ filter: '(|(l=Paris)(l=Lyon))' }).text).toBe(`(&${base}${enabledOnly}(|(l=Paris)(l=Lyon)))`);
    expect(usageMessage(() => buildUserFilter({ filter: '(l=Paris' }))).toContain('--filter "(l=Paris" is not a valid LDAP filter: missing ")"');
  });

  it('matches nested group membership with the DN escaped', () => {
    const dn = 'CN=WorkSpaces Users,OU=Groups,DC=example,DC=test';
    expect(buildUserFilter({ memberOf: dn }).text).toBe(`(&${base}${enabledOnly}(memberOf:1.2.840.113556.1.4.1941:=${dn}))`);
    const hostile = 'CN=x*)(objectClass=*))(|(cn=\\\0é,DC=example,DC=test';
    const built = buildUserFilter({ memberOf: hostile });
    expect(built.text).toBe(
      `(&${base}${enabledOnly}(memberOf:1.2.840.113556.1.4.1941:=CN=x\\2a\\29\\28objectClass=\\2a\\29\\29\\28|\\28cn=\\5c\\00\\c3\\a9,DC=example,DC=test))`,
    );
    const last = built.node.kind === 'and' ? built.node.children.at(-1) : undefined;
    expect(last).toEqual({ kind: 'extensible', attribute: 'memberOf', dnAttributes: false, rule: '1.2.840.113556.1.4.1941', value: Buffer.from(hostile, 'utf8') });
    // The escaped text is itself a valid filter that means the same thing: no injection.
    expect(parseFilter(built.text)).toEqual(built.node);
  });

  it('refuses a memberOf value that is not a DN', () => {
    expect(usageMessage(() => buildUserFilter({ memberOf: 'WorkSpaces Users' }))).toContain('--member-of "WorkSpaces Users" is not a group DN');
  });
});
