import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The corpus and fuzz tests read hundreds of real files; the default 5 s is too tight on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/ldap/**'],
        },
      },
      {
        // One Samba DC on 127.0.0.1 (test/setup/samba-global.ts) shared by every file here, and some files stop
        // and restart it: so one file at a time, after the unit tests have finished.
        extends: true,
        test: {
          name: 'ldap',
          include: ['test/ldap/**/*.test.ts'],
          globalSetup: ['test/setup/samba-global.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
