// The rooms of src/ and which may import which: .dependency-cruiser.cjs is the map, docs/architecture.md draws
// it, and these tests hold the code, the check and the doc to it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const LAYERS = (createRequire(import.meta.url)(CONFIG) as { LAYERS: Record<string, string[]> }).LAYERS;

function depcruise(cwd: string): { code: number; out: string } {
  const r = spawnSync(DEPCRUISE, ['src', '--config', CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe('layering', () => {
  it('src/ keeps to the map: no back-edge between rooms, no file cycle', () => {
    const r = depcruise(ROOT);
    expect(r.out).toContain('no dependency violations found');
    expect(r.code).toBe(0);
  });

  it('the check fails on a back-edge: the model importing a parser', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-layers-'));
    mkdirSync(join(dir, 'src/model'), { recursive: true });
    mkdirSync(join(dir, 'src/parsers'), { recursive: true });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
    writeFileSync(join(dir, 'src/parsers/common.ts'), "export const canonicalKey = (k: string): string => k.toLowerCase();\n");
    writeFileSync(join(dir, 'src/model/keys.ts'), "import { canonicalKey } from '../parsers/common.js';\nexport const key = canonicalKey('A');\n");
    const r = depcruise(dir);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/layer-model: src\/model\/keys\.ts → src\/parsers\/common\.ts/);
  });

  it('the check fails on a folder that is not on the map', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-layers-'));
    mkdirSync(join(dir, 'src/utils'), { recursive: true });
    mkdirSync(join(dir, 'src/model'), { recursive: true });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
    writeFileSync(join(dir, 'src/model/a.ts'), 'export const a = 1;\n');
    writeFileSync(join(dir, 'src/utils/b.ts'), "import { a } from '../model/a.js';\nexport const b = a;\n");
    expect(depcruise(dir).out).toContain('no-room-outside-the-map');
  });

  it('every folder of src/ is a room of the map, and the map has no room src/ lacks', () => {
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(Object.keys(LAYERS).sort()).toEqual(folders);
  });

  it('docs/architecture.md shows the same map', () => {
    const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `(\w+)\/` \| ([^|]*) \| ([^|]*) \|$/gm)].map((m) => [
      m[1]!,
      m[3]!.trim() === '(nothing of ours)' ? [] : [...m[3]!.matchAll(/`(\w+)\/`/g)].map((x) => x[1]!),
    ]);
    expect(Object.fromEntries(rows)).toEqual(LAYERS);
  });
});
