import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ScanFailed } from '../../src/cli/errors.js';
import { ldapScanCommand, type LdapScanFlags } from '../../src/cli/ldap-command.js';
import { cli } from '../helpers/cli.js';

// `gpaudit ldap scan` up to the point where it would reach a server: no domain controller needed.
const env = { GPAUDIT_LDAP_PASSWORD: 'not-used' };

describe('ldap scan messages name the real option, --starttls', () => {
  it('refuses --starttls with ldaps://, saying --starttls', async () => {
    const r = await cli(['ldap', 'scan', '--url', 'ldaps://dc1.example.test', '--starttls', '--bind-dn', 'svc@example.test'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('gpaudit: --starttls cannot be used with ldaps://dc1.example.test:636: ldaps:// is already encrypted; use ldap:// with --starttls, or ldaps:// alone\n');
  });

  it('refuses a plaintext bind and an unknown scheme, suggesting --starttls', async () => {
    const plain = await cli(['ldap', 'scan', '--url', 'ldap://127.0.0.1:1', '--bind-dn', 'svc@example.test'], env);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('Use ldaps://127.0.0.1:636, or add --starttls; ');
    const http = await cli(['ldap', 'scan', '--url', 'http://dc1', '--bind-dn', 'svc@example.test'], env);
    expect(http.code).toBe(2);
    expect(http.stderr).toBe('gpaudit: "http://dc1" uses http://; only ldap:// (with --starttls) and ldaps:// are supported\n');
    for (const r of [plain, http]) expect(r.stderr).not.toContain('--start-tls');
  });

  it('the option the refusal suggests is one the CLI accepts', async () => {
    const args = ['ldap', 'scan', '--url', 'ldap://127.0.0.1:1', '--bind-dn', 'svc@example.test', '--retries', '0', '--connect-timeout', '2000'];
    const refused = await cli(args, env);
    const suggested = /or add (--[a-z-]+)/.exec(refused.stderr)?.[1];
    expect(suggested).toBe('--starttls');
    // With it, the scan gets past option parsing to the connection (refused: nothing listens on port 1).
    const r = await cli([...args, suggested ?? ''], env);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/unknown option/);
    expect(r.stderr).toMatch(/127\.0\.0\.1:1/);
  });
});

describe('ldap scan password prompt', () => {
  it('names the bind account and the server, and does not echo the password', async () => {
    const rawModes: boolean[] = [];
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (raw: boolean) => rawModes.push(raw) });
    const stderr = new PassThrough();
    let written = '';
    stderr.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const flags: LdapScanFlags = {
      url: ['ldaps://127.0.0.1:1', 'LDAPS://LOCALHOST:2'],
      bindDn: 'CORP\\svc-audit',
      pageSize: 1000,
      connectTimeout: 2000,
      timeout: 2000,
      retries: 0,
      format: 'json',
    };
    const pending = ldapScanCommand(flags, {
      stderr,
      stdin,
      stderrIsTty: true,
      stdinIsTty: true,
      cwd: mkdtempSync(join(tmpdir(), 'gpaudit-prompt-')),
      version: '0.0.0-test',
      env: {},
    }, () => {});
    stdin.write('S3cret!\r');
    // Nothing listens on ports 1 and 2: the prompt was answered, the scan then fails.
    await expect(pending).rejects.toBeInstanceOf(ScanFailed);
    expect(written.startsWith('Password for CORP\\svc-audit on ldaps://127.0.0.1:1 (or ldaps://localhost:2): \n')).toBe(true);
    expect(written).not.toContain('S3cret');
    expect(rawModes).toEqual([true, false]);
  });
});
