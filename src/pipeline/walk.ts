import type { InputUnit, UnitFile } from '../model/unit.js';
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Problem } from '../model/problems.js';
import type { GpoRef, Hive, PolicyScope } from '../model/settings.js';
import { normaliseGuid } from '../model/keys.js';


export interface WalkOptions {
  /** Forces the hive of loose Registry.pol files that have no Machine/User folder above them. */
  hive?: Hive;
  cwd?: string;
}

export type WalkItem = { unit: InputUnit } | { problem: Problem };

const GUID_DIR = /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i;

export function* walkInputs(paths: string[], options: WalkOptions = {}): Generator<WalkItem> {
  const cwd = options.cwd ?? process.cwd();
  const display = (p: string) => {
    const rel = relative(cwd, p);
    return rel && !rel.startsWith('..') ? rel : p;
  };
  const visited = new Set<string>();

  function* visit(path: string, explicit: boolean): Generator<WalkItem> {
    let real: string;
    let isDir: boolean;
    try {
      real = realpathSync(path);
      isDir = statSync(real).isDirectory();
    } catch (err) {
      yield { problem: { file: display(path), code: 'io-error', severity: 'error', message: ioMessage(err) } };
      return;
    }
    if (visited.has(real)) return; // a link back into a folder already walked
    visited.add(real);
    if (!isDir) {
      const where = scopeFromPath(path);
      yield {
        unit: {
          kind: 'file',
          display: display(path),
          files: [{ path, display: display(path), explicit, ...(where ?? (options.hive ? { hive: options.hive, scope: options.hive === 'HKLM' ? 'computer' : 'user' } : {})) }],
        },
      };
      return;
    }
    const entries = listDir(path);
    if (!entries) {
      yield { problem: { file: display(path), code: 'io-error', severity: 'error', message: 'folder could not be listed' } };
      return;
    }
    const layout = classifyFolder(path, entries);
    if (layout) {
      yield { unit: { kind: layout, display: display(path), ...gpoFromFolderName(path, layout), files: gpoFolderFiles(path, entries, display) } };
      return;
    }
    for (const e of entries) {
      // Every backup folder carries its own bkupInfo.xml; the collection's manifest.xml would only repeat it.
      if (e.isFile() && e.name.toLowerCase() === 'manifest.xml' && holdsBackups(path, entries)) continue;
      yield* visit(join(path, e.name), false);
    }
  }

  for (const p of paths) yield* visit(p, true);
}

function classifyFolder(path: string, entries: Dirent[]): 'backup' | 'sysvol-gpo' | undefined {
  const names = new Set(entries.map((e) => e.name.toLowerCase()));
  if (names.has('bkupinfo.xml') || names.has('backup.xml')) return 'backup';
  if (names.has('gpt.ini')) return 'sysvol-gpo';
  if (GUID_DIR.test(basename(path)) && entries.some((e) => e.isDirectory() && /^(machine|user)$/i.test(e.name))) return 'sysvol-gpo';
  return undefined;
}

function gpoFromFolderName(path: string, layout: 'backup' | 'sysvol-gpo'): { gpo?: GpoRef } {
  // A backup folder is named by its backup id, not the GPO's GUID; only SYSVOL names folders by GPO.
  if (layout !== 'sysvol-gpo') return {};
  const id = normaliseGuid(basename(path));
  return id && GUID_DIR.test(id) ? { gpo: { id } } : {};
}

function holdsBackups(path: string, entries: Dirent[]): boolean {
  return entries.some((e) => e.isDirectory() && GUID_DIR.test(e.name) && classifyFolder(join(path, e.name), listDir(join(path, e.name)) ?? []) === 'backup');
}

function gpoFolderFiles(root: string, rootEntries: Dirent[], display: (p: string) => string): UnitFile[] {
  const files: UnitFile[] = [];
  const walk = (dir: string, entries: Dirent[]) => {
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p, listDir(p) ?? []);
      else if (e.isFile()) files.push({ path: p, display: display(p), explicit: false, ...(scopeFromPath(relative(root, p)) ?? {}) });
    }
  };
  walk(root, rootEntries);
  return files;
}

/** `Machine\...` → computer/HKLM, `User\...` → user/HKCU, from the nearest such folder in the path. */
export function scopeFromPath(path: string): { hive: Hive; scope: PolicyScope } | undefined {
  const parts = path.split(/[\\/]/).slice(0, -1).reverse();
  for (const part of parts) {
    if (/^machine$/i.test(part)) return { hive: 'HKLM', scope: 'computer' };
    if (/^user$/i.test(part)) return { hive: 'HKCU', scope: 'user' };
  }
  return undefined;
}

function listDir(path: string): Dirent[] | undefined {
  try {
    return readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return undefined;
  }
}

function ioMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `could not be read (${code ?? String(err)})`;
}

