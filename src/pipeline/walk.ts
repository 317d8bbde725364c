import type { InputPath, InputUnit, UnitFile } from '../model/unit.js';
import { readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import nodePath, { basename, join, relative } from 'node:path';
import type { Problem } from '../model/problems.js';
import type { GpoRef, Hive, PolicyScope } from '../model/settings.js';
import { normaliseGuid } from '../model/keys.js';
import { escapeName, ioMessage, listedIoMessage, notRegularMessage, utf8Name } from './fs-input.js';


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

/**
 * Folders nested deeper than this below an input path are not walked (one line says so): GPO exports are a dozen
 * levels deep at most, and a bound keeps a hostile tree from exhausting the stack or the run's time.
 */
export const MAX_FOLDER_DEPTH = 64;

export function* walkInputs(paths: string[], options: WalkOptions): Generator<WalkItem> {
  const resolveInput = (given: string) => resolveInputPath(given, options.cwd, options.root);
  const visited = new Set<string>();
  const problem = (input: InputPath, message: string): WalkItem => ({ problem: { file: input.display, code: 'io-error', severity: 'error', message }, path: input });

  // `given` is the path as the user gave it (joined with the names found below it): the Machine/User folders
  // that set a loose file's hive are looked for in it, not in the folders above the working directory.
  function* visit(given: string, explicit: boolean, depth: number): Generator<WalkItem> {
    const input = resolveInput(given);
    let real: string;
    let st: Stats;
    try {
      // .native: one realpath(3) call; the JavaScript realpathSync lstat()s every component of the path, once per
      // folder of the estate (3 % of `settings` on 5,000 GPOs, in the main thread that feeds the workers).
      real = realpathSync.native(input.path);
      st = statSync(real);
    } catch (err) {
      yield problem(input, explicit ? ioMessage(err) : listedIoMessage(err));
      return;
    }
    if (visited.has(real)) return; // a link back into a folder already walked
    visited.add(real);
    if (st.isFile()) {
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
    // A FIFO, a socket or a device is never opened: reading a FIFO would block the run for ever.
    if (!st.isDirectory()) {
      yield problem(input, notRegularMessage(st));
      return;
    }
    if (depth > MAX_FOLDER_DEPTH) {
      yield problem(input, `folders nested over ${MAX_FOLDER_DEPTH} deep below the input; not walked further`);
      return;
    }
    const listing = listDir(input.path);
    if ('error' in listing) {
      yield problem(input, `folder could not be listed (${ioMessage(listing.error)})`);
      return;
    }
    for (const raw of listing.unnamed) yield problem(resolveInput(join(given, escapeName(raw))), 'the name is not valid UTF-8 (shown escaped); not read');
    const entries = listing.entries;
    // The folder's own name (a SYSVOL GUID) is read from the path as given.
    const layout = classifyFolder(given, entries);
    if (layout) {
      const found = gpoFolderFiles({ given, path: input.path, real }, entries, resolveInput, visited, depth);
      yield* found.problems;
      yield { unit: { kind: layout, ...input, ...gpoFromFolderName(given, layout), files: found.files } };
      return;
    }
    for (const e of entries) {
      // Every backup folder carries its own bkupInfo.xml; the collection's manifest.xml would only repeat it.
      if (e.isFile() && e.name.toLowerCase() === 'manifest.xml' && holdsBackups(input.path, entries)) continue;
      yield* visit(join(given, e.name), false, depth + 1);
    }
  }

  for (const p of paths) yield* visit(p, true, 0);
}

function classifyFolder(path: string, entries: Entry[]): 'backup' | 'sysvol-gpo' | undefined {
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

function holdsBackups(path: string, entries: Entry[]): boolean {
  return entries.some((e) => {
    if (!e.isDirectory() || !GUID_DIR.test(e.name)) return false;
    const listing = listDir(join(path, e.name));
    return 'entries' in listing && classifyFolder(join(path, e.name), listing.entries) === 'backup';
  });
}

/**
 * Every file under a GPO folder, named below the folder as it was given, and a walk problem for each entry that
 * could not be taken: a sub-folder that cannot be listed, a FIFO, socket or device, a name that is not UTF-8, a
 * folder nested too deep. Links to folders are followed unless they lead back into one already walked.
 */
function gpoFolderFiles(
  folder: { given: string; path: string; real: string },
  folderEntries: Entry[],
  resolveInput: (given: string) => InputPath,
  visited: Set<string>,
  depth: number,
): { files: UnitFile[]; problems: WalkItem[] } {
  const files: UnitFile[] = [];
  const problems: WalkItem[] = [];
  const problem = (input: InputPath, message: string) => problems.push({ problem: { file: input.display, code: 'io-error', severity: 'error', message }, path: input });
  const seen = new Set<string>([folder.real]);
  // Recursive, in name order (files and folders interleaved as listed); the depth is bounded by MAX_FOLDER_DEPTH.
  const walk = (dir: string, entries: Entry[], at: number) => {
    for (const e of entries) {
      const given = join(dir, e.name);
      const input = resolveInput(given);
      const unitFile = (): UnitFile => ({ ...input, explicit: false, ...(scopeFromPath(relative(folder.path, input.path)) ?? {}) });
      if (e.isFile()) {
        files.push(unitFile());
        continue;
      }
      // A folder, a link, or something else: stat it (through links) and decide.
      let real: string;
      let st: Stats;
      try {
        real = realpathSync.native(input.path);
        st = statSync(real);
      } catch (err) {
        problem(input, listedIoMessage(err));
        continue;
      }
      if (st.isFile()) {
        files.push(unitFile());
        continue;
      }
      if (!st.isDirectory()) {
        problem(input, notRegularMessage(st));
        continue;
      }
      if (seen.has(real) || visited.has(real)) continue; // a link back into a folder already walked
      seen.add(real);
      if (at + 1 > MAX_FOLDER_DEPTH) {
        problem(input, `folders nested over ${MAX_FOLDER_DEPTH} deep below the input; not walked further`);
        continue;
      }
      const listing = listDir(input.path);
      if ('error' in listing) {
        problem(input, `folder could not be listed (${ioMessage(listing.error)})`);
        continue;
      }
      for (const raw of listing.unnamed) problem(resolveInput(join(given, escapeName(raw))), 'the name is not valid UTF-8 (shown escaped); not read');
      walk(given, listing.entries, at + 1);
    }
  };
  walk(folder.given, folderEntries, depth);
  return { files, problems };
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

/** A folder's entry, its name UTF-8. */
type Entry = Pick<Dirent, 'isFile' | 'isDirectory'> & { name: string };

/**
 * A folder's entries in code-point order, listed as bytes: a name that is not UTF-8 (Linux allows any bytes) would
 * be decoded lossily and then not found, so such names are returned apart (`unnamed`) for the caller to report.
 */
function listDir(path: string): { entries: Entry[]; unnamed: Buffer[] } | { error: unknown } {
  let raw: Dirent<Buffer>[];
  try {
    raw = readdirSync(path, { withFileTypes: true, encoding: 'buffer' }) as unknown as Dirent<Buffer>[];
  } catch (error) {
    return { error };
  }
  const entries: Entry[] = [];
  const unnamed: Buffer[] = [];
  for (const d of raw) {
    const name = utf8Name(d.name);
    if (name === undefined) unnamed.push(d.name);
    else entries.push({ name, isFile: () => d.isFile(), isDirectory: () => d.isDirectory() });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  unnamed.sort(Buffer.compare);
  return { entries, unnamed };
}
