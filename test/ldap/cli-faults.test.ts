import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { openHistory } from '../../src/history/index.js';
import { describeSamba, samba } from '../helpers/samba.js';


/**
 * A TCP relay on 127.0.0.1 in front of the real DC that cuts every connection once `cutAfter` bytes have come
 * back from the server: from gpaudit's side, exactly what a DC that dies in the middle of a paged scan looks like.
 */
function cuttingRelay(cutAfter: number): Promise<{ port: number; server: Server }> {
  return new Promise((resolve) => {
    const sockets: Socket[] = [];
    const server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: 389 });
      sockets.push(client, upstream);
      let sent = 0;
      client.on('data', (d) => upstream.write(d));
      upstream.on('data', (d) => {
        sent += d.length;
        if (sent > cutAfter) {
          client.destroy();
          upstream.destroy();
          return;
        }
        client.write(d);
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end);
      upstream.on('error', end);
      client.on('close', end);
    });
    server.on('close', () => sockets.forEach((s) => s.destroy()));
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as { port: number }).port, server }));
  });
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

describeSamba('gpaudit ldap scan when the directory fails', () => {
  const pwFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-fault-'));
    writeFileSync(join(dir, 'pw'), samba().password);
    chmodSync(join(dir, 'pw'), 0o600);
    return { dir, pw: join(dir, 'pw') };
  };

  it('a connection cut in the middle of a paged scan: one clear line, exit 2, the run recorded as failed and never the base', async () => {
    const { dir, pw } = pwFile();
    const relay = await cuttingRelay(3000);
    servers.push(relay.server);
    const history = join(dir, 'h.sqlite');
    const common = ['--bind-dn', samba().adminUpn, '--password-file', pw, '--allow-plaintext', '--history', history, '--page-size', '2', '--retries', '0'];
    const cut = await cli(['ldap', 'scan', '--url', `ldap://127.0.0.1:${relay.port}`, ...common]);
    expect(cut.code).toBe(2);
    expect(cut.stdout).toBe('');
    expect(cut.stderr.trim().split('\n').filter((l) => !l.includes('warning:'))).toHaveLength(1);
    expect(cut.stderr).not.toMatch(/\n\s+at /);
    const h = openHistory(history, { readOnly: true });
    try {
      const runs = h.listRuns({ limit: 5 });
      expect(runs.map((r) => r.status)).toEqual(['failed']);
    } finally {
      h.close();
    }
    // The next good run compares with nothing: the failed one is not a base.
    const good = await cli(['ldap', 'scan', '--url', samba().url, ...common]);
    expect(good.code).toBe(1);
    expect(good.stderr).toMatch(/No earlier completed run/i);
  });

  it('a listener that accepts and never answers times out in the configured time', async () => {
    const { pw } = pwFile();
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    servers.push(silent);
    const port = (silent.address() as { port: number }).port;
    const r = await cli(['ldap', 'scan', '--url', `ldap://127.0.0.1:${port}`, '--allow-plaintext', '--bind-dn', samba().adminUpn, '--password-file', pw, '--timeout', '1500', '--connect-timeout', '1500', '--retries', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/time/i);
    expect(r.ms).toBeLessThan(10_000);
  });
});
