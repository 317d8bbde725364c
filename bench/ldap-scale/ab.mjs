#!/usr/bin/env node
// A/B of two gpaudit builds on the scale rig's slapd, interleaved (A B A B …) in one session so the machine's
// load falls on both alike: wall time, CPU time (user + system) and peak RSS (/usr/bin/time -f '%M %U %S') of `ldap scan --format json -o /dev/null`.
//
//   node bench/ldap-scale/ab.mjs --a OLD/dist/cli/main.js --b NEW/dist/cli/main.js [--size 1000000] [--pairs 3]
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { table } from '../lib/stats.mjs';
import { BASE_DN } from './generate.mjs';
import { ROOT_DN, ROOT_PW, SCRATCH, ensureTemplate, startSlapd, stopSlapd } from './slapd.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const a = resolve(opt('--a', 'dist/cli/main.js'));
const b = resolve(opt('--b', 'dist/cli/main.js'));
const size = Number(opt('--size', '1000000'));
const pairs = Number(opt('--pairs', '3'));
const template = ensureTemplate(size);
const server = await startSlapd(template.dir);
const rows = [];
const runs = { A: [], B: [] };
try {
  for (let i = 0; i < pairs; i++) {
    for (const [name, cli] of i % 2 === 0 ? [['A', a], ['B', b]] : [['B', b], ['A', a]]) {
      const timeFile = join(SCRATCH, `ab-time-${process.pid}.txt`);
      const t0 = performance.now();
      const child = spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, process.execPath, cli, 'ldap', 'scan', '--url', server.url, '--allow-plaintext', '--bind-dn', ROOT_DN, '--base-dn', BASE_DN, '--filter', '(objectClass=user)', '--format', 'json', '-o', '/dev/null'], { env: { ...process.env, GPAUDIT_LDAP_PASSWORD: ROOT_PW }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      const ms = performance.now() - t0;
      const [kb, user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      const rssMb = (kb * 1024) / 1e6;
      const cpuS = user + sys;
      rmSync(timeFile, { force: true });
      runs[name].push({ ms, rssMb, cpuS, status: child.status });
      rows.push([`${i + 1}`, name, (ms / 1000).toFixed(2), cpuS.toFixed(2), rssMb.toFixed(0), String(child.status)]);
      process.stderr.write(`${name} ${(ms / 1000).toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU, ${rssMb.toFixed(0)} MB (exit ${child.status})\n`);
    }
  }
} finally {
  await stopSlapd(server);
}
console.log(`\n${size.toLocaleString('en-US')} accounts; A = ${a}; B = ${b}\n`);
console.log(table(['pair', 'build', 'wall s', 'CPU s (user + sys)', 'peak RSS MB', 'exit'], rows));
for (const name of ['A', 'B']) {
  const ms = runs[name].map((r) => r.ms).sort((x, y) => x - y);
  const rss = runs[name].map((r) => r.rssMb).sort((x, y) => x - y);
  const cpu = runs[name].map((r) => r.cpuS).sort((x, y) => x - y);
  console.log(`${name}: wall best ${(ms[0] / 1000).toFixed(2)} s, median ${(ms[Math.floor(ms.length / 2)] / 1000).toFixed(2)} s; CPU best ${cpu[0].toFixed(2)} s, median ${cpu[Math.floor(cpu.length / 2)].toFixed(2)} s; peak RSS ${rss[0].toFixed(0)}–${rss.at(-1).toFixed(0)} MB`);
}
process.exit(0);
