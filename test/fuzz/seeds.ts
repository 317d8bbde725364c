// Seed files for the fuzzer: every file of the real-export corpus (../shared/realdata, whose top-level folders are
// the source repositories) and of samples/, classified by format, encoding, repository and Registry.pol hive, then
// picked deterministically from the seed so that every (repository, encoding, hive) bucket of a format is used
// before any bucket is used twice.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectFormat } from '../../src/pipeline/detect.js';
import type { InputFormat } from '../../src/model/settings.js';
import { createRng } from './rng.js';

export const PROJECT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const REALDATA = resolve(PROJECT, '../shared/realdata');

export type FuzzFormat = InputFormat | 'ldif';
export const FUZZ_FORMATS: readonly FuzzFormat[] = ['registry-pol', 'security-template', 'gpo-report', 'rsop', 'gpp-registry', 'gpp-power', 'backup-metadata', 'gpt-ini', 'ldif'];

export type ByteEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16le' | 'utf-16be-bom' | 'windows-1252' | 'binary';

export interface SeedFile {
  /** Absolute path of the original. */
  path: string;
  /** `realdata/<repo>/...` or `samples/...`: where it came from, and the layout the mutated copy is written in. */
  rel: string;
  /** The corpus repository (its top-level folder), or `samples`. */
  repo: string;
  format: FuzzFormat;
  encoding: ByteEncoding;
  hive?: 'Machine' | 'User';
  size: number;
  /** The content, for a seed made here rather than read from a file. */
  bytes?: Uint8Array;
}

/** The LDIF seed with GPO links and containers (the corpus's only LDIF is a schema export without any). */
export const LINKS_LDIF_OU = 'OU=WS,DC=corp,DC=test';
const guid = (n: number) => `{${String(n).repeat(8)}-1111-4111-8111-111111111111}`;
export const LINKS_LDIF = [
  'version: 1\n\ndn: DC=corp,DC=test\nobjectClass: domainDNS\ngPLink: [LDAP://cn=' + guid(4) + ',cn=policies,cn=system,DC=corp,DC=test;2]\n',
  `dn: ${LINKS_LDIF_OU}\nobjectClass: organizationalUnit\ngPOptions: 0\ngPLink: [LDAP://cn=${guid(1)},cn=policies,cn=system,DC=corp,DC=test;0][LDAP://cn=${guid(2)},cn=policies,cn=system,DC=corp,DC=test;1]\n`,
  ...[1, 2, 4].map((n) => `dn: CN=${guid(n)},CN=Policies,CN=System,DC=corp,DC=test\nobjectClass: groupPolicyContainer\ncn: ${guid(n)}\ndisplayName: Fuzz GPO ${n} with a name long enough to be folded by ldifde at seventy-six\n  characters\nflags: ${n === 2 ? 1 : 0}\nversionNumber: ${n * 65537}\ngPCFileSysPath: \\\\corp.test\\SysVol\\corp.test\\Policies\\${guid(n)}\ngPCMachineExtensionNames: [{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]\n`),
  'dn: CN=u1,OU=WS,DC=corp,DC=test\nobjectClass: user\nsAMAccountName: u1\nuserAccountControl: 512\nmemberOf: CN=Domain Admins,CN=Users,DC=corp,DC=test\nobjectSid:: AQUAAAAAAAUVAAAA0Jz4l0cTtLzWz9k+9AEAAA==\n',
].join('\n');


export function byteEncoding(bytes: Uint8Array): ByteEncoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le-bom';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be-bom';
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8-bom';
  let oddNuls = 0;
  for (let i = 1; i < Math.min(bytes.length, 400); i += 2) if (bytes[i] === 0) oddNuls++;
  if (bytes.length >= 4 && oddNuls > Math.min(bytes.length, 400) / 4) return 'utf-16le';
  if (bytes.includes(0)) return 'binary';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
}

let cache: SeedFile[] | undefined;

/** Every corpus and sample file gpaudit reads (or LDIF), classified. Sorted by path, so the order is stable. */
export function allSeedFiles(): SeedFile[] {
  if (cache) return cache;
  const files: string[] = [];
  try {
      walk(REALDATA, files);
  } catch {
    // No corpus here: samples only.
  }
  walk(join(PROJECT, 'samples'), files);
  for (const dir of ['test/fixtures/ldif', 'test/fixtures/ldap']) {
    try {
      walk(join(PROJECT, dir), files);
    } catch {
      // Fixture folder moved: fine, fewer LDIF seeds.
    }
  }
  const out: SeedFile[] = [];
  for (const path of files) {
    const size = statSync(path).size;
    if (size === 0 || size > 8 * 1024 * 1024) continue;
    const bytes = readFileSync(path);
    let format: FuzzFormat | undefined;
    if (/\.ldif$/i.test(path)) format = 'ldif';
    else {
      const d = detectFormat(bytes, basename(path));
      if (d.kind === 'supported') format = d.format;
    }
    if (!format) continue;
    const inCorpus = path.startsWith(REALDATA + '/');
    const rel = inCorpus ? `realdata/${relative(REALDATA, path)}` : relative(PROJECT, path);
    const repo = inCorpus ? rel.split('/')[1]! : rel.startsWith('test/') ? 'fixtures' : 'samples';
    if (repo === 'fixtures' && format !== 'ldif') continue;
    const hiveMatch = format === 'registry-pol' ? /(?:^|\/)(machine|user)\//i.exec(rel) : null;
    const hive = hiveMatch ? (hiveMatch[1]!.toLowerCase() === 'machine' ? 'Machine' : 'User') : undefined;
    out.push({ path, rel, repo, format, encoding: byteEncoding(bytes), ...(hive ? { hive } : {}), size });
  }
  const synthetic = new TextEncoder().encode(LINKS_LDIF);
  out.push({ path: '', rel: 'synthetic/links.ldif', repo: 'synthetic', format: 'ldif', encoding: 'utf-8', size: synthetic.length, bytes: synthetic });
  cache = out;
  return out;
}

export function bucketOf(f: SeedFile): string {
  return `${f.repo}|${f.encoding}|${f.hive ?? ''}`;
}

/**
 * Up to `max` seeds of one format no larger than `maxBytes` (a bucket whose files are all larger still gives its
 * smallest one, so no encoding or repository is left out): shuffled within each bucket by the seed, then taken
 * round-robin over the buckets.
 */
export function pickSeeds(format: FuzzFormat, seed: string | number, max: number, maxBytes: number): SeedFile[] {
  const rng = createRng(`seeds:${seed}:${format}`);
  const buckets = new Map<string, SeedFile[]>();
  for (const f of allSeedFiles()) {
    if (f.format !== format) continue;
    const key = bucketOf(f);
    buckets.set(key, [...(buckets.get(key) ?? []), f]);
  }
  const lists: SeedFile[][] = [];
  for (const key of [...buckets.keys()].sort()) {
    const all = buckets.get(key)!;
    let small = all.filter((f) => f.size <= maxBytes);
    if (small.length === 0) small = [all.reduce((a, b) => (b.size < a.size ? b : a))];
    for (let i = small.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [small[i], small[j]] = [small[j]!, small[i]!];
    }
    lists.push(small);
  }
  const picked: SeedFile[] = [];
  for (let round = 0; picked.length < max && lists.some((l) => l.length > round); round++) {
    for (const l of lists) if (l[round] && picked.length < max) picked.push(l[round]!);
  }
  return picked;
}

export function seedBytes(f: SeedFile): Uint8Array {
  return f.bytes ?? readFileSync(f.path);
}
