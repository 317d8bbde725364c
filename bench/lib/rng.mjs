// A small seeded generator (mulberry32): the estate must be byte-identical for the same seed, and Math.random
// cannot be seeded.
export function createRng(seed) {
  let state = hashSeed(String(seed));
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    /** `value` scaled by a factor drawn uniformly from [1 - spread, 1 + spread], rounded. */
    jitter: (value, spread = 0.15) => Math.max(0, Math.round(value * (1 - spread + 2 * spread * next()))),
    guid: () => {
      const hex = (n) => Array.from({ length: n }, () => '0123456789ABCDEF'[Math.floor(next() * 16)]).join('');
      return `{${hex(8)}-${hex(4)}-4${hex(3)}-${'89AB'[Math.floor(next() * 4)]}${hex(3)}-${hex(12)}}`;
    },
  };
}

function hashSeed(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h | 0;
}
