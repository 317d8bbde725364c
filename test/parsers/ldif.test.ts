import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LDIF_LIMITS, parseLdif, readLdifEntries } from '../../src/parsers/ldif.js';
import type { GpoLinkEntry, GroupPolicyContainer, ScopeOfManagement } from '../../src/model/gpo-links.js';
import { detectFormat } from '../../src/pipeline/detect.js';
import { describeCorpus, REALDATA } from '../helpers/realdata.js';

const FIXTURES = 'test/fixtures/ldif';
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const parseText = (text: string) => parseLdif(utf8(text), 'test.ldif');

const DDP = '{31B2F340-016D-11D2-945F-00C04FB984F9}';
const DDCP = '{6AC1786C-016F-11D2-945F-00C04FB984F9}';
const BASE = '{5B1E0C57-6A1D-4B7E-9E21-2F0C3A4D5E6F}';
const LOOP = '{A0D4E1F2-3B4C-4D5E-8F90-123456789ABC}';
const SITE = '{0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9}';
const SECEDIT = '{827D319E-6EAC-11D2-A4EA-00C04F79F83A}';
const REGISTRY = '{35378EAC-683F-11D2-A89A-00C04FBBCFA2}';
const EFS = '{B1BE8D72-6EAC-11D2-A4EA-00C04F79F83A}';

function link(gpoId: string, gpoDn: string, options: number, linkOrder: number): GpoLinkEntry {
  return { gpoId, gpoDn, disabled: (options & 1) !== 0, enforced: (options & 2) !== 0, linkOrder };
}

describe('parseLdif: an ldifde -u -f export (UTF-16LE with BOM, CRLF, changetype add, folded at 80 columns)', () => {
  const { data, problems } = parseLdif(fixture('ldifde-unicode.ldf'), 'ldifde-unicode.ldf');
  const D = 'DC=example,DC=test';
  const upper = (g: string) => `CN=${g},CN=Policies,CN=System,${D}`;
  const lower = (g: string) => `cn=${g},cn=policies,cn=system,${D}`;

  it('reads it without a problem (the binary objectGUID:: is kept, not reported)', () => {
    expect(problems).toEqual([]);
    expect(data.skipped).toEqual([]);
  });

  it('finds the domain head, two OUs (one with a non-ASCII name), a nested OU and a site, with their links', () => {
    const expected: ScopeOfManagement[] = [
      { kind: 'domain', dn: D, links: [link(DDP, upper(DDP), 0, 1)], blockInheritance: false },
      { kind: 'ou', dn: `OU=Domain Controllers,${D}`, links: [link(DDCP, upper(DDCP), 0, 1)], blockInheritance: false },
      {
        kind: 'ou',
        dn: `OU=WorkSpaces,${D}`,
        // The first entry of gPLink has the highest link order number; the last is link order 1.
        links: [link(LOOP, lower(LOOP.toLowerCase()), 2, 2), link(BASE, lower(BASE), 0, 1)],
        blockInheritance: true,
      },
      { kind: 'ou', dn: `OU=Büro Köln,OU=WorkSpaces,${D}`, links: [link(BASE, lower(BASE), 1, 1)], blockInheritance: false },
      { kind: 'site', dn: `CN=Default-First-Site-Name,CN=Sites,CN=Configuration,${D}`, links: [link(SITE, lower(SITE), 3, 1)], blockInheritance: false },
    ];
    expect(data.soms).toEqual(expected);
  });

  it('reads every groupPolicyContainer: id, name, flags, split version, path, WMI filter, extensions per side', () => {
    const path = (sysvol: string, g: string) => `\\\\example.test\\${sysvol}\\example.test\\Policies\\${g}`;
    const expected: GroupPolicyContainer[] = [
      {
        id: DDP,
        name: 'Default Domain Policy',
        flags: 0,
        version: { user: 0, computer: 3 },
        fileSysPath: path('sysvol', DDP),
        extensions: { computer: [REGISTRY, SECEDIT, EFS] },
      },
      {
        id: DDCP,
        name: 'Default Domain Controllers Policy',
        flags: 0,
        version: { user: 0, computer: 1 },
        fileSysPath: path('sysvol', DDCP),
        extensions: { computer: [SECEDIT] },
      },
      {
        id: BASE,
        name: 'WorkSpaces Baseline',
        flags: 1,
        version: { user: 1, computer: 5 },
        fileSysPath: path('SysVol', BASE),
        wmiFilter: { id: '{D3C2B1A0-9F8E-4D7C-B6A5-0123456789AB}' },
        // The all-zero "CSE" (the list of editor tools) is not an extension with settings.
        extensions: { computer: [REGISTRY], user: [REGISTRY] },
      },
      {
        id: LOOP,
        name: 'WorkSpaces Loopback (Zusammenführen)',
        flags: 2,
        version: { user: 3, computer: 0 },
        fileSysPath: path('SysVol', LOOP),
        extensions: { user: [REGISTRY] },
      },
      { id: SITE, name: 'Site Proxy', flags: 0, version: { user: 0, computer: 1 } },
    ];
    expect(data.gpcs).toEqual(expected);
  });

  it('is still labelled an LDIF directory export by detection (audit and settings do not read it)', () => {
    expect(detectFormat(fixture('ldifde-unicode.ldf'), 'export.ldf')).toMatchObject({ kind: 'unsupported', what: 'LDIF directory export' });
  });
});

describe('parseLdif: an ldapsearch -LLL -o ldif-wrap=no export (UTF-8, no version line, dn:: for a non-ASCII DN)', () => {
  const { data, problems } = parseLdif(fixture('ldapsearch-nowrap.ldif'), 'ldapsearch-nowrap.ldif');
  const D = 'DC=samdom,DC=example,DC=com';
  const P = (g: string) => `CN=${g},CN=Policies,CN=System,${D}`;
  const HARDEN = '{9A4C2D10-5E6F-4A7B-8C9D-0E1F2A3B4C5D}';
  const LOCK = '{C7E8F9A0-1B2C-4D3E-9F4A-5B6C7D8E9F01}';
  const OLD = '{0B1C2D3E-4F5A-4B6C-8D7E-9F0A1B2C3D4E}';

  it('reads it without a problem', () => {
    expect(problems).toEqual([]);
    expect(data.skipped).toEqual([]);
  });

  it('finds the SOMs: three links in order, gPOptions alone, and a gPLink of one space (all links removed)', () => {
    expect(data.soms).toEqual([
      { kind: 'domain', dn: D, links: [link(DDP, P(DDP), 0, 1)], blockInheritance: false },
      { kind: 'ou', dn: `OU=WorkSpaces,${D}`, links: [link(HARDEN, P(HARDEN), 0, 3), link(LOCK, P(LOCK), 2, 2), link(OLD, P(OLD), 1, 1)], blockInheritance: false },
      { kind: 'ou', dn: `OU=Zürich,OU=WorkSpaces,${D}`, links: [], blockInheritance: true },
      { kind: 'ou', dn: `OU=Retired,${D}`, links: [], blockInheritance: false },
    ] satisfies ScopeOfManagement[]);
  });

  it('reads the GPCs, a versionNumber written negative (signed 32-bit) included', () => {
    expect(data.gpcs).toEqual([
      {
        id: DDP,
        name: 'Default Domain Policy',
        flags: 0,
        version: { user: 1, computer: 2 },
        fileSysPath: `\\\\samdom.example.com\\sysvol\\samdom.example.com\\Policies\\${DDP}`,
        extensions: { computer: [REGISTRY, SECEDIT], user: [REGISTRY] },
      },
      {
        id: HARDEN,
        name: 'WorkSpaces Hardening',
        flags: 0,
        version: { user: 0, computer: 12 },
        fileSysPath: `\\\\samdom.example.com\\sysvol\\samdom.example.com\\Policies\\${HARDEN}`,
        extensions: { computer: [REGISTRY] },
      },
      {
        id: LOCK,
        name: 'WorkSpaces Enforced Screen Lock',
        flags: 0,
        version: { user: 0xffff, computer: 1 },
        wmiFilter: { id: '{1F2E3D4C-5B6A-4978-8A9B-0C1D2E3F4A5B}' },
      },
    ] satisfies GroupPolicyContainer[]);
  });
});

describe('parseLdif: folded lines, base64 values and comments', () => {
  const { data, problems } = parseLdif(fixture('folded.ldif'), 'folded.ldif');

  it('unfolds DNs, base64 values and extension lists; reads attribute names in any case', () => {
    expect(problems).toEqual([]);
    expect(data.soms).toEqual([
      {
        kind: 'ou',
        dn: 'OU=Ωμέγα Desks,OU=WorkSpaces,DC=example,DC=test',
        links: [link(BASE, `cn=${BASE},cn=policies,cn=system,DC=example,DC=test`, 0, 1)],
        blockInheritance: true,
      },
    ] satisfies ScopeOfManagement[]);
    expect(data.gpcs).toEqual([
      {
        id: BASE,
        name: 'Richtlinie für Büros',
        flags: 3,
        version: { user: 2, computer: 2 },
        wmiFilter: { id: '{D3C2B1A0-9F8E-4D7C-B6A5-0123456789AB}' },
        extensions: { computer: [REGISTRY, SECEDIT] },
      },
    ] satisfies GroupPolicyContainer[]);
  });

  it('gives the same result from CRLF, UTF-8 with BOM and UTF-16LE with BOM', () => {
    const text = fixture('folded.ldif').toString('utf8');
    const crlf = text.replace(/\n/g, '\r\n');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(crlf)]);
    const u16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf, 'utf16le')]);
    for (const bytes of [utf8(crlf), bom, u16]) expect(parseLdif(bytes, 'f.ldif')).toEqual({ data, problems });
  });
});

// A good SOM before and a good GPC after each damaged entry: they must survive whatever is wrong in between.
const GOOD_BEFORE = ['dn: OU=Before,DC=example,DC=test', `gPLink: [LDAP://cn=${BASE},cn=policies,cn=system,DC=example,DC=test;0]`, ''];
const GOOD_AFTER = ['', `dn: CN=${DDP},CN=Policies,CN=System,DC=example,DC=test`, 'objectClass: groupPolicyContainer', `cn: ${DDP}`, 'versionNumber: 1'];
/** The damaged entry's lines start on line 4 (three lines of GOOD_BEFORE). */
const around = (...lines: string[]) => [...GOOD_BEFORE, ...lines, ...GOOD_AFTER].join('\n');
const GPC_HEAD = (cn: string) => [`dn: CN=${cn},CN=Policies,CN=System,DC=example,DC=test`, 'objectClass: top', 'objectClass: groupPolicyContainer', `cn: ${cn}`];

describe('parseLdif: each damaged entry gives one located problem and the rest of the file is read', () => {
  it.each([
    {
      what: 'a line without a colon',
      lines: ['dn: OU=Bad,DC=example,DC=test', 'gPOptions: 1', 'this line has no colon'],
      problem: { line: 6, code: 'malformed', message: /without a colon/ },
      som: { kind: 'ou', dn: 'OU=Bad,DC=example,DC=test', links: [], blockInheritance: true },
    },
    {
      what: 'bad base64',
      lines: [...GPC_HEAD(LOOP), 'displayName:: not*base64!', 'versionNumber: 2'],
      problem: { line: 8, code: 'decode-error', message: /displayName is not valid base64/ },
      gpc: { id: LOOP, flags: 0, version: { user: 0, computer: 2 } },
    },
    {
      what: 'a GPC whose cn is no GUID',
      lines: ['dn: CN=Not a GPO,CN=Policies,CN=System,DC=example,DC=test', 'objectClass: groupPolicyContainer', 'cn: Not a GPO'],
      problem: { line: 6, code: 'skipped-entry', message: /cn "Not a GPO" is not a \{GUID\}/ },
      skipped: { dn: 'CN=Not a GPO,CN=Policies,CN=System,DC=example,DC=test', reason: 'its cn "Not a GPO" is not a {GUID}' },
    },
    {
      what: 'a versionNumber that is no number',
      lines: [...GPC_HEAD(LOOP), 'versionNumber: twelve'],
      problem: { line: 8, code: 'skipped-entry', message: /versionNumber "twelve" is not a number/ },
      skipped: { dn: `CN=${LOOP},CN=Policies,CN=System,DC=example,DC=test`, reason: expect.stringMatching(/versionNumber "twelve"/) },
    },
    {
      what: 'flags that are no number',
      lines: [...GPC_HEAD(LOOP), 'flags: 0x2', 'versionNumber: 1'],
      problem: { line: 8, code: 'skipped-entry', message: /flags "0x2" is not a number/ },
      skipped: { dn: `CN=${LOOP},CN=Policies,CN=System,DC=example,DC=test`, reason: expect.stringMatching(/flags/) },
    },
    {
      what: 'a versionNumber that cannot be read (a URL)',
      lines: [...GPC_HEAD(LOOP), 'versionNumber:< file:///tmp/v'],
      problem: { line: 8, code: 'unsupported-format', message: /versionNumber takes its value from a URL/ },
      skipped: { dn: `CN=${LOOP},CN=Policies,CN=System,DC=example,DC=test`, reason: 'its versionNumber could not be read' },
      extra: [{ line: 4, code: 'skipped-entry', message: /is skipped: its versionNumber could not be read/ }],
    },
    {
      what: 'a gPOptions that is no number (whether it blocks is then unknown)',
      lines: ['dn: OU=Bad,DC=example,DC=test', 'gPOptions: yes'],
      problem: { line: 5, code: 'malformed', message: /OU=Bad,DC=example,DC=test: gPOptions "yes" is not a number/ },
      som: { kind: 'ou', dn: 'OU=Bad,DC=example,DC=test', links: [] },
    },
    {
      what: 'a gPLink with nothing usable',
      lines: ['dn: OU=Bad,DC=example,DC=test', 'gPLink: [LDAP://cn=Not a GUID,cn=policies,cn=system,DC=example,DC=test;0]'],
      problem: { line: 5, code: 'malformed', message: /OU=Bad,DC=example,DC=test: gPLink link .* does not name a GPO by \{GUID\}/ },
      skipped: { dn: 'OU=Bad,DC=example,DC=test', reason: expect.stringMatching(/^gPLink does not parse: link/) },
    },
    {
      what: 'a gPLink with one good link and damage',
      lines: ['dn: OU=Half,DC=example,DC=test', `gPLink: [LDAP://cn=${LOOP},cn=policies,cn=system,DC=example,DC=test;2]garbage`],
      problem: { line: 5, code: 'malformed', message: /unreadable text in gPLink: "garbage"/ },
      som: { kind: 'ou', dn: 'OU=Half,DC=example,DC=test', links: [link(LOOP, `cn=${LOOP},cn=policies,cn=system,DC=example,DC=test`, 2, 1)], blockInheritance: false },
    },
    {
      what: 'a value from a URL (never fetched)',
      lines: ['dn: OU=Url,DC=example,DC=test', 'gPLink:< file:///etc/passwd'],
      problem: { line: 5, code: 'unsupported-format', message: /never fetches/ },
      skipped: { dn: 'OU=Url,DC=example,DC=test', reason: 'its gPLink value could not be read' },
    },
    {
      what: 'a change record other than add',
      lines: ['dn: OU=Before,DC=example,DC=test', 'changetype: modify', 'replace: gPLink', 'gPLink: [LDAP://cn=x;0]', '-'],
      problem: { line: 5, code: 'unsupported-format', message: /"changetype: modify" entry for OU=Before,DC=example,DC=test is not read/ },
    },
    {
      what: 'an entry that does not begin with dn:',
      lines: ['objectClass: organizationalUnit', 'gPOptions: 1'],
      problem: { line: 4, code: 'malformed', message: /must begin with "dn:", not "objectClass:"; its 2 line\(s\) are skipped/ },
    },
    {
      what: 'an entry whose first line has no colon',
      lines: ['OU=NoDn,DC=example,DC=test', 'gPOptions: 1'],
      problem: { line: 4, code: 'malformed', message: /must begin with "dn: ...", not "OU=NoDn,DC=example,DC=test"; its 2 line\(s\) are skipped/ },
    },
    {
      what: 'a DN in bad base64',
      lines: ['dn:: %%%%', 'gPOptions: 1'],
      problem: { line: 4, code: 'decode-error', message: /base64 value of dn/ },
    },
    {
      what: 'a continuation line after a blank line',
      lines: [' orphan continuation'],
      problem: { line: 4, code: 'malformed', message: /follows no line/ },
    },
    {
      what: 'an attribute name with a space',
      lines: ['dn: OU=Bad,DC=example,DC=test', 'gP Link: x', 'gPOptions: 0'],
      problem: { line: 5, code: 'malformed', message: /"gP Link" is not an attribute name/ },
      som: { kind: 'ou', dn: 'OU=Bad,DC=example,DC=test', links: [], blockInheritance: false },
    },
    {
      what: 'the same DN twice (the first is read)',
      lines: ['dn: OU=before,DC=example,DC=test', 'gPOptions: 1'],
      problem: { line: 4, code: 'skipped-entry', message: /appears a second time/ },
    },
    {
      what: 'a damaged extension list (the extensions before the damage are read)',
      lines: [...GPC_HEAD(LOOP), 'versionNumber: 65536', `gPCUserExtensionNames: [${REGISTRY}{D02B1F73-3407-48AE-BA88-E8213C6761F1}][oops]`],
      problem: { line: 9, code: 'malformed', message: /gPCUserExtensionNames has "\[oops\]", which is not a list of \{GUID\}s/ },
      gpc: { id: LOOP, flags: 0, version: { user: 1, computer: 0 }, extensions: { user: [REGISTRY] } },
    },
    {
      what: 'a WMI filter not in [domain;{GUID};0] form (still read as filtered)',
      lines: [...GPC_HEAD(LOOP), 'versionNumber: 1', 'gPCWQLFilter: [example.test;not-a-guid;0]'],
      problem: { line: 9, code: 'malformed', message: /gPCWQLFilter "\[example.test;not-a-guid;0\]" is not \[domain;\{GUID\};0\]/ },
      gpc: { id: LOOP, flags: 0, version: { user: 0, computer: 1 }, wmiFilter: { id: '[example.test;not-a-guid;0]' } },
    },
    {
      what: 'two values of a single-valued attribute (the first is read)',
      lines: ['dn: OU=Two,DC=example,DC=test', 'gPOptions: 1', 'gPOptions: 0'],
      problem: { line: 6, code: 'malformed', message: /gPOptions has 2 values; the first is read/ },
      som: { kind: 'ou', dn: 'OU=Two,DC=example,DC=test', links: [], blockInheritance: true },
    },
    {
      what: 'a missing blank line between two entries',
      lines: ['dn: OU=Two,DC=example,DC=test', 'gPOptions: 1', 'dn: OU=Three,DC=example,DC=test', 'gPOptions: 1'],
      problem: { line: 6, code: 'malformed', message: /a second "dn:" line inside the entry OU=Two/ },
      som: { kind: 'ou', dn: 'OU=Two,DC=example,DC=test', links: [], blockInheritance: true },
    },
  ] as { what: string; lines: string[]; problem: { line: number; code: string; message: RegExp }; extra?: { line: number; code: string; message: RegExp }[]; som?: ScopeOfManagement; gpc?: GroupPolicyContainer; skipped?: { dn: string; reason: unknown } }[])('$what', ({ lines, problem, extra, som, gpc, skipped }) => {
    const { data, problems } = parseText(around(...lines));
    const located = (p: { line: number; code: string; message: RegExp }) => ({ file: 'test.ldif', position: { line: p.line }, code: p.code, message: expect.stringMatching(p.message), severity: 'warning' });
    expect(problems).toEqual([problem, ...(extra ?? [])].map(located));
    expect(data.soms[0]).toEqual({ kind: 'ou', dn: 'OU=Before,DC=example,DC=test', links: [link(BASE, `cn=${BASE},cn=policies,cn=system,DC=example,DC=test`, 0, 1)], blockInheritance: false });
    expect(data.gpcs.at(-1)).toEqual({ id: DDP, flags: 0, version: { user: 0, computer: 1 } });
    expect(data.soms.slice(1)).toEqual(som ? [som] : []);
    expect(data.gpcs.slice(0, -1)).toEqual(gpc ? [gpc] : []);
    expect(data.skipped).toEqual(skipped ? [skipped] : []);
  });
});

describe('parseLdif: what the tools write around the entries', () => {
  it('accepts version: 1 sharing the first block, changetype add, controls and ldapsearch result records', () => {
    const text = [
      'version: 1',
      'dn: OU=A,DC=example,DC=test',
      'control: 1.2.840.113556.1.4.417 false',
      'changetype: add',
      'gPOptions: 1',
      '',
      '# search result',
      'search: 2',
      'result: 0 Success',
      '',
      '# numResponses: 2',
    ].join('\n');
    expect(parseText(text)).toEqual({ data: { soms: [{ kind: 'ou', dn: 'OU=A,DC=example,DC=test', links: [], blockInheritance: true }], gpcs: [], skipped: [] }, problems: [] });
  });

  it('notes an attribute option once and reads the value as if it were absent', () => {
    const text = ['dn: OU=A,DC=example,DC=test', 'gPOptions;binary: 1', '', 'dn: OU=B,DC=example,DC=test', 'gPOptions;binary: 0'].join('\n');
    const { data, problems } = parseText(text);
    expect(data.soms.map((s) => [s.dn, s.blockInheritance])).toEqual([['OU=A,DC=example,DC=test', true], ['OU=B,DC=example,DC=test', false]]);
    expect(problems).toEqual([expect.objectContaining({ position: { line: 2 }, message: expect.stringMatching(/option ";binary" .* is ignored/), severity: 'warning' })]);
  });

  it('warns about a version other than 1 and about a GPC without versionNumber (read as never edited)', () => {
    const text = ['version: 2', '', ...GPC_HEAD(LOOP)].join('\n');
    const { data, problems } = parseText(text);
    expect(data.gpcs).toEqual([{ id: LOOP, flags: 0, version: { user: 0, computer: 0 } }]);
    expect(problems.map((p) => [p.position, p.message])).toEqual([
      [{ line: 1 }, 'LDIF version "2" is not 1; the file is read as version 1'],
      [{ line: 3 }, expect.stringMatching(/has no versionNumber: read as 0/)],
    ]);
  });

  it('takes the GPO id from the DN when cn is absent (an export that chose its attributes)', () => {
    const { data, problems } = parseText([`dn: CN=${LOOP.toLowerCase()},CN=Policies,CN=System,DC=example,DC=test`, 'objectClass: groupPolicyContainer', 'versionNumber: 1'].join('\n'));
    expect(problems).toEqual([]);
    expect(data.gpcs).toEqual([{ id: LOOP, flags: 0, version: { user: 0, computer: 1 } }]);
  });

  it('classifies by DN: only DC= is the domain, under CN=Sites,CN=Configuration a site, anything else an OU', () => {
    const dns = [
      'DC=corp,DC=example,DC=com',
      'dc=corp, dc=example, dc=com',
      'CN=Seattle,CN=Sites,CN=Configuration,DC=example,DC=com',
      'OU=Sites,DC=example,DC=com',
      'OU=Comma\\, Inc,DC=example,DC=com',
      'OU=WorkSpaces,OU=Corp,DC=example,DC=com',
    ];
    const { data } = parseText(dns.map((dn) => `dn: ${dn}\ngPOptions: 0\n`).join('\n'));
    expect(data.soms.map((s) => [s.dn, s.kind])).toEqual([
      [dns[0], 'domain'],
      [dns[1], 'domain'],
      [dns[2], 'site'],
      [dns[3], 'ou'],
      [dns[4], 'ou'],
      [dns[5], 'ou'],
    ]);
  });

  it('keeps binary values of attributes it does not use, and readLdifEntries exposes every entry', () => {
    const text = ['dn: OU=A,DC=example,DC=test', 'objectGUID:: /w==', 'Description: x', ' y', 'description: z'].join('\n');
    const { entries, problems } = readLdifEntries(text, 'e.ldif');
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.line).toBe(1);
    expect(entries[0]!.attributes.get('objectguid')).toEqual([{ line: 2, binary: true }]);
    expect(entries[0]!.attributes.get('description')).toEqual([{ text: 'xy', line: 3 }, { text: 'z', line: 5 }]);
  });
});

describe('parseLdif: hostile input is bounded and never throws', () => {
  it('binary data and truncated UTF-16 give one problem, not an exception', () => {
    for (const bytes of [Buffer.from([0x64, 0x6e, 0x3a, 0x00, 0x01]), Buffer.from([0xff, 0xfe, 0x64, 0x00, 0x6e])]) {
      const result = parseLdif(bytes, 'bad.ldif');
      expect(result.data).toEqual({ soms: [], gpcs: [], skipped: [] });
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]!.severity).toBe('error');
    }
    expect(parseLdif(new Uint8Array(0), 'empty.ldif')).toEqual({ data: { soms: [], gpcs: [], skipped: [] }, problems: [] });
  });

  it('lists the first problems of a junk file and counts the rest', () => {
    const { problems } = parseText(Array.from({ length: 1000 }, (_, i) => `junk line ${i}\n`).join('\n'));
    expect(problems).toHaveLength(LDIF_LIMITS.maxProblems + 1);
    expect(problems.at(-1)!.message).toMatch(/^900 more problems from this line on are not listed/);
  });

  it('refuses an over-long (folded) line and reads the entry after it', () => {
    const long = 'x'.repeat(LDIF_LIMITS.maxLineChars);
    const text = ['dn: OU=Long,DC=example,DC=test', `description: ${long.slice(0, 70)}`, ...Array.from({ length: 20 }, () => ` ${long.slice(0, LDIF_LIMITS.maxLineChars / 19)}`), 'gPOptions: 1', '', 'dn: OU=Next,DC=example,DC=test', 'gPOptions: 1'].join('\n');
    const { data, problems } = parseText(text);
    expect(problems).toEqual([expect.objectContaining({ position: { line: 2 }, code: 'too-large' })]);
    expect(data.soms.map((s) => [s.dn, s.blockInheritance])).toEqual([['OU=Long,DC=example,DC=test', true], ['OU=Next,DC=example,DC=test', true]]);
  });

  it('reads a megabyte gPLink of "[" quickly (no quadratic scan)', () => {
    const t0 = Date.now();
    const { data, problems } = parseText(`dn: OU=X,DC=example,DC=test\ngPLink: ${'[LDAP://'.repeat(120_000)}\n`);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(data.skipped).toEqual([{ dn: 'OU=X,DC=example,DC=test', reason: expect.stringMatching(/^gPLink does not parse: has "\[" inside one link/) }]);
    expect(problems.length).toBeGreaterThan(0);
  });

  it('reads a large well-formed export in linear time', () => {
    const gpl = Array.from({ length: 50 }, (_, i) => `[LDAP://cn={${String(i).padStart(8, '0')}-0000-4000-8000-000000000000},cn=policies,cn=system,DC=example,DC=test;0]`).join('');
    const text = Array.from({ length: 2000 }, (_, i) => `dn: OU=ou${i},DC=example,DC=test\ngPLink: ${gpl}\ngPOptions: 0\n`).join('\n');
    const t0 = Date.now();
    const { data, problems } = parseText(text);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(problems).toEqual([]);
    expect(data.soms).toHaveLength(2000);
    expect(data.soms[1999]!.links[0]!.linkOrder).toBe(50);
  });
});

describe('parseLdif under mutated input', () => {
  const seeds = ['ldifde-unicode.ldf', 'ldapsearch-nowrap.ldif', 'folded.ldif'].map(fixture);
  const edit = fc.oneof(
    fc.record({ at: fc.nat(), remove: fc.integer({ min: 0, max: 64 }), insert: fc.uint8Array({ maxLength: 16 }) }),
    fc.record({ at: fc.nat(), remove: fc.constant(0), insert: fc.constantFrom(...[':', '::', ':<', '\n', '\n ', '[', ']', ';', '=', '#'].map((t) => utf8(t))) }),
  );

  it('every mutated export is read or reported with located problems, never a bug report, quickly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 6 }), (i, edits) => {
        let b = Buffer.from(seeds[i]!);
        for (const e of edits) {
          const at = e.at % (b.length + 1);
          b = Buffer.concat([b.subarray(0, at), Buffer.from(e.insert), b.subarray(Math.min(b.length, at + e.remove))]);
        }
        const started = performance.now();
        const { data, problems } = parseLdif(b, 'fuzzed');
        expect(performance.now() - started).toBeLessThan(2_000);
        for (const p of problems) {
          expect(p.code).not.toBe('internal-error');
          expect(p.file).toBe('fuzzed');
          if (p.severity === 'warning') expect(p.position).toBeDefined();
        }
        for (const g of data.gpcs) expect(g.id).toMatch(/^\{[0-9A-F-]{36}\}$/);
      }),
      { seed: 20261203, numRuns: 500 },
    );
  });
});

describeCorpus('parseLdif on the real LDIF in the corpus', () => {
  it('reads gistia__fake-ad-ldap-server/users.ldif (an ApacheDS seed: no GPO data) without a problem', () => {
    const bytes = readFileSync(join(REALDATA, 'gistia__fake-ad-ldap-server', 'users.ldif'));
    const parsed = parseLdif(bytes, 'users.ldif');
    // No GPO data: no container, no link, nothing skipped. Its OUs are kept as containers with no links (an OU an
    // effective-policy run names must be known to exist even when it links nothing).
    expect(parsed.problems).toEqual([]);
    expect(parsed.data.gpcs).toEqual([]);
    expect(parsed.data.skipped).toEqual([]);
    expect(parsed.data.soms.flatMap((s) => s.links)).toEqual([]);
    expect(parsed.data.soms.map((s) => [s.kind, s.dn])).toEqual([
      ['ou', 'ou=attributetypes, cn=microsoft, ou=schema'],
      ['ou', 'ou=objectclasses, cn=microsoft, ou=schema'],
      ['ou', 'ou=users,dc=gistia,dc=com'],
      ['ou', 'ou=roles,dc=gistia,dc=com'],
    ]);
    const { entries, problems } = readLdifEntries(bytes.toString('utf8'), 'users.ldif');
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(16);
    const domain = entries.find((e) => e.dn === 'dc=gistia,dc=com')!;
    expect(domain.attributes.get('objectclass')!.map((v) => v.text)).toEqual(['top', 'domain']);
    expect(entries.filter((e) => e.dn.endsWith('ou=users,dc=gistia,dc=com')).map((e) => e.attributes.get('samaccountname')?.[0]?.text)).toContain('cognito.auth@gistia.com');
  });
});

describe('parseLdif: DACLs exported with the SD flags control, and the domain SID', () => {
  // O:DA G:DA D:(OA;CI;CR;Apply Group Policy;;AU)(A;CI;RPLCLORC;;;AU), as in test/model/security-descriptor.test.ts.
  const SD = Buffer.from(
    [
      '01000490 14000000 30000000 00000000 4c000000', // revision, control, owner, group, SACL, DACL offsets
      '010500000000000515000000 dcf4dc3b 833d2b46 828ba628 00020000', // owner: <domain>-512
      '010500000000000515000000 dcf4dc3b 833d2b46 828ba628 00020000', // group: <domain>-512
      '0400 4400 0200 0000', // DACL: revision 4, size 0x44, 2 ACEs
      '05 02 2800 00010000 01000000 8ffdacedb3ffd111b41d00a0c968f939 01010000000000050b000000', // OA;CI;CR;Apply;;AU
      '00 02 1400 94000200 01010000000000050b000000', // A;CI;RPLCLORC;;;AU
    ]
      .join('')
      .replace(/\s+/g, ''),
    'hex',
  );
  const SID = Buffer.from('010400000000000515000000dcf4dc3b833d2b46828ba628', 'hex');
  const GUID = '{9A4C2D10-5E6F-4A7B-8C9D-0E1F2A3B4C5D}';
  const text = (sd: Buffer) =>
    [
      `dn: DC=corp,DC=test\nobjectClass: domainDNS\nobjectSid:: ${SID.toString('base64')}\n`,
      `dn: CN=${GUID},CN=Policies,CN=System,DC=corp,DC=test\nobjectClass: groupPolicyContainer\ncn: ${GUID}\nflags: 0\nversionNumber: 1\nnTSecurityDescriptor:: ${sd.toString('base64')}\n`,
    ].join('\n');

  it('keeps each GPO\'s DACL and the domain head\'s objectSid', () => {
    const { security, problems } = parseText(text(SD));
    expect(problems).toEqual([]);
    expect(security?.domainSid).toBe('S-1-5-21-1004336348-1177238915-682003330');
    expect(security?.dacls.get(GUID)?.map((a) => ('trustee' in a ? [a.type, a.trustee, a.mask] : a.type))).toEqual([
      ['allow-object', 'S-1-5-11', 0x100],
      ['allow', 'S-1-5-11', 0x20094],
    ]);
  });

  it('a descriptor that does not decode is one located warning; the GPO is still read, its filtering unknown', () => {
    const { data, security, problems } = parseText(text(SD.subarray(0, 30)));
    expect(data.gpcs.map((g) => g.id)).toEqual([GUID]);
    expect(security).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'test.ldif', position: { line: 10 }, severity: 'warning' });
    expect(problems[0]!.message).toMatch(/nTSecurityDescriptor is not read: .*security filtering of this GPO is unknown/);
  });
});
