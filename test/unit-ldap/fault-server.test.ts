// Issue 11, directory side: a server that misbehaves. Each fault is played by our own small LDAP server on
// 127.0.0.1 (test/helpers/fault-ldap-server.ts), so no Samba DC is needed and this file runs in the unit project.
// For each fault: the library's behaviour (LdapConnection / runScan), then the CLI's: one error line, exit 2, within
// a stated time, and the run marked failed in the history.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LdapConnection } from '../../src/ldap/client.js';
import type { ConnectOptions } from '../../src/ldap/connect-options.js';
import { LdapScanError } from '../../src/ldap/errors.js';
import { runScan, type ScanSummary } from '../../src/ldap/scan.js';
import { EnvelopeFramer, WireGuard } from '../../src/ldap/wire-guard.js';
import { openHistory } from '../../src/history/index.js';
import { cli } from '../helpers/cli.js';
import { STARTTLS_OID, startFaultServer, type FaultLdapServer, type FaultServerOptions } from '../helpers/fault-ldap-server.js';

const PASSWORD = 'Fault-Secret-7c1d9e';
const BIND = 'svc-audit@example.test';

const servers: FaultLdapServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(options: FaultServerOptions): Promise<FaultLdapServer> {
  const server = await startFaultServer(options);
  servers.push(server);
  return server;
}

function connectTo(server: FaultLdapServer, extra: Partial<ConnectOptions> = {}): ConnectOptions {
  return { urls: [server.url], bindDn: BIND, password: PASSWORD, allowPlaintext: true, retries: 0, timeoutMs: 3000, connectTimeoutMs: 3000, ...extra };
}

interface ScanOutcome {
  error: LdapScanError;
  users: string[];
  elapsedMs: number;
}

async function scanFailure(connect: ConnectOptions): Promise<ScanOutcome> {
  const users: string[] = [];
  const started = performance.now();
  const outcome = await runScan(connect, { onUser: (user) => void users.push(user.dn) }).then(
    (summary: ScanSummary) => summary,
    (caught: unknown) => caught,
  );
  const elapsedMs = performance.now() - started;
  expect(outcome).toBeInstanceOf(LdapScanError);
  return { error: outcome as LdapScanError, users, elapsedMs };
}

/** `gpaudit ldap scan` against `server` with a history file; returns the run and the history's run statuses. */
async function cliScan(server: FaultLdapServer, flags: string[]): Promise<{ code: number; stdout: string; errors: string[]; stderr: string; ms: number; statuses: string[]; error?: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'gpaudit-faultsrv-'));
  const history = join(dir, 'h.sqlite');
  const r = await cli(['ldap', 'scan', '--url', server.url, '--bind-dn', BIND, '--history', history, '--retries', '0', ...flags], { GPAUDIT_LDAP_PASSWORD: PASSWORD });
  const h = openHistory(history, { readOnly: true });
  try {
    const runs = h.listRuns({ limit: 5 });
    const error = runs[0]?.error;
    return {
      code: r.code,
      stdout: r.stdout,
      stderr: r.stderr,
      errors: r.stderr
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.includes('warning:')),
      ms: r.ms,
      statuses: runs.map((run) => run.status),
      ...(error !== undefined ? { error } : {}),
    };
  } finally {
    h.close();
  }
}

function expectOneLineFailure(run: Awaited<ReturnType<typeof cliScan>>, pattern: RegExp, boundMs: number): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(/^gpaudit: /);
  expect(run.errors[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.ms).toBeLessThan(boundMs);
  expect(run.statuses).toEqual(['failed']);
}

// A regression must fail in seconds, not hang until vitest's 120 s default.
describe('StartTLS refused: never falls back to plaintext', { timeout: 20_000 }, () => {
  for (const code of [52, 2]) {
    it(`result ${code}: a tls error naming the refusal; no bind, no search and no password on the wire, even with retries`, async () => {
      const server = await serve({ fault: 'starttls-refused', startTlsResult: code });
      const started = performance.now();
      const error = await LdapConnection.open(connectTo(server, { startTls: true, allowPlaintext: false, retries: 2, retryDelayMs: 10 })).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      const elapsedMs = performance.now() - started;
      expect(error).toBeInstanceOf(LdapScanError);
      const failure = error as LdapScanError;
      expect(failure.kind).toBe('tls');
      expect(failure.retryable).toBe(false);
      expect(failure.message).toMatch(
        new RegExp(
          `^ldap://127\\.0\\.0\\.1:${server.port} \\(starttls\\): the server refused StartTLS \\(LDAP result ${code}, [a-z ]+\\); gpaudit never falls back to plaintext, so no bind \\(and no password\\) was sent; use ldaps://host:636 or give the DC a certificate; server said: StartTLS is not available on this server$`,
        ),
      );
      expect(server.requests).toEqual([{ op: 'extended', messageId: expect.any(Number), name: STARTTLS_OID }]);
      expect(server.requests.filter((request) => request.op === 'bind' || request.op === 'search')).toEqual([]);
      expect(server.received().includes(Buffer.from(PASSWORD))).toBe(false);
      expect(server.received().includes(Buffer.from(BIND))).toBe(false);
      expect(elapsedMs).toBeLessThan(3000);
    });
  }

  it('CLI: one line, exit 2, run failed, nothing but the StartTLS request sent', async () => {
    const server = await serve({ fault: 'starttls-refused' });
    const run = await cliScan(server, ['--starttls', '--timeout', '2000', '--connect-timeout', '2000']);
    expectOneLineFailure(run, /\(starttls\): the server refused StartTLS \(LDAP result 52, unavailable\); gpaudit never falls back to plaintext/, 5000);
    expect(server.requests.map((request) => request.op)).toEqual(['extended']);
    expect(server.received().includes(Buffer.from(PASSWORD))).toBe(false);
  });
});

describe('a paging cookie that never ends (a new cookie every page)', { timeout: 20_000 }, () => {
  it('stops after maxPages pages with a limit error; one page in memory at a time', async () => {
    const server = await serve({ fault: 'endless-cookie', entriesPerPage: 2 });
    const { error, users, elapsedMs } = await scanFailure(connectTo(server, { maxPages: 40, pageSize: 2 }));
    expect(error.kind).toBe('limit');
    expect(error.message).toBe(
      `ldap://127.0.0.1:${server.port} (search): the server was still returning pages after 40 (its paged-results cookie never ends) after 80 entries; gpaudit stopped at the limit (--max-pages 40); the scan is incomplete`,
    );
    expect(users).toHaveLength(80);
    // The 41st page is the one that proves the loop; no 42nd is asked for.
    expect(server.pagesServed).toBe(41);
    const cookies = server.requests.filter((request) => request.op === 'search' && request.name !== '').map((request) => request.cookie);
    expect(new Set(cookies).size).toBe(cookies.length);
    expect(elapsedMs).toBeLessThan(5000);
  });

  it('the default bound is 100,000 pages', async () => {
    const { CONNECT_DEFAULTS } = await import('../../src/ldap/connect-options.js');
    expect(CONNECT_DEFAULTS.maxPages).toBe(100_000);
  });

  it('CLI --max-pages: one line, exit 2, run failed', async () => {
    const server = await serve({ fault: 'endless-cookie' });
    const run = await cliScan(server, ['--allow-plaintext', '--max-pages', '25', '--page-size', '2', '--timeout', '2000']);
    expectOneLineFailure(run, new RegExp(`^gpaudit: ldap://127\\.0\\.0\\.1:${server.port} \\(search\\): the server was still returning pages after 25 \\(its paged-results cookie never ends\\) after 50 entries; gpaudit stopped at the limit \\(--max-pages 25\\)`), 10_000);
    expect(server.pagesServed).toBe(26);
    expect(run.error).toContain('--max-pages 25');
  });
});

describe('an attribute value of megabytes (8 MiB displayName)', { timeout: 20_000 }, () => {
  it('is refused at its first bytes with a limit error, before ldapts buffers it', async () => {
    const server = await serve({ fault: 'huge-attribute' });
    const before = process.memoryUsage().arrayBuffers;
    const { error, users, elapsedMs } = await scanFailure(connectTo(server));
    expect(error.kind).toBe('limit');
    expect(error.message).toMatch(
      new RegExp(
        `^ldap://127\\.0\\.0\\.1:${server.port} \\(search\\): the server sent an LDAP message of 8388\\d{3} bytes, over the limit of 4194304 bytes \\(an entry with an attribute value of megabytes\\) after 0 entries; gpaudit closed the connection instead of buffering it; the scan is incomplete$`,
      ),
    );
    // The page is delivered whole or not at all: the user before the huge one is not reported either.
    expect(users).toEqual([]);
    expect(elapsedMs).toBeLessThan(5000);
    // Loose: the 8 MiB are never gathered into one client-side buffer (the server's own copy is counted too).
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('is read whole when the limit is raised above it (the limit is what refuses it)', async () => {
    const server = await serve({ fault: 'huge-attribute', hugeBytes: 2 * 1024 * 1024 });
    const users: string[] = [];
    const summary = await runScan(connectTo(server, { maxMessageBytes: 3 * 1024 * 1024 }), { onUser: (user) => void users.push(`${user.dn} ${user.attributes['displayname']?.[0]?.length}`) });
    expect(summary.scanned).toBe(2);
    expect(users[1]).toBe(`CN=bigbob,CN=Users,DC=example,DC=test ${2 * 1024 * 1024}`);
  });

  it('a page of many large entries is cut at 16 times the message limit (what ldapts would hold for the page)', async () => {
    const server = await serve({ fault: 'huge-attribute', hugeBytes: 40_000, hugeEntries: 40 });
    const { error, users } = await scanFailure(connectTo(server, { maxMessageBytes: 64 * 1024 }));
    expect(error.kind).toBe('limit');
    expect(error.message).toBe(
      `ldap://127.0.0.1:${server.port} (search): the server sent more than 1048576 bytes of entries in one page (more than --page-size asked for, or entries of megabytes) after 0 entries; gpaudit closed the connection instead of buffering the page; the scan is incomplete`,
    );
    expect(users).toEqual([]);
  });

  it('CLI: one line, exit 2, run failed', async () => {
    const server = await serve({ fault: 'huge-attribute' });
    const run = await cliScan(server, ['--allow-plaintext', '--timeout', '5000']);
    expectOneLineFailure(run, /\(search\): the server sent an LDAP message of \d+ bytes, over the limit of 4194304 bytes/, 10_000);
  });
});

describe('thousands of continuation references (5,000 referrals)', { timeout: 20_000 }, () => {
  it('are cut off past the reference limit (default 1000) with one limit error, never followed', async () => {
    const server = await serve({ fault: 'many-referrals', referrals: 5000 });
    const { error, elapsedMs } = await scanFailure(connectTo(server));
    expect(error.kind).toBe('limit');
    expect(error.message).toBe(
      `ldap://127.0.0.1:${server.port} (search): the server sent more than 1000 continuation references (referrals) in one page after 0 entries; gpaudit reports referrals and never follows them, and stopped here: the server is misconfigured or hostile; the scan is incomplete`,
    );
    expect(server.connections).toBe(1);
    expect(elapsedMs).toBeLessThan(5000);
  });

  it('a handful is reported in the summary, as before', async () => {
    const server = await serve({ fault: 'many-referrals', referrals: 3 });
    const reported: string[] = [];
    const summary = await runScan(connectTo(server), { onUser: () => undefined, onReference: (url) => reported.push(url) });
    expect(summary.scanned).toBe(1);
    expect(summary.references).toEqual(reported);
    expect(reported).toHaveLength(3);
    expect(server.connections).toBe(1);
  });

  it('CLI: one line (not 5,000), exit 2, run failed', async () => {
    const server = await serve({ fault: 'many-referrals', referrals: 5000 });
    const run = await cliScan(server, ['--allow-plaintext', '--timeout', '5000']);
    expectOneLineFailure(run, /\(search\): the server sent more than 1000 continuation references \(referrals\)/, 10_000);
    expect(run.stderr.split('\n').length).toBeLessThan(5);
  });
});

describe('a server that sends its answer one byte at a time', { timeout: 20_000 }, () => {
  it('bind response at one byte a second: timeout at --timeout, not reset by each byte', async () => {
    const server = await serve({ fault: 'slow-drip', dripOn: 'bind', dripMs: 1000 });
    const started = performance.now();
    const error = await LdapConnection.open(connectTo(server, { timeoutMs: 1500 })).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    const elapsedMs = performance.now() - started;
    expect(error).toBeInstanceOf(LdapScanError);
    expect((error as LdapScanError).kind).toBe('timeout');
    expect((error as LdapScanError).message).toBe(`ldap://127.0.0.1:${server.port} (bind): timeout: 127.0.0.1:${server.port} did not answer the bind within 1500 ms (--timeout)`);
    // The 14-byte response would take 14 s; the bound is the operation timeout.
    expect(elapsedMs).toBeGreaterThanOrEqual(1450);
    expect(elapsedMs).toBeLessThan(4000);
    expect(server.drippedBytes).toBeLessThanOrEqual(3);
  });

  it('search result at a byte every 100 ms: timeout at --timeout with the entries read so far', async () => {
    const server = await serve({ fault: 'slow-drip', dripOn: 'search', dripMs: 100 });
    const { error, elapsedMs } = await scanFailure(connectTo(server, { timeoutMs: 1500 }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(`ldap://127.0.0.1:${server.port} (search): timeout: 127.0.0.1:${server.port} did not answer the search within 1500 ms (--timeout) after 0 entries`);
    expect(elapsedMs).toBeLessThan(4000);
    expect(server.drippedBytes).toBeLessThan(40);
  });

  it('CLI: one line, exit 2, run failed, within the timeout', async () => {
    const server = await serve({ fault: 'slow-drip', dripOn: 'bind', dripMs: 1000 });
    const run = await cliScan(server, ['--allow-plaintext', '--timeout', '1500', '--connect-timeout', '1500']);
    expectOneLineFailure(run, /\(bind\): timeout: .* did not answer the bind within 1500 ms \(--timeout\)$/, 5000);
    expect(run.ms).toBeGreaterThanOrEqual(1450);
  });
});

describe('the envelope framer behind the message-size and referral limits', () => {
  const frame = (chunks: Buffer[], maxBytes: number) => {
    const lengths: (number | undefined)[] = [];
    const ops: number[] = [];
    const framer = new EnvelopeFramer(
      (length) => {
        lengths.push(length);
        return length !== undefined && length <= maxBytes;
      },
      (op) => {
        ops.push(op);
        return true;
      },
    );
    const results = chunks.map((chunk) => framer.feed(chunk));
    return { lengths, ops, results };
  };
  // Two messages: a SearchResultReference (id 5) and a SearchResultDone (id 300, two-byte INTEGER).
  const reference = Buffer.from([0x30, 0x0a, 0x02, 0x01, 0x05, 0x73, 0x05, 0x04, 0x03, 0x61, 0x62, 0x63]);
  const done = Buffer.from([0x30, 0x0d, 0x02, 0x02, 0x01, 0x2c, 0x65, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]);

  it('finds each message and its operation whatever the chunking, even one byte at a time', () => {
    const stream = Buffer.concat([reference, done, reference]);
    for (const chunks of [[stream], [...stream].map((byte) => Buffer.from([byte])), [stream.subarray(0, 3), stream.subarray(3, 20), stream.subarray(20)]]) {
      expect(frame(chunks, 100)).toEqual({ lengths: [10, 13, 10], ops: [0x73, 0x65, 0x73], results: chunks.map(() => true) });
    }
  });

  it('stops at a declared length over the limit, after the header only', () => {
    const huge = Buffer.from([0x30, 0x83, 0x80, 0x00, 0x10, 0x02, 0x01, 0x07, 0x64]);
    expect(frame([huge.subarray(0, 5), huge.subarray(5)], 4 * 1024 * 1024)).toEqual({ lengths: [0x800010], ops: [], results: [false, false] });
    // The indefinite form and lengths of more than 4 octets have no size to check: refused too.
    expect(frame([Buffer.from([0x30, 0x80])], 1000).lengths).toEqual([undefined]);
    expect(frame([Buffer.from([0x30, 0x85, 1, 0, 0, 0, 0])], 1000).results).toEqual([false]);
  });

  it('counts references per page: a few with every page of a long scan never add up to the limit', () => {
    const guard = new WireGuard({ maxMessageBytes: 1000, maxReferences: 3 });
    const feed = guard.framer();
    // AD sends a few references with each page of a subtree search: 100 pages of 3 stay within a limit of 3.
    for (let page = 0; page < 100; page++) expect(feed(Buffer.concat([reference, reference, reference, done]))).toBe(true);
    expect(guard.exceeded).toBeUndefined();
    // Four in one page pass it.
    expect(feed(Buffer.concat([reference, reference, reference, reference]))).toBe(false);
    expect(guard.exceeded).toEqual({ limit: 'references', maxReferences: 3 });
  });
});
