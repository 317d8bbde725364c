import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, inject } from 'vitest';

/** Drives the throwaway DC: scripts/samba/dc.sh (check, up, start, stop, hold-session). */
export const DC_SCRIPT = resolve(fileURLToPath(new URL('../../scripts/samba/dc.sh', import.meta.url)));

/** What the globalSetup (test/setup/samba-global.ts) hands to the LDAP test files. */
export type SambaProvided =
  | { available: false; reason: string }
  | {
      available: true;
      dir: string;
      caFile: string;
      wrongCaFile: string;
      smbConf: string;
      // The test runner's main process: a DC restarted from a test worker still stops when the run ends or dies.
      ownerPid: number;
    };

declare module 'vitest' {
  export interface ProvidedContext {
    samba?: SambaProvided;
  }
}

export interface SambaDc {
  url: string;
  ldapsUrl: string;
  /** CA that signed the DC's certificate (SAN IP:127.0.0.1, DNS:localhost, DNS:dc1.example.test). */
  caFile: string;
  /** A second CA that signed nothing: verification against it must fail. */
  wrongCaFile: string;
  adminDn: string;
  adminUpn: string;
  adminNetbios: string;
  password: string;
  /** Password of every enabled user in test/fixtures/ldap/users.ldif. */
  seedPassword: string;
  baseDn: string;
  domain: string;
  dnsServer: string;
  smbConf: string;
  /** Stops the DC and waits until every Samba process is gone; its data stays. */
  stop(): Promise<void>;
  /** Starts it again with the same data and waits until LDAP, LDAPS, Kerberos, DNS and SMB accept connections. */
  start(): Promise<void>;
  dir: string;
}

const run = promisify(execFile);
let announced = false;

function provided(): SambaProvided {
  return (
    inject('samba') ?? {
      available: false,
      reason: 'the DC is only started for the vitest project "ldap" (test files under test/ldap/)',
    }
  );
}

/**
 * `describe` for tests against the Samba DC. Under CI the DC must be there (its absence fails the run);
 * elsewhere the suite is skipped with one line saying why and how to enable it.
 */
export function describeSamba(name: string, body: () => void): void {
  const facts = provided();
  if (facts.available) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') throw new Error(`CI=true but the Samba DC cannot run: ${facts.reason}`);
  if (!announced) {
    console.warn(`Samba DC tests skipped: ${facts.reason}; to run them, as root: bash scripts/install-system-deps.sh && npx vitest run --project ldap`);
    announced = true;
  }
  describe.skip(name, body);
}

async function dcScript(...args: string[]): Promise<void> {
  try {
    // The run's globalSetup holds the session lock; without this dc.sh would wait for it.
    await run('bash', [DC_SCRIPT, ...args], { timeout: 120_000, env: { ...process.env, GPAUDIT_SAMBA_SESSION_HELD: '1' } });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? '';
    throw new Error(`scripts/samba/dc.sh ${args.join(' ')} failed: ${stderr || String(error)}`);
  }
}

/** The running DC. Only inside describeSamba. */
export function samba(): SambaDc {
  const facts = provided();
  if (!facts.available) throw new Error(`no Samba DC: ${facts.reason}`);
  return {
    url: 'ldap://127.0.0.1:389',
    ldapsUrl: 'ldaps://127.0.0.1:636',
    caFile: facts.caFile,
    wrongCaFile: facts.wrongCaFile,
    adminDn: 'CN=Administrator,CN=Users,DC=example,DC=test',
    adminUpn: 'Administrator@example.test',
    adminNetbios: 'EXAMPLE\\Administrator',
    password: 'Passw0rd!Test',
    seedPassword: 'Seed-Passw0rd!',
    baseDn: 'DC=example,DC=test',
    domain: 'example.test',
    dnsServer: '127.0.0.1',
    smbConf: facts.smbConf,
    stop: () => dcScript('stop'),
    start: () => dcScript('start', '--watch', String(facts.ownerPid)),
    dir: facts.dir,
  };
}
