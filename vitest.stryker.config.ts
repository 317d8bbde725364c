// The test set Stryker runs against each mutant (npm run mutation). Only tests that exercise src/engine, src/rules
// and src/parsers in-process: tests that spawn the built CLI run unmutated code from dist/ and could never kill a
// mutant, and the fuzz and install tests are long and would only repeat the corpus tests' coverage.
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    // Stryker switches mutants at run time, so the modules can stay loaded between runs: without isolation each
    // mutant's run skips re-importing the project (about twice as fast). The cost: a module-level mutant (code run
    // once, at import) is not re-run, so it can only survive; scores are then lower bounds, never flattering.
    isolate: false,
    hookTimeout: 300_000,
    include: [
      'test/rules/**/*.test.ts',
      'test/parsers/**/*.test.ts',
      'test/model/**/*.test.ts',
      'test/model.test.ts',
      'test/normalise.test.ts',
      'test/corpus.test.ts',
      'test/cross-format.test.ts',
      'test/samples.test.ts',
      'test/input/xml-errors.test.ts',
      'test/waivers-guid.test.ts',
      'test/finish-findings.test.ts',
      'test/fingerprints.test.ts',
      'test/policy/**/*.test.ts',
    ],
    exclude: [...configDefaults.exclude],
  },
});
