// What users of command-line tools expect of gpaudit's surface (issue 10): `--version` names the rule pack too,
// every command's --help ends with real examples, and `-o` never leaves a half-written report behind.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { cli } from './helpers/cli.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; engines?: { node?: string } };
const dir = mkdtempSync(join(tmpdir(), 'gpaudit-conventions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--version', () => {
  it('prints the package version, then the built-in rule pack and its version (from rules.yaml)', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    const pack = /^pack: \{ name: ([a-z-]+), version: ([0-9.]+) \}$/m.exec(readFileSync('rules.yaml', 'utf8'))!;
    expect(r.stdout).toBe(`${pkg.version}\nrules: ${pack[1]} ${pack[2]} (built in)\n`);
  });
});

describe('--help of every command ends with real examples', () => {
  const commands = [['settings'], ['audit'], ['policy'], ['rules', 'list'], ['rules', 'show'], ['rules', 'validate'], ['ldap', 'scan'], ['ldap', 'history'], ['preflight']];
  it.each(commands.map((c) => [c.join(' '), c] as const))('%s', async (_name, command) => {
    const r = await cli([...command, '--help']);
    expect(r.code).toBe(0);
    const tail = r.stdout.split('\nExamples:\n')[1];
    expect(tail, 'no Examples section at the end').toBeDefined();
    const lines = tail!.trimEnd().split('\n').filter((l) => /^ {2}\S/.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    // Each starts with the command itself (after an environment assignment, where the password goes).
    for (const l of lines) expect(l).toMatch(new RegExp(`^  (GPAUDIT_LDAP_PASSWORD=\\S+ )?gpaudit ${command.join(' ')}( |$)`));
  });

  it('the examples that need no directory run as printed', async () => {
    expect((await cli(['rules', 'show', 'workspaces-logon-banner'])).code).toBe(0);
    expect((await cli(['rules', 'list', '--tags', 'web-access'])).code).toBe(0);
  });
});

describe('-o writes whole reports or nothing', () => {
  it('a run that fails after -o was opened leaves an earlier report untouched and no temporary file', async () => {
    const out = join(dir, 'report.json');
    writeFileSync(out, '{"earlier": true}\n');
    const badConfig = join(dir, 'bad.yaml');
    writeFileSync(badConfig, 'failOn: sometimes\n');
    const r = await cli(['audit', 'samples/clean', '--format', 'json', '-o', out, '--config', badConfig]);
    expect(r.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('{"earlier": true}\n');
    expect(readdirSync(dir).sort()).toEqual(['bad.yaml', 'report.json']);
  });

  it('a run that succeeds replaces the report whole', async () => {
    const out = join(dir, 'ok.json');
    writeFileSync(out, 'old');
    const r = await cli(['audit', 'samples/clean', '--format', 'json', '-o', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.exitCode).toBe(0);
    expect(readdirSync(dir).filter((n) => n.includes('gpaudit-tmp'))).toEqual([]);
  });

  it('a folder, a missing folder: one line, exit 2, nothing written', async () => {
    const folder = await cli(['audit', 'samples/clean', '-o', dir]);
    expect([folder.code, folder.stderr]).toEqual([2, `gpaudit: -o ${dir}: cannot write the report there: it is a folder (give a file name)\n`]);
    const missing = join(dir, 'nope', 'r.json');
    const r = await cli(['audit', 'samples/clean', '-o', missing]);
    expect([r.code, r.stderr]).toEqual([2, `gpaudit: -o ${missing}: cannot write the report there: the folder ${join(dir, 'nope')} does not exist (create it first)\n`]);
  });
});

describe('engines', () => {
  it('says which Node versions work', () => {
    expect(pkg.engines?.node).toBe('>=20');
  });
});

describe('.pre-commit-hooks.yaml', () => {
  // pre-commit itself comes from PyPI, which this machine cannot reach: the hook is checked by running what it runs.
  const hooks = parseYaml(readFileSync('.pre-commit-hooks.yaml', 'utf8')) as { id: string; entry: string; args: string[]; files: string; language: string; pass_filenames: boolean }[];
  const hook = hooks.find((h) => h.id === 'gpaudit')!;

  it('declares one node hook that audits the repository as a whole', () => {
    expect(hook).toMatchObject({ language: 'node', pass_filenames: false, entry: 'gpaudit audit' });
    expect(pkg).toHaveProperty('version');
    const files = new RegExp(hook.files.replace(/^\(\?i\)/, ''), 'i');
    for (const name of ['gpreport.xml', 'GptTmpl.inf', 'Registry.pol', 'GPT.INI', 'comment.cmtx']) expect(name).toMatch(files);
    expect('README.md').not.toMatch(files);
  });

  it('its entry and args fail a commit of the broken samples and pass the clean ones', async () => {
    const [command, ...entryArgs] = hook.entry.split(' ');
    expect(command).toBe('gpaudit');
    const run = (where: string) => cli([...entryArgs, ...hook.args.map((a) => (a === '.' ? where : a))]);
    expect((await run('samples/broken')).code).toBe(1);
    expect((await run('samples/clean')).code).toBe(0);
  });
});
