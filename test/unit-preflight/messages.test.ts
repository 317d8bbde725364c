import { describe, expect, it } from 'vitest';
import { failureText } from '../../src/preflight/messages.js';

describe('failure wording', () => {
  it.each([
    ['dns-tcp', 53, 'DNS unavailable (TCP port 53) for IP: 10.0.0.2', 'Allow inbound TCP and UDP 53 from the AD Connector subnets to this DNS server'],
    ['dns-udp', 53, 'DNS unavailable (UDP port 53) for IP: 10.0.0.2', 'Allow inbound TCP and UDP 53 from the AD Connector subnets to this DNS server'],
    ['ldap-tcp', 389, 'LDAP unavailable (TCP port 389) for IP: 10.0.0.2', 'Allow inbound TCP and UDP 389 from the AD Connector subnets to this domain controller'],
    ['ldap-udp', 389, 'LDAP unavailable (UDP port 389) for IP: 10.0.0.2', 'Allow inbound TCP and UDP 389 from the AD Connector subnets to this domain controller'],
    ['kerberos-tcp', 88, 'Kerberos/authentication unavailable (TCP port 88) for IP: 10.0.0.2', 'Allow inbound TCP and UDP 88 from the AD Connector subnets to this domain controller'],
    ['kerberos-udp', 88, 'Kerberos/authentication unavailable (UDP port 88) for IP: 10.0.0.2', 'Allow inbound TCP and UDP 88 from the AD Connector subnets to this domain controller'],
  ] as const)('%s on port %i', (kind, port, message, fixStart) => {
    const text = failureText(kind, { ip: '10.0.0.2', port });
    expect(text.message).toBe(message);
    expect(text.fix).toBe(`${fixStart} (security groups, network ACLs and on-premises firewalls)`);
  });

  it('names the port actually probed', () => {
    expect(failureText('ldap-tcp', { ip: '127.0.0.1', port: 3899 }).message).toBe('LDAP unavailable (TCP port 3899) for IP: 127.0.0.1');
  });

  it.each([
    ['srv-ldap', 'SRV record for LDAP does not exist for IP: 10.0.0.2', '_ldap._tcp.corp.example.com'],
    ['srv-kerberos', 'SRV record for Kerberos does not exist for IP: 10.0.0.2', '_kerberos._tcp.corp.example.com'],
  ] as const)('%s', (kind, message, record) => {
    const text = failureText(kind, { ip: '10.0.0.2', domain: 'corp.example.com' });
    expect(text.message).toBe(message);
    expect(text.fix).toBe(
      `Make sure this DNS server answers ${record} (SRV): use a DNS server that hosts or forwards the domain's zone; ` +
        'domain controllers register these records through the Netlogon service (restart Netlogon or run "nltest /dsregdns" on a DC)',
    );
  });

  it('dc-address and dc-discovery', () => {
    expect(failureText('dc-address', { ip: '10.0.0.2', host: 'dc1.corp.example.com' })).toEqual({
      message: 'No address for domain controller dc1.corp.example.com from DNS server IP: 10.0.0.2',
      fix: 'Add an A record for the domain controller on this DNS server, or name the domain controller by IP address with --dc',
    });
    expect(failureText('dc-discovery', { ip: '-', domain: 'corp.example.com' })).toEqual({
      message: 'No domain controllers found for corp.example.com',
      fix: 'Make sure the DNS servers answer the _ldap._tcp and _kerberos._tcp SRV records, or name the domain controllers with --dc',
    });
  });
});
