// Reads a V8 .cpuprofile (node --cpu-prof) and ranks functions and files by self time, so the hot spots can be
// named by function and file without opening a profiler UI.
import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

function shortFile(url, root) {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return url;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return relative(root, path);
}

/** Self time per function and per file, as shares of all samples, largest first. */
export function summariseProfile(path, root) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const selfUs = new Map();
  // timeDeltas[i] is the time since the previous sample; it is spent in whatever the previous sample shows.
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byFile = new Map();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = shortFile(url, root);
    const key = `${functionName || '(anonymous)'}\t${file}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const ranked = (map) => [...map].sort((a, b) => b[1] - a[1]).map(([k, us]) => ({ key: k, ms: us / 1000, share: us / total }));
  return { totalMs: total / 1000, functions: ranked(byFunction), files: ranked(byFile) };
}

/**
 * Used by the LDAP benches: `dist` is the build profiled, its functions keyed by path relative to its parent folder.
 *
 * Inclusive time of gpaudit's own functions (dist/): self time names the leaves (ajv's code generator, ldapts'
 * parser), this names which step of gpaudit called them. Only synchronous stacks: time after an await counts
 * under the function that resumed, not under its caller.
 */
export function inclusiveTimes(path, dist) {
  const DIST_URL = `${pathToFileURL(dist).href}/`;
  const base = dirname(dist);
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const { functionName, url, lineNumber } = nodes.get(cur).callFrame;
      if (!url.startsWith(DIST_URL)) continue;
      const key = `${functionName || '(anonymous)'}\t${relative(base, fileURLToPath(url))}:${lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  return [...inclusive].sort((a, b) => b[1] - a[1]).map(([key, us]) => ({ key, ms: us / 1000 }));
}
