// Our own OpenLDAP slapd for the scale rig: a slapd.conf (mdb) in the scratch folder, databases loaded offline with
// `slapadd -q` and kept as templates (one mdb folder per size, with a manifest), and a server started from a
// template read-only on ldap://127.0.0.1:<free port>/ only, stopped at the end of every run.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE_DN, DEFAULT_SEED, GENERATOR_VERSION, writeLdif } from './generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
export const SCRATCH = join(process.env.TMPDIR || tmpdir(), 'gpaudit-bench-ldap-scale');
export const SCHEMA = join(HERE, 'ad-subset.schema');
export const INSTALL = join(ROOT, 'scripts', 'slapd', 'install-slapd.sh');
export const ROOT_DN = `CN=admin,${BASE_DN}`;
// Only ever on 127.0.0.1, for a throwaway directory of generated users.
export const ROOT_PW = 'bench-only-Passw0rd';
const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
// Bump when the configuration below changes in a way that changes the database files.
const CONF_VERSION = 1;

/** Installs slapd and ldap-utils when missing (scripts/slapd/install-slapd.sh), and keeps Debian's service off. */
export function ensureSlapdInstalled() {
  const child = spawnSync('bash', [INSTALL], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (child.status !== 0 || !existsSync(SLAPD) || !existsSync(SLAPADD)) throw new Error(`slapd is not available (${INSTALL} exited ${child.status})`);
}

export function slapdVersion() {
  const out = spawnSync(SLAPD, ['-VV'], { encoding: 'utf8' });
  return `${out.stdout}${out.stderr}`.split('\n').find((l) => l.includes('slapd'))?.replace(/^@\(#\) \$OpenLDAP: /, '').replace(/ \$$/, '').trim() ?? '?';
}

/** slapd.conf for one database folder. `readonly`: a started server never changes a template. */
function confText({ directory, pidFile, argsFile, readonly }) {
  const schema = ['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`);
  return [
    `# written by bench/ldap-scale/slapd.mjs (conf version ${CONF_VERSION})`,
    ...schema,
    `include ${SCHEMA}`,
    `pidfile ${pidFile}`,
    `argsfile ${argsFile}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'loglevel 0',
    // Two cores, shared with the client: slapd's default of 16 threads buys nothing here.
    'threads 4',
    'tool-threads 2',
    'sizelimit unlimited',
    'timelimit unlimited',
    'database mdb',
    `suffix "${BASE_DN}"`,
    `rootdn "${ROOT_DN}"`,
    `rootpw ${ROOT_PW}`,
    `directory ${directory}`,
    // The map's upper bound, not an allocation: the file grows as needed.
    'maxsize 34359738368',
    'index objectClass eq',
    ...(readonly ? ['readonly on'] : []),
    'limits * size=unlimited size.pr=unlimited size.prtotal=unlimited time=unlimited',
    '',
  ].join('\n');
}

/** What a template depends on: a change to any of these builds it again. */
function templateKey(n, seed) {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ n, seed, generator: GENERATOR_VERSION, conf: CONF_VERSION, slapd: slapdVersion() }));
  hash.update(readFileSync(SCHEMA));
  return hash.digest('hex').slice(0, 12);
}

function duBytes(dir) {
  const out = spawnSync('du', ['-sb', '--apparent-size', dir], { encoding: 'utf8' }).stdout;
  const apparent = Number(out.split('\t')[0]);
  const blocks = Number(spawnSync('du', ['-sk', dir], { encoding: 'utf8' }).stdout.split('\t')[0]) * 1024;
  return { apparent, onDisk: blocks };
}

/**
 * The template for `n` accounts: reused when its manifest matches, else generated (LDIF in the scratch folder),
 * loaded with `slapadd -q` into a fresh mdb folder, and the LDIF deleted. Returns the manifest and whether it was
 * built now.
 */
export function ensureTemplate(n, seed = DEFAULT_SEED, log = (m) => process.stderr.write(`${m}\n`)) {
  const key = templateKey(n, seed);
  const templates = join(SCRATCH, 'templates');
  const dir = join(templates, `users-${n}-${key}`);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.key === key && manifest.n === n && manifest.seed === seed && manifest.generatorVersion === GENERATOR_VERSION) {
      log(`slapd: template exists: ${dir} (built ${manifest.builtAt}: generate ${manifest.generateSeconds.toFixed(1)} s, slapadd ${manifest.slapaddSeconds.toFixed(1)} s)`);
      return { dir, manifest, built: false };
    }
  }
  mkdirSync(templates, { recursive: true });
  // Older templates of this size (another key) go: at a million users each is gigabytes.
  for (const old of readdirSync(templates)) if (old.startsWith(`users-${n}-`) && old !== `users-${n}-${key}`) rmSync(join(templates, old), { recursive: true, force: true });
  const partial = join(templates, `.partial-${n}-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, 'db'), { recursive: true });
  const ldif = join(partial, 'users.ldif');
  log(`slapd: building the template of ${n.toLocaleString('en-US')} accounts in ${partial}`);
  let t0 = performance.now();
  const fd = openSync(ldif, 'w');
  let counts;
  try {
    counts = writeLdif(fd, n, seed);
  } finally {
    closeSync(fd);
  }
  const generateSeconds = (performance.now() - t0) / 1000;
  const conf = join(partial, 'slapadd.conf');
  writeFileSync(conf, confText({ directory: join(partial, 'db'), pidFile: join(partial, 'slapd.pid'), argsFile: join(partial, 'slapd.args'), readonly: false }));
  t0 = performance.now();
  const add = spawnSync(SLAPADD, ['-q', '-f', conf, '-l', ldif], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const slapaddSeconds = (performance.now() - t0) / 1000;
  if (add.status !== 0) throw new Error(`slapadd failed (exit ${add.status}): ${add.stderr.slice(-2000)}`);
  rmSync(ldif, { force: true });
  rmSync(conf, { force: true });
  const size = duBytes(join(partial, 'db'));
  const manifest = {
    key,
    n,
    seed,
    generatorVersion: GENERATOR_VERSION,
    confVersion: CONF_VERSION,
    slapd: slapdVersion(),
    counts,
    ldifBytes: counts.bytes,
    generateSeconds,
    slapaddSeconds,
    mdbApparentBytes: size.apparent,
    mdbOnDiskBytes: size.onDisk,
    builtAt: new Date().toISOString(),
  };
  writeFileSync(join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  log(`slapd: built ${dir}: generate ${generateSeconds.toFixed(1)} s (${(counts.bytes / 1e6).toFixed(0)} MB LDIF), slapadd -q ${slapaddSeconds.toFixed(1)} s, mdb ${(size.onDisk / 1e6).toFixed(0)} MB`);
  return { dir, manifest, built: true };
}

/** A port nobody listens on at this moment (the kernel picks it); slapd binds it right after. */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

const running = new Set();
let handlersInstalled = false;

/** Stops every slapd this process started when it exits, is interrupted or is terminated. */
function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const s of running) {
      try {
        process.kill(s.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      process.stderr.write(`\nslapd bench: ${signal}: stopping slapd\n`);
      for (const s of running) {
        try {
          process.kill(s.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      process.exit(130);
    });
  }
}

/** Starts slapd on a template, read-only, on ldap://127.0.0.1:<free port>/; resolves once a search answers. */
export async function startSlapd(templateDir) {
  installHandlers();
  const runDir = join(SCRATCH, 'run');
  mkdirSync(runDir, { recursive: true });
  const conf = join(runDir, 'slapd.conf');
  writeFileSync(conf, confText({ directory: join(templateDir, 'db'), pidFile: join(runDir, 'slapd.pid'), argsFile: join(runDir, 'slapd.args'), readonly: true }));
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const url = `ldap://127.0.0.1:${port}`;
    const logFd = openSync(join(runDir, 'slapd.log'), 'w');
    // -d 0: stay in the foreground as our child (no detaching), logging nothing but start-up errors.
    const child = spawn(SLAPD, ['-d', '0', '-f', conf, '-h', `${url}/`], { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    const server = { pid: child.pid, url, port, child, exited: new Promise((done) => child.on('exit', (code, signal) => done({ code, signal }))) };
    running.add(server);
    child.on('exit', () => running.delete(server));
    const t0 = performance.now();
    while (performance.now() - t0 < 60_000) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      const probe = spawnSync('ldapsearch', ['-x', '-H', url, '-D', ROOT_DN, '-w', ROOT_PW, '-b', BASE_DN, '-s', 'base', '-LLL', '1.1'], { encoding: 'utf8' });
      if (probe.status === 0) {
        server.startMs = performance.now() - t0;
        return server;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await stopSlapd(server);
    const log = readFileSync(join(runDir, 'slapd.log'), 'utf8');
    // Someone took the port between our look and slapd's bind: try another.
    if (/Address already in use/.test(log)) continue;
    throw new Error(`slapd did not answer on ${url} within 60 s: ${log.slice(-1500)}`);
  }
  throw new Error('slapd: no free port after 5 attempts');
}

/** SIGTERM, then SIGKILL if it has not gone within 20 s. */
export async function stopSlapd(server) {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000);
  await server.exited;
  clearTimeout(timer);
}

export function templateBytes(dir) {
  return statSync(join(dir, 'db', 'data.mdb')).size;
}
