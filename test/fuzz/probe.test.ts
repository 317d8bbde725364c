import { it } from 'vitest';
import { generate, seedSet } from './generate.js';
import { createContext, runPipeline } from './pipeline.js';
import { FUZZ_FORMATS } from './seeds.js';
it('probe', async () => {
  const ctx = createContext();
  for (const f of FUZZ_FORMATS) {
    const set = seedSet(f, 1);
    const t = performance.now();
    let fails = 0, max = 0;
    const shapes = new Set<string>();
    for (let r = 0; r < 100; r++) {
      const g = generate(set, 1, r);
      const o = await runPipeline(g, ctx);
      max = Math.max(max, o.ms);
      o.shapes.forEach((s) => shapes.add(s));
      if (o.failures.length) { fails++; if (fails < 3) console.log(f, r, g.rel, g.steps, o.failures.map((x) => x.slice(0, 400))); }
    }
    console.log(f, 'seeds', set.files.length, 'ms/run', ((performance.now() - t) / 100).toFixed(1), 'max', max.toFixed(0), 'fails', fails, 'shapes', shapes.size);
  }
}, 600000);
