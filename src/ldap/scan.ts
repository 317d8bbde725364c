// `gpaudit ldap scan`: stream the directory's users, one page at a time, as DirectoryUser records.
import { performance } from 'node:perf_hooks';
import type { Entry } from 'ldapts';
import { BINARY_ATTRIBUTES, LdapConnection, valueToString, type ConnectHooks } from './client.js';
import { resolveConnectOptions, type ConnectOptions } from './connect-options.js';
import { LdapScanError } from './errors.js';
import { WireFilter, assertAttributeDescription, buildUserFilter, type UserFilter, type UserFilterOptions } from './filter.js';
import { USER_ATTRIBUTES } from './types.js';
import { type DirectorySource, type DirectoryUser } from '../model/directory.js';

export interface ScanOptions extends UserFilterOptions {
  /** Attributes to read for each user (default USER_ATTRIBUTES); sAMAccountName is always added. */
  attributes?: readonly string[];
  /** Entries per page; default: the connection's pageSize. */
  pageSize?: number;
  /** Slice size when a multi-valued attribute comes back ranged and the rest must be fetched. */
  rangeStep?: number;
  /** After each page; awaited, so a slow consumer slows the scan instead of queueing pages. */
  onProgress?: (progress: ScanProgress) => void | Promise<void>;
  /** Once per distinct continuation reference (a referral to another naming context; never followed). */
  onReference?: (url: string) => void;
}

export interface ScanProgress {
  scanned: number;
  pages: number;
  references: number;
  elapsedMs: number;
}

export interface ScanSummary {
  source: DirectorySource;
  /** The filter sent, with every value escaped. */
  filter: string;
  scanned: number;
  pages: number;
  /** Distinct continuation references (at most MAX_REFERENCES kept); they were reported, not followed. */
  references: string[];
  referencesOmitted: number;
  elapsedMs: number;
}

/** Continuation references kept in a summary; a hostile server could send millions. */
export const MAX_REFERENCES = 100;
/** Distinct references remembered for de-duplication; past this, repeats are counted again. */
const MAX_REFERENCES_SEEN = 10_000;

/**
 * Yields every matching user and returns the summary. Memory holds one page (plus the reference list), whatever
 * the number of users.
 */
export async function* scanUsers(connection: LdapConnection, options: ScanOptions = {}): AsyncGenerator<DirectoryUser, ScanSummary, undefined> {
  const scan = await startScan(connection, options);
  for await (const page of connection.searchPages(scan.pageQuery)) {
    scan.pages++;
    for (const url of page.references) scan.references.add(url);
    for (const entry of page.entries) {
      const user = plainUser(entry, scan.attributes) ?? (await toDirectoryUser(entry, scan.attributes, connection, options.rangeStep));
      scan.scanned++;
      yield user;
    }
    await options.onProgress?.(scan.progress());
  }
  return scan.summary();
}

/**
 * The same scan as scanUsers, handing each user to `onUser` instead of yielding it: no promise per user unless an
 * entry needs more reads (ranged values) or `onUser` returns one, which a scan of a million users notices.
 */
async function scanEach(connection: LdapConnection, options: ScanOptions, onUser: (user: DirectoryUser) => void | Promise<void>): Promise<ScanSummary> {
  const scan = await startScan(connection, options);
  for await (const page of connection.searchPages(scan.pageQuery)) {
    scan.pages++;
    for (const url of page.references) scan.references.add(url);
    for (const entry of page.entries) {
      const user = plainUser(entry, scan.attributes) ?? (await toDirectoryUser(entry, scan.attributes, connection, options.rangeStep));
      scan.scanned++;
      const pending = onUser(user);
      if (pending) await pending;
    }
    await options.onProgress?.(scan.progress());
  }
  return scan.summary();
}

async function startScan(connection: LdapConnection, options: ScanOptions) {
  const started = performance.now();
  const filter = buildUserFilter(options);
  const attributes = requestedAttributes(options.attributes);
  const baseDn = await connection.baseDn();
  const references = new ReferenceLog(options.onReference);
  const scan = {
    attributes,
    references,
    scanned: 0,
    pages: 0,
    pageQuery: {
      baseDn,
      filter: new WireFilter(filter.node),
      attributes,
      ...(options.pageSize !== undefined ? { pageSize: checkPageSize(options.pageSize) } : {}),
    },
    progress: (): ScanProgress => ({ scanned: scan.scanned, pages: scan.pages, references: references.count, elapsedMs: performance.now() - started }),
    summary: (): ScanSummary => ({
      source: { server: connection.endpoint.url, baseDn },
      filter: filter.text,
      scanned: scan.scanned,
      pages: scan.pages,
      references: references.kept,
      referencesOmitted: references.count - references.kept.length,
      elapsedMs: performance.now() - started,
    }),
  };
  return scan;
}

/**
 * Connects, scans and disconnects: the one call `gpaudit ldap scan` needs. Options and filter are checked before
 * anything is sent, so a usage error or a refused plaintext bind never touches the network.
 */
export async function runScan(
  connect: ConnectOptions,
  options: ScanOptions & { onUser: (user: DirectoryUser) => void | Promise<void> },
  hooks: ConnectHooks = {},
): Promise<ScanSummary> {
  checkScanOptions(options);
  const resolved = resolveConnectOptions(connect);
  const connection = await LdapConnection.open(resolved, hooks);
  try {
    return await scanEach(connection, options, options.onUser);
  } finally {
    await connection.close();
  }
}

/** Validates the scan's filter, attributes and sizes without connecting; returns the filter that would be sent. */
export function checkScanOptions(options: ScanOptions): UserFilter {
  const filter = buildUserFilter(options);
  requestedAttributes(options.attributes);
  if (options.pageSize !== undefined) checkPageSize(options.pageSize);
  if (options.rangeStep !== undefined && (!Number.isInteger(options.rangeStep) || options.rangeStep < 1)) {
    throw new LdapScanError('usage', `range step must be a positive whole number; got ${options.rangeStep}`);
  }
  return filter;
}

function requestedAttributes(attributes: readonly string[] = USER_ATTRIBUTES): string[] {
  for (const attribute of attributes) assertAttributeDescription(attribute);
  const names = [...attributes];
  if (!names.some((name) => name.toLowerCase() === 'samaccountname')) names.unshift('sAMAccountName');
  return names;
}

function checkPageSize(pageSize: number): number {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100_000) throw new LdapScanError('usage', `--page-size must be a whole number from 1 to 100000; got ${pageSize}`);
  return pageSize;
}

const RANGED = /^([^;]+);range=(\d+)-(\d+|\*)$/i;
const BINARY = new Set(BINARY_ATTRIBUTES.map((name) => name.toLowerCase()));

interface KeyInfo {
  /** The key lower-cased, options kept (as toDirectoryUser names it). */
  name: string;
  binary: boolean;
  /** `name;range=low-high`: part of the values, to be completed by toDirectoryUser. */
  ranged: boolean;
}

// Attribute names as servers spell them repeat on every entry: look each one up once, not once per user.
const KEY_INFO = new Map<string, KeyInfo>();
const KEY_INFO_LIMIT = 4096;

function keyInfo(key: string): KeyInfo {
  let info = KEY_INFO.get(key);
  if (info === undefined) {
    const name = key.toLowerCase();
    info = { name, binary: BINARY.has(baseName(name)), ranged: RANGED.test(key) };
    // A hostile server could invent names without end; the cache is only an optimisation.
    if (KEY_INFO.size >= KEY_INFO_LIMIT) KEY_INFO.clear();
    KEY_INFO.set(key, info);
  }
  return info;
}

const REQUESTED_NAMES = new WeakMap<readonly string[], string[]>();

function requestedNames(requested: readonly string[]): string[] {
  let names = REQUESTED_NAMES.get(requested);
  if (names === undefined) {
    names = requested.map(baseName);
    REQUESTED_NAMES.set(requested, names);
  }
  return names;
}

/**
 * toDirectoryUser without the reads: the user when no attribute came back ranged (every entry of an ordinary
 * scan), else undefined and toDirectoryUser does the work. Same result as toDirectoryUser for such an entry.
 */
export function plainUser(entry: Entry, requested: readonly string[]): DirectoryUser | undefined {
  const attributes: Record<string, string[]> = {};
  for (const name of requestedNames(requested)) attributes[name] = [];
  for (const key of Object.keys(entry)) {
    if (key === 'dn') continue;
    const info = keyInfo(key);
    if (info.ranged) return undefined;
    const raw = entry[key] as Entry[string];
    const values = Array.isArray(raw) ? raw : [raw];
    // An empty list is ldapts' placeholder for a requested name the server did not return.
    if (values.length === 0) continue;
    const strings = new Array<string>(values.length);
    for (let i = 0; i < values.length; i++) strings[i] = valueToString(values[i] as string | Buffer, info.binary);
    attributes[info.name] = strings;
  }
  const sam = attributes['samaccountname']?.[0];
  return { dn: entry.dn, ...(sam !== undefined ? { sAMAccountName: sam } : {}), attributes };
}

/**
 * Normalises an ldapts entry: lower-cased names, arrays of strings, binary values as hex, and ranged attributes
 * (`member;range=0-1499`, as AD returns past its MaxValRange) completed by reading the remaining slices.
 */
export async function toDirectoryUser(entry: Entry, requested: readonly string[], connection?: LdapConnection, rangeStep?: number): Promise<DirectoryUser> {
  const attributes: Record<string, string[]> = {};
  for (const name of requested) attributes[baseName(name)] = [];
  for (const [key, raw] of Object.entries(entry)) {
    if (key === 'dn') continue;
    const values = Array.isArray(raw) ? raw : [raw];
    const ranged = RANGED.exec(key);
    if (!ranged) {
      const name = key.toLowerCase();
      // An empty list is ldapts' placeholder for a requested name the server did not return (or returned ranged).
      if (values.length === 0) continue;
      attributes[name] = values.map((value) => valueToString(value, BINARY.has(baseName(name))));
      continue;
    }
    const [, attribute = '', low = '0', high = '*'] = ranged;
    // ldapts lists each requested name even when the server answered under another range; those are empty.
    if (values.length === 0 && high !== '*') continue;
    const name = attribute.toLowerCase();
    const binary = BINARY.has(name);
    const collected = [...(attributes[name] ?? []), ...values.map((value) => valueToString(value, binary))];
    if (high !== '*') {
      if (!connection) throw new LdapScanError('server', `${entry.dn}: ${key} is only part of the values and there is no connection to read the rest`);
      // Continue in slices as large as the server chose (its MaxValRange) unless told otherwise.
      const step = rangeStep ?? Math.max(1, Number(high) - Number(low) + 1);
      collected.push(...(await connection.readAllValues(entry.dn, attribute, { start: Number(high) + 1, step })));
    }
    attributes[name] = collected;
  }
  const sam = attributes['samaccountname']?.[0];
  return { dn: entry.dn, ...(sam !== undefined ? { sAMAccountName: sam } : {}), attributes };
}

function baseName(attribute: string): string {
  return attribute.toLowerCase().replace(/;range=.*$/, '');
}

class ReferenceLog {
  readonly kept: string[] = [];
  private readonly seen = new Set<string>();
  count = 0;

  constructor(private readonly onReference?: (url: string) => void) {}

  add(url: string): void {
    if (this.seen.has(url)) return;
    if (this.seen.size < MAX_REFERENCES_SEEN) this.seen.add(url);
    this.count++;
    if (this.kept.length < MAX_REFERENCES) this.kept.push(url);
    this.onReference?.(url);
  }
}
