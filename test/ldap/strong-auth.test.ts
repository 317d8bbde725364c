// A real refusal, not a unit test: Samba's default `ldap server require strong auth = yes` rejects a simple bind
// over plain LDAP. The shared DC is provisioned with it off (scripts/samba/provision.sh); this file turns it back
// to the default in the DC's smb.conf for its one test, and restores the file and restarts the DC afterwards,
// so the files after it see the DC as provisioned. The template is not touched: the next `dc.sh up` restores it.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { describeSamba, samba } from '../helpers/samba.js';

const RELAXED = /^\s*ldap server require strong auth\s*=\s*no\s*$/im;

describeSamba("gpaudit ldap scan against a DC with Samba's default strong auth", () => {
  let original: string | undefined;

  beforeAll(async () => {
    const dc = samba();
    const conf = readFileSync(dc.smbConf, 'utf8');
    if (!RELAXED.test(conf)) throw new Error(`${dc.smbConf} has no 'ldap server require strong auth = no' line to flip`);
    await dc.stop();
    original = conf;
    // Removing the line gives Samba's default, which is yes.
    writeFileSync(dc.smbConf, conf.replace(RELAXED, ''));
    await dc.start();
  }, 180_000);

  afterAll(async () => {
    if (original === undefined) return;
    const dc = samba();
    await dc.stop();
    writeFileSync(dc.smbConf, original);
    await dc.start();
  }, 180_000);

  it('a simple bind over ldap:// is refused: exit 2, one line that points to ldaps:// and --starttls', async () => {
    const dc = samba();
    const r = await cli(['ldap', 'scan', '--url', dc.url, '--bind-dn', dc.adminUpn, '--allow-plaintext', '--retries', '0'], {
      GPAUDIT_LDAP_PASSWORD: dc.password,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    // --allow-plaintext's warning, then the refusal in one line.
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(2);
    expect(lines[0]).toBe('gpaudit: warning: the password will cross the network in clear text to ldap://127.0.0.1:389 (--allow-plaintext)');
    expect(lines[1]).toContain('gpaudit: ldap://127.0.0.1:389 (bind): the server requires an encrypted connection for a simple bind');
    expect(lines[1]).toContain('strong authentication required');
    expect(lines[1]).toContain('use ldaps://host:636 or add --starttls');
  });

  it('the same DC still accepts the bind over ldaps://', async () => {
    const dc = samba();
    const r = await cli(['ldap', 'scan', '--url', dc.ldapsUrl, '--ca-file', dc.caFile, '--bind-dn', dc.adminUpn, '--format', 'json'], {
      GPAUDIT_LDAP_PASSWORD: dc.password,
    });
    expect(r.code, r.stderr).toBe(1);
  });
});
