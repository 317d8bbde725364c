// runPreflight end to end against fake DNS, LDAP and Kerberos servers on 127.0.0.1 (nothing else is ever contacted:
// every run passes allowAddress = loopback-only, and the fake zone only names 127.0.0.x).
import { afterEach, describe, expect, it } from 'vitest';
import { runPreflight, PreflightOptionsError, type PreflightCheck, type PreflightOptions } from '../../src/preflight/index.js';
import {
  closedPort,
  krbErrorPrincipalUnknown,
  ldapMessageId,
  LOOPBACK,
  netlogonResponse,
  searchDone,
  searchEntry,
  startFakeDns,
  startPair,
  type FakeServer,
  type Zone,
} from './fixtures.js';

const TIMEOUT = 300;
const onlyLoopback = (ip: string) => ip.startsWith('127.');

const zone: Zone = {
  '_ldap._tcp.fake.test': [{ type: 'SRV', priority: 0, weight: 100, port: 389, target: 'dc1.fake.test' }],
  '_kerberos._tcp.fake.test': [{ type: 'SRV', priority: 0, weight: 100, port: 88, target: 'dc1.fake.test' }],
  'dc1.fake.test': [{ type: 'A', address: '127.0.0.1' }],
  '_ldap._tcp.far.test': [{ type: 'SRV', port: 389, target: 'dc9.far.test' }],
  '_kerberos._tcp.far.test': [{ type: 'SRV', port: 88, target: 'dc9.far.test' }],
  'dc9.far.test': [{ type: 'A', address: '127.0.0.2' }],
  '_ldap._tcp.dot.test': [{ type: 'SRV', port: 389, target: '' }],
  '_kerberos._tcp.dot.test': [{ type: 'SRV', port: 88, target: '' }],
};

const servers: FakeServer[] = [];
async function track(server: Promise<FakeServer>): Promise<FakeServer> {
  const started = await server;
  servers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface Fakes {
  dns: number;
  ldap: number;
  kerberos: number;
}

async function startFakes(options: { silentCldap?: boolean } = {}): Promise<Fakes> {
  const dns = await track(startFakeDns(zone));
  const ldap = await track(
    startPair(undefined, (msg, reply) => {
      if (options.silentCldap) return;
      const id = ldapMessageId(msg);
      reply(Buffer.concat([searchEntry(id, netlogonResponse('dc1', 'fake.test')), searchDone(id, 0)]));
    }),
  );
  const kerberos = await track(startPair(undefined, (_msg, reply) => reply(krbErrorPrincipalUnknown('FAKE.TEST'))));
  return { dns: dns.port, ldap: ldap.port, kerberos: kerberos.port };
}

function run(ports: Fakes, options: Partial<PreflightOptions> = {}) {
  return runPreflight({ domain: 'fake.test', dnsServers: [LOOPBACK], timeoutMs: TIMEOUT, ports, allowAddress: onlyLoopback, ...options });
}

function brief(check: PreflightCheck) {
  return [check.kind, check.target, check.status];
}

function find(checks: PreflightCheck[], kind: PreflightCheck['kind']): PreflightCheck {
  const check = checks.find((candidate) => candidate.kind === kind);
  if (!check) throw new Error(`no ${kind} check`);
  return check;
}

describe('runPreflight against fake servers', () => {
  it('passes every check when DNS, LDAP and Kerberos answer', async () => {
    const fakes = await startFakes();
    const result = await run(fakes);
    expect(result.checks.map(brief)).toEqual([
      ['dns-tcp', '127.0.0.1', 'ok'],
      ['dns-udp', '127.0.0.1', 'ok'],
      ['srv-ldap', '127.0.0.1', 'ok'],
      ['srv-kerberos', '127.0.0.1', 'ok'],
      ['dc-discovery', 'fake.test', 'ok'],
      ['dc-address', 'dc1.fake.test', 'ok'],
      ['ldap-tcp', '127.0.0.1', 'ok'],
      ['ldap-udp', '127.0.0.1', 'ok'],
      ['kerberos-tcp', '127.0.0.1', 'ok'],
      ['kerberos-udp', '127.0.0.1', 'ok'],
    ]);
    expect(result.domainControllers).toEqual([{ host: 'dc1.fake.test', addresses: ['127.0.0.1'], source: 'srv' }]);
    expect(result.summary).toEqual({ ok: 10, failed: 0, notChecked: 0 });
    expect(result.passed).toBe(true);
    expect(result.ports).toEqual(fakes);
    expect(find(result.checks, 'srv-ldap').detail).toBe('_ldap._tcp.fake.test over UDP: dc1.fake.test:389 (priority 0, weight 100)');
    expect(find(result.checks, 'dc-address').detail).toBe('dc1.fake.test has address 127.0.0.1 (DNS server 127.0.0.1, UDP)');
    expect(find(result.checks, 'ldap-udp')).toMatchObject({
      host: 'dc1.fake.test',
      protocol: 'udp',
      port: fakes.ldap,
      detail: 'answered an LDAP ping as dc1.fake.test (domain fake.test, forest fake.test)',
    });
    expect(find(result.checks, 'kerberos-udp').detail).toBe('a KDC answered the AS-REQ with KDC_ERR_C_PRINCIPAL_UNKNOWN (6) for realm FAKE.TEST');
    expect(result.checks.every((check) => check.message === undefined && check.fix === undefined)).toBe(true);
  });

  it('reports closed LDAP and Kerberos ports in AWS wording', async () => {
    const fakes = await startFakes();
    const ports = { ...fakes, ldap: await closedPort(), kerberos: await closedPort() };
    const result = await run(ports);
    const failed = result.checks.filter((check) => check.status === 'failed');
    expect(failed.map((check) => check.message)).toEqual([
      `LDAP unavailable (TCP port ${ports.ldap}) for IP: 127.0.0.1`,
      `LDAP unavailable (UDP port ${ports.ldap}) for IP: 127.0.0.1`,
      `Kerberos/authentication unavailable (TCP port ${ports.kerberos}) for IP: 127.0.0.1`,
      `Kerberos/authentication unavailable (UDP port ${ports.kerberos}) for IP: 127.0.0.1`,
    ]);
    expect(failed[1]!.detail).toBe('UDP port closed (ICMP port unreachable)');
    expect(failed[0]!.fix).toBe(
      `Allow inbound TCP and UDP ${ports.ldap} from the AD Connector subnets to this domain controller (security groups, network ACLs and on-premises firewalls)`,
    );
    expect(result.passed).toBe(false);
    expect(result.summary).toEqual({ ok: 6, failed: 4, notChecked: 0 });
  });

  it('reports an unreachable DNS server and leaves the SRV checks not-checked with the reason', async () => {
    const fakes = await startFakes();
    const result = await run({ ...fakes, dns: await closedPort() });
    expect(result.checks.map((check) => [check.kind, check.status, check.message ?? check.detail])).toEqual([
      ['dns-tcp', 'failed', `DNS unavailable (TCP port ${result.ports.dns}) for IP: 127.0.0.1`],
      ['dns-udp', 'failed', `DNS unavailable (UDP port ${result.ports.dns}) for IP: 127.0.0.1`],
      ['srv-ldap', 'not-checked', '_ldap._tcp.fake.test could not be asked for: the DNS server answered neither over UDP nor over TCP'],
      ['srv-kerberos', 'not-checked', '_kerberos._tcp.fake.test could not be asked for: the DNS server answered neither over UDP nor over TCP'],
      ['dc-discovery', 'not-checked', 'no domain controller to probe: the SRV lookups named none and no --dc was given'],
    ]);
  });

  it('reports missing SRV records for a domain the DNS server does not know', async () => {
    const fakes = await startFakes();
    const result = await run(fakes, { domain: 'nosuch.fake.test' });
    const srv = result.checks.filter((check) => check.kind.startsWith('srv-'));
    expect(srv.map((check) => [check.status, check.message, check.detail])).toEqual([
      ['failed', 'SRV record for LDAP does not exist for IP: 127.0.0.1', '_ldap._tcp.nosuch.fake.test: the server answered NXDOMAIN over UDP and NXDOMAIN over TCP, with no usable SRV record'],
      ['failed', 'SRV record for Kerberos does not exist for IP: 127.0.0.1', '_kerberos._tcp.nosuch.fake.test: the server answered NXDOMAIN over UDP and NXDOMAIN over TCP, with no usable SRV record'],
    ]);
    expect(find(result.checks, 'dns-udp')).toMatchObject({ status: 'ok', detail: 'answered a DNS query (NXDOMAIN)' });
  });

  it('treats an SRV target of "." as no record', async () => {
    const fakes = await startFakes();
    const result = await run(fakes, { domain: 'dot.test' });
    expect(find(result.checks, 'srv-ldap')).toMatchObject({
      status: 'failed',
      detail: '_ldap._tcp.dot.test: the server answered NOERROR over UDP and NOERROR over TCP, with no usable SRV record',
    });
  });

  it('probes --dc addresses as given, without looking them up', async () => {
    const fakes = await startFakes();
    const result = await run(fakes, { dcs: ['127.0.0.1'] });
    expect(result.domainControllers).toEqual([{ host: '127.0.0.1', addresses: ['127.0.0.1'], source: 'option' }]);
    expect(find(result.checks, 'dc-discovery').detail).toBe('1 domain controller(s) given with --dc: 127.0.0.1');
    expect(result.checks.some((check) => check.kind === 'dc-address')).toBe(false);
    expect(find(result.checks, 'ldap-tcp')).not.toHaveProperty('host');
    expect(result.passed).toBe(true);
  });

  it('looks --dc host names up on the given DNS server and reports one it cannot find', async () => {
    const fakes = await startFakes();
    const result = await run(fakes, { dcs: ['DC1.fake.test', 'ghost.fake.test'] });
    expect(result.domainControllers).toEqual([
      { host: 'dc1.fake.test', addresses: ['127.0.0.1'], source: 'option' },
      { host: 'ghost.fake.test', addresses: [], source: 'option' },
    ]);
    const ghost = result.checks.find((check) => check.kind === 'dc-address' && check.target === 'ghost.fake.test')!;
    expect(ghost).toMatchObject({
      status: 'failed',
      message: 'No address for domain controller ghost.fake.test from DNS server IP: 127.0.0.1',
      detail: 'no A record for ghost.fake.test: 127.0.0.1 over UDP: NXDOMAIN, no A record',
    });
    expect(result.checks.filter((check) => check.kind.startsWith('ldap-') || check.kind.startsWith('kerberos-')).map((check) => check.target)).toEqual([
      '127.0.0.1',
      '127.0.0.1',
      '127.0.0.1',
      '127.0.0.1',
    ]);
  });

  it('fails a silent CLDAP port within the timeout and says why silence is ambiguous', async () => {
    const fakes = await startFakes({ silentCldap: true });
    const started = performance.now();
    const result = await run(fakes);
    expect(performance.now() - started).toBeLessThan(TIMEOUT * 3);
    expect(find(result.checks, 'ldap-udp')).toMatchObject({
      status: 'failed',
      message: `LDAP unavailable (UDP port ${fakes.ldap}) for IP: 127.0.0.1`,
      detail: `no UDP reply within ${TIMEOUT} ms (a firewall dropping UDP and a stopped service look the same)`,
    });
    expect(find(result.checks, 'ldap-tcp').status).toBe('ok');
  });

  it('does not probe addresses outside allowAddress, and says so', async () => {
    const fakes = await startFakes();
    const result = await run(fakes, { domain: 'far.test', allowAddress: (ip) => ip === LOOPBACK });
    expect(result.domainControllers).toEqual([{ host: 'dc9.far.test', addresses: ['127.0.0.2'], source: 'srv' }]);
    const dcChecks = result.checks.slice(6);
    expect(dcChecks.map((check) => [check.kind, check.target, check.status, check.detail])).toEqual(
      ['ldap-tcp', 'ldap-udp', 'kerberos-tcp', 'kerberos-udp'].map((kind) => [kind, '127.0.0.2', 'not-checked', 'address 127.0.0.2 is outside the allowed range']),
    );
  });

  it('reports a DNS server that answers TCP with garbage', async () => {
    const fakes = await startFakes();
    const junk = await track(
      startPair(
        (socket) => socket.on('data', () => socket.end(Buffer.from('0004deadbeef', 'hex'))),
        () => {},
      ),
    );
    const result = await run({ ...fakes, dns: junk.port });
    expect(find(result.checks, 'dns-tcp')).toMatchObject({
      status: 'failed',
      message: `DNS unavailable (TCP port ${junk.port}) for IP: 127.0.0.1`,
      detail: 'malformed DNS reply: DNS message shorter than its 12-byte header at byte 4',
    });
    expect(find(result.checks, 'dns-udp')).toMatchObject({ status: 'failed', detail: `no UDP reply within ${TIMEOUT} ms` });
  });
});

describe('runPreflight options', () => {
  it.each([
    [{ domain: 'bad domain' }, 'domain "bad domain" is not a valid DNS name'],
    [{ domain: '' }, 'domain is empty'],
    [{ dnsServers: [] }, 'at least one DNS server address is needed'],
    [{ dnsServers: ['dns.example'] }, 'DNS server "dns.example" is not an IP address'],
    [{ timeoutMs: 0 }, 'timeout must be more than 0 and at most 60000 ms, got 0'],
    [{ ports: { ldap: 70000 } }, 'LDAP port must be 1 to 65535, got 70000'],
    [{ concurrency: 0 }, 'concurrency must be a positive integer, got 0'],
    [{ dcs: ['bad host'] }, 'domain controller "bad host" is not a valid DNS name'],
  ] as Array<[Partial<PreflightOptions>, string]>)('rejects %o', async (options, message) => {
    const attempt = runPreflight({ domain: 'fake.test', dnsServers: [LOOPBACK], allowAddress: onlyLoopback, ...options } as PreflightOptions);
    await expect(attempt).rejects.toThrow(PreflightOptionsError);
    await expect(attempt).rejects.toThrow(message);
  });
});
