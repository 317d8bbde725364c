// Issue 8, "Paths": each input path is resolved once, by the walk, into its absolute path, the path shown to the
// user (relative to the working directory) and the path relative to --root; waiver globs and SARIF use the last,
// so they mean the same whatever directory gpaudit runs in, and nothing below the CLI reads the working directory.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../src/admx/load.js';
import { runAudit } from '../src/audit/run-audit.js';
import type { Waiver } from '../src/model/findings.js';
import { resolveInputPath } from '../src/pipeline/walk.js';
import { toSarif } from '../src/reporters/sarif.js';
import { loadRuleSet } from '../src/rules/load.js';

const REPO = resolve(import.meta.dirname, '..');
const BIN = join(REPO, 'dist/cli/main.js');
const POWER = join(REPO, 'samples/broken/gpp/Machine/Preferences/PowerOptions');
const RULE = 'workspaces-power-plan-sleeps';

/** A root holding `estate/site-a/PowerOptions/PowerOptions.xml`, and a sibling working directory outside it. */
function layout(): { root: string; elsewhere: string; estate: string } {
  const base = mkdtempSync(join(tmpdir(), 'gpaudit-paths-'));
  const root = join(base, 'exports');
  const estate = join(root, 'estate');
  cpSync(POWER, join(estate, 'site-a', 'PowerOptions'), { recursive: true });
  const elsewhere = join(base, 'work', 'elsewhere');
  mkdirSync(elsewhere, { recursive: true });
  return { root, elsewhere, estate };
}

const waiver = (path: string): Waiver => ({ rule: RULE, path, reason: 'lab power plan', expires: '2999-12-31' });

function audit(paths: string[], cwd: string, root: string, waivers: Waiver[] = []) {
  const { ruleSet } = loadRuleSet([]);
  return runAudit(paths, { rules: ruleSet!.rules, catalog: builtinCatalog(), failOn: 'low', waivers, today: '2026-01-01', cwd, root, version: 'test' });
}

describe('the walk resolves each path once', () => {
  it('into the absolute path, the path shown (relative to the working directory) and the path relative to the root', () => {
    expect(resolveInputPath('estate/a b.xml', '/w', 'estate')).toEqual({ path: '/w/estate/a b.xml', display: 'estate/a b.xml', fromRoot: 'a b.xml' });
    // Outside the working directory the path is shown as given; outside the root it has no root-relative form.
    expect(resolveInputPath('../x/a.xml', '/w/cwd', '/w/x')).toEqual({ path: '/w/x/a.xml', display: '../x/a.xml', fromRoot: 'a.xml' });
    expect(resolveInputPath('/srv/a.xml', '/w', '/w')).toEqual({ path: '/srv/a.xml', display: '/srv/a.xml' });
  });
});

describe('waiver path globs are relative to the root', () => {
  it('match a root-relative glob when the audit runs in another directory, and not a glob relative to that directory', () => {
    const { root, elsewhere, estate } = layout();
    const fromElsewhere = relative(elsewhere, estate);
    const result = audit([fromElsewhere], elsewhere, root, [waiver('estate/site-a/**'), waiver(`${fromElsewhere}/**`)]);
    const found = result.findings.filter((f) => f.ruleId === RULE);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) expect(f.suppressed?.waiver.path).toBe('estate/site-a/**');
    // The locations are still shown relative to the working directory.
    expect(found[0]!.locations[0]!.file).toBe(join(fromElsewhere, 'site-a', 'PowerOptions', 'PowerOptions.xml'));
    expect(result.notices).toEqual([`waiver for ${RULE} (path ${fromElsewhere}/**) matched no finding`]);
  });

  it('match the same files whatever the working directory', () => {
    const { root, elsewhere, estate } = layout();
    const inRoot = audit(['estate'], root, root, [waiver('estate/**/PowerOptions.xml')]);
    const outside = audit([estate], elsewhere, root, [waiver('estate/**/PowerOptions.xml')]);
    const suppressed = (r: typeof inRoot) => r.findings.filter((f) => f.suppressed).map((f) => [f.ruleId, f.locations.length]);
    expect(suppressed(inRoot).length).toBeGreaterThan(0);
    expect(suppressed(outside)).toEqual(suppressed(inRoot));
  });
});

describe('SARIF artifact URIs are relative to the root', () => {
  it('whatever the working directory', () => {
    const { root, elsewhere, estate } = layout();
    const uris = (cwd: string, path: string) =>
      toSarif(audit([path], cwd, root))
        .runs[0].results.flatMap((r) => r.locations ?? [])
        .flatMap((l) => (l.physicalLocation ? [l.physicalLocation.artifactLocation] : []));
    const inRoot = uris(root, 'estate');
    expect(inRoot.length).toBeGreaterThan(0);
    expect(inRoot).toContainEqual({ uri: 'estate/site-a/PowerOptions/PowerOptions.xml', uriBaseId: '%SRCROOT%' });
    expect(uris(elsewhere, relative(elsewhere, estate))).toEqual(inRoot);
    expect(uris(REPO, estate)).toEqual(inRoot);
  });
});

describe('from the command line, run in another directory', () => {
  beforeAll(() => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm run test:all does)`);
  });

  const gpaudit = (args: string[], cwd: string) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  it('a waiver path written relative to --root suppresses the finding', () => {
    const { root, elsewhere, estate } = layout();
    const config = join(elsewhere, 'gpaudit.yaml');
    writeFileSync(config, `version: 1\nwaivers:\n  - rule: ${RULE}\n    path: 'estate/site-a/**'\n    reason: lab power plan\n    expires: 2999-12-31\n`);
    const r = gpaudit(['audit', relative(elsewhere, estate), '--root', relative(elsewhere, root), '--config', config, '--format', 'json'], elsewhere);
    const doc = JSON.parse(r.stdout);
    const found = doc.findings.filter((f: { ruleId: string }) => f.ruleId === RULE);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f: { suppressed?: unknown }) => f.suppressed)).toBe(true);
    expect(doc.notices).toEqual([]);
  });

  it('SARIF URIs are relative to --root and %SRCROOT% is the root', () => {
    const { root, elsewhere, estate } = layout();
    const r = gpaudit(['audit', estate, '--root', root, '--format', 'sarif'], elsewhere);
    const run = JSON.parse(r.stdout).runs[0];
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`${new URL(`file://${root}/`).href}`);
    const locations = run.results.flatMap((x: { locations?: { physicalLocation?: { artifactLocation: unknown } }[] }) => x.locations ?? []);
    expect(locations.map((l: { physicalLocation?: { artifactLocation: unknown } }) => l.physicalLocation?.artifactLocation).filter(Boolean)).toContainEqual({
      uri: 'estate/site-a/PowerOptions/PowerOptions.xml',
      uriBaseId: '%SRCROOT%',
    });
  });
});

describe('nothing below the CLI reads the working directory', () => {
  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  }

  it('process.cwd() is called in src/cli only', () => {
    const callers = sources(join(REPO, 'src'))
      .filter((file) => /\bprocess\s*\.\s*cwd\s*\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(REPO, file).split('\\').join('/'));
    expect(callers.filter((file) => !file.startsWith('src/cli/'))).toEqual([]);
    expect(callers).toEqual(['src/cli/run.ts']);
  });
});
