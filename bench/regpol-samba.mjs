#!/usr/bin/env node
// Registry.pol reader against Samba's C decoder (issue 12): both in-process, on every real Registry.pol under
// /work/shared/realdata (the name matched case-insensitively; 82 files when this was written). Target: gpaudit's
// best round at most 1.0× Samba's best round. Prints PASS or MISS and never fails.
//
//   node bench/regpol-samba.mjs [--rounds 30] [--warmup 10] [--block 5] [--python /usr/bin/python3] [--json]
//
// gpaudit: this process loads each file's bytes once, then per round runs the built parser
// (dist/parsers/registry-pol.js, parseRegistryPol(bytes, { file, hive })) over all of them, after `--warmup`
// untimed rounds. One parse includes: the header check, the walk over every record with its delimiter, name and
// size checks, key and value names decoded from UTF-16LE to strings, the data decoded by type (REG_SZ/EXPAND_SZ to
// strings, REG_MULTI_SZ to string arrays, DWORD/QWORD to numbers, binary and REG_NONE to hex), special names
// (**del., **delvals. …) turned into operations, and one RegistrySetting object per record with its provenance.
// The hive is passed from the Machine/User folder, as gpaudit's walker does, so no "hive assumed" warning is made.
// No GC is forced between rounds: after a forced full GC, V8's concurrent sweeping ran on into the next round and,
// on a loaded 2-core machine, made half the rounds 3-5× slower. So a round pays the scavenges its own allocation
// brings, as gpaudit does in use.
// Samba: bench/regpol-samba.py under /usr/bin/python3 (only that Python has python3-samba) loads the same bytes
// once and times `ndr_unpack(preg.file, data)` the same way; what that includes is in its header. Samba's is the
// leaner of the two (no hex strings, no MULTI_SZ split, no provenance), so the comparison is not tilted to gpaudit.
// Both sides keep a round's results alive until that round's clock stops. The rounds alternate in blocks, `--block`
// gpaudit rounds then as many Samba rounds (the Python process serves them on request and times each itself), so
// load from other processes falls on both alike.
//
// The records each side decoded over all files are compared (a mismatch is flagged, not fatal). If the corpus,
// dist/, /usr/bin/python3 or its samba module is missing, a "skipped: …" line is printed instead.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listFiles, REALDATA, realdataPresent } from './lib/corpus.mjs';
import { quantile, table } from './lib/stats.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PARSER = join(ROOT, 'dist', 'parsers', 'registry-pol.js');
const SAMBA_SCRIPT = join(ROOT, 'bench', 'regpol-samba.py');
export const REGPOL_TARGET = 1.0;

/** Every Registry.pol of the real corpus (sorted paths), with its hive as gpaudit's walker gives it. */
export function regpolFiles() {
  return listFiles(REALDATA)
    .filter((f) => basename(f).toLowerCase() === 'registry.pol')
    .map((file) => ({ file, hive: /[\\/]user[\\/][^\\/]+$/i.test(file) ? 'HKCU' : 'HKLM' }));
}

/** gpaudit's side: the parser and each file's bytes loaded once; round() parses them all and returns its ms. */
async function gpauditSide(files, parser) {
  const { parseRegistryPol } = await import(pathToFileURL(parser).href);
  const inputs = files.map(({ file, hive }) => ({ bytes: readFileSync(file), ctx: { file, hive } }));
  let results = [];
  return {
    about: { decoder: 'parseRegistryPol(bytes, { file, hive })', parser, node: process.version, files: inputs.length, bytes: inputs.reduce((n, x) => n + x.bytes.length, 0) },
    round() {
      results = new Array(inputs.length);
      const t0 = performance.now();
      for (let i = 0; i < inputs.length; i++) results[i] = parseRegistryPol(inputs[i].bytes, inputs[i].ctx);
      return performance.now() - t0;
    },
    /** Records decoded by the last round: the settings, plus records read but skipped with a warning (byte offset). */
    records() {
      const settings = results.reduce((n, x) => n + x.settings.length, 0);
      const skipped = results.reduce((n, x) => n + x.problems.filter((p) => p.code === 'skipped-entry' && p.position?.byteOffset !== undefined).length, 0);
      const problems = results.flatMap((x) => x.problems.map((p) => `${p.file}: ${p.code}: ${p.message}`));
      return { records: settings + skipped, settings, problems };
    },
  };
}

/** Samba's side: bench/regpol-samba.py --serve, a block of rounds per request, each round timed inside Python. */
async function sambaSide(files, python) {
  const child = spawn(python, [SAMBA_SCRIPT, '--serve'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const spawnError = new Promise((_, reject) => child.on('error', reject));
  spawnError.catch(() => {});
  child.stdin.on('error', () => {}); // a dead child shows as the end of its stdout, below
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ask = async (command) => {
    child.stdin.write(`${command}\n`);
    const { value, done } = await Promise.race([lines.next(), spawnError]);
    if (done) throw new Error(`${python} ${SAMBA_SCRIPT} --serve exited: ${stderr.trim().split('\n').pop() || 'no output'}`);
    return JSON.parse(value);
  };
  try {
    const about = await ask(JSON.stringify(files.map((f) => f.file)));
    if (about.skipped) {
      child.stdin.end();
      return { skipped: about.skipped };
    }
    delete about.ready;
    return {
      about,
      rounds: async (n) => (await ask(`rounds ${n}`)).ms,
      end: async () => {
        const { records } = await ask('end');
        child.stdin.end();
        return records;
      },
      kill: () => child.kill(),
    };
  } catch (err) {
    child.kill();
    return { skipped: err.message };
  }
}

function machine() {
  return { nproc: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGB: Math.round(totalmem() / 1e9), node: process.version };
}

/** Runs both sides and returns their figures, a verdict and a printable report (or { skipped, text }). */
export async function regpolBench({ rounds = 30, warmup = 10, block = 5, python = '/usr/bin/python3', parser = PARSER } = {}) {
  const skip = (why) => ({ skipped: why, text: `Registry.pol against Samba skipped: ${why}` });
  if (!realdataPresent()) return skip(`no real corpus at ${REALDATA}`);
  if (!existsSync(parser)) return skip(`${parser} missing: run \`npm run build\``);
  if (!existsSync(python)) return skip(`${python} not found (Samba's decoder is reached through Debian's python3 with python3-samba)`);
  const files = regpolFiles();
  if (files.length === 0) return skip(`no registry.pol under ${REALDATA}`);

  const samba = await sambaSide(files, python);
  if (samba.skipped) return skip(samba.skipped);
  const ours = await gpauditSide(files, parser);
  // Round-robin in blocks: `block` gpaudit rounds, then `block` Samba rounds, and again, so that load from other
  // processes falls on both alike. Each side idles while the other runs; blocks rather than single rounds keep the
  // cost of waking up (cold caches, another core) on one round in `block` rather than on all.
  const load = [loadavg()[0]];
  const ms = { gpaudit: [], samba: [] };
  let sambaRecords;
  try {
    for (let done = 0; done < warmup + rounds; ) {
      const n = Math.min(block, warmup + rounds - done);
      const a = Array.from({ length: n }, () => ours.round());
      const b = await samba.rounds(n);
      for (let i = 0; i < n; i++) {
        if (done + i >= warmup) {
          ms.gpaudit.push(a[i]);
          ms.samba.push(b[i]);
        }
      }
      done += n;
    }
    sambaRecords = await samba.end();
  } catch (err) {
    samba.kill();
    return skip(err.message);
  }
  load.push(loadavg()[0]);
  const stats = (list) => ({ rounds, warmup, ms: list, bestMs: Math.min(...list), medianMs: quantile(list, 0.5) });
  const gpaudit = { ...ours.about, ...ours.records(), ...stats(ms.gpaudit) };
  const sambaFigures = { ...samba.about, records: sambaRecords, ...stats(ms.samba) };
  return report({ files, rounds, warmup, block, load, gpaudit, samba: sambaFigures });
}

function report({ files, rounds, warmup, block, load, gpaudit, samba }) {
  const ratio = gpaudit.bestMs / samba.bestMs;
  const medianRatio = gpaudit.medianMs / samba.medianMs;
  const pass = ratio <= REGPOL_TARGET;
  const recordsMatch = gpaudit.records === samba.records && samba.unpacked === files.length;
  const rows = [
    [`gpaudit parseRegistryPol (Node ${gpaudit.node})`, gpaudit.files, gpaudit.records, gpaudit.bestMs.toFixed(2), gpaudit.medianMs.toFixed(2), `${ratio.toFixed(2)}×`, `${medianRatio.toFixed(2)}×`, `≤ ${REGPOL_TARGET.toFixed(1)}×`, pass ? 'PASS' : `MISS by ${(ratio / REGPOL_TARGET).toFixed(2)}×`],
    [`Samba ${samba.samba} ndr_unpack(preg.file) (Python ${samba.python})`, samba.unpacked, samba.records, samba.bestMs.toFixed(2), samba.medianMs.toFixed(2), '1.00×', '1.00×', '', ''],
  ];
  const notes = [
    `records decoded over all files: gpaudit ${gpaudit.records}, Samba ${samba.records}: ${recordsMatch ? 'same' : 'MISMATCH (the two sides did not decode the same records; the ratio compares unlike work)'}`,
    ...(gpaudit.bytes !== samba.bytes && samba.unpacked === files.length ? [`bytes read differ: gpaudit ${gpaudit.bytes}, Samba ${samba.bytes}`] : []),
    ...(samba.failures?.length ? [`Samba refused ${samba.failures.length} file(s), left out of its rounds:`, ...samba.failures.map((f) => `  ${f.file}: ${f.error}`)] : []),
    ...(gpaudit.problems.length ? [`gpaudit reported ${gpaudit.problems.length} problem(s):`, ...gpaudit.problems.slice(0, 10).map((p) => `  ${p}`)] : []),
  ];
  const text = [
    `Registry.pol against Samba's decoder: ${files.length} real registry.pol files (${(gpaudit.bytes / 1024).toFixed(1)} KiB), in-process, alternating in blocks of ${block}, ${rounds} timed rounds each after ${warmup} warm-up rounds; ms per round over all files (load average ${load.map((l) => l.toFixed(2)).join(' → ')})`,
    '',
    table(['decoder', 'files', 'records', 'best ms', 'median ms', 'vs Samba (best)', 'vs Samba (median)', 'target', 'verdict'], rows),
    '',
    ...notes,
  ].join('\n');
  return { date: new Date().toISOString(), machine: machine(), loadAverage: load, corpus: REALDATA, files: files.length, block, target: REGPOL_TARGET, ratio, medianRatio, pass, recordsMatch, gpaudit, samba, text };
}

function parseArgs(argv) {
  const args = { rounds: 30, warmup: 10, block: 5, python: '/usr/bin/python3', json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rounds') args.rounds = Number(argv[++i]);
    else if (a === '--warmup') args.warmup = Number(argv[++i]);
    else if (a === '--block') args.block = Math.max(1, Number(argv[++i]));
    else if (a === '--python') args.python = resolve(argv[++i]);
    else if (a === '--json') args.json = true;
    else throw new Error(`unknown option ${a}`);
  }
  return args;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const args = parseArgs(process.argv.slice(2));
  const r = await regpolBench(args);
  if (args.json) console.log(JSON.stringify(r, null, 2));
  else {
    const m = machine();
    console.log(`Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memoryGB} GB memory, Node ${m.node}\n`);
    console.log(r.text);
  }
}
