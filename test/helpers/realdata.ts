import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** The real-export corpus lives beside the project and is never copied into it (licences). */
export const REALDATA = resolve(fileURLToPath(new URL('../../../shared/realdata', import.meta.url)));

const present = existsSync(REALDATA);
let announced = false;

/**
 * `describe` for tests over the real corpus. Under CI the corpus must be there (its absence fails the run);
 * elsewhere the suite is skipped with one line saying where the corpus is expected.
 */
export function describeCorpus(name: string, body: () => void): void {
  if (!present && process.env.CI !== 'true') {
    if (!announced) {
      console.warn(`corpus tests skipped: real exports expected at ${REALDATA}`);
      announced = true;
    }
    describe.skip(name, body);
    return;
  }
  if (!present) throw new Error(`CI=true but the real-export corpus is missing at ${REALDATA}`);
  describe(name, body);
}

/** Every file under the corpus, as absolute paths, sorted. */
export function corpusFiles(filter: (path: string) => boolean = () => true): string[] {
  if (!present) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (filter(p)) out.push(p);
    }
  };
  walk(REALDATA);
  return out;
}
