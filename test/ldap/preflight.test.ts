// gpaudit preflight against the real Samba AD DC on 127.0.0.1. Traffic stays on loopback: the DNS server is
// 127.0.0.1 and allowAddress refuses to probe any DC address outside 127.0.0.0/8 (such a check comes back not-checked).
import { expect, it } from 'vitest';
import { runPreflight, type PreflightCheck, type PreflightOptions } from '../../src/preflight/index.js';
import { describeSamba, samba } from '../helpers/samba.js';
import { closedPort } from '../unit-preflight/fixtures.js';

const onlyLoopback = (ip: string) => /^127\.\d+\.\d+\.\d+$/.test(ip);

function run(options: Partial<PreflightOptions> = {}) {
  const dc = samba();
  return runPreflight({ domain: dc.domain, dnsServers: [dc.dnsServer], timeoutMs: 3000, allowAddress: onlyLoopback, ...options });
}

function byKind(checks: PreflightCheck[]): Record<string, PreflightCheck> {
  return Object.fromEntries(checks.map((check) => [check.kind, check]));
}

describeSamba('gpaudit preflight against Samba', () => {
  it('passes every check, finding the DC through the SRV records', async () => {
    const result = await run();
    expect(result.checks.map((check) => [check.kind, check.target, check.status])).toEqual([
      ['dns-tcp', '127.0.0.1', 'ok'],
      ['dns-udp', '127.0.0.1', 'ok'],
      ['srv-ldap', '127.0.0.1', 'ok'],
      ['srv-kerberos', '127.0.0.1', 'ok'],
      ['dc-discovery', 'example.test', 'ok'],
      ['dc-address', 'dc1.example.test', 'ok'],
      ['ldap-tcp', '127.0.0.1', 'ok'],
      ['ldap-udp', '127.0.0.1', 'ok'],
      ['kerberos-tcp', '127.0.0.1', 'ok'],
      ['kerberos-udp', '127.0.0.1', 'ok'],
    ]);
    expect(result.domainControllers).toEqual([{ host: 'dc1.example.test', addresses: ['127.0.0.1'], source: 'srv' }]);
    const checks = byKind(result.checks);
    expect(checks['dns-tcp']!.detail).toBe('answered a DNS query (NOERROR)');
    expect(checks['srv-ldap']!.detail).toBe('_ldap._tcp.example.test over UDP: dc1.example.test:389 (priority 0, weight 100)');
    expect(checks['srv-kerberos']!.detail).toBe('_kerberos._tcp.example.test over UDP: dc1.example.test:88 (priority 0, weight 100)');
    expect(checks['ldap-udp']!.detail).toBe('answered an LDAP ping as dc1.example.test (domain example.test, forest example.test)');
    expect(checks['kerberos-udp']!.detail).toBe('a KDC answered the AS-REQ with KDC_ERR_C_PRINCIPAL_UNKNOWN (6) for realm EXAMPLE.TEST');
    expect(result.summary).toEqual({ ok: 10, failed: 0, notChecked: 0 });
    expect(result.passed).toBe(true);
  });

  it('resolves a --dc host name through the DNS server', async () => {
    const result = await run({ dcs: ['dc1.example.test'] });
    expect(result.domainControllers).toEqual([{ host: 'dc1.example.test', addresses: ['127.0.0.1'], source: 'option' }]);
    expect(result.passed).toBe(true);
  });

  it('reports closed LDAP and Kerberos ports as unavailable', async () => {
    const ports = { ldap: await closedPort(), kerberos: await closedPort() };
    const result = await run({ ports });
    expect(result.checks.filter((check) => check.status === 'failed').map((check) => check.message)).toEqual([
      `LDAP unavailable (TCP port ${ports.ldap}) for IP: 127.0.0.1`,
      `LDAP unavailable (UDP port ${ports.ldap}) for IP: 127.0.0.1`,
      `Kerberos/authentication unavailable (TCP port ${ports.kerberos}) for IP: 127.0.0.1`,
      `Kerberos/authentication unavailable (UDP port ${ports.kerberos}) for IP: 127.0.0.1`,
    ]);
    expect(result.passed).toBe(false);
  });

  it('reports a closed DNS port as DNS unavailable', async () => {
    const dns = await closedPort();
    const result = await run({ ports: { dns } });
    const checks = byKind(result.checks);
    expect([checks['dns-tcp']!.message, checks['dns-udp']!.message]).toEqual([
      `DNS unavailable (TCP port ${dns}) for IP: 127.0.0.1`,
      `DNS unavailable (UDP port ${dns}) for IP: 127.0.0.1`,
    ]);
    expect(checks['srv-ldap']!.status).toBe('not-checked');
  });

  it('reports missing SRV records for a domain with none', async () => {
    const result = await run({ domain: 'nosuch.example.test' });
    const checks = byKind(result.checks);
    expect([checks['srv-ldap']!.status, checks['srv-ldap']!.message]).toEqual(['failed', 'SRV record for LDAP does not exist for IP: 127.0.0.1']);
    expect([checks['srv-kerberos']!.status, checks['srv-kerberos']!.message]).toEqual([
      'failed',
      'SRV record for Kerberos does not exist for IP: 127.0.0.1',
    ]);
    expect(checks['srv-ldap']!.detail).toMatch(/^_ldap\._tcp\.nosuch\.example\.test: the server answered (NXDOMAIN|NOERROR) over UDP and (NXDOMAIN|NOERROR) over TCP, with no usable SRV record$/);
    expect([checks['dns-tcp']!.status, checks['dns-udp']!.status]).toEqual(['ok', 'ok']);
    expect(checks['dc-discovery']!.status).toBe('not-checked');
  });
});
