import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { cdata, escapeXmlAttribute, junitAuditReporter } from '../../src/reporters/junit.js';
import { emptyResult, FILES, FINDINGS, richResult } from './fixture.js';

interface Element {
  name: string;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

/** A strict parse back into a tree; saxes throws on anything ill-formed. */
function parse(xml: string): Element {
  const parser = new SaxesParser();
  const root: Element = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  parser.on('opentag', (tag) => {
    const el: Element = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [], text: '' };
    stack.at(-1)!.children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('text', (t) => void (stack.at(-1)!.text += t));
  parser.on('cdata', (t) => void (stack.at(-1)!.text += t));
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
  expect(root.children).toHaveLength(1);
  return root.children[0]!;
}

const counts = (el: Element) => ['tests', 'failures', 'errors', 'skipped'].map((a) => Number(el.attributes[a]));
// <testsuites> has no `skipped` attribute: neither JUnit schema of the Jenkins xUnit plugin allows one there.
const totals = (doc: Element) => [...['tests', 'failures', 'errors'].map((a) => Number(doc.attributes[a])), doc.children.reduce((n, s) => n + Number(s.attributes.skipped), 0)];
const render = (r = richResult()) => junitAuditReporter(r, { color: false });

describe('JUnit XML reporter', () => {
  it('parses back into suites per GPO, audit-wide, failed input and rule set, with counts that add up', () => {
    const doc = parse(render());
    expect(doc.name).toBe('testsuites');
    const suites = doc.children;
    expect(suites.map((s) => [s.attributes.name, counts(s)])).toEqual([
      ['GPO "Default Domain Policy" {31B2F340-016D-11D2-945F-00C04FB984F9} (corp.example)', [1, 1, 0, 0]],
      ['GPO "WorkSpaces {Pilot} 100% Gäste" {9A1F0C3E-B010-4D2B-8E6F-7A8B9C0D1E2F} (corp.example)', [2, 2, 0, 0]],
      ['GPO "Kiosk & Lab <Test> "A" \'B\'" {0C8E2D4A-7B61-4F3E-9D2C-5A1B3C4D5E6F}', [1, 0, 0, 1]],
      ['audit-wide', [1, 1, 0, 0]],
      [FILES.cut, [7, 0, 1, 6]],
      ['all inputs', [1, 0, 0, 1]],
      ['gpaudit', [0, 0, 0, 0]],
    ]);
    expect(totals(doc)).toEqual([13, 4, 1, 8]);
    expect(doc.attributes).not.toHaveProperty('skipped');
    for (const s of suites) {
      const cases = s.children.filter((c) => c.name === 'testcase');
      const has = (name: string) => cases.filter((c) => c.children.some((x) => x.name === name)).length;
      expect(counts(s)).toEqual([cases.length, has('failure'), has('error'), has('skipped')]);
    }
  });

  it('gives each finding one failure with its message, severity, locations and remediation, characters intact', () => {
    const pilot = parse(render()).children[1]!;
    const banner = pilot.children[0]!;
    expect(banner.attributes).toEqual({ classname: pilot.attributes.name, name: 'workspaces-logon-banner' });
    const failure = banner.children[0]!;
    expect(failure.name).toBe('failure');
    expect(failure.attributes).toEqual({ message: FINDINGS[1]!.message, type: 'high' });
    expect(failure.text.split(']]>').length - 1).toBe(3 * 4);
    expect(failure.text.split('\n')).toEqual([
      FINDINGS[1]!.message,
      ...FINDINGS[1]!.locations.map((l) => `  at ${l.file}${'byteOffset' in l.position ? `@byte ${l.position.byteOffset}` : `:${l.position.line}`}  ${l.setting}`),
      '',
      'How to fix: Set "Interactive logon: Message title" to Not Defined and remove LegalNoticeCaption under HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon.',
      '  see: WorkSpaces troubleshooting: logon banner <https://docs.aws.amazon.com/workspaces/latest/adminguide/amazon-workspaces-troubleshooting.html#logon_banner>',
      '  see: Shipped notes <workspaces-guidance.md>',
      '',
      'fingerprint: 5e0d8f2a1c3b4a5968778695a4b3c2d1',
    ]);
    const rsop = parse(render()).children[0]!.children[0]!.children[0]!;
    expect(rsop.text).toContain('\n  RSoP precedence 1 (winning GPO)\n');
  });

  it('shows a suppressed finding as skipped with the waiver, not as a failure', () => {
    const kiosk = parse(render()).children[2]!;
    expect(kiosk.children[0]!.children).toEqual([
      { name: 'skipped', attributes: {}, children: [], text: 'suppressed by waiver: Lab kiosks: approved by "Sec" & <IT> ]]> until rebuild (until 2099-12-31)' },
    ]);
  });

  it('turns a failed input into an error testcase and its rules into skipped ones', () => {
    const cut = parse(render()).children[4]!;
    const [read, ...skipped] = cut.children;
    expect(read!.attributes).toEqual({ classname: FILES.cut, name: 'read' });
    expect(read!.children[0]!.attributes).toEqual({ message: 'document ends inside <q1:Policy> (the file is cut short)', type: 'truncated' });
    expect(read!.children[0]!.text).toBe(`${FILES.cut} (line 88, column 3): error: document ends inside <q1:Policy> (the file is cut short) [truncated]`);
    expect(skipped.map((c) => [c.attributes.name, c.children[0]!.text])).toEqual(
      richResult().rules.map((r) => [r.id, 'not evaluated: the file could not be read (see problems)']),
    );
  });

  it('puts warnings and notices in the gpaudit suite\'s system-out', () => {
    const out = parse(render()).children[6]!.children[0]!;
    expect(out.name).toBe('system-out');
    expect(out.text.split('\n')).toEqual([
      `${FILES.pilotHtml}: warning: HTML GPO report: not audited (export with -ReportType Xml) [unsupported-format]`,
      `${FILES.pilotPol} (byte 2048): warning: record with an unknown type 0x1234 skipped [skipped-entry]`,
      'notice: waiver for workspaces-logon-banner (GPO "Old & <retired>") expired on 2024-01-31 and no longer applies (reason was: migration ]]>)',
    ]);
  });

  it('shows a clean run as one passing testcase per rule', () => {
    const doc = parse(render(emptyResult()));
    expect(totals(doc)).toEqual([6, 0, 0, 0]);
    expect(doc.children).toHaveLength(1);
    expect(doc.children[0]!.children.map((c) => [c.attributes.classname, c.attributes.name, c.children.length])).toEqual(
      emptyResult().rules.map((r) => ['gpaudit', r.id, 0]),
    );
  });

  it('keeps characters XML cannot carry out of the document, visibly', () => {
    const r = richResult();
    r.findings = [{ ...FINDINGS[2]!, message: 'nul\u0000 esc\u001b lone\uD800 end\uFFFE' }];
    const failure = parse(render(r)).children[0]!.children[0]!.children[0]!;
    expect(failure.attributes.message).toBe('nul\\x00 esc\\x1b lone\uFFFD end\uFFFD');
    expect(failure.text.startsWith('nul\\x00 esc\\x1b lone\uFFFD end\uFFFD\n')).toBe(true);
  });
});

describe('XML escaping', () => {
  it('escapes attribute values, whitespace characters included', () => {
    expect(escapeXmlAttribute(`a&b<c>d"e'f\tg\nh\ri`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f&#9;g&#10;h&#13;i');
  });

  it('splits every ]]> across two CDATA sections', () => {
    expect(cdata(']]>')).toBe('<![CDATA[]]]]><![CDATA[>]]>');
    expect(cdata('a]]>]]>b]]')).toBe('<![CDATA[a]]]]><![CDATA[>]]]]><![CDATA[>b]]]]>');
    expect(parse(`<a>${cdata('x]]>]]>]]]>y')}</a>`).text).toBe('x]]>]]>]]]>y');
  });

  it('round-trips any text through an attribute and a CDATA body', () => {
    const xmlChar = /^[\t\n\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(']', '>', '<', '&', '"', "'", '\t', '\n', '\r', 'ä', 'x', '\u{1F600}') }),
        fc.string({ unit: 'binary' }),
        (tricky, any) => {
          for (const text of [tricky, any]) {
            const el = parse(`<a v="${escapeXmlAttribute(text)}">${cdata(text)}</a>`);
            if (!xmlChar.test(text.replace(/\r/g, ''))) continue;
            expect(el.attributes.v).toBe(text);
            // XML parsers turn CR and CRLF in character data into LF.
            expect(el.text).toBe(text.replace(/\r\n?/g, '\n'));
          }
        },
      ),
    );
  });
});
