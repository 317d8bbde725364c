#!/usr/bin/env node
// `npm run bench:policy` (issue 9, "Speed"): `gpaudit policy --ou` against the Samba DC seeded with 1,000 GPOs over 201
// OUs (scripts/samba/seed-policy.sh), compared with a baseline measured in the same run: the same LDAP reads done by
// `ldapsearch`, plus `gpaudit settings` over the SYSVOL folders of the GPOs that reach the OU. Target: gpaudit ≤ 1.5×
// the baseline. Prints medians, the ratio, PASS/MISS and peak RSS; fails when a tool fails, when gpaudit's applied
// GPOs differ from the bench's own walk of the gPLink values, when gpaudit reads another GPO's folder, or when its
// LDAP reads are not the ones the baseline makes.
//
//   node bench/policy/run.mjs [--rounds 5] [--ous deep,shallow] [--profile] [--cli dist/cli/main.js]
//                             [--out $TMPDIR/gpaudit-bench-policy/last-run.json]
//
// It builds the template if missing (scripts/samba/seed-policy.sh; 12–24 s), then runs itself inside
// `seed-policy.sh -- …` (restore, start the DC, measure, stop). That holds the DC's session lock, so a test run waits
// for the bench and the other way round. Only 127.0.0.1. Run under `seed-policy.sh -- node bench/policy/run.mjs`
// itself, it measures that DC directly.
//
// Per OU (the deepest, OU=A1a,OU=A1,OU=A,OU=T07,OU=Bench, whose path has block inheritance, enforced and disabled
// links, a filtered, a flags-3, a version-0 and a folderless GPO; and a shallow one, OU=T02,OU=Bench):
// 1. One untimed check run of gpaudit under strace and an ldapts trace (bench/policy/ldap-trace.mjs), and one of the
//    baseline's ldapsearch reads, whose output feeds the bench's own MS-GPOL walk (walk() below: gPLink order,
//    disabled and enforced links, block inheritance, GPO flags, per-side versions, the DACL's Read and Apply Group
//    Policy for Authenticated Users / Everyone / Domain Computers or Users, SYSVOL folder present). The walk's
//    reaching GPOs are the folders the baseline's `gpaudit settings` reads; gpaudit's applied lists (both sides, in
//    precedence order) must equal the walk's, and the folders gpaudit opened files in must be exactly those.
// 2. Rounds, the order of gpaudit and the baseline swapped every round; each process under /usr/bin/time. The
//    verdict is on medians of wall time. The baseline runs one ldapsearch per read (a base read needs its own
//    process), each with its own start, connection and bind; an estimate as if they shared one connection (less
//    the rootDSE read's time for every process but one) is printed beside it, not judged.
// A CPU profile of one gpaudit run is taken with --profile, or by itself when the ratio misses the target.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { summariseProfile } from '../lib/profile.mjs';
import { quantile, table } from '../lib/stats.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const SEED_POLICY = join(ROOT, 'scripts', 'samba', 'seed-policy.sh');
const LDAP_TRACE = join(HERE, 'ldap-trace.mjs');
const SCRATCH = join(process.env.TMPDIR || tmpdir(), 'gpaudit-bench-policy');
const TIME = '/usr/bin/time';
const TARGET_RATIO = 1.5;
const PAGE_SIZE = 1000;
/** SD flags control, DACL only: BER SEQUENCE { INTEGER 4 }, base64 (what gpaudit's SdFlagsControl sends). */
const SD_FLAGS_DACL = '1.2.840.113556.1.4.801=::MAMCAQQ=';
const SOM_ATTRIBUTES = ['objectClass', 'gPLink', 'gPOptions', 'objectSid'];
const GPC_ATTRIBUTES = ['cn', 'displayName', 'flags', 'versionNumber', 'gPCFileSysPath', 'gPCWQLFilter', 'gPCMachineExtensionNames', 'gPCUserExtensionNames', 'nTSecurityDescriptor'];
const SID_BATCH = 50;
const MB = 1e6;

function parseArgs(argv) {
  const args = { rounds: 5, ous: ['deep', 'shallow'], profile: false, cli: join(ROOT, 'dist', 'cli', 'main.js'), out: join(SCRATCH, 'last-run.json'), inside: false, result: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rounds') args.rounds = Number(argv[++i]);
    else if (a === '--ous') args.ous = argv[++i].split(',');
    else if (a === '--profile') args.profile = true;
    else if (a === '--cli') args.cli = resolve(argv[++i]);
    else if (a === '--out') args.out = resolve(argv[++i]);
    else if (a === '--inside') args.inside = true;
    else if (a === '--result') args.result = argv[++i];
    else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(args.rounds) || args.rounds < 1) throw new Error('--rounds takes a whole number of at least 1');
  if (!args.ous.length || args.ous.some((o) => o !== 'deep' && o !== 'shallow')) throw new Error('--ous takes deep, shallow or both, comma-separated');
  return args;
}

// ---------------------------------------------------------------------------------------------------------------
// Processes: wall time from spawn to exit; /usr/bin/time -f '%e %U %S %M' for its own elapsed time, CPU time (user +
// system: the client's own work, without the server's; shown for the node processes only, since each ldapsearch uses
// less than the 10 ms /usr/bin/time can show) and peak RSS.

function runOnce(label, file, argv, { env = process.env, stdoutTo = '/dev/null', okStatus = [0] } = {}) {
  mkdirSync(SCRATCH, { recursive: true });
  const timeFile = join(SCRATCH, `time-${process.pid}.txt`);
  rmSync(timeFile, { force: true });
  const [cmd, args] = existsSync(TIME) ? [TIME, ['-f', '%e %U %S %M', '-o', timeFile, file, ...argv]] : [file, argv];
  const out = openSync(stdoutTo, 'w');
  let child;
  const t0 = performance.now();
  try {
    child = spawnSync(cmd, args, { cwd: ROOT, env, stdio: ['ignore', out, 'pipe'], encoding: 'utf8', maxBuffer: 16 << 20 });
  } finally {
    closeSync(out);
  }
  const ms = performance.now() - t0;
  if (child.error) throw child.error;
  if (!okStatus.includes(child.status)) throw new Error(`${label} exited ${child.status}: ${child.stderr.slice(0, 1500)}`);
  const [elapsed, user, system, rssKb] = existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [];
  rmSync(timeFile, { force: true });
  return { ms, elapsedS: elapsed, cpuMs: user === undefined ? undefined : (user + system) * 1000, rssKb, stderr: child.stderr };
}

// ---------------------------------------------------------------------------------------------------------------
// The commands.

function dcFromEnv(env) {
  const url = env.GPAUDIT_SAMBA_URL;
  if (!url) throw new Error('GPAUDIT_SAMBA_URL is not set: run under scripts/samba/seed-policy.sh -- … (or without --inside)');
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`the policy bench only talks to 127.0.0.1; GPAUDIT_SAMBA_URL is ${url}`);
  for (const name of ['GPAUDIT_SAMBA_SYSVOL', 'GPAUDIT_SAMBA_POLICY_OU', 'GPAUDIT_SAMBA_POLICY_SHALLOW_OU']) {
    if (!env[name]) throw new Error(`${name} is not set: run under scripts/samba/seed-policy.sh -- …`);
  }
  const manifest = env.GPAUDIT_SAMBA_POLICY_MANIFEST && existsSync(env.GPAUDIT_SAMBA_POLICY_MANIFEST) ? JSON.parse(readFileSync(env.GPAUDIT_SAMBA_POLICY_MANIFEST, 'utf8')) : {};
  return {
    bindDn: env.GPAUDIT_SAMBA_BIND_DN,
    password: env.GPAUDIT_SAMBA_PASSWORD,
    sysvol: env.GPAUDIT_SAMBA_SYSVOL,
    ous: { deep: env.GPAUDIT_SAMBA_POLICY_OU, shallow: env.GPAUDIT_SAMBA_POLICY_SHALLOW_OU },
    manifest,
  };
}

function gpauditArgs(cli, dc, ou, output) {
  return [cli, 'policy', '--ou', ou, '--url', 'ldap://127.0.0.1', '--bind-dn', dc.bindDn, '--allow-plaintext', '--sysvol', dc.sysvol, '--format', 'json', '-o', output];
}

/** The CLI as a reader would type it: relative inside the project, else absolute (a --cli copy elsewhere). */
const shownCli = (cli) => (relative(ROOT, cli).startsWith('..') ? cli : relative(ROOT, cli));

function shownGpaudit(cli, dc, ou) {
  return `GPAUDIT_LDAP_PASSWORD="$GPAUDIT_SAMBA_PASSWORD" node ${shownCli(cli)} policy --ou '${ou}' --url ldap://127.0.0.1 --bind-dn ${dc.bindDn} --allow-plaintext --sysvol "$GPAUDIT_SAMBA_SYSVOL" --format json -o /dev/null`;
}

/** The DN and each one above it, nearest first, as gpaudit walks them (it stops at the first domainDNS). */
function pathOf(dn) {
  const rdns = dn.split(/,(?=[A-Za-z]+=)/);
  return rdns.map((_, i) => rdns.slice(i).join(','));
}

/** One ldapsearch read: `-LLL -o ldif-wrap=no`, simple bind over ldap:// as gpaudit does. */
function ldapsearch(dc, { base, scope, filter, attributes, paged = false, sdFlags = false }) {
  const args = ['-LLL', '-x', '-o', 'ldif-wrap=no', '-H', 'ldap://127.0.0.1', '-D', dc.bindDn, '-w', dc.password, '-s', scope, '-b', base];
  if (paged) args.push('-E', `pr=${PAGE_SIZE}/noprompt`);
  if (sdFlags) args.push('-E', SD_FLAGS_DACL);
  args.push(filter, ...attributes);
  const shown = ['ldapsearch', ...args.map((a) => (a === dc.password ? '"$GPAUDIT_SAMBA_PASSWORD"' : a === '' || /[\s()|&!*$\\;'"]/.test(a) ? `'${a}'` : a))].join(' ');
  return { file: 'ldapsearch', args, shown, read: { base, scope, attributes } };
}

/** The reads that do not depend on what the directory holds: the path, the rootDSE, the crossRef, the GPCs. */
function fixedReads(dc, ou) {
  const path = pathOf(ou);
  const domainDn = path.find((dn) => /^DC=/i.test(dn));
  const reads = path.slice(0, path.indexOf(domainDn) + 1).map((dn) => ({ name: 'path', ...ldapsearch(dc, { base: dn, scope: 'base', filter: '(objectClass=*)', attributes: SOM_ATTRIBUTES }) }));
  reads.push({
    name: 'gpcs',
    ...ldapsearch(dc, { base: `CN=Policies,CN=System,${domainDn}`, scope: 'one', filter: '(objectClass=groupPolicyContainer)', attributes: GPC_ATTRIBUTES, paged: true, sdFlags: true }),
  });
  reads.push({ name: 'rootdse', ...ldapsearch(dc, { base: '', scope: 'base', filter: '(objectClass=*)', attributes: ['configurationNamingContext'] }) });
  return { reads, domainDn };
}

/** The crossRef read and the objectSid searches, which need the configuration NC and the SIDs the DACLs name. */
function dependentReads(dc, domainDn, configurationNc, sids) {
  const reads = [
    {
      name: 'crossref',
      ...ldapsearch(dc, { base: `CN=Partitions,${configurationNc}`, scope: 'one', filter: `(&(objectClass=crossRef)(nCName=${domainDn}))`, attributes: ['nETBIOSName'], paged: true }),
    },
  ];
  for (let i = 0; i < sids.length; i += SID_BATCH) {
    const filter = `(|${sids.slice(i, i + SID_BATCH).map((sid) => `(objectSid=${escapeBytes(sidBytes(sid))})`).join('')})`;
    reads.push({ name: 'sids', ...ldapsearch(dc, { base: domainDn, scope: 'sub', filter, attributes: ['objectSid', 'sAMAccountName'], paged: true }) });
  }
  return reads;
}

// ---------------------------------------------------------------------------------------------------------------
// LDIF, SIDs and DACLs: just enough to walk the links, written here so the check does not lean on gpaudit's code.

function parseLdif(text) {
  const records = [];
  for (const block of text.replace(/\r?\n /g, '').split(/\n{2,}/)) {
    const attrs = new Map();
    let dn;
    for (const line of block.split('\n')) {
      const m = /^([A-Za-z0-9;-]+)(::?) ?(.*)$/.exec(line);
      if (!m) continue;
      const value = m[2] === '::' ? Buffer.from(m[3], 'base64') : m[3];
      if (m[1].toLowerCase() === 'dn') dn = value.toString();
      else attrs.set(m[1].toLowerCase(), [...(attrs.get(m[1].toLowerCase()) ?? []), value]);
    }
    if (dn !== undefined) records.push({ dn, attrs });
  }
  return records;
}

const text = (record, name) => record.attrs.get(name.toLowerCase())?.[0]?.toString();

function sidString(buf, at = 0) {
  const count = buf[at + 1];
  const authority = buf.readUIntBE(at + 2, 6);
  const subs = Array.from({ length: count }, (_, i) => buf.readUInt32LE(at + 8 + 4 * i));
  return `S-${buf[at]}-${authority}${subs.map((s) => `-${s}`).join('')}`;
}

function sidBytes(sid) {
  const [, revision, authority, ...subs] = sid.split('-');
  const buf = Buffer.alloc(8 + 4 * subs.length);
  buf[0] = Number(revision);
  buf[1] = subs.length;
  buf.writeUIntBE(Number(authority), 2, 6);
  subs.forEach((s, i) => buf.writeUInt32LE(Number(s), 8 + 4 * i));
  return buf;
}

const escapeBytes = (buf) => [...buf].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');

// Apply Group Policy, edacfd8f-ffb3-11d1-b41d-00a0c968f939, as stored (first three fields little-endian).
const APPLY_GROUP_POLICY = Buffer.from('8ffdacedb3ffd111b41d00a0c968f939', 'hex');
const RIGHT = { READ_PROPERTY: 0x10, CONTROL_ACCESS: 0x100, GENERIC_ALL: 0x10000000, GENERIC_READ: 0x80000000 };
const INHERIT_ONLY = 0x08;

/** The DACL's ACEs as { allow, sid, read, apply }; null for a NULL DACL (everyone has every right). */
function daclOf(sd) {
  const control = sd.readUInt16LE(2);
  const at = sd.readUInt32LE(16);
  if (!(control & 0x0004) || at === 0) return null;
  const aces = [];
  let p = at + 8;
  for (let n = sd.readUInt16LE(at + 4); n > 0; n--) {
    const [type, flags, size] = [sd[p], sd[p + 1], sd.readUInt16LE(p + 2)];
    const mask = sd.readUInt32LE(p + 4);
    let sidAt = p + 8;
    let objectType;
    if (type === 5 || type === 6) {
      const objectFlags = sd.readUInt32LE(p + 8);
      sidAt = p + 12;
      if (objectFlags & 1) {
        objectType = sd.subarray(sidAt, sidAt + 16);
        sidAt += 16;
      }
      if (objectFlags & 2) sidAt += 16;
    }
    if ([0, 1, 5, 6].includes(type) && !(flags & INHERIT_ONLY)) {
      const all = (mask & RIGHT.GENERIC_ALL) !== 0;
      aces.push({
        allow: type === 0 || type === 5,
        sid: sidString(sd, sidAt),
        // A property-specific Read (an object ACE with an object type) is not Read of the GPO.
        read: all || (mask & RIGHT.GENERIC_READ) !== 0 || ((mask & RIGHT.READ_PROPERTY) !== 0 && !objectType),
        apply: all || ((mask & RIGHT.CONTROL_ACCESS) !== 0 && (!objectType || objectType.equals(APPLY_GROUP_POLICY))),
      });
    }
    p += size;
  }
  return aces;
}

/** Read and Apply Group Policy held by the given principals between them, and no deny of either to any of them. */
function appliesTo(dacl, principals) {
  if (dacl === null) return true;
  const mine = dacl.filter((a) => principals.includes(a.sid));
  if (mine.some((a) => !a.allow && (a.read || a.apply))) return false;
  return mine.some((a) => a.allow && a.read) && mine.some((a) => a.allow && a.apply);
}

const GUID_IN_DN = /^CN=(\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\})/i;

function parseGpLink(value) {
  const links = [];
  for (const m of (value ?? '').matchAll(/\[LDAP:\/\/([^;\]]+);(\d+)\]/gi)) {
    const id = GUID_IN_DN.exec(m[1])?.[1]?.toUpperCase();
    if (!id) throw new Error(`gPLink entry without a GPO GUID: ${m[0]}`);
    links.push({ id, options: Number(m[2]) });
  }
  return links;
}

/**
 * MS-GPOL 3.2.5.1 GPO list, one side: containers from the domain head down to the OU; within one, the gPLink entries
 * in the order written (the first has the highest link order, the last is link order 1 and is applied last);
 * disabled links (option bit 0) skipped; a container below that blocks inheritance (gPOptions bit 0) drops the
 * non-enforced links above it; enforced links (bit 1) are applied after all others, from the OU's own up to the
 * domain head's, so the highest enforced link wins. A GPO in the list twice counts once, at its last place. Then
 * per side: flags (1 user, 2 computer disabled), that side's version (0 = empty), security filtering and the SYSVOL
 * folder. Returns the applied GPO ids, precedence 1 first.
 */
function walk({ soms, gpcs, folders, domainSid }, side) {
  const normal = [];
  const enforcedBySom = [];
  soms.forEach((som, i) => {
    const blocked = soms.slice(i + 1).some((below) => below.block);
    const enforced = [];
    for (const link of som.links) {
      if (link.options & 1) continue;
      if (link.options & 2) enforced.push(link.id);
      else if (!blocked) normal.push(link.id);
    }
    enforcedBySom.push(enforced);
  });
  const order = [...normal, ...enforcedBySom.reverse().flat()];
  const applied = order.filter((id, i) => order.lastIndexOf(id) === i);
  const principals = ['S-1-5-11', 'S-1-1-0', `${domainSid}-${side === 'computer' ? 515 : 513}`];
  return applied
    .filter((id) => {
      const gpc = gpcs.get(id);
      if (!gpc) return false;
      if (gpc.flags & (side === 'computer' ? 2 : 1)) return false;
      if ((side === 'computer' ? gpc.versionNumber & 0xffff : gpc.versionNumber >>> 16) === 0) return false;
      if (!appliesTo(gpc.dacl, principals)) return false;
      return folders.has(id);
    })
    .reverse();
}

/** The walk's input from the baseline's ldapsearch output: the path (domain head first), the GPCs, the folders. */
function walkInput(outputs, sysvol) {
  const soms = outputs.path
    .map((ldif) => parseLdif(ldif)[0])
    .filter(Boolean)
    .reverse();
  const domainIndex = soms.findIndex((r) => r.attrs.get('objectclass')?.some((c) => /^domainDNS$/i.test(c.toString())));
  if (domainIndex < 0) throw new Error('the path reads returned no domainDNS object');
  const domainSid = sidString(soms[domainIndex].attrs.get('objectsid')[0]);
  const path = soms.slice(domainIndex).map((r) => ({ dn: r.dn, links: parseGpLink(text(r, 'gPLink')), block: (Number(text(r, 'gPOptions') ?? 0) & 1) === 1 }));
  const gpcs = new Map();
  for (const r of parseLdif(outputs.gpcs)) {
    const id = GUID_IN_DN.exec(r.dn)?.[1]?.toUpperCase();
    const sd = r.attrs.get('ntsecuritydescriptor')?.[0];
    if (!id || !Buffer.isBuffer(sd)) throw new Error(`a groupPolicyContainer without a GUID or a security descriptor: ${r.dn}`);
    gpcs.set(id, { flags: Number(text(r, 'flags') ?? 0), versionNumber: Number(text(r, 'versionNumber') ?? 0), dacl: daclOf(sd) });
  }
  const folders = new Set(
    readdirSync(sysvol, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name.toUpperCase()),
  );
  return { soms: path, gpcs, folders, domainSid };
}

/**
 * Domain SIDs of the ACEs that grant or deny Read or Apply Group Policy on the GPOs linked on the path (no other GPO
 * can reach the OU): the ones gpaudit names by objectSid searches.
 */
function sidsToResolve(gpcs, domainSid, soms) {
  const onPath = new Set(soms.flatMap((s) => s.links.map((l) => l.id)));
  const sids = new Set();
  for (const [id, gpc] of gpcs) {
    if (!onPath.has(id)) continue;
    for (const ace of gpc.dacl ?? []) if ((ace.read || ace.apply) && ace.sid.startsWith(`${domainSid}-`)) sids.add(ace.sid);
  }
  return [...sids];
}

// ---------------------------------------------------------------------------------------------------------------
// The check run: what gpaudit reads (LDAP trace, strace of the files it opens) against the walk and the baseline.

function checkRun(args, dc, ou, env) {
  const label = ou.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 60);
  const report = join(SCRATCH, `check-${label}.json`);
  const trace = join(SCRATCH, `check-${label}.ldap.jsonl`);
  const straced = join(SCRATCH, `check-${label}.strace`);
  for (const f of [report, trace, straced]) rmSync(f, { force: true });
  runOnce('gpaudit policy (check run)', 'strace', ['-f', '-qq', '-e', 'trace=openat,open', '-o', straced, process.execPath, '--import', LDAP_TRACE, ...gpauditArgs(args.cli, dc, ou, report)], {
    env: { ...env, GPAUDIT_BENCH_LDAP_TRACE: trace },
  });
  const policy = JSON.parse(readFileSync(report, 'utf8'));
  const ldapOps = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

  // The baseline's reads, run once with their output kept: the walk's input.
  const { reads, domainDn } = fixedReads(dc, ou);
  const outputs = { path: [] };
  const capture = (read) => {
    const file = join(SCRATCH, `check-${label}.ldif`);
    runOnce(`ldapsearch (${read.name})`, read.file, read.args, { stdoutTo: file, okStatus: [0, 32] });
    const out = readFileSync(file, 'utf8');
    rmSync(file, { force: true });
    return out;
  };
  for (const read of reads) {
    const out = capture(read);
    if (read.name === 'path') outputs.path.push(out);
    else outputs[read.name] = out;
  }
  const configurationNc = text(parseLdif(outputs.rootdse)[0] ?? { attrs: new Map() }, 'configurationNamingContext');
  if (!configurationNc) throw new Error('the rootDSE gave no configurationNamingContext');
  const input = walkInput(outputs, dc.sysvol);
  // gpaudit stops at the domain head: so does the baseline.
  const pathReads = reads.filter((r) => r.name === 'path').slice(0, input.soms.length);
  const sids = sidsToResolve(input.gpcs, input.domainSid, input.soms);
  const allReads = [...pathReads, ...reads.filter((r) => r.name !== 'path'), ...dependentReads(dc, domainDn, configurationNc, sids)];

  const expected = { computer: walk(input, 'computer'), user: walk(input, 'user') };
  const got = { computer: policy.computer.applied.map((g) => g.id.toUpperCase()), user: policy.user.applied.map((g) => g.id.toUpperCase()) };
  const problems = [];
  for (const side of ['computer', 'user']) {
    if (got[side].join() !== expected[side].join()) {
      problems.push(`${side} side: gpaudit applied ${got[side].length} GPO(s), the walk ${expected[side].length}\n  gpaudit: ${got[side].join(' ')}\n  walk:    ${expected[side].join(' ')}`);
    }
  }
  const reaching = [...new Set([...expected.computer, ...expected.user])];

  // Files (not folders) gpaudit opened under --sysvol, by GPO folder.
  const sysvolPrefix = `${dc.sysvol.replace(/\/$/, '')}/`;
  const opened = new Map();
  for (const line of readFileSync(straced, 'utf8').split('\n')) {
    const m = /open(?:at)?\((?:AT_FDCWD, )?"([^"]+)", ([A-Z_|]+)[^)]*\) = \d+/.exec(line);
    if (!m || m[2].includes('O_DIRECTORY') || !m[1].startsWith(sysvolPrefix)) continue;
    const folder = m[1].slice(sysvolPrefix.length).split('/')[0].toUpperCase();
    opened.set(folder, [...(opened.get(folder) ?? []), m[1]]);
  }
  const extra = [...opened.keys()].filter((id) => !reaching.includes(id));
  const unread = reaching.filter((id) => !opened.has(id));
  if (extra.length > 0) problems.push(`gpaudit opened files in ${extra.length} folder(s) of GPOs that do not reach the OU: ${extra.join(' ')}`);
  if (unread.length > 0) problems.push(`gpaudit opened no file in ${unread.length} folder(s) of GPOs that reach the OU: ${unread.join(' ')}`);

  // Same reads: gpaudit's searches against the baseline's, by base, scope and attributes.
  const key = (base, scope, attributes) => `${scope} ${base.toLowerCase()} [${attributes.map((a) => a.toLowerCase()).sort().join(' ')}]`;
  const gpauditReads = ldapOps.filter((o) => o.kind === 'search' || o.kind === 'searchPaginated').map((o) => key(o.base, o.scope, o.attributes)).sort();
  const baselineReads = allReads.map((r) => key(r.read.base, r.read.scope, r.read.attributes)).sort();
  if (gpauditReads.join('\n') !== baselineReads.join('\n')) {
    problems.push(`gpaudit's LDAP reads are not the baseline's:\n  gpaudit:\n    ${gpauditReads.join('\n    ')}\n  baseline:\n    ${baselineReads.join('\n    ')}`);
  }
  const sidFilters = ldapOps.filter((o) => /objectSid=/i.test(o.filter));
  const sidsAsked = sidFilters.reduce((n, o) => n + (o.filter.match(/objectSid=/gi) ?? []).length, 0);
  if (sidsAsked !== sids.length) problems.push(`gpaudit looked up ${sidsAsked} SID(s), the baseline ${sids.length}`);
  const gpcSearch = ldapOps.find((o) => o.kind === 'searchPaginated' && /^CN=Policies,/i.test(o.base));
  if (!gpcSearch?.controls.includes('1.2.840.113556.1.4.801')) problems.push('gpaudit did not send the SD flags control with its GPC search');
  if (problems.length > 0) throw new Error(`check run for ${ou} failed:\n${problems.join('\n')}`);

  const files = [...opened.values()].flat();
  return {
    policy: { computer: got.computer.length, user: got.user.length, notApplied: { computer: policy.computer.notApplied.length, user: policy.user.notApplied.length }, settings: policy.settings.length, problems: policy.problems.length },
    reaching,
    reads: allReads,
    gpcs: input.gpcs.size,
    soms: input.soms.length,
    sids: sids.length,
    ldap: { binds: ldapOps.filter((o) => o.kind === 'bind').length, searches: gpauditReads.length, requests: ldapOps.filter((o) => o.kind === 'request').length },
    filesOpened: files.length,
    notAppliedReasons: countReasons(policy),
  };
}

function countReasons(policy) {
  const out = {};
  for (const side of ['computer', 'user']) for (const n of policy[side].notApplied) out[`${side}:${n.reason}`] = (out[`${side}:${n.reason}`] ?? 0) + 1;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Rounds.

function measureOu(args, dc, which, env) {
  const ou = dc.ous[which];
  console.error(`${which} OU ${ou}: check run (strace, LDAP trace, walk) …`);
  const check = checkRun(args, dc, ou, env);
  const folders = check.reaching.map((id) => join(dc.sysvol, id));
  const settingsArgs = [args.cli, 'settings', ...folders, '--format', 'json', '-o', '/dev/null'];
  const rounds = [];
  for (let r = 0; r < args.rounds; r++) {
    console.error(`${which} OU: round ${r + 1}/${args.rounds}`);
    const round = {};
    const runGpaudit = () => {
      round.gpaudit = runOnce('gpaudit policy', process.execPath, gpauditArgs(args.cli, dc, ou, '/dev/null'), { env });
    };
    const runBaseline = () => {
      round.ldapsearch = check.reads.map((read) => runOnce(`ldapsearch (${read.name})`, read.file, read.args));
      round.settings = runOnce('gpaudit settings', process.execPath, settingsArgs, { env });
    };
    if (r % 2 === 0) {
      runGpaudit();
      runBaseline();
    } else {
      runBaseline();
      runGpaudit();
    }
    round.ldapsearchMs = round.ldapsearch.reduce((n, x) => n + x.ms, 0);
    round.byKind = {};
    check.reads.forEach((read, i) => {
      round.byKind[read.name] = (round.byKind[read.name] ?? 0) + round.ldapsearch[i].ms;
    });
    round.baselineMs = round.ldapsearchMs + round.settings.ms;
    // Each ldapsearch process pays its own start, connection and bind; gpaudit pays them once. The rootDSE read is
    // little more than that, so it stands for the per-process cost in an estimate of one shared connection.
    round.oneConnectionMs = round.baselineMs - (check.reads.length - 1) * round.byKind.rootdse;
    rounds.push(round);
  }
  const median = (xs) => quantile(xs, 0.5);
  // Nearest-rank median; with an even number of rounds it is the lower middle value.
  const result = {
    which,
    ou,
    check,
    commands: { gpaudit: shownGpaudit(args.cli, dc, ou), ldapsearch: check.reads.map((r) => r.shown), settings: `node ${shownCli(args.cli)} settings <${folders.length} reaching {GUID} folders> --format json -o /dev/null` },
    rounds: rounds.map((x) => ({ gpaudit: x.gpaudit.ms, ldapsearch: x.ldapsearchMs, ldapsearchByKind: x.byKind, oneConnection: x.oneConnectionMs, settings: x.settings.ms, baseline: x.baselineMs, gpauditRssKb: x.gpaudit.rssKb, settingsRssKb: x.settings.rssKb, ldapsearchRssKb: Math.max(...x.ldapsearch.map((l) => l.rssKb ?? 0)), gpauditElapsedS: x.gpaudit.elapsedS, cpu: { gpaudit: x.gpaudit.cpuMs, settings: x.settings.cpuMs } })),
  };
  result.median = {
    gpaudit: median(result.rounds.map((x) => x.gpaudit)),
    ldapsearch: median(result.rounds.map((x) => x.ldapsearch)),
    settings: median(result.rounds.map((x) => x.settings)),
    baseline: median(result.rounds.map((x) => x.baseline)),
    oneConnection: median(result.rounds.map((x) => x.oneConnection)),
    cpu: Object.fromEntries(['gpaudit', 'settings'].map((k) => [k, median(result.rounds.map((x) => x.cpu[k] ?? 0))])),
    ldapsearchByKind: Object.fromEntries(Object.keys(rounds[0].byKind).map((k) => [k, median(result.rounds.map((x) => x.ldapsearchByKind[k]))])),
  };
  result.ratio = result.median.gpaudit / result.median.baseline;
  result.pass = result.ratio <= TARGET_RATIO;
  result.oneConnectionRatio = result.median.gpaudit / result.median.oneConnection;
  result.rssMb = {
    gpaudit: Math.max(...result.rounds.map((x) => x.gpauditRssKb ?? 0)) * 1024 / MB,
    settings: Math.max(...result.rounds.map((x) => x.settingsRssKb ?? 0)) * 1024 / MB,
    ldapsearch: Math.max(...result.rounds.map((x) => x.ldapsearchRssKb ?? 0)) * 1024 / MB,
  };
  if (args.profile || !result.pass) result.profile = profileOnce(args, dc, ou, env, `${which}`);
  return result;
}

const s = (ms) => (ms / 1000).toFixed(3);
const verdict = (ok) => (ok ? 'PASS' : 'MISS');

function ouText(r) {
  const c = r.check;
  const reads = c.reads.reduce((m, x) => m.set(x.name, (m.get(x.name) ?? 0) + 1), new Map());
  const head = [
    `${r.which} OU ${r.ou}`,
    `  path: ${c.soms} containers (domain head to the OU); ${c.gpcs} GPCs read; ${c.sids} domain SID(s) named by the DACLs looked up`,
    `  reaching (walk = gpaudit): computer ${c.policy.computer}, user ${c.policy.user}; ${c.reaching.length} folders read (${c.filesOpened} files opened by gpaudit, all in those folders)`,
    `  not applied (gpaudit): ${Object.entries(c.notAppliedReasons).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `  gpaudit: ${c.ldap.binds} bind, ${c.ldap.searches} searches, ${c.ldap.requests} search requests (pages); ${c.policy.settings} resultant settings`,
    `  baseline: ${c.reads.length} ldapsearch processes (${[...reads].map(([k, v]) => `${k} ${v}`).join(', ')}), each with its own bind, then gpaudit settings`,
  ].join('\n');
  const cpu = (k) => s(r.median.cpu[k]);
  const rows = [
    ['gpaudit policy --ou', r.rounds.map((x) => s(x.gpaudit)).join(' / '), s(r.median.gpaudit), cpu('gpaudit'), r.rssMb.gpaudit.toFixed(1)],
    [`ldapsearch × ${c.reads.length}`, r.rounds.map((x) => s(x.ldapsearch)).join(' / '), s(r.median.ldapsearch), '-', r.rssMb.ldapsearch.toFixed(1)],
    ...Object.keys(r.median.ldapsearchByKind).map((k) => [`  of which ${k} (${reads.get(k)})`, r.rounds.map((x) => s(x.ldapsearchByKind[k])).join(' / '), s(r.median.ldapsearchByKind[k]), '-', '-']),
    [`gpaudit settings (${c.reaching.length} folders)`, r.rounds.map((x) => s(x.settings)).join(' / '), s(r.median.settings), cpu('settings'), r.rssMb.settings.toFixed(1)],
    ['baseline = ldapsearch + settings', r.rounds.map((x) => s(x.baseline)).join(' / '), s(r.median.baseline), '-', '-'],
  ];
  const t = table(['run', 'wall s per round', 'median s', 'CPU s (median)', 'peak RSS MB'], rows);
  const floor = s(r.median.ldapsearchByKind.rootdse);
  return [
    `${head}\n\n${t}\n`,
    `  gpaudit ÷ baseline (wall, medians): ${r.ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×): ${verdict(r.pass)}`,
    `  not judged: as if the ${c.reads.length} reads shared one connection (baseline less ${c.reads.length - 1} × the rootDSE read, ${floor} s,`,
    `  its process, connection and bind): baseline ${s(r.median.oneConnection)} s, ratio ${r.oneConnectionRatio.toFixed(2)}×`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// CPU profile of one gpaudit run.

function profileOnce(args, dc, ou, env, label) {
  const dir = join(SCRATCH, `profile-${label}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  runOnce('gpaudit policy (profile)', process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, ...gpauditArgs(args.cli, dc, ou, '/dev/null')], { env });
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`node --cpu-prof wrote no profile in ${dir}`);
  // Paths are shown relative to the package whose dist/ is measured (--cli may name a copy elsewhere).
  const packageRoot = dirname(dirname(dirname(args.cli)));
  const summary = summariseProfile(join(dir, file), packageRoot);
  return { path: join(dir, file), totalMs: summary.totalMs, functions: summary.functions.slice(0, 20), files: summary.files.slice(0, 12), inclusive: inclusive(join(dir, file), packageRoot).slice(0, 25) };
}

/** Inclusive time of gpaudit's own functions (dist/), synchronous stacks only: which step the self time belongs to. */
function inclusive(path, packageRoot) {
  const dist = `${pathToFileURL(join(packageRoot, 'dist')).href}/`;
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)));
  const total = new Map();
  for (const [id, us] of self) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const { functionName, url, lineNumber } = nodes.get(cur).callFrame;
      if (!url.startsWith(dist)) continue;
      const key = `${functionName || '(anonymous)'}\t${relative(packageRoot, fileURLToPath(url))}:${lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + us);
    }
  }
  return [...total].sort((a, b) => b[1] - a[1]).map(([key, us]) => ({ key, ms: us / 1000 }));
}

function profileText(p) {
  const pct = (ms) => `${((ms / p.totalMs) * 100).toFixed(1)} %`;
  const fn = p.functions.slice(0, 15).map((f) => [...f.key.split('\t'), f.ms.toFixed(0), pct(f.ms)]);
  const files = p.files.slice(0, 10).map((f) => [f.key, f.ms.toFixed(0), pct(f.ms)]);
  const steps = p.inclusive.slice(0, 15).map((f) => [...f.key.split('\t'), f.ms.toFixed(0), pct(f.ms)]);
  return [
    `CPU profile of one gpaudit policy run (${(p.totalMs / 1000).toFixed(2)} s sampled; ${p.path})`,
    table(['function (self time)', 'file:line', 'ms', 'share'], fn),
    table(['file (self time)', 'ms', 'share'], files),
    table(['gpaudit function (inclusive)', 'file:line', 'ms', 'share'], steps),
  ].join('\n\n');
}

// ---------------------------------------------------------------------------------------------------------------

async function inside(args) {
  const dc = dcFromEnv(process.env);
  if (!existsSync(args.cli)) throw new Error(`${args.cli} is missing: npm run build first (npm run bench:policy does)`);
  const env = { ...process.env, GPAUDIT_LDAP_PASSWORD: dc.password };
  const results = [];
  for (const which of args.ous) {
    const r = measureOu(args, dc, which, env);
    console.log(`\n${ouText(r)}`);
    if (r.profile) console.log(`\n${profileText(r.profile)}`);
    results.push(r);
  }
  const result = { manifest: dc.manifest, rounds: args.rounds, results };
  if (args.result) writeFileSync(args.result, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

const BUILDS = join(SCRATCH, 'builds.json');

function readBuilds() {
  try {
    return JSON.parse(readFileSync(BUILDS, 'utf8'));
  } catch {
    return {};
  }
}

/** Builds the template if missing; how long that took, now or (if known) when it was built. */
function ensureTemplate() {
  const child = spawnSync('bash', [SEED_POLICY], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  process.stderr.write(child.stderr);
  if (child.status !== 0) throw new Error(`seed-policy.sh failed (exit ${child.status})`);
  const built = /built the policy estate in (\d+) s; template (\S+)/.exec(child.stderr);
  const template = built?.[2] ?? /template exists: (\S+)/.exec(child.stderr)?.[1];
  if (!template || !existsSync(template)) throw new Error('seed-policy.sh named no template');
  const { size, mtimeMs } = statSync(template);
  const builds = readBuilds();
  if (built) {
    builds[template] = { seconds: Number(built[1]), mtimeMs, builtAt: new Date().toISOString() };
    mkdirSync(SCRATCH, { recursive: true });
    writeFileSync(BUILDS, `${JSON.stringify(builds, null, 2)}\n`);
  }
  const seconds = builds[template]?.mtimeMs === mtimeMs ? builds[template].seconds : undefined;
  return { built: Boolean(built), seconds, template, templateBytes: size };
}

function machine() {
  const first = (cmd, argv, stream = 'stdout') => (spawnSync(cmd, argv, { encoding: 'utf8' })[stream] ?? '').split('\n').find((l) => l.trim())?.trim() ?? '?';
  return {
    cpu: `${cpus()[0]?.model ?? '?'} × ${cpus().length}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    kernel: release(),
    node: process.version,
    samba: first('samba', ['-V']),
    ldapsearch: first('ldapsearch', ['-VV'], 'stderr'),
    loadavg: loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

async function outside(args) {
  if (!existsSync(args.cli)) throw new Error(`${args.cli} is missing: npm run build first (npm run bench:policy does)`);
  const m = machine();
  console.log(`machine: ${m.cpu}, ${m.memory}, Linux ${m.kernel}, Node ${m.node}, ${m.samba}, ${m.ldapsearch}; load average ${m.loadavg}`);
  const build = ensureTemplate();
  console.log(`template: ${build.template} (${(build.templateBytes / MB).toFixed(1)} MB; ${build.seconds === undefined ? 'build time unknown' : `built in ${build.seconds} s${build.built ? '' : ', cached'}`})`);
  mkdirSync(SCRATCH, { recursive: true });
  const resultFile = join(SCRATCH, 'result.json');
  rmSync(resultFile, { force: true });
  const inner = [process.execPath, fileURLToPath(import.meta.url), '--inside', '--rounds', String(args.rounds), '--ous', args.ous.join(','), '--result', resultFile, '--cli', args.cli, ...(args.profile ? ['--profile'] : [])];
  const t0 = performance.now();
  const child = spawnSync('bash', [SEED_POLICY, '--', ...inner], { cwd: ROOT, stdio: 'inherit' });
  const sessionSeconds = (performance.now() - t0) / 1000;
  if (child.status !== 0 || !existsSync(resultFile)) throw new Error(`the policy bench failed (exit ${child.status})`);
  const result = JSON.parse(readFileSync(resultFile, 'utf8'));
  console.log(`\ncommands:\n  ${result.results[0].commands.gpaudit}\n  ${result.results[0].commands.ldapsearch.join('\n  ')}\n  ${result.results[0].commands.settings}`);
  const rows = result.results.map((r) => [
    r.which,
    r.check.soms,
    `${r.check.policy.computer} + ${r.check.policy.user}`,
    r.check.reaching.length,
    s(r.median.gpaudit),
    s(r.median.ldapsearch),
    s(r.median.settings),
    s(r.median.baseline),
    `${r.ratio.toFixed(2)}× ${verdict(r.pass)}`,
    `${r.oneConnectionRatio.toFixed(2)}×`,
    r.rssMb.gpaudit.toFixed(1),
    r.rssMb.settings.toFixed(1),
  ]);
  console.log(`\nsummary (medians of ${args.rounds} rounds; target gpaudit ≤ ${TARGET_RATIO}× baseline)\n`);
  console.log(table(['OU', 'containers', 'applied (computer + user)', 'folders', 'gpaudit s', 'ldapsearch s', 'settings s', 'baseline s', 'ratio', 'one-connection ratio', 'gpaudit RSS MB', 'settings RSS MB'], rows));
  console.log(`\nsession (restore, start, measure, stop): ${sessionSeconds.toFixed(1)} s; load average now ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify({ date: new Date().toISOString(), machine: m, build, args, sessionSeconds, ...result }, null, 2)}\n`);
  console.log(`full results: ${args.out}`);
}

const args = parseArgs(process.argv.slice(2));
const underSeedPolicy = process.env.GPAUDIT_SAMBA_SESSION_HELD === '1' && Boolean(process.env.GPAUDIT_SAMBA_POLICY_OU);
await (args.inside || underSeedPolicy ? inside(args) : outside(args));
