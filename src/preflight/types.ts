// The shape of a preflight run: what the CLI passes in and what it prints.

export interface PreflightPorts {
  dns: number;
  ldap: number;
  kerberos: number;
}

export interface PreflightOptions {
  /** DNS name of the directory, e.g. corp.example.com. */
  domain: string;
  /** IP addresses of the DNS servers AD Connector will be given. */
  dnsServers: string[];
  /** Domain controllers to probe (host names or IPs); when absent, the SRV record targets are probed. */
  dcs?: string[];
  /** Per probe; default 3000. */
  timeoutMs?: number;
  /** Overrides for tests; AD Connector itself always uses 53, 389 and 88. */
  ports?: Partial<PreflightPorts>;
  /** Probes in flight at once; default 16. */
  concurrency?: number;
  /** Addresses outside this are reported not-checked instead of probed (tests keep traffic on loopback with it). */
  allowAddress?: (ip: string) => boolean;
}

export type CheckStatus = 'ok' | 'failed' | 'not-checked';

export type CheckKind =
  | 'dns-tcp'
  | 'dns-udp'
  | 'srv-ldap'
  | 'srv-kerberos'
  | 'dc-discovery'
  | 'dc-address'
  | 'ldap-tcp'
  | 'ldap-udp'
  | 'kerberos-tcp'
  | 'kerberos-udp';

export interface PreflightCheck {
  kind: CheckKind;
  /** The IP address probed (a DNS server or a domain controller); for dc-address, the host name looked up. */
  target: string;
  /** The domain controller's host name, when it has one. */
  host?: string;
  protocol?: 'tcp' | 'udp';
  port?: number;
  status: CheckStatus;
  /** When failed: the message in AWS's wording, e.g. "LDAP unavailable (TCP port 389) for IP: 10.0.0.5". */
  message?: string;
  /** When failed: what to change. */
  fix?: string;
  /** Always: what was seen (records, reply, error code) or why the check was not made. */
  detail: string;
  elapsedMs: number;
}

export interface DomainController {
  host: string;
  addresses: string[];
  /** Where the host came from: the dcs option, or an SRV record on a DNS server. */
  source: 'option' | 'srv';
}

export interface PreflightResult {
  domain: string;
  dnsServers: string[];
  ports: PreflightPorts;
  timeoutMs: number;
  domainControllers: DomainController[];
  checks: PreflightCheck[];
  summary: { ok: number; failed: number; notChecked: number };
  /** True when no check failed; not-checked ones are listed in checks with their reason. */
  passed: boolean;
}

export class PreflightOptionsError extends Error {
  override name = 'PreflightOptionsError';
}
