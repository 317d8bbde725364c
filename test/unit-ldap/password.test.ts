import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LdapScanError } from '../../src/ldap/errors.js';
import { MAX_PASSWORD_FILE_BYTES, PASSWORD_ENV, passwordFromFileContent, passwordPrompt, readPassword, type PasswordTty } from '../../src/ldap/password.js';

const dir = mkdtempSync(join(tmpdir(), 'gpaudit-pw-'));

function secretFile(name: string, content: string | Buffer, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

async function rejection(promise: Promise<unknown>): Promise<LdapScanError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LdapScanError);
  expect((error as LdapScanError).kind).toBe('password');
  return error as LdapScanError;
}

function fakeTty(): { tty: PasswordTty; input: PassThrough; written: () => string; rawModes: boolean[] } {
  const rawModes: boolean[] = [];
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (raw: boolean) => rawModes.push(raw) });
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString()));
  return { tty: { input, output }, input, written: () => written, rawModes };
}

describe('readPassword', () => {
  it('reads a mode-600 file without its final line break', async () => {
    const file = secretFile('ok', 'S3cret pass\n');
    expect(await readPassword({ file })).toEqual({ password: 'S3cret pass', source: 'file', warnings: [] });
    expect(await readPassword({ file: secretFile('crlf', 'S3cret\r\n') })).toMatchObject({ password: 'S3cret' });
    expect(await readPassword({ file: secretFile('none', 'S3cret') })).toMatchObject({ password: 'S3cret' });
    expect(await readPassword({ file: secretFile('bom', '\ufeffPässwörd\n') })).toMatchObject({ password: 'Pässwörd' });
  });

  it('refuses a file group or others can read, naming the fix', async () => {
    const file = secretFile('open', 'S3cret\n', 0o644);
    const error = await rejection(readPassword({ file, platform: 'linux' }));
    expect(error.message).toBe(`--password-file ${file} is readable or writable by group or others (mode 644); run "chmod 600 ${file}" and try again`);
    expect((await rejection(readPassword({ file: secretFile('group', 'x', 0o640), platform: 'linux' }))).message).toContain('(mode 640)');
    expect((await rejection(readPassword({ file: secretFile('otherw', 'x', 0o602), platform: 'linux' }))).message).toContain('(mode 602)');
    expect(await readPassword({ file: secretFile('owneronly', 'x', 0o400), platform: 'linux' })).toMatchObject({ password: 'x' });
  });

  it('does not check permissions on Windows, where mode bits mean nothing', async () => {
    expect(await readPassword({ file: secretFile('win', 'x', 0o644), platform: 'win32' })).toMatchObject({ password: 'x' });
  });

  it('refuses empty, multi-line, oversized, binary, missing files and directories', async () => {
    expect((await rejection(readPassword({ file: secretFile('empty', '\n') }))).message).toContain('is empty');
    expect((await rejection(readPassword({ file: secretFile('two', 'a\nb\n') }))).message).toContain('holds more than one line');
    const big = secretFile('big', Buffer.alloc(MAX_PASSWORD_FILE_BYTES + 10, 0x61));
    expect((await rejection(readPassword({ file: big }))).message).toBe(`--password-file ${big} is larger than ${MAX_PASSWORD_FILE_BYTES} bytes: not a password file`);
    expect((await rejection(readPassword({ file: secretFile('bin', Buffer.from([0xff, 0xfe, 0x00, 0x41])) }))).message).toContain('is not UTF-8 text');
    expect((await rejection(readPassword({ file: join(dir, 'missing') }))).message).toBe(`cannot open --password-file ${join(dir, 'missing')}: no such file`);
    expect((await rejection(readPassword({ file: dir }))).message).toBe(`--password-file ${dir} is a directory`);
  });

  it('never puts the password in an error message', async () => {
    const error = await rejection(readPassword({ file: secretFile('leak', 'TopSecret1\nTopSecret2\n') }));
    expect(error.message).not.toContain('TopSecret');
    expect(() => passwordFromFileContent(Buffer.from('TopSecret\nx'), 'f')).toThrow(/more than one line/);
  });

  it('uses the environment variable when there is no file', async () => {
    expect(await readPassword({ env: { [PASSWORD_ENV]: 'from env' } })).toEqual({ password: 'from env', source: 'env', warnings: [] });
    expect((await rejection(readPassword({ env: { [PASSWORD_ENV]: '' } }))).message).toBe(
      `${PASSWORD_ENV} is set but empty; set it to the bind password or unset it to be prompted`,
    );
  });

  it('prefers the file over the environment and says so', async () => {
    const result = await readPassword({ file: secretFile('both', 'file pw'), env: { [PASSWORD_ENV]: 'env pw' } });
    expect(result).toEqual({ password: 'file pw', source: 'file', warnings: [`${PASSWORD_ENV} is set but ignored: --password-file takes precedence`] });
  });

  it('prompts on a terminal without echo, honouring backspace', async () => {
    const { tty, input, written, rawModes } = fakeTty();
    const pending = readPassword({ tty, env: {} });
    input.write('pa');
    input.write('x\u007fss wörd\r');
    expect(await pending).toEqual({ password: 'pass wörd', source: 'tty', warnings: [] });
    expect(written()).toBe('LDAP password: \n');
    expect(rawModes).toEqual([true, false]);
  });

  it('prompts with the account and the server when told them', async () => {
    const { tty, input, written } = fakeTty();
    const pending = readPassword({ tty: { ...tty, prompt: passwordPrompt('CORP\\svc-audit', ['ldaps://dc1.corp.example:636']) }, env: {} });
    input.write('pw\r');
    expect(await pending).toMatchObject({ password: 'pw', source: 'tty' });
    expect(written()).toBe('Password for CORP\\svc-audit on ldaps://dc1.corp.example:636: \n');
  });

  it('cancels the prompt on Ctrl-C and on end of input', async () => {
    const first = fakeTty();
    const cancelled = readPassword({ tty: first.tty });
    first.input.write('abc\u0003');
    expect((await rejection(cancelled)).message).toBe('password prompt cancelled');
    expect(first.rawModes).toEqual([true, false]);
    const second = fakeTty();
    const ended = readPassword({ tty: second.tty });
    second.input.end();
    expect((await rejection(ended)).message).toBe('no password entered (end of input)');
  });

  it('fails fast, naming the three sources, when nothing is available', async () => {
    const notATerminal = { input: new PassThrough(), output: new PassThrough() };
    for (const sources of [{}, { env: {} }, { tty: notATerminal }]) {
      expect((await rejection(readPassword(sources))).message).toBe(
        `no password: set ${PASSWORD_ENV}, pass --password-file FILE (mode 600), or run on a terminal to be prompted; a password on the command line is not accepted`,
      );
    }
  });
});

describe('passwordPrompt', () => {
  it('names the bind account as given and the first server, with the others after it', () => {
    expect(passwordPrompt(' svc-audit@corp.example ', ['ldaps://dc1.corp.example:636'])).toBe('Password for svc-audit@corp.example on ldaps://dc1.corp.example:636: ');
    expect(passwordPrompt('CN=svc,DC=corp,DC=example', ['ldaps://dc1:636', 'ldaps://dc2:636', 'ldap://dc3:389'])).toBe(
      'Password for CN=svc,DC=corp,DC=example on ldaps://dc1:636 (or ldaps://dc2:636, ldap://dc3:389): ',
    );
    expect(passwordPrompt('CORP\\svc', [])).toBe('Password for CORP\\svc: ');
  });
});
