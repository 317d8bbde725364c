// GPT.INI (SYSVOL): which GPO a folder is, and the SYSVOL version of both sides. The expected values are worked out
// by hand: Version= is the 32-bit versionNumber, high 16 bits the user side, low 16 bits the computer side.
import { describe, expect, it } from 'vitest';
import { parseGptIni } from '../../src/parsers/gpt-ini.js';

const GPO = { id: '{7D3B9F21-4A6C-4E8B-B1D2-3C4E5F6A7B01}' };
const ini = (text: string) => parseGptIni(Buffer.from(text, 'utf8'), { file: 'GPT.INI', gpo: GPO });
const notAVersion = (value: string, line: number) => ({
  file: 'GPT.INI', position: { line }, code: 'skipped-entry', severity: 'warning',
  message: `GPT.INI Version "${value}" is not a version number; left out`,
});

describe('GPT.INI: the GPO it names', () => {
  it('reads the whole GPO from a typical CRLF file: name, both versions, the line of Version=, its source', () => {
    const r = ini('[General]\r\nVersion=65539\r\ndisplayName=WorkSpaces\r\n');
    expect(r.problems).toEqual([]);
    expect(r.format).toBe('gpt-ini');
    expect(r.settings).toEqual([]);
    expect(r.gpos).toEqual([{
      ref: { id: GPO.id, name: 'WorkSpaces' },
      links: [],
      sources: [{ file: 'GPT.INI', format: 'gpt-ini' }],
      versions: { computer: { sysvol: 3 }, user: { sysvol: 1 } },
      versionsLine: 2,
    }]);
  });

  it('reads a file with LF line ends the same, counting lines the same', () => {
    const r = ini('[General]\ndisplayName=WorkSpaces\nVersion=65539\n');
    expect(r.problems).toEqual([]);
    expect(r.gpos[0]!.ref).toEqual({ id: GPO.id, name: 'WorkSpaces' });
    expect(r.gpos[0]!.versions).toEqual({ computer: { sysvol: 3 }, user: { sysvol: 1 } });
    expect(r.gpos[0]!.versionsLine).toBe(3);
  });

  it('points at the line of Version= after blank lines and other keys (what a version finding shows); other keys are no version', () => {
    const r = ini('\r\n[General]\r\ngPCMachineExtensionNames=[{x}]\r\n\r\nVersion=7\r\nOptions=0\r\n');
    expect(r.problems).toEqual([]);
    expect(r.gpos[0]!.versions).toEqual({ computer: { sysvol: 7 }, user: { sysvol: 0 } });
    expect(r.gpos[0]!.versionsLine).toBe(5);
  });

  it('without a GPO from the folder, the ref holds only the display name', () => {
    const r = parseGptIni(Buffer.from('[General]\r\ndisplayName=Only a name\r\n'), { file: 'GPT.INI' });
    expect(r.gpos[0]!.ref).toEqual({ name: 'Only a name' });
  });

  it('trims blanks around section names, keys and values', () => {
    const r = ini('  [General]  \r\n  Version  =  131074  \r\n\tdisplayName\t=\t Padded Name \t\r\n');
    expect(r.problems).toEqual([]);
    expect(r.gpos[0]!.ref.name).toBe('Padded Name');
    expect(r.gpos[0]!.versions).toEqual({ computer: { sysvol: 2 }, user: { sysvol: 2 } });
  });

  it('reads section and key names in any case, as Windows does', () => {
    const r = ini('[GENERAL]\r\nVERSION=5\r\nDisplayName=Upper\r\n');
    expect(r.problems).toEqual([]);
    expect(r.gpos[0]!.ref.name).toBe('Upper');
    expect(r.gpos[0]!.versions).toEqual({ computer: { sysvol: 5 }, user: { sysvol: 0 } });
  });

  it('keeps an "=" inside the display name', () => {
    expect(ini('[General]\r\ndisplayName=a=b\r\n').gpos[0]!.ref.name).toBe('a=b');
  });

  it('an empty or blank displayName gives no name', () => {
    expect(ini('[General]\r\ndisplayName=\r\n').gpos[0]!.ref).toEqual(GPO);
    expect(ini('[General]\r\ndisplayName=   \r\n').gpos[0]!.ref).toEqual(GPO);
  });

  it('keys before any section or in another section are not the GPO\'s', () => {
    const r = ini('Version=5\r\ndisplayName=Stray\r\n[General]\r\n[Other]\r\ndisplayName=Other\r\nVersion=6\r\n');
    expect(r.problems).toEqual([]);
    expect(r.gpos).toEqual([{ ref: GPO, links: [], sources: [{ file: 'GPT.INI', format: 'gpt-ini' }] }]);
  });

  it('a line without "=" or without a key is ignored', () => {
    const r = ini('[General]\r\nVersion\r\n=9\r\nVersion=4\r\n');
    expect(r.problems).toEqual([]);
    expect(r.gpos[0]!.versions).toEqual({ computer: { sysvol: 4 }, user: { sysvol: 0 } });
    expect(r.gpos[0]!.versionsLine).toBe(4);
  });
});

describe('GPT.INI: a file that is not one', () => {
  it('a file without a [General] section is an error at line 1 and names no GPO', () => {
    for (const text of ['', 'Version=5\r\n', '[Other]\r\nVersion=5\r\n', 'General\r\nVersion=5\r\n', 'x[General]\r\nVersion=5\r\n']) {
      const r = ini(text);
      expect(r.gpos).toEqual([]);
      expect(r.problems).toEqual([{ file: 'GPT.INI', position: { line: 1 }, code: 'malformed', severity: 'error', message: 'GPT.INI has no [General] section' }]);
    }
  });

  it('an empty section header "[]" is not [General]', () => {
    expect(ini('[]\r\nVersion=5\r\n').problems.map((p) => p.message)).toEqual(['GPT.INI has no [General] section']);
  });
});

describe('GPT.INI: the range of Version=', () => {
  const versionOf = (value: string) => {
    const r = ini(`[General]\r\nVersion=${value}\r\n`);
    return { versions: r.gpos[0]!.versions, problems: r.problems };
  };

  it('accepts the smallest signed 32-bit value, -2147483648 (user half 0x8000, computer 0)', () => {
    expect(versionOf('-2147483648')).toEqual({ versions: { computer: { sysvol: 0 }, user: { sysvol: 0x8000 } }, problems: [] });
  });

  it('accepts the largest unsigned 32-bit value, 4294967295 (both halves 65535)', () => {
    expect(versionOf('4294967295')).toEqual({ versions: { computer: { sysvol: 0xffff }, user: { sysvol: 0xffff } }, problems: [] });
  });

  it('accepts 0', () => {
    expect(versionOf('0')).toEqual({ versions: { computer: { sysvol: 0 }, user: { sysvol: 0 } }, problems: [] });
  });

  it('one past either end is left out with a warning at its line', () => {
    expect(versionOf('-2147483649')).toEqual({ versions: undefined, problems: [notAVersion('-2147483649', 2)] });
    expect(versionOf('4294967296')).toEqual({ versions: undefined, problems: [notAVersion('4294967296', 2)] });
  });

  it('more than ten digits is not a version, even when the number is small', () => {
    expect(versionOf('00000000001')).toEqual({ versions: undefined, problems: [notAVersion('00000000001', 2)] });
    expect(versionOf('0000000001')).toEqual({ versions: { computer: { sysvol: 1 }, user: { sysvol: 0 } }, problems: [] });
  });

  it('an empty Version, hex, a plus sign, a fraction or text around the digits is left out with a warning', () => {
    for (const value of ['', '0x10', '+5', '1.5', 'v5', '5 6']) {
      expect(versionOf(value), value).toEqual({ versions: undefined, problems: [notAVersion(value, 2)] });
    }
  });

  it('the warning quotes at most 40 characters of a long value', () => {
    const long = 'x'.repeat(45);
    expect(versionOf(long).problems).toEqual([notAVersion('x'.repeat(40), 2)]);
  });

  it('a bad Version after a good one keeps the good one and its line', () => {
    const r = ini('[General]\r\nVersion=3\r\nVersion=oops\r\n');
    expect(r.gpos[0]!.versions).toEqual({ computer: { sysvol: 3 }, user: { sysvol: 0 } });
    expect(r.gpos[0]!.versionsLine).toBe(2);
    expect(r.problems).toEqual([notAVersion('oops', 3)]);
  });
});
