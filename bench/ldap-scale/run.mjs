#!/usr/bin/env node
// `npm run bench:ldap-scale` (issue 12, directory side): `gpaudit ldap scan` against `ldapsearch -E pr=1000/noprompt`
// on our own OpenLDAP slapd, loaded offline with slapadd, at 10,000, 100,000 and 1,000,000 accounts. Samba stays the
// correctness reference (bench/ldap/); this is the scale rig. Prints PASS/MISS and always exits 0.
//
//   node bench/ldap-scale/run.mjs [--sizes 10000,100000,1000000] [--rounds 3] [--filter '(objectClass=user)']
//        [--history-test] [--history-size 1000000] [--profile] [--no-profile] [--ldapts] [--seed S] [--cli dist/cli/main.js]
//
// For each size: the template (one mdb folder per size under $TMPDIR/gpaudit-bench-ldap-scale/templates, with a
// manifest; built once with generate.mjs + slapadd -q, reused after), slapd started read-only on it on
// ldap://127.0.0.1:<free port>/, one untimed pass checking gpaudit and ldapsearch read the same users, then the
// rounds (order rotated), then with --history-test at --history-size: the --history cost and two SIGKILL crash
// tests. slapd is stopped at the end of each size, and on errors and signals. Raw figures: <scratch>/last-run.json.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inclusiveTimes, summariseProfile } from '../lib/profile.mjs';
import { table } from '../lib/stats.mjs';
import { BASE_DN, DEFAULT_SEED } from './generate.mjs';
import { ROOT_DN, ROOT_PW, SCRATCH, ensureSlapdInstalled, ensureTemplate, slapdVersion, startSlapd, stopSlapd } from './slapd.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const RSS_PRELOAD = join(ROOT, 'bench', 'lib', 'maxrss-preload.mjs');
const MEMORY_PRELOAD = join(HERE, 'memory-preload.mjs');
const HISTORY_PRELOAD = join(HERE, 'history-timing-preload.mjs');
const LDAPTS_LOOP = join(ROOT, 'bench', 'ldap', 'ldapts-loop.mjs');
const TIME = '/usr/bin/time';
const PAGE_SIZE = 1000;
const TARGET_RATIO = 1.1;
const TARGET_RSS_MB_AT_10K = 100;
const TARGET_GROWTH = 0.1;
const MB = 1e6;

function parseArgs(argv) {
  const args = {
    sizes: [10_000, 100_000, 1_000_000],
    rounds: 3,
    filter: '(objectClass=user)',
    historyTest: false,
    historySize: 1_000_000,
    profile: 'auto',
    ldapts: false,
    seed: DEFAULT_SEED,
    cli: join(ROOT, 'dist', 'cli', 'main.js'),
    out: join(SCRATCH, 'last-run.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--sizes') args.sizes = next().split(',').map((s) => Number(s.replace(/_/g, '')));
    else if (a === '--rounds') args.rounds = Number(next());
    else if (a === '--filter') args.filter = next();
    else if (a === '--no-filter') args.filter = undefined;
    else if (a === '--history-test') args.historyTest = true;
    else if (a === '--history-size') args.historySize = Number(next().replace(/_/g, ''));
    else if (a === '--profile') args.profile = 'always';
    else if (a === '--no-profile') args.profile = 'never';
    else if (a === '--ldapts') args.ldapts = true;
    else if (a === '--seed') args.seed = next();
    else if (a === '--cli') args.cli = resolve(next());
    else if (a === '--out') args.out = resolve(next());
    else throw new Error(`unknown option ${a}`);
  }
  if (!args.sizes.length || args.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--sizes takes whole numbers, comma-separated');
  if (!Number.isInteger(args.rounds) || args.rounds < 1) throw new Error('--rounds takes a whole number of at least 1');
  if (!Number.isInteger(args.historySize) || args.historySize < 1) throw new Error('--history-size takes a whole number');
  return args;
}

const uptime = () => spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');
const mb = (kb) => (kb === undefined ? undefined : (kb * 1024) / MB);
const verdict = (ok) => (ok ? 'PASS' : 'MISS');
const s = (ms) => (ms / 1000).toFixed(2);
const log = (m) => process.stderr.write(`${m}\n`);

/** The filter and attributes gpaudit sends, from the build being measured, so ldapsearch asks for exactly the same. */
async function gpauditQuery(cli, extraFilter) {
  const dist = dirname(dirname(cli));
  const { checkScanOptions } = await import(pathToFileURL(join(dist, 'ldap', 'scan.js')).href);
  const { USER_ATTRIBUTES } = await import(pathToFileURL(join(dist, 'ldap', 'types.js')).href);
  return { filter: checkScanOptions(extraFilter === undefined ? {} : { filter: extraFilter }).text, attributes: [...USER_ATTRIBUTES] };
}

function commands(server, query, args) {
  const ldapsearchArgs = ['-LLL', '-x', '-H', server.url, '-D', ROOT_DN, '-w', ROOT_PW, '-b', BASE_DN, '-E', `pr=${PAGE_SIZE}/noprompt`, query.filter, ...query.attributes];
  const gpauditArgs = [
    args.cli, 'ldap', 'scan', '--url', server.url, '--allow-plaintext', '--bind-dn', ROOT_DN, '--base-dn', BASE_DN,
    ...(args.filter === undefined ? [] : ['--filter', args.filter]), '--format', 'json', '-o', '/dev/null',
  ];
  const url = 'ldap://127.0.0.1:PORT';
  return {
    ldapsearch: {
      file: 'ldapsearch',
      args: ldapsearchArgs,
      shown: `ldapsearch -LLL -x -H ${url} -D ${ROOT_DN} -w "$PW" -b ${BASE_DN} -E pr=${PAGE_SIZE}/noprompt '${query.filter}' ${query.attributes.join(' ')} > /dev/null`,
    },
    gpaudit: {
      file: process.execPath,
      node: true,
      args: gpauditArgs,
      shown: `GPAUDIT_LDAP_PASSWORD="$PW" node ${relative(ROOT, args.cli)} ldap scan --url ${url} --allow-plaintext --bind-dn ${ROOT_DN} --base-dn ${BASE_DN}${args.filter === undefined ? '' : ` --filter '${args.filter}'`} --format json -o /dev/null`,
    },
    ldapts: {
      file: process.execPath,
      node: true,
      args: [LDAPTS_LOOP, query.filter, String(PAGE_SIZE), ...query.attributes],
      shown: `node bench/ldap/ldapts-loop.mjs '${query.filter}' ${PAGE_SIZE} ${query.attributes.join(' ')}`,
    },
  };
}

function envFor(server) {
  return {
    ...process.env,
    GPAUDIT_LDAP_PASSWORD: ROOT_PW,
    // bench/ldap/ldapts-loop.mjs reads these.
    GPAUDIT_SAMBA_URL: server.url,
    GPAUDIT_SAMBA_BIND_DN: ROOT_DN,
    GPAUDIT_SAMBA_PASSWORD: ROOT_PW,
    GPAUDIT_SAMBA_BASE_DN: BASE_DN,
  };
}

/**
 * Runs one command once, stdout to `stdoutTo`. Wall time from spawn to exit; peak RSS from /usr/bin/time -f %M and,
 * for node children, from bench/lib/maxrss-preload.mjs, with the heap peaks from memory-preload.mjs.
 */
function runOnce(name, command, env, { stdoutTo = '/dev/null', extraNodeArgs = [], extraEnv = {}, argsMap } = {}) {
  mkdirSync(SCRATCH, { recursive: true });
  const rssFile = join(SCRATCH, `rss-${process.pid}.txt`);
  const timeFile = join(SCRATCH, `time-${process.pid}.txt`);
  const memFile = join(SCRATCH, `mem-${process.pid}.json`);
  for (const f of [rssFile, timeFile, memFile]) rmSync(f, { force: true });
  const commandArgs = argsMap ? command.args.map(argsMap) : command.args;
  const args = command.node ? ['--import', RSS_PRELOAD, '--import', MEMORY_PRELOAD, ...extraNodeArgs, ...commandArgs] : commandArgs;
  const [file, argv] = existsSync(TIME) ? [TIME, ['-f', '%M', '-o', timeFile, command.file, ...args]] : [command.file, args];
  const out = openSync(stdoutTo, 'w');
  let child;
  const t0 = performance.now();
  try {
    child = spawnSync(file, argv, {
      cwd: ROOT,
      env: { ...env, ...extraEnv, GPAUDIT_BENCH_RSS_FILE: rssFile, GPAUDIT_BENCH_MEMORY_FILE: memFile },
      stdio: ['ignore', out, 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
  } finally {
    closeSync(out);
  }
  const ms = performance.now() - t0;
  const preloadKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : undefined;
  const timeKb = existsSync(timeFile) ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) : undefined;
  const memory = existsSync(memFile) ? JSON.parse(readFileSync(memFile, 'utf8')) : undefined;
  for (const f of [rssFile, timeFile, memFile]) rmSync(f, { force: true });
  // gpaudit exits 1 when it has findings at or above --fail-on: that is a finished scan.
  const ok = !child.error && (child.status === 0 || (name === 'gpaudit' && child.status === 1));
  const run = { ms, preloadKb, timeKb, rssKb: Math.max(preloadKb ?? 0, Number.isFinite(timeKb) ? timeKb : 0) || undefined, memory, status: child.status, signal: child.signal };
  if (!ok) run.error = `${name} exited ${child.status ?? child.signal}: ${(child.error?.message ?? child.stderr ?? '').slice(-1500)}`;
  run.stderr = child.stderr?.slice(-4000);
  return run;
}

function grepCount(pattern, file) {
  const out = spawnSync('grep', ['-c', '-E', pattern, file], { encoding: 'utf8' });
  return Number(out.stdout.trim());
}

/** One untimed pass of each, output kept, to check they read the same users (and to warm slapd and the page cache). */
function countUsers(cmds, env, withLdapts) {
  const ldif = join(SCRATCH, 'verify.ldif');
  const report = join(SCRATCH, 'verify.json');
  const counted = join(SCRATCH, 'verify.count');
  const counts = {};
  const errors = [];
  const a = runOnce('ldapsearch', cmds.ldapsearch, env, { stdoutTo: ldif });
  if (a.error) errors.push(a.error);
  // `dn:: ` is a base64 DN; LDIF continuation lines start with a space.
  counts.ldapsearch = grepCount('^dn::? ', ldif);
  const g = runOnce('gpaudit', cmds.gpaudit, env, { argsMap: (x) => (x === '/dev/null' ? report : x) });
  if (g.error) errors.push(g.error);
  const notice = spawnSync('grep', ['-o', '-m', '1', '-E', 'scanned [0-9]+ user\\(s\\)', report], { encoding: 'utf8' }).stdout;
  counts.gpaudit = Number(/scanned (\d+)/.exec(notice)?.[1] ?? NaN);
  const reportBytes = existsSync(report) ? statSync(report).size : undefined;
  const findings = existsSync(report) ? grepCount('"fingerprint"', report) : undefined;
  if (withLdapts) {
    const l = runOnce('ldapts', cmds.ldapts, env, { stdoutTo: counted });
    if (l.error) errors.push(l.error);
    counts.ldapts = Number(readFileSync(counted, 'utf8').trim());
  }
  for (const f of [ldif, report, counted]) rmSync(f, { force: true });
  return { counts, agree: new Set(Object.values(counts)).size === 1, errors, reportBytes, findings, verifyMs: { ldapsearch: a.ms, gpaudit: g.ms } };
}

/** Round r runs the tools in an order rotated by r, so none of them always goes first after a pause. */
function roundOrder(names, round) {
  return names.map((_, i) => names[(i + round) % names.length]);
}

function summarise(runs) {
  const good = runs.filter((r) => !r.error);
  const ms = runs.map((r) => r.ms);
  const best = good.length ? Math.min(...good.map((r) => r.ms)) : undefined;
  const preloadKb = Math.max(0, ...good.map((r) => r.preloadKb ?? 0)) || undefined;
  const timeKb = Math.max(0, ...good.map((r) => (Number.isFinite(r.timeKb) ? r.timeKb : 0))) || undefined;
  const heapUsed = Math.max(0, ...good.map((r) => r.memory?.peak.heapUsed ?? 0)) || undefined;
  const heapTotal = Math.max(0, ...good.map((r) => r.memory?.peak.heapTotal ?? 0)) || undefined;
  const external = Math.max(0, ...good.map((r) => r.memory?.peak.external ?? 0)) || undefined;
  return { ms, bestMs: best, preloadKb, timeKb, rssKb: Math.max(preloadKb ?? 0, timeKb ?? 0) || undefined, heapUsed, heapTotal, external, errors: runs.filter((r) => r.error).map((r) => r.error) };
}

// ---------------------------------------------------------------------------------------------------------------
// CPU profile of one gpaudit run (self time per function and file; inclusive time of gpaudit's own functions).

function profileOnce(command, env, label, cli) {
  const dir = join(SCRATCH, `profile-${label}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const run = runOnce('gpaudit', command, env, { extraNodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] });
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return { error: `node --cpu-prof wrote no profile in ${dir}${run.error ? `: ${run.error}` : ''}` };
  const summary = summariseProfile(join(dir, file), dirname(dirname(dirname(cli))));
  return { wallMs: run.ms, totalMs: summary.totalMs, functions: summary.functions.slice(0, 25), files: summary.files.slice(0, 15), inclusive: inclusiveTimes(join(dir, file), dirname(dirname(cli))).slice(0, 30), path: join(dir, file) };
}

function profileText(p) {
  if (p.error) return `CPU profile: ${p.error}`;
  const fn = p.functions.slice(0, 15).map((f) => { const [name, where] = f.key.split('\t'); return [name, where, f.ms.toFixed(0), `${(f.share * 100).toFixed(1)} %`]; });
  const files = p.files.slice(0, 10).map((f) => [f.key, f.ms.toFixed(0), `${(f.share * 100).toFixed(1)} %`]);
  const steps = p.inclusive.slice(0, 15).map((f) => { const [name, where] = f.key.split('\t'); return [name, where, f.ms.toFixed(0), `${((f.ms / p.totalMs) * 100).toFixed(1)} %`]; });
  return `CPU profile of one gpaudit run (${(p.totalMs / 1000).toFixed(2)} s sampled, ${s(p.wallMs)} s wall with the profiler; ${p.path})\n\n${table(['function (self time)', 'file:line', 'ms', 'share'], fn)}\n\n${table(['file (self time)', 'ms', 'share'], files)}\n\n${table(['gpaudit function (inclusive)', 'file:line', 'ms', 'share'], steps)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// --history-test: the cost of --history, and SIGKILL half-way (in the history write, then in the scan).

function historyFiles(path) {
  return [path, `${path}-wal`, `${path}-shm`, `${path}-journal`];
}

async function historyStore(cli) {
  return import(pathToFileURL(join(dirname(dirname(cli)), 'history', 'store.js')).href);
}

/** Starts gpaudit --history in the background; kills it with SIGKILL when `when` says so. */
function runAndKill(command, env, extraEnv, when) {
  return new Promise((done) => {
    const args = ['--import', HISTORY_PRELOAD, ...command.args];
    const t0 = performance.now();
    const child = spawn(command.file, args, { cwd: ROOT, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killedAtMs;
    let completeRunSeenAtMs;
    const kill = (why) => {
      if (killedAtMs !== undefined || child.exitCode !== null) return;
      killedAtMs = performance.now() - t0;
      child.kill('SIGKILL');
      log(`history test: SIGKILL ${why} at ${s(killedAtMs)} s (pid ${child.pid})`);
    };
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString();
      if (when.afterCompleteRunMs !== undefined && completeRunSeenAtMs === undefined && stderr.includes('gpaudit-bench: completeRun begins')) {
        completeRunSeenAtMs = performance.now() - t0;
        setTimeout(() => kill(`${when.afterCompleteRunMs.toFixed(0)} ms into completeRun`), when.afterCompleteRunMs);
      }
    });
    if (when.atMs !== undefined) setTimeout(() => kill('during the scan'), when.atMs);
    child.on('exit', (code, signal) => done({ code, signal, killedAtMs, completeRunSeenAtMs, wallMs: performance.now() - t0, stderr: stderr.slice(-3000) }));
  });
}

/** PRAGMA integrity_check, the runs as stored and as gpaudit shows them, and whether each completed run is whole. */
async function checkHistory(path, cli) {
  const require = (await import('node:module')).createRequire(join(ROOT, 'package.json'));
  const Database = require('better-sqlite3');
  const db = new Database(path, { readonly: true });
  let integrity;
  let rows;
  try {
    integrity = db.prepare('PRAGMA integrity_check').pluck().all();
    rows = db.prepare('SELECT r.id, r.status, r.scanned, r.findings_count, r.error, (SELECT count(*) FROM findings f WHERE f.run_id = r.id) AS stored FROM runs r ORDER BY r.id').all();
  } finally {
    db.close();
  }
  const { openHistory } = await historyStore(cli);
  const history = openHistory(path, { readOnly: true });
  let shown;
  try {
    shown = history.listRuns({ limit: 1000 }).map((r) => ({ id: r.id, status: r.status }));
  } finally {
    history.close();
  }
  const runs = rows.map((r) => ({ ...r, shownAs: shown.find((x) => x.id === r.id)?.status }));
  return { integrity, runs };
}

async function historyTest(cmds, env, args, baselineNoHistoryMs) {
  const path = join(SCRATCH, 'history.sqlite');
  for (const f of historyFiles(path)) rmSync(f, { force: true });
  const store = pathToFileURL(join(dirname(dirname(args.cli)), 'history', 'store.js')).href;
  const timesFile = join(SCRATCH, 'history-times.json');
  const withHistory = { ...cmds.gpaudit, args: [...cmds.gpaudit.args.slice(0, -4), '--history', path, ...cmds.gpaudit.args.slice(-4)] };
  const out = { file: path, command: `${cmds.gpaudit.shown.replace(' --format', ` --history ${path} --format`)}` };

  log(`history test: one run without --history, then two with (an empty history, then one run in it) (load ${load()})`);
  out.without = runOnce('gpaudit', cmds.gpaudit, env);
  const runs = [];
  for (let i = 0; i < 2; i++) {
    rmSync(timesFile, { force: true });
    const r = runOnce('gpaudit', withHistory, env, { extraNodeArgs: ['--import', HISTORY_PRELOAD], extraEnv: { GPAUDIT_BENCH_HISTORY_STORE: store, GPAUDIT_BENCH_HISTORY_TIMES: timesFile } });
    r.store = existsSync(timesFile) ? JSON.parse(readFileSync(timesFile, 'utf8')) : undefined;
    r.storeMs = r.store ? Object.values(r.store.times).reduce((a, t) => a + t.ms, 0) : undefined;
    r.fileBytes = historyFiles(path).reduce((a, f) => a + (existsSync(f) ? statSync(f).size : 0), 0);
    r.findingsLine = /completeRun begins at \d+ ms with (\d+) findings/.exec(r.stderr ?? '')?.[1];
    delete r.stderr;
    runs.push(r);
    log(`history test: --history run ${i + 1}: ${s(r.ms)} s, store calls ${r.storeMs?.toFixed(0)} ms (${Object.entries(r.store?.times ?? {}).map(([k, t]) => `${k} ${t.ms.toFixed(0)} ms`).join(', ')}), ${r.findingsLine} findings, file ${(r.fileBytes / MB).toFixed(0)} MB${r.error ? `; ${r.error}` : ''}`);
  }
  out.with = runs;
  out.baselineNoHistoryMs = baselineNoHistoryMs;
  // Opening the file (gpaudit checks it with PRAGMA quick_check first) happens before the scan, outside the timed methods.
  const { openHistory } = await historyStore(args.cli);
  const t0 = performance.now();
  openHistory(path).close();
  out.openMs = performance.now() - t0;
  out.before = await checkHistory(path, args.cli);

  // Crash 1: SIGKILL inside completeRun, half-way through its measured duration.
  const completeMs = runs[1]?.store?.times?.completeRun?.ms ?? runs[0]?.store?.times?.completeRun?.ms ?? 1000;
  log(`history test: crash 1, SIGKILL ${(completeMs / 2).toFixed(0)} ms into completeRun (load ${load()})`);
  const crash1 = await runAndKill(withHistory, env, { GPAUDIT_BENCH_HISTORY_STORE: store }, { afterCompleteRunMs: completeMs / 2 });
  crash1.check = await checkHistory(path, args.cli);
  out.crashInWrite = crash1;

  // Crash 2: SIGKILL half-way through the scan (by the no-history wall time).
  const scanMs = out.without.ms;
  log(`history test: crash 2, SIGKILL at ${s(scanMs / 2)} s, half-way through the scan (load ${load()})`);
  const crash2 = await runAndKill(withHistory, env, { GPAUDIT_BENCH_HISTORY_STORE: store }, { atMs: scanMs / 2 });
  crash2.check = await checkHistory(path, args.cli);
  out.crashInScan = crash2;

  // Verdict: integrity ok; the completed runs whole (stored findings = findings_count); the killed runs not
  // completed and without findings; and a fourth open for writing still works (gpaudit's own check).
  const judge = (check, killedIds) => {
    const problems = [];
    if (check.integrity.length !== 1 || check.integrity[0] !== 'ok') problems.push(`integrity_check: ${check.integrity.slice(0, 3).join('; ')}`);
    for (const r of check.runs) {
      if (r.status === 'completed' && r.stored !== r.findings_count) problems.push(`run ${r.id} completed with ${r.stored} of ${r.findings_count} findings`);
      if (r.status !== 'completed' && r.stored !== 0) problems.push(`run ${r.id} ${r.status} holds ${r.stored} findings`);
    }
    const killed = check.runs.filter((r) => !killedIds.includes(r.id) && r.status !== 'completed');
    for (const r of killed) if (!['interrupted', 'failed'].includes(r.shownAs)) problems.push(`run ${r.id} shown as ${r.shownAs}`);
    return problems;
  };
  const earlier = out.before.runs.filter((r) => r.status === 'completed').map((r) => r.id);
  crash1.problems = judge(crash1.check, []);
  for (const id of earlier) if (crash1.check.runs.find((r) => r.id === id)?.status !== 'completed') crash1.problems.push(`earlier run ${id} lost`);
  crash2.problems = judge(crash2.check, []);
  for (const id of earlier) if (crash2.check.runs.find((r) => r.id === id)?.status !== 'completed') crash2.problems.push(`earlier run ${id} lost`);
  try {
    openHistory(path).close();
    out.reopenForWriting = 'ok';
  } catch (err) {
    out.reopenForWriting = err.message;
  }
  return out;
}

function historyText(h) {
  const lines = [];
  const w = h.with;
  const noHist = h.without;
  lines.push(`--history at this size (${h.file}):`);
  const rows = [['without --history', s(noHist.ms), '-', '-', '-', mb(noHist.rssKb)?.toFixed(0) ?? '-']];
  w.forEach((r, i) => {
    const t = r.store?.times ?? {};
    const store = r.storeMs ?? 0;
    rows.push([
      `with --history, run ${i + 1}${i === 0 ? ' (empty file)' : ' (diff vs run 1)'}`,
      s(r.ms),
      `${(store / 1000).toFixed(2)} (${((store / r.ms) * 100).toFixed(1)} %)`,
      `${((r.ms - noHist.ms) / 1000).toFixed(2)} (${(((r.ms - noHist.ms) / r.ms) * 100).toFixed(1)} %)`,
      ['startRun', 'lastCompletedRun', 'diff', 'diffRuns', 'completeRun', 'close'].map((k) => `${k} ${(t[k]?.ms ?? 0).toFixed(0)}`).join(', '),
      mb(r.rssKb)?.toFixed(0) ?? '-',
    ]);
  });
  lines.push(table(['run', 'wall s', 'store calls s (share)', 'wall − without s (share)', 'store calls, ms', 'peak RSS MB'], rows));
  lines.push(`opening the ${(w.at(-1)?.fileBytes / MB).toFixed(0)} MB history for writing (PRAGMA quick_check + WAL setup): ${h.openMs.toFixed(0)} ms`);
  for (const [name, c] of [['crash 1 (SIGKILL inside completeRun)', h.crashInWrite], ['crash 2 (SIGKILL half-way through the scan)', h.crashInScan]]) {
    const runs = c.check.runs.map((r) => `#${r.id} ${r.status}${r.shownAs && r.shownAs !== r.status ? `→${r.shownAs}` : ''} ${r.stored}/${r.findings_count ?? '-'}`).join(', ');
    lines.push(`${name}: exit ${c.signal ?? c.code} after ${s(c.wallMs)} s${c.completeRunSeenAtMs !== undefined ? ` (completeRun began at ${s(c.completeRunSeenAtMs)} s)` : ''}; integrity_check ${c.check.integrity.join('; ')}; runs (status, findings stored/count): ${runs}; ${c.problems.length ? `PROBLEMS: ${c.problems.join('; ')}` : 'consistent: PASS'}`);
  }
  lines.push(`open for writing afterwards: ${h.reopenForWriting}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------

function sizeTable(r) {
  const rows = [];
  for (const name of Object.keys(r.tools)) {
    const t = r.tools[name];
    if (t.bestMs === undefined) {
      rows.push([name, t.ms.map((m) => s(m)).join(' / '), 'failed', '-', '-', '-', '-', '-', '-']);
      continue;
    }
    const ratio = t.bestMs / r.tools.ldapsearch.bestMs;
    const rss = mb(t.rssKb);
    const judged = name === 'gpaudit';
    rows.push([
      name,
      t.ms.map((m) => s(m)).join(' / '),
      s(t.bestMs),
      Math.round(r.users / (t.bestMs / 1000)).toLocaleString('en-US'),
      `${ratio.toFixed(2)}×${judged ? ` ${verdict(ratio <= TARGET_RATIO)}` : ''}`,
      rss === undefined ? '-' : `${rss.toFixed(1)}${judged && r.size <= 10_000 ? ` ${verdict(rss <= TARGET_RSS_MB_AT_10K)}` : ''}`,
      t.preloadKb ? mb(t.preloadKb).toFixed(0) : '-',
      t.timeKb ? mb(t.timeKb).toFixed(0) : '-',
      t.heapUsed ? `${(t.heapUsed / MB).toFixed(0)} / ${(t.heapTotal / MB).toFixed(0)}` : '-',
    ]);
  }
  return table(['tool', 'wall s per round', 'best s', 'users/s', `÷ ldapsearch (≤ ${TARGET_RATIO}×)`, `peak RSS MB`, 'maxRSS preload', '/usr/bin/time %M', 'peak heap used / total MB'], rows);
}

function acrossTable(results) {
  const rows = results.filter((r) => r.tools).map((r) => {
    const ls = r.tools.ldapsearch.bestMs;
    const g = r.tools.gpaudit.bestMs;
    const per = (ms) => (ms === undefined ? '-' : ((ms / 1000) * (100_000 / r.users)).toFixed(2));
    const ratio = ls && g ? g / ls : undefined;
    return [
      r.size.toLocaleString('en-US'),
      r.users.toLocaleString('en-US'),
      `${r.template.manifest.generateSeconds.toFixed(1)} + ${r.template.manifest.slapaddSeconds.toFixed(1)}${r.template.built ? '' : ' (cached)'}`,
      (r.template.manifest.mdbOnDiskBytes / MB).toFixed(0),
      ls === undefined ? '-' : s(ls),
      g === undefined ? '-' : s(g),
      ratio === undefined ? '-' : `${ratio.toFixed(2)}× ${verdict(ratio <= TARGET_RATIO)}`,
      per(ls),
      per(g),
      r.rssMb === undefined ? '-' : `${r.rssMb.toFixed(1)}${r.size <= 10_000 ? ` ${verdict(r.rssMb <= TARGET_RSS_MB_AT_10K)}` : ''}`,
      r.load,
    ];
  });
  return table(['accounts', 'users scanned', 'template s (generate + slapadd -q)', 'mdb MB', 'ldapsearch s', 'gpaudit s', 'gpaudit ÷ ldapsearch', 'ldapsearch s/100k', 'gpaudit s/100k', 'gpaudit peak RSS MB', 'load (1, 5, 15 min)'], rows);
}

function growthText(results) {
  const at = (n) => results.find((r) => r.size === n && r.rssMb !== undefined);
  const lines = [];
  const a = at(100_000);
  const b = at(1_000_000);
  if (a && b) {
    const growth = (b.rssMb - a.rssMb) / a.rssMb;
    lines.push(`peak RSS growth 100k → 1M: ${a.rssMb.toFixed(1)} → ${b.rssMb.toFixed(1)} MB, ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} % ${verdict(growth < TARGET_GROWTH)} (target < ${TARGET_GROWTH * 100} %)`);
  } else {
    lines.push('peak RSS growth 100k → 1M: not measured (both sizes are needed)');
  }
  const timed = results.filter((r) => r.tools?.gpaudit.bestMs !== undefined);
  if (timed.length > 1) {
    const first = timed[0];
    for (const r of timed.slice(1)) {
      const per0 = first.tools.gpaudit.bestMs / first.users;
      const per1 = r.tools.gpaudit.bestMs / r.users;
      const l0 = first.tools.ldapsearch.bestMs / first.users;
      const l1 = r.tools.ldapsearch.bestMs / r.users;
      lines.push(`time per user ${first.size.toLocaleString('en-US')} → ${r.size.toLocaleString('en-US')}: gpaudit ×${(per1 / per0).toFixed(2)}, ldapsearch ×${(l1 / l0).toFixed(2)} (1.00 = linear)`);
    }
  }
  return lines.join('\n');
}

function machine() {
  return {
    cpu: `${cpus()[0]?.model ?? '?'} × ${cpus().length}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    kernel: release(),
    node: process.version,
    slapd: slapdVersion(),
    ldapsearch: (spawnSync('ldapsearch', ['-VV'], { encoding: 'utf8' }).stderr ?? '').split('\n').find((l) => l.includes('ldapsearch'))?.trim() ?? '?',
  };
}

async function measureSize(size, args, { timed, history }) {
  const result = { size, loadBefore: uptime() };
  const template = ensureTemplate(size, args.seed);
  result.template = template;
  let server;
  try {
    server = await startSlapd(template.dir);
    log(`slapd: ${server.url} ready in ${server.startMs.toFixed(0)} ms (pid ${server.pid})`);
    result.slapdStartMs = server.startMs;
    const query = await gpauditQuery(args.cli, args.filter);
    result.filter = query.filter;
    result.attributes = query.attributes;
    const cmds = commands(server, query, args);
    result.commands = Object.fromEntries(Object.entries(cmds).map(([k, c]) => [k, c.shown]));
    const env = envFor(server);
    const names = ['ldapsearch', 'gpaudit', ...(args.ldapts ? ['ldapts'] : [])];
    if (timed) {
      log(`${size.toLocaleString('en-US')}: verify pass (load ${load()})`);
      result.verify = countUsers(cmds, env, args.ldapts);
      result.users = result.verify.counts.ldapsearch;
      result.expected = template.manifest.counts.matching;
      if (!result.verify.agree || result.users !== result.expected) log(`WARNING: counts disagree: ${JSON.stringify(result.verify.counts)}, generator expects ${result.expected}`);
      const runs = Object.fromEntries(names.map((n) => [n, []]));
      for (let round = 0; round < args.rounds; round++) {
        for (const name of roundOrder(names, round)) {
          const r = runOnce(name, cmds[name], env);
          delete r.stderr;
          runs[name].push(r);
          log(`${size.toLocaleString('en-US')}: round ${round + 1} ${name} ${s(r.ms)} s, RSS ${mb(r.rssKb)?.toFixed(0)} MB${r.error ? `; ${r.error}` : ''} (load ${load()})`);
        }
      }
      result.tools = Object.fromEntries(names.map((n) => [n, summarise(runs[n])]));
      result.ratio = result.tools.gpaudit.bestMs / result.tools.ldapsearch.bestMs;
      result.rssMb = mb(result.tools.gpaudit.rssKb);
      result.load = load();
      console.log(`\n${size.toLocaleString('en-US')} accounts: ${result.users.toLocaleString('en-US')} users match the scan filter (gpaudit ${result.verify.counts.gpaudit}, ldapsearch ${result.verify.counts.ldapsearch}${result.verify.counts.ldapts !== undefined ? `, ldapts ${result.verify.counts.ldapts}` : ''}, generator ${result.expected}: ${result.verify.agree && result.users === result.expected ? 'agree' : 'DISAGREE'}); ${result.verify.findings} findings, report ${(result.verify.reportBytes / MB).toFixed(1)} MB; best of ${args.rounds}, order rotated; load ${result.load}\n`);
      console.log(sizeTable(result));
      const missed = result.ratio > TARGET_RATIO || (size <= 10_000 && result.rssMb > TARGET_RSS_MB_AT_10K);
      if (args.profile === 'always' || (args.profile === 'auto' && missed && size <= 100_000)) {
        log(`${size.toLocaleString('en-US')}: CPU profile of one more gpaudit run`);
        result.profile = profileOnce(cmds.gpaudit, env, size, args.cli);
        console.log(`\n${profileText(result.profile)}`);
      }
    }
    if (history) {
      result.history = await historyTest(cmds, env, args, result.tools?.gpaudit.bestMs);
      console.log(`\n${historyText(result.history)}`);
    }
  } catch (err) {
    result.error = err instanceof Error ? err.stack : String(err);
    console.log(`\n${size.toLocaleString('en-US')} accounts: FAILED: ${result.error}`);
  } finally {
    await stopSlapd(server);
    if (server) log(`slapd: stopped (pid ${server.pid})`);
  }
  result.loadAfter = uptime();
  return result;
}

/**
 * One rig at a time per scratch folder: two would share the history file and the CPU. Returns false (after saying
 * why) when another live run holds the lock.
 */
function takeLock() {
  mkdirSync(SCRATCH, { recursive: true });
  const lock = join(SCRATCH, 'rig.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      process.on('exit', () => rmSync(lock, { force: true }));
      return true;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lock, 'utf8'));
      let alive = false;
      try {
        process.kill(holder, 0);
        alive = true;
      } catch (e) {
        alive = e.code === 'EPERM';
      }
      if (alive && holder !== process.pid) {
        console.log(`another run of the rig (pid ${holder}) is using ${SCRATCH}; not starting a second one`);
        return false;
      }
      rmSync(lock, { force: true });
    }
  }
  return false;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!takeLock()) return;
  const started = new Date();
  const report = { date: started.toISOString(), args, uptimeAtStart: uptime() };
  try {
    ensureSlapdInstalled();
    if (!existsSync(args.cli)) throw new Error(`${args.cli} is missing: npm run build first (npm run bench:ldap-scale does)`);
    const m = machine();
    report.machine = m;
    console.log(`machine: ${m.cpu}, ${m.memory}, Linux ${m.kernel}, Node ${m.node}, ${m.slapd}, ${m.ldapsearch}`);
    console.log(`at start: ${report.uptimeAtStart}`);
    const sizes = [...args.sizes];
    if (args.historyTest && !sizes.includes(args.historySize)) sizes.push(args.historySize);
    report.results = [];
    for (const size of sizes) {
      report.results.push(await measureSize(size, args, { timed: args.sizes.includes(size), history: args.historyTest && size === args.historySize }));
      mkdirSync(dirname(args.out), { recursive: true });
      writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
    }
    const first = report.results.find((r) => r.commands);
    if (first) console.log(`\ncommands (the filter is gpaudit's own, from checkScanOptions with --filter ${args.filter === undefined ? '(none)' : `'${args.filter}'`}):\n${Object.values(first.commands).map((c) => `  ${c}`).join('\n')}`);
    console.log(`\nacross sizes (best of ${args.rounds}; targets: gpaudit ≤ ${TARGET_RATIO}× ldapsearch, peak RSS ≤ ${TARGET_RSS_MB_AT_10K} MB at 10k, RSS growth < ${TARGET_GROWTH * 100} % from 100k to 1M)\n`);
    console.log(acrossTable(report.results));
    console.log(`\n${growthText(report.results)}`);
  } catch (err) {
    report.error = err instanceof Error ? err.stack : String(err);
    console.log(`\nbench failed: ${report.error}`);
  }
  report.uptimeAtEnd = uptime();
  report.seconds = (Date.now() - started.getTime()) / 1000;
  console.log(`at end: ${report.uptimeAtEnd}; ${report.seconds.toFixed(0)} s in all`);
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`full results: ${args.out}`);
}

await main();
process.exit(0);
