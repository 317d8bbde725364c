import type { InputPath, InputUnit, UnitFile } from '../model/unit.js';
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import nodePath, { basename, join, relative } from 'node:path';
import type { Problem } from '../model/problems.js';
import type { GpoRef, Hive, PolicyScope } from '../model/settings.js';
import { normaliseGuid } from '../model/keys.js';


export interface WalkOptions {
  /** Forces the hive of loose Registry.pol files that have no Machine/User folder above them. */
  hive?: Hive;
  /** The working directory relative paths are resolved against and shown relative to (the CLI passes its own). */
  cwd: string;
  /** What `fromRoot` is relative to: absolute, or relative to `cwd`; default `cwd` (`--root` in the CLI). */
  root?: string;
}

/** A unit to read, or an input path that could not be walked (with the path, resolved like any other). */
export type WalkItem = { unit: InputUnit } | { problem: Problem; path: InputPath };

const GUID_DIR = /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i;

/**
 * Resolve one input path, as given on the command line or found in a folder, into every form a later step needs.
 * `display` is relative to `cwd` when the path is inside it, else the path as given; `fromRoot` is relative to
 * `root` (itself resolved against `cwd`), `/`-separated, and absent outside it. `path` is the platform's path
 * module; tests pass path.win32 to check Windows paths.
 */
export function resolveInputPath(given: string, cwd: string, root: string = cwd, path: nodePath.PlatformPath = nodePath): InputPath {
  const absolute = path.resolve(cwd, given);
  const shown = path.relative(cwd, absolute);
  const fromRoot = path.relative(path.resolve(cwd, root), absolute);
  const inside = fromRoot !== '' && !path.isAbsolute(fromRoot) && fromRoot !== '..' && !fromRoot.startsWith(`..${path.sep}`);
  return {
    path: absolute,
    display: shown && !shown.startsWith('..') ? shown : given,
    ...(inside ? { fromRoot: fromRoot.split(path.sep).join('/') } : {}),
  };
}

export function* walkInputs(paths: string[], options: WalkOptions): Generator<WalkItem> {
  const resolveInput = (given: string) => resolveInputPath(given, options.cwd, options.root);
  const visited = new Set<string>();

  // `given` is the path as the user gave it (joined with the names found below it): the Machine/User folders
  // that set a loose file's hive are looked for in it, not in the folders above the working directory.
  function* visit(given: string, explicit: boolean): Generator<WalkItem> {
    const input = resolveInput(given);
    let real: string;
    let isDir: boolean;
    try {
      real = realpathSync(input.path);
      isDir = statSync(real).isDirectory();
    } catch (err) {
      yield { problem: { file: input.display, code: 'io-error', severity: 'error', message: ioMessage(err) }, path: input };
      return;
    }
    if (visited.has(real)) return; // a link back into a folder already walked
    visited.add(real);
    if (!isDir) {
      const where = scopeFromPath(given);
      yield {
        unit: {
          kind: 'file',
          ...input,
          files: [{ ...input, explicit, ...(where ?? (options.hive ? { hive: options.hive, scope: options.hive === 'HKLM' ? 'computer' : 'user' } : {})) }],
        },
      };
      return;
    }
    const entries = listDir(input.path);
    if (!entries) {
      yield { problem: { file: input.display, code: 'io-error', severity: 'error', message: 'folder could not be listed' }, path: input };
      return;
    }
    // The folder's own name (a SYSVOL GUID) is read from the path as given.
    const layout = classifyFolder(given, entries);
    if (layout) {
      yield { unit: { kind: layout, ...input, ...gpoFromFolderName(given, layout), files: gpoFolderFiles({ given, path: input.path }, entries, resolveInput) } };
      return;
    }
    for (const e of entries) {
      // Every backup folder carries its own bkupInfo.xml; the collection's manifest.xml would only repeat it.
      if (e.isFile() && e.name.toLowerCase() === 'manifest.xml' && holdsBackups(input.path, entries)) continue;
      yield* visit(join(given, e.name), false);
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

/** Every file under a GPO folder, named below the folder as it was given. */
function gpoFolderFiles(folder: { given: string; path: string }, folderEntries: Dirent[], resolveInput: (given: string) => InputPath): UnitFile[] {
  const files: UnitFile[] = [];
  const walk = (dir: string, entries: Dirent[]) => {
    for (const e of entries) {
      const given = join(dir, e.name);
      const input = resolveInput(given);
      if (e.isDirectory()) walk(given, listDir(input.path) ?? []);
      else if (e.isFile()) files.push({ ...input, explicit: false, ...(scopeFromPath(relative(folder.path, input.path)) ?? {}) });
    }
  };
  walk(folder.given, folderEntries);
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

