// A bound connection to one directory server, wrapping ldapts: URLs tried in order, backoff on refused or reset
// connections, TLS set up so that verification is always on unless explicitly skipped, every failure turned into
// an LdapScanError, and paged and ranged reads that keep at most one page in memory.
import net from 'node:net';
import tls from 'node:tls';
import { Client, NoSuchObjectError, type Control, type Entry, type Filter } from 'ldapts';
import { CONNECT_DEFAULTS, readCaFile, resolveConnectOptions, type ConnectOptions, type Endpoint, type ResolvedConnectOptions } from './connect-options.js';
import { LdapScanError, isCertificateVerificationError, limitError, toLdapScanError, type ErrorContext, type PeerCertificateInfo } from './errors.js';
import { WireGuard } from './wire-guard.js';

export interface ConnectHooks {
  /** Called before each retry of a URL (after a refused or reset connection or a busy server). */
  onRetry?: (info: { url: string; attempt: number; delayMs: number; error: LdapScanError }) => void;
  /** Called when a URL failed and the next one will be tried. */
  onFallback?: (info: { url: string; error: LdapScanError }) => void;
}

export interface RootDse {
  defaultNamingContext?: string;
  dnsHostName?: string;
  namingContexts: string[];
  supportedControl: string[];
}

export interface PageQuery {
  baseDn: string;
  filter: Filter;
  attributes: string[];
  /** Attributes whose values are binary (returned as hex by the normaliser). */
  binaryAttributes?: readonly string[];
  pageSize?: number;
  /** `sub` (the default) or `one`: the entries directly below baseDn. */
  scope?: 'sub' | 'one';
  /** Request controls sent with every page besides the paged-results control (e.g. LDAP_SERVER_SD_FLAGS). */
  controls?: readonly Control[];
}

export interface EntryQuery {
  /** Attributes whose values are binary (Buffers); default BINARY_ATTRIBUTES. */
  binaryAttributes?: readonly string[];
  controls?: readonly Control[];
}

export interface SearchPage {
  entries: Entry[];
  /** Continuation references (RFC 4511 §4.5.3) in this page; reported, never followed. */
  references: string[];
}

/** AD's default MaxValRange: the slice size for ranged reads of large multi-valued attributes. */
export const DEFAULT_RANGE_STEP = 1500;
/** Attributes AD stores as binary; fetched as Buffers so they are not mangled as UTF-8. */
export const BINARY_ATTRIBUTES = ['objectSid', 'objectGUID', 'nTSecurityDescriptor', 'msExchMailboxGuid', 'thumbnailPhoto', 'userCertificate', 'sIDHistory'];

/** Errors after which another URL or attempt would not help, or could hurt (a locked-out account). */
const FINAL_KINDS = new Set(['invalid-credentials', 'strong-auth-required', 'password', 'usage', 'plaintext-refused', 'insufficient-access']);

export class LdapConnection {
  private constructor(
    private readonly client: Client,
    readonly endpoint: Endpoint,
    private readonly options: ResolvedConnectOptions,
    private readonly sockets: SocketTracker,
  ) {}

  /**
   * Connects and binds, trying each URL in order. Throws the LdapScanError of the last failure; authentication
   * failures end the attempt at once (trying other DCs with a wrong password only brings the lockout closer).
   */
  static async open(options: ConnectOptions | ResolvedConnectOptions, hooks: ConnectHooks = {}): Promise<LdapConnection> {
    const resolved = 'endpoints' in options ? options : resolveConnectOptions(options);
    const ca = resolved.caFile !== undefined ? readCaFile(resolved.caFile) : undefined;
    const failures: LdapScanError[] = [];
    for (const [index, endpoint] of resolved.endpoints.entries()) {
      const outcome = await LdapConnection.tryEndpoint(endpoint, resolved, ca, hooks);
      if (outcome instanceof LdapConnection) return outcome;
      if (FINAL_KINDS.has(outcome.kind)) throw outcome;
      failures.push(outcome);
      if (index < resolved.endpoints.length - 1) hooks.onFallback?.({ url: endpoint.url, error: outcome });
    }
    throw combineFailures(failures);
  }

  private static async tryEndpoint(endpoint: Endpoint, resolved: ResolvedConnectOptions, ca: string | undefined, hooks: ConnectHooks): Promise<LdapConnection | LdapScanError> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await LdapConnection.connectOnce(endpoint, resolved, ca);
      } catch (caught) {
        const error = toLdapScanError(caught, { url: endpoint.url, operation: 'connect' });
        if (!error.retryable || attempt >= resolved.retries) {
          return attempt === 0 ? error : new LdapScanError(error.kind, `${error.message} (${attempt + 1} attempts)`, { cause: error.cause });
        }
        const delayMs = resolved.retryDelayMs * 2 ** attempt;
        hooks.onRetry?.({ url: endpoint.url, attempt: attempt + 1, delayMs, error });
        await sleep(delayMs);
      }
    }
  }

  private static async connectOnce(endpoint: Endpoint, resolved: ResolvedConnectOptions, ca: string | undefined): Promise<LdapConnection> {
    const sockets = new SocketTracker(
      new WireGuard({
        maxMessageBytes: resolved.maxMessageBytes ?? CONNECT_DEFAULTS.maxMessageBytes,
        maxReferences: resolved.maxReferences ?? CONNECT_DEFAULTS.maxReferences,
      }),
    );
    const tlsOptions = buildTlsOptions(endpoint, resolved, ca);
    const client = new Client({
      url: endpoint.url,
      connectTimeout: resolved.connectTimeoutMs,
      timeout: resolved.timeoutMs,
      // ldapts speaks TLS from the first byte whenever tlsOptions is non-empty, even for ldap://, which breaks
      // StartTLS; so it only gets them for ldaps:// and StartTLS gets its own below.
      ...(endpoint.secure ? { tlsOptions } : {}),
      createConnection: sockets.wrap(net.connect),
      createSecureConnection: sockets.wrap(tls.connect),
    });
    const context: ErrorContext = {
      url: endpoint.url,
      bindDn: resolved.bindDn,
      connectTimeoutMs: resolved.connectTimeoutMs,
      timeoutMs: resolved.timeoutMs,
    };
    let step: 'starttls' | 'bind' = 'bind';
    try {
      if (resolved.startTls) {
        step = 'starttls';
        // ldapts times the StartTLS request but not the TLS handshake after it; bound both here.
        await withDeadline(client.startTLS(tlsOptions), resolved.connectTimeoutMs + resolved.timeoutMs, () => {
          sockets.destroyAll();
          return new Error('StartTLS handshake timed out');
        });
      }
      step = 'bind';
      await client.bind(resolved.bindDn, resolved.password);
      return new LdapConnection(client, endpoint, resolved, sockets);
    } catch (error) {
      sockets.destroyAll();
      const operation = sockets.reachedServer ? step : 'connect';
      if (isCertificateVerificationError(error)) {
        const peerCertificate = await inspectCertificate(endpoint, resolved, tlsOptions);
        if (peerCertificate) Object.assign(error as object, { peerCertificate });
      }
      throw sockets.failure(error, { ...context, operation });
    }
  }

  /** The rootDSE's naming information (readable after the bind; Samba and AD also answer it anonymously). */
  async rootDse(): Promise<RootDse> {
    const result = await this.run({ operation: 'rootdse' }, () =>
      this.client.search('', {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ['defaultNamingContext', 'dnsHostName', 'namingContexts', 'supportedControl'],
        timeLimit: this.timeLimitSeconds(),
      }),
    );
    const entry = result.searchEntries[0];
    return {
      ...optionalString('defaultNamingContext', firstString(entry?.['defaultNamingContext'])),
      ...optionalString('dnsHostName', firstString(entry?.['dnsHostName'])),
      namingContexts: toStrings(entry?.['namingContexts']),
      supportedControl: toStrings(entry?.['supportedControl']),
    };
  }

  /** The base DN the user gave, or else the directory's defaultNamingContext. */
  async baseDn(): Promise<string> {
    if (this.options.baseDn) return this.options.baseDn;
    const root = await this.rootDse();
    if (!root.defaultNamingContext) {
      throw new LdapScanError('usage', `${this.endpoint.url}: the server's rootDSE has no defaultNamingContext; give the search base with --base-dn`);
    }
    return root.defaultNamingContext;
  }

  /**
   * Pages through a subtree search; each page is one request, so memory holds one page at a time. `scanned` in
   * error messages counts the entries of earlier pages.
   */
  async *searchPages(query: PageQuery): AsyncGenerator<SearchPage, void, undefined> {
    const binary = bufferAttributeNames(query.binaryAttributes ?? BINARY_ATTRIBUTES);
    const maxPages = this.options.maxPages ?? CONNECT_DEFAULTS.maxPages;
    let scanned = 0;
    let received = 0;
    const pages = this.client.searchPaginated(
      query.baseDn,
      {
        scope: query.scope ?? 'sub',
        filter: query.filter,
        attributes: query.attributes,
        explicitBufferAttributes: binary,
        paged: { pageSize: query.pageSize ?? this.options.pageSize },
        timeLimit: this.timeLimitSeconds(),
      },
      query.controls ? [...query.controls] : undefined,
    );
    for (;;) {
      let next: IteratorResult<{ searchEntries: Entry[]; searchReferences: string[] }>;
      try {
        next = await pages.next();
      } catch (error) {
        throw this.sockets.failure(error, this.context({ operation: 'search', baseDn: query.baseDn, scanned }));
      }
      if (next.done) return;
      // A server whose paged-results cookie never ends (the same cookie or a new one each time) would keep this
      // loop going for ever, one page in memory at a time; the page after the limit ends the search.
      if (++received > maxPages) {
        this.sockets.destroyAll();
        throw limitError({ limit: 'pages', maxPages }, this.context({ operation: 'search', baseDn: query.baseDn, scanned }));
      }
      scanned += next.value.searchEntries.length;
      yield { entries: next.value.searchEntries, references: next.value.searchReferences };
    }
  }

  /**
   * One entry by its DN (a base-scope search), or undefined when the server says it does not exist (result 32);
   * any other failure is an LdapScanError. Binary attributes come back as Buffers, the rest as strings.
   */
  async readEntry(dn: string, attributes: readonly string[], query: EntryQuery = {}): Promise<Entry | undefined> {
    try {
      const result = await this.client.search(
        dn,
        {
          scope: 'base',
          filter: '(objectClass=*)',
          attributes: [...attributes],
          explicitBufferAttributes: bufferAttributeNames(query.binaryAttributes ?? BINARY_ATTRIBUTES),
          timeLimit: this.timeLimitSeconds(),
        },
        query.controls ? [...query.controls] : undefined,
      );
      return result.searchEntries[0];
    } catch (error) {
      if (error instanceof NoSuchObjectError) return undefined;
      throw this.sockets.failure(error, this.context({ operation: 'search', baseDn: dn }));
    }
  }

  /**
   * Every value of a multi-valued attribute, read in slices (`member;range=0-1499`, then from 1500, ...) until the
   * server marks the last slice with `*`. AD caps each reply at its MaxValRange whatever is asked; Samba returns
   * exactly the slice asked for; both are followed from the end the server reports.
   */
  async readAllValues(dn: string, attribute: string, options: { start?: number; step?: number } = {}): Promise<string[]> {
    const step = options.step ?? DEFAULT_RANGE_STEP;
    if (!Number.isInteger(step) || step < 1) throw new LdapScanError('usage', `range step must be a positive whole number; got ${step}`);
    const binary = bufferAttributeNames(BINARY_ATTRIBUTES);
    const isBinary = binary.some((name) => name.toLowerCase() === attribute.toLowerCase());
    const values: string[] = [];
    let start = options.start ?? 0;
    for (;;) {
      const requested = `${attribute};range=${start}-${start + step - 1}`;
      const result = await this.run({ operation: 'range', baseDn: dn }, () =>
        this.client.search(dn, {
          scope: 'base',
          filter: '(objectClass=*)',
          attributes: [requested],
          explicitBufferAttributes: isBinary ? [requested] : [],
          timeLimit: this.timeLimitSeconds(),
        }),
      );
      const entry = result.searchEntries[0];
      if (!entry) throw new LdapScanError('no-such-object', `${this.endpoint.url} (range): "${dn}" was not returned; it may not exist or not be readable`);
      const slice = findRangeSlice(entry, attribute);
      if (!slice) {
        // No ranged reply: a server without range support returns the whole attribute, or nothing when it is empty.
        if (start === (options.start ?? 0)) values.push(...plainValues(entry, attribute, isBinary));
        return values;
      }
      values.push(...slice.values.map((value) => valueToString(value, isBinary)));
      if (slice.high === undefined) return values;
      if (slice.high < start || slice.low !== start) {
        throw new LdapScanError('server', `${this.endpoint.url} (range): the server answered ${attribute};range=${start}-... with range ${slice.low}-${slice.high}; stopping to avoid a loop`);
      }
      start = slice.high + 1;
    }
  }

  /** Unbinds and closes; never throws (the connection may already be gone). */
  async close(): Promise<void> {
    try {
      await withDeadline(this.client.unbind(), 2000, () => new Error('unbind timed out'));
    } catch {
      // Closing is best effort: the server may have gone away, which is exactly when close() is called.
    } finally {
      this.sockets.destroyAll();
    }
  }

  private async run<T>(extra: ErrorContext, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw this.sockets.failure(error, this.context(extra));
    }
  }

  private context(extra: ErrorContext): ErrorContext {
    return { url: this.endpoint.url, bindDn: this.options.bindDn, connectTimeoutMs: this.options.connectTimeoutMs, timeoutMs: this.options.timeoutMs, ...extra };
  }

  // The server-side limit in whole seconds; ldapts would otherwise send its own default of 10 s.
  private timeLimitSeconds(): number {
    return Math.ceil(this.options.timeoutMs / 1000);
  }
}

export interface RangeSlice {
  low: number;
  /** undefined when the server marked this slice as the last one (`*`). */
  high: number | undefined;
  values: (string | Buffer)[];
}

/** Finds `attribute;range=low-high` (or `low-*`) among an entry's keys, case-insensitively. */
export function findRangeSlice(entry: Entry, attribute: string): RangeSlice | undefined {
  const prefix = `${attribute.toLowerCase()};range=`;
  for (const [key, value] of Object.entries(entry)) {
    if (!key.toLowerCase().startsWith(prefix)) continue;
    const match = /^(\d+)-(\d+|\*)$/.exec(key.slice(prefix.length));
    if (!match) continue;
    const values = Array.isArray(value) ? value : [value];
    // ldapts also lists the requested name with no values when the server answered under another range.
    if (values.length === 0 && match[2] !== '*') continue;
    return { low: Number(match[1]), high: match[2] === '*' ? undefined : Number(match[2]), values };
  }
  return undefined;
}

function plainValues(entry: Entry, attribute: string, binary: boolean): string[] {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => valueToString(item, binary));
}

export function valueToString(value: string | Buffer, binary: boolean): string {
  if (Buffer.isBuffer(value)) return binary ? value.toString('hex') : value.toString('utf8');
  return value;
}

// ldapts matches explicitBufferAttributes against the attribute name exactly as the server spells it.
function bufferAttributeNames(names: readonly string[]): string[] {
  return [...new Set(names.flatMap((name) => [name, name.toLowerCase()]))];
}

function buildTlsOptions(endpoint: Endpoint, resolved: ResolvedConnectOptions, ca: string | undefined): tls.ConnectionOptions {
  const options: tls.ConnectionOptions = { minVersion: 'TLSv1.2', host: endpoint.host };
  if (ca !== undefined) options.ca = [ca];
  if (resolved.insecureSkipVerify) options.rejectUnauthorized = false;
  // SNI and the identity check use `servername`; Node refuses an IP address there, so an address is checked
  // through checkServerIdentity instead.
  const expected = resolved.tlsServerName ?? endpoint.host;
  if (net.isIP(expected) === 0) options.servername = expected;
  else if (expected !== endpoint.host) options.checkServerIdentity = (_host, cert) => tls.checkServerIdentity(expected, cert);
  return options;
}

/**
 * Remembers every socket ldapts opens through it, so a stuck handshake can be torn down, and whether the server
 * was reached at all (to tell "cannot connect" from "bind failed").
 */
class SocketTracker {
  private readonly open = new Set<net.Socket>();
  private readonly watchers = new Map<net.Socket, (chunk: Buffer) => void>();
  reachedServer = false;
  private announceSecure: (socket: tls.TLSSocket) => void = () => undefined;
  /** Settles with the first TLS socket whose handshake completes, while it is still open. */
  readonly secured = new Promise<tls.TLSSocket>((resolve) => (this.announceSecure = resolve));

  /** `guard`: watches what the server sends (message sizes, referrals) and cuts the connection past a limit. */
  constructor(private readonly guard?: WireGuard) {}

  /** The error to report for `error`: the limit the server went past when the guard cut the connection. */
  failure(error: unknown, context: ErrorContext): LdapScanError {
    return this.guard?.exceeded ? limitError(this.guard.exceeded, context) : toLdapScanError(error, context);
  }

  wrap<F extends typeof net.connect | typeof tls.connect>(connect: F): F {
    const wrapped = (...args: unknown[]): net.Socket => {
      // StartTLS hands the plain socket to tls.connect: from then on it carries TLS records, not LDAP messages.
      const under = (args[0] as { socket?: unknown } | undefined)?.socket;
      if (under instanceof net.Socket) this.unwatch(under);
      const socket = (connect as unknown as (...a: unknown[]) => net.Socket)(...args);
      this.open.add(socket);
      socket.once('close', () => this.open.delete(socket));
      this.watch(socket);
      // For ldaps:// the server counts as reached only once TLS is up: a handshake failure is a connect failure.
      if (socket instanceof tls.TLSSocket) {
        socket.once('secureConnect', () => {
          this.reachedServer = true;
          this.announceSecure(socket);
        });
      } else {
        socket.once('connect', () => (this.reachedServer = true));
      }
      return socket;
    };
    return wrapped as unknown as F;
  }

  // Attached before ldapts' own listener, so a message over the limit is refused at its first bytes, not buffered.
  private watch(socket: net.Socket): void {
    if (!this.guard) return;
    const feed = this.guard.framer();
    const watcher = (chunk: Buffer): void => {
      if (!feed(chunk)) this.destroyAll();
    };
    this.watchers.set(socket, watcher);
    socket.on('data', watcher);
  }

  private unwatch(socket: net.Socket): void {
    const watcher = this.watchers.get(socket);
    if (watcher) socket.removeListener('data', watcher);
    this.watchers.delete(socket);
  }

  // TLS sockets go first: destroying the TCP socket under a StartTLS TLSSocket that has just completed its
  // handshake kills the Node 20 process outright (no exception, the worker just exits).
  destroyAll(): void {
    const sockets = [...this.open];
    for (const socket of sockets.filter((candidate) => candidate instanceof tls.TLSSocket)) socket.destroy();
    for (const socket of sockets.filter((candidate) => !(candidate instanceof tls.TLSSocket))) socket.destroy();
    this.open.clear();
  }
}

function formatName(name: tls.Certificate | undefined): string {
  return Object.entries(name ?? {})
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

/**
 * Node does not expose the certificate of a handshake it rejected, so after a verification failure a second,
 * unverified handshake reads it (for the error message only, nothing is sent over it but a rootDSE read or the
 * StartTLS request): its issuer tells the user which CA to pass, its dates when it expired. Bounded by the
 * connect and operation timeouts; any failure just leaves the details out.
 */
async function inspectCertificate(endpoint: Endpoint, resolved: ResolvedConnectOptions, verified: tls.ConnectionOptions): Promise<PeerCertificateInfo | undefined> {
  const sockets = new SocketTracker();
  const unverified: tls.ConnectionOptions = { ...verified, rejectUnauthorized: false, checkServerIdentity: () => undefined };
  const client = new Client({
    url: endpoint.url,
    connectTimeout: resolved.connectTimeoutMs,
    timeout: resolved.timeoutMs,
    ...(endpoint.secure ? { tlsOptions: unverified } : {}),
    createConnection: sockets.wrap(net.connect),
    createSecureConnection: sockets.wrap(tls.connect),
  });
  try {
    // ldaps:// connects on the first request; an anonymous base read of the rootDSE needs no bind.
    const handshake: Promise<unknown> = endpoint.secure ? client.search('', { scope: 'base', attributes: ['1.1'] }) : client.startTLS(unverified);
    const ended = handshake.then(
      () => undefined,
      () => undefined,
    );
    const socket = await withDeadline(Promise.race([sockets.secured, ended]), resolved.connectTimeoutMs + resolved.timeoutMs, () => new Error('timeout'));
    const cert = socket?.getPeerCertificate();
    if (!cert || Object.keys(cert).length === 0) return undefined;
    return {
      subject: formatName(cert.subject),
      issuer: formatName(cert.issuer),
      names: (cert.subjectaltname ?? '').split(',').map((name) => name.trim()).filter((name) => name !== ''),
      validFrom: cert.valid_from,
      validTo: cert.valid_to,
    };
  } catch {
    return undefined;
  } finally {
    sockets.destroyAll();
  }
}

function combineFailures(failures: LdapScanError[]): LdapScanError {
  const last = failures[failures.length - 1];
  if (!last) return new LdapScanError('usage', 'no server given');
  if (failures.length === 1) return last;
  return new LdapScanError(last.kind, `no server could be used: ${failures.map((failure) => failure.message).join('; ')}`, { cause: last });
}

/** `promise`, or `onExpire()`'s error after `ms`; the timer never outlives the race. */
export function withDeadline<T>(promise: Promise<T>, ms: number, onExpire: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onExpire()), ms);
  });
  // The losing promise may still reject later (its socket was destroyed); that rejection is expected and ignored.
  promise.catch(() => undefined);
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function firstString(value: Entry[string] | undefined): string | undefined {
  return toStrings(value)[0];
}

function toStrings(value: Entry[string] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => valueToString(item, false));
}

function optionalString<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
