// A small LDAP server on 127.0.0.1 that misbehaves on purpose, for the directory-side faults of issue 11. It speaks
// just enough LDAPv3 for `gpaudit ldap scan`: a simple bind, StartTLS (refused), the rootDSE read and the paged
// user search, with AD-like answers (defaultNamingContext DC=example,DC=test, the paged-results control listed).
// Requests are decoded with ldapts' own BerReader and request classes; responses are written with its BerWriter and
// PagedResultsControl (ldapts' response classes can only parse, not write). Every request is recorded, with every
// byte received, so a test can prove what the client did and did not send.
import { createServer, type Server, type Socket } from 'node:net';
import { BerReader, BerWriter, BindRequest, ExtendedRequest, PagedResultsControl, PresenceFilter, SearchRequest } from 'ldapts';

export type Fault = 'none' | 'starttls-refused' | 'endless-cookie' | 'huge-attribute' | 'many-referrals' | 'slow-drip';

export interface FaultServerOptions {
  fault: Fault;
  /** starttls-refused: the result code of the refusal (default 52, unavailable, what AD sends without a certificate). */
  startTlsResult?: number;
  /** huge-attribute: bytes of the displayName value (default 8 MiB), and how many such entries (default 1). */
  hugeBytes?: number;
  hugeEntries?: number;
  /** many-referrals: SearchResultReference messages in the user search (default 5000). */
  referrals?: number;
  /** endless-cookie: entries per page (default 2). */
  entriesPerPage?: number;
  /** slow-drip: which answer is dripped (default the bind response) and the pause between its bytes (default 1000 ms). */
  dripOn?: 'bind' | 'search';
  dripMs?: number;
}

export const NAMING_CONTEXT = 'DC=example,DC=test';
export const PAGED_RESULTS_OID = '1.2.840.113556.1.4.319';
export const STARTTLS_OID = '1.3.6.1.4.1.1466.20037';

export interface ReceivedRequest {
  op: 'bind' | 'search' | 'extended' | 'unbind' | 'abandon' | 'other';
  messageId: number;
  /** bind: the name; search: the base DN; extended: the OID. */
  name?: string;
  /** search: the paged-results cookie sent (as text), '' on the first page. */
  cookie?: string;
}

export interface FaultLdapServer {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Every byte the clients sent, in order. */
  received(): Buffer;
  /** User-search pages answered so far (endless-cookie). */
  pagesServed: number;
  /** Bytes of dripped answers written so far (slow-drip). */
  drippedBytes: number;
  connections: number;
  close(): Promise<void>;
}

// [APPLICATION n] tags, RFC 4511 §4.2 ff.
const BIND_REQUEST = 0x60;
const UNBIND_REQUEST = 0x42;
const SEARCH_REQUEST = 0x63;
const ABANDON_REQUEST = 0x50;
const EXTENDED_REQUEST = 0x77;
const BIND_RESPONSE = 0x61;
const SEARCH_ENTRY = 0x64;
const SEARCH_DONE = 0x65;
const SEARCH_REFERENCE = 0x73;
const EXTENDED_RESPONSE = 0x78;
const CONTROLS = 0xa0;

export async function startFaultServer(options: FaultServerOptions): Promise<FaultLdapServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const chunks: Buffer[] = [];
  const state: FaultLdapServer = {
    url: '',
    port: 0,
    requests: [],
    received: () => Buffer.concat(chunks),
    pagesServed: 0,
    drippedBytes: 0,
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const drip = (socket: Socket, bytes: Buffer): void => {
    let index = 0;
    const step = (): void => {
      if (socket.destroyed || index >= bytes.length) return;
      socket.write(bytes.subarray(index, index + 1));
      index++;
      state.drippedBytes++;
      const timer = setTimeout(() => {
        timers.delete(timer);
        step();
      }, options.dripMs ?? 1000);
      timers.add(timer);
    };
    step();
  };

  const answer = (socket: Socket, message: Buffer): void => {
    const reader = new BerReader(message);
    reader.readSequence();
    const messageId = reader.readInt() ?? 0;
    const tag = reader.peek();
    switch (tag) {
      case BIND_REQUEST: {
        reader.readSequence();
        const request = new BindRequest({ messageId });
        request.parseMessage(reader);
        state.requests.push({ op: 'bind', messageId, name: request.dn });
        const response = result(messageId, BIND_RESPONSE, 0);
        if (options.fault === 'slow-drip' && (options.dripOn ?? 'bind') === 'bind') drip(socket, response);
        else socket.write(response);
        return;
      }
      case EXTENDED_REQUEST: {
        reader.readSequence();
        const request = new ExtendedRequest({ messageId });
        request.parseMessage(reader);
        state.requests.push({ op: 'extended', messageId, name: request.oid });
        const refused = options.fault === 'starttls-refused' ? (options.startTlsResult ?? 52) : 2;
        socket.write(result(messageId, EXTENDED_RESPONSE, refused, request.oid === STARTTLS_OID ? 'StartTLS is not available on this server' : 'unsupported extended operation'));
        return;
      }
      case SEARCH_REQUEST: {
        reader.readSequence();
        const request = new SearchRequest({ messageId, baseDN: '', filter: new PresenceFilter({ attribute: 'objectClass' }) });
        request.parse(reader, []);
        const paged = request.controls?.find((control): control is PagedResultsControl => control instanceof PagedResultsControl);
        const cookie = paged?.value?.cookie?.toString('utf8') ?? '';
        state.requests.push({ op: 'search', messageId, name: request.baseDN, cookie });
        if (request.baseDN === '' && request.scope === 'base') {
          socket.write(
            Buffer.concat([
              entry(messageId, '', {
                defaultNamingContext: [NAMING_CONTEXT],
                dnsHostName: ['dc1.example.test'],
                namingContexts: [NAMING_CONTEXT, `CN=Configuration,${NAMING_CONTEXT}`],
                supportedControl: [PAGED_RESULTS_OID, '1.2.840.113556.1.4.801', '1.2.840.113556.1.4.473'],
              }),
              result(messageId, SEARCH_DONE, 0),
            ]),
          );
          return;
        }
        if (request.scope === 'base') {
          socket.write(result(messageId, SEARCH_DONE, 32, 'no such object'));
          return;
        }
        socket.write(userSearch(messageId, paged !== undefined, cookie));
        return;
      }
      case UNBIND_REQUEST:
        state.requests.push({ op: 'unbind', messageId });
        socket.end();
        return;
      case ABANDON_REQUEST:
        state.requests.push({ op: 'abandon', messageId });
        return;
      default:
        state.requests.push({ op: 'other', messageId });
        socket.destroy();
    }
  };

  const userSearch = (messageId: number, paged: boolean, cookie: string): Buffer => {
    const parts: Buffer[] = [];
    const done = (next: string) => (paged ? result(messageId, SEARCH_DONE, 0, '', pagedControl(next)) : result(messageId, SEARCH_DONE, 0));
    switch (options.fault) {
      case 'endless-cookie': {
        state.pagesServed++;
        const page = state.pagesServed;
        for (let i = 0; i < (options.entriesPerPage ?? 2); i++) parts.push(user(messageId, `loop${page}x${i}`));
        // A new cookie every time, so only a bound (not a repeated-cookie check) can stop the client.
        parts.push(done(`page-${page}-after-${cookie || 'start'}`.slice(0, 64)));
        return Buffer.concat(parts);
      }
      case 'huge-attribute': {
        parts.push(user(messageId, 'alice'));
        const value = 'B'.repeat(options.hugeBytes ?? 8 * 1024 * 1024);
        for (let i = 0; i < (options.hugeEntries ?? 1); i++) parts.push(user(messageId, i === 0 ? 'bigbob' : `bigbob${i}`, { displayName: [value] }));
        parts.push(done(''));
        return Buffer.concat(parts);
      }
      case 'many-referrals':
        parts.push(user(messageId, 'alice'));
        for (let i = 0; i < (options.referrals ?? 5000); i++) parts.push(reference(messageId, `ldap://dc${i}.child${i}.example.test/DC=child${i},${NAMING_CONTEXT}`));
        parts.push(done(''));
        return Buffer.concat(parts);
      default: {
        const response = Buffer.concat([user(messageId, 'alice'), user(messageId, 'bob'), done('')]);
        if (options.fault === 'slow-drip' && options.dripOn === 'search') {
          // Sent through drip by the caller: returned empty here, dripped below.
          return dripLater(response);
        }
        return response;
      }
    }
  };

  let dripTarget: Socket | undefined;
  const dripLater = (response: Buffer): Buffer => {
    if (dripTarget) drip(dripTarget, response);
    return Buffer.alloc(0);
  };

  const server: Server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const length = envelopeLength(pending);
        if (length === undefined || pending.length < length) return;
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        dripTarget = socket;
        try {
          answer(socket, message);
        } catch {
          socket.destroy();
          return;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as { port: number }).port;
  state.url = `ldap://127.0.0.1:${state.port}`;
  return state;
}

/** The whole length (header included) of the BER element at the start of `buffer`, or undefined if not known yet. */
function envelopeLength(buffer: Buffer): number | undefined {
  if (buffer.length < 2) return undefined;
  const first = buffer[1]!;
  if (first < 0x80) return 2 + first;
  const octets = first & 0x7f;
  if (buffer.length < 2 + octets) return undefined;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + buffer[2 + i]!;
  return 2 + octets + length;
}

function envelope(messageId: number, body: (writer: BerWriter) => void, controls?: (writer: BerWriter) => void): Buffer {
  const writer = new BerWriter();
  writer.startSequence();
  writer.writeInt(messageId);
  body(writer);
  if (controls) {
    writer.startSequence(CONTROLS);
    controls(writer);
    writer.endSequence();
  }
  writer.endSequence();
  return writer.buffer;
}

/** An LDAPResult-shaped response (bind, search done, extended) with an optional controls writer. */
function result(messageId: number, tag: number, code: number, diagnostic = '', controls?: (writer: BerWriter) => void): Buffer {
  return envelope(
    messageId,
    (writer) => {
      writer.startSequence(tag);
      writer.writeEnumeration(code);
      writer.writeString('');
      writer.writeString(diagnostic);
      writer.endSequence();
    },
    controls,
  );
}

function pagedControl(cookie: string): (writer: BerWriter) => void {
  return (writer) => new PagedResultsControl({ value: { size: 0, cookie: Buffer.from(cookie, 'utf8') } }).write(writer);
}

function entry(messageId: number, dn: string, attributes: Record<string, string[]>): Buffer {
  return envelope(messageId, (writer) => {
    writer.startSequence(SEARCH_ENTRY);
    writer.writeString(dn);
    writer.startSequence();
    for (const [type, values] of Object.entries(attributes)) {
      writer.startSequence();
      writer.writeString(type);
      writer.startSequence(0x31);
      for (const value of values) writer.writeString(value);
      writer.endSequence();
      writer.endSequence();
    }
    writer.endSequence();
    writer.endSequence();
  });
}

function user(messageId: number, name: string, extra: Record<string, string[]> = {}): Buffer {
  return entry(messageId, `CN=${name},CN=Users,${NAMING_CONTEXT}`, {
    sAMAccountName: [name],
    mail: [`${name}@example.test`],
    userAccountControl: ['512'],
    userPrincipalName: [`${name}@example.test`],
    displayName: [name],
    ...extra,
  });
}

function reference(messageId: number, url: string): Buffer {
  return envelope(messageId, (writer) => {
    writer.startSequence(SEARCH_REFERENCE);
    writer.writeString(url);
    writer.endSequence();
  });
}
