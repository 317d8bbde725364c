#!/usr/bin/env node
// Generates a synthetic estate of Backup-GPO folders shaped like the real corpus (bench/lib/shapes.mjs).
//
//   node bench/generate-estate.mjs [--gpos 5000] [--seed gpaudit] [--out DIR] [--force]
//
// Deterministic: the same seed, GPO count and shapes give byte-identical files. An estate whose estate.json
// matches the parameters is reused as it is; --force regenerates it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importTs } from '../scripts/lib/import-ts.mjs';
import { backupXml, bkupInfoXml, gpoReport, polEntries, securityTemplate } from './lib/gpo-content.mjs';
import { createRng } from './lib/rng.mjs';
import { REAL_SHAPES } from './lib/shapes.mjs';
import { formatBytes, sizeSummary, table } from './lib/stats.mjs';
import { AREAS, buildProsePool } from './lib/vocabulary.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// Bump when the generated content changes, so an estate from an older generator is not reused.
const GENERATOR_VERSION = 3;
const SIZE_SPREAD = 0.15;
const INF_PATH = 'DomainSysvol/GPO/Machine/microsoft/windows nt/SecEdit/GptTmpl.inf';
const KINDS = ['gpreport.xml', 'Backup.xml', 'bkupInfo.xml', 'Machine registry.pol', 'User registry.pol', 'GptTmpl.inf'];

export const DEFAULTS = { gpos: 5000, seed: 'gpaudit' };

export function estateDir(gpos, seed) {
  return join(ROOT, 'bench', '.estate', `gpos-${gpos}-seed-${seed}`);
}

function shapesHash() {
  return createHash('sha256').update(JSON.stringify(REAL_SHAPES)).digest('hex').slice(0, 16);
}

/** The estate for these parameters, generated unless a matching one is already on disk. */
export async function ensureEstate({ gpos = DEFAULTS.gpos, seed = DEFAULTS.seed, out, force = false, log = console.error } = {}) {
  const dir = out ?? estateDir(gpos, seed);
  const wanted = { generator: GENERATOR_VERSION, seed: String(seed), gpos, shapes: shapesHash() };
  const manifestPath = join(dir, 'estate.json');
  if (!force && existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (Object.entries(wanted).every(([k, v]) => manifest[k] === v)) return { dir, manifest, reused: true };
  }
  if (existsSync(dir) && !existsSync(manifestPath) && readdirSync(dir).length > 0) {
    throw new Error(`${dir} exists, is not empty and holds no estate.json: refusing to replace it`);
  }
  rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  const { writeRegistryPol } = await importTs(join(ROOT, 'test', 'helpers', 'pol-writer.ts'));
  const pool = buildProsePool(createRng(`${seed}/prose`), 1 << 18);
  const sizes = Object.fromEntries(KINDS.map((k) => [k, []]));
  for (let i = 0; i < gpos; i++) {
    writeGpo(join(dir, 'backups'), createRng(`${seed}/${i}`), pool, i, writeRegistryPol, sizes);
    if ((i + 1) % 1000 === 0) log(`  generated ${i + 1}/${gpos} GPOs`);
  }
  const all = Object.values(sizes).flat();
  const manifest = {
    ...wanted,
    files: all.length,
    bytes: all.reduce((a, b) => a + b, 0),
    sizes: Object.fromEntries(KINDS.map((k) => [k, sizeSummary(sizes[k])])),
    generatedSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, manifest, reused: false };
}

function drawShape(rng) {
  const base = REAL_SHAPES[rng.int(0, REAL_SHAPES.length - 1)];
  const factor = 1 - SIZE_SPREAD + 2 * SIZE_SPREAD * rng.next();
  const shape = {};
  for (const [k, v] of Object.entries(base)) shape[k] = k.endsWith('Bytes') ? (v === 0 ? 0 : v <= 8 ? v : Math.round(v * factor)) : k === 'explainChars' ? v : rng.jitter(v, SIZE_SPREAD);
  return shape;
}

function describeGpo(rng, i) {
  const day = rng.int(1, 28);
  const month = String(rng.int(1, 12)).padStart(2, '0');
  const time = `${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
  const ou = `${rng.pick(['Sites', 'Departments', 'Servers', 'Workstations', 'WorkSpaces'])}/${rng.pick(AREAS).split(' ')[0]} ${rng.int(1, 40)}`;
  return {
    id: rng.guid(),
    backupId: rng.guid(),
    domainGuid: rng.guid(),
    name: `Bench ${String(i).padStart(5, '0')} - ${rng.pick(AREAS)} ${rng.pick(['Baseline', 'Settings', 'Hardening', 'Overrides', 'Pilot'])}`,
    created: `2025-${month}-${String(day).padStart(2, '0')}T${time}`,
    modified: `2026-${month}-${String(day).padStart(2, '0')}T${time}`,
    read: `2026-11-${String(day).padStart(2, '0')}T${time}.0000000Z`,
    backupTime: `2026-11-${String(day).padStart(2, '0')}T${time}`,
    machineVersion: rng.int(1, 60),
    userVersion: rng.int(0, 20),
    ou,
  };
}

const utf16WithBom = (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

function writeGpo(backups, rng, pool, i, writeRegistryPol, sizes) {
  const shape = drawShape(rng);
  const gpo = describeGpo(rng, i);
  const folder = join(backups, gpo.backupId);
  const put = (path, kind, bytes) => {
    const full = join(folder, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
    sizes[kind].push(bytes.length);
  };
  const files = { machinePol: shape.polBytes > 0, userPol: shape.userPolBytes > 0, inf: shape.infBytes > 0 };
  put('gpreport.xml', 'gpreport.xml', utf16WithBom(gpoReport(rng, pool, gpo, shape, shape.reportBytes)));
  put('bkupInfo.xml', 'bkupInfo.xml', Buffer.from(bkupInfoXml(gpo), 'utf8'));
  put('Backup.xml', 'Backup.xml', Buffer.from(backupXml(rng, gpo, files, shape.backupXmlBytes), 'utf8'));
  if (files.machinePol) put('DomainSysvol/GPO/Machine/registry.pol', 'Machine registry.pol', writeRegistryPol(polEntries(rng, pool, shape.polRecords, shape.polBytes, 'Software\\Policies\\Bench')));
  if (files.userPol) put('DomainSysvol/GPO/User/registry.pol', 'User registry.pol', writeRegistryPol(polEntries(rng, pool, shape.userPolRecords, shape.userPolBytes, 'Software\\Policies\\Bench\\User')));
  if (files.inf) put(INF_PATH, 'GptTmpl.inf', utf16WithBom(securityTemplate(rng, pool, shape, shape.infBytes)));
}

export function estateTable(manifest) {
  const rows = Object.entries(manifest.sizes).map(([kind, s]) => [kind, s.count, formatBytes(s.median), formatBytes(s.p90), formatBytes(s.max), formatBytes(s.total)]);
  return table(['file', 'files', 'median', 'p90', 'max', 'total'], rows);
}

function parseArgs(argv) {
  const args = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--gpos') args.gpos = Number(argv[++i]);
    else if (argv[i] === '--seed') args.seed = argv[++i];
    else if (argv[i] === '--out') args.out = argv[++i];
    else if (argv[i] === '--force') args.force = true;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  if (!Number.isInteger(args.gpos) || args.gpos < 1) throw new Error('--gpos needs a positive whole number');
  return args;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { dir, manifest, reused } = await ensureEstate(parseArgs(process.argv.slice(2)));
  console.log(`${reused ? 'Reusing' : 'Generated'} ${manifest.gpos} GPOs (${manifest.files} files, ${formatBytes(manifest.bytes)}) in ${dir}${reused ? '' : ` in ${manifest.generatedSeconds} s`}\n`);
  console.log(estateTable(manifest));
}
