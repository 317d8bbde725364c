// Regular expressions a user controls must not backtrack: a rule's `regex` runs on every value an estate holds, and
// `^(a+)+$` against 35 characters keeps V8's backtracking engine busy for minutes. Patterns are checked when the rule
// file loads, with recheck's automaton checker (an exact analysis of the pattern's NFA, not a heuristic), and refused
// unless it proves them linear. docs/testing.md, "Regular expressions in rules", says why recheck and what it costs.
import { createRequire } from 'node:module';

/** The part of recheck's API used here (its own types are for the CommonJS entry point). */
interface RecheckDiagnostics {
  status: 'safe' | 'vulnerable' | 'unknown';
  complexity?: { type: string; summary: string; degree?: number };
  hotspot?: { start: number; end: number; temperature: string }[];
  error?: { kind: string; message?: string };
}
type CheckSync = (source: string, flags: string, params?: Record<string, unknown>) => RecheckDiagnostics;

/** How long the analysis of one pattern may take before the pattern is refused as unproven. */
const CHECK_TIMEOUT_MS = 5000;

let checkSync: CheckSync | undefined;
const verdicts = new Map<string, string | undefined>();

/**
 * recheck's in-thread (Scala.js) backend: no worker thread, no child process, the same answer on every platform.
 * recheck reads the backend from the environment at each call, so the variable is set for the call only; a value
 * the user set wins.
 */
function analyse(pattern: string, flags: string): RecheckDiagnostics {
  checkSync ??= (createRequire(import.meta.url)('recheck') as { checkSync: CheckSync }).checkSync;
  const userSet = process.env.RECHECK_SYNC_BACKEND !== undefined;
  if (!userSet) process.env.RECHECK_SYNC_BACKEND = 'pure';
  try {
    return checkSync(pattern, flags, { checker: 'automaton', timeout: CHECK_TIMEOUT_MS });
  } finally {
    if (!userSet) delete process.env.RECHECK_SYNC_BACKEND;
  }
}

/**
 * Why `pattern` (which compiles with `flags`) may take more than linear time on some value, or undefined when it
 * cannot. A pattern with no repetition at all does bounded work at each position and needs no analysis (so the
 * shipped rules load without loading the analyser); any other is proven linear by recheck or refused.
 */
export function regexRisk(pattern: string, flags = ''): string | undefined {
  const key = `${flags}/${pattern}`;
  if (verdicts.has(key)) return verdicts.get(key);
  const verdict = judge(pattern, flags);
  verdicts.set(key, verdict);
  return verdict;
}

function judge(pattern: string, flags: string): string | undefined {
  // recheck measures growth with the value's length; a pattern can also be slow by its own size, which it calls safe:
  // `(a|a){30}b` is linear in the value but tries 2^30 ways at each position.
  if (matchPaths(pattern, flags) > MAX_MATCH_PATHS) {
    return `can try more than ${MAX_MATCH_PATHS} ways to match at one position (alternatives or optional parts repeated a fixed number of times, such as (a|b){20}); use a character class ([ab]{20}) or fewer alternatives`;
  }
  if (!hasRepetition(pattern, flags)) return undefined;
  if (!flags.includes('v')) return explain(pattern, analyse(pattern, flags));
  // recheck does not know the v flag. Without class set syntax a v pattern reads as it would with u (v only asks
  // for more escaping inside classes), so it is analysed that way; class set operations cannot be.
  if (/&&|--|\\q\{|\[[^\]]*\[/.test(pattern) || !compiles(pattern, flags.replace('v', 'u'))) {
    return 'uses the v flag\'s class set syntax, which the linear-time check cannot analyse when the pattern repeats; use the u flag';
  }
  return explain(pattern, analyse(pattern, flags.replace('v', 'u')));
}

function compiles(pattern: string, flags: string): boolean {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
}

function explain(pattern: string, d: RecheckDiagnostics): string | undefined {
  if (d.status === 'safe') return undefined;
  if (d.status === 'vulnerable') {
    const spots = [...new Set((d.hotspot ?? []).filter((h) => h.temperature === 'heat').map((h) => pattern.slice(h.start, h.end)))];
    const at = spots.length > 0 ? ` (at ${spots.map((s) => `"${s}"`).join(', ')})` : '';
    if (d.complexity?.type === 'exponential') {
      return `can backtrack for exponential time: a nested quantifier or alternatives that match the same text${at}; rewrite it so each character can be matched only one way`;
    }
    const degree = d.complexity?.degree;
    return `can backtrack for ${degree ? `time growing as the length to the power ${degree}` : 'polynomial time'}: repetitions that can match the same text one after another${at}; anchor it (^) or make neighbouring repetitions exclusive`;
  }
  const e = d.error;
  if (e?.kind === 'timeout') return `could not be proven to run in linear time within ${CHECK_TIMEOUT_MS / 1000} s; simplify it`;
  if (e?.kind === 'unsupported') {
    return `cannot be proven to run in linear time (${e.message ?? 'unsupported'}); lookarounds and backreferences are only allowed in patterns without repetition`;
  }
  return `cannot be proven to run in linear time (${e?.kind ?? 'unknown'}${e?.message ? `: ${e.message}` : ''})`;
}

/** Ways a pattern may try to match at one position before it gives up there (loops counted once): see matchPaths. */
export const MAX_MATCH_PATHS = 10_000;

/**
 * An upper bound on the ways a backtracking engine tries to match the pattern at one position, not counting the
 * iterations of unbounded loops (`*`, `+`, `{n,}`), whose cost in the value's length recheck judges: a sequence
 * multiplies, an alternation adds, `x?` is 1 + x, `x{n,m}` is x^n + ... + x^m. Lookarounds count like groups.
 * Coarse where alternatives cannot both match (`(a|b){20}` is counted 2^20), which only means such a pattern is
 * refused with the advice to use a class. The pattern is known to compile with `flags`.
 */
export function matchPaths(pattern: string, flags = ''): number {
  const nests = flags.includes('v');
  let i = 0;
  const alternation = (): number => {
    let total = sequence();
    while (pattern[i] === '|') {
      i++;
      total += sequence();
    }
    return total;
  };
  const sequence = (): number => {
    let product = 1;
    while (i < pattern.length && pattern[i] !== '|' && pattern[i] !== ')') product *= quantified(atom());
    return product;
  };
  const atom = (): number => {
    const ch = pattern[i];
    if (ch === '\\') {
      skipEscape();
      return 1;
    }
    if (ch === '[') {
      skipClass();
      return 1;
    }
    if (ch !== '(') {
      i++;
      return 1;
    }
    i++;
    if (pattern[i] === '?') {
      i++;
      if (pattern[i] === '<' && (pattern[i + 1] === '=' || pattern[i + 1] === '!')) i += 2;
      else if (pattern[i] === '<') i = pattern.indexOf('>', i) + 1;
      else if (pattern[i] === ':' || pattern[i] === '=' || pattern[i] === '!') i++;
      else i = pattern.indexOf(':', i) + 1; // modifiers: (?i:...)
    }
    const inner = alternation();
    if (pattern[i] === ')') i++;
    return inner;
  };
  const quantified = (x: number): number => {
    let n: number;
    const ch = pattern[i];
    if (ch === '*' || ch === '+') {
      i++;
      n = x + 1;
    } else if (ch === '?') {
      i++;
      n = x + 1;
    } else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (!m) return x;
      i += m[0].length;
      const low = Number(m[1]);
      if (m[2] === undefined) n = x ** low;
      else if (m[3] === '') n = x ** low * (x + 1);
      else {
        const high = Number(m[3]);
        n = 0;
        for (let k = low; k <= high && n <= MAX_MATCH_PATHS; k++) n += x ** k;
      }
    } else {
      return x;
    }
    if (pattern[i] === '?') i++; // lazy
    return n;
  };
  const skipEscape = (): void => {
    i++;
    const ch = pattern[i];
    // \p{L}, \u{1F600}, \k<name>: the rest of the escape up to its closing bracket.
    const through = (close: string): void => {
      const end = pattern.indexOf(close, i + 2);
      i = end < 0 ? i + 1 : end + 1;
    };
    if ((ch === 'p' || ch === 'P' || ch === 'u') && pattern[i + 1] === '{') through('}');
    else if (ch === 'k' && pattern[i + 1] === '<') through('>');
    else i++;
  };
  const skipClass = (): void => {
    let depth = 0;
    while (i < pattern.length) {
      const ch = pattern[i];
      if (ch === '\\') i += 2;
      else if (ch === '[' && (depth === 0 || nests)) {
        depth++;
        i++;
      } else if (ch === ']') {
        depth--;
        i++;
        if (depth === 0) return;
      } else i++;
    }
  };
  let total = alternation();
  // A stray ")" cannot occur in a pattern that compiles; step over it rather than stop counting.
  while (i < pattern.length) {
    i++;
    total *= alternation();
  }
  return total;
}

/**
 * Whether the pattern has a quantifier (`*`, `+`, `?`, `{`) outside character classes. Conservative: a `{` that is
 * literal text counts too, which only means the pattern is analysed. The pattern is known to compile with `flags`.
 */
export function hasRepetition(pattern: string, flags = ''): boolean {
  // Classes nest only with the v flag; without it a `[` inside a class is the character.
  const nests = flags.includes('v');
  let classDepth = 0;
  let afterOpenParen = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    const groupSyntax = afterOpenParen && ch === '?';
    afterOpenParen = false;
    if (ch === '\\') {
      const next = pattern[i + 1];
      // \p{L}, \u{1F600}: the braces belong to the escape.
      if ((next === 'p' || next === 'P' || next === 'u') && pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i + 3);
        if (close < 0) return true;
        i = close;
      } else {
        i++;
      }
      continue;
    }
    if (ch === '[' && (classDepth === 0 || nests)) classDepth++;
    else if (ch === ']' && classDepth > 0) classDepth--;
    else if (classDepth > 0) continue;
    else if (ch === '(') afterOpenParen = true;
    else if (ch === '*' || ch === '+' || ch === '{') return true;
    else if (ch === '?' && !groupSyntax) return true;
  }
  return false;
}

/**
 * Why `body` is not a character class body, or undefined. `charactersOutside` builds `[^body]`: an unescaped `]`
 * would close the class and let the rest run as a pattern of its own (`a]|(a+)+$|[b`), so it is refused; with
 * the `u` flag every other character stays inside, and one class costs constant time per character.
 */
export function classBodyProblem(body: string): string | undefined {
  if (classVerdicts.has(body)) return classVerdicts.get(body);
  const verdict = classBodyVerdict(body);
  classVerdicts.set(body, verdict);
  return verdict;
}

const classVerdicts = new Map<string, string | undefined>();

function classBodyVerdict(body: string): string | undefined {
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') {
      if (i === body.length - 1) return 'ends with a lone backslash; write \\\\ for a backslash';
      i++;
    } else if (body[i] === ']') {
      return `has an unescaped "]" at character ${i + 1}, which would end the class; write \\] for the character`;
    }
  }
  try {
    new RegExp(`[^${body}]`, 'u');
  } catch (e) {
    return `is not a character class body: ${(e as Error).message}`;
  }
  return undefined;
}

/** Wildcards (`*`, `**`) a waiver's path glob may hold: each one can multiply the work of matching a long path. */
export const MAX_GLOB_WILDCARDS = 3;

/**
 * Why a waiver's `path` glob could make picomatch's regular expression backtrack, or undefined. picomatch compiles a
 * glob to a backtracking RegExp in which each wildcard is a lazy repetition, so matching costs up to the path length
 * to the power of the number of wildcards (`*a*a*a*a*a*a*a*a*a*a*c` against 40 characters: 30 s); repeating extglobs
 * (`*(...)`, `+(...)`) nest repetitions and can cost exponential time.
 */
export function globProblem(glob: string): string | undefined {
  let wildcards = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if ((ch === '*' || ch === '+') && glob[i + 1] === '(') return `has the repeating extglob "${ch}(...)", which can make matching take exponential time`;
    // `!(...)` compiles to a lazy repetition of its own.
    if (ch === '*' || (ch === '!' && glob[i + 1] === '(')) {
      wildcards++;
      while (glob[i + 1] === '*') i++;
    }
  }
  if (wildcards > MAX_GLOB_WILDCARDS) {
    return `has ${wildcards} wildcards; at most ${MAX_GLOB_WILDCARDS} are allowed (* and ** count one each, so does !(...)), as each one multiplies the time matching a long path can take`;
  }
  return undefined;
}
