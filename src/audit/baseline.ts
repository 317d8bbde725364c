import { readFileSync } from 'node:fs';
import type { Finding } from '../model/findings.js';

export class BaselineError extends Error {
  override name = 'BaselineError';
}

/**
 * The fingerprints of an earlier `gpaudit audit --format json` report. Only fingerprints are read, so a report
 * from an older gpaudit with the same schemaVersion still works.
 */
export function readBaseline(path: string): Set<string> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : err instanceof Error ? err.message : String(err);
    throw new BaselineError(`cannot read baseline ${path}: ${why}`);
  }
  const findings = (doc as { findings?: unknown }).findings;
  if (!Array.isArray(findings)) throw new BaselineError(`baseline ${path} is not a gpaudit JSON audit report (no "findings" list)`);
  const out = new Set<string>();
  for (const f of findings) {
    const fp = (f as { fingerprint?: unknown }).fingerprint;
    if (typeof fp === 'string') out.add(fp);
  }
  return out;
}

/** Keep only findings the baseline does not know. */
export function newSince(findings: Finding[], baseline: Set<string>): { fresh: Finding[]; known: number } {
  const fresh = findings.filter((f) => !baseline.has(f.fingerprint));
  return { fresh, known: findings.length - fresh.length };
}
