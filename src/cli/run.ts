import { createWriteStream, readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { PolicyCatalog } from '../admx/catalog.js';
import { builtinCatalog, loadPolicyCatalog } from '../admx/load.js';
import { formatProblem } from '../model/problems.js';
import type { Hive } from '../model/settings.js';
import { jsonSettingsReporter, textSettingsReporter, type Write } from '../reporters/settings-output.js';
import { runSettings } from './settings-command.js';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** A mistake the user can fix: printed as one line, exit 2, never a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface SettingsFlags {
  format: 'text' | 'json';
  admx?: string;
  lang: string;
  hive?: Hive;
  maxFileSize: number;
  output?: string;
}

/** Parse argv, run the command, return the exit code (0 clean, 2 input or usage error). */
export async function run(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = new Command('gpaudit')
    .description('Audit Group Policy exports and Active Directory for settings that break Amazon WorkSpaces')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  program
    .command('settings')
    .description('print every setting the exports hold, grouped by GPO, with where each came from; then the files that could not be read')
    .argument('<path...>', 'files or folders: GPO reports, RSoP, INF, Registry.pol, GPP XML, Backup-GPO folders, SYSVOL Policies folders')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--admx <dir>', 'PolicyDefinitions folder (ADMX/ADML) to name administrative-template policies beyond the built-in ones')
    .option('--lang <xx-YY>', 'ADML language for --admx, falling back to en-US', 'en-US')
    .addOption(new Option('--hive <hive>', 'hive for a loose Registry.pol with no Machine/User folder above it').choices(['HKLM', 'HKCU']))
    .option('--max-file-size <MB>', 'refuse files larger than this many MiB', parsePositive, 64)
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .action(async (paths: string[], flags: SettingsFlags) => {
      const catalog = loadCatalog(flags, io);
      const { write, close } = openOutput(flags.output, io);
      const reporter = flags.format === 'json' ? jsonSettingsReporter(write, VERSION) : textSettingsReporter(write);
      exitCode = Math.max(exitCode, runSettings(paths, { catalog, maxFileBytes: Math.floor(flags.maxFileSize * 1024 * 1024), ...(flags.hive ? { hive: flags.hive } : {}) }, reporter));
      await close();
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; anything else commander rejects is a usage error it has already printed.
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? 0 : 2;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`gpaudit: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  return exitCode;
}

function loadCatalog(flags: SettingsFlags, io: Io): PolicyCatalog {
  if (!flags.admx) return builtinCatalog();
  const { catalog, problems } = loadPolicyCatalog(flags.admx, flags.lang);
  for (const p of problems) io.stderr.write(`gpaudit: --admx: ${formatProblem(p)}\n`);
  return catalog;
}

function openOutput(path: string | undefined, io: Io): { write: Write; close: () => Promise<void> } {
  if (!path) return { write: (s) => void io.stdout.write(s), close: async () => {} };
  const stream = createWriteStream(path);
  let failure: Error | undefined;
  stream.on('error', (e) => (failure = e));
  return {
    write: (s) => void stream.write(s),
    close: () =>
      new Promise((resolve, reject) =>
        stream.end(() => (failure ? reject(new UsageError(`cannot write ${path}: ${failure.message}`)) : resolve())),
      ),
  };
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}
