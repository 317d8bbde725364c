// The install routes the README documents, run for real: `npm pack` the project, install the tarball globally into a
// temporary prefix and into an empty folder, and run the installed `gpaudit`. This is what catches a file the CLI
// reads at run time (rules.yaml, schemas/, package.json) missing from package.json `files`, or a bin that does not
// start outside the source tree.
//
// Dependencies come from the npm registry or npm's cache (--prefer-offline). better-sqlite3 is native: its install
// script asks prebuild-install for a prebuilt binary from GitHub and otherwise compiles SQLite with node-gyp, which
// takes over a minute on two cores. A user with internet access gets the download; to keep this test fast and
// off GitHub, it hands prebuild-install the binary the project's own `npm ci` already built for this Node, as a
// local prebuild (the documented npm_config_<package>_local_prebuilds setting). The install script still runs, and
// the test loads the installed module. If the versions or Node ABI differ, prebuild-install finds nothing and the
// test falls back to compiling, which is slow but still correct; GPAUDIT_INSTALL_TEST_NO_PREBUILD=1 forces that path.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const ruleIds = Object.keys((parse(readFileSync(join(root, 'rules.yaml'), 'utf8')) as { rules: Record<string, unknown> }).rules);
const brokenReport = join(root, 'samples', 'broken', 'gpo-report');

const INSTALL_TIMEOUT = 300_000;

/**
 * The environment for child npm and gpaudit processes. When vitest runs under `npm test` or `npx vitest`, npm has
 * exported its own settings, among them npm_config_local_prefix=<this project> and npm_config_prefix=/usr: left in,
 * the "empty folder" install would go into the project and the global one into /usr.
 */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const k = key.toLowerCase();
    if (!k.startsWith('npm_')) env[key] = value;
    else if (k.startsWith('npm_config_') && !/^npm_config_(local_prefix|prefix|global_prefix|global|call|package|workspaces?|location)$/.test(k)) {
      env[key] = value;
    }
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: INSTALL_TIMEOUT, maxBuffer: 64 * 1024 * 1024 });
}

function describeRun(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}${r.error ? ` (${r.error.message})` : ''}\n--- stdout\n${r.stdout?.slice(-4000)}\n--- stderr\n${r.stderr?.slice(-4000)}`;
}

function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  const r = run('npm', args, cwd, env);
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}: ${describeRun(r)}`);
  return r;
}

/** A prebuild-install tarball (build/Release/better_sqlite3.node) made from the project's compiled binding, if any. */
function makeLocalPrebuild(dir: string): string | undefined {
  if (process.env.GPAUDIT_INSTALL_TEST_NO_PREBUILD === '1') return undefined;
  const modDir = join(root, 'node_modules', 'better-sqlite3');
  const binding = join(modDir, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(binding)) return undefined;
  const { version } = JSON.parse(readFileSync(join(modDir, 'package.json'), 'utf8')) as { version: string };
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  const libc = process.platform === 'linux' && !header?.glibcVersionRuntime ? 'musl' : '';
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}${libc}-${process.arch}.tar.gz`;
  const stage = join(dir, 'stage');
  mkdirSync(join(stage, 'build', 'Release'), { recursive: true });
  copyFileSync(binding, join(stage, 'build', 'Release', 'better_sqlite3.node'));
  const r = run('tar', ['-czf', join(dir, name), '-C', stage, 'build'], dir, process.env);
  return r.status === 0 ? dir : undefined;
}

/** Checks the native dependency installed with gpaudit actually loads (node_modules beside the package). */
function expectSqliteLoads(packageDir: string, env: NodeJS.ProcessEnv): void {
  const r = run(
    process.execPath,
    ['-e', "const D = require('better-sqlite3'); process.stdout.write(String(new D(':memory:').prepare('select 41 + 1 as x').get().x))"],
    packageDir,
    env,
  );
  expect(r.status, describeRun(r)).toBe(0);
  expect(r.stdout).toBe('42');
}

describe('the packed tarball', () => {
  let tmp: string;
  let tarball: string;
  let packedFiles: string[];
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
      throw new Error('dist/cli/main.js is missing: run `npm run build` before this test (scripts/test-all.sh does)');
    }
    tmp = mkdtempSync(join(tmpdir(), 'gpaudit-install-'));
    const prebuilds = makeLocalPrebuild(join(tmp, 'prebuilds'));
    env = childEnv(prebuilds ? { npm_config_better_sqlite3_local_prebuilds: prebuilds } : {});
    mkdirSync(join(tmp, 'pack'));
    const r = npm(['pack', '--json', '--pack-destination', join(tmp, 'pack')], root, env);
    const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
    if (!info) throw new Error(`npm pack printed no package: ${r.stdout}`);
    tarball = join(tmp, 'pack', info.filename);
    packedFiles = info.files.map((f) => f.path);
  }, INSTALL_TIMEOUT);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('holds the bin, the rules, every schema and package.json', () => {
    expect(existsSync(tarball)).toBe(true);
    expect(tarball.endsWith(`${pkg.name}-${pkg.version}.tgz`)).toBe(true);
    const schemas = readdirSync(join(root, 'schemas')).filter((f) => f.endsWith('.json')).map((f) => `schemas/${f}`);
    expect(packedFiles).toEqual(expect.arrayContaining(['package.json', 'dist/cli/main.js', 'rules.yaml', ...schemas]));
    // Nothing from the source tree or the tests ships.
    expect(packedFiles.filter((f) => /^(src|test|bench|samples|node_modules)\//.test(f))).toEqual([]);
  });

  describe('installed globally: npm install -g <tarball>', () => {
    let prefix: string;
    let gpaudit: string;

    beforeAll(() => {
      prefix = join(tmp, 'global');
      npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], tmp, env);
      gpaudit = join(prefix, 'bin', 'gpaudit');
    }, INSTALL_TIMEOUT);

    it('puts gpaudit in <prefix>/bin and prints the package version', () => {
      expect(existsSync(gpaudit)).toBe(true);
      const r = run(gpaudit, ['--version'], tmp, env);
      expect(r.status, describeRun(r)).toBe(0);
      // The package version on the first line, the built-in rule pack's on the second.
      expect(r.stdout.split('\n')[0]).toBe(pkg.version);
      expect(r.stdout).toMatch(/^rules: workspaces \d+\.\d+\.\d+ \(built in\)$/m);
    });

    it('audits the broken sample: exit 1 and findings in valid JSON', () => {
      const r = run(gpaudit, ['audit', brokenReport, '--format', 'json'], tmp, env);
      expect(r.status, describeRun(r)).toBe(1);
      const doc = JSON.parse(r.stdout) as { findings: { ruleId: string }[]; problems: unknown[] };
      expect(doc.findings.length).toBeGreaterThan(0);
      for (const f of doc.findings) expect(ruleIds).toContain(f.ruleId);
      expect(doc.problems).toEqual([]);
    });

    it('lists every rule in rules.yaml', () => {
      const r = run(gpaudit, ['rules', 'list'], tmp, env);
      expect(r.status, describeRun(r)).toBe(0);
      // A header, one row per rule (the id first), then "N rule(s) from <file>".
      const listed = r.stdout.split('\n').slice(1).map((line) => line.split(/\s+/)[0] ?? '').filter((id) => /^[a-z0-9]+(-[a-z0-9]+)+$/.test(id));
      expect(listed.sort()).toEqual([...ruleIds].sort());
    });

    it('installs a working better-sqlite3', () => {
      expectSqliteLoads(join(prefix, 'lib', 'node_modules', pkg.name), env);
    });
  });

  describe('installed into an empty folder: npm install <tarball>, then npx gpaudit', () => {
    let folder: string;

    beforeAll(() => {
      folder = join(tmp, 'empty');
      mkdirSync(folder);
      npm(['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], folder, env);
    }, INSTALL_TIMEOUT);

    it('runs with npx and prints the package version', () => {
      // --no: never fall back to fetching a package called gpaudit from the registry (without a TTY npx assumes
      // --yes). The -- matters: `npx --no gpaudit --version` gives npm's own version.
      const r = run('npx', ['--no', '--', 'gpaudit', '--version'], folder, env);
      expect(r.status, describeRun(r)).toBe(0);
      // The package version on the first line, the built-in rule pack's on the second.
      expect(r.stdout.split('\n')[0]).toBe(pkg.version);
      expect(r.stdout).toMatch(/^rules: workspaces \d+\.\d+\.\d+ \(built in\)$/m);
    });

    it('audits with npx from there', () => {
      const r = run('npx', ['--no', '--', 'gpaudit', 'audit', brokenReport, '--format', 'json'], folder, env);
      expect(r.status, describeRun(r)).toBe(1);
      expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
    });

    it('lists the rules with npx from there (rules.yaml and its schema were packed)', () => {
      const r = run('npx', ['--no', '--', 'gpaudit', 'rules', 'list'], folder, env);
      expect(r.status, describeRun(r)).toBe(0);
      expect(r.stdout).toContain('workspaces-logon-banner');
      expect(r.stdout).toMatch(/\d+ rule\(s\) from /);
    });

    it('installs a working better-sqlite3', () => {
      expectSqliteLoads(join(folder, 'node_modules', pkg.name), env);
    });
  });
});
