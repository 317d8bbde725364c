import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { DC_SCRIPT, type SambaProvided } from '../helpers/samba.js';

// globalSetup of the vitest project "ldap": one Samba AD DC on 127.0.0.1 for every file under test/ldap/.
// It restores the DC from its template (or provisions it on the first run), starts it, and provides the
// facts to the tests (inject('samba'), read through test/helpers/samba.ts). Outside CI a machine that cannot
// run Samba gets { available: false, reason } and the tests skip; under CI that fails the run.

const run = promisify(execFile);
// We hold the session lock (holdSessionLock), so dc.sh must not wait for it.
const SESSION_HELD = { ...process.env, GPAUDIT_SAMBA_SESSION_HELD: '1' };

async function cannotRunReason(): Promise<string | undefined> {
  try {
    await run('bash', [DC_SCRIPT, 'check']);
    return undefined;
  } catch (error) {
    const { code, stdout } = error as { code?: unknown; stdout?: string };
    if (code === 3 && stdout) return stdout.trim();
    throw error;
  }
}

// Two test runs (or a run and a benchmark) on one machine would fight over the ports and the DC folder, so the
// second waits. The lock lives in a child that holds it until its stdin closes, which also happens if we die.
function holdSessionLock(): Promise<ChildProcess> {
  return new Promise((resolvePromise, reject) => {
    const holder = spawn('bash', [DC_SCRIPT, 'hold-session'], { stdio: ['pipe', 'pipe', 'inherit'] });
    holder.once('error', reject);
    holder.once('exit', (code) => reject(new Error(`dc.sh hold-session exited with ${code} before taking the lock`)));
    holder.stdout.once('data', () => {
      holder.removeAllListeners('exit');
      resolvePromise(holder);
    });
  });
}

function release(holder: ChildProcess): Promise<void> {
  return new Promise((resolvePromise) => {
    if (holder.exitCode !== null) return resolvePromise();
    holder.once('exit', () => resolvePromise());
    holder.stdin?.end();
  });
}

async function startDc(): Promise<Extract<SambaProvided, { available: true }>> {
  const started = Date.now();
  try {
    const { stdout } = await run('bash', [DC_SCRIPT, 'up', '--watch', String(process.pid)], { timeout: 300_000, env: SESSION_HELD });
    const facts = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { dir: string; caFile: string; wrongCaFile: string; smbConf: string };
    console.log(`Samba DC ready in ${Date.now() - started} ms (${facts.dir})`);
    return { available: true, ...facts, ownerPid: process.pid };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`could not start the Samba DC: ${stderr || String(error)}`);
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const reason = await cannotRunReason();
  if (reason !== undefined) {
    if (process.env.CI === 'true') throw new Error(`CI=true but the Samba DC cannot run: ${reason}`);
    project.provide('samba', { available: false, reason });
    return async () => {};
  }
  const holder = await holdSessionLock();
  try {
    project.provide('samba', await startDc());
  } catch (error) {
    await release(holder);
    throw error;
  }
  return async () => {
    try {
      await run('bash', [DC_SCRIPT, 'stop'], { timeout: 60_000, env: SESSION_HELD });
    } finally {
      await release(holder);
    }
  };
}
