// Mutation testing (issue 11), not part of CI: `npm run mutation` runs scripts/mutation.mjs, which runs Stryker once
// per folder (engine, rules, parsers) so that each folder's result is written as soon as it is done and a rerun only
// tests the mutants whose code or tests changed (incremental mode). GPAUDIT_MUTATION_PART names the folder.
// Results: reports/mutation/<part>.html and .json; the scores are in docs/testing.md with the command that made them.
const part = process.env.GPAUDIT_MUTATION_PART ?? 'all';
const folders = { engine: ['src/engine/**/*.ts'], rules: ['src/rules/**/*.ts'], parsers: ['src/parsers/**/*.ts'] };

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  mutate: folders[part] ?? Object.values(folders).flat(),
  // 'all': every test file that imports the mutated file runs against each mutant. With 'perTest', Stryker 9.5 and
  // vitest 4 recorded no per-test coverage here (every mutant ran the same 583 tests whatever covered it), so tests
  // that would kill a mutant were never run against it: on conditions.ts:25-29, 14 of 25 killed against 25 of 25.
  // (Module-level mutants are tested too: with 'all' every mutant runs every related test anyway, and Stryker
  // refuses ignoreStatic with it.)
  coverageAnalysis: 'all',
  incremental: true,
  incrementalFile: `reports/mutation/${part}.incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${part}.html` },
  jsonReporter: { fileName: `reports/mutation/${part}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  concurrency: 2,
  timeoutMS: 30_000,
  timeoutFactor: 3,
  thresholds: { high: 85, low: 80, break: null },
  // One sandbox folder per part, so runs of different parts (or files) can go side by side without removing each other's.
  tempDirName: `.stryker-tmp/${part}`,
  // Not copied into a sandbox: other runs' sandboxes and benchmark scratch change while a copy is made (ENOENT
  // mid-copy), and no test Stryker runs reads them.
  ignorePatterns: ['/bench', '/.stryker-tmp', '/reports', '/dist'],
  cleanTempDir: 'always',
};
