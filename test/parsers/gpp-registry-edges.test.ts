// Edges of the GPP Registry.xml reader (issue 11, mutation testing): what a user sees for hives, keys, value types and
// number sizes at their limits, each with the exact setting or the exact warning.
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../src/model/parse-result.js';
import type { RegistrySetting } from '../../src/model/settings.js';
import { parseGppRegistry } from '../../src/parsers/gpp-registry.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const ctx = { file: 'Registry.xml' };
const REG = 'clsid="{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}"';

/** A Registry.xml with one item per line from line 2, each `<Properties>` written from the attributes given. */
function parse(items: string[]): ParseResult {
  return parseGppRegistry(utf8(['<RegistrySettings>', ...items, '</RegistrySettings>'].join('\n')), ctx);
}
const item = (name: string, props: string) => `<Registry ${REG} name="${name}"><Properties ${props}/></Registry>`;
const settings = (r: ParseResult) => r.settings.filter((s): s is RegistrySetting => s.kind === 'registry');
const targets = (r: ParseResult) => settings(r).map((s) => ({ hive: s.hive, key: s.key, valueName: s.valueName, operation: s.operation }));
const warnings = (r: ParseResult) => r.problems.map((p) => [p.severity, p.code, p.position, p.message]);

describe('parseGppRegistry edges: hives', () => {
  it('accepts the short names HKLM and HKCU, in any case and with spaces around them', () => {
    const r = parse([
      item('a', 'action="U" hive="HKLM" key="K" name="A" type="REG_SZ" value="1"'),
      item('b', 'action="U" hive=" hkcu " key="K" name="B" type="REG_SZ" value="2"'),
      item('c', 'action="U" hive="hkey_local_machine" key="K" name="C" type="REG_SZ" value="3"'),
      item('d', 'action="U" hive="Hkey_Current_User" key="K" name="D" type="REG_SZ" value="4"'),
    ]);
    expect(r.problems).toEqual([]);
    expect(settings(r).map((s) => [s.hive, s.valueName])).toEqual([['HKLM', 'A'], ['HKCU', 'B'], ['HKLM', 'C'], ['HKCU', 'D']]);
  });
  it('names an absent hive as "" in the warning', () => {
    const r = parse([item('nohive', 'action="U" key="K" name="A" type="REG_SZ" value="1"')]);
    expect(warnings(r)).toEqual([
      ['warning', 'skipped-entry', { line: 2 }, '<Registry> "nohive" skipped: hive "" is not HKEY_LOCAL_MACHINE or HKEY_CURRENT_USER'],
    ]);
  });
});

describe('parseGppRegistry edges: keys and actions', () => {
  it('skips an item with no key or a key of spaces, saying so', () => {
    const r = parse([
      item('nokey', 'action="U" hive="HKEY_LOCAL_MACHINE" name="A" type="REG_SZ" value="1"'),
      item('blank', 'action="U" hive="HKEY_LOCAL_MACHINE" key="   " name="A" type="REG_SZ" value="1"'),
    ]);
    expect(settings(r)).toEqual([]);
    expect(warnings(r)).toEqual([
      ['warning', 'skipped-entry', { line: 2 }, '<Registry> "nokey" skipped: it names no registry key'],
      ['warning', 'skipped-entry', { line: 3 }, '<Registry> "blank" skipped: it names no registry key'],
    ]);
  });
  it('reads an absent action as update and lower-case letters as their action', () => {
    const r = parse([
      item('none', 'hive="HKEY_LOCAL_MACHINE" key="K" name="A" type="REG_SZ" value="1"'),
      item('lower', 'action="r" hive="HKEY_LOCAL_MACHINE" key="K" name="B" type="REG_SZ" value="2"'),
    ]);
    expect(r.problems).toEqual([]);
    expect(settings(r).map((s) => s.preference?.action)).toEqual(['update', 'replace']);
  });
  it('deletes a key named with trailing backslashes from its parent, and a top-level key from the hive root', () => {
    const r = parse([
      item('trailing', 'action="D" hive="HKEY_LOCAL_MACHINE" key="Software\\Example\\Old\\\\" name="" type="" value=""'),
      item('top', 'action="D" hive="HKEY_CURRENT_USER" key="Obsolete" name="" type="" value=""'),
      item('leading', 'action="D" hive="HKEY_CURRENT_USER" key="\\Stale" name="" type="" value=""'),
    ]);
    expect(r.problems).toEqual([]);
    expect(targets(r)).toEqual([
      { hive: 'HKLM', key: 'Software\\Example', valueName: '', operation: { op: 'delete-keys', keys: ['Old'] } },
      { hive: 'HKCU', key: '', valueName: '', operation: { op: 'delete-keys', keys: ['Obsolete'] } },
      { hive: 'HKCU', key: '', valueName: '', operation: { op: 'delete-keys', keys: ['Stale'] } },
    ]);
  });
  it('creates a key item whose attributes are absent altogether (no type, no name)', () => {
    const r = parse([item('bare key', 'action="C" hive="HKEY_LOCAL_MACHINE" key="Software\\New"')]);
    expect(r.problems).toEqual([]);
    expect(targets(r)).toEqual([{ hive: 'HKLM', key: 'Software\\New', valueName: '', operation: { op: 'create-key' } }]);
  });
  it('deletes the (Default) value, not the key, when default="1" even with a stray name', () => {
    const r = parse([item('def', 'action="D" default="1" hive="HKEY_LOCAL_MACHINE" key="Software\\H" name="Stray" type="" value=""')]);
    expect(r.problems).toEqual([]);
    expect(targets(r)).toEqual([{ hive: 'HKLM', key: 'Software\\H', valueName: '', operation: { op: 'delete' } }]);
  });
  it('sets the (Default) value even when a name is written beside default="1"', () => {
    const r = parse([item('def', 'action="U" default="1" hive="HKEY_LOCAL_MACHINE" key="Software\\H" name="Stray" type="REG_SZ" value="v"')]);
    expect(targets(r)).toEqual([{ hive: 'HKLM', key: 'Software\\H', valueName: '', operation: { op: 'set', data: { type: 'REG_SZ', value: 'v' } } }]);
  });
  it('skips a named value with no type (it is not a key item) and a (Default) value with no type', () => {
    const r = parse([
      item('untyped', 'action="U" hive="HKEY_LOCAL_MACHINE" key="K" name="A" value="1"'),
      item('untyped default', 'action="U" default="1" hive="HKEY_LOCAL_MACHINE" key="K" name="" type="  " value="1"'),
    ]);
    expect(settings(r)).toEqual([]);
    expect(warnings(r)).toEqual([
      ['warning', 'skipped-entry', { line: 2 }, '<Registry> "untyped" skipped: it has no value type'],
      ['warning', 'skipped-entry', { line: 3 }, '<Registry> "untyped default" skipped: it has no value type'],
    ]);
  });
  it('reads a typed item with an empty or absent name as the unnamed value, not as a key', () => {
    const r = parse([
      item('empty name', 'action="U" hive="HKEY_LOCAL_MACHINE" key="K" name="" type="REG_SZ" value="v"'),
      item('no name', 'action="U" hive="HKEY_LOCAL_MACHINE" key="K" type="REG_DWORD" value="1"'),
    ]);
    expect(r.problems).toEqual([]);
    expect(targets(r)).toEqual([
      { hive: 'HKLM', key: 'K', valueName: '', operation: { op: 'set', data: { type: 'REG_SZ', value: 'v' } } },
      { hive: 'HKLM', key: 'K', valueName: '', operation: { op: 'set', data: { type: 'REG_DWORD', value: 1 } } },
    ]);
  });
  it('reads default="1" with no type and no name as the (Default) value: deleted by D, skipped untyped by U', () => {
    const r = parse([
      item('del default', 'action="D" default="1" hive="HKEY_LOCAL_MACHINE" key="Software\\H" name="" type="" value=""'),
      item('set default', 'action="U" default="1" hive="HKEY_LOCAL_MACHINE" key="Software\\H" name="" type="" value="x"'),
    ]);
    expect(targets(r)).toEqual([{ hive: 'HKLM', key: 'Software\\H', valueName: '', operation: { op: 'delete' } }]);
    expect(warnings(r)).toEqual([['warning', 'skipped-entry', { line: 3 }, '<Registry> "set default" skipped: it has no value type']]);
  });
  it('deletes a value whatever its data says (no type check on a delete)', () => {
    const r = parse([item('gone', 'action="D" hive="HKEY_LOCAL_MACHINE" key="K" name="A" type="REG_DWORD" value="not hex"')]);
    expect(r.problems).toEqual([]);
    expect(targets(r)).toEqual([{ hive: 'HKLM', key: 'K', valueName: 'A', operation: { op: 'delete' } }]);
  });
});

describe('parseGppRegistry edges: value types and sizes', () => {
  const r = parse([
    item('lower type', 'action="U" hive="HKLM" key="K" name="A" type=" reg_dword " value="0000000a"'),
    item('0x', 'action="U" hive="HKLM" key="K" name="B" type="REG_DWORD" value="0X1F"'),
    item('spaces', 'action="U" hive="HKLM" key="K" name="C" type="REG_DWORD" value=" 10 "'),
    item('1 digit', 'action="U" hive="HKLM" key="K" name="D" type="REG_DWORD" value="7"'),
    item('empty dword', 'action="U" hive="HKLM" key="K" name="E" type="REG_DWORD" value=""'),
    item('0x only', 'action="U" hive="HKLM" key="K" name="F" type="REG_DWORD" value="0x"'),
    item('9 digits', 'action="U" hive="HKLM" key="K" name="G" type="REG_DWORD" value="0x100000000"'),
    item('sign', 'action="U" hive="HKLM" key="K" name="H" type="REG_DWORD" value="-1"'),
    item('16 digits', 'action="U" hive="HKLM" key="K" name="I" type="reg_qword" value="0x7FFFFFFFFFFFFFFF"'),
    item('17 digits', 'action="U" hive="HKLM" key="K" name="J" type="REG_QWORD" value="10000000000000000"'),
    item('binary', 'action="U" hive="HKLM" key="K" name="L" type="reg_binary" value="01, AB ff,00"'),
    item('empty binary', 'action="U" hive="HKLM" key="K" name="M" type="REG_BINARY" value=""'),
    item('not hex binary', 'action="U" hive="HKLM" key="K" name="N" type="REG_BINARY" value="zz"'),
    item('empty multi', 'action="U" hive="HKLM" key="K" name="O" type="reg_multi_sz" value=""'),
    item('expand', 'action="U" hive="HKLM" key="K" name="P" type="reg_expand_sz" value="%TEMP%"'),
    item('sz', 'action="U" hive="HKLM" key="K" name="Q" type="reg_sz" value=""'),
    item('0x inside', 'action="U" hive="HKLM" key="K" name="R" type="REG_DWORD" value="10x1"'),
    item('no value', 'action="U" hive="HKLM" key="K" name="S" type="REG_SZ"'),
  ]);
  const data = (name: string) => {
    const op = settings(r).find((s) => s.valueName === name)?.operation;
    return op?.op === 'set' ? op.data : op;
  };

  it('reads type names in any case and with spaces around them', () => {
    expect(data('A')).toEqual({ type: 'REG_DWORD', value: 10 });
    expect(data('I')).toEqual({ type: 'REG_QWORD', value: '9223372036854775807' });
    expect(data('P')).toEqual({ type: 'REG_EXPAND_SZ', value: '%TEMP%' });
    expect(data('Q')).toEqual({ type: 'REG_SZ', value: '' });
  });
  it('reads a string value without a value attribute as the empty string', () => {
    expect(data('S')).toEqual({ type: 'REG_SZ', value: '' });
  });
  it('reads DWORDs with a 0x prefix, spaces around, or a single digit', () => {
    expect(data('B')).toEqual({ type: 'REG_DWORD', value: 31 });
    expect(data('C')).toEqual({ type: 'REG_DWORD', value: 16 });
    expect(data('D')).toEqual({ type: 'REG_DWORD', value: 7 });
  });
  it('reads REG_BINARY with commas and spaces between bytes, and an empty one as no bytes', () => {
    expect(data('L')).toEqual({ type: 'REG_BINARY', value: '01abff00' });
    expect(data('M')).toEqual({ type: 'REG_BINARY', value: '' });
  });
  it('reads an empty REG_MULTI_SZ with no <Values> as no strings', () => {
    expect(data('O')).toEqual({ type: 'REG_MULTI_SZ', value: [] });
  });
  it('skips empty, prefix-only, too long, signed and 0x-inside numbers and non-hex binary, quoting the value', () => {
    expect(warnings(r)).toEqual([
      ['warning', 'skipped-entry', { line: 6 }, '<Registry> "empty dword" skipped: REG_DWORD value "" is not 1 to 8 hex digits'],
      ['warning', 'skipped-entry', { line: 7 }, '<Registry> "0x only" skipped: REG_DWORD value "0x" is not 1 to 8 hex digits'],
      ['warning', 'skipped-entry', { line: 8 }, '<Registry> "9 digits" skipped: REG_DWORD value "0x100000000" is not 1 to 8 hex digits'],
      ['warning', 'skipped-entry', { line: 9 }, '<Registry> "sign" skipped: REG_DWORD value "-1" is not 1 to 8 hex digits'],
      ['warning', 'skipped-entry', { line: 11 }, '<Registry> "17 digits" skipped: REG_QWORD value "10000000000000000" is not 1 to 16 hex digits'],
      ['warning', 'skipped-entry', { line: 14 }, '<Registry> "not hex binary" skipped: REG_BINARY value "zz" is not a whole number of hex bytes'],
      ['warning', 'skipped-entry', { line: 18 }, '<Registry> "0x inside" skipped: REG_DWORD value "10x1" is not 1 to 8 hex digits'],
    ]);
    expect(settings(r).map((s) => s.valueName)).toEqual(['A', 'B', 'C', 'D', 'I', 'L', 'M', 'O', 'P', 'Q', 'S']);
  });
});
