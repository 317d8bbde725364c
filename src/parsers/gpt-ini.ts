import { decodeText } from '../codecs/decode.js';
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
  let sawGeneral = false;
  lines.forEach((raw) => {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!.toLowerCase();
      if (section === 'general') sawGeneral = true;
      return;
    }
    const kv = /^([^=]+)=(.*)$/.exec(line);
    if (section === 'general' && kv && kv[1]!.trim().toLowerCase() === 'displayname') name = kv[2]!.trim() || undefined;
  });
  if (!sawGeneral) throw new InputError('malformed', 'GPT.INI has no [General] section', { line: 1 });
  out.gpos.push({ ref: { ...(ctx.gpo ?? {}), ...(name ? { name } : {}) }, links: [], sources: [{ file: ctx.file, format: 'gpt-ini' }] });
});
