// Finding and reading the real exports under /work/shared/realdata: only counts and sizes leave this module,
// never content (the sources' licences forbid copying it into the project).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const REALDATA = process.env.GPAUDIT_REALDATA ?? '/work/shared/realdata';

export function realdataPresent() {
  return existsSync(REALDATA) && statSync(REALDATA).isDirectory();
}

/** Every file under `root`, sorted, so measurements and the shapes table come out in the same order every time. */
export function listFiles(root) {
  const out = [];
  const walk = (dir) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** Backup-GPO folders: those holding a bkupInfo.xml. */
export function backupFolders(files) {
  return files.filter((f) => /[\\/]bkupInfo\.xml$/i.test(f)).map((f) => f.replace(/[\\/]bkupInfo\.xml$/i, ''));
}

/**
 * GPO report XML files, single-GPO (`<GPO`) or multi-GPO (`<report`), found by content rather than name because
 * Get-GPOReport output is saved under any name; RSoP (`<Rsop`) files are not GPO reports.
 */
export function gpoReportFiles(files) {
  return files.filter((f) => f.toLowerCase().endsWith('.xml') && /^<(?:[\w-]+:)?(?:GPO|report)[\s>]/.test(firstElement(f)));
}

function firstElement(path) {
  const text = decodeBytes(readFileSync(path).subarray(0, 4096));
  const m = /<(?![?!])[^]*$/.exec(text.replace(/<\?[^]*?\?>|<!--[^]*?-->/g, ''));
  return m ? m[0] : '';
}

/** BOM-driven decoding, enough for measuring (the real decoder is src/codecs/decode.ts). */
export function decodeBytes(bytes) {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes.length > 1 && bytes[0] !== 0 && bytes[1] === 0) return new TextDecoder('utf-16le').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

export function displayPath(path) {
  return relative(REALDATA, path);
}
