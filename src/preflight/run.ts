// `gpaudit preflight`: can AD Connector reach these DNS servers and domain controllers the way it needs to?
// Pure orchestration over the probes; nothing is printed here.

import net from 'node:net';
import { randomInt } from 'node:crypto';
import { decodeLdapPingReply, encodeLdapPing, summariseNetlogon, type LdapPingReply } from './cldap.js';
import { encodeName, type SrvData } from './dns-codec.js';
import { decodeKdcReply, encodeAsReq, type KdcReply } from './kerberos.js';
import { createLimiter, type Limiter } from './limit.js';
import { failureText } from './messages.js';
import { lookupOverTcp, lookupOverUdp, tcpConnect, udpExchange, type DnsLookup, type ProbeOutcome } from './probes.js';
import {
  PreflightOptionsError,
  type CheckKind,
  type CheckStatus,
  type DomainController,
  type PreflightCheck,
  type PreflightOptions,
  type PreflightPorts,
  type PreflightResult,
} from './types.js';

export const DEFAULT_TIMEOUT_MS = 3000;
export const DEFAULT_CONCURRENCY = 16;
const DEFAULT_PORTS: PreflightPorts = { dns: 53, ldap: 389, kerberos: 88 };
const MAX_TIMEOUT_MS = 60_000;

interface Settings {
  domain: string;
  dnsServers: string[];
  dcs: string[];
  timeoutMs: number;
  ports: PreflightPorts;
  limit: Limiter;
  allowAddress: (ip: string) => boolean;
}

interface CheckExtras {
  host?: string;
  protocol?: 'tcp' | 'udp';
  port?: number;
  domain?: string;
  /** The address named in the failure message, when it is not the target (dc-address names the DNS server). */
  messageIp?: string;
}

function makeCheck(kind: CheckKind, target: string, status: CheckStatus, detail: string, elapsedMs: number, extras: CheckExtras = {}): PreflightCheck {
  const { domain, messageIp, ...shown } = extras;
  const check: PreflightCheck = { kind, target, ...shown, status, detail, elapsedMs };
  if (status === 'failed') {
    Object.assign(check, failureText(kind, { ip: messageIp ?? target, port: extras.port, domain, host: extras.host }));
  }
  return check;
}

// ---------- options ----------

function validDnsName(name: string, what: string): string {
  const trimmed = name.trim().replace(/\.$/, '');
  try {
    encodeName(trimmed);
  } catch (error) {
    throw new PreflightOptionsError(`${what} ${JSON.stringify(name)} is not a valid DNS name: ${(error as Error).message}`);
  }
  if (trimmed === '') throw new PreflightOptionsError(`${what} is empty`);
  return trimmed.toLowerCase();
}

function validPort(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new PreflightOptionsError(`${what} port must be 1 to 65535, got ${value}`);
  return value;
}

function settingsFrom(options: PreflightOptions): Settings {
  const domain = validDnsName(options.domain, 'domain');
  if (options.dnsServers.length === 0) throw new PreflightOptionsError('at least one DNS server address is needed');
  for (const ip of options.dnsServers) {
    if (!net.isIP(ip)) throw new PreflightOptionsError(`DNS server ${JSON.stringify(ip)} is not an IP address`);
  }
  const dcs = (options.dcs ?? []).map((dc) => (net.isIP(dc.trim()) ? dc.trim() : validDnsName(dc, 'domain controller')));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new PreflightOptionsError(`timeout must be more than 0 and at most ${MAX_TIMEOUT_MS} ms, got ${timeoutMs}`);
  }
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new PreflightOptionsError(`concurrency must be a positive integer, got ${concurrency}`);
  return {
    domain,
    dnsServers: [...new Set(options.dnsServers)],
    dcs: [...new Set(dcs)],
    timeoutMs,
    ports: {
      dns: validPort(options.ports?.dns, DEFAULT_PORTS.dns, 'DNS'),
      ldap: validPort(options.ports?.ldap, DEFAULT_PORTS.ldap, 'LDAP'),
      kerberos: validPort(options.ports?.kerberos, DEFAULT_PORTS.kerberos, 'Kerberos'),
    },
    limit: createLimiter(concurrency),
    allowAddress: options.allowAddress ?? (() => true),
  };
}

// ---------- DNS servers ----------

interface DnsServerReport {
  ip: string;
  checks: PreflightCheck[];
  /** SRV targets this server named, LDAP and Kerberos together. */
  targets: string[];
}

type SrvLookup = DnsLookup<SrvData>;

function usableTargets(lookup: SrvLookup): SrvData[] {
  // A target of "." (read as '') means "no such service here" (RFC 2782).
  return lookup.answered ? lookup.records.filter((record) => record.target !== '') : [];
}

function transportCheck(kind: 'dns-tcp' | 'dns-udp', ip: string, port: number, lookups: SrvLookup[]): PreflightCheck {
  const protocol = kind === 'dns-tcp' ? 'tcp' : 'udp';
  const answered = lookups.find((lookup) => lookup.answered);
  if (answered) return makeCheck(kind, ip, 'ok', `answered a DNS query (${answered.rcode})`, answered.elapsedMs, { protocol, port });
  const failures = lookups.flatMap((lookup) => (lookup.answered ? [] : [lookup]));
  const first = failures[0];
  return makeCheck(kind, ip, 'failed', first?.detail ?? 'no query was sent', first?.elapsedMs ?? 0, { protocol, port });
}

function describeSrv(records: SrvData[]): string {
  return records.map((r) => `${r.target}:${r.port} (priority ${r.priority}, weight ${r.weight})`).join(', ');
}

function srvCheck(kind: 'srv-ldap' | 'srv-kerberos', ip: string, domain: string, udp: SrvLookup, tcp: SrvLookup): PreflightCheck {
  const name = `_${kind === 'srv-ldap' ? 'ldap' : 'kerberos'}._tcp.${domain}`;
  for (const [transport, lookup] of [['UDP', udp], ['TCP', tcp]] as const) {
    const records = usableTargets(lookup);
    if (records.length > 0) return makeCheck(kind, ip, 'ok', `${name} over ${transport}: ${describeSrv(records)}`, lookup.elapsedMs, { domain });
  }
  const answers = ([['UDP', udp], ['TCP', tcp]] as const).filter(([, lookup]) => lookup.answered);
  if (answers.length === 0) {
    return makeCheck(kind, ip, 'not-checked', `${name} could not be asked for: the DNS server answered neither over UDP nor over TCP`, 0, { domain });
  }
  const said = answers.map(([transport, lookup]) => `${lookup.answered ? lookup.rcode : ''} over ${transport}`).join(' and ');
  const detail = `${name}: the server answered ${said}, with no usable SRV record`;
  return makeCheck(kind, ip, 'failed', detail, Math.max(...answers.map(([, lookup]) => lookup.elapsedMs)), { domain });
}

function notCheckedServer(ip: string, settings: Settings, reason: string): DnsServerReport {
  const port = settings.ports.dns;
  return {
    ip,
    targets: [],
    checks: [
      makeCheck('dns-tcp', ip, 'not-checked', reason, 0, { protocol: 'tcp', port }),
      makeCheck('dns-udp', ip, 'not-checked', reason, 0, { protocol: 'udp', port }),
      makeCheck('srv-ldap', ip, 'not-checked', reason, 0),
      makeCheck('srv-kerberos', ip, 'not-checked', reason, 0),
    ],
  };
}

async function checkDnsServer(ip: string, settings: Settings): Promise<DnsServerReport> {
  if (!settings.allowAddress(ip)) return notCheckedServer(ip, settings, `address ${ip} is outside the allowed range`);
  const { limit, timeoutMs, domain } = settings;
  const port = settings.ports.dns;
  const ldapName = `_ldap._tcp.${domain}`;
  const kerberosName = `_kerberos._tcp.${domain}`;
  const [udpLdap, udpKerberos, tcpLdap, tcpKerberos] = await Promise.all([
    limit(() => lookupOverUdp(ip, port, ldapName, 'SRV', timeoutMs)),
    limit(() => lookupOverUdp(ip, port, kerberosName, 'SRV', timeoutMs)),
    limit(() => lookupOverTcp(ip, port, ldapName, 'SRV', timeoutMs)),
    limit(() => lookupOverTcp(ip, port, kerberosName, 'SRV', timeoutMs)),
  ]);
  const targets = [udpLdap, tcpLdap, udpKerberos, tcpKerberos].flatMap((lookup) => usableTargets(lookup).map((record) => record.target.toLowerCase()));
  return {
    ip,
    targets: [...new Set(targets)],
    checks: [
      transportCheck('dns-tcp', ip, port, [tcpLdap, tcpKerberos]),
      transportCheck('dns-udp', ip, port, [udpLdap, udpKerberos]),
      srvCheck('srv-ldap', ip, domain, udpLdap, tcpLdap),
      srvCheck('srv-kerberos', ip, domain, udpKerberos, tcpKerberos),
    ],
  };
}

// ---------- domain controllers: which, and where ----------

interface Resolution {
  addresses: string[];
  check: PreflightCheck;
}

/** Asks each server in turn, UDP then TCP, for the host's A records, so the answer comes from the DNS AD Connector will use. */
async function resolveHost(host: string, servers: string[], settings: Settings): Promise<Resolution> {
  const { limit, timeoutMs } = settings;
  const port = settings.ports.dns;
  const misses: string[] = [];
  let elapsed = 0;
  for (const server of servers) {
    for (const [transport, lookup] of [
      ['UDP', () => lookupOverUdp(server, port, host, 'A', timeoutMs)],
      ['TCP', () => lookupOverTcp(server, port, host, 'A', timeoutMs)],
    ] as const) {
      const result = await limit(lookup);
      elapsed += result.elapsedMs;
      if (result.answered && result.records.length > 0) {
        const detail = `${host} has address ${result.records.join(', ')} (DNS server ${server}, ${transport})`;
        return { addresses: result.records, check: makeCheck('dc-address', host, 'ok', detail, elapsed, { host }) };
      }
      misses.push(`${server} over ${transport}: ${result.answered ? `${result.rcode}, no A record` : result.detail}`);
      // The server answered without an address; asking it again over TCP would say the same.
      if (result.answered) break;
    }
  }
  const detail = servers.length === 0 ? `no DNS server may be asked for ${host}` : `no A record for ${host}: ${misses.join('; ')}`;
  return { addresses: [], check: makeCheck('dc-address', host, 'failed', detail, elapsed, { host, messageIp: servers.join(', ') || '-' }) };
}

interface Discovery {
  controllers: DomainController[];
  checks: PreflightCheck[];
}

async function discoverControllers(settings: Settings, servers: DnsServerReport[]): Promise<Discovery> {
  const askable = settings.dnsServers.filter((ip) => settings.allowAddress(ip));
  const fromOption = settings.dcs.length > 0;
  // Each SRV target is resolved through the servers that named it; --dc names go to every server in order.
  const hosts = new Map<string, string[]>();
  if (fromOption) for (const dc of settings.dcs) hosts.set(dc, askable);
  else for (const server of servers) for (const target of server.targets) hosts.set(target, [...(hosts.get(target) ?? []), server.ip]);

  const discovery = hosts.size
    ? makeCheck('dc-discovery', settings.domain, 'ok', `${hosts.size} domain controller(s) ${fromOption ? 'given with --dc' : 'named by SRV records'}: ${[...hosts.keys()].join(', ')}`, 0)
    : makeCheck('dc-discovery', settings.domain, 'not-checked', 'no domain controller to probe: the SRV lookups named none and no --dc was given', 0);

  const resolved = await Promise.all(
    [...hosts].map(async ([host, via]): Promise<{ controller: DomainController; check?: PreflightCheck }> => {
      const source = fromOption ? 'option' : 'srv';
      if (net.isIP(host)) return { controller: { host, addresses: [host], source } };
      const resolution = await resolveHost(host, via, settings);
      return { controller: { host, addresses: resolution.addresses, source }, check: resolution.check };
    }),
  );
  return {
    controllers: resolved.map((entry) => entry.controller),
    checks: [discovery, ...resolved.flatMap((entry) => (entry.check ? [entry.check] : []))],
  };
}

// ---------- domain controllers: ports ----------

function portCheck(kind: CheckKind, ip: string, host: string | undefined, protocol: 'tcp' | 'udp', port: number, outcome: ProbeOutcome<string>): PreflightCheck {
  const extras = { ...(host && host !== ip ? { host } : {}), protocol, port };
  if (outcome.ok) return makeCheck(kind, ip, 'ok', outcome.value, outcome.elapsedMs, extras);
  // Silence on UDP cannot tell a firewall from a down service; say so rather than guess.
  const ambiguity = protocol === 'udp' && outcome.code === 'ETIMEDOUT' && outcome.stage === 'connect' ? ' (a firewall dropping UDP and a stopped service look the same)' : '';
  return makeCheck(kind, ip, 'failed', outcome.detail + ambiguity, outcome.elapsedMs, extras);
}

function describeLdapPing(reply: LdapPingReply): string {
  if (!reply.netlogon) return `answered an LDAP ping without a Netlogon attribute (LDAP result ${reply.resultCode ?? 'missing'})`;
  try {
    const netlogon = summariseNetlogon(reply.netlogon);
    if (netlogon.dnsHostName) return `answered an LDAP ping as ${netlogon.dnsHostName} (domain ${netlogon.dnsDomainName}, forest ${netlogon.dnsForestName})`;
    return `answered an LDAP ping (Netlogon opcode ${netlogon.opcode})`;
  } catch (error) {
    return `answered an LDAP ping with an unreadable Netlogon response (${(error as Error).message})`;
  }
}

function describeKdcReply(reply: KdcReply): string {
  if (reply.kind === 'as-rep') return 'a KDC answered the AS-REQ';
  return `a KDC answered the AS-REQ with ${reply.errorName} (${reply.errorCode})${reply.realm ? ` for realm ${reply.realm}` : ''}`;
}

async function mapOutcome<T>(outcome: Promise<ProbeOutcome<T>>, describe: (value: T) => string): Promise<ProbeOutcome<string>> {
  const result = await outcome;
  return result.ok ? { ok: true, value: describe(result.value), elapsedMs: result.elapsedMs } : result;
}

async function checkController(ip: string, host: string | undefined, settings: Settings): Promise<PreflightCheck[]> {
  const { limit, timeoutMs, ports, domain } = settings;
  if (!settings.allowAddress(ip)) {
    const reason = `address ${ip} is outside the allowed range`;
    const shown = host && host !== ip ? { host } : {};
    return [
      makeCheck('ldap-tcp', ip, 'not-checked', reason, 0, { ...shown, protocol: 'tcp', port: ports.ldap }),
      makeCheck('ldap-udp', ip, 'not-checked', reason, 0, { ...shown, protocol: 'udp', port: ports.ldap }),
      makeCheck('kerberos-tcp', ip, 'not-checked', reason, 0, { ...shown, protocol: 'tcp', port: ports.kerberos }),
      makeCheck('kerberos-udp', ip, 'not-checked', reason, 0, { ...shown, protocol: 'udp', port: ports.kerberos }),
    ];
  }
  const pingId = randomInt(1, 0x7fffffff);
  const ldapPing = encodeLdapPing(pingId, domain);
  const asReq = encodeAsReq(domain, randomInt(1, 0x7fffffff));
  const connected = () => 'TCP connection accepted';
  const [ldapTcp, ldapUdp, kerberosTcp, kerberosUdp] = await Promise.all([
    limit(() => mapOutcome(tcpConnect(ip, ports.ldap, timeoutMs), connected)),
    limit(() =>
      mapOutcome(
        udpExchange(ip, ports.ldap, ldapPing, timeoutMs, (reply) => {
          const decoded = decodeLdapPingReply(reply);
          return decoded.messageId === pingId ? decoded : undefined;
        }),
        describeLdapPing,
      ),
    ),
    limit(() => mapOutcome(tcpConnect(ip, ports.kerberos, timeoutMs), connected)),
    limit(() => mapOutcome(udpExchange(ip, ports.kerberos, asReq, timeoutMs, decodeKdcReply), describeKdcReply)),
  ]);
  return [
    portCheck('ldap-tcp', ip, host, 'tcp', ports.ldap, ldapTcp),
    portCheck('ldap-udp', ip, host, 'udp', ports.ldap, ldapUdp),
    portCheck('kerberos-tcp', ip, host, 'tcp', ports.kerberos, kerberosTcp),
    portCheck('kerberos-udp', ip, host, 'udp', ports.kerberos, kerberosUdp),
  ];
}

function addressesToProbe(controllers: DomainController[]): Map<string, string> {
  const byAddress = new Map<string, string>();
  for (const controller of controllers) for (const address of controller.addresses) if (!byAddress.has(address)) byAddress.set(address, controller.host);
  return byAddress;
}

// ---------- the run ----------

export async function runPreflight(options: PreflightOptions): Promise<PreflightResult> {
  const settings = settingsFrom(options);
  const servers = await Promise.all(settings.dnsServers.map((ip) => checkDnsServer(ip, settings)));
  const discovery = await discoverControllers(settings, servers);
  const perController = await Promise.all([...addressesToProbe(discovery.controllers)].map(([ip, host]) => checkController(ip, host, settings)));
  const checks = [...servers.flatMap((server) => server.checks), ...discovery.checks, ...perController.flat()];
  const count = (status: CheckStatus) => checks.filter((check) => check.status === status).length;
  const summary = { ok: count('ok'), failed: count('failed'), notChecked: count('not-checked') };
  return {
    domain: settings.domain,
    dnsServers: settings.dnsServers,
    ports: settings.ports,
    timeoutMs: settings.timeoutMs,
    domainControllers: discovery.controllers,
    checks,
    summary,
    passed: summary.failed === 0,
  };
}
