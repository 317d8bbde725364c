// Where the bind password comes from. Never from argv (every user on the host can read a process's arguments) and
// never logged. Order: --password-file, then GPAUDIT_LDAP_PASSWORD, then a prompt on the terminal.
//
// A password file that group or others may read or write is REFUSED, not merely warned about (as ssh does with
// private keys): a warning scrolls past in CI logs while the secret stays exposed. `chmod 600 FILE` fixes it.
// Pipes and other non-regular files (`--password-file /dev/stdin`, `<(pass show dc)`) have no lasting permissions
// and are accepted.
import { open } from 'node:fs/promises';
import { LdapScanError } from './errors.js';

export const PASSWORD_ENV = 'GPAUDIT_LDAP_PASSWORD';
/** More than this is not a password file (and reading stops there, so a wrong path cannot eat memory). */
export const MAX_PASSWORD_FILE_BYTES = 64 * 1024;
const GROUP_OR_OTHER_READ_WRITE = 0o066;

/** A terminal to prompt on: stdin and stderr in the CLI, fakes in tests. */
export interface PasswordTty {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  output: NodeJS.WritableStream;
  prompt?: string;
}

export interface PasswordSources {
  env?: Readonly<Record<string, string | undefined>>;
  file?: string;
  /** Omit or pass undefined when there is no terminal (CI): then a missing password is an error, not a hang. */
  tty?: PasswordTty;
  /** For tests; permissions are only checked on POSIX systems. */
  platform?: NodeJS.Platform;
}

export interface PasswordResult {
  password: string;
  source: 'file' | 'env' | 'tty';
  /** Things the CLI should print (to stderr), e.g. that a set environment variable was ignored. */
  warnings: string[];
}

export async function readPassword(sources: PasswordSources): Promise<PasswordResult> {
  const fromEnv = sources.env?.[PASSWORD_ENV];
  if (sources.file !== undefined) {
    const warnings = fromEnv !== undefined ? [`${PASSWORD_ENV} is set but ignored: --password-file takes precedence`] : [];
    return { password: await readPasswordFile(sources.file, sources.platform ?? process.platform), source: 'file', warnings };
  }
  if (fromEnv !== undefined) {
    if (fromEnv === '') throw passwordError(`${PASSWORD_ENV} is set but empty; set it to the bind password or unset it to be prompted`);
    return { password: fromEnv, source: 'env', warnings: [] };
  }
  if (sources.tty?.input.isTTY && typeof sources.tty.input.setRawMode === 'function') {
    return { password: await promptPassword(sources.tty), source: 'tty', warnings: [] };
  }
  throw passwordError(
    `no password: set ${PASSWORD_ENV}, pass --password-file FILE (mode 600), or run on a terminal to be prompted; a password on the command line is not accepted`,
  );
}

export async function readPasswordFile(path: string, platform: NodeJS.Platform = process.platform): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw passwordError(`cannot open --password-file ${path}: ${describeFsError(error)}`);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw passwordError(`--password-file ${path} is a directory`);
    if (stat.isFile() && platform !== 'win32' && (stat.mode & GROUP_OR_OTHER_READ_WRITE) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
      throw passwordError(`--password-file ${path} is readable or writable by group or others (mode ${mode}); run "chmod 600 ${path}" and try again`);
    }
    const bytes = await readAtMost(handle, MAX_PASSWORD_FILE_BYTES + 1);
    if (bytes.length > MAX_PASSWORD_FILE_BYTES) throw passwordError(`--password-file ${path} is larger than ${MAX_PASSWORD_FILE_BYTES} bytes: not a password file`);
    return passwordFromFileContent(bytes, path);
  } finally {
    await handle.close();
  }
}

async function readAtMost(handle: Awaited<ReturnType<typeof open>>, limit: number): Promise<Buffer> {
  const buffer = Buffer.alloc(limit);
  let filled = 0;
  while (filled < limit) {
    const { bytesRead } = await handle.read(buffer, filled, limit - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/**
 * The password is the file's content minus one final line break (editors and `echo` add one). A file with more
 * lines is refused rather than guessing which line is meant.
 */
export function passwordFromFileContent(bytes: Buffer, path: string): string {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\ufffd')) throw passwordError(`--password-file ${path} is not UTF-8 text`);
  text = text.replace(/\r?\n$/, '');
  if (text === '') throw passwordError(`--password-file ${path} is empty`);
  if (/[\r\n]/.test(text)) throw passwordError(`--password-file ${path} holds more than one line; put only the password in it`);
  return text;
}

/**
 * What the terminal prompt says: the account and the server, e.g. `Password for CORP\svc-audit on
 * ldaps://dc1.corp.example:636: `, so a prompt in the middle of a script says which password it wants. With several
 * servers the first is named and the others follow in brackets (whichever answers gets the password).
 */
export function passwordPrompt(bindName: string, servers: readonly string[]): string {
  const [first, ...others] = servers;
  const on = first === undefined ? '' : ` on ${first}${others.length ? ` (or ${others.join(', ')})` : ''}`;
  return `Password for ${bindName.trim()}${on}: `;
}

/** Reads a line from the terminal without echoing it. Ctrl-C or Ctrl-D on an empty line cancels. */
export function promptPassword(tty: PasswordTty): Promise<string> {
  const { input, output } = tty;
  output.write(tty.prompt ?? 'LDAP password: ');
  input.setRawMode?.(true);
  input.resume();
  return new Promise<string>((resolve, reject) => {
    let typed = '';
    const finish = (error?: LdapScanError): void => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onEnd = (): void => finish(typed === '' ? passwordError('no password entered (end of input)') : undefined);
    const onData = (chunk: Buffer | string): void => {
      for (const c of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (c === '\r' || c === '\n') return finish(typed === '' ? passwordError('no password entered') : undefined);
        if (c === '\u0003') return finish(passwordError('password prompt cancelled'));
        if (c === '\u0004') {
          if (typed === '') return finish(passwordError('password prompt cancelled'));
          continue;
        }
        if (c === '\u007f' || c === '\b') {
          typed = [...typed].slice(0, -1).join('');
          continue;
        }
        if (c < ' ') continue;
        typed += c;
      }
    };
    input.on('data', onData);
    input.on('end', onEnd);
  });
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return code ?? String(error);
}

function passwordError(message: string): LdapScanError {
  return new LdapScanError('password', message);
}
