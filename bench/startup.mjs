#!/usr/bin/env node
// Start-up (issue 12): whole-process wall times, as a CI farm sees them, of
//   node -e 0                                  the floor: starting Node and doing nothing
//   node dist/cli/main.js --version            target ≤ 1.5× the floor
//   node dist/cli/main.js audit samples/clean  target ≤ 3× the floor
// Each is spawned `--runs` times (default 10) after `--warmup` untimed runs (default 2), round-robin, so that load
// from other processes falls on all of them alike; the median counts. stdout goes to /dev/null; a run that does not
// exit 0 is reported. Prints PASS or MISS per target and never fails.
//
//   node bench/startup.mjs [--runs 10] [--warmup 2] [--cli dist/cli/main.js] [--compare <other>/dist/cli/main.js]
//                          [--json FILE]
//
// --compare times a second build (another checkout's dist/, say the commit before a change) in the same rounds,
// so before and after are measured under the same load. `npm run bench` runs this too (bench/run.mjs).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quantile, table } from './lib/stats.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const STARTUP_TARGETS = { version: 1.5, audit: 3 };

function parseArgs(argv) {
  const args = { runs: 10, warmup: 2, cli: join(ROOT, 'dist', 'cli', 'main.js'), compare: undefined, json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') args.runs = Number(argv[++i]);
    else if (a === '--warmup') args.warmup = Number(argv[++i]);
    else if (a === '--cli') args.cli = resolve(argv[++i]);
    else if (a === '--compare') args.compare = resolve(argv[++i]);
    else if (a === '--json') args.json = resolve(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  return args;
}

/** The commands, in the order they run within a round. */
function commands(cli, compare) {
  const builds = [{ tag: '', cli }, ...(compare ? [{ tag: ' (compare)', cli: compare }] : [])];
  return [
    { id: 'floor', label: 'node -e 0', args: ['-e', '0'] },
    ...builds.flatMap(({ tag, cli: c }) => [
      { id: `version${tag}`, target: 'version', label: `node ${shown(c)} --version${tag}`, args: [c, '--version'] },
      { id: `audit${tag}`, target: 'audit', label: `node ${shown(c)} audit samples/clean${tag}`, args: [c, 'audit', 'samples/clean'] },
    ]),
  ];
}

function shown(path) {
  const rel = relative(ROOT, path);
  return rel.startsWith('..') ? path : rel;
}

/** One whole process, spawn to exit: milliseconds and exit status. */
function once(args) {
  const t0 = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (child.error) throw child.error;
  return { ms, status: child.status, stderr: child.stderr };
}

/** Runs the start-up benchmark and returns its figures and a printable report. */
export function startupBench({ runs = 10, warmup = 2, cli = join(ROOT, 'dist', 'cli', 'main.js'), compare } = {}) {
  const list = commands(cli, compare);
  const times = new Map(list.map((c) => [c.id, []]));
  const failures = [];
  const load = [loadavg()[0]];
  for (let round = 0; round < warmup + runs; round++) {
    for (const c of list) {
      const r = once(c.args);
      if (r.status !== 0) failures.push(`${c.label}: exit ${r.status}${r.stderr ? `: ${r.stderr.trim().split('\n')[0]}` : ''}`);
      if (round >= warmup) times.get(c.id).push(r.ms);
    }
  }
  load.push(loadavg()[0]);
  const median = (id) => quantile(times.get(id), 0.5);
  const floor = median('floor');
  const results = list.map((c) => {
    const ms = times.get(c.id);
    const med = median(c.id);
    const ratio = med / floor;
    const target = c.target ? STARTUP_TARGETS[c.target] : undefined;
    return { id: c.id, command: c.label, ms, medianMs: med, minMs: Math.min(...ms), maxMs: Math.max(...ms), ratio, target, pass: target === undefined ? undefined : ratio <= target };
  });
  const rows = results.map((r) => [
    r.command,
    r.medianMs.toFixed(0),
    `${r.minMs.toFixed(0)}–${r.maxMs.toFixed(0)}`,
    `${r.ratio.toFixed(2)}×`,
    r.target === undefined ? '' : `≤ ${r.target}×`,
    r.target === undefined ? '' : r.pass ? 'PASS' : `MISS by ${(r.ratio / r.target).toFixed(2)}×`,
  ]);
  const machine = { nproc: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGB: Math.round(totalmem() / 1e9), node: process.version };
  const text = [
    `Start-up: whole processes, ${runs} timed runs each after ${warmup} warm-up runs, round-robin; median ms (load average ${load.map((l) => l.toFixed(2)).join(' → ')})`,
    '',
    table(['command (stdout to /dev/null)', 'median ms', 'range ms', 'ratio to node -e 0', 'target', 'verdict'], rows),
    ...(failures.length ? ['', `runs that did not exit 0 (${failures.length}):`, ...[...new Set(failures)].map((f) => `  ${f}`)] : []),
  ].join('\n');
  return { date: new Date().toISOString(), machine, runs, warmup, loadAverage: load, results, failures, text };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const args = parseArgs(process.argv.slice(2));
  const m = { nproc: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGB: Math.round(totalmem() / 1e9) };
  console.log(`Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memoryGB} GB memory, Node ${process.version}\n`);
  const r = startupBench(args);
  console.log(r.text);
  if (args.json) writeFileSync(args.json, `${JSON.stringify(r, null, 2)}\n`);
}
