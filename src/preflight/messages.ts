// Failure wording. The first line matches what AD Connector itself reports (Amazon WorkSpaces troubleshooting guide,
// "DNS unavailable", "Connectivity issues detected", "SRV record"), so users can search for it; the fix says what to change.

import type { CheckKind } from './types.js';

export interface FailureText {
  message: string;
  fix: string;
}

export interface FailureSubject {
  ip: string;
  port?: number;
  domain?: string;
  host?: string;
}

function allowPort(port: number | undefined, defaultPort: number, to: string): string {
  return `Allow inbound TCP and UDP ${port ?? defaultPort} from the AD Connector subnets to ${to} (security groups, network ACLs and on-premises firewalls)`;
}

function srvFix(service: 'ldap' | 'kerberos', domain: string | undefined): string {
  const name = `_${service}._tcp.${domain ?? '<domain>'}`;
  return (
    `Make sure this DNS server answers ${name} (SRV): use a DNS server that hosts or forwards the domain's zone; ` +
    `domain controllers register these records through the Netlogon service (restart Netlogon or run "nltest /dsregdns" on a DC)`
  );
}

export function failureText(kind: CheckKind, subject: FailureSubject): FailureText {
  const { ip, port } = subject;
  switch (kind) {
    case 'dns-tcp':
      return { message: `DNS unavailable (TCP port ${port ?? 53}) for IP: ${ip}`, fix: allowPort(port, 53, 'this DNS server') };
    case 'dns-udp':
      return { message: `DNS unavailable (UDP port ${port ?? 53}) for IP: ${ip}`, fix: allowPort(port, 53, 'this DNS server') };
    case 'srv-ldap':
      return { message: `SRV record for LDAP does not exist for IP: ${ip}`, fix: srvFix('ldap', subject.domain) };
    case 'srv-kerberos':
      return { message: `SRV record for Kerberos does not exist for IP: ${ip}`, fix: srvFix('kerberos', subject.domain) };
    case 'ldap-tcp':
      return { message: `LDAP unavailable (TCP port ${port ?? 389}) for IP: ${ip}`, fix: allowPort(port, 389, 'this domain controller') };
    case 'ldap-udp':
      return { message: `LDAP unavailable (UDP port ${port ?? 389}) for IP: ${ip}`, fix: allowPort(port, 389, 'this domain controller') };
    case 'kerberos-tcp':
      return {
        message: `Kerberos/authentication unavailable (TCP port ${port ?? 88}) for IP: ${ip}`,
        fix: allowPort(port, 88, 'this domain controller'),
      };
    case 'kerberos-udp':
      return {
        message: `Kerberos/authentication unavailable (UDP port ${port ?? 88}) for IP: ${ip}`,
        fix: allowPort(port, 88, 'this domain controller'),
      };
    case 'dc-address':
      return {
        message: `No address for domain controller ${subject.host ?? '?'} from DNS server IP: ${ip}`,
        fix: 'Add an A record for the domain controller on this DNS server, or name the domain controller by IP address with --dc',
      };
    case 'dc-discovery':
      return {
        message: `No domain controllers found for ${subject.domain ?? 'the domain'}`,
        fix: 'Make sure the DNS servers answer the _ldap._tcp and _kerberos._tcp SRV records, or name the domain controllers with --dc',
      };
  }
}
