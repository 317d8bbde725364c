// Faults: servers that hang, refuse or vanish. Every address is on 127.0.0.1.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LdapConnection } from '../../src/ldap/client.js';
import type { ConnectOptions } from '../../src/ldap/connect-options.js';
import { LdapScanError } from '../../src/ldap/errors.js';
import { runScan } from '../../src/ldap/scan.js';
import { describeSamba, samba } from '../helpers/samba.js';

interface Listener {
  server: Server;
  port: number;
  connections: number;
  close(): Promise<void>;
}

/** A TCP listener on loopback that does what `onSocket` says with each connection (default: nothing, ever). */
async function listen(onSocket: (socket: Socket) => void = () => undefined): Promise<Listener> {
  const sockets = new Set<Socket>();
  const listener: Listener = {
    server: createServer((socket) => {
      listener.connections++;
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
      onSocket(socket);
    }),
    port: 0,
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        listener.server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve) => listener.server.listen(0, '127.0.0.1', resolve));
  listener.port = (listener.server.address() as { port: number }).port;
  return listener;
}

/** A port that was free a moment ago: nothing listens on it, so connecting is refused. */
async function closedPort(): Promise<number> {
  const probe = await listen();
  await probe.close();
  return probe.port;
}

async function openFailure(options: ConnectOptions, hooks = {}): Promise<{ error: LdapScanError; elapsedMs: number }> {
  const started = performance.now();
  const error = await LdapConnection.open(options, hooks).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  const elapsedMs = performance.now() - started;
  expect(error).toBeInstanceOf(LdapScanError);
  return { error: error as LdapScanError, elapsedMs };
}

const credentials = { bindDn: 'Administrator@example.test', password: 'not-used' };

describe('a server that accepts TCP and never answers', () => {
  let silent: Listener;
  beforeAll(async () => {
    silent = await listen();
  });
  afterAll(async () => {
    await silent.close();
  });

  it('ldap://: the bind times out in the configured operation time', async () => {
    const { error, elapsedMs } = await openFailure({ ...credentials, urls: [`ldap://127.0.0.1:${silent.port}`], allowPlaintext: true, timeoutMs: 400, connectTimeoutMs: 5000 });
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(`ldap://127.0.0.1:${silent.port} (bind): timeout: 127.0.0.1:${silent.port} did not answer the bind within 400 ms (--timeout)`);
    expect(elapsedMs).toBeGreaterThanOrEqual(390);
    expect(elapsedMs).toBeLessThan(1500);
  });

  it('ldaps://: the TLS handshake times out in the configured connect time', async () => {
    const { error, elapsedMs } = await openFailure({ ...credentials, urls: [`ldaps://127.0.0.1:${silent.port}`], timeoutMs: 5000, connectTimeoutMs: 300 });
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(
      `ldaps://127.0.0.1:${silent.port} (connect): timeout: no connection to 127.0.0.1:${silent.port} within 300 ms (--connect-timeout); check the host, port and firewall`,
    );
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
    expect(elapsedMs).toBeLessThan(1500);
  });

  it('StartTLS: the StartTLS request times out in the configured operation time', async () => {
    const { error, elapsedMs } = await openFailure({ ...credentials, urls: [`ldap://127.0.0.1:${silent.port}`], startTls: true, timeoutMs: 350, connectTimeoutMs: 5000 });
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(`ldap://127.0.0.1:${silent.port} (starttls): timeout: 127.0.0.1:${silent.port} did not answer the starttls within 350 ms (--timeout)`);
    expect(elapsedMs).toBeGreaterThanOrEqual(340);
    expect(elapsedMs).toBeLessThan(1500);
  });

  it('StartTLS: a server that accepts StartTLS and then never handshakes is cut off', async () => {
    // Answers the first request (the StartTLS extended request) with success, then ignores the TLS ClientHello.
    const stalling = await listen((socket) => {
      socket.once('data', (request: Buffer) => {
        const id = request.subarray(4, 4 + (request[3] ?? 1));
        const body = Buffer.from([0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]); // resultCode success, matchedDN "", diagnostic ""
        const op = Buffer.concat([Buffer.from([0x78, body.length]), body]); // [APPLICATION 24] ExtendedResponse
        const inner = Buffer.concat([Buffer.from([0x02, id.length]), id, op]);
        socket.write(Buffer.concat([Buffer.from([0x30, inner.length]), inner]));
      });
    });
    try {
      const { error, elapsedMs } = await openFailure({ ...credentials, urls: [`ldap://127.0.0.1:${stalling.port}`], startTls: true, timeoutMs: 250, connectTimeoutMs: 200 });
      expect(error.kind).toBe('timeout');
      expect(error.message).toBe(
        `ldap://127.0.0.1:${stalling.port} (starttls): timeout: the TLS handshake with 127.0.0.1:${stalling.port} did not complete within 450 ms (--connect-timeout plus --timeout)`,
      );
      expect(elapsedMs).toBeGreaterThanOrEqual(440);
      expect(elapsedMs).toBeLessThan(2000);
    } finally {
      await stalling.close();
    }
  });

  it('timeouts are not retried (the next URL is tried instead)', async () => {
    const before = silent.connections;
    const refused = await closedPort();
    const fallbacks: string[] = [];
    const { error } = await openFailure(
      { ...credentials, urls: [`ldap://127.0.0.1:${silent.port}`, `ldap://127.0.0.1:${refused}`], allowPlaintext: true, timeoutMs: 200, retries: 0 },
      { onFallback: ({ url }: { url: string }) => fallbacks.push(url) },
    );
    expect(silent.connections - before).toBe(1);
    expect(fallbacks).toEqual([`ldap://127.0.0.1:${silent.port}`]);
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe(
      `no server could be used: ldap://127.0.0.1:${silent.port} (bind): timeout: 127.0.0.1:${silent.port} did not answer the bind within 200 ms (--timeout); ` +
        `ldap://127.0.0.1:${refused} (connect): connection refused by 127.0.0.1:${refused} (nothing listens there, or a firewall rejects it); check the host and port`,
    );
  });
});

describe('refused and reset connections', () => {
  it('a closed port is refused, retried with exponential backoff, then reported with host and port', async () => {
    const port = await closedPort();
    const retries: { attempt: number; delayMs: number; kind: string }[] = [];
    const { error, elapsedMs } = await openFailure(
      { ...credentials, urls: [`ldap://127.0.0.1:${port}`], allowPlaintext: true, retries: 3, retryDelayMs: 50 },
      { onRetry: ({ attempt, delayMs, error: cause }: { attempt: number; delayMs: number; error: LdapScanError }) => retries.push({ attempt, delayMs, kind: cause.kind }) },
    );
    expect(retries).toEqual([
      { attempt: 1, delayMs: 50, kind: 'unreachable' },
      { attempt: 2, delayMs: 100, kind: 'unreachable' },
      { attempt: 3, delayMs: 200, kind: 'unreachable' },
    ]);
    expect(elapsedMs).toBeGreaterThanOrEqual(340);
    expect(elapsedMs).toBeLessThan(3000);
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe(
      `ldap://127.0.0.1:${port} (connect): connection refused by 127.0.0.1:${port} (nothing listens there, or a firewall rejects it); check the host and port (4 attempts)`,
    );
  });

  it('a server that drops every connection is retried the configured number of times', async () => {
    const dropping = await listen((socket) => socket.destroy());
    try {
      const { error } = await openFailure({ ...credentials, urls: [`ldap://127.0.0.1:${dropping.port}`], allowPlaintext: true, retries: 2, retryDelayMs: 20, timeoutMs: 2000 });
      expect(dropping.connections).toBe(3);
      expect(error.kind).toBe('connection-lost');
      expect(error.message).toMatch(new RegExp(`^ldap://127\\.0\\.0\\.1:${dropping.port} \\(bind\\): .*\\(3 attempts\\)$`));
    } finally {
      await dropping.close();
    }
  });

  it('retries: 0 makes exactly one attempt', async () => {
    const port = await closedPort();
    const retried: number[] = [];
    const { error } = await openFailure({ ...credentials, urls: [`ldap://127.0.0.1:${port}`], allowPlaintext: true, retries: 0 }, { onRetry: ({ attempt }: { attempt: number }) => retried.push(attempt) });
    expect(retried).toEqual([]);
    expect(error.message).not.toContain('attempts');
  });
});

describeSamba('the DC stops in the middle of a paged scan', () => {
  it('ends with a clear connection-lost error, not a hang', async () => {
    const dc = samba();
    const pagesSeen: number[] = [];
    const users: string[] = [];
    const started = performance.now();
    let failure: unknown;
    try {
      await runScan(
        { urls: [dc.url], bindDn: dc.adminUpn, password: dc.password, allowPlaintext: true, pageSize: 3, timeoutMs: 5000, connectTimeoutMs: 2000, retries: 0 },
        {
          includeDisabled: true,
          onUser: (user) => {
            users.push(user.dn);
          },
          onProgress: async ({ pages }) => {
            pagesSeen.push(pages);
            if (pages === 1) await dc.stop();
          },
        },
      );
    } catch (error) {
      failure = error;
    } finally {
      await dc.start();
    }
    const elapsedMs = performance.now() - started;
    expect(pagesSeen).toEqual([1]);
    expect(users).toHaveLength(3);
    expect(failure).toBeInstanceOf(LdapScanError);
    const error = failure as LdapScanError;
    expect(error.kind).toBe('connection-lost');
    expect(error.message).toMatch(
      /^ldap:\/\/127\.0\.0\.1:389 \(search\): the connection to 127\.0\.0\.1:389 was lost during the search after 3 entries; the server stopped or dropped the connection; run the scan again$/,
    );
    expect(elapsedMs).toBeLessThan(30_000);
  });
});
