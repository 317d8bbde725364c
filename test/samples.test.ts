// samples/ is exactly what the sample generator writes (npm run samples; scripts/samples/samples.ts), plus the
// hand-written files it lists: a change to a sample goes through the generator, and the generator stays the
// only one (it builds on the same fixture encoders the rule tests use).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAND_WRITTEN, sampleFiles } from '../scripts/samples/samples.js';

const SAMPLES = resolve(import.meta.dirname, '..', 'samples');
const generated = sampleFiles(SAMPLES);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(SAMPLES, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

describe('samples/', () => {
  it.each(generated.map((f) => [f.path, f] as const))('%s is what the generator writes (npm run samples)', (path, file) => {
    expect(Buffer.from(readFileSync(join(SAMPLES, ...path.split('/')))).equals(Buffer.from(file.bytes))).toBe(true);
  });

  it('holds only generated and listed hand-written files', () => {
    const paths = generated.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const p of HAND_WRITTEN) expect(paths, p).not.toContain(p);
    expect(filesUnder(SAMPLES)).toEqual([...paths, ...HAND_WRITTEN].sort());
  });
});
