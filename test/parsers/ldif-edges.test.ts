// Edges of the LDIF reader (issue 11, mutation testing): exact problems (line, code, severity, message), the limits
// at their boundaries, base64 and number forms, and how entries are classified.
import { describe, expect, it } from 'vitest';
import { LDIF_LIMITS, parseLdif, readLdifEntries } from '../../src/parsers/ldif.js';

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const parseText = (text: string) => parseLdif(utf8(text), 'test.ldif');
const lines = (...l: string[]) => l.join('\n');
const located = (r: { problems: { position?: unknown; code: string; severity: string; message: string }[] }) =>
  r.problems.map((p) => [p.position, p.code, p.severity, p.message]);

const ID = '{A0D4E1F2-3B4C-4D5E-8F90-123456789ABC}';
const GPC_DN = `CN=${ID},CN=Policies,CN=System,DC=example,DC=test`;
const gpc = (...attrs: string[]) => lines(`dn: ${GPC_DN}`, 'objectClass: groupPolicyContainer', `cn: ${ID}`, ...attrs);
const b64 = (text: string | Buffer) => (typeof text === 'string' ? utf8(text) : text).toString('base64');

describe('LDIF edges: the problems listed, and the count of the rest', () => {
  it('lists exactly the first 100 problems and counts the others from the line of the first one left out', () => {
    const junk = (n: number) => Array.from({ length: n }, (_, i) => `junk ${i}`).join('\n\n');
    expect(parseText(junk(LDIF_LIMITS.maxProblems)).problems).toHaveLength(LDIF_LIMITS.maxProblems);
    const { problems } = parseText(junk(LDIF_LIMITS.maxProblems + 2));
    expect(problems).toHaveLength(LDIF_LIMITS.maxProblems + 1);
    expect(problems[LDIF_LIMITS.maxProblems - 1]!.position).toEqual({ line: 2 * LDIF_LIMITS.maxProblems - 1 });
    expect(problems.at(-1)).toEqual({
      file: 'test.ldif', position: { line: 2 * LDIF_LIMITS.maxProblems + 1 }, code: 'skipped-entry', severity: 'warning',
      message: '2 more problems from this line on are not listed (only the first 100 are)',
    });
  });
});

describe('LDIF edges: lines, comments and records', () => {
  it('skips the folded continuation of a comment, and a BOM before the first line', () => {
    const r = parseText(lines('\uFEFF# a comment', ' that goes on', 'dn: OU=A,DC=example,DC=test', 'gPOptions: 1'));
    expect(r.problems).toEqual([]);
    expect(r.data.soms.map((s) => [s.dn, s.blockInheritance])).toEqual([['OU=A,DC=example,DC=test', true]]);
  });
  it('ends a comment at the next line: a line after a comment is read', () => {
    const r = parseText(lines('dn: OU=A,DC=example,DC=test', '# between', 'gPOptions: 1'));
    expect(r.problems).toEqual([]);
    expect(r.data.soms.map((s) => s.blockInheritance)).toEqual([true]);
  });
  it('treats a line holding only a tab as the end of a record (a line of spaces is a continuation)', () => {
    const r = parseText(lines('dn: OU=A,DC=example,DC=test', 'gPOptions: 1', '\t', 'dn: OU=B,DC=example,DC=test', 'gPOptions: 0'));
    expect(r.problems).toEqual([]);
    expect(r.data.soms.map((s) => s.dn)).toEqual(['OU=A,DC=example,DC=test', 'OU=B,DC=example,DC=test']);
  });
  it('says which line a continuation follows no line on, word for word', () => {
    expect(located(parseText(' orphan'))).toEqual([
      [{ line: 1 }, 'malformed', 'warning', 'a continuation line (starting with a space) follows no line it could continue; it is skipped'],
    ]);
  });
  it('reads a line of exactly the longest length, and refuses one character more with its line', () => {
    const max = LDIF_LIMITS.maxLineChars;
    const head = 'description: ';
    const exact = `${head}${'x'.repeat(max - head.length)}`;
    const over = `${exact}x`;
    const ok = readLdifEntries(lines('dn: OU=A,DC=example,DC=test', exact), 'e.ldif');
    expect(ok.problems).toEqual([]);
    expect(ok.entries[0]!.attributes.get('description')![0]!.text).toHaveLength(max - head.length);
    // The same length reached by folding: the first line and each continuation (without its space) count.
    const folded = readLdifEntries(lines('dn: OU=A,DC=example,DC=test', exact.slice(0, 500_000), ` ${exact.slice(500_000)}`), 'e.ldif');
    expect(folded.problems).toEqual([]);
    expect(folded.entries[0]!.attributes.get('description')![0]!.text).toBe(exact.slice(head.length));
    const message = 'the description line is longer than 1000000 characters; its value is not read';
    expect(located(readLdifEntries(lines('dn: OU=A,DC=example,DC=test', over), 'e.ldif'))).toEqual([[{ line: 2 }, 'too-large', 'warning', message]]);
    const foldedOver = readLdifEntries(lines('dn: OU=A,DC=example,DC=test', exact.slice(0, 500_000), ` ${over.slice(500_000)}`, 'gPOptions: 1'), 'e.ldif');
    expect(located(foldedOver)).toEqual([[{ line: 2 }, 'too-large', 'warning', message]]);
    expect([...foldedOver.entries[0]!.attributes.keys()]).toEqual(['description', 'gpoptions']);
    expect(foldedOver.entries[0]!.attributes.get('description')).toEqual([]);
  });
  it('reads the version line in any case and with spaces; warns about any other version with its line', () => {
    expect(parseText(lines('Version :  1', 'dn: OU=A,DC=example,DC=test', 'gPOptions: 1')).problems).toEqual([]);
    expect(located(parseText(lines('version: 1.0', '', 'dn: OU=A,DC=example,DC=test')))).toEqual([
      [{ line: 1 }, 'malformed', 'warning', 'LDIF version "1.0" is not 1; the file is read as version 1'],
    ]);
  });
  it('counts the lines of a skipped first entry without its version line', () => {
    expect(located(parseText(lines('version: 1', 'objectClass: top', 'gPOptions: 1')))).toEqual([
      [{ line: 2 }, 'malformed', 'warning', 'an entry must begin with "dn:", not "objectClass:"; its 2 line(s) are skipped'],
    ]);
    expect(located(parseText(lines('version: 1', 'no colon here', 'gPOptions: 1')))).toEqual([
      [{ line: 2 }, 'malformed', 'warning', 'an entry must begin with "dn: ...", not "no colon here"; its 2 line(s) are skipped'],
    ]);
    expect(located(parseText(lines('version: 1', `dn:: ${b64(Buffer.from([0xff]))}`, 'gPOptions: 1')))).toEqual([
      [{ line: 2 }, 'decode-error', 'warning', 'the DN is not UTF-8 text; its 2 line(s) are skipped'],
    ]);
  });
  it('reads a version line alone in the first block and a version line later as an attribute error', () => {
    const r = parseText(lines('version: 1', '', 'dn: OU=A,DC=example,DC=test', 'gPOptions: 1', '', 'version: 1'));
    expect(r.data.soms.map((s) => s.dn)).toEqual(['OU=A,DC=example,DC=test']);
    expect(located(r)).toEqual([
      [{ line: 6 }, 'malformed', 'warning', 'an entry must begin with "dn:", not "version:"; its 1 line(s) are skipped'],
    ]);
  });
  it('skips an entry whose DN is not UTF-8 text, saying how many lines', () => {
    const r = parseText(lines(`dn:: ${b64(Buffer.from([0xff, 0xfe, 0x41]))}`, 'gPOptions: 1', 'gPLink: x'));
    expect(located(r)).toEqual([[{ line: 1 }, 'decode-error', 'warning', 'the DN is not UTF-8 text; its 3 line(s) are skipped']]);
    expect(r.data.soms).toEqual([]);
  });
  it('reads a changetype of "Add" in any case after several controls', () => {
    const r = readLdifEntries(lines('dn: OU=A,DC=example,DC=test', 'control: 1.2.3 true', 'Control: 1.2.4', 'changeType:  ADD ', 'gPOptions: 1'), 'e.ldif');
    expect(r.problems).toEqual([]);
    expect(r.entries[0]!.changetype).toBe('add');
    expect([...r.entries[0]!.attributes.keys()]).toEqual(['gpoptions']);
  });
  it('gives one warning, not two, for a first line whose name is no attribute name', () => {
    expect(located(parseText(lines('bad name: x', 'gPOptions: 1')))).toEqual([
      [{ line: 1 }, 'malformed', 'warning', 'an entry must begin with "dn: ...", not "bad name: x"; its 2 line(s) are skipped'],
    ]);
  });
  it('does not read an entry whose changetype cannot be read', () => {
    const r = parseText(lines('dn: OU=A,DC=example,DC=test', 'changetype:: %%%%', 'gPOptions: 1'));
    expect(located(r)).toEqual([
      [{ line: 2 }, 'decode-error', 'warning', 'the base64 value of changetype is not valid base64; the value is skipped'],
      [{ line: 2 }, 'unsupported-format', 'warning', '"changetype: " entry for OU=A,DC=example,DC=test is not read: only the entries of an export (changetype add, or none) are'],
    ]);
    expect(r.data.soms).toEqual([]);
  });
  it('names a delete record word for word and reads nothing of it', () => {
    const r = parseText(lines('dn: OU=A,DC=example,DC=test', 'changetype: delete'));
    expect(located(r)).toEqual([
      [{ line: 2 }, 'unsupported-format', 'warning', '"changetype: delete" entry for OU=A,DC=example,DC=test is not read: only the entries of an export (changetype add, or none) are'],
    ]);
    expect(r.data.soms).toEqual([]);
  });
  it('sees the same DN in another case as a second appearance, with its line', () => {
    const r = parseText(lines('dn: OU=A,DC=example,DC=test', 'gPOptions: 1', '', 'dn: ou=a,dc=EXAMPLE,dc=test', 'gPOptions: 0'));
    expect(located(r)).toEqual([
      [{ line: 4 }, 'skipped-entry', 'warning', 'ou=a,dc=EXAMPLE,dc=test appears a second time; the first entry is read, this one is skipped'],
    ]);
    expect(r.data.soms.map((s) => s.blockInheritance)).toEqual([true]);
  });
  it('drops spaces after the DN, so the entry is the same container as without them', () => {
    const r = parseText(lines('dn: OU=A,DC=example,DC=test  ', 'gPOptions: 1', '', 'dn:    OU=A,DC=example,DC=test', 'gPOptions: 0'));
    expect(r.data.soms.map((s) => [s.dn, s.blockInheritance])).toEqual([['OU=A,DC=example,DC=test', true]]);
    expect(located(r)).toEqual([[{ line: 4 }, 'skipped-entry', 'warning', 'OU=A,DC=example,DC=test appears a second time; the first entry is read, this one is skipped']]);
  });
  it('says word for word why a second dn: line ends the entry', () => {
    expect(located(parseText(lines('dn: OU=A,DC=example,DC=test', 'dn: OU=B,DC=example,DC=test')))).toEqual([
      [{ line: 2 }, 'malformed', 'warning', 'a second "dn:" line inside the entry OU=A,DC=example,DC=test (a blank line missing?); it and the lines after it up to the next blank line are skipped'],
    ]);
  });
});

describe('LDIF edges: result records and a BOM in text', () => {
  it('skips every kind of ldapsearch result record without a word', () => {
    const r = readLdifEntries(lines('# comment', 'search: 2', 'result: 0 Success', '', 'ref: ldap://other/DC=x', '', 'text: done', '', 'matchedDN: DC=x', '', 'control: 1.2.3', '', 'dn: o=a'), 'e.ldif');
    expect(r.problems).toEqual([]);
    expect(r.entries.map((e) => e.dn)).toEqual(['o=a']);
  });
  it('drops a byte order mark at the start of text handed in already decoded', () => {
    const r = readLdifEntries('\uFEFFdn: o=a\ndescription: x', 'e.ldif');
    expect(r.problems).toEqual([]);
    expect(r.entries.map((e) => [e.dn, e.attributes.get('description')![0]!.text])).toEqual([['o=a', 'x']]);
  });
});

describe('LDIF edges: attribute lines', () => {
  it('accepts names with digits and hyphens and numeric OIDs; refuses a name that starts with a digit and has letters', () => {
    const r = readLdifEntries(lines('dn: OU=A,DC=example,DC=test', 'ms-DS-Attr2: a', '1.2.840.113556: b', '2x: c', 'bad name: d', 'x;: e'), 'e.ldif');
    expect([...r.entries[0]!.attributes.entries()].map(([k, v]) => [k, v.map((x) => x.text)])).toEqual([['ms-ds-attr2', ['a']], ['1.2.840.113556', ['b']]]);
    expect(located(r)).toEqual([
      [{ line: 4 }, 'malformed', 'warning', '"2x" is not an attribute name; the line is skipped'],
      [{ line: 5 }, 'malformed', 'warning', '"bad name" is not an attribute name; the line is skipped'],
      [{ line: 6 }, 'malformed', 'warning', '"x;" is not an attribute name; the line is skipped'],
    ]);
  });
  it('reads an attribute name with spaces before the colon, and calls a line starting with a colon a missing name', () => {
    const r = readLdifEntries(lines('dn: OU=A,DC=example,DC=test', 'gPOptions : 1', ': orphan value'), 'e.ldif');
    expect(r.entries[0]!.attributes.get('gpoptions')).toEqual([{ text: '1', line: 2 }]);
    expect(located(r)).toEqual([[{ line: 3 }, 'malformed', 'warning', '"" is not an attribute name; the line is skipped']]);
  });
  it('says word for word that a line has no colon, quoting at most 100 characters', () => {
    const long = 'y'.repeat(101);
    const r = readLdifEntries(lines('dn: OU=A,DC=example,DC=test', 'x'.repeat(100), long), 'e.ldif');
    expect(located(r)).toEqual([
      [{ line: 2 }, 'malformed', 'warning', `line without a colon ("${'x'.repeat(100)}"): not "name: value"; it is skipped`],
      [{ line: 3 }, 'malformed', 'warning', `line without a colon ("${'y'.repeat(100)}…"): not "name: value"; it is skipped`],
    ]);
  });
  it('notes each option once whatever its case, on the line it first appears, and keeps the name without options', () => {
    const r = readLdifEntries(lines('dn: OU=A,DC=example,DC=test', 'description;lang-de;Binary: a', 'description;LANG-DE: b', 'gPOptions;binary: 1'), 'e.ldif');
    expect(located(r)).toEqual([
      [{ line: 2 }, 'skipped-entry', 'warning', 'attribute option ";lang-de" (first on description;lang-de;Binary) is ignored: values are read as if it were absent'],
      [{ line: 2 }, 'skipped-entry', 'warning', 'attribute option ";Binary" (first on description;lang-de;Binary) is ignored: values are read as if it were absent'],
    ]);
    expect([...r.entries[0]!.attributes.entries()].map(([k, v]) => [k, v.map((x) => x.text)])).toEqual([['description', ['a', 'b']], ['gpoptions', ['1']]]);
  });
  it('drops the spaces after the colon but keeps tabs and trailing spaces; an empty value is the empty text', () => {
    const r = readLdifEntries(lines('dn: OU=A,DC=example,DC=test', 'a:   x y  ', 'b:\tz', 'c:'), 'e.ldif');
    const get = (n: string) => r.entries[0]!.attributes.get(n)![0]!.text;
    expect([get('a'), get('b'), get('c')]).toEqual(['x y  ', '\tz', '']);
  });
  it('names a URL value and does not fetch it', () => {
    const r = readLdifEntries(lines('dn: OU=A,DC=example,DC=test', 'description:<  file:///etc/passwd '), 'e.ldif');
    expect(located(r)).toEqual([
      [{ line: 2 }, 'unsupported-format', 'warning', 'description takes its value from a URL (file:///etc/passwd); gpaudit never fetches one, so the value is skipped'],
    ]);
    expect(r.entries[0]!.attributes.get('description')).toEqual([]);
  });
});

describe('LDIF edges: base64', () => {
  const value = (encoded: string) => {
    const r = readLdifEntries(lines('dn: OU=A,DC=example,DC=test', `description:: ${encoded}`), 'e.ldif');
    return { value: r.entries[0]!.attributes.get('description')![0], problems: located(r) };
  };
  const bad = [[{ line: 2 }, 'decode-error', 'warning', 'the base64 value of description is not valid base64; the value is skipped']];

  it('decodes one, two and three bytes in the last group, and every character of the alphabet', () => {
    expect(value('YQ==').value).toEqual({ text: 'a', line: 2 });
    expect(value('YWI=').value).toEqual({ text: 'ab', line: 2 });
    expect(value('YWJj').value).toEqual({ text: 'abc', line: 2 });
    expect(value('  YWJjZA==  ').value).toEqual({ text: 'abcd', line: 2 });
    expect(value('').value).toEqual({ text: '', line: 2 });
    const all = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'base64');
    const r = readLdifEntries(lines('dn: OU=A,DC=example,DC=test', `objectSid:: ${all.toString('base64')}`), 'e.ldif');
    expect(r.entries[0]!.attributes.get('objectsid')![0]!.bytes).toEqual(new Uint8Array(all));
  });
  it('refuses a length that is no multiple of 4, padding in the middle, three "=" and characters outside the alphabet', () => {
    for (const s of ['YWJ', 'YQ=', 'YQ==YWJj', 'YQ==YQ==', 'Y===', 'YW-j', 'YW_j', 'YWJé', 'YW\u0080j', 'YW\u0100j', 'YW*j']) expect(value(s), s).toEqual({ value: undefined, problems: bad });
  });
  it('keeps the bytes only of objectSid and nTSecurityDescriptor, and marks bytes that are not UTF-8 as binary', () => {
    const r = readLdifEntries(
      lines('dn: OU=A,DC=example,DC=test', `objectSid:: ${b64('sid')}`, `NTSecurityDescriptor:: ${b64(Buffer.from([0xff]))}`, `objectGUID:: ${b64(Buffer.from([0xff]))}`, `cn:: ${b64('name')}`),
      'e.ldif',
    );
    const a = r.entries[0]!.attributes;
    expect(a.get('objectsid')).toEqual([{ text: 'sid', line: 2, bytes: new Uint8Array(utf8('sid')) }]);
    expect(a.get('ntsecuritydescriptor')).toEqual([{ line: 3, binary: true, bytes: new Uint8Array([0xff]) }]);
    expect(a.get('objectguid')).toEqual([{ line: 4, binary: true }]);
    expect(a.get('cn')).toEqual([{ text: 'name', line: 5 }]);
  });
});

describe('LDIF edges: numbers and single-valued attributes', () => {
  const read = (...attrs: string[]) => parseText(gpc(...attrs));
  it('reads flags and versionNumber at the ends of the signed and unsigned 32-bit range, with a sign', () => {
    expect(read('flags: +3', 'versionNumber: 4294967295').data.gpcs).toEqual([{ id: ID, flags: 3, version: { user: 0xffff, computer: 0xffff } }]);
    expect(read('flags: 0', 'versionNumber: -2147483648').data.gpcs).toEqual([{ id: ID, flags: 0, version: { user: 0x8000, computer: 0 } }]);
    expect(read('flags: 1', 'versionNumber:  0000000007 ').data.gpcs).toEqual([{ id: ID, flags: 1, version: { user: 0, computer: 7 } }]);
  });
  it('skips a GPO whose versionNumber is one past either end, or has 11 digits, saying so with its line', () => {
    for (const v of ['4294967296', '-2147483649', '00000000001', '1.5', '']) {
      const r = read('flags: 0', `versionNumber: ${v}`);
      expect(r.data.gpcs, v).toEqual([]);
      const reason = `versionNumber "${v}" is not a number`;
      expect(r.data.skipped).toEqual([{ dn: GPC_DN, reason }]);
      expect(located(r)).toEqual([[{ line: 5 }, 'skipped-entry', 'warning', `groupPolicyContainer ${GPC_DN} is skipped: ${reason}`]]);
    }
  });
  it('skips a GPO whose flags cannot be read (binary), at the entry\'s line', () => {
    const r = read(`flags:: ${b64(Buffer.from([0xff]))}`, 'versionNumber: 1');
    expect(located(r)).toEqual([
      [{ line: 4 }, 'decode-error', 'warning', `${GPC_DN}: flags is not UTF-8 text; it is not read`],
      [{ line: 1 }, 'skipped-entry', 'warning', `groupPolicyContainer ${GPC_DN} is skipped: its flags could not be read`],
    ]);
    expect(r.data.skipped).toEqual([{ dn: GPC_DN, reason: 'its flags could not be read' }]);
  });
  it('says a GPO without versionNumber is read as never edited, at the entry\'s line', () => {
    expect(located(read('flags: 2'))).toEqual([
      [{ line: 1 }, 'skipped-entry', 'warning', `groupPolicyContainer ${GPC_DN} has no versionNumber: read as 0, both sides never edited (empty)`],
    ]);
  });
  it('reads the first of two displayNames, saying so at the second one\'s line; trims name and path, drops blank ones', () => {
    const r = read('versionNumber: 1', 'displayName:  First ', 'displayName: Second', 'gPCFileSysPath:  \\\\d\\sysvol\\p ');
    expect(r.data.gpcs).toEqual([{ id: ID, flags: 0, version: { user: 0, computer: 1 }, name: 'First', fileSysPath: '\\\\d\\sysvol\\p' }]);
    expect(located(r)).toEqual([[{ line: 6 }, 'malformed', 'warning', `${GPC_DN}: displayName has 2 values; the first is read`]]);
    const blank = read('versionNumber: 1', 'displayName:   ', 'gPCFileSysPath: ', 'gPCWQLFilter:   ');
    expect(blank.problems).toEqual([]);
    expect(blank.data.gpcs).toEqual([{ id: ID, flags: 0, version: { user: 0, computer: 1 } }]);
  });
  it('takes a lower-case or unbraced cn as the GPO id; names the cn when it is no GUID', () => {
    const lower = parseText(lines(`dn: ${GPC_DN}`, 'objectClass: groupPolicyContainer', `cn: ${ID.slice(1, -1).toLowerCase()}`, 'versionNumber: 1'));
    expect(lower.data.gpcs.map((g) => g.id)).toEqual([ID]);
    const noGuid = parseText(lines('dn: CN=Policy,CN=Policies,CN=System,DC=example,DC=test', 'objectClass: groupPolicyContainer', 'versionNumber: 1'));
    expect(located(noGuid)).toEqual([
      [{ line: 1 }, 'skipped-entry', 'warning', 'groupPolicyContainer CN=Policy,CN=Policies,CN=System,DC=example,DC=test is skipped: its cn "Policy" is not a {GUID}'],
    ]);
    const ouFirst = parseText(lines(`dn: OU=${ID},DC=example,DC=test`, 'objectClass: groupPolicyContainer', 'versionNumber: 1'));
    expect(ouFirst.data.gpcs).toEqual([]);
    expect(ouFirst.data.skipped).toEqual([{ dn: `OU=${ID},DC=example,DC=test`, reason: 'its cn "' + ID + '" is not a {GUID}' }]);
  });
  it('names the attribute, as written in AD, that has a second value', () => {
    const r = read('cn: second', 'versionNumber: 1', 'versionNumber: 2', 'gPCFileSysPath: \\\\a', 'gPCFileSysPath: \\\\b', 'gPCWQLFilter: x', 'gPCWQLFilter: y');
    expect(located(r)).toEqual([
      [{ line: 4 }, 'malformed', 'warning', `${GPC_DN}: cn has 2 values; the first is read`],
      [{ line: 6 }, 'malformed', 'warning', `${GPC_DN}: versionNumber has 2 values; the first is read`],
      [{ line: 8 }, 'malformed', 'warning', `${GPC_DN}: gPCFileSysPath has 2 values; the first is read`],
      [{ line: 10 }, 'malformed', 'warning', `${GPC_DN}: gPCWQLFilter has 2 values; the first is read`],
      [{ line: 9 }, 'malformed', 'warning', `${GPC_DN}: gPCWQLFilter "x" is not [domain;{GUID};0]; the GPO is still read as WMI-filtered`],
    ]);
    const som = parseText(lines('dn: OU=A,DC=example,DC=test', 'gPLink: ', 'gPLink: x'));
    expect(located(som)).toEqual([[{ line: 3 }, 'malformed', 'warning', 'OU=A,DC=example,DC=test: gPLink has 2 values; the first is read']]);
  });
  it('takes the GPO id from the DN when cn is empty or no GUID; an empty DN and no cn is named as ""', () => {
    const empty = parseText(lines(`dn: ${GPC_DN}`, 'objectClass: groupPolicyContainer', 'cn:', 'versionNumber: 1'));
    expect(empty.data.gpcs.map((g) => g.id)).toEqual([ID]);
    const named = parseText(lines(`dn: ${GPC_DN}`, 'objectClass: groupPolicyContainer', 'cn: Policy', 'versionNumber: 1'));
    expect(named.data.gpcs.map((g) => g.id)).toEqual([ID]);
    const root = parseText(lines('dn:', 'objectClass: groupPolicyContainer', 'versionNumber: 1'));
    expect(root.data.skipped).toEqual([{ dn: '', reason: 'its cn "" is not a {GUID}' }]);
  });
  it('reads a GPO whose objectClass value is not text (binary) as no class, without failing', () => {
    const r = parseText(lines(`dn: ${GPC_DN}`, `objectClass:: ${b64(Buffer.from([0xff]))}`, 'objectClass: groupPolicyContainer', 'versionNumber: 1'));
    expect(r.problems).toEqual([]);
    expect(r.data.gpcs.map((g) => g.id)).toEqual([ID]);
  });
  it('reads a WMI filter of blanks only (base64) as no filter', () => {
    const r = read('versionNumber: 1', `gPCWQLFilter:: ${b64(' \t ')}`);
    expect(r.problems).toEqual([]);
    expect(r.data.gpcs).toEqual([{ id: ID, flags: 0, version: { user: 0, computer: 1 } }]);
  });
  it('recognises the class groupPolicyContainer in any case and with spaces', () => {
    const r = parseText(lines(`dn: ${GPC_DN}`, 'objectClass:  GROUPPOLICYCONTAINER ', 'versionNumber: 1'));
    expect(r.data.gpcs.map((g) => g.id)).toEqual([ID]);
  });
  it('reads each side\'s extension list, an empty one as no extensions, and says where a damaged one stops', () => {
    const REG = '{35378EAC-683F-11D2-A89A-00C04FBBCFA2}';
    const r = read('versionNumber: 1', `gPCMachineExtensionNames: [${REG}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]`, 'gPCUserExtensionNames: ');
    expect(r.problems).toEqual([]);
    expect(r.data.gpcs[0]!.extensions).toEqual({ computer: [REG], user: [] });
    const damaged = read('versionNumber: 1', 'gPCMachineExtensionNames: x');
    expect(located(damaged)).toEqual([[{ line: 5 }, 'malformed', 'warning', `${GPC_DN}: gPCMachineExtensionNames has "x" where "[" was expected; the extensions before it are read`]]);
    expect(damaged.data.gpcs[0]!.extensions).toEqual({ computer: [] });
  });
  it('reads a WMI filter reference, and keeps a malformed one as the filter id, saying so', () => {
    const F = '{1F2E3D4C-5B6A-4978-8A9B-0C1D2E3F4A5B}';
    expect(read('versionNumber: 1', `gPCWQLFilter: [example.test;${F};0]`).data.gpcs[0]!.wmiFilter).toEqual({ id: F });
    const odd = read('versionNumber: 1', 'gPCWQLFilter:  odd ');
    expect(odd.data.gpcs[0]!.wmiFilter).toEqual({ id: 'odd' });
    expect(located(odd)).toEqual([[{ line: 5 }, 'malformed', 'warning', `${GPC_DN}: gPCWQLFilter "odd " is not [domain;{GUID};0]; the GPO is still read as WMI-filtered`]]);
  });
});

describe('LDIF edges: containers, gPLink and gPOptions', () => {
  const L = (n: number) => `[LDAP://cn={${String(n).padStart(8, '0')}-0000-4000-8000-000000000000},cn=policies,cn=system,DC=example,DC=test;0]`;
  it('keeps an OU, domain or site without gPLink as a container with no links; skips other entries without either', () => {
    const r = parseText(lines(
      'dn: OU=Empty,DC=example,DC=test', 'objectClass: top', 'objectClass:  OrganizationalUnit ', '',
      'dn: DC=example,DC=test', 'objectClass: domainDNS', '',
      'dn: CN=Hq,CN=Sites,CN=Configuration,DC=example,DC=test', 'objectClass: site', '',
      'dn: CN=Users,DC=example,DC=test', 'objectClass: container', '',
      'dn: CN=Hq2,CN=Sites,CN=Configuration,DC=example,DC=test', 'gPLink: ',
    ));
    expect(r.problems).toEqual([]);
    expect(r.data.soms).toEqual([
      { kind: 'ou', dn: 'OU=Empty,DC=example,DC=test', links: [], blockInheritance: false },
      { kind: 'domain', dn: 'DC=example,DC=test', links: [], blockInheritance: false },
      { kind: 'site', dn: 'CN=Hq,CN=Sites,CN=Configuration,DC=example,DC=test', links: [], blockInheritance: false },
      { kind: 'site', dn: 'CN=Hq2,CN=Sites,CN=Configuration,DC=example,DC=test', links: [], blockInheritance: false },
    ]);
  });
  it('calls a DN an OU when a site path is incomplete or something other than DC= follows the first DC=', () => {
    const dns = ['CN=Hq,OU=Sites,OU=Configuration,DC=example,DC=test', 'CN=Sites,CN=Configuration,DC=example,DC=test', 'CN=Hq,CN=Other,CN=Configuration,DC=example,DC=test', 'CN=Hq,CN=Sites,CN=Other,DC=example,DC=test', 'DC=example,OU=x,DC=test', 'CN=Hq,CN=SITES,CN=configuration,DC=test'];
    const r = parseText(dns.map((dn) => `dn: ${dn}\ngPOptions: 0\n`).join('\n'));
    expect(r.data.soms.map((s) => s.kind)).toEqual(['ou', 'ou', 'ou', 'ou', 'ou', 'site']);
  });
  it('reads gPOptions 2 as not blocking and 3 as blocking (bit 0 only)', () => {
    const r = parseText(lines('dn: OU=A,DC=example,DC=test', 'gPOptions: 2', '', 'dn: OU=B,DC=example,DC=test', 'gPOptions: 3'));
    expect(r.data.soms.map((s) => s.blockInheritance)).toEqual([false, true]);
  });
  it('leaves blocking unknown without a second word when gPOptions cannot be read', () => {
    const r = parseText(lines('dn: OU=A,DC=example,DC=test', 'gPOptions:< file:///x'));
    expect(located(r)).toEqual([[{ line: 2 }, 'unsupported-format', 'warning', 'gPOptions takes its value from a URL (file:///x); gpaudit never fetches one, so the value is skipped']]);
    expect(r.data.soms).toEqual([{ kind: 'ou', dn: 'OU=A,DC=example,DC=test', links: [] }]);
  });
  it('lists at most three gPLink errors in the reason and counts the others', () => {
    const bad = (n: string) => `[LDAP://cn=${n},DC=example,DC=test;0]`;
    const r = parseText(lines('dn: OU=A,DC=example,DC=test', `gPLink: ${bad('a')}${bad('b')}${bad('c')}${bad('d')}${bad('e')}`));
    const errs = ['a', 'b', 'c', 'd', 'e'].map((n) => `link "${bad(n)}" does not name a GPO by {GUID}`);
    expect(r.data.skipped).toEqual([{ dn: 'OU=A,DC=example,DC=test', reason: `gPLink does not parse: ${errs.slice(0, 3).join('; ')} (and 2 more)` }]);
    expect(located(r)).toEqual(errs.map((e) => [{ line: 2 }, 'malformed', 'warning', `OU=A,DC=example,DC=test: gPLink ${e}`]));
    const three = parseText(lines('dn: OU=A,DC=example,DC=test', `gPLink: ${bad('a')}${bad('b')}${bad('c')}`));
    expect(three.data.skipped[0]!.reason).toBe(`gPLink does not parse: ${errs.slice(0, 3).join('; ')}`);
  });
  it('drops the text before a stray "[" inside a link, names the first example (40 characters), and counts the links', () => {
    const one = parseText(lines('dn: OU=A,DC=example,DC=test', `gPLink: [junk${L(1)}`));
    expect(one.data.soms[0]!.links.map((l) => l.gpoId)).toEqual(['{00000001-0000-4000-8000-000000000000}']);
    expect(located(one)).toEqual([[{ line: 2 }, 'malformed', 'warning', 'OU=A,DC=example,DC=test: gPLink has "[" inside one link; the text before the last "[" is dropped (first: "[junk")']]);
    const long = `[${'j'.repeat(45)}`;
    const two = parseText(lines('dn: OU=A,DC=example,DC=test', `gPLink: ${long}${L(1)}[x${L(2)}`));
    expect(two.data.soms[0]!.links).toHaveLength(2);
    expect(located(two)).toEqual([[{ line: 2 }, 'malformed', 'warning', `OU=A,DC=example,DC=test: gPLink has "[" inside 2 links; the text before the last "[" is dropped (first: "${long.slice(0, 40)}…")`]]);
  });
  it('reports text before a link\'s only "[" as unreadable text, not as a "[" inside a link', () => {
    const r = parseText(lines('dn: OU=A,DC=example,DC=test', `gPLink: x${L(1)}`));
    expect(r.data.soms[0]!.links.map((l) => l.gpoId)).toEqual(['{00000001-0000-4000-8000-000000000000}']);
    expect(located(r)).toEqual([[{ line: 2 }, 'malformed', 'warning', 'OU=A,DC=example,DC=test: gPLink unreadable text in gPLink: "x"']]);
  });
  it('does not call a link starting with "[" damaged, nor a piece without "["', () => {
    const r = parseText(lines('dn: OU=A,DC=example,DC=test', `gPLink: ${L(1)}${L(2)}`));
    expect(r.problems).toEqual([]);
    expect(r.data.soms[0]!.links.map((l) => l.linkOrder)).toEqual([2, 1]);
  });
});

describe('LDIF edges: the domain SID', () => {
  const SID = Buffer.from('010400000000000515000000dcf4dc3b833d2b46828ba628', 'hex');
  const SD_NO_DACL = Buffer.from('0100008000000000000000000000000000000000', 'hex');
  it('keeps a descriptor without SE_DACL_PRESENT as a NULL DACL (everyone may apply the GPO)', () => {
    const r = parseText(gpc('versionNumber: 1', `nTSecurityDescriptor:: ${SD_NO_DACL.toString('base64')}`));
    expect(r.problems).toEqual([]);
    expect(r.security).toEqual({ dacls: new Map([[ID, null]]) });
  });
  it('names what is wrong with a descriptor that does not decode, word for word', () => {
    const r = parseText(gpc('versionNumber: 1', `nTSecurityDescriptor:: ${SD_NO_DACL.subarray(0, 10).toString('base64')}`));
    expect(located(r)).toEqual([[
      { line: 5 }, 'malformed', 'warning',
      `${GPC_DN}: nTSecurityDescriptor is not read: security descriptor is 10 bytes; the header alone needs 20; security filtering of this GPO is unknown`,
    ]]);
    expect(r.data.gpcs.map((g) => g.id)).toEqual([ID]);
  });
  it('refuses the whole descriptor when any part is damaged, even with a readable DACL, naming every fault', () => {
    // Owner and group offsets (4) point into the 20-byte header; the DACL at 20 is an empty, valid ACL.
    const SD = Buffer.from('01000484' + '04000000' + '04000000' + '00000000' + '14000000' + '0200080000000000', 'hex');
    const r = parseText(gpc('versionNumber: 1', `nTSecurityDescriptor:: ${SD.toString('base64')}`));
    expect(located(r)).toEqual([[
      { line: 5 }, 'malformed', 'warning',
      `${GPC_DN}: nTSecurityDescriptor is not read: owner: offset 4 points into the header; group: offset 4 points into the header; security filtering of this GPO is unknown`,
    ]]);
    expect(r.security).toBeUndefined();
  });
  it('takes the domain SID from the domainDNS head, not from another entry with an objectSid', () => {
    const SD = Buffer.from('01000484000000000000000000000000140000000200080000000000', 'hex');
    const OTHER = Buffer.from('010500000000000515000000010000000200000003000000e9030000', 'hex');
    const r = parseText(lines(
      'dn: DC=example,DC=test', 'objectClass: domainDNS', `objectSid:: ${SID.toString('base64')}`, '',
      'dn: CN=Someone,CN=Users,DC=example,DC=test', 'objectClass: user', `objectSid:: ${OTHER.toString('base64')}`, '',
      gpc('versionNumber: 1', `nTSecurityDescriptor:: ${SD.toString('base64')}`),
    ));
    expect(r.problems).toEqual([]);
    expect(r.security?.domainSid).toBe('S-1-5-21-1004336348-1177238915-682003330');
  });
  it('says an objectSid that is not a SID leaves the domain SID unknown, at its line', () => {
    const SD = Buffer.from('01000484000000000000000000000000140000000200080000000000', 'hex');
    const r = parseText(lines('dn: DC=example,DC=test', 'objectClass: domainDNS', `objectSid:: ${b64('xx')}`, '', gpc('versionNumber: 1', `nTSecurityDescriptor:: ${SD.toString('base64')}`)));
    expect(located(r)).toEqual([[{ line: 3 }, 'malformed', 'warning', 'DC=example,DC=test: objectSid is not a SID; Domain Computers is then recognised from the GPOs\' own ACLs']]);
    expect(r.security).toEqual({ dacls: new Map([[ID, []]]) });
    const good = parseText(lines('dn: DC=example,DC=test', 'objectClass: domainDNS', `objectSid:: ${SID.toString('base64')}`, '', gpc('versionNumber: 1', `nTSecurityDescriptor:: ${SD.toString('base64')}`)));
    expect(good.problems).toEqual([]);
    expect(good.security?.domainSid).toBe('S-1-5-21-1004336348-1177238915-682003330');
  });
});
