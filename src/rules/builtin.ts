import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RulePack } from './types.js';

// Kept apart from load.ts, which brings the YAML parser and the validators: `gpaudit --version` needs only this.

/** In `extends` and in the file list: the rules shipped with gpaudit. */
export const BUILTIN = 'builtin';

export function defaultBuiltinPath(): string {
  // From src/rules/ under vitest and from dist/rules/ after the build, two levels up is the package root.
  return fileURLToPath(new URL('../../rules.yaml', import.meta.url));
}

/**
 * The built-in pack's name and version, for `gpaudit --version`: read off the `pack:` line of rules.yaml, so printing
 * a version does not load and validate the whole rule set.
 */
export function builtinPackVersion(builtinPath = defaultBuiltinPath()): RulePack | undefined {
  try {
    const m = /^pack:\s*\{\s*name:\s*([a-z0-9-]+),\s*version:\s*([0-9]+\.[0-9]+\.[0-9]+)\s*\}\s*$/m.exec(readFileSync(builtinPath, 'utf8'));
    return m ? { name: m[1]!, version: m[2]!, file: builtinPath } : undefined;
  } catch {
    return undefined;
  }
}
