import { readFileSync } from 'node:fs';
import type { Finding } from '../model/findings.js';

export class BaselineError extends Error {
  override name = 'BaselineError';
}

/**
 * The fingerprints of an earlier `gpaudit audit --format json` report. Only fingerprints are read, so a report
 * from an older gpaudit with the same schemaVersion still works.
 */
export function readBaseline(path: string, shown: string = path): Set<string> {
  const hint = 'pass a report written earlier by `gpaudit audit --format json -o FILE`';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (code ?? String(err));
    throw new BaselineError(`--baseline ${shown}: cannot read it: ${why}; ${hint}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new BaselineError(`--baseline ${shown}: not a JSON file, so not a gpaudit report; ${hint}`);
  }
  const findings = (doc as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(findings)) throw new BaselineError(`--baseline ${shown}: JSON, but not a gpaudit audit report (it has no "findings" list); ${hint}`);
  const out = new Set<string>();
  for (const f of findings) {
    const fp = (f as { fingerprint?: unknown } | null)?.fingerprint;
    if (typeof fp === 'string') out.add(fp);
  }
  return out;
}

/** Keep only findings the baseline does not know. */
export function newSince(findings: Finding[], baseline: ReadonlySet<string>): { fresh: Finding[]; known: number } {
  const fresh = findings.filter((f) => !baseline.has(f.fingerprint));
  return { fresh, known: findings.length - fresh.length };
}
