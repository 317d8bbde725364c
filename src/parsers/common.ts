import { problemFromError } from '../model/problems.js';
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


export function provenance(ctx: ParseContext, format: InputFormat, position: SourcePosition, gpo?: GpoRef): Provenance {
  return { gpo: gpo ?? ctx.gpo ?? {}, file: ctx.file, format, position };
}

