// Issue 11, "Inputs from the file system": what the file system hands gpaudit besides plain files and folders. Each
// case gives one located line, the run goes on with the other inputs, and the exit code says the audit is incomplete.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  futimesSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/admx/load.js';
import type { InputUnit } from '../../src/model/unit.js';
import { escapeName } from '../../src/pipeline/fs-input.js';
import { readEstate } from '../../src/pipeline/read-estate.js';
import { readFileWithin, readUnit } from '../../src/pipeline/read-unit.js';
import { MAX_FOLDER_DEPTH, walkInputs } from '../../src/pipeline/walk.js';
import { cli } from '../helpers/cli.js';

const REPO = resolve(import.meta.dirname, '../..');
const BIN = join(REPO, 'dist/cli/main.js');
const POL = join(REPO, 'samples/broken/registry-pol/Machine/Registry.pol');
const SYSVOL_GPO = join(REPO, 'samples/broken/sysvol/Policies/{7D3B9F21-4A6C-4E8B-B1D2-3C4E5F6A7B01}');
const GUID = '{7D3B9F21-4A6C-4E8B-B1D2-3C4E5F6A7B01}';

const temp = (tag: string) => mkdtempSync(join(tmpdir(), `gpaudit-hostile-${tag}-`));

/** The problem lines of an `audit` run (stderr), without the `gpaudit: ` prefix, sorted. */
const lines = (stderr: string) => stderr.split('\n').filter(Boolean).map((l) => l.replace(/^gpaudit: /, '')).sort();

/** The built CLI in its own process, so a hang fails the test instead of blocking the test worker. */
function gpaudit(args: string[], cwd: string, asNobody = false) {
  const argv = [BIN, ...args];
  const r = asNobody
    ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...argv], { cwd, encoding: 'utf8', timeout: 30_000 })
    : spawnSync(process.execPath, argv, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm run test:all does)`);
});

describe('FIFOs, sockets and devices are never opened', () => {
  let server: Server | undefined;
  afterAll(() => server?.close());

  it('a FIFO under a folder, in a GPO folder and on the command line: one line each, the rest read, exit 2, no hang', () => {
    const dir = temp('fifo');
    mkdirSync(join(dir, 'exports', 'Machine'), { recursive: true });
    cpSync(POL, join(dir, 'exports', 'Machine', 'Registry.pol'));
    cpSync(SYSVOL_GPO, join(dir, 'exports', GUID), { recursive: true });
    execFileSync('mkfifo', [join(dir, 'exports', 'fifo'), join(dir, 'exports', GUID, 'MACHINE', 'fifo'), join(dir, 'named')]);
    const r = gpaudit(['audit', 'exports', 'named', '--format', 'json'], dir);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `exports/${GUID}/MACHINE/fifo: error: not a regular file (a FIFO); skipped [io-error]`,
      'exports/fifo: error: not a regular file (a FIFO); skipped [io-error]',
      'named: error: not a regular file (a FIFO); skipped [io-error]',
    ].sort());
    const doc = JSON.parse(r.stdout);
    expect(doc.findings.length).toBeGreaterThan(0);
  });

  it('a socket and a device (through a link), found under a folder or named: one line each', async () => {
    const dir = temp('sock');
    mkdirSync(join(dir, 'exports', 'Machine'), { recursive: true });
    cpSync(POL, join(dir, 'exports', 'Machine', 'Registry.pol'));
    const sock = join(dir, 'exports', 'agent.sock');
    server = createServer();
    await new Promise<void>((done) => server!.listen(sock, done));
    symlinkSync('/dev/zero', join(dir, 'exports', 'zero'));
    // /dev/zero named as well: the link led there already, so it is reported once.
    const r = gpaudit(['settings', 'exports', '/dev/zero'], dir);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('\nProblems:\n  exports/agent.sock: error: not a regular file (a socket); skipped [io-error]\n  exports/zero: error: not a regular file (a device); skipped [io-error]\n\n');
    expect(r.stdout).toContain('3 file(s): 1 read, 2 could not be read');
    const named = gpaudit(['settings', '/dev/zero'], dir);
    expect([named.code, named.stdout]).toEqual([2, 'Problems:\n  /dev/zero: error: not a regular file (a device); skipped [io-error]\n\n1 file(s): 0 read, 1 could not be read, 0 not audited, 0 not recognised; 0 setting(s) in 0 GPO(s)\n']);
  });

  it('readFileWithin refuses a FIFO without blocking, and a folder', () => {
    const dir = temp('fifo-read');
    execFileSync('mkfifo', [join(dir, 'p')]);
    expect(readFileWithin(join(dir, 'p'), 1024)).toEqual({ code: 'io-error', message: 'not a regular file (a FIFO); skipped' });
    expect(readFileWithin(dir, 1024)).toEqual({ code: 'io-error', message: 'is a folder, not a file; not read' });
  });
});

describe('permissions (run as nobody: the tests run as root)', () => {
  it('an unreadable file, an unreadable folder and an unreadable folder in a GPO: one line each, the rest read, exit 2', () => {
    const dir = temp('perm');
    try {
      mkdirSync(join(dir, 'exports', 'locked'), { recursive: true });
      cpSync(POL, join(dir, 'exports', 'locked', 'Registry.pol'));
      cpSync(POL, join(dir, 'exports', 'secret.pol'));
      cpSync(SYSVOL_GPO, join(dir, 'exports', GUID), { recursive: true });
      execFileSync('chmod', ['-R', 'a+rX', dir]);
      execFileSync('chmod', ['000', join(dir, 'exports', 'locked'), join(dir, 'exports', 'secret.pol'), join(dir, 'exports', GUID, 'User')]);
      const r = gpaudit(['audit', 'exports', '--format', 'json'], dir, true);
      expect(r.code).toBe(2);
      expect(lines(r.stderr)).toEqual([
        `exports/${GUID}/User: error: folder could not be listed (permission denied) [io-error]`,
        'exports/locked: error: folder could not be listed (permission denied) [io-error]',
        'exports/secret.pol: error: permission denied [io-error]',
      ].sort());
      // The GPO's readable half is still judged.
      const doc = JSON.parse(r.stdout);
      expect(doc.findings.length).toBeGreaterThan(0);
    } finally {
      execFileSync('chmod', ['-R', 'u+rwX', dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a file that changes while it is read is refused, not half read', () => {
  const file = () => {
    const path = join(temp('change'), 'Registry.pol');
    cpSync(POL, path);
    return path;
  };

  it('shrinks between the size check and the read', () => {
    const path = file();
    const r = readFileWithin(path, 1 << 20, { afterOpen: () => truncateSync(path, 10) });
    expect(r).toMatchObject({ code: 'io-error' });
    expect('message' in r && r.message).toMatch(/^changed size while being read \(\d+ bytes when opened, ended after 10\); not read/);
  });

  it('grows while read', () => {
    const path = file();
    const r = readFileWithin(path, 1 << 20, { afterOpen: () => appendFileSync(path, 'more') });
    expect('message' in r && r.message).toMatch(/^changed size while being read \(\d+ bytes when opened, \d+ after\); not read/);
  });

  it('is rewritten in place, same size', () => {
    const path = file();
    const r = readFileWithin(path, 1 << 20, {
      afterOpen: (fd) => {
        writeFileSync(path, Buffer.alloc(statSync(path).size, 0x41)); // the same length, other bytes
        futimesSync(fd, new Date(2000, 0, 1), new Date(2000, 0, 1));
      },
    });
    expect('message' in r && r.message).toBe('was rewritten while being read; not read, run again when nothing is writing to it');
  });

  it('a read still going after its time limit is abandoned (checked between chunks)', () => {
    const path = file();
    const r = readFileWithin(path, 1 << 20, { timeLimitMs: 10, afterOpen: () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50) });
    expect('message' in r && r.message).toMatch(/^reading took over 10 ms \(0 of \d+ bytes read; slow or stuck storage\?\); not read$/);
  });
});

describe('a path that vanishes between the listing and the read', () => {
  it('a loose file removed while the run is under way: one line, the run goes on', () => {
    const dir = temp('vanish');
    mkdirSync(join(dir, 'exports'));
    cpSync(POL, join(dir, 'exports', 'a.pol'));
    cpSync(POL, join(dir, 'exports', 'b.pol'));
    cpSync(POL, join(dir, 'exports', 'c.pol'));
    const seen: string[] = [];
    const { problems, summary } = readEstate(['exports'], { catalog: builtinCatalog(), cwd: dir }, (unit) => {
      seen.push(unit.display);
      if (unit.display === 'exports/a.pol') unlinkSync(join(dir, 'exports', 'b.pol'));
    });
    expect(seen).toEqual(['exports/a.pol', 'exports/c.pol']);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([{ file: 'exports/b.pol', code: 'io-error', severity: 'error', message: 'no such file or folder: removed after its folder was listed' }]);
    expect(summary).toMatchObject({ files: 3, read: 2, failed: 1 });
  });

  it('a file of a GPO folder removed after the walk listed it', () => {
    const dir = temp('vanish-gpo');
    cpSync(SYSVOL_GPO, join(dir, GUID), { recursive: true });
    const [item] = [...walkInputs([GUID], { cwd: dir })];
    const unit = (item as { unit: InputUnit }).unit;
    unlinkSync(join(dir, GUID, 'GPT.INI'));
    const read = readUnit(unit);
    expect(read.problems.filter((p) => p.code === 'io-error')).toEqual([{ file: `${GUID}/GPT.INI`, code: 'io-error', severity: 'error', message: 'no such file or folder: removed after its folder was listed' }]);
    expect(readFileWithin(join(dir, GUID, 'GPT.INI'), 1024)).toEqual({ code: 'io-error', message: 'no such file or folder' });
    expect(read.outcomes.filter((o) => o.status === 'read').length).toBeGreaterThan(0);
  });
});

describe('an overall deadline between inputs (readEstate, for library callers)', () => {
  it('once passed, the input then due is named in one line and nothing after it is read', () => {
    const dir = temp('deadline');
    mkdirSync(join(dir, 'exports', 'Machine'), { recursive: true });
    cpSync(POL, join(dir, 'exports', 'Machine', 'a.pol'));
    cpSync(POL, join(dir, 'exports', 'Machine', 'b.pol'));
    const seen: string[] = [];
    const { problems } = readEstate(['exports'], { catalog: builtinCatalog(), cwd: dir, readDeadline: Date.now() - 1 }, (u) => seen.push(u.display));
    expect(seen).toEqual([]);
    expect(problems).toEqual([{ file: 'exports/Machine/a.pol', code: 'io-error', severity: 'error', message: 'the run reached its time limit here: this input and the ones after it were not read' }]);
  });
});

describe('names that are not UTF-8', () => {
  it('a file and a folder named with invalid UTF-8 bytes: one line each, escaped, the rest read, exit 2', async () => {
    const dir = temp('names');
    const exports = join(dir, 'exports');
    mkdirSync(join(exports, 'Machine'), { recursive: true });
    cpSync(POL, join(exports, 'Machine', 'Registry.pol'));
    const bad = (name: Buffer) => Buffer.concat([Buffer.from(`${exports}/`), name]);
    writeFileSync(bad(Buffer.from([0x61, 0xff, 0xfe, 0x2e, 0x70, 0x6f, 0x6c])), 'PReg\x01\x00\x00\x00');
    mkdirSync(bad(Buffer.from([0x64, 0xc3, 0x28])));
    cpSync(SYSVOL_GPO, join(exports, GUID), { recursive: true });
    writeFileSync(Buffer.concat([Buffer.from(`${exports}/${GUID}/MACHINE/`), Buffer.from([0x80, 0x0a])]), 'x');
    const r = await cli(['audit', exports, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `${exports}/${GUID}/MACHINE/\\x80\\x0A: error: the name is not valid UTF-8 (shown escaped); not read [io-error]`,
      `${exports}/a\\xFF\\xFE.pol: error: the name is not valid UTF-8 (shown escaped); not read [io-error]`,
      `${exports}/d\\xC3(: error: the name is not valid UTF-8 (shown escaped); not read [io-error]`,
    ].sort());
    expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0);
  });

  it('escapes bytes that are not UTF-8 and control characters, and keeps UTF-8 as it is', () => {
    expect(escapeName(Buffer.from([0x41, 0xff, 0xc3, 0xa9, 0xe2, 0x82, 0x0a, 0xf0, 0x9f, 0x98, 0x80]))).toBe('A\\xFFé\\xE2\\x82\\x0A😀');
  });
});

describe('very deep trees and very long paths', () => {
  it(`2,000 nested folders: no stack overflow, one line where the walk stops (${MAX_FOLDER_DEPTH} levels), the rest read`, async () => {
    const dir = temp('deep');
    const exports = join(dir, 'exports');
    mkdirSync(join(exports, 'Machine'), { recursive: true });
    cpSync(POL, join(exports, 'Machine', 'Registry.pol'));
    // Relative, so no single path given to mkdir is over PATH_MAX.
    execFileSync('mkdir', ['-p', Array(2000).fill('d').join('/')], { cwd: exports });
    cpSync(SYSVOL_GPO, join(exports, GUID), { recursive: true });
    execFileSync('mkdir', ['-p', Array(2000).fill('e').join('/')], { cwd: join(exports, GUID, 'MACHINE') });
    const r = await cli(['audit', exports, '--format', 'json']);
    expect(r.code).toBe(2);
    const deep = (base: string, c: string, n: number) => `${base}/${Array(n).fill(c).join('/')}`;
    expect(lines(r.stderr)).toEqual([
      `${deep(`${exports}/${GUID}/MACHINE`, 'e', MAX_FOLDER_DEPTH - 1)}: error: folders nested over ${MAX_FOLDER_DEPTH} deep below the input; not walked further [io-error]`,
      `${deep(exports, 'd', MAX_FOLDER_DEPTH + 1)}: error: folders nested over ${MAX_FOLDER_DEPTH} deep below the input; not walked further [io-error]`,
    ].sort());
    expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0);
  });

  it('a path over PATH_MAX (4,096 bytes), made by relative nesting: one ENAMETOOLONG line, the rest read', async () => {
    const dir = temp('long');
    const exports = join(dir, 'exports');
    mkdirSync(join(exports, 'Machine'), { recursive: true });
    cpSync(POL, join(exports, 'Machine', 'Registry.pol'));
    const name = 'n'.repeat(200);
    execFileSync('bash', ['-c', `for i in $(seq 25); do mkdir ${name} && cd ${name}; done; cp '${POL}' Registry.pol`], { cwd: exports });
    const r = await cli(['audit', exports, '--format', 'json']);
    expect(r.code).toBe(2);
    const problems = lines(r.stderr);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\/.*\/n{200}: error: the path is longer than the system allows \(ENAMETOOLONG\); not read \[io-error\]$/);
    expect(problems[0]!.length).toBeGreaterThan(4096);
    expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(0);
  });

  it('a link loop inside a GPO folder is walked once, silently', () => {
    const dir = temp('loop');
    cpSync(SYSVOL_GPO, join(dir, GUID), { recursive: true });
    symlinkSync('..', join(dir, GUID, 'MACHINE', 'up'));
    const items = [...walkInputs([GUID], { cwd: dir })];
    expect(items.filter((i) => 'problem' in i)).toEqual([]);
    const files = items.flatMap((i) => ('unit' in i ? i.unit.files.map((f) => f.display) : []));
    expect(files.length).toBe(new Set(files).size);
    expect(files.some((f) => f.includes('/up/'))).toBe(false);
  });
});
