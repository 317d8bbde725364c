#!/usr/bin/env node
// `npm run bench`: gpaudit settings over a synthetic estate against a floor measured in the same run, then the
// XML library comparison on the real corpus, then start-up (bench/startup.mjs), then the Registry.pol reader against
// Samba's decoder on the real corpus (bench/regpol-samba.mjs). Prints numbers; fails nothing.
//
//   node --expose-gc bench/run.mjs [--gpos 5000] [--seed gpaudit] [--rounds 3] [--text-rounds 1]
//                                  [--no-xml] [--no-startup] [--startup-runs 10] [--no-regpol] [--profile]
//                                  [--cli dist/cli/main.js]
//                                  [--out bench/.estate/last-run.json]
//
// Needs a built dist/ (npm run bench builds first). --cli benches another build of gpaudit (a copy of dist/ with a
// change in it, say) against the same estate and floor.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULTS, ensureEstate, estateTable } from './generate-estate.mjs';
import { summariseProfile } from './lib/profile.mjs';
import { table } from './lib/stats.mjs';
import { regpolBench } from './regpol-samba.mjs';
import { startupBench } from './startup.mjs';
import { compareLibraries, librariesTable } from './xml-libs.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCRATCH = join(ROOT, 'bench', '.estate');
const PRELOAD = join(ROOT, 'bench', 'lib', 'maxrss-preload.mjs');
const TIME = '/usr/bin/time';
const TARGET_RATIO = 1.5;
const TARGET_AUDIT_RATIO = 1.2;
/** `gpaudit audit` on every core against the one-thread floor (issue 12). */
const TARGET_POOL_RATIO = 1.0;
const TARGET_RSS_MB = 300;
const MB = 1e6;

function parseArgs(argv) {
  const args = { gpos: DEFAULTS.gpos, seed: DEFAULTS.seed, rounds: 3, textRounds: 1, xml: true, startup: true, startupRuns: 10, regpol: true, profile: false, cli: join(ROOT, 'dist', 'cli', 'main.js'), out: join(SCRATCH, 'last-run.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--gpos') args.gpos = Number(argv[++i]);
    else if (a === '--seed') args.seed = argv[++i];
    else if (a === '--rounds') args.rounds = Number(argv[++i]);
    else if (a === '--text-rounds') args.textRounds = Number(argv[++i]);
    else if (a === '--no-xml') args.xml = false;
    else if (a === '--no-startup') args.startup = false;
    else if (a === '--startup-runs') args.startupRuns = Number(argv[++i]);
    else if (a === '--no-regpol') args.regpol = false;
    else if (a === '--profile') args.profile = true;
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--cli') args.cli = resolve(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  return args;
}

/**
 * Runs `node <args>` once: wall time from spawn to exit, peak RSS from the --import preload (always) and from
 * /usr/bin/time -f %M when the machine has it, as a cross-check.
 */
function runNode(nodeArgs, label) {
  const rssFile = join(SCRATCH, `rss-${process.pid}.txt`);
  const timeFile = join(SCRATCH, `time-${process.pid}.txt`);
  rmSync(rssFile, { force: true });
  rmSync(timeFile, { force: true });
  const command = existsSync(TIME) ? [TIME, '-f', '%M', '-o', timeFile, process.execPath] : [process.execPath];
  const env = { ...process.env, GPAUDIT_BENCH_RSS_FILE: rssFile };
  const t0 = performance.now();
  const child = spawnSync(command[0], [...command.slice(1), '--import', PRELOAD, ...nodeArgs], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (child.error) throw child.error;
  const preloadKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : undefined;
  const timeKb = existsSync(timeFile) ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) : undefined;
  rmSync(rssFile, { force: true });
  rmSync(timeFile, { force: true });
  if (child.status !== 0 && child.status !== 1 && child.status !== 2) process.stderr.write(`  ${label} exited ${child.status}: ${child.stderr.slice(0, 500)}\n`);
  return { ms, status: child.status, stdout: child.stdout, preloadKb, timeKb };
}

function gpauditArgs(cli, backups, format, command = 'settings') {
  return [cli, command, backups, '--format', format, '-o', '/dev/null'];
}

function summarise(runs) {
  const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const rssKb = Math.max(...runs.map((r) => Math.max(r.preloadKb ?? 0, r.timeKb ?? 0)));
  return { ms: runs.map((r) => r.ms), bestMs: best.ms, rssKb, preloadKb: Math.max(...runs.map((r) => r.preloadKb ?? 0)), timeKb: Math.max(...runs.map((r) => r.timeKb ?? 0)) || undefined, status: best.status };
}

function throughputRow(name, s, manifest) {
  const seconds = s.bestMs / 1000;
  return [
    name,
    s.ms.map((m) => (m / 1000).toFixed(2)).join(' / '),
    seconds.toFixed(2),
    Math.round(manifest.files / seconds).toLocaleString('en-US'),
    (manifest.bytes / MB / seconds).toFixed(1),
    (s.rssKb * 1024 / MB).toFixed(0),
  ];
}

function machine() {
  return { nproc: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGB: Math.round(totalmem() / 1e9), node: process.version };
}

function profileRun(cli, backups) {
  const dir = join(SCRATCH, 'profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.error('Profiling one gpaudit settings --format json --jobs 1 run (node --cpu-prof: the main thread, so one thread does all) …');
  runNode(['--cpu-prof', '--cpu-prof-dir', dir, ...gpauditArgs(cli, backups, 'json'), '--jobs', '1'], 'profile');
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const summary = summariseProfile(join(dir, file), ROOT);
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  const functions = summary.functions.slice(0, 20).map((f) => [...f.key.split('\t'), f.ms.toFixed(0), pct(f.share)]);
  const files = summary.files.slice(0, 12).map((f) => [f.key, f.ms.toFixed(0), pct(f.share)]);
  return {
    summary: { totalMs: summary.totalMs, functions: summary.functions.slice(0, 40), files: summary.files.slice(0, 20), profile: join(dir, file) },
    text: `CPU profile (${(summary.totalMs / 1000).toFixed(1)} s sampled; ${join(dir, file)})\n\n${table(['function (self time)', 'file:line', 'ms', 'share'], functions)}\n\n${table(['file (self time)', 'ms', 'share'], files)}`,
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')) || !existsSync(join(ROOT, 'dist', 'codecs', 'decode.js'))) {
    console.error('dist/ is missing: run `npm run build` first (npm run bench does).');
    process.exit(1);
  }
  mkdirSync(SCRATCH, { recursive: true });
  const m = machine();
  console.log(`Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memoryGB} GB memory, Node ${m.node}`);
  console.log(`gpaudit: ${relative(ROOT, args.cli) || args.cli}\n`);

  const { dir, manifest, reused } = await ensureEstate({ gpos: args.gpos, seed: args.seed });
  console.log(`${reused ? 'Reused' : `Generated (${manifest.generatedSeconds} s)`} estate: ${manifest.gpos} Backup-GPO folders, ${manifest.files} files, ${(manifest.bytes / MB).toFixed(1)} MB in ${dir}\n`);
  console.log(`${estateTable(manifest)}\n`);
  const backups = join(dir, 'backups');
  const floorArgs = [join(ROOT, 'bench', 'floor.mjs'), backups];

  console.error('Warming the page cache (one untimed floor run) …');
  const warm = runNode(floorArgs, 'floor');
  const floorCounts = JSON.parse(warm.stdout);
  // Every command on the same estate, alternating with the floor each round. --jobs 1 is the one-thread path; the
  // default is the cores Node reports (availableParallelism); jobs 2 is shown apart only where the default differs.
  const cores = availableParallelism();
  const variants = [
    { key: 'json1', label: 'gpaudit settings --format json --jobs 1', args: [...gpauditArgs(args.cli, backups, 'json'), '--jobs', '1'] },
    { key: 'json', label: `gpaudit settings --format json (default jobs: ${cores})`, args: gpauditArgs(args.cli, backups, 'json') },
    { key: 'audit1', label: 'gpaudit audit --format json --jobs 1', args: [...gpauditArgs(args.cli, backups, 'json', 'audit'), '--jobs', '1'] },
    ...(cores !== 2 ? [{ key: 'audit2', label: 'gpaudit audit --format json --jobs 2', args: [...gpauditArgs(args.cli, backups, 'json', 'audit'), '--jobs', '2'] }] : []),
    { key: 'audit', label: `gpaudit audit --format json (default jobs: ${cores})`, args: gpauditArgs(args.cli, backups, 'json', 'audit') },
  ];
  const runs = Object.fromEntries([...variants.map((v) => [v.key, []]), ['floor', []]]);
  for (let r = 0; r < args.rounds; r++) {
    console.error(`Round ${r + 1}/${args.rounds}: ${variants.map((v) => v.label.replace('gpaudit ', '')).join(', ')}, then the floor …`);
    for (const v of variants) runs[v.key].push(runNode(v.args, v.label));
    runs.floor.push(runNode(floorArgs, 'floor'));
  }
  const text = [];
  for (let r = 0; r < args.textRounds; r++) {
    console.error(`gpaudit settings --format text, run ${r + 1}/${args.textRounds} …`);
    text.push(runNode(gpauditArgs(args.cli, backups, 'text'), 'gpaudit text'));
  }
  const results = { ...Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, summarise(v)])), ...(text.length ? { text: summarise(text) } : {}) };
  const floorMs = results.floor.bestMs;
  const ratio = results.json.bestMs / floorMs;
  const ratio1 = results.json1.bestMs / floorMs;
  const auditFloorRatio = results.audit.bestMs / floorMs;
  const mb = (kb) => (kb * 1024) / MB;
  const rssMb = mb(results.json.rssKb);
  const auditRatio = results.audit.bestMs / results.json.bestMs;
  const auditRssMb = mb(results.audit.rssKb);
  const verdict = (value, target, unit = '×') => (value <= target ? 'PASS' : unit === '×' ? `MISS by ${(value / target).toFixed(2)}×` : `MISS by ${(value - target).toFixed(0)} MB`);

  const rows = [
    ...variants.map((v) => [...throughputRow(v.label.replace('gpaudit ', ''), results[v.key], manifest), `${(results[v.key].bestMs / floorMs).toFixed(2)}×`]),
    ...(results.text ? [[...throughputRow(`settings --format text (default jobs: ${cores})`, results.text, manifest), `${(results.text.bestMs / floorMs).toFixed(2)}×`]] : []),
    [...throughputRow('floor: read + decode + saxes (xmlns, position), one thread', results.floor, manifest), '1.00×'],
  ];
  const scaling = ['1', ...(results.audit2 ? ['2'] : []), `default (${cores})`]
    .map((j) => {
      const key = j === '1' ? 'audit1' : j === '2' ? 'audit2' : 'audit';
      return `jobs ${j}: ${(results[key].bestMs / floorMs).toFixed(2)}× the floor${key === 'audit1' ? '' : `, ${(results.audit1.bestMs / results[key].bestMs).toFixed(2)}× faster than jobs 1`}, ${mb(results[key].rssKb).toFixed(0)} MB`;
    })
    .join('; ');
  const verdicts = [
    `audit (default jobs: ${cores}) / floor: ${auditFloorRatio.toFixed(2)}× (target ≤ ${TARGET_POOL_RATIO}×): ${verdict(auditFloorRatio, TARGET_POOL_RATIO)}`,
    `settings --jobs 1 / floor: ${ratio1.toFixed(2)}× (target ≤ ${TARGET_RATIO}×): ${verdict(ratio1, TARGET_RATIO)}`,
    `settings (default jobs) / floor: ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×): ${verdict(ratio, TARGET_RATIO)}`,
    `peak RSS with the pool: settings ${rssMb.toFixed(0)} MB, audit ${auditRssMb.toFixed(0)} MB (target < ${TARGET_RSS_MB} MB): ${verdict(Math.max(rssMb, auditRssMb), TARGET_RSS_MB - 1e-9, 'MB')}`,
    `peak RSS with --jobs 1: settings ${mb(results.json1.rssKb).toFixed(0)} MB, audit ${mb(results.audit1.rssKb).toFixed(0)} MB`,
    `audit / settings (default jobs): ${auditRatio.toFixed(2)}× (target ≤ ${TARGET_AUDIT_RATIO}×): ${verdict(auditRatio, TARGET_AUDIT_RATIO)}`,
    `audit scaling: ${scaling}`,
    `peak RSS measured by: --import preload (process.resourceUsage().maxRSS)${existsSync(TIME) ? ` and ${TIME} -f %M, larger shown (settings: preload ${mb(results.json.preloadKb).toFixed(0)} MB, time ${mb(results.json.timeKb ?? 0).toFixed(0)} MB)` : ''}`,
    `floor tokenized ${floorCounts.xmlFiles} XML files (${floorCounts.xmlErrors} with errors), decoded ${(floorCounts.chars / 1e6).toFixed(1)} M characters`,
  ];
  const status = results.json.status === 0 ? '' : ` (gpaudit exit status ${results.json.status})`;
  console.log(`${table(['run', 'wall s (rounds)', 'best s', 'files/s', 'MB/s', 'peak RSS MB', '÷ floor'], rows)}\n\n${verdicts.join('\n')}${status}\n`);

  let xml;
  if (args.xml) {
    console.error('XML library comparison on the real corpus …');
    xml = compareLibraries(3);
    if (xml.skipped) console.log(`XML library comparison skipped: ${xml.skipped}\n`);
    else {
      const { files, chars } = xml.results[0];
      console.log(`XML libraries on ${files} real GPO report XML files (${(chars / 1e6).toFixed(1)} M characters), 3 rounds each, each library in its own process\n\n${librariesTable(xml)}\n`);
    }
  }

  let startup;
  if (args.startup) {
    console.error('Start-up: node -e 0, --version and audit samples/clean, round-robin …');
    startup = startupBench({ runs: args.startupRuns, cli: args.cli });
    console.log(`${startup.text}\n`);
  }

  let regpol;
  if (args.regpol) {
    console.error("Registry.pol: gpaudit's reader against Samba's ndr_unpack on the real corpus …");
    regpol = await regpolBench({ parser: join(dirname(args.cli), '..', 'parsers', 'registry-pol.js') });
    console.log(`${regpol.text}\n`);
  }

  let profile;
  if (args.profile) {
    profile = profileRun(args.cli, backups);
    console.log(`${profile.text}\n`);
  }

  writeFileSync(args.out, `${JSON.stringify({ date: new Date().toISOString(), machine: m, args, manifest, floorCounts, results, ratio, ratio1, auditFloorRatio, rssMb, auditRssMb, xml, startup, regpol, profile: profile?.summary }, null, 2)}\n`);
  console.log(`Raw figures: ${args.out}`);
}

await main();
