import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HISTORY_SCHEMA_VERSION, openHistory } from '../../src/history/store.js';
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

  it('a history written by a newer gpaudit: names the file and both schema versions, changes nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gpaudit-hnewer-')), 'scans.sqlite');
    const h = openHistory(file);
    h.startRun({ server: 'ldaps://dc1', baseDn: 'DC=example,DC=test', startedAt: new Date(), gpauditVersion: '9.0.0', options: {} });
    h.close();
    const newer = HISTORY_SCHEMA_VERSION + 1;
    const raw = new Database(file);
    raw.pragma(`user_version = ${newer}`);
    raw.close();
    const before = readFileSync(file);
    const name = relative(process.cwd(), file);
    const expected = `gpaudit: ${name} is a gpaudit history of schema version ${newer}, newer than this gpaudit understands (${HISTORY_SCHEMA_VERSION}); upgrade gpaudit\n`;

    const list = await cli(['ldap', 'history', name]);
    expect(list.code).toBe(2);
    expect(list.stdout).toBe('');
    expect(list.stderr).toBe(expected);

    const scan = await cli(['ldap', 'scan', '--url', 'ldaps://127.0.0.1:1', '--bind-dn', 'a@example.test', '--history', name], { GPAUDIT_LDAP_PASSWORD: 'x' });
    expect(scan.code).toBe(2);
    expect(scan.stderr).toBe(expected);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
