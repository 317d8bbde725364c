// inputResolver().child (src/pipeline/walk.ts) is resolveInputPath without resolving again for names listed in a
// folder: for every folder, working directory and root it must give what resolving the joined path gives.
import nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputResolver, resolveInputPath } from '../../src/pipeline/walk.js';

const cases = {
  posix: {
    path: nodePath.posix,
    cwds: ['/work/main', '/', '/work/main/'],
    roots: [undefined, '.', 'exports', '/work/main/exports/sub', '..', '/elsewhere'],
    folders: ['exports', 'exports/sub', './exports', '.', '..', '../shared/realdata', '/work/main/exports', '/work', '/elsewhere/x', 'a/../../outside', '..foo', 'exports/..bar'],
  },
  win32: {
    path: nodePath.win32,
    cwds: ['C:\\work\\main', 'C:\\'],
    roots: [undefined, 'exports', 'D:\\other', '..'],
    folders: ['exports', 'exports\\sub', '.', '..', 'C:\\work\\main\\exports', 'D:\\gpos', '..\\shared'],
  },
};

describe.each(Object.entries(cases))('inputResolver on %s paths', (_name, { path, cwds, roots, folders }) => {
  it('child() of a listed name equals resolving the joined path, inside and outside the working directory and root', () => {
    let compared = 0;
    let fast = 0;
    for (const cwd of cwds) {
      for (const root of roots) {
        const resolver = inputResolver(cwd, root ?? cwd, path);
        for (const folder of folders) {
          const parent = resolver.resolve(folder);
          for (const name of ['Machine', 'registry.pol', '..x', 'a b', 'Zoë']) {
            const given = path.join(folder, name);
            const expected = resolveInputPath(given, cwd, root ?? cwd, path);
            expect(resolver.child(parent, name, given), `${cwd} | ${root} | ${folder} | ${name}`).toEqual(expected);
            compared++;
            if (parent.fromRoot !== undefined && parent.display !== '' && !parent.display.startsWith('..')) fast++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    // The shortcut is taken often enough for the comparison to mean something.
    expect(fast).toBeGreaterThan(10);
  });
});
