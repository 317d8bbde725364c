// Edges of the GPP PowerOptions.xml reader (issue 11, mutation testing): which items can make a plan active, how the
// plan GUID is read or refused, and the exact warnings.
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../src/model/parse-result.js';
import type { PowerPlanSetting } from '../../src/model/settings.js';
import { parseGppPowerOptions } from '../../src/parsers/gpp-power.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const ctx = { file: 'PowerOptions.xml' };
const parse = (items: string[]): ParseResult => parseGppPowerOptions(utf8(['<PowerOptions>', ...items, '</PowerOptions>'].join('\n')), ctx);
const plans = (r: ParseResult) => r.settings.filter((s): s is PowerPlanSetting => s.kind === 'power-plan');
const warnings = (r: ParseResult) => r.problems.map((p) => [p.severity, p.code, p.position, p.message]);
const v2 = (name: string, props: string) => `<GlobalPowerOptionsV2 name="${name}"><Properties ${props}/></GlobalPowerOptionsV2>`;

describe('parseGppPowerOptions edges: making a plan active', () => {
  it('never makes the XP global options active, even with default="1"; an XP scheme or a V2 plan with default="1" is', () => {
    const r = parse([
      '<GlobalPowerOptions name="XP global"><Properties action="U" default="1" enableHibernation="1"/></GlobalPowerOptions>',
      '<PowerScheme name="XP scheme"><Properties action="U" default="1"/></PowerScheme>',
      v2('V2 default', 'action="U" default="1"'),
      v2('V2 not default', 'action="U" default="0"'),
      v2('V2 no default', 'action="U"'),
    ]);
    expect(r.problems).toEqual([]);
    expect(plans(r).map((p) => [p.itemName, p.variant, p.makeActive])).toEqual([
      ['XP global', 'global-power-options-xp', false],
      ['XP scheme', 'power-scheme-xp', true],
      ['V2 default', 'power-plan-v2', true],
      ['V2 not default', 'power-plan-v2', false],
      ['V2 no default', 'power-plan-v2', false],
    ]);
  });
  it('keeps an item with no name as the empty name', () => {
    const r = parse(['<GlobalPowerOptionsV2><Properties action="U"/></GlobalPowerOptionsV2>']);
    expect(plans(r).map((p) => [p.itemName, p.preference?.itemName])).toEqual([['', '']]);
  });
});

describe('parseGppPowerOptions edges: the plan GUID', () => {
  const r = parse([
    v2('lower braced', 'action="U" nameGuid="{381b4222-f694-41f0-9685-ff5bb260df2e}"'),
    v2('bare upper, spaces', 'action="U" nameGuid="  381B4222-F694-41F0-9685-FF5BB260DF2E "'),
    v2('blank', 'action="U" nameGuid="   "'),
    v2('36 hex, no dashes', 'action="U" nameGuid="{381B4222F69441F09685FF5BB260DF2E1234}"'),
    v2('only dashes', 'action="U" nameGuid="{------------------------------------}"'),
    '<GlobalPowerOptionsV2><Properties action="U" nameGuid="{123}"/></GlobalPowerOptionsV2>',
    v2('text before', 'action="U" nameGuid="X{381B4222-F694-41F0-9685-FF5BB260DF2E}"'),
    v2('text after', 'action="U" nameGuid="{381B4222-F694-41F0-9685-FF5BB260DF2E}X"'),
    '<PowerScheme name="XP with GUID"><Properties action="U" nameGuid="{381B4222-F694-41F0-9685-FF5BB260DF2E}"/></PowerScheme>',
  ]);
  const guid = (name: string) => plans(r).find((p) => p.itemName === name)?.planGuid;

  it('reads a GUID in any case, with or without braces and spaces, as lower case without braces', () => {
    expect(guid('lower braced')).toBe('381b4222-f694-41f0-9685-ff5bb260df2e');
    expect(guid('bare upper, spaces')).toBe('381b4222-f694-41f0-9685-ff5bb260df2e');
  });
  it('leaves the GUID unknown without a word when nameGuid is blank, and on XP items whatever they say', () => {
    expect(plans(r).find((p) => p.itemName === 'blank')).not.toHaveProperty('planGuid');
    expect(plans(r).find((p) => p.itemName === 'XP with GUID')).not.toHaveProperty('planGuid');
  });
  it('refuses 36 characters of hex or dashes that are not in GUID form, and text around a GUID; names an unnamed item as ""', () => {
    expect(guid('36 hex, no dashes')).toBeUndefined();
    expect(guid('only dashes')).toBeUndefined();
    expect(guid('text before')).toBeUndefined();
    expect(guid('text after')).toBeUndefined();
    expect(plans(r)).toHaveLength(9);
    expect(warnings(r)).toEqual([
      ['warning', 'malformed', { line: 5 }, '<GlobalPowerOptionsV2> "36 hex, no dashes": nameGuid "{381B4222F69441F09685FF5BB260DF2E1234}" is not a GUID; plan GUID left unknown'],
      ['warning', 'malformed', { line: 6 }, '<GlobalPowerOptionsV2> "only dashes": nameGuid "{------------------------------------}" is not a GUID; plan GUID left unknown'],
      ['warning', 'malformed', { line: 7 }, '<GlobalPowerOptionsV2> "": nameGuid "{123}" is not a GUID; plan GUID left unknown'],
      ['warning', 'malformed', { line: 8 }, '<GlobalPowerOptionsV2> "text before": nameGuid "X{381B4222-F694-41F0-9685-FF5BB260DF2E}" is not a GUID; plan GUID left unknown'],
      ['warning', 'malformed', { line: 9 }, '<GlobalPowerOptionsV2> "text after": nameGuid "{381B4222-F694-41F0-9685-FF5BB260DF2E}X" is not a GUID; plan GUID left unknown'],
    ]);
  });
});
