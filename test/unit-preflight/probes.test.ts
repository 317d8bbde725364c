// Every probe here talks only to servers this file starts on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import { createLimiter } from '../../src/preflight/limit.js';
import { dnsQueryOverTcp, lookupOverTcp, lookupOverUdp, tcpConnect, udpExchange } from '../../src/preflight/probes.js';
import { closedPort, LOOPBACK, startFakeDns, startTcp, startUdp, type FakeServer } from './fixtures.js';

const servers: FakeServer[] = [];
async function track(server: Promise<FakeServer>): Promise<FakeServer> {
  const started = await server;
  servers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const TIMEOUT = 300;

function expectWithinTimeout(elapsedMs: number): void {
  expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT - 20);
  expect(elapsedMs).toBeLessThan(TIMEOUT + 700);
}

describe('TCP connect probe', () => {
  it('succeeds against a listener that accepts and closes at once', async () => {
    const server = await track(startTcp((socket) => socket.destroy()));
    const outcome = await tcpConnect(LOOPBACK, server.port, TIMEOUT);
    expect(outcome.ok).toBe(true);
  });

  it('fails fast with ECONNREFUSED on a closed port', async () => {
    const port = await closedPort();
    const outcome = await tcpConnect(LOOPBACK, port, TIMEOUT);
    expect(outcome).toMatchObject({ ok: false, stage: 'connect', code: 'ECONNREFUSED' });
    expect(outcome.elapsedMs).toBeLessThan(TIMEOUT);
  });
});

describe('UDP exchange', () => {
  it('gives up within the timeout when the server never answers', async () => {
    const received: Buffer[] = [];
    const server = await track(startUdp((msg) => received.push(msg)));
    const outcome = await udpExchange(LOOPBACK, server.port, Buffer.from('ping'), TIMEOUT, () => 'never');
    expect(outcome).toMatchObject({ ok: false, stage: 'connect', code: 'ETIMEDOUT', detail: `no UDP reply within ${TIMEOUT} ms` });
    expectWithinTimeout(outcome.elapsedMs);
    expect(received.map(String)).toEqual(['ping']);
  });

  it('reports unusable replies instead of hanging on them', async () => {
    const server = await track(startUdp((_msg, reply) => reply(Buffer.from('junk'))));
    const outcome = await udpExchange(LOOPBACK, server.port, Buffer.from('ping'), TIMEOUT, () => {
      throw new Error('not LDAP');
    });
    expect(outcome).toMatchObject({ ok: false, stage: 'reply', code: 'ETIMEDOUT', detail: `no usable UDP reply within ${TIMEOUT} ms (1 unusable datagram: not LDAP)` });
  });

  it('returns the decoded reply', async () => {
    const server = await track(startUdp((msg, reply) => reply(Buffer.concat([Buffer.from('re:'), msg]))));
    const outcome = await udpExchange(LOOPBACK, server.port, Buffer.from('ping'), TIMEOUT, (reply) => reply.toString());
    expect(outcome).toMatchObject({ ok: true, value: 're:ping' });
  });

  it('fails fast when the port is closed (ICMP port unreachable)', async () => {
    const port = await closedPort();
    const outcome = await udpExchange(LOOPBACK, port, Buffer.from('ping'), TIMEOUT, () => 'x');
    expect(outcome).toMatchObject({ ok: false, stage: 'connect', code: 'ECONNREFUSED', detail: 'UDP port closed (ICMP port unreachable)' });
    expect(outcome.elapsedMs).toBeLessThan(TIMEOUT);
  });
});

describe('DNS over TCP', () => {
  it('reads SRV records from a server', async () => {
    const dns = await track(startFakeDns({ '_ldap._tcp.fake.test': [{ type: 'SRV', priority: 0, weight: 100, port: 389, target: 'dc1.fake.test' }] }));
    const lookup = await lookupOverTcp(LOOPBACK, dns.port, '_ldap._tcp.fake.test', 'SRV', TIMEOUT);
    expect(lookup).toMatchObject({ answered: true, rcode: 'NOERROR', records: [{ priority: 0, weight: 100, port: 389, target: 'dc1.fake.test' }] });
  });

  it('reports NXDOMAIN as an answer without records', async () => {
    const dns = await track(startFakeDns({}));
    const lookup = await lookupOverTcp(LOOPBACK, dns.port, '_ldap._tcp.nosuch.test', 'SRV', TIMEOUT);
    expect(lookup).toMatchObject({ answered: true, rcode: 'NXDOMAIN', records: [] });
  });

  it('fails, not hangs, on a listener that accepts and closes', async () => {
    const server = await track(startTcp((socket) => socket.end()));
    const outcome = await dnsQueryOverTcp(LOOPBACK, server.port, 'fake.test', 1, TIMEOUT);
    expect(outcome).toMatchObject({ ok: false, stage: 'reply', code: 'ECONNRESET', detail: 'connection closed after 0 bytes, before a complete DNS reply' });
  });

  it('times out on a listener that accepts and says nothing', async () => {
    const server = await track(startTcp(() => {}));
    const outcome = await dnsQueryOverTcp(LOOPBACK, server.port, 'fake.test', 1, TIMEOUT);
    expect(outcome).toMatchObject({ ok: false, stage: 'reply', code: 'ETIMEDOUT', detail: `connected, but no DNS reply within ${TIMEOUT} ms` });
    expectWithinTimeout(outcome.elapsedMs);
  });

  it('rejects a reply whose id does not match', async () => {
    const server = await track(
      startTcp((socket) => socket.once('data', () => socket.end(Buffer.from('000c' + 'ffff81800000000000000000', 'hex')))),
    );
    const outcome = await dnsQueryOverTcp(LOOPBACK, server.port, 'fake.test', 1, TIMEOUT);
    expect(outcome).toMatchObject({ ok: false, stage: 'reply', code: 'EBADRESP' });
    expect(outcome.ok ? '' : outcome.detail).toMatch(/^reply id 65535 does not match query id \d+$/);
  });

  it('rejects a malformed reply', async () => {
    const server = await track(startTcp((socket) => socket.once('data', () => socket.end(Buffer.from('0003abcdef', 'hex')))));
    const outcome = await dnsQueryOverTcp(LOOPBACK, server.port, 'fake.test', 1, TIMEOUT);
    expect(outcome).toMatchObject({ ok: false, stage: 'reply', code: 'EBADRESP', detail: 'malformed DNS reply: DNS message shorter than its 12-byte header at byte 3' });
  });
});

describe('DNS over UDP (node:dns, one server)', () => {
  it('reads SRV and A records from the given server only', async () => {
    const dns = await track(
      startFakeDns({
        '_kerberos._tcp.fake.test': [{ type: 'SRV', priority: 5, weight: 10, port: 88, target: 'dc1.fake.test' }],
        'dc1.fake.test': [{ type: 'A', address: '127.0.0.1' }],
      }),
    );
    expect(await lookupOverUdp(LOOPBACK, dns.port, '_kerberos._tcp.fake.test', 'SRV', TIMEOUT)).toMatchObject({
      answered: true,
      rcode: 'NOERROR',
      records: [{ priority: 5, weight: 10, port: 88, target: 'dc1.fake.test' }],
    });
    expect(await lookupOverUdp(LOOPBACK, dns.port, 'dc1.fake.test', 'A', TIMEOUT)).toMatchObject({ answered: true, records: ['127.0.0.1'] });
    expect(await lookupOverUdp(LOOPBACK, dns.port, 'ghost.fake.test', 'A', TIMEOUT)).toMatchObject({ answered: true, rcode: 'NXDOMAIN', records: [] });
  });

  it('gives up within the timeout when the server never answers', async () => {
    const server = await track(startUdp(() => {}));
    const lookup = await lookupOverUdp(LOOPBACK, server.port, '_ldap._tcp.fake.test', 'SRV', TIMEOUT);
    expect(lookup).toMatchObject({ answered: false, code: 'ETIMEOUT', detail: `no UDP reply within ${TIMEOUT} ms` });
    expectWithinTimeout(lookup.elapsedMs);
  });

  it('fails fast on a closed port', async () => {
    const port = await closedPort();
    const lookup = await lookupOverUdp(LOOPBACK, port, '_ldap._tcp.fake.test', 'SRV', TIMEOUT);
    expect(lookup).toMatchObject({ answered: false, code: 'ECONNREFUSED', detail: 'UDP port closed (ICMP port unreachable)' });
  });
});

describe('concurrency limiter', () => {
  it('never runs more than the bound at once and runs everything', async () => {
    const limit = createLimiter(3);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 2 + (i % 4)));
          active--;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('frees the slot when a task throws', async () => {
    const limit = createLimiter(1);
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit(async () => 'next')).toBe('next');
  });
});
