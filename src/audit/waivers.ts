import { createRequire } from 'node:module';
import type picomatchFn from 'picomatch';
import type { Finding, Waiver } from '../model/findings.js';
import { guidKey } from '../model/keys.js';
import { globProblem } from '../rules/safe-regex.js';

// picomatch (a CommonJS package) is loaded when a waiver has a path glob, not with every audit.
const requireHere = createRequire(import.meta.url);
let picomatchLib: typeof picomatchFn | undefined;
const picomatch = (glob: string, options: picomatchFn.PicomatchOptions) => (picomatchLib ??= requireHere('picomatch') as typeof picomatchFn)(glob, options);

export interface WaiverOutcome {
  findings: Finding[];
  notices: string[];
}

/**
 * Mark findings covered by a waiver as suppressed. A waiver applies to one rule and narrows by GPO (display name
 * or GUID, compared without case) and/or a glob on the file path; an expired waiver stops applying and says so,
 * and a waiver that matched nothing is reported so stale entries get cleaned up. `pathOf` gives the path the glob
 * matches for a file a location names: relative to the root (see Waiver), default the name as it is.
 */
export function applyWaivers(findings: Finding[], waivers: readonly Waiver[], today: string, pathOf: (file: string) => string = (file) => file): WaiverOutcome {
  const waiving = waiverMatcher(waivers, today, pathOf);
  const out = findings.map(waiving.apply);
  return { findings: out, notices: waiving.notices() };
}

/**
 * applyWaivers one finding at a time, for findings that are not held together (a directory scan's): `apply` marks
 * a finding, `notices` says, once all were seen, which waivers expired and which matched nothing.
 */
export function waiverMatcher(waivers: readonly Waiver[], today: string, pathOf: (file: string) => string = (file) => file): { apply: (f: Finding) => Finding; notices: () => string[] } {
  const expired: string[] = [];
  const active: { waiver: Waiver; test: (f: Finding) => boolean; used: boolean }[] = [];
  for (const w of waivers) {
    if (w.expires < today) {
      expired.push(`waiver for ${w.rule}${describeScope(w)} expired on ${w.expires} and no longer applies (reason was: ${w.reason})`);
      continue;
    }
    active.push({ waiver: w, test: matcherFor(w, pathOf), used: false });
  }
  return {
    apply: (f) => {
      const hit = active.find((a) => a.test(f));
      if (!hit) return f;
      hit.used = true;
      return { ...f, suppressed: { waiver: hit.waiver } };
    },
    notices: () => [...expired, ...active.filter((a) => !a.used).map((a) => `waiver for ${a.waiver.rule}${describeScope(a.waiver)} matched no finding`)],
  };
}

function matcherFor(w: Waiver, pathOf: (file: string) => string): (f: Finding) => boolean {
  const gpo = w.gpo?.trim();
  const gpoName = gpo?.toLowerCase();
  const gpoId = gpo && guidKey(gpo);
  // loadConfig refuses these with a located error; waivers given in code get the same refusal here.
  const problem = w.path ? globProblem(w.path) : undefined;
  if (problem) throw new Error(`waiver for ${w.rule}: path "${w.path}" ${problem}`);
  const path = w.path ? picomatch(w.path.replace(/\\/g, '/'), { dot: true, nocase: true }) : undefined;
  return (f) => {
    if (f.ruleId !== w.rule) return false;
    if (gpo && f.gpo?.name?.toLowerCase() !== gpoName && (f.gpo?.id === undefined || guidKey(f.gpo.id) !== gpoId)) return false;
    // A directory finding has no file: its path is the user's DN (`path: 'CN=*,OU=Contractors,*'`).
    if (path && !f.locations.some((l) => path(pathOf(l.file).replace(/\\/g, '/'))) && !(f.directoryObject && path(f.directoryObject.dn))) return false;
    return true;
  };
}

function describeScope(w: Waiver): string {
  const parts = [w.gpo ? `GPO "${w.gpo}"` : '', w.path ? `path ${w.path}` : ''].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
