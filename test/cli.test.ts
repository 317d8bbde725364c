import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';


const schema = JSON.parse(readFileSync('schemas/settings-output.schema.json', 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('gpaudit settings', () => {
  it('reads every bundled sample and exits 0', async () => {
    const r = await cli(['settings', 'samples']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/GPO "WorkSpaces - Desktop Baseline \(broken\)" \{9A1F0C3E-B010-4D2B-8E6F-7A8B9C0D1E2F\}/);
    expect(r.stdout).toMatch(/^\d+ file\(s\): \d+ read, 0 could not be read, 0 not audited, 0 not recognised; \d+ setting\(s\) in \d+ GPO\(s\)$/m);
  });

  it('writes JSON that validates against the published schema', async () => {
    const r = await cli(['settings', 'samples', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    expect(doc.summary.failed).toBe(0);
    expect(doc.gpos.length).toBeGreaterThan(10);
    // Every setting carries provenance with a file and a line or byte offset.
    for (const g of doc.gpos) for (const s of g.settings) expect(s.provenance.file).toMatch(/^samples\//);
  });

  describe('with one bad file among good ones', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'gpaudit-cli-'));
      copyFileSync('samples/broken/gpo-report/All-GPOs.xml', join(dir, 'good.xml'));
      writeFileSync(join(dir, 'cut.xml'), readFileSync('samples/broken/gpo-report/All-GPOs.xml').subarray(0, 3000));
      mkdirSync(join(dir, 'Machine'));
      writeFileSync(join(dir, 'Machine', 'Registry.pol'), Buffer.from('PReg\x01\x00\x00\x00[\x00K\x00', 'latin1'));
    });

    it('reports each bad file in one line with its place, still prints the good one, exits 2', async () => {
      const r = await cli(['settings', dir]);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('WorkSpaces - Desktop Templates (broken)');
      expect(r.stdout).toMatch(/cut\.xml \(line \d+(, column \d+)?\): error: document ends inside <\w+> \(the file is cut short\) \[truncated\]/);
      expect(r.stdout).toMatch(/Registry\.pol \(byte \d+\): error: .* \[truncated\]/);
      expect(r.stdout).not.toMatch(/\n\s+at .*\.(js|ts):\d+/); // no stack trace
    });

    it('lists the failed files in the JSON inputs with status failed', async () => {
      const r = await cli(['settings', dir, '--format', 'json']);
      const doc = JSON.parse(r.stdout);
      expect(validate(doc)).toBe(true);
      expect(doc.inputs.filter((i: { status: string }) => i.status === 'failed').map((i: { file: string }) => i.file.split(/[\\/]/).pop()).sort()).toEqual(['Registry.pol', 'cut.xml']);
    });

    it('refuses a file over --max-file-size without reading it', async () => {
      const r = await cli(['settings', join(dir, 'good.xml'), '--max-file-size', '0.001']);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/over the per-file limit of 1048 bytes; not read \(raise it with --max-file-size\) \[too-large\]/);
    });
  });

  it('says so when a path does not exist, and exits 2', async () => {
    const r = await cli(['settings', 'no/such/export.xml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('no/such/export.xml: error: no such file or folder [io-error]');
  });

  it('treats a named file of a kind it does not read as an error, the same file found in a folder as a warning', async () => {
    const named = await cli(['settings', 'package.json']);
    expect(named.code).toBe(2);
    expect(named.stdout).toMatch(/package\.json: error: not recognised/);
  });

  it('exits 2 on a usage error and 0 on --help', async () => {
    expect((await cli(['settings'])).code).toBe(2);
    expect((await cli(['settings', 'samples', '--format', 'yaml'])).code).toBe(2);
    expect((await cli(['--help'])).code).toBe(0);
  });
});

describe('schemas/settings-output.schema.json', () => {
  it('is what the SettingsOutput type generates (run `npm run schema` after changing the model)', () => {
    const fresh = execFileSync('npx', ['ts-json-schema-generator', '--path', 'src/reporters/settings-output-types.ts', '--type', 'SettingsOutput', '--tsconfig', 'tsconfig.build.json', '--no-top-ref'], { encoding: 'utf8' });
    expect(JSON.parse(fresh)).toEqual(schema);
  });
});

describe('the built binary', () => {
  it('runs as a separate process with the same exit code contract', () => {
    const ok = spawnSync(process.execPath, ['dist/cli/main.js', 'settings', 'samples/clean'], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    const bad = spawnSync(process.execPath, ['dist/cli/main.js', 'settings', 'missing.pol'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('');
  });
});
