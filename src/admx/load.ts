import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../model/problems.js';
import { parseAdml } from './adml-parser.js';
import { admxStem, parseAdmx } from './admx-parser.js';
import { BUILTIN_SOURCES } from './builtins.js';
import { createPolicyCatalog, type AdmxPolicyCatalog } from './create-catalog.js';
import { checkReferences, type CatalogInput, type PolicySource } from './resolve.js';
import type { AdmlDocument } from './types.js';

/** Central-store files are well under 2 MB; anything this large is not a template. */
export const MAX_DEFINITION_FILE_BYTES = 32 * 1024 * 1024;

const FALLBACK_LANGUAGE = 'en-US';

export interface LoadedDefinitions extends CatalogInput {
  problems: Problem[];
}

/**
 * Read a PolicyDefinitions folder: every `*.admx` in it, each with its ADML from `<dir>/<lang>/` and, when
 * that is missing or another language, from `<dir>/en-US/` too (folder and file names compare without case:
 * real stores have `en-us` and `msi.admx`). The loaded definitions come before the built-ins, so they win
 * for the same policy id while the built-ins still add their English names.
 */
export function loadPolicyDefinitions(dir: string, lang: string): LoadedDefinitions {
  const problems: Problem[] = [];
  const loaded: PolicySource[] = [];
  const entries = listDir(dir, problems);
  const languageDirs = [lang, FALLBACK_LANGUAGE]
    .filter((l, i, all) => all.findIndex((o) => o.toLowerCase() === l.toLowerCase()) === i)
    .map((language) => ({ language, entries: subfolder(dir, entries, language, problems) }));

  for (const entry of entries) {
    // Not filtered by type: a symlinked template is read, and a folder named *.admx is reported, not skipped.
    if (!/\.admx$/i.test(entry.name)) continue;
    const file = join(dir, entry.name);
    const bytes = readBounded(file, problems);
    if (!bytes) continue;
    const parsed = parseAdmx(bytes, file);
    problems.push(...parsed.problems);
    if (!parsed.document) continue;
    const stem = admxStem(entry.name);
    const adml: AdmlDocument[] = [];
    for (const { language, entries: files } of languageDirs) {
      const match = files?.entries.find((f) => f.name.toLowerCase() === `${stem.toLowerCase()}.adml`);
      if (!match || !files) continue;
      const admlFile = join(files.path, match.name);
      const admlBytes = readBounded(admlFile, problems);
      if (!admlBytes) continue;
      const parsedAdml = parseAdml(admlBytes, admlFile, language);
      problems.push(...parsedAdml.problems);
      if (parsedAdml.document) adml.push(parsedAdml.document);
    }
    const source = { admx: parsed.document, adml };
    problems.push(...checkReferences(source));
    loaded.push(source);
  }
  return { sources: [...loaded, ...BUILTIN_SOURCES], problems };
}

/** `loadPolicyDefinitions` and `createPolicyCatalog` in one step. */
export function loadPolicyCatalog(dir: string, lang: string): { catalog: AdmxPolicyCatalog; problems: Problem[] } {
  const { sources, problems } = loadPolicyDefinitions(dir, lang);
  return { catalog: createPolicyCatalog({ sources }), problems };
}

let builtin: AdmxPolicyCatalog | undefined;

/** The catalogue of built-in definitions alone, built once. */
export function builtinCatalog(): AdmxPolicyCatalog {
  builtin ??= createPolicyCatalog({ sources: [...BUILTIN_SOURCES] });
  return builtin;
}

function listDir(dir: string, problems: Problem[]): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    problems.push({ file: dir, code: 'io-error', severity: 'error', message: `cannot list the folder: ${errorText(err)}` });
    return [];
  }
}

/** The language folder, found without regard to case; a missing folder is normal (fallback), not a problem. */
function subfolder(dir: string, entries: Dirent[], language: string, problems: Problem[]): { path: string; entries: Dirent[] } | undefined {
  const folder = entries.find((e) => e.name.toLowerCase() === language.toLowerCase());
  if (!folder) return undefined;
  const path = join(dir, folder.name);
  return { path, entries: listDir(path, problems) };
}

function readBounded(file: string, problems: Problem[]): Uint8Array | undefined {
  try {
    const size = statSync(file).size;
    if (size > MAX_DEFINITION_FILE_BYTES) {
      problems.push({
        file,
        code: 'too-large',
        severity: 'error',
        message: `${size} bytes is over the ${MAX_DEFINITION_FILE_BYTES}-byte limit for ADMX/ADML files; not read`,
      });
      return undefined;
    }
    return readFileSync(file);
  } catch (err) {
    problems.push({ file, code: 'io-error', severity: 'error', message: `cannot be read: ${errorText(err)}` });
    return undefined;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
