#!/usr/bin/env node
// `npm run bench:ldap` (issue 4): `gpaudit ldap scan` over the Samba DC seeded with N generated users, against
// `ldapsearch -E pr=1000/noprompt` fetching the same users and attributes in the same run, and against a bare ldapts
// searchPaginated loop. Prints numbers and PASS/MISS against the targets; fails only when a tool fails or the three
// disagree on the number of users.
//
//   node bench/ldap/run.mjs [--sizes 2000,10000] [--rounds 3] [--profile] [--no-ldapts] [--cli dist/cli/main.js]
//                           [--out $TMPDIR/gpaudit-bench-ldap/last-run.json]
//
// For each size it builds the template "base + N users" if missing (scripts/samba/seed-bulk.sh N; 10,000 users take
// about 150 s the first time), then runs itself inside `seed-bulk.sh N -- …` (restore, start the DC, measure, stop).
// That holds the DC's session lock, so a test run waits for the bench and the other way round. Only 127.0.0.1.
// Run under `seed-bulk.sh N -- node bench/ldap/run.mjs` itself, it measures that DC's one size (no build, no table
// across sizes).
// A CPU profile of one gpaudit run is taken with --profile, or by itself when the time ratio misses its target.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inclusiveTimes, summariseProfile } from '../lib/profile.mjs';
import { table } from '../lib/stats.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const SEED_BULK = join(ROOT, 'scripts', 'samba', 'seed-bulk.sh');
const PRELOAD = join(ROOT, 'bench', 'lib', 'maxrss-preload.mjs');
const LDAPTS_LOOP = join(HERE, 'ldapts-loop.mjs');
const SCRATCH = join(process.env.TMPDIR || tmpdir(), 'gpaudit-bench-ldap');
const TIME = '/usr/bin/time';
const PAGE_SIZE = 1000;
const TARGET_RATIO = 1.1;
const TARGET_RSS_MB = 100;
// "Flat from 10k upward": from FLAT_FROM users on, peak RSS at most FLAT_GROWTH above the previous size's.
const FLAT_FROM = 10_000;
const FLAT_GROWTH = 0.1;
const MB = 1e6;

function parseArgs(argv) {
  const args = { sizes: [10_000], rounds: 3, profile: false, ldapts: true, cli: join(ROOT, 'dist', 'cli', 'main.js'), out: join(SCRATCH, 'last-run.json'), inside: false, result: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') args.sizes = argv[++i].split(',').map((s) => Number(s.replace(/_/g, '')));
    else if (a === '--rounds') args.rounds = Number(argv[++i]);
    else if (a === '--profile') args.profile = true;
    else if (a === '--no-ldapts') args.ldapts = false;
    else if (a === '--cli') args.cli = resolve(argv[++i]);
    else if (a === '--out') args.out = resolve(argv[++i]);
    else if (a === '--inside') args.inside = true;
    else if (a === '--result') args.result = argv[++i];
    else throw new Error(`unknown option ${a}`);
  }
  if (!args.sizes.length || args.sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 999_999)) throw new Error('--sizes takes whole numbers from 1 to 999999, comma-separated');
  if (!Number.isInteger(args.rounds) || args.rounds < 1) throw new Error('--rounds takes a whole number of at least 1');
  return args;
}

// ---------------------------------------------------------------------------------------------------------------
// Inside seed-bulk.sh: one size, the DC running.

/** The connection facts seed-bulk.sh hands to its command; refuses anything but 127.0.0.1. */
function dcFromEnv(env) {
  const url = env.GPAUDIT_SAMBA_URL;
  if (!url) throw new Error('GPAUDIT_SAMBA_URL is not set: run under scripts/samba/seed-bulk.sh N -- … (or without --inside)');
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`the LDAP bench only talks to 127.0.0.1; GPAUDIT_SAMBA_URL is ${url}`);
  return { url, bindDn: env.GPAUDIT_SAMBA_BIND_DN, password: env.GPAUDIT_SAMBA_PASSWORD, baseDn: env.GPAUDIT_SAMBA_BASE_DN, bulkUsers: Number(env.GPAUDIT_SAMBA_BULK_USERS) };
}

/** The filter and attributes gpaudit sends, from the build being measured, so ldapsearch asks for exactly the same. */
async function gpauditQuery(cli) {
  const dist = dirname(dirname(cli));
  const { checkScanOptions } = await import(pathToFileURL(join(dist, 'ldap', 'scan.js')).href);
  const { USER_ATTRIBUTES } = await import(pathToFileURL(join(dist, 'ldap', 'types.js')).href);
  return { filter: checkScanOptions({}).text, attributes: [...USER_ATTRIBUTES] };
}

function commands(dc, query, cli) {
  return {
    ldapsearch: {
      file: 'ldapsearch',
      args: ['-LLL', '-x', '-H', 'ldap://127.0.0.1', '-D', dc.bindDn, '-w', dc.password, '-b', dc.baseDn, '-E', `pr=${PAGE_SIZE}/noprompt`, query.filter, ...query.attributes],
      shown: `ldapsearch -LLL -x -H ldap://127.0.0.1 -D ${dc.bindDn} -w "$GPAUDIT_SAMBA_PASSWORD" -b ${dc.baseDn} -E pr=${PAGE_SIZE}/noprompt '${query.filter}' ${query.attributes.join(' ')} > /dev/null`,
    },
    gpaudit: {
      file: process.execPath,
      node: true,
      args: [cli, 'ldap', 'scan', '--url', 'ldap://127.0.0.1', '--allow-plaintext', '--bind-dn', dc.bindDn, '--format', 'json', '-o', '/dev/null'],
      shown: `GPAUDIT_LDAP_PASSWORD="$GPAUDIT_SAMBA_PASSWORD" node ${relative(ROOT, cli)} ldap scan --url ldap://127.0.0.1 --allow-plaintext --bind-dn ${dc.bindDn} --format json -o /dev/null`,
    },
    ldapts: {
      file: process.execPath,
      node: true,
      args: [LDAPTS_LOOP, query.filter, String(PAGE_SIZE), ...query.attributes],
      shown: `node bench/ldap/ldapts-loop.mjs '${query.filter}' ${PAGE_SIZE} ${query.attributes.join(' ')}`,
    },
  };
}

/**
 * Runs one command once, stdout to `stdoutTo` (a path; /dev/null in the timed rounds). Wall time from spawn to exit;
 * peak RSS from /usr/bin/time -f %M when present and, for node children, from the --import preload as well.
 */
function runOnce(name, command, env, stdoutTo = '/dev/null', extraNodeArgs = []) {
  mkdirSync(SCRATCH, { recursive: true });
  const rssFile = join(SCRATCH, `rss-${process.pid}.txt`);
  const timeFile = join(SCRATCH, `time-${process.pid}.txt`);
  rmSync(rssFile, { force: true });
  rmSync(timeFile, { force: true });
  const args = command.node ? ['--import', PRELOAD, ...extraNodeArgs, ...command.args] : command.args;
  const [file, argv] = existsSync(TIME) ? [TIME, ['-f', '%M', '-o', timeFile, command.file, ...args]] : [command.file, args];
  const out = openSync(stdoutTo, 'w');
  let child;
  const t0 = performance.now();
  try {
    child = spawnSync(file, argv, { cwd: ROOT, env: { ...env, GPAUDIT_BENCH_RSS_FILE: rssFile }, stdio: ['ignore', out, 'pipe'], encoding: 'utf8', maxBuffer: 16 << 20 });
  } finally {
    closeSync(out);
  }
  const ms = performance.now() - t0;
  if (child.error) throw child.error;
  const preloadKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : undefined;
  const timeKb = existsSync(timeFile) ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) : undefined;
  rmSync(rssFile, { force: true });
  rmSync(timeFile, { force: true });
  // gpaudit exits 1 when it has findings at or above --fail-on: that is a finished scan.
  const ok = child.status === 0 || (name === 'gpaudit' && child.status === 1);
  if (!ok) throw new Error(`${name} exited ${child.status}: ${child.stderr.slice(0, 800)}`);
  return { ms, preloadKb, timeKb, stderr: child.stderr };
}

/** One untimed run of each, output kept, to check they read the same users (and to warm the server's caches). */
function countUsers(cmds, env, withLdapts) {
  const ldif = join(SCRATCH, 'verify.ldif');
  const report = join(SCRATCH, 'verify.json');
  const counted = join(SCRATCH, 'verify.count');
  runOnce('ldapsearch', cmds.ldapsearch, env, ldif);
  // `dn:: ` is a base64 DN (non-ASCII, or a leading space or colon); LDIF continuation lines start with a space.
  const ldapsearch = readFileSync(ldif, 'utf8').split('\n').filter((line) => /^dn::? /.test(line)).length;
  runOnce('gpaudit', { ...cmds.gpaudit, args: cmds.gpaudit.args.map((a) => (a === '/dev/null' ? report : a)) }, env);
  const scannedNotice = /scanned (\d+) user\(s\)[^"]* in ([\d.]+) s/.exec(readFileSync(report, 'utf8'));
  if (!scannedNotice) throw new Error(`no "scanned N user(s)" notice in gpaudit's JSON report (${report})`);
  const counts = { ldapsearch, gpaudit: Number(scannedNotice[1]) };
  if (withLdapts) {
    runOnce('ldapts', cmds.ldapts, env, counted);
    counts.ldapts = Number(readFileSync(counted, 'utf8').trim());
  }
  for (const f of [ldif, report, counted]) rmSync(f, { force: true });
  const distinct = new Set(Object.values(counts));
  if (distinct.size !== 1) throw new Error(`the three disagree on the number of users: ${JSON.stringify(counts)}`);
  return counts.ldapsearch;
}

/** Round r runs the tools in an order rotated by r, so none of them always goes first after a pause. */
function roundOrder(names, round) {
  return names.map((_, i) => names[(i + round) % names.length]);
}

function summarise(runs) {
  const ms = runs.map((r) => r.ms);
  const best = Math.min(...ms);
  const preloadKb = Math.max(0, ...runs.map((r) => r.preloadKb ?? 0)) || undefined;
  const timeKb = Math.max(0, ...runs.map((r) => r.timeKb ?? 0)) || undefined;
  return { ms, bestMs: best, preloadKb, timeKb, rssKb: Math.max(preloadKb ?? 0, timeKb ?? 0) || undefined };
}

function profileOnce(command, env, label) {
  const dir = join(SCRATCH, `profile-${label}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  runOnce('gpaudit', command, env, '/dev/null', ['--cpu-prof', '--cpu-prof-dir', dir]);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`node --cpu-prof wrote no profile in ${dir}`);
  const summary = summariseProfile(join(dir, file), ROOT);
  return { totalMs: summary.totalMs, functions: summary.functions.slice(0, 20), files: summary.files.slice(0, 12), inclusive: inclusiveTimes(join(dir, file), join(ROOT, 'dist')).slice(0, 30), path: join(dir, file) };
}

function profileText(p) {
  const fn = p.functions.slice(0, 15).map((f) => { const [name, where] = f.key.split('\t'); return [name, where, f.ms.toFixed(0), `${(f.share * 100).toFixed(1)} %`]; });
  const files = p.files.slice(0, 10).map((f) => [f.key, f.ms.toFixed(0), `${(f.share * 100).toFixed(1)} %`]);
  const steps = p.inclusive.slice(0, 15).map((f) => { const [name, where] = f.key.split('\t'); return [name, where, f.ms.toFixed(0), `${((f.ms / p.totalMs) * 100).toFixed(1)} %`]; });
  return `CPU profile of one gpaudit run (${(p.totalMs / 1000).toFixed(2)} s sampled; ${p.path})\n\n${table(['function (self time)', 'file:line', 'ms', 'share'], fn)}\n\n${table(['file (self time)', 'ms', 'share'], files)}\n\n${table(['gpaudit function (inclusive)', 'file:line', 'ms', 'share'], steps)}`;
}

const mb = (kb) => (kb === undefined ? undefined : (kb * 1024) / MB);
const verdict = (ok) => (ok ? 'PASS' : 'MISS');

function sizeTable(r) {
  const rows = [];
  for (const name of Object.keys(r.tools)) {
    const s = r.tools[name];
    const ratio = s.bestMs / r.tools.ldapsearch.bestMs;
    const rss = mb(s.rssKb);
    const judged = name === 'gpaudit';
    rows.push([
      name,
      s.ms.map((m) => (m / 1000).toFixed(2)).join(' / '),
      (s.bestMs / 1000).toFixed(2),
      Math.round(r.users / (s.bestMs / 1000)).toLocaleString('en-US'),
      `${ratio.toFixed(2)}×${judged ? ` ${verdict(ratio <= TARGET_RATIO)}` : ''}`,
      rss === undefined ? '-' : `${rss.toFixed(1)}${judged ? ` ${verdict(rss <= TARGET_RSS_MB)}` : ''}`,
      s.preloadKb ? mb(s.preloadKb).toFixed(0) : '-',
      s.timeKb ? mb(s.timeKb).toFixed(0) : '-',
    ]);
  }
  return table(['tool', 'wall s per round', 'best s', 'users/s', `÷ ldapsearch (≤ ${TARGET_RATIO}×)`, `peak RSS MB (≤ ${TARGET_RSS_MB})`, 'maxRSS preload', '/usr/bin/time %M'], rows);
}

async function inside(args) {
  const dc = dcFromEnv(process.env);
  const query = await gpauditQuery(args.cli);
  const cmds = commands(dc, query, args.cli);
  const env = { ...process.env, GPAUDIT_LDAP_PASSWORD: dc.password };
  const names = ['ldapsearch', 'gpaudit', ...(args.ldapts ? ['ldapts'] : [])];
  const users = countUsers(cmds, env, args.ldapts);
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < args.rounds; round++) {
    for (const name of roundOrder(names, round)) runs[name].push(runOnce(name, cmds[name], env));
  }
  const tools = Object.fromEntries(names.map((n) => [n, summarise(runs[n])]));
  const result = { bulkUsers: dc.bulkUsers, users, filter: query.filter, attributes: query.attributes, rounds: args.rounds, commands: Object.fromEntries(names.map((n) => [n, cmds[n].shown])), tools };
  result.ratio = tools.gpaudit.bestMs / tools.ldapsearch.bestMs;
  result.rssMb = mb(tools.gpaudit.rssKb);
  console.log(`\n${dc.bulkUsers.toLocaleString('en-US')} bulk users: ${users.toLocaleString('en-US')} users match the scan filter; best of ${args.rounds} round(s), order rotated each round\n`);
  console.log(sizeTable(result));
  if (args.profile || result.ratio > TARGET_RATIO) {
    result.profile = profileOnce(cmds.gpaudit, env, dc.bulkUsers);
    console.log(`\n${profileText(result.profile)}`);
  }
  if (args.result) writeFileSync(args.result, `${JSON.stringify(result, null, 2)}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// Outside: one seed-bulk.sh session per size, then the comparison across sizes.

// Template build times, kept across runs: a cached template shows how long it took when it was built.
const BUILDS = join(SCRATCH, 'builds.json');

function readBuilds() {
  try {
    return JSON.parse(readFileSync(BUILDS, 'utf8'));
  } catch {
    return {};
  }
}

/** Builds the template for `size` if missing; returns how long that took, now or (if known) when it was built. */
function ensureTemplate(size) {
  const child = spawnSync('bash', [SEED_BULK, String(size)], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  process.stderr.write(child.stderr);
  if (child.status !== 0) throw new Error(`seed-bulk.sh ${size} failed (exit ${child.status})`);
  const built = /added \d+ users in (\d+) s; template (\S+)/.exec(child.stderr);
  const template = built?.[2] ?? /template exists: (\S+)/.exec(child.stderr)?.[1];
  if (!template || !existsSync(template)) throw new Error(`seed-bulk.sh ${size} named no template`);
  const { size: bytes, mtimeMs } = statSync(template);
  const builds = readBuilds();
  if (built) {
    builds[template] = { users: size, seconds: Number(built[1]), mtimeMs, builtAt: new Date().toISOString() };
    mkdirSync(SCRATCH, { recursive: true });
    writeFileSync(BUILDS, `${JSON.stringify(builds, null, 2)}\n`);
  }
  const known = builds[template]?.mtimeMs === mtimeMs ? builds[template].seconds : undefined;
  return { built: Boolean(built), seconds: known, template, templateBytes: bytes };
}

function measureSize(size, args) {
  mkdirSync(SCRATCH, { recursive: true });
  const resultFile = join(SCRATCH, `result-${size}.json`);
  rmSync(resultFile, { force: true });
  const inner = [process.execPath, fileURLToPath(import.meta.url), '--inside', '--rounds', String(args.rounds), '--result', resultFile, '--cli', args.cli, ...(args.profile ? ['--profile'] : []), ...(args.ldapts ? [] : ['--no-ldapts'])];
  const t0 = performance.now();
  const child = spawnSync('bash', [SEED_BULK, String(size), '--', ...inner], { cwd: ROOT, stdio: 'inherit' });
  const sessionSeconds = (performance.now() - t0) / 1000;
  if (child.status !== 0 || !existsSync(resultFile)) throw new Error(`the bench at ${size} users failed (exit ${child.status})`);
  return { ...JSON.parse(readFileSync(resultFile, 'utf8')), sessionSeconds };
}

function growthTable(results) {
  const rows = results.map((r, i) => {
    const previous = results[i - 1];
    const grewMb = previous ? r.rssMb - previous.rssMb : undefined;
    const growth = previous ? grewMb / previous.rssMb : undefined;
    return [
      r.bulkUsers.toLocaleString('en-US'),
      r.users.toLocaleString('en-US'),
      r.build.seconds === undefined ? 'cached' : `${r.build.seconds} s${r.build.built ? '' : ' (cached)'}`,
      r.build.templateBytes ? (r.build.templateBytes / MB).toFixed(1) : '-',
      (r.tools.ldapsearch.bestMs / 1000).toFixed(2),
      (r.tools.gpaudit.bestMs / 1000).toFixed(2),
      r.tools.ldapts ? (r.tools.ldapts.bestMs / 1000).toFixed(2) : '-',
      `${r.ratio.toFixed(2)}× ${verdict(r.ratio <= TARGET_RATIO)}`,
      `${r.rssMb.toFixed(1)} ${verdict(r.rssMb <= TARGET_RSS_MB)}`,
      previous ? `${grewMb >= 0 ? '+' : ''}${grewMb.toFixed(1)} MB, ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(0)} %` : '-',
      // The target is "flat from 10k upward": growth below that is shown, not judged.
      previous && previous.bulkUsers >= FLAT_FROM ? verdict(growth <= FLAT_GROWTH) : '-',
    ];
  });
  return table(['bulk users', 'scanned', 'template build', 'template MB', 'ldapsearch s', 'gpaudit s', 'ldapts s', 'gpaudit ÷ ldapsearch', 'gpaudit RSS MB', 'RSS vs previous size', `flat from ${FLAT_FROM / 1000}k (≤ +${FLAT_GROWTH * 100} %)`], rows);
}

function machine() {
  const version = (cmd, args) => spawnSync(cmd, args, { encoding: 'utf8' }).stdout?.split('\n')[0]?.trim() || '?';
  return {
    cpu: `${cpus()[0]?.model ?? '?'} × ${cpus().length}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    kernel: release(),
    node: process.version,
    samba: version('samba', ['-V']),
    ldapsearch: (spawnSync('ldapsearch', ['-VV'], { encoding: 'utf8' }).stderr ?? '').split('\n').find((l) => l.includes('ldapsearch'))?.trim() ?? '?',
  };
}

async function outside(args) {
  if (!existsSync(args.cli)) throw new Error(`${args.cli} is missing: npm run build first (npm run bench:ldap does)`);
  const m = machine();
  console.log(`machine: ${m.cpu}, ${m.memory}, Linux ${m.kernel}, Node ${m.node}, ${m.samba}, ${m.ldapsearch}`);
  const results = [];
  for (const size of args.sizes) {
    const build = ensureTemplate(size);
    results.push({ ...measureSize(size, args), build });
  }
  const first = results[0];
  console.log(`\ncommands (the filter is gpaudit's own, from checkScanOptions):\n${Object.values(first.commands).map((c) => `  ${c}`).join('\n')}`);
  console.log(`\nacross sizes (best of ${args.rounds}; targets: gpaudit ≤ ${TARGET_RATIO}× ldapsearch, peak RSS ≤ ${TARGET_RSS_MB} MB and flat)\n`);
  console.log(growthTable(results));
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify({ date: new Date().toISOString(), machine: m, args, results }, null, 2)}\n`);
  console.log(`\nfull results: ${args.out}`);
}

const args = parseArgs(process.argv.slice(2));
// Started by `seed-bulk.sh N -- node bench/ldap/run.mjs` (as scripts/samba/README.md shows): the DC is already up and
// the session lock held, so measure that one size here; calling seed-bulk.sh again would wait for our own lock.
const underSeedBulk = process.env.GPAUDIT_SAMBA_SESSION_HELD === '1' && Boolean(process.env.GPAUDIT_SAMBA_URL);
await (args.inside || underSeedBulk ? inside(args) : outside(args));
