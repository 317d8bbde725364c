import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The corpus and fuzz tests read hundreds of real files; the default 5 s is too tight on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
