// Loaded with `node --import` into a gpaudit run the scale rig measures: samples process.memoryUsage() every
// 200 ms and on exit writes the peaks (heap used and total, external, array buffers, RSS) to the file named by
// GPAUDIT_BENCH_MEMORY_FILE, so a growing peak RSS can be told apart as live heap or heap headroom.
import { writeFileSync } from 'node:fs';

const target = process.env.GPAUDIT_BENCH_MEMORY_FILE;
if (target) {
  const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    for (const key of Object.keys(peak)) if (m[key] > peak[key]) peak[key] = m[key];
  };
  setInterval(sample, 200).unref();
  process.on('exit', () => {
    sample();
    writeFileSync(target, JSON.stringify({ peak, maxRssKb: process.resourceUsage().maxRSS }));
  });
}
