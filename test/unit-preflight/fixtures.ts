// Byte-fixture builders and loopback-only fake servers for the preflight tests.
// The DER builder is written independently of src/preflight/ber.ts so encoder tests are not circular.

import dgram from 'node:dgram';
import net from 'node:net';

export const LOOPBACK = '127.0.0.1';

type Part = number[] | Buffer | string;

function bytesOf(part: Part): Buffer {
  if (typeof part === 'string') return Buffer.from(part, 'latin1');
  return Buffer.isBuffer(part) ? part : Buffer.from(part);
}

/** One DER element: tag, length (short or long form), content. */
export function der(tag: number, ...parts: Part[]): Buffer {
  const content = Buffer.concat(parts.map(bytesOf));
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), content]);
}

export function hex(buf: Buffer): string {
  return buf.toString('hex');
}

// ---------- CLDAP and Kerberos replies ----------

/** NETLOGON_SAM_LOGON_RESPONSE_EX: opcode 23, Sbz, Flags, DomainGuid, then DNS names compressed against the blob. */
export function netlogonResponse(hostLabel: string, domain: string): Buffer {
  return Buffer.concat([
    Buffer.from('17000000' + 'fdf10100', 'hex'),
    Buffer.alloc(16, 0xab),
    dnsName(domain), // DnsForestName at offset 24
    Buffer.from([0xc0, 24]), // DnsDomainName: same as the forest
    Buffer.from([hostLabel.length, ...Buffer.from(hostLabel), 0xc0, 24]), // DnsHostName: label + pointer
    Buffer.from([7, ...Buffer.from('NETBIOS'), 0]), // NetbiosDomainName, not read
  ]);
}

/** Big-endian bytes of a non-negative integer, with a leading zero when the top bit would read as a sign. */
function integerBytes(value: number): number[] {
  const bytes: number[] = [];
  for (let rest = value; rest > 0 || bytes.length === 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return bytes[0]! & 0x80 ? [0, ...bytes] : bytes;
}

export function ldapMessage(id: number, op: Buffer): Buffer {
  return der(0x30, der(0x02, integerBytes(id)), op);
}

export function searchEntry(id: number, blob: Buffer): Buffer {
  return ldapMessage(id, der(0x64, der(0x04), der(0x30, der(0x30, der(0x04, 'netlogon'), der(0x31, der(0x04, blob))))));
}

export function searchDone(id: number, code: number): Buffer {
  return ldapMessage(id, der(0x65, der(0x0a, [code]), der(0x04), der(0x04)));
}

/** The messageID of an LDAP request: SEQUENCE, length (short or long form), INTEGER. */
export function ldapMessageId(request: Buffer): number {
  const lengthBytes = request[1]! & 0x80 ? 1 + (request[1]! & 0x7f) : 1;
  const at = 1 + lengthBytes;
  let id = 0;
  for (let i = 0; i < request[at + 1]!; i++) id = id * 256 + request[at + 2 + i]!;
  return id;
}

export function krbErrorPrincipalUnknown(realm: string): Buffer {
  return der(
    0x7e,
    der(
      0x30,
      der(0xa0, der(0x02, [5])),
      der(0xa1, der(0x02, [30])),
      der(0xa4, der(0x18, '20240101000000Z')),
      der(0xa5, der(0x02, [0])),
      der(0xa6, der(0x02, [6])),
      der(0xa9, der(0x1b, realm)),
    ),
  );
}

// ---------- DNS ----------

export function dnsName(name: string): Buffer {
  if (name === '') return Buffer.from([0]);
  return Buffer.concat([...name.split('.').map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'latin1')])), Buffer.from([0])]);
}

export interface FakeRecord {
  type: 'SRV' | 'A';
  priority?: number;
  weight?: number;
  port?: number;
  target?: string;
  address?: string;
}

export interface ParsedQuery {
  id: number;
  name: string;
  type: number;
  /** Bytes of the question section, echoed in the answer. */
  question: Buffer;
}

export function parseQuery(msg: Buffer): ParsedQuery {
  const labels: string[] = [];
  let at = 12;
  while (msg[at]! !== 0) {
    const length = msg[at]!;
    labels.push(msg.toString('latin1', at + 1, at + 1 + length));
    at += 1 + length;
  }
  const end = at + 5;
  return { id: msg.readUInt16BE(0), name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(at + 1), question: msg.subarray(12, end) };
}

function u16(n: number): number[] {
  return [n >> 8, n & 0xff];
}

/** A response whose answers all name the question by a compression pointer to offset 12. */
export function dnsResponse(id: number, question: Buffer, rcode: number, records: FakeRecord[]): Buffer {
  const answers = records.map((record) => {
    const data =
      record.type === 'A'
        ? Buffer.from(record.address!.split('.').map(Number))
        : Buffer.concat([Buffer.from([...u16(record.priority ?? 0), ...u16(record.weight ?? 100), ...u16(record.port ?? 389)]), dnsName(record.target ?? '')]);
    const type = record.type === 'A' ? 1 : 33;
    return Buffer.concat([Buffer.from([0xc0, 0x0c, ...u16(type), 0, 1, 0, 0, 0x02, 0x58, ...u16(data.length)]), data]);
  });
  const header = Buffer.from([...u16(id), 0x85, 0x80 | rcode, 0, 1, ...u16(records.length), 0, 0, 0, 0]);
  return Buffer.concat([header, question, ...answers]);
}

export type Zone = Record<string, FakeRecord[]>;

function answerFor(zone: Zone, query: Buffer): Buffer {
  const parsed = parseQuery(query);
  const all = zone[parsed.name];
  const wanted = (all ?? []).filter((record) => (record.type === 'A' ? 1 : 33) === parsed.type);
  return dnsResponse(parsed.id, parsed.question, all ? 0 : 3, wanted);
}

// ---------- servers ----------

export interface FakeServer {
  port: number;
  close(): Promise<void>;
}

function listenTcp(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve((server.address() as net.AddressInfo).port));
  });
}

function bindUdp(socket: dgram.Socket, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, LOOPBACK, () => resolve(socket.address().port));
  });
}

function closeTcp(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function closeUdp(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}

export type UdpHandler = (msg: Buffer, reply: (bytes: Buffer) => void) => void;
export type TcpHandler = (socket: net.Socket) => void;

/** A TCP server whose close() also ends the connections it accepted. */
function trackedTcpServer(handler: TcpHandler | undefined): { server: net.Server; close(): Promise<void> } {
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => {});
    if (handler) handler(socket);
    else socket.destroy();
  });
  return {
    server,
    close: () => {
      // A server socket that never reads never sees the client's FIN, so server.close() would wait for ever.
      for (const socket of open) socket.destroy();
      return closeTcp(server);
    },
  };
}

/** A TCP listener and a UDP socket on the same port number, as DNS, LDAP and Kerberos use. */
export async function startPair(tcp: TcpHandler | undefined, udp: UdpHandler | undefined): Promise<FakeServer> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const tracked = trackedTcpServer(tcp);
    const port = await listenTcp(tracked.server, 0);
    const socket = dgram.createSocket('udp4');
    socket.on('message', (msg, rinfo) => udp?.(msg, (bytes) => socket.send(bytes, rinfo.port, rinfo.address)));
    try {
      await bindUdp(socket, port);
    } catch {
      await tracked.close();
      continue;
    }
    return { port, close: async () => void (await Promise.all([tracked.close(), closeUdp(socket)])) };
  }
  throw new Error('could not find a port free for both TCP and UDP');
}

export async function startUdp(handler: UdpHandler): Promise<FakeServer> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => handler(msg, (bytes) => socket.send(bytes, rinfo.port, rinfo.address)));
  const port = await bindUdp(socket, 0);
  return { port, close: () => closeUdp(socket) };
}

export async function startTcp(handler: TcpHandler): Promise<FakeServer> {
  const tcp = trackedTcpServer(handler);
  const port = await listenTcp(tcp.server, 0);
  return { port, close: tcp.close };
}

/** A port that nothing listens on (TCP or UDP) at the moment it is returned. */
export async function closedPort(): Promise<number> {
  const server = await startPair(undefined, undefined);
  await server.close();
  return server.port;
}

/** Answers DNS over UDP and TCP from `zone`; names not in it get NXDOMAIN. */
export function startFakeDns(zone: Zone): Promise<FakeServer> {
  return startPair(
    (socket) => {
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        if (buffered.length < 2 || buffered.length < 2 + buffered.readUInt16BE(0)) return;
        const answer = answerFor(zone, buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
        socket.end(Buffer.concat([Buffer.from(u16(answer.length)), answer]));
      });
      socket.on('error', () => {});
    },
    (msg, reply) => reply(answerFor(zone, msg)),
  );
}
