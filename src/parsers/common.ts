import { InputError, type Problem } from '../model/problems.js';
import type { ParseContext, ParseResult } from '../model/parse-result.js';
import type { GpoRef, InputFormat, Provenance, SourcePosition } from '../model/settings.js';

/** A parser turns one file's bytes into settings. Pure: no I/O, no globals, no exceptions for bad input. */
export type Parser = (bytes: Uint8Array, ctx: ParseContext) => ParseResult;

/**
 * Wrap a parser body so that every failure becomes a Problem naming the file and place. An InputError is a
 * user's file at fault; anything else is our bug, still reported as one line (the stack is dropped on purpose:
 * the user cannot act on it, and `--verbose` callers can re-run the parser in a test).
 */
export function guardParser(format: InputFormat, body: (bytes: Uint8Array, ctx: ParseContext, out: ParseResult) => void): Parser {
  return (bytes, ctx) => {
    const out: ParseResult = { file: ctx.file, format, settings: [], gpos: [], problems: [] };
    try {
      body(bytes, ctx, out);
    } catch (err) {
      out.problems.push(problemFromError(ctx.file, err));
      // A file that failed part-way is not evaluated: drop whatever half-read settings it produced.
      out.settings = [];
    }
    return out;
  };
}

export function problemFromError(file: string, err: unknown): Problem {
  if (err instanceof InputError) {
    return { file, code: err.code, message: err.message, severity: 'error', ...(err.position ? { position: err.position } : {}) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { file, code: 'internal-error', message: `gpaudit failed on this file (a bug; please report it): ${message}`, severity: 'error' };
}

export function provenance(ctx: ParseContext, format: InputFormat, position: SourcePosition, gpo?: GpoRef): Provenance {
  return { gpo: gpo ?? ctx.gpo ?? {}, file: ctx.file, format, position };
}

/** `{6ac1786c-016f-11d2-945f-00c04fb984f9}`, `6AC1786C-...` → `{6AC1786C-016F-11D2-945F-00C04FB984F9}`; other text unchanged. */
export function normaliseGuid(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  const m = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i.exec(t);
  return m ? `{${m[1]!.toUpperCase()}}` : t || undefined;
}

/** Registry key paths compare case-insensitively and ignore stray leading/trailing backslashes. */
export function canonicalKey(key: string): string {
  return key.replace(/^\\+|\\+$/g, '').replace(/\\{2,}/g, '\\').toLowerCase();
}

/** Split a path written with a `MACHINE\`/`USER\`/`HKEY_LOCAL_MACHINE\` root into hive and key. */
export function splitRootedKey(path: string): { hive: 'HKLM' | 'HKCU'; key: string } | undefined {
  const m = /^(MACHINE|HKLM|HKEY_LOCAL_MACHINE|USER|HKCU|HKEY_CURRENT_USER)\\(.*)$/i.exec(path.trim());
  if (!m) return undefined;
  const root = m[1]!.toUpperCase();
  const hive = root === 'MACHINE' || root === 'HKLM' || root === 'HKEY_LOCAL_MACHINE' ? 'HKLM' : 'HKCU';
  return { hive, key: m[2]! };
}
