// Start-up (issue 12): what a start of the built CLI loads, and the build-time snapshot of the built-in pack that
// spares an audit the YAML parser. Runs a copy of dist/ (npm run build first, as for test/cli.test.ts; the copy, as
// test/install.test.ts rebuilds dist/ while other files run), each case in a child process whose loaded modules
// test/helpers/trace-modules.mjs writes down.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_FORMATS, loadAuditReporter, loadAuditWriter } from '../src/reporters/audit-formats.js';
import { AUDIT_REPORTERS, AUDIT_WRITERS } from '../src/reporters/audit-reporters.js';
import { SNAPSHOT_URL, snapshotSource } from '../src/rules/builtin-snapshot.js';
import { builtinSnapshot, defaultBuiltinPath, loadRuleSet } from '../src/rules/load.js';
import { locate, readYamlFile } from '../src/rules/yaml-source.js';
import { cli } from './helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '..');
const TRACE = join(ROOT, 'test', 'helpers', 'trace-modules.mjs');

let scratch: string;
/** The package copy: dist/, rules.yaml, schemas/, package.json and a link to node_modules. */
let PKG: string;
let DIST: string;
let MAIN: string;
beforeAll(async () => {
  // builtin-pack.json is the build's last output: once it is there, dist/ is whole (a rebuild may be under way).
  const last = join(ROOT, 'dist', 'rules', 'builtin-pack.json');
  for (let waited = 0; !existsSync(last) && waited < 120_000; waited += 500) await new Promise((r) => setTimeout(r, 500));
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')) || !existsSync(last)) throw new Error('dist/ is missing or incomplete: run `npm run build` before this test');
  scratch = mkdtempSync(join(tmpdir(), 'gpaudit-startup-'));
  PKG = join(scratch, 'pkg');
  mkdirSync(PKG);
  cpSync(join(ROOT, 'dist'), join(PKG, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'schemas'), join(PKG, 'schemas'), { recursive: true });
  for (const f of ['rules.yaml', 'package.json']) copyFileSync(join(ROOT, f), join(PKG, f));
  symlinkSync(join(ROOT, 'node_modules'), join(PKG, 'node_modules'));
  DIST = join(PKG, 'dist');
  MAIN = join(DIST, 'cli', 'main.js');
}, 180_000);
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

let traces = 0;
/** Runs `node <args>` from the package root; returns its output and the modules it loaded, as paths from the root. */
function traced(args: string[]): { code: number | null; stdout: string; stderr: string; ours: string[]; packages: string[]; urls: string[] } {
  const file = join(scratch, `trace-${++traces}.txt`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(TRACE).href, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, GPAUDIT_TRACE_MODULES: file },
  });
  const urls = existsSync(file) ? [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean))] : [];
  const prefix = `${pathToFileURL(DIST).href}/`;
  const ours = urls.filter((u) => u.startsWith(prefix)).map((u) => u.slice(prefix.length)).sort();
  const packages = [...new Set(urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(u)).filter((m) => m !== null).map((m) => m[1]!))].sort();
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ours, packages, urls };
}

/** What every start loads: the command line's definition, --help and --version, nothing of any command. */
const START = ['cli/directory-flags.js', 'cli/errors.js', 'cli/main.js', 'cli/option-values.js', 'cli/run.js', 'model/severity.js', 'reporters/audit-formats.js', 'rules/builtin.js'];

describe('what a start loads', () => {
  it('--version loads the command line only: no command, no rules loader, no YAML parser, no validator, no LDAP client', () => {
    const r = traced([MAIN, '--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\nrules: workspaces \d+\.\d+\.\d+ \(built in\)\n$/);
    expect(r.ours).toEqual(START);
    expect(r.packages).toEqual(['commander']);
  });

  it('--help, and a command\'s --help, load no more than --version', async () => {
    for (const args of [['--help'], ['audit', '--help'], ['ldap', 'scan', '--help']]) {
      const r = traced([MAIN, ...args]);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.ours, args.join(' ')).toEqual(START);
      expect(r.packages, args.join(' ')).toEqual(['commander']);
      // Word for word what the in-process CLI (src/) prints.
      expect(r.stdout, args.join(' ')).toBe((await cli(args)).stdout);
    }
  });

  it('an audit of GPO exports loads neither the YAML parser (the built-in pack comes from its snapshot) nor the LDAP client, history or other reporters', () => {
    const r = traced([MAIN, 'audit', 'samples/clean']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.packages).not.toContain('yaml');
    expect(r.packages).not.toContain('ldapts');
    expect(r.packages).not.toContain('better-sqlite3');
    expect(r.packages).not.toContain('picomatch');
    expect(r.ours.filter((f) => /^(ldap|history|preflight)\/|^reporters\/(html|sarif|junit)|^audit\/run-policy/.test(f))).toEqual([]);
  });

  it('validating a rules file compiles no schema: of ajv, only the runtime helpers the generated validators use', () => {
    const r = traced([MAIN, 'rules', 'validate', 'test/fixtures/rules/builtin.yaml']);
    expect(r.code, r.stderr).toBe(0);
    const ajvFiles = r.urls.filter((u) => u.includes('/node_modules/ajv/'));
    expect(ajvFiles.length).toBeGreaterThan(0);
    expect(ajvFiles.filter((u) => !u.includes('/node_modules/ajv/dist/runtime/'))).toEqual([]);
  });
});

describe('loading one reporter', () => {
  it('gives for each format the reporter AUDIT_REPORTERS holds', async () => {
    expect(Object.keys(AUDIT_REPORTERS).sort()).toEqual([...AUDIT_FORMATS].sort());
    for (const format of AUDIT_FORMATS) expect(await loadAuditReporter(format), format).toBe(AUDIT_REPORTERS[format]);
  });

  it('and the writer AUDIT_WRITERS holds', async () => {
    expect(Object.keys(AUDIT_WRITERS).sort()).toEqual([...AUDIT_FORMATS].sort());
    for (const format of AUDIT_FORMATS) expect(await loadAuditWriter(format), format).toBe(AUDIT_WRITERS[format]);
  });
});

describe('the built-in pack snapshot', () => {
  it('the build wrote one, and dist/ loads the same rule set from it as src/ loads by parsing rules.yaml', () => {
    expect(existsSync(join(DIST, 'rules', 'builtin-pack.json'))).toBe(true);
    const script = `import(${JSON.stringify(pathToFileURL(join(DIST, 'rules', 'load.js')).href)}).then((m) => process.stdout.write(JSON.stringify(m.loadRuleSet([]))))`;
    const r = traced(['--input-type=module', '-e', script]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.packages).not.toContain('yaml');
    const parsed = loadRuleSet([], { builtinPath: join(PKG, 'rules.yaml') });
    expect(parsed.ruleSet?.rules.length).toBeGreaterThan(10);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(parsed)));
  });

  it('is used only for the bytes it was made from; it answers locations as the parsed file does, and parses the file for any other', () => {
    const snapshot = builtinSnapshot();
    expect(snapshot).toBeDefined();
    const snapshotFile = join(scratch, 'builtin-pack.json');
    writeFileSync(snapshotFile, JSON.stringify(snapshot));
    const copy = join(scratch, 'rules.yaml');
    copyFileSync(defaultBuiltinPath(), copy);
    const fromSnapshot = snapshotSource(copy, pathToFileURL(snapshotFile));
    const parsed = readYamlFile(copy).source!;
    expect(fromSnapshot).toBeDefined();
    expect(fromSnapshot!.data).toEqual(parsed.data);
    for (const id of Object.keys((parsed.data as { rules: object }).rules)) {
      expect(locate(fromSnapshot!, `/rules/${id}`, { key: true })).toEqual(locate(parsed, `/rules/${id}`, { key: true }));
      expect(locate(fromSnapshot!, `/rules/${id}/severity`)).toEqual(locate(parsed, `/rules/${id}/severity`));
    }
    writeFileSync(copy, `${readFileSync(copy, 'utf8')}# one more line\n`);
    expect(snapshotSource(copy, pathToFileURL(snapshotFile))).toBeUndefined();
    expect(snapshotSource(copy, pathToFileURL(join(scratch, 'none.json')))).toBeUndefined();
  });

  it('a pack with errors gets none', () => {
    const bad = join(scratch, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nrules:\n  r:\n    title: T\n    severity: urgent\n');
    expect(builtinSnapshot(bad)).toBeUndefined();
  });

  it('lives beside the built loader', () => {
    expect(SNAPSHOT_URL.href.endsWith('/rules/builtin-pack.json')).toBe(true);
  });
});
