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

/** Resolves input paths against one working directory and root: `resolve` as resolveInputPath, `child` for a listed name. */
export interface InputResolver {
  resolve(given: string): InputPath;
  /**
   * `resolve(given)` for `given` = the folder's given path joined with `name` (one listed name), without resolving
   * again when the folder lies strictly inside the working directory and the root: then so does the name, and its
   * forms are the folder's with the name appended. A walk of 5,000 GPOs resolves 23,000 paths, and path.resolve
   * with two path.relative each were 14 % of the walk.
   */
  child(folder: InputPath, name: string, given: string): InputPath;
}

export function inputResolver(cwd: string, root: string = cwd, path: nodePath.PlatformPath = nodePath): InputResolver {
  const base = path.resolve(cwd);
  const cwdPrefix = base.endsWith(path.sep) ? base : base + path.sep;
  const resolve = (given: string) => resolveInputPath(given, cwd, root, path);
  return {
    resolve,
    child(folder, name, given) {
      // display is the path relative to cwd exactly when the folder is inside it (resolveInputPath's own rule).
      const inside = folder.fromRoot !== undefined && folder.display !== '' && !folder.display.startsWith('..') && folder.path === cwdPrefix + folder.display;
      if (!inside) return resolve(given);
      return { path: folder.path + path.sep + name, display: folder.display + path.sep + name, fromRoot: `${folder.fromRoot}/${name}` };
    },
  };
}

/**
 * Folders nested deeper than this below an input path are not walked (one line says so): GPO exports are a dozen
 * levels deep at most, and a bound keeps a hostile tree from exhausting the stack or the run's time.
 */
export const MAX_FOLDER_DEPTH = 64;

export function* walkInputs(paths: string[], options: WalkOptions): Generator<WalkItem> {
  const resolver = inputResolver(options.cwd, options.root);
  const visited = new Set<string>();
  const problem = (input: InputPath, message: string): WalkItem => ({ problem: { file: input.display, code: 'io-error', severity: 'error', message }, path: input });

  // `given` is the path as the user gave it (joined with the names found below it): the Machine/User folders
  // that set a loose file's hive are looked for in it, not in the folders above the working directory. `listed`
  // is what the folder listing said of a name found in a folder: see `where`.
  function* visit(given: string, explicit: boolean, depth: number, listed?: { input: InputPath; entry: Entry; folderReal: string }): Generator<WalkItem> {
    const input = listed ? listed.input : resolver.resolve(given);
    let found: ReturnType<typeof where>;
    try {
      found = where(input.path, listed && { entry: listed.entry, folderReal: listed.folderReal });
    } catch (err) {
      yield problem(input, explicit ? ioMessage(err) : listedIoMessage(err));
      return;
    }
    const real = found.real;
    if (visited.has(real)) return; // a link back into a folder already walked
    visited.add(real);
    if ('st' in found && found.st.isFile()) {
      const scope = scopeFromPath(given);
      yield {
        unit: {
          kind: 'file',
          ...input,
          files: [{ ...input, explicit, ...(scope ?? (options.hive ? { hive: options.hive, scope: options.hive === 'HKLM' ? 'computer' : 'user' } : {})) }],
        },
      };
      return;
    }
    // A FIFO, a socket or a device is never opened: reading a FIFO would block the run for ever.
    if ('st' in found && !found.st.isDirectory()) {
      yield problem(input, notRegularMessage(found.st));
      return;
    }
    if (depth > MAX_FOLDER_DEPTH) {
      yield problem(input, `folders nested over ${MAX_FOLDER_DEPTH} deep below the input; not walked further`);
      return;
    }
    const listing = listOrExplain(input.path, 'st' in found);
    if ('message' in listing) {
      yield problem(input, listing.message);
      return;
    }
    for (const raw of listing.unnamed) yield problem(resolver.resolve(join(given, escapeName(raw))), 'the name is not valid UTF-8 (shown escaped); not read');
    const entries = listing.entries;
    // The folder's own name (a SYSVOL GUID) is read from the path as given.
    const layout = classifyFolder(given, entries);
    if (layout) {
      const files = gpoFolderFiles({ given, input, real }, entries, resolver, visited, depth);
      yield* files.problems;
      yield { unit: { kind: layout, ...input, ...gpoFromFolderName(given, layout), files: files.files } };
      return;
    }
    for (const e of entries) {
      // Every backup folder carries its own bkupInfo.xml; the collection's manifest.xml would only repeat it.
      if (e.isFile() && e.name.toLowerCase() === 'manifest.xml' && holdsBackups(input.path, entries)) continue;
      const childGiven = join(given, e.name);
      yield* visit(childGiven, false, depth + 1, { input: resolver.child(input, e.name, childGiven), entry: e, folderReal: real });
    }
  }

  for (const p of paths) yield* visit(p, true, 0);
}

/**
 * Where a path really is, and what it is. A name a folder listing calls a plain folder (not a link) is where its
 * folder is, so no system call is made: a 5,000-GPO walk made 25,000 realpath(3) calls, 36 % of its time; such a
 * folder is looked at only if it cannot be listed (listOrExplain). Anything else (a path given by the user, a link,
 * a type the listing did not tell, a loose file) is resolved and stat()ed, through links; .native: one realpath(3)
 * call, where the JavaScript realpathSync lstat()s every component of the path. Throws as realpath and stat do.
 */
function where(path: string, listed: { entry: Entry; folderReal: string } | undefined): { real: string; kind: 'folder' } | { real: string; st: Stats } {
  if (listed?.entry.isDirectory()) return { real: join(listed.folderReal, listed.entry.name), kind: 'folder' };
  const real = realpathSync.native(path);
  return { real, st: statSync(real) };
}

/**
 * A folder's listing, or the line that reports it. A folder taken on its listing's word (`checked` false: not
 * stat()ed) that cannot be listed is looked at now, so that it is reported as a stat()ed one would be: removed
 * after its folder was listed, a path too long for the system.
 */
function listOrExplain(path: string, checked: boolean): { entries: Entry[]; unnamed: Buffer[] } | { message: string } {
  const listing = listDir(path);
  if (!('error' in listing)) return listing;
  if (!checked) {
    try {
      statSync(realpathSync.native(path));
    } catch (err) {
      return { message: listedIoMessage(err) };
    }
  }
  return { message: `folder could not be listed (${ioMessage(listing.error)})` };
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
  folder: { given: string; input: InputPath; real: string },
  folderEntries: Entry[],
  resolver: InputResolver,
  visited: Set<string>,
  depth: number,
): { files: UnitFile[]; problems: WalkItem[] } {
  const files: UnitFile[] = [];
  const problems: WalkItem[] = [];
  const problem = (input: InputPath, message: string) => problems.push({ problem: { file: input.display, code: 'io-error', severity: 'error', message }, path: input });
  const seen = new Set<string>([folder.real]);
  // Recursive, in name order (files and folders interleaved as listed); the depth is bounded by MAX_FOLDER_DEPTH.
  const walk = (dir: { given: string; input: InputPath; real: string }, entries: Entry[], at: number) => {
    for (const e of entries) {
      const given = join(dir.given, e.name);
      const input = resolver.child(dir.input, e.name, given);
      const unitFile = (): UnitFile => ({ ...input, explicit: false, ...(scopeFromPath(relative(folder.input.path, input.path)) ?? {}) });
      if (e.isFile()) {
        files.push(unitFile());
        continue;
      }
      // A folder, a link, or something else: where it really is, and what it is (through links).
      let found: ReturnType<typeof where>;
      try {
        found = where(input.path, { entry: e, folderReal: dir.real });
      } catch (err) {
        problem(input, listedIoMessage(err));
        continue;
      }
      const real = found.real;
      if ('st' in found) {
        if (found.st.isFile()) {
          files.push(unitFile());
          continue;
        }
        if (!found.st.isDirectory()) {
          problem(input, notRegularMessage(found.st));
          continue;
        }
      }
      if (seen.has(real) || visited.has(real)) continue; // a link back into a folder already walked
      seen.add(real);
      if (at + 1 > MAX_FOLDER_DEPTH) {
        problem(input, `folders nested over ${MAX_FOLDER_DEPTH} deep below the input; not walked further`);
        continue;
      }
      const listing = listOrExplain(input.path, 'st' in found);
      if ('message' in listing) {
        problem(input, listing.message);
        continue;
      }
      for (const raw of listing.unnamed) problem(resolver.resolve(join(given, escapeName(raw))), 'the name is not valid UTF-8 (shown escaped); not read');
      walk({ given, input, real }, listing.entries, at + 1);
    }
  };
  walk({ given: folder.given, input: folder.input, real: folder.real }, folderEntries, depth);
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
