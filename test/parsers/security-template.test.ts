import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSecurityTemplate, splitMultiString } from '../../src/parsers/security-template.js';
import { decodeText } from '../../src/codecs/decode.js';
import type { ParseResult } from '../../src/model/parse-result.js';
import type { Setting } from '../../src/model/settings.js';
import { describeCorpus, REALDATA } from '../helpers/realdata.js';

const FILE = 'test/GptTmpl.inf';
const SYSTEM = 'MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\';
const SYSTEM_KEY = 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System';
const DOMAIN = 'S-1-5-21-1004336348-1177238915-682003330';

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const utf8Bom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]);
const utf16leBom = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
// windows-1252 equals Latin-1 for every character these tests use (ä, ö, ü, é).
const windows1252 = (text: string) => Buffer.from(text, 'latin1');
const crlf = (...lines: string[]) => lines.join('\r\n') + '\r\n';
const lf = (...lines: string[]) => lines.join('\n') + '\n';

const parse = (bytes: Uint8Array, file = FILE) => parseSecurityTemplate(bytes, { file });
const parseText = (text: string) => parse(utf8(text));

function only<K extends Setting['kind']>(result: ParseResult, kind: K): Extract<Setting, { kind: K }>[] {
  return result.settings.filter((s): s is Extract<Setting, { kind: K }> => s.kind === kind);
}

function registryValue(result: ParseResult, valueName: string, key?: string) {
  const found = only(result, 'registry').filter((s) => s.valueName === valueName && (key === undefined || s.key === key));
  expect(found, `exactly one registry value ${valueName}`).toHaveLength(1);
  return found[0]!;
}

function right(result: ParseResult, name: string) {
  const found = only(result, 'privilege-right').filter((s) => s.right === name);
  expect(found, `exactly one ${name}`).toHaveLength(1);
  return found[0]!;
}

const sids = (principals: { sid?: string; name?: string }[]) => principals.map((p) => p.sid ?? `name:${p.name}`);
const lineOf = (s: Setting) => ('line' in s.provenance.position ? s.provenance.position.line : undefined);

describe('parseSecurityTemplate: sections', () => {
  it('reads [System Access] and [Kerberos Policy] as account policy, numbers as numbers, quoted names unquoted', () => {
    const result = parseText(lf(
      '[Unicode]',
      'Unicode=yes',
      '[System Access]',
      'MinimumPasswordLength = 14',
      'LockoutDuration = -1',
      'NewGuestName = "Visitor"',
      'NewAdministratorName="Admin ""X"""',
      '[Kerberos Policy]',
      'MaxTicketAge = 10',
    ));
    expect(result.problems).toEqual([]);
    expect(result.format).toBe('security-template');
    expect(result.settings).toEqual([
      { kind: 'account-policy', section: 'System Access', name: 'MinimumPasswordLength', value: 14, provenance: { gpo: {}, file: FILE, format: 'security-template', position: { line: 4 } } },
      { kind: 'account-policy', section: 'System Access', name: 'LockoutDuration', value: -1, provenance: { gpo: {}, file: FILE, format: 'security-template', position: { line: 5 } } },
      { kind: 'account-policy', section: 'System Access', name: 'NewGuestName', value: 'Visitor', provenance: { gpo: {}, file: FILE, format: 'security-template', position: { line: 6 } } },
      // Only one outer pair of quotes goes.
      { kind: 'account-policy', section: 'System Access', name: 'NewAdministratorName', value: 'Admin ""X""', provenance: { gpo: {}, file: FILE, format: 'security-template', position: { line: 7 } } },
      { kind: 'account-policy', section: 'Kerberos Policy', name: 'MaxTicketAge', value: 10, provenance: { gpo: {}, file: FILE, format: 'security-template', position: { line: 9 } } },
    ]);
  });

  it('names event-log settings after their log, in section Event Log', () => {
    const result = parseText(lf('[System Log]', 'MaximumLogSize = 16384', '[Security Log]', 'MaximumLogSize = 2048000', '[Application Log]', 'RetentionDays = 7'));
    expect(result.problems).toEqual([]);
    expect(only(result, 'account-policy').map((s) => [s.section, s.name, s.value, lineOf(s)])).toEqual([
      ['Event Log', 'System Log/MaximumLogSize', 16384, 2],
      ['Event Log', 'Security Log/MaximumLogSize', 2048000, 4],
      ['Event Log', 'Application Log/RetentionDays', 7, 6],
    ]);
  });

  it('reads [Event Audit] 0..3 as none, success, failure, both', () => {
    const result = parseText(lf('[Event Audit]', 'AuditSystemEvents = 0', 'AuditLogonEvents = 1', 'AuditObjectAccess = 2', 'AuditPrivilegeUse = 3'));
    expect(result.problems).toEqual([]);
    expect(only(result, 'audit').map((s) => [s.name, s.success, s.failure, lineOf(s)])).toEqual([
      ['AuditSystemEvents', false, false, 2],
      ['AuditLogonEvents', true, false, 3],
      ['AuditObjectAccess', false, true, 4],
      ['AuditPrivilegeUse', true, true, 5],
    ]);
  });

  it('matches section headers case-insensitively and tolerates spaces inside the brackets', () => {
    const result = parseText(lf('[system access]', 'PasswordComplexity = 1', '[ PRIVILEGE RIGHTS ]', 'SeDebugPrivilege = *S-1-5-32-544'));
    expect(result.problems).toEqual([]);
    expect(result.settings.map((s) => s.kind)).toEqual(['account-policy', 'privilege-right']);
  });

  it('skips comments, blank lines, lines before the first section and the contents of sections it does not read', () => {
    const result = parseText(lf(
      'stray = 1',
      '; comment',
      '[Unicode]',
      'Unicode=yes',
      '',
      '[Service General Setting]',
      '"seclogon",4,""',
      '[Registry Keys]',
      '"MACHINE\\SOFTWARE\\Example",0,"D:PAR(A;CI;KA;;;BA)"',
      '[File Security]',
      '"%SystemDrive%\\Example",1,"D:PAR(A;OICI;FA;;;BA)"',
      '[Profile Description]',
      'Description=Made up for a test',
      '[Strings]',
      'x = "y"',
      '[System Access]',
      '   ; indented comment',
      '   MinimumPasswordLength = 8   ',
      '[Version]',
      'signature="$CHICAGO$"',
      'Revision=1',
    ));
    expect(result.problems).toEqual([]);
    expect(result.settings).toHaveLength(1);
    expect(result.settings[0]).toMatchObject({ kind: 'account-policy', name: 'MinimumPasswordLength', value: 8, provenance: { position: { line: 18 } } });
  });

  it('warns once about a section outside the known list, naming it and its line, and reads on', () => {
    const result = parseText(lf('[Made Up Section]', 'a = 1', 'b = 2', '[System Access]', 'MinimumPasswordLength = 8'));
    expect(result.problems).toEqual([
      { file: FILE, position: { line: 1 }, code: 'skipped-entry', severity: 'warning', message: 'unknown section [Made Up Section]: its lines are not read' },
    ]);
    expect(result.settings).toHaveLength(1);
  });

  it('reads a template that holds only the preamble as zero settings and no problem', () => {
    const result = parse(utf16leBom(crlf('[Unicode]', 'Unicode=yes', '[Version]', 'signature="$CHICAGO$"', 'Revision=1')));
    expect(result).toEqual({ file: FILE, format: 'security-template', settings: [], gpos: [], problems: [] });
  });
});

describe('parseSecurityTemplate: [Registry Values]', () => {
  const read = (...lines: string[]) => parseText(lf('[Registry Values]', ...lines));

  it('reads REG_SZ and REG_EXPAND_SZ, stripping one outer pair of quotes, with 1,"" as an empty string', () => {
    const result = read(
      SYSTEM + 'LegalNoticeCaption=1,"Notice"',
      SYSTEM + 'Empty=1,""',
      'MACHINE\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\CachedLogonsCount=1,"10"',
      'MACHINE\\Software\\Example\\Unquoted=1,plain',
      'MACHINE\\Software\\Example\\Expand=2,"%SystemRoot%\\x"',
      'MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\RestrictRemoteSAM=1,"O:BAG:BAD:(A;;RC;;;BA)"',
    );
    expect(result.problems).toEqual([]);
    expect(result.settings[0]).toEqual({
      kind: 'registry',
      hive: 'HKLM',
      key: SYSTEM_KEY,
      valueName: 'LegalNoticeCaption',
      operation: { op: 'set', data: { type: 'REG_SZ', value: 'Notice' } },
      securityOption: {},
      provenance: { gpo: {}, file: FILE, format: 'security-template', position: { line: 2 } },
    });
    expect(only(result, 'registry').map((s) => [s.key, s.valueName, s.operation, lineOf(s)])).toEqual([
      [SYSTEM_KEY, 'LegalNoticeCaption', { op: 'set', data: { type: 'REG_SZ', value: 'Notice' } }, 2],
      [SYSTEM_KEY, 'Empty', { op: 'set', data: { type: 'REG_SZ', value: '' } }, 3],
      ['Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon', 'CachedLogonsCount', { op: 'set', data: { type: 'REG_SZ', value: '10' } }, 4],
      ['Software\\Example', 'Unquoted', { op: 'set', data: { type: 'REG_SZ', value: 'plain' } }, 5],
      ['Software\\Example', 'Expand', { op: 'set', data: { type: 'REG_EXPAND_SZ', value: '%SystemRoot%\\x' } }, 6],
      ['System\\CurrentControlSet\\Control\\Lsa', 'RestrictRemoteSAM', { op: 'set', data: { type: 'REG_SZ', value: 'O:BAG:BAD:(A;;RC;;;BA)' } }, 7],
    ]);
  });

  it('reads DWORDs as decimal numbers up to 4294967295', () => {
    const result = read(SYSTEM + 'DontDisplayLastUserName=4,1', 'MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\MSV1_0\\NTLMMinClientSec=4,537395200', 'MACHINE\\Software\\Example\\Max=4,4294967295');
    expect(result.problems).toEqual([]);
    expect(only(result, 'registry').map((s) => [s.valueName, s.operation])).toEqual([
      ['DontDisplayLastUserName', { op: 'set', data: { type: 'REG_DWORD', value: 1 } }],
      ['NTLMMinClientSec', { op: 'set', data: { type: 'REG_DWORD', value: 537395200 } }],
      ['Max', { op: 'set', data: { type: 'REG_DWORD', value: 4294967295 } }],
    ]);
    expect(only(result, 'registry')[1]!.key).toBe('System\\CurrentControlSet\\Control\\Lsa\\MSV1_0');
  });

  it('keeps binary (type 3) digits as lower-case hex text', () => {
    const result = read('MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\FullPrivilegeAuditing=3,1', 'MACHINE\\Software\\Example\\Blob=3,00FFaB', 'MACHINE\\Software\\Example\\None=3,');
    expect(result.problems).toEqual([]);
    expect(only(result, 'registry').map((s) => s.operation)).toEqual([
      { op: 'set', data: { type: 'REG_BINARY', value: '1' } },
      { op: 'set', data: { type: 'REG_BINARY', value: '00ffab' } },
      { op: 'set', data: { type: 'REG_BINARY', value: '' } },
    ]);
  });

  it('splits multi-strings on commas outside "…" and drops the quote marks; 7, is an empty list', () => {
    const result = read(
      SYSTEM + 'LegalNoticeText=7,Authorized use only"," all activity logged,Line two',
      'MACHINE\\System\\CurrentControlSet\\Services\\LanManServer\\Parameters\\NullSessionPipes=7,',
      'MACHINE\\System\\CurrentControlSet\\Services\\LanManServer\\Parameters\\Pipes=7,lsarpc,netlogon,samr',
    );
    expect(result.problems).toEqual([]);
    expect(only(result, 'registry').map((s) => [s.valueName, s.operation, lineOf(s)])).toEqual([
      ['LegalNoticeText', { op: 'set', data: { type: 'REG_MULTI_SZ', value: ['Authorized use only, all activity logged', 'Line two'] } }, 2],
      ['NullSessionPipes', { op: 'set', data: { type: 'REG_MULTI_SZ', value: [] } }, 3],
      ['Pipes', { op: 'set', data: { type: 'REG_MULTI_SZ', value: ['lsarpc', 'netlogon', 'samr'] } }, 4],
    ]);
  });

  // The brief's example `only",", all` holds a "," (literal comma) AND a separator comma; the rule, and DISA's real
  // banner (`IS)"," you consent`), make that two elements, the first ending in the literal comma.
  it('reads `",",` as a literal comma followed by an element break', () => {
    const result = read(SYSTEM + 'LegalNoticeText=7,Authorized use only",", all activity logged,Line two');
    expect(registryValue(result, 'LegalNoticeText').operation).toEqual({
      op: 'set',
      data: { type: 'REG_MULTI_SZ', value: ['Authorized use only,', ' all activity logged', 'Line two'] },
    });
  });

  it('splitMultiString handles the edge cases of the "," rule', () => {
    expect(splitMultiString('')).toEqual({ items: [], balanced: true });
    expect(splitMultiString('a')).toEqual({ items: ['a'], balanced: true });
    expect(splitMultiString('a,')).toEqual({ items: ['a', ''], balanced: true });
    expect(splitMultiString('x"," y"," z,w')).toEqual({ items: ['x, y, z', 'w'], balanced: true });
    expect(splitMultiString('"a,b",c')).toEqual({ items: ['a,b', 'c'], balanced: true });
    expect(splitMultiString('a"b,c')).toEqual({ items: ['ab,c'], balanced: false });
  });

  it('keeps a multi-string with an unmatched quote, with a warning on its line', () => {
    const result = read(SYSTEM + 'LegalNoticeText=7,Broken "quote,here');
    expect(registryValue(result, 'LegalNoticeText').operation).toEqual({ op: 'set', data: { type: 'REG_MULTI_SZ', value: ['Broken quote,here'] } });
    expect(result.problems).toEqual([
      { file: FILE, position: { line: 2 }, code: 'malformed', severity: 'warning', message: 'multi-string (type 7) data has an unmatched double quote; read to the end of the line' },
    ]);
  });

  it('splits the path at the first "=<digits>," so later = signs stay in the data', () => {
    const result = read('MACHINE\\Software\\Example\\Formula=1,"a=b,c"');
    expect(registryValue(result, 'Formula').operation).toEqual({ op: 'set', data: { type: 'REG_SZ', value: 'a=b,c' } });
  });

  it('skips unreadable lines with a warning naming the line and reads the rest', () => {
    const result = read(
      SYSTEM + 'A=4,abc',
      SYSTEM + 'B=4,4294967296',
      SYSTEM + 'C=3,zz',
      SYSTEM + 'D=5,1',
      'SOFTWARE\\NoRoot\\E=4,1',
      'MACHINE\\OnlyValue=4,1',
      SYSTEM + 'F=x',
      'no equals sign at all',
      SYSTEM + 'Good=4,7',
    );
    expect(only(result, 'registry').map((s) => [s.valueName, lineOf(s)])).toEqual([['Good', 10]]);
    expect(result.problems.map((p) => [p.position, p.code, p.severity])).toEqual(
      [2, 3, 4, 5, 6, 7, 8, 9].map((line) => [{ line }, 'skipped-entry', 'warning']),
    );
    expect(result.problems.map((p) => p.message)).toEqual([
      '[Registry Values] line skipped: DWORD (type 4) data "abc" is not a decimal number from 0 to 4294967295, got "' + SYSTEM + 'A=4,abc"',
      '[Registry Values] line skipped: DWORD (type 4) data "4294967296" is not a decimal number from 0 to 4294967295, got "' + SYSTEM + 'B=4,4294967296"',
      '[Registry Values] line skipped: binary (type 3) data "zz" is not hexadecimal, got "' + SYSTEM + 'C=3,zz"',
      '[Registry Values] line skipped: registry type 5 is not one a security template may hold (1, 2, 3, 4, 7), got "' + SYSTEM + 'D=5,1"',
      '[Registry Values] line skipped: the value path must start with MACHINE\\ and name a key and a value, got "SOFTWARE\\NoRoot\\E=4,1"',
      '[Registry Values] line skipped: the value path must start with MACHINE\\ and name a key and a value, got "MACHINE\\OnlyValue=4,1"',
      '[Registry Values] line skipped: expected "MACHINE\\Key\\Value=type,data", got "' + SYSTEM + 'F=x"',
      '[Registry Values] line skipped: expected "MACHINE\\Key\\Value=type,data", got "no equals sign at all"',
    ]);
  });

  it('lists the first 100 warnings of a junk-filled file and counts the rest in one more', () => {
    const result = parseText('[Registry Values]\n' + 'junk\n'.repeat(1000) + SYSTEM + 'Last=4,1\n');
    expect(result.problems).toHaveLength(101);
    expect(result.problems[99]!.position).toEqual({ line: 101 });
    expect(result.problems[100]).toEqual({
      file: FILE, position: { line: 102 }, code: 'skipped-entry', severity: 'warning',
      message: '900 more warnings from this line on are not listed (only the first 100 are)',
    });
    expect(only(result, 'registry').map((s) => [s.valueName, lineOf(s)])).toEqual([['Last', 1002]]);
  });

  it('clips a hostile megabyte line in the warning instead of quoting it whole', () => {
    const result = read('x'.repeat(1_000_000));
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message.length).toBeLessThan(200);
    expect(result.problems[0]!.position).toEqual({ line: 2 });
  });
});

describe('parseSecurityTemplate: [Privilege Rights]', () => {
  it('reads SIDs and names through principal(), with whitespace around = and ,', () => {
    const result = parseText(lf(
      '[Privilege Rights]',
      `SeNetworkLogonRight = *S-1-5-32-544, *S-1-5-11 ,CONTOSO\\app-readers,*${DOMAIN}-515`,
      'SeDenyNetworkLogonRight=Guest',
    ));
    expect(result.problems).toEqual([]);
    expect(right(result, 'SeNetworkLogonRight')).toEqual({
      kind: 'privilege-right',
      right: 'SeNetworkLogonRight',
      principals: [
        { sid: 'S-1-5-32-544', name: 'BUILTIN\\Administrators', resolution: 'input-sid' },
        { sid: 'S-1-5-11', name: 'Authenticated Users', resolution: 'input-sid' },
        { name: 'CONTOSO\\app-readers', resolution: 'unresolved' },
        { sid: `${DOMAIN}-515`, rid: 515, name: 'Domain Computers', resolution: 'input-sid' },
      ],
      provenance: { gpo: {}, file: FILE, format: 'security-template', position: { line: 2 } },
    });
    expect(right(result, 'SeDenyNetworkLogonRight').principals).toEqual([{ rid: 501, name: 'Guest', resolution: 'well-known-name' }]);
  });

  it('reads an empty right-hand side as a right granted to no one', () => {
    const result = parseText(lf('[Privilege Rights]', 'SeTcbPrivilege =', 'SeDenyBatchLogonRight = ', 'SeLockMemoryPrivilege='));
    expect(result.problems).toEqual([]);
    expect(only(result, 'privilege-right').map((s) => [s.right, s.principals, lineOf(s)])).toEqual([
      ['SeTcbPrivilege', [], 2],
      ['SeDenyBatchLogonRight', [], 3],
      ['SeLockMemoryPrivilege', [], 4],
    ]);
  });

  it('warns about a line without a right name, and about a * entry that is not a SID', () => {
    const result = parseText(lf('[Privilege Rights]', 'just some words', '= *S-1-5-32-544', 'SeDebugPrivilege = *nonsense,*S-1-5-32-544'));
    expect(result.problems).toEqual([
      { file: FILE, position: { line: 2 }, code: 'skipped-entry', severity: 'warning', message: '[Privilege Rights] line skipped: expected "SeRightName = *S-1-...,name,...", got "just some words"' },
      { file: FILE, position: { line: 3 }, code: 'skipped-entry', severity: 'warning', message: '[Privilege Rights] line skipped: expected "SeRightName = *S-1-...,name,...", got "= *S-1-5-32-544"' },
      { file: FILE, position: { line: 4 }, code: 'malformed', severity: 'warning', message: '"*nonsense" starts with * but is not a SID; read as a name' },
    ]);
    expect(sids(right(result, 'SeDebugPrivilege').principals)).toEqual(['name:*nonsense', 'S-1-5-32-544']);
  });
});

describe('parseSecurityTemplate: [Group Membership]', () => {
  it('merges __Members and __Memberof of one group into one setting at its first line', () => {
    const result = parseText(lf(
      '[Group Membership]',
      `*S-1-5-32-555__Memberof = *${DOMAIN}-5896`,
      '*S-1-5-32-544__Members = *S-1-5-32-544',
      `*s-1-5-32-555__members = *${DOMAIN}-513, CONTOSO\\helpdesk`,
    ));
    expect(result.problems).toEqual([]);
    expect(result.settings).toEqual([
      {
        kind: 'group-membership',
        group: { sid: 'S-1-5-32-555', name: 'BUILTIN\\Remote Desktop Users', resolution: 'input-sid' },
        memberOf: [{ sid: `${DOMAIN}-5896`, rid: 5896, resolution: 'input-sid' }],
        members: [
          { sid: `${DOMAIN}-513`, rid: 513, name: 'Domain Users', resolution: 'input-sid' },
          { name: 'CONTOSO\\helpdesk', resolution: 'unresolved' },
        ],
        provenance: { gpo: {}, file: FILE, format: 'security-template', position: { line: 2 } },
      },
      {
        kind: 'group-membership',
        group: { sid: 'S-1-5-32-544', name: 'BUILTIN\\Administrators', resolution: 'input-sid' },
        members: [{ sid: 'S-1-5-32-544', name: 'BUILTIN\\Administrators', resolution: 'input-sid' }],
        provenance: { gpo: {}, file: FILE, format: 'security-template', position: { line: 3 } },
      },
    ]);
  });

  it('reads an empty right-hand side as defined-empty, leaves the other relation undefined, and splits on the last __', () => {
    const result = parseText(lf('[Group Membership]', 'CONTOSO\\team__a__Members =', 'CONTOSO\\team__a__Memberof = Administrators'));
    expect(result.problems).toEqual([]);
    expect(result.settings).toEqual([
      {
        kind: 'group-membership',
        group: { name: 'CONTOSO\\team__a', resolution: 'unresolved' },
        members: [],
        memberOf: [{ sid: 'S-1-5-32-544', name: 'Administrators', resolution: 'well-known-name' }],
        provenance: { gpo: {}, file: FILE, format: 'security-template', position: { line: 2 } },
      },
    ]);
    const membersOnly = parseText(lf('[Group Membership]', '*S-1-5-32-555__Members = *S-1-5-32-544'));
    expect(only(membersOnly, 'group-membership')[0]!.memberOf).toBeUndefined();
  });

  it('warns about keys without __Members or __Memberof', () => {
    const result = parseText(lf('[Group Membership]', '*S-1-5-32-555 = *S-1-5-32-544', '*S-1-5-32-555__Owners = x', '__Members = x', 'no equals'));
    expect(result.settings).toEqual([]);
    expect(result.problems.map((p) => [p.position, p.code])).toEqual([2, 3, 4, 5].map((line) => [{ line }, 'skipped-entry']));
    expect(result.problems[0]!.message).toBe(
      '[Group Membership] line skipped: expected "*S-1-...__Members = ..." or "*S-1-...__Memberof = ...", got "*S-1-5-32-555 = *S-1-5-32-544"',
    );
  });
});

describe('parseSecurityTemplate: other malformed lines', () => {
  it('warns about lines that break [System Access] and [Event Audit] syntax and reads the rest', () => {
    const result = parseText(lf('[System Access]', 'no equals here', 'Bad Key = 1', 'Empty =', 'MinimumPasswordLength = 8', '[Event Audit]', 'AuditLogonEvents = 4', 'AuditSystemEvents = yes', 'AuditDSAccess = 1'));
    expect(result.settings.map((s) => [s.kind, lineOf(s)])).toEqual([['account-policy', 5], ['audit', 9]]);
    expect(result.problems.map((p) => [p.position, p.code, p.severity, p.message])).toEqual([
      [{ line: 2 }, 'skipped-entry', 'warning', '[System Access] line skipped: expected "Name = value", got "no equals here"'],
      [{ line: 3 }, 'skipped-entry', 'warning', '[System Access] line skipped: expected "Name = value", got "Bad Key = 1"'],
      [{ line: 4 }, 'skipped-entry', 'warning', '[System Access] line skipped: expected "Name = value", got "Empty ="'],
      [{ line: 7 }, 'skipped-entry', 'warning', '[Event Audit] line skipped: expected "AuditName = 0|1|2|3", got "AuditLogonEvents = 4"'],
      [{ line: 8 }, 'skipped-entry', 'warning', '[Event Audit] line skipped: expected "AuditName = 0|1|2|3", got "AuditSystemEvents = yes"'],
    ]);
  });
});

describe('parseSecurityTemplate: not a template', () => {
  it('refuses text without any [Section] header', () => {
    expect(parseText('MinimumPasswordLength = 8\nSeDebugPrivilege = *S-1-5-32-544\n')).toEqual({
      file: FILE,
      format: 'security-template',
      settings: [],
      gpos: [],
      problems: [{ file: FILE, position: { line: 1 }, code: 'malformed', severity: 'error', message: 'no [Section] headers: not a security template' }],
    });
  });

  it('refuses an empty file and an INI file with only foreign sections', () => {
    expect(parse(new Uint8Array()).problems).toEqual([
      { file: FILE, position: { line: 1 }, code: 'malformed', severity: 'error', message: 'no [Section] headers: not a security template' },
    ]);
    expect(parseText(lf('[mysqld]', 'port = 3306', '[client]', 'user = x')).problems).toEqual([
      { file: FILE, position: { line: 1 }, code: 'malformed', severity: 'error', message: 'no security template [Section] headers (found only [mysqld], [client]): not a security template' },
    ]);
  });

  it('reports binary data and cut-short UTF-16 as errors from decoding, not a crash', () => {
    const binary = parse(Uint8Array.from([0x5b, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06]));
    expect(binary.settings).toEqual([]);
    expect(binary.problems).toHaveLength(1);
    expect(binary.problems[0]).toMatchObject({ code: 'decode-error', severity: 'error' });
    const truncated = parse(utf16leBom('[System Access]\r\nMinimumPasswordLength = 8').subarray(0, 41));
    expect(truncated.settings).toEqual([]);
    expect(truncated.problems).toEqual([
      { file: FILE, position: { byteOffset: 39 }, code: 'truncated', severity: 'error', message: 'UTF-16LE text has an odd number of bytes (39); the file is cut short' },
    ]);
  });
});

describe('parseSecurityTemplate: encodings and line ends', () => {
  const lines = ['[Unicode]', 'Unicode=yes', '[Privilege Rights]', 'SeDenyNetworkLogonRight = Gäste,*S-1-5-113', '[System Access]', 'NewGuestName = "Gästé"'];
  const expectGaeste = (result: ParseResult) => {
    expect(result.problems).toEqual([]);
    const deny = right(result, 'SeDenyNetworkLogonRight');
    expect(deny.principals).toEqual([
      { sid: 'S-1-5-32-546', name: 'Gäste', resolution: 'well-known-name' },
      { sid: 'S-1-5-113', name: 'Local account', resolution: 'input-sid' },
    ]);
    expect(lineOf(deny)).toBe(4);
    expect(only(result, 'account-policy')[0]).toMatchObject({ name: 'NewGuestName', value: 'Gästé', provenance: { position: { line: 6 } } });
  };

  it('UTF-16LE with BOM, CRLF', () => expectGaeste(parse(utf16leBom(crlf(...lines)))));
  it('UTF-16LE without BOM, CRLF', () => expectGaeste(parse(Buffer.from(crlf(...lines), 'utf16le'))));
  it('UTF-8 with BOM, CRLF', () => expectGaeste(parse(utf8Bom(crlf(...lines)))));
  it('UTF-8 without BOM, LF', () => expectGaeste(parse(utf8(lf(...lines)))));
  it('windows-1252, LF', () => {
    const bytes = windows1252(lf(...lines));
    expect(bytes.includes(0xe4)).toBe(true);
    expectGaeste(parse(bytes));
  });
  it('windows-1252, CRLF, no final line end', () => expectGaeste(parse(windows1252(lines.join('\r\n')))));
});

describe('parseSecurityTemplate: samples', () => {
  const SAMPLES = resolve(fileURLToPath(new URL('../../samples', import.meta.url)));
  const sample = (path: string) => {
    const bytes = readFileSync(join(SAMPLES, path));
    return { bytes, result: parse(bytes, path) };
  };

  it('broken/GptTmpl.inf (UTF-16LE+BOM, CRLF) holds the WorkSpaces-breaking values', () => {
    const { bytes, result } = sample('broken/security-template/GptTmpl.inf');
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
    expect(Buffer.from(bytes).toString('utf16le')).toContain('\r\n');
    expect(result.problems).toEqual([]);
    expect(registryValue(result, 'LegalNoticeCaption')).toMatchObject({ hive: 'HKLM', key: SYSTEM_KEY, operation: { op: 'set', data: { type: 'REG_SZ', value: 'Notice' } }, provenance: { position: { line: 9 } } });
    expect(registryValue(result, 'LegalNoticeText')).toMatchObject({ key: SYSTEM_KEY, operation: { op: 'set', data: { type: 'REG_MULTI_SZ', value: ['Authorised use only, all activity is logged.', 'Contact the service desk for access.'] } }, provenance: { position: { line: 10 } } });
    expect(registryValue(result, 'DontDisplayLastUserName').operation).toEqual({ op: 'set', data: { type: 'REG_DWORD', value: 0 } });
    expect(registryValue(result, 'DisableCAD').operation).toEqual({ op: 'set', data: { type: 'REG_DWORD', value: 1 } });
    expect(registryValue(result, 'DontDisplayLockedUserId').operation).toEqual({ op: 'set', data: { type: 'REG_DWORD', value: 3 } });
    expect(sids(right(result, 'SeNetworkLogonRight').principals)).toEqual(['S-1-5-32-544', `${DOMAIN}-515`]);
    expect(right(result, 'SeDenyNetworkLogonRight').principals).toEqual([
      { sid: `${DOMAIN}-513`, rid: 513, name: 'Domain Users', resolution: 'input-sid' },
      { rid: 501, name: 'Guest', resolution: 'well-known-name' },
    ]);
    expect(sids(right(result, 'SeInteractiveLogonRight').principals)).toEqual(['S-1-5-32-544']);
    expect(sids(right(result, 'SeRemoteInteractiveLogonRight').principals)).toEqual(['S-1-5-32-544']);
    expect(only(result, 'group-membership')).toEqual([
      expect.objectContaining({ group: expect.objectContaining({ sid: 'S-1-5-32-555' }), members: [expect.objectContaining({ sid: 'S-1-5-32-544' })], provenance: expect.objectContaining({ position: { line: 20 } }) }),
    ]);
    expect(only(result, 'group-membership')[0]!.memberOf).toBeUndefined();
    expect(only(result, 'account-policy').map((s) => [s.name, s.value])).toEqual([['MinimumPasswordLength', 12], ['PasswordComplexity', 1]]);
    expect(only(result, 'audit').map((s) => [s.name, s.success, s.failure])).toEqual([['AuditLogonEvents', true, true]]);
    expect(result.settings).toHaveLength(13);
  });

  it('broken/secedit-export-ansi.inf (windows-1252, no BOM, LF) decodes Gäste right', () => {
    const { bytes, result } = sample('broken/security-template/secedit-export-ansi.inf');
    expect(bytes.includes(0x0d)).toBe(false);
    expect(bytes.includes(0xe4)).toBe(true);
    expect(result.problems).toEqual([]);
    expect(right(result, 'SeDenyNetworkLogonRight')).toMatchObject({ principals: [{ sid: 'S-1-5-32-546', name: 'Gäste', resolution: 'well-known-name' }], provenance: { position: { line: 10 } } });
    expect(right(result, 'SeRemoteInteractiveLogonRight').principals).toEqual([{ sid: 'S-1-5-32-544', name: 'Administratoren', resolution: 'well-known-name' }]);
    expect(right(result, 'SeNetworkLogonRight')).toMatchObject({ principals: [{ sid: 'S-1-5-32-544' }], provenance: { position: { line: 11 } } });
    expect(registryValue(result, 'LegalNoticeCaption').operation).toEqual({ op: 'set', data: { type: 'REG_SZ', value: 'Hinweis für Benutzer' } });
    expect(registryValue(result, 'DontDisplayLastUserName').operation).toEqual({ op: 'set', data: { type: 'REG_DWORD', value: 0 } });
    expect(only(result, 'account-policy').map((s) => [s.name, s.value])).toEqual([['NewGuestName', 'Gastkonto']]);
    expect(result.settings).toHaveLength(6);
  });

  it('clean/GptTmpl.inf (UTF-8+BOM, CRLF) holds the safe values', () => {
    const { bytes, result } = sample('clean/security-template/GptTmpl.inf');
    expect([bytes[0], bytes[1], bytes[2]]).toEqual([0xef, 0xbb, 0xbf]);
    expect(result.problems).toEqual([]);
    expect(registryValue(result, 'LegalNoticeCaption').operation).toEqual({ op: 'set', data: { type: 'REG_SZ', value: '' } });
    expect(registryValue(result, 'LegalNoticeText').operation).toEqual({ op: 'set', data: { type: 'REG_MULTI_SZ', value: [] } });
    expect(registryValue(result, 'DontDisplayLastUserName').operation).toEqual({ op: 'set', data: { type: 'REG_DWORD', value: 1 } });
    expect(registryValue(result, 'DisableCAD').operation).toEqual({ op: 'set', data: { type: 'REG_DWORD', value: 0 } });
    expect(registryValue(result, 'DontDisplayLockedUserId')).toMatchObject({ operation: { op: 'set', data: { type: 'REG_DWORD', value: 1 } }, provenance: { position: { line: 10 } } });
    expect(sids(right(result, 'SeNetworkLogonRight').principals)).toEqual(['S-1-5-32-544', `${DOMAIN}-513`]);
    expect(sids(right(result, 'SeInteractiveLogonRight').principals)).toEqual(['S-1-5-32-544', 'S-1-5-32-545']);
    expect(sids(right(result, 'SeRemoteInteractiveLogonRight').principals)).toEqual(['S-1-5-32-544', 'S-1-5-32-555']);
    expect(only(result, 'privilege-right').map((s) => s.right)).not.toContain('SeDenyNetworkLogonRight');
    expect(only(result, 'group-membership')).toEqual([
      {
        kind: 'group-membership',
        group: { sid: 'S-1-5-32-555', name: 'BUILTIN\\Remote Desktop Users', resolution: 'input-sid' },
        members: [{ sid: `${DOMAIN}-513`, rid: 513, name: 'Domain Users', resolution: 'input-sid' }],
        provenance: { gpo: {}, file: 'clean/security-template/GptTmpl.inf', format: 'security-template', position: { line: 16 } },
      },
    ]);
    expect(result.settings).toHaveLength(10);
  });
});

// ---------------------------------------------------------------------------------------------
// Real exports

/** The corpus files provenance.csv lists as GptTmpl.inf or secedit export, as paths relative to REALDATA. */
function corpusTemplates(): string[] {
  // describe.skip still collects its body, so a missing corpus must not throw here.
  if (!existsSync(join(REALDATA, 'provenance.csv'))) return [];
  const rows = parseCsv(readFileSync(join(REALDATA, 'provenance.csv'), 'utf8'));
  const header = rows[0]!;
  const pathColumn = header.indexOf('local_path');
  const kindColumn = header.indexOf('kind');
  const kinds = new Set(['GptTmpl.inf', 'security template INF (secedit export/GptTmpl)']);
  return rows.slice(1).filter((r) => kinds.has(r[kindColumn] ?? '')).map((r) => r[pathColumn]!);
}

/** RFC 4180 enough for provenance.csv: quoted fields with "" escapes, no newlines inside fields. */
function parseCsv(text: string): string[][] {
  return text.split(/\r?\n/).filter((l) => l !== '').map((line) => {
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted && ch === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) { fields.push(field); field = ''; }
      else field += ch;
    }
    fields.push(field);
    return fields;
  });
}

const SETTING_SECTIONS = /^\s*\[\s*(System Access|Kerberos Policy|System Log|Security Log|Application Log|Event Audit|Registry Values|Privilege Rights|Group Membership)\s*\]\s*$/im;

describeCorpus('parseSecurityTemplate: real exports', () => {
  const files = corpusTemplates();
  const parseReal = (path: string) => parse(readFileSync(join(REALDATA, path)), path);

  it('finds the templates provenance.csv lists', () => {
    expect(files.length).toBe(44);
    expect(files).toContain('Tsumihara__STIG/secpol.cfg');
  });

  it.each(files)('%s parses without problems', (path) => {
    const bytes = readFileSync(join(REALDATA, path));
    const result = parse(bytes, path);
    expect(result.problems).toEqual([]);
    // Several real GptTmpl.inf hold only [Unicode]/[Version] (or only [Service General Setting]): nothing to read there.
    if (SETTING_SECTIONS.test(decodeText(bytes).text)) expect(result.settings.length).toBeGreaterThan(0);
    else expect(result.settings).toEqual([]);
  });

  it('finds settings in most of them', () => {
    const withSettings = files.filter((path) => parseReal(path).settings.length > 0);
    expect(withSettings).toHaveLength(30);
  });

  it('DISA Windows 10 STIG: the DoD banner with its literal commas, and named placeholders in SeDenyNetworkLogonRight', () => {
    const result = parseReal('cloudcap10__stig-group-policy-objects/DoD Windows 10 V2R3/GPOs/{F55ED5BB-AD6E-4D34-949D-4FC120C7CAF5}/DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf');
    const text = registryValue(result, 'LegalNoticeText');
    expect(lineOf(text)).toBe(44);
    expect(text.key).toBe(SYSTEM_KEY);
    const lines = text.operation.op === 'set' && text.operation.data.type === 'REG_MULTI_SZ' ? text.operation.data.value : [];
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('You are accessing a U.S. Government (USG) Information System (IS) that is provided for USG-authorized use only.');
    expect(lines[1]).toBe('By using this IS (which includes any device attached to this IS), you consent to the following conditions:');
    expect(lines[2]).toMatch(/^-The USG routinely intercepts and monitors communications on this IS for purposes including, but not limited to, penetration testing, COMSEC monitoring,/);
    expect(lines[6]).toMatch(/See User Agreement for details\.$/);
    expect(registryValue(result, 'LegalNoticeCaption')).toMatchObject({ operation: { op: 'set', data: { type: 'REG_SZ', value: 'US Department of Defense Warning Statement' } }, provenance: { position: { line: 45 } } });
    const deny = right(result, 'SeDenyNetworkLogonRight');
    expect(lineOf(deny)).toBe(73);
    expect(sids(deny.principals)).toEqual(['name:ADD YOUR DOMAIN ADMINS', 'name:ADD YOUR ENTERPRISE ADMINS', 'S-1-5-32-546', 'S-1-5-113']);
    expect(sids(right(result, 'SeNetworkLogonRight').principals)).toEqual(['S-1-5-32-544', 'S-1-5-32-555']);
  });

  it('Tsumihara secedit export (UTF-16LE): Guest by name, empty banner, binary and multi-string values', () => {
    const result = parseReal('Tsumihara__STIG/secpol.cfg');
    const deny = right(result, 'SeDenyNetworkLogonRight');
    expect(lineOf(deny)).toBe(114);
    expect(deny.principals).toEqual([{ rid: 501, name: 'Guest', resolution: 'well-known-name' }]);
    expect(sids(right(result, 'SeInteractiveLogonRight').principals)).toEqual(['name:__vmware__', 'name:Guest', 'S-1-5-32-544', 'S-1-5-32-545', 'S-1-5-32-551']);
    expect(sids(right(result, 'SeNetworkLogonRight').principals)).toEqual(['S-1-1-0', 'S-1-5-32-544', 'S-1-5-32-545', 'S-1-5-32-551']);
    expect(registryValue(result, 'LegalNoticeCaption')).toMatchObject({ operation: { op: 'set', data: { type: 'REG_SZ', value: '' } }, provenance: { position: { line: 46 } } });
    expect(registryValue(result, 'LegalNoticeText')).toMatchObject({ operation: { op: 'set', data: { type: 'REG_MULTI_SZ', value: [] } }, provenance: { position: { line: 47 } } });
    expect(registryValue(result, 'DontDisplayLastUserName').operation).toEqual({ op: 'set', data: { type: 'REG_DWORD', value: 1 } });
    expect(registryValue(result, 'FullPrivilegeAuditing')).toMatchObject({ operation: { op: 'set', data: { type: 'REG_BINARY', value: '1' } }, provenance: { position: { line: 60 } } });
    expect(registryValue(result, 'CachedLogonsCount').operation).toEqual({ op: 'set', data: { type: 'REG_SZ', value: '10' } });
    const exact = registryValue(result, 'Machine', 'System\\CurrentControlSet\\Control\\SecurePipeServers\\Winreg\\AllowedExactPaths');
    expect(lineOf(exact)).toBe(68);
    expect(exact.operation).toEqual({ op: 'set', data: { type: 'REG_MULTI_SZ', value: ['System\\CurrentControlSet\\Control\\ProductOptions', 'System\\CurrentControlSet\\Control\\Server Applications', 'Software\\Microsoft\\Windows NT\\CurrentVersion'] } });
    expect(only(result, 'account-policy').find((s) => s.name === 'NewGuestName')).toMatchObject({ value: 'Guest', provenance: { position: { line: 16 } } });
    expect(only(result, 'audit').find((s) => s.name === 'AuditSystemEvents')).toMatchObject({ success: true, failure: true, provenance: { position: { line: 22 } } });
  });

  it('Tsumihara hand-edited GptTmpl.inf (UTF-8 with BOM): quoted guest name, rights granted to no one', () => {
    const result = parseReal('Tsumihara__STIG/GptTmpl.inf');
    expect(only(result, 'account-policy').find((s) => s.name === 'NewGuestName')).toMatchObject({ section: 'System Access', value: 'Visitor', provenance: { position: { line: 12 } } });
    expect(right(result, 'SeTcbPrivilege')).toMatchObject({ principals: [], provenance: { position: { line: 23 } } });
    expect(right(result, 'SeDenyNetworkLogonRight')).toMatchObject({ provenance: { position: { line: 33 } } });
    expect(sids(right(result, 'SeDenyNetworkLogonRight').principals)).toEqual(['S-1-5-113', 'S-1-5-32-546']);
    expect(registryValue(result, 'RestrictRemoteSAM')).toMatchObject({ operation: { op: 'set', data: { type: 'REG_SZ', value: 'O:BAG:BAD:(A;;RC;;;BA)' } }, provenance: { position: { line: 65 } } });
  });

  it('raandree lab GPO: Kerberos, event audit, event log, and one merged restricted group', () => {
    const result = parseReal('raandree__GpoReport/GpoBackup/{0A46DE24-E95A-490C-A46B-E02FAFAC10AA}/DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf');
    const lab = 'S-1-5-21-2314223357-854812767-645058375';
    expect(only(result, 'account-policy').map((s) => [s.section, s.name, s.value, lineOf(s)])).toEqual([
      ['System Access', 'PasswordHistorySize', 4, 7],
      ['System Access', 'AllowAdministratorLockout', 1, 8],
      ['Kerberos Policy', 'MaxTicketAge', 7, 10],
      ['Kerberos Policy', 'MaxRenewAge', 7, 11],
      ['Kerberos Policy', 'MaxServiceAge', 10, 12],
      ['Event Log', 'Application Log/AuditLogRetentionPeriod', 1, 20],
      ['Event Log', 'Application Log/RetentionDays', 7, 21],
    ]);
    expect(only(result, 'audit').map((s) => [s.name, s.success, s.failure, lineOf(s)])).toEqual([
      ['AuditProcessTracking', false, true, 14],
      ['AuditDSAccess', true, false, 15],
    ]);
    expect(only(result, 'group-membership')).toEqual([
      {
        kind: 'group-membership',
        group: { sid: `${lab}-512`, rid: 512, name: 'Domain Admins', resolution: 'input-sid' },
        memberOf: [{ sid: `${lab}-5896`, rid: 5896, resolution: 'input-sid' }],
        members: [{ sid: `${lab}-1960`, rid: 1960, resolution: 'input-sid' }],
        provenance: expect.objectContaining({ position: { line: 26 } }),
      },
    ]);
    expect(result.settings).toHaveLength(14);
  });

  it('Microsoft baseline delta template: [Profile Description] ignored, empty rights with a trailing space', () => {
    const result = parseReal('simeononsecurity__Windows-Optimize-Harden-Debloat/Files/GPOs/Microsoft/Windows 10 1909 Baseline/Scripts/ConfigFiles/DeltaForNonDomainJoined.inf');
    expect(result.problems).toEqual([]);
    expect(only(result, 'privilege-right').map((s) => [s.right, s.principals, lineOf(s)])).toEqual([
      ['SeDenyNetworkLogonRight', [], 10],
      ['SeDenyRemoteInteractiveLogonRight', [], 11],
    ]);
    expect(result.settings).toHaveLength(2);
  });
});

describe('parseSecurityTemplate: quotes around string values', () => {
  // Only a value both opened and closed by a double quote loses them; a lone or unbalanced quote is part of the text.
  it.each([
    ['"Notice"', 'Notice'],
    ['""', ''],
    ['"', '"'],
    ['"Notice', '"Notice'],
    ['Notice"', 'Notice"'],
    ['No"ti"ce', 'No"ti"ce'],
    ['Notice', 'Notice'],
  ])('REG_SZ %s reads as %s', (written, value) => {
    const result = parseText(lf('[Registry Values]', `${SYSTEM}LegalNoticeCaption=1,${written}`));
    expect(result.problems).toEqual([]);
    expect(only(result, 'registry')[0]!.operation).toEqual({ op: 'set', data: { type: 'REG_SZ', value } });
  });

  it.each([
    ['"%SystemRoot%\\x"', '%SystemRoot%\\x'],
    ['"', '"'],
  ])('REG_EXPAND_SZ %s reads as %s', (written, value) => {
    const result = parseText(lf('[Registry Values]', `${SYSTEM}Path=2,${written}`));
    expect(only(result, 'registry')[0]!.operation).toEqual({ op: 'set', data: { type: 'REG_EXPAND_SZ', value } });
  });
});
