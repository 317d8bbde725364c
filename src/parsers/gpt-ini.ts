import { decodeText } from '../codecs/decode.js';
import type { GpoInfo } from '../model/gpo.js';
import { splitVersion } from '../model/gpo-links.js';
import { InputError } from '../model/problems.js';
import { guardParser } from './common.js';

/**
 * SYSVOL GPT.INI: `[General]` with `Version=` (upper 16 bits user, lower 16 bits computer) and sometimes
 * `displayName=`. It names the GPO when no report is at hand; the GUID comes from the folder name.
 */
export const parseGptIni = guardParser('gpt-ini', (bytes, ctx, out) => {
  const lines = decodeText(bytes).text.split(/\r?\n/);
  let section = '';
  let name: string | undefined;
  let version: number | undefined;
  let versionLine: number | undefined;
  let sawGeneral = false;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!.toLowerCase();
      if (section === 'general') sawGeneral = true;
      return;
    }
    const kv = /^([^=]+)=(.*)$/.exec(line);
    if (section !== 'general' || !kv) return;
    const key = kv[1]!.trim().toLowerCase();
    const value = kv[2]!.trim();
    if (key === 'displayname') name = value || undefined;
    else if (key === 'version') {
      // versionNumber is a signed 32-bit attribute; GPT.INI writes it in decimal, a negative value when the user half is large.
      const n = /^-?[0-9]{1,10}$/.test(value) ? Number(value) : NaN;
      if (n >= -0x80000000 && n <= 0xffffffff) {
        version = n;
        versionLine = i + 1;
      }
      else out.problems.push({ file: ctx.file, position: { line: i + 1 }, code: 'skipped-entry', severity: 'warning', message: `GPT.INI Version "${value.slice(0, 40)}" is not a version number; left out` });
    }
  });
  if (!sawGeneral) throw new InputError('malformed', 'GPT.INI has no [General] section', { line: 1 });
  const info: GpoInfo = { ref: { ...(ctx.gpo ?? {}), ...(name ? { name } : {}) }, links: [], sources: [{ file: ctx.file, format: 'gpt-ini' }] };
  // GPT.INI is the SYSVOL half: what the directory says is not in it.
  if (version !== undefined) {
    const v = splitVersion(version);
    info.versions = { computer: { sysvol: v.computer }, user: { sysvol: v.user } };
    if (versionLine !== undefined) info.versionsLine = versionLine;
  }
  out.gpos.push(info);
});
