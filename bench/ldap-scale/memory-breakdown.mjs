#!/usr/bin/env node
// Where a big `ldap scan` keeps its memory: runs the scan's own steps in one process (the build's
// runDirectoryScan, then the JSON writer into /dev/null as the CLI writes it), against the scale rig's slapd, and
// prints the live heap after each step (after a full GC). Part of the scale rig; not a test.
//
//   node --expose-gc bench/ldap-scale/memory-breakdown.mjs [--size 100000] [--cli dist/cli/main.js]
import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { table } from '../lib/stats.mjs';
import { BASE_DN } from './generate.mjs';
import { ROOT_DN, ROOT_PW, ensureTemplate, startSlapd, stopSlapd } from './slapd.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const size = Number(opt('--size', '100000'));
const cli = resolve(opt('--cli', join(HERE, '..', '..', 'dist', 'cli', 'main.js')));
const dist = dirname(dirname(cli));
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

const mod = (path) => import(pathToFileURL(join(dist, path)).href);
const MB = 1e6;
const rows = [];
const mark = (step, note = '') => {
  globalThis.gc();
  const m = process.memoryUsage();
  rows.push([step, (m.heapUsed / MB).toFixed(0), (m.external / MB).toFixed(0), (m.rss / MB).toFixed(0), note]);
};

const template = ensureTemplate(size);
const server = await startSlapd(template.dir);
try {
  mark('start (node + this script)');
  const { runDirectoryScan } = await mod('audit/run-directory-scan.js');
  const { resolveRules } = await mod('cli/rules-config.js');
  const { AUDIT_WRITERS } = await mod('reporters/audit-reporters.js');
  const ruleSet = resolveRules({}, undefined, undefined, process.cwd());
  mark('modules and rules loaded');
  // The scan's peak between the marks: sampled, as a full GC at each mark hides it.
  let peakHeap = 0;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
  const run = await runDirectoryScan({
    rules: ruleSet.rules,
    connect: { urls: [server.url], bindDn: ROOT_DN, password: ROOT_PW, allowPlaintext: true, baseDn: BASE_DN, pageSize: 1000 },
    scan: { filter: '(objectClass=user)' },
    failOn: 'low',
    waivers: [],
    today: new Date().toISOString().slice(0, 10),
    version: 'bench',
    root: process.cwd(),
  });
  clearInterval(sampler);
  mark('scan done: findings sorted into spill files', `${run.result.findings.length} findings for ${run.result.directory.entriesRead} users; heap used peaked at ${(peakHeap / MB).toFixed(0)} MB (sampled)`);
  // What the CLI does with -o: the JSON report written in pieces, gathered into ~1 MB writes.
  const fd = openSync('/dev/null', 'w');
  let pending = '';
  let chunks = 0;
  AUDIT_WRITERS.json(run.result, { color: false, environment: {} }, (chunk) => {
    chunks++;
    pending += chunk;
    if (pending.length >= 1 << 20) {
      writeSync(fd, pending);
      pending = '';
    }
  });
  writeSync(fd, pending);
  closeSync(fd);
  mark('JSON report written to /dev/null', `${chunks} pieces`);
  run.close();
  mark('spill files removed');
  console.log(`\n${size.toLocaleString('en-US')} accounts, ${cli}: live memory after each step (after a full GC)\n`);
  console.log(table(['step', 'heap used MB', 'external MB', 'RSS MB', 'note'], rows));
} finally {
  await stopSlapd(server);
}
process.exit(0);
