// Network probes. Each one settles exactly once, within its timeout, and releases its socket on every path.

import dgram from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { decodeResponse, DNS_TYPE, encodeQuery, frameForTcp, rcodeName, TcpFrameReader, type DnsResponse, type SrvData } from './dns-codec.js';

export interface ProbeFailure {
  ok: false;
  /** Whether the port never answered ('connect') or answered with nothing usable ('reply'). */
  stage: 'connect' | 'reply';
  code: string;
  detail: string;
  elapsedMs: number;
}

export type ProbeOutcome<T> = { ok: true; value: T; elapsedMs: number } | ProbeFailure;

function elapsedSince(start: number): number {
  return Math.round(performance.now() - start);
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'ERROR';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `start` with a `settle` that wins once; the timer and `cleanup` run whichever way it ends. */
function settleOnce<T>(timeoutMs: number, onTimeout: () => T, start: (settle: (value: T) => void) => () => void): Promise<T> {
  return new Promise<T>((resolve) => {
    let done = false;
    let cleanup: () => void = () => {};
    const settle = (value: T) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => settle(onTimeout()), timeoutMs);
    cleanup = start(settle);
    if (done) cleanup();
  });
}

export function tcpConnect(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome<void>> {
  const began = performance.now();
  return settleOnce<ProbeOutcome<void>>(
    timeoutMs,
    () => ({ ok: false, stage: 'connect', code: 'ETIMEDOUT', detail: `no TCP connection within ${timeoutMs} ms`, elapsedMs: elapsedSince(began) }),
    (settle) => {
      const socket = net.createConnection({ host, port });
      socket.once('connect', () => settle({ ok: true, value: undefined, elapsedMs: elapsedSince(began) }));
      socket.once('error', (error) =>
        settle({ ok: false, stage: 'connect', code: errorCode(error), detail: `TCP connect failed: ${errorText(error)}`, elapsedMs: elapsedSince(began) }),
      );
      return () => socket.destroy();
    },
  );
}

/** Sends one datagram on a connected socket (so an ICMP port-unreachable comes back as ECONNREFUSED) and waits for a reply that `decode` accepts. */
export function udpExchange<T>(
  host: string,
  port: number,
  payload: Buffer,
  timeoutMs: number,
  decode: (reply: Buffer) => T | undefined,
): Promise<ProbeOutcome<T>> {
  const began = performance.now();
  let rejected = 0;
  let lastRejection = '';
  return settleOnce<ProbeOutcome<T>>(
    timeoutMs,
    () => ({
      ok: false,
      stage: rejected > 0 ? 'reply' : 'connect',
      code: 'ETIMEDOUT',
      detail:
        rejected > 0
          ? `no usable UDP reply within ${timeoutMs} ms (${rejected} unusable datagram${rejected === 1 ? '' : 's'}: ${lastRejection})`
          : `no UDP reply within ${timeoutMs} ms`,
      elapsedMs: elapsedSince(began),
    }),
    (settle) => {
      const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
      socket.on('error', (error) =>
        settle({
          ok: false,
          stage: 'connect',
          code: errorCode(error),
          detail: errorCode(error) === 'ECONNREFUSED' ? 'UDP port closed (ICMP port unreachable)' : `UDP error: ${errorText(error)}`,
          elapsedMs: elapsedSince(began),
        }),
      );
      socket.on('message', (reply) => {
        try {
          const value = decode(reply);
          if (value !== undefined) settle({ ok: true, value, elapsedMs: elapsedSince(began) });
          else {
            rejected++;
            lastRejection = 'not a reply to this probe';
          }
        } catch (error) {
          rejected++;
          lastRejection = errorText(error);
        }
      });
      socket.connect(port, host, () => {
        try {
          socket.send(payload);
        } catch (error) {
          // Only if the probe already ended and closed the socket; then nobody is waiting for this.
          settle({ ok: false, stage: 'connect', code: errorCode(error), detail: `UDP send failed: ${errorText(error)}`, elapsedMs: elapsedSince(began) });
        }
      });
      return () => {
        socket.removeAllListeners('message');
        socket.on('error', () => {}); // a late ICMP error after close must not become an unhandled 'error'
        try {
          socket.close();
        } catch {
          // already closed
        }
      };
    },
  );
}

/** One DNS query over TCP: connect, send the framed query, read one framed reply with the same id. */
export function dnsQueryOverTcp(server: string, port: number, name: string, type: number, timeoutMs: number): Promise<ProbeOutcome<DnsResponse>> {
  const began = performance.now();
  const id = Math.floor(Math.random() * 0x10000);
  const query = frameForTcp(encodeQuery(id, name, type));
  let connected = false;
  return settleOnce<ProbeOutcome<DnsResponse>>(
    timeoutMs,
    () => ({
      ok: false,
      stage: connected ? 'reply' : 'connect',
      code: 'ETIMEDOUT',
      detail: connected ? `connected, but no DNS reply within ${timeoutMs} ms` : `no TCP connection within ${timeoutMs} ms`,
      elapsedMs: elapsedSince(began),
    }),
    (settle) => {
      const socket = net.createConnection({ host: server, port });
      const reader = new TcpFrameReader();
      const fail = (stage: 'connect' | 'reply', code: string, detail: string) =>
        settle({ ok: false, stage, code, detail, elapsedMs: elapsedSince(began) });
      socket.once('connect', () => {
        connected = true;
        socket.write(query);
      });
      socket.on('data', (chunk: Buffer) => {
        const message = reader.push(chunk);
        if (!message) return;
        try {
          const response = decodeResponse(message);
          if (!response.isResponse || response.id !== id) fail('reply', 'EBADRESP', `reply id ${response.id} does not match query id ${id}`);
          else settle({ ok: true, value: response, elapsedMs: elapsedSince(began) });
        } catch (error) {
          fail('reply', 'EBADRESP', `malformed DNS reply: ${errorText(error)}`);
        }
      });
      socket.once('end', () => fail('reply', 'ECONNRESET', `connection closed after ${reader.bytesReceived} bytes, before a complete DNS reply`));
      socket.once('error', (error) =>
        connected
          ? fail('reply', errorCode(error), `connection failed before a DNS reply: ${errorText(error)}`)
          : fail('connect', errorCode(error), `TCP connect failed: ${errorText(error)}`),
      );
      return () => socket.destroy();
    },
  );
}

/** A DNS lookup's outcome, the same for UDP (node:dns) and TCP (own codec). */
export type DnsLookup<T> = { answered: true; rcode: string; records: T[]; elapsedMs: number } | (ProbeFailure & { answered: false });

export type LookupType = 'SRV' | 'A';
type RecordOf<K extends LookupType> = K extends 'SRV' ? SrvData : string;

export async function lookupOverTcp<K extends LookupType>(
  server: string,
  port: number,
  name: string,
  type: K,
  timeoutMs: number,
): Promise<DnsLookup<RecordOf<K>>> {
  const outcome = await dnsQueryOverTcp(server, port, name, DNS_TYPE[type], timeoutMs);
  if (!outcome.ok) return { ...outcome, answered: false };
  const records: RecordOf<K>[] = [];
  for (const answer of outcome.value.answers) {
    if (type === 'SRV' && answer.data.type === 'SRV') records.push(answer.data.srv as RecordOf<K>);
    if (type === 'A' && answer.data.type === 'A') records.push(answer.data.address as RecordOf<K>);
  }
  return { answered: true, rcode: rcodeName(outcome.value.rcode), records, elapsedMs: outcome.elapsedMs };
}

// c-ares reports DNS response codes as errors; these mean the server did answer.
const ANSWERED_CODES: Record<string, string> = {
  ENODATA: 'NOERROR',
  ENOTFOUND: 'NXDOMAIN',
  ESERVFAIL: 'SERVFAIL',
  EREFUSED: 'REFUSED',
  ENOTIMP: 'NOTIMP',
  EFORMERR: 'FORMERR',
};

export function serverAddress(ip: string, port: number): string {
  return net.isIPv6(ip) ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** A DNS lookup over UDP through node:dns, asking only `server` (no search list, no system resolver), one try. */
export async function lookupOverUdp<K extends LookupType>(
  server: string,
  port: number,
  name: string,
  type: K,
  timeoutMs: number,
): Promise<DnsLookup<RecordOf<K>>> {
  const began = performance.now();
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  resolver.setServers([serverAddress(server, port)]);
  const query: Promise<Array<SrvData | string>> =
    type === 'SRV'
      ? resolver.resolveSrv(name).then((records) => records.map(({ name: target, port, priority, weight }) => ({ priority, weight, port, target })))
      : resolver.resolve4(name);
  // c-ares has its own timeout; this one is the backstop that guarantees we never wait much longer than asked.
  const backstop = new Promise<'backstop'>((resolve) => {
    const timer = setTimeout(() => resolve('backstop'), timeoutMs + 250);
    void query.finally(() => clearTimeout(timer)).catch(() => {});
  });
  try {
    const records = await Promise.race([query, backstop]);
    if (records === 'backstop') {
      resolver.cancel();
      return { answered: false, ok: false, stage: 'connect', code: 'ETIMEOUT', detail: `no UDP reply within ${timeoutMs} ms`, elapsedMs: elapsedSince(began) };
    }
    return { answered: true, rcode: 'NOERROR', records: records as RecordOf<K>[], elapsedMs: elapsedSince(began) };
  } catch (error) {
    const code = errorCode(error);
    const rcode = ANSWERED_CODES[code];
    if (rcode) return { answered: true, rcode, records: [], elapsedMs: elapsedSince(began) };
    const detail =
      code === 'ETIMEOUT'
        ? `no UDP reply within ${timeoutMs} ms`
        : code === 'ECONNREFUSED'
          ? 'UDP port closed (ICMP port unreachable)'
          : `UDP query failed: ${errorText(error)}`;
    return { answered: false, ok: false, stage: 'connect', code, detail, elapsedMs: elapsedSince(began) };
  }
}
