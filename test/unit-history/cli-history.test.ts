import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

// `gpaudit ldap history FILE` on something that is not a history: one line naming the file as typed and saying
// what to do, exit 2. Paths are relative to the working directory (the project root), as a user types them.
describe('gpaudit ldap history on a file that is not a history', () => {
  it('a missing file: no such file, and how a history is created', async () => {
    const r = await cli(['ldap', 'history', 'nosuch.sqlite']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("gpaudit: cannot open scan history nosuch.sqlite: no such file (a history is created by 'gpaudit ldap scan --history FILE')\n");
    expect(existsSync('nosuch.sqlite')).toBe(false);
  });

  it('a text file: not an SQLite database', async () => {
    const r = await cli(['ldap', 'history', 'README.md']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("gpaudit: README.md is not a gpaudit history: it is not an SQLite database (a history is created by 'gpaudit ldap scan --history FILE')\n");
  });

  it('a directory: says so', async () => {
    const dir = relative(process.cwd(), mkdtempSync(join(tmpdir(), 'gpaudit-hdir-')));
    const r = await cli(['ldap', 'history', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`gpaudit: cannot open scan history ${dir}: it is a directory; give the history file in it (a history is created by 'gpaudit ldap scan --history FILE')\n`);
  });

  it('ldap scan --history names the file as typed, before connecting', async () => {
    const r = await cli(['ldap', 'scan', '--url', 'ldaps://127.0.0.1:1', '--bind-dn', 'a@example.test', '--history', 'no-such-folder/h.sqlite'], { GPAUDIT_LDAP_PASSWORD: 'x' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('gpaudit: cannot open scan history no-such-folder/h.sqlite: no such directory no-such-folder; create it or give another path\n');
  });
});
