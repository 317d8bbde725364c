// The parser boundary (src/parsers/common.ts): what a user sees when one file cannot be read, and where a setting
// says it came from.
import { describe, expect, it } from 'vitest';
import type { Setting } from '../../src/model/settings.js';
import { InputError } from '../../src/model/problems.js';
import { guardParser, provenance } from '../../src/parsers/common.js';
import { PARSERS } from '../../src/parsers/index.js';

const setting = (name: string): Setting => ({
  kind: 'account-policy', section: 'System Access', name, value: 1,
  provenance: { gpo: {}, file: 'f.inf', format: 'security-template', position: { line: 1 } },
});

describe('guardParser: one file\'s failure is a problem naming that file', () => {
  it('a file read without trouble returns what the parser produced, tagged with its file and format', () => {
    const parse = guardParser('security-template', (_bytes, _ctx, out) => { out.settings.push(setting('A')); });
    expect(parse(new Uint8Array(), { file: 'f.inf' })).toEqual({ file: 'f.inf', format: 'security-template', settings: [setting('A')], gpos: [], problems: [] });
  });

  it('a bad input is reported with its code, message and place, and the half-read settings are dropped', () => {
    const parse = guardParser('security-template', (_bytes, _ctx, out) => {
      out.settings.push(setting('A'));
      out.problems.push({ file: 'f.inf', code: 'skipped-entry', severity: 'warning', message: 'earlier warning' });
      throw new InputError('truncated', 'ends inside a section', { line: 7 });
    });
    const r = parse(new Uint8Array(), { file: 'f.inf' });
    expect(r.settings).toEqual([]);
    expect(r.problems).toEqual([
      { file: 'f.inf', code: 'skipped-entry', severity: 'warning', message: 'earlier warning' },
      { file: 'f.inf', position: { line: 7 }, code: 'truncated', severity: 'error', message: 'ends inside a section' },
    ]);
  });

  it('any other exception is reported as gpaudit\'s own bug, one line, and the file\'s settings are dropped', () => {
    const parse = guardParser('registry-pol', (_bytes, _ctx, out) => {
      out.settings.push(setting('A'));
      throw new TypeError('x is undefined');
    });
    const r = parse(new Uint8Array(), { file: 'Registry.pol' });
    expect(r.settings).toEqual([]);
    expect(r.problems).toEqual([{ file: 'Registry.pol', code: 'internal-error', severity: 'error', message: 'gpaudit failed on this file (a bug; please report it): x is undefined' }]);
  });

  it('each call starts from an empty result', () => {
    const parse = guardParser('gpt-ini', (bytes, _ctx, out) => { out.settings.push(setting(String(bytes.length))); });
    parse(new Uint8Array(1), { file: 'a' });
    expect(parse(new Uint8Array(2), { file: 'b' }).settings).toEqual([setting('2')]);
  });
});

describe('provenance: where a setting came from', () => {
  it('takes the GPO given, else the file\'s GPO, else an unknown GPO', () => {
    const ctx = { file: 'GptTmpl.inf', gpo: { id: '{11111111-1111-1111-1111-111111111111}' } };
    expect(provenance(ctx, 'security-template', { line: 3 }, { name: 'Named' })).toEqual({ gpo: { name: 'Named' }, file: 'GptTmpl.inf', format: 'security-template', position: { line: 3 } });
    expect(provenance(ctx, 'security-template', { line: 4 })).toEqual({ gpo: ctx.gpo, file: 'GptTmpl.inf', format: 'security-template', position: { line: 4 } });
    expect(provenance({ file: 'x.inf' }, 'security-template', { byteOffset: 9 })).toEqual({ gpo: {}, file: 'x.inf', format: 'security-template', position: { byteOffset: 9 } });
  });
});

describe('PARSERS: one parser per input format', () => {
  it('each format\'s parser tags its result with that format', () => {
    for (const [format, parse] of Object.entries(PARSERS)) {
      expect(parse(new Uint8Array(), { file: 'empty' }).format, format).toBe(format);
    }
  });

  it('covers exactly the input formats gpaudit reads', () => {
    expect(Object.keys(PARSERS).sort()).toEqual(['backup-metadata', 'gpo-report', 'gpp-power', 'gpp-registry', 'gpt-ini', 'registry-pol', 'rsop', 'security-template']);
  });
});
