// A run stopped by a signal (Ctrl-C, `systemctl stop`, a closed terminal) removes what it had started to write
// and exits as the signal would have, 128 + its number, without a stack trace.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** An LDAP port that accepts and never answers: the scan waits on its bind. */
async function silentServer(): Promise<{ port: number; connected: Promise<void> }> {
  const sockets: Socket[] = [];
  let connected!: () => void;
  const seen = new Promise<void>((done) => (connected = done));
  const server = createServer((socket) => {
    sockets.push(socket);
    connected();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  closers.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return { port: (server.address() as { port: number }).port, connected: seen };
}

describe('a run stopped by a signal', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s during `ldap scan -o FILE`: exit %i, no temporary report left', async (signal, code) => {
    const { port, connected } = await silentServer();
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-signal-'));
    const child = spawn(
      process.execPath,
      [CLI, 'ldap', 'scan', '--url', `ldap://127.0.0.1:${port}`, '--allow-plaintext', '--bind-dn', 'CN=x,DC=example,DC=test', '--timeout', '60000', '--retries', '0', '--format', 'json', '-o', join(dir, 'report.json')],
      { env: { ...process.env, GPAUDIT_LDAP_PASSWORD: 'x' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((done) => child.on('close', (status) => done(status)));
    await connected;
    // The report's temporary file is opened before the scan starts.
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^\.report\.json\.\d+\.gpaudit-tmp$/)]);
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(readdirSync(dir)).toEqual([]);
    expect(stderr).not.toMatch(/at .*\.js:\d+|internal error/);
  }, 30_000);
});
