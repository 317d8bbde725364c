#!/usr/bin/env node
// Where a big `ldap scan` keeps its memory: runs the scan's own steps in one process (the build's
// runDirectoryScan, then the JSON reporter, then the UTF-8 bytes the CLI writes), against the scale rig's slapd,
// and prints the live heap after each step (after a full GC). Part of the scale rig; not a test.
//
//   node --expose-gc bench/ldap-scale/memory-breakdown.mjs [--size 100000] [--cli dist/cli/main.js]
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
  const { AUDIT_REPORTERS } = await mod('reporters/audit-reporters.js');
  const ruleSet = resolveRules({}, undefined, undefined, process.cwd());
  mark('modules and rules loaded');
  let run = await runDirectoryScan({
    rules: ruleSet.rules,
    connect: { urls: [server.url], bindDn: ROOT_DN, password: ROOT_PW, allowPlaintext: true, baseDn: BASE_DN, pageSize: 1000 },
    scan: { filter: '(objectClass=user)' },
    failOn: 'low',
    waivers: [],
    today: new Date().toISOString().slice(0, 10),
    version: 'bench',
    root: process.cwd(),
  });
  const findings = run.result.findings.length;
  mark('scan done: result held', `${findings} findings for ${run.result.directory.entriesRead} users`);
  let text = AUDIT_REPORTERS.json(run.result, { color: false, environment: {} });
  mark('JSON report string built', `${(text.length / MB).toFixed(0)} M characters`);
  let bytes = Buffer.from(text, 'utf8');
  mark('its UTF-8 bytes (what a write of the string converts to)', `${(bytes.length / MB).toFixed(0)} MB`);
  bytes = undefined;
  mark('bytes dropped');
  text = undefined;
  mark('report string dropped');
  run = undefined;
  mark('result dropped');
  console.log(`\n${size.toLocaleString('en-US')} accounts, ${cli}: live memory after each step (after a full GC)\n`);
  console.log(table(['step', 'heap used MB', 'external MB', 'RSS MB', 'note'], rows));
} finally {
  await stopSlapd(server);
}
process.exit(0);
