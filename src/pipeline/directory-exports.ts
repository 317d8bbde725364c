// The inputs of an effective-policy run (`gpaudit policy|audit --ou`) that describe the directory rather than a GPO:
// LDIF exports (`ldifde -f`, `ldapsearch -LLL`) with gPLink/gPOptions and the groupPolicyContainer objects. They are
// taken out of the paths before the estate is walked (a plain `audit` still labels them "LDIF directory export, not
// audited"), and `--sysvol` is listed: which `{GUID}` folders it holds, never following a path the directory names.
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DirectoryPolicyData } from '../model/gpo-links.js';
import { normaliseGuid } from '../model/keys.js';
import type { Problem } from '../model/problems.js';
import { parseLdif, type LdifSecurity } from '../parsers/ldif.js';
import { DEFAULT_MAX_FILE_BYTES, readFileWithin } from './read-unit.js';
import { detectFormat } from './detect.js';
import { resolveInputPath } from './walk.js';

export interface LdifInput {
  /** As shown to the user. */
  file: string;
  data: DirectoryPolicyData;
  /** The GPOs' DACLs and the domain SID, when the export holds them. */
  security?: LdifSecurity;
}

export interface SplitInputs {
  ldif: LdifInput[];
  /** Every other path, for the estate walk. */
  rest: string[];
  problems: Problem[];
}

/** Named files whose content is LDIF become directory data; folders and other files are left for the walk. */
export function splitDirectoryExports(paths: readonly string[], options: { cwd: string; maxFileBytes?: number }): SplitInputs {
  const out: SplitInputs = { ldif: [], rest: [], problems: [] };
  for (const given of paths) {
    const input = resolveInputPath(given, options.cwd);
    const head = readHead(input.path);
    if (!head || !isLdif(head, input.path)) {
      out.rest.push(given);
      continue;
    }
    const bytes = readFileWithin(input.path, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    if (!('bytes' in bytes)) {
      out.problems.push({ file: input.display, code: bytes.code, severity: 'error', message: bytes.message });
      continue;
    }
    const { data, problems, security } = parseLdif(bytes.bytes, input.display);
    out.ldif.push({ file: input.display, data, ...(security ? { security } : {}) });
    out.problems.push(...problems);
  }
  return out;
}

function isLdif(head: Uint8Array, path: string): boolean {
  const d = detectFormat(head, basename(path));
  return d.kind === 'unsupported' && d.what === 'LDIF directory export';
}

/** The first 8 KB of a regular file; undefined for folders and anything unreadable (the walk then reports it). */
function readHead(path: string): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    if (!statSync(path).isFile()) return undefined;
    // Non-blocking, and checked again once open: a file swapped for a FIFO in between must not block the run.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    if (!fstatSync(fd).isFile()) return undefined;
    const buf = new Uint8Array(8192);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface SysvolListing {
  /** `{UPPER-CASE-GUID}` → the folder as given under --sysvol (its real name, any case). */
  folders: Map<string, { path: string; display: string }>;
  problems: Problem[];
}

/**
 * The `{GUID}` folders directly under `--sysvol` (a mounted `\\domain\SYSVOL\domain\Policies` or a copy). GPOs are
 * found here by GUID only, compared without case: the directory's gPCFileSysPath is never followed, so a container
 * pointing elsewhere (`..\..\etc`) cannot make gpaudit read outside this folder.
 */
export function listSysvol(dir: string, cwd: string): SysvolListing {
  const out: SysvolListing = { folders: new Map(), problems: [] };
  const root = resolveInputPath(dir, cwd);
  let names: string[];
  try {
    if (!statSync(root.path).isDirectory()) {
      out.problems.push({ file: root.display, code: 'io-error', severity: 'error', message: '--sysvol is not a folder (give the Policies folder holding the {GUID} folders)' });
      return out;
    }
    names = readdirSync(root.path);
  } catch (err) {
    out.problems.push({ file: root.display, code: 'io-error', severity: 'error', message: `--sysvol could not be listed (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
    return out;
  }
  for (const name of names.sort()) {
    const guid = /^\{[0-9a-f-]{36}\}$/i.test(name) ? normaliseGuid(name) : undefined;
    if (!guid) continue;
    const path = join(root.path, name);
    try {
      if (!statSync(path).isDirectory()) continue;
    } catch {
      continue;
    }
    // Shown as the walk will show it when the folder is read, so a problem with it and the folder share one name.
    out.folders.set(guid.toUpperCase(), { path, display: resolveInputPath(join(dir, name), cwd).display });
  }
  if (out.folders.size === 0) {
    out.problems.push({ file: root.display, code: 'io-error', severity: 'error', message: '--sysvol holds no {GUID} folders (give the Policies folder itself, e.g. <copy>/example.com/Policies)' });
  }
  return out;
}
