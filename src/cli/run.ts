import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
// Only what every start needs is imported here: the option definitions, --help and --version. Each command's
// modules (the pipeline, the rules loader and its YAML parser, the reporters, the LDAP client) are imported by its
// action when it runs; test/startup.test.ts holds --version and --help to that. Type-only imports cost nothing.
import type { PolicyCatalog } from '../admx/catalog.js';
import type { Hive } from '../model/settings.js';
import type { Write } from '../reporters/settings-output.js';
import { AUDIT_FORMATS } from '../reporters/audit-formats.js';
import { SEVERITIES } from '../model/severity.js';
import type { AuditFlags } from './audit-command.js';
import { ScanFailed, UsageError } from './errors.js';
import type { LdapScanFlags } from './ldap-command.js';
import type { PreflightFlags } from './preflight-command.js';
import { builtinPackVersion } from '../rules/builtin.js';
import { directoryOptions, type DirectoryIo } from './directory-flags.js';
import type { PolicyFlags } from './policy-command.js';
import { collect, parseJobs, parsePositive } from './option-values.js';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /**
   * Registers what to undo if the process is stopped (SIGINT, SIGTERM, SIGHUP): main.ts runs it before exiting.
   * Returns the unregistration. Absent in-process (tests): nothing is registered.
   */
  onStop?: (cleanup: () => void) => () => void;
}

export { UsageError };

export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface SettingsFlags {
  format: 'text' | 'json';
  admx?: string;
  lang: string;
  hive?: Hive;
  maxFileSize: number;
  output?: string;
  jobs?: number;
}

/**
 * `gpaudit --version`: the package version on the first line (scripts read that line), the built-in rule pack's
 * name and version on the second.
 */
function versionText(): string {
  const pack = builtinPackVersion();
  return `${VERSION}\nrules: ${pack ? `${pack.name} ${pack.version}` : 'unknown (rules.yaml has no pack: line)'} (built in)`;
}

/** Parse argv, run the command, return the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  // Temporary report files and folders: removed when a command fails, and when the process is stopped (a scan
  // of a million users interrupted with Ctrl-C would leave hundreds of MB of sorted findings behind).
  const temps = new Set<string>();
  const unregister = io.onStop?.(() => removeTemps(temps));
  // Read once, here: every command gets the working directory from this, nothing below the CLI reads it.
  const cwd = process.cwd();
  const program = new Command('gpaudit')
    .description('Audit Group Policy exports and Active Directory for settings that break Amazon WorkSpaces')
    .version(versionText(), '-V, --version', 'print the version of gpaudit and of its built-in rule pack')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .addHelpText('after', examples([
      'gpaudit audit exports/ --format sarif -o gpaudit.sarif     GPO exports against the WorkSpaces rules',
      "gpaudit policy --ou 'OU=WorkSpaces,DC=corp,DC=example,DC=com' links.ldif --sysvol Policies/",
      'gpaudit ldap scan --url ldaps://dc1.corp.example.com --bind-dn svc-audit@corp.example.com --history scans.sqlite',
    ]));

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
    .option('--jobs <n>', 'threads that read and parse the exports (default: the cores available; 1: no worker threads)', parseJobs)
    .addHelpText('after', examples([
      'gpaudit settings exports/                      every setting of every GPO under exports/, by GPO',
      'gpaudit settings gpreport.xml --format json    one GPO report as JSON (schemas/settings-output.schema.json)',
      'gpaudit settings Policies/ --admx PolicyDefinitions --lang de-DE',
    ]))
    .action(async (paths: string[], flags: SettingsFlags) => {
      const catalog = await loadCatalog(flags, io);
      const { write, close } = openOutput(flags.output, io, temps);
      const { jsonSettingsReporter, textSettingsReporter } = await import('../reporters/settings-output.js');
      const reporter = flags.format === 'json' ? jsonSettingsReporter(write, VERSION) : textSettingsReporter(write);
      const { runSettings } = await import('./settings-command.js');
      const options = { catalog, cwd, maxFileBytes: Math.floor(flags.maxFileSize * 1024 * 1024), ...(flags.hive ? { hive: flags.hive } : {}), jobs: flags.jobs ?? availableParallelism() };
      exitCode = Math.max(exitCode, await runSettings(paths, options, flags.format, reporter));
      await close();
    });

  ouOptions(
    reportOptions(
      program
        .command('audit')
        .description('check GPO exports against the rules (the WorkSpaces pack by default) and report findings; with --ou, only what reaches that OU')
        .argument('[path...]', 'files or folders, as for `gpaudit settings` (with --ou also LDIF exports of the links and GPO containers)'),
    ),
  )
    .option('--root <dir>', 'directory waiver paths and SARIF artifact paths are relative to (default: the configuration\'s root, else the current directory)')
    .option('--admx <dir>', 'PolicyDefinitions folder (ADMX/ADML) for administrative templates beyond the built-in ones')
    .option('--lang <xx-YY>', 'ADML language for --admx, falling back to en-US', 'en-US')
    .addOption(new Option('--hive <hive>', 'hive for a loose Registry.pol with no Machine/User folder above it').choices(['HKLM', 'HKCU']))
    .option('--max-file-size <MB>', 'refuse files larger than this many MiB', parsePositive, 64)
    .option('-q, --quiet', 'text: print the findings and the summary line only (errors still go to stderr)')
    .option('--jobs <n>', 'threads that read, parse and evaluate the exports (default: the cores available; 1: no worker threads; --ou reads in one thread)', parseJobs)
    .addHelpText('after', examples([
      'gpaudit audit exports/                                   the WorkSpaces rules on every export under exports/',
      'gpaudit audit exports/ --format sarif -o gpaudit.sarif --fail-on high',
      "gpaudit audit --ou 'OU=WorkSpaces,DC=corp,DC=example,DC=com' links.ldif --sysvol Policies/",
    ]))
    .action(async (paths: string[], flags: AuditFlags) => {
      if (paths.length === 0 && !flags.ou) throw new UsageError("missing required argument 'path' (files or folders to audit; or --ou with a directory)");
      const catalog = await loadCatalog(flags, io);
      const isTty = (io.stdout as NodeJS.WriteStream).isTTY === true;
      const { auditCommand } = await import('./audit-command.js');
      // The file is opened before the audit runs, so a path that cannot be written costs no audit.
      const { write, close } = openOutput(flags.output, io, temps);
      const { writeReport, result, stderr } = await auditCommand(paths, flags, catalog, VERSION, cwd, isTty, directoryIo(io, cwd));
      io.stderr.write(stderr);
      writeReport(write);
      await close();
      const { exitCodeOf } = await import('../audit/exit-code.js');
      exitCode = Math.max(exitCode, exitCodeOf(result));
    });

  ouOptions(
    directoryOptions(
      program
        .command('policy')
        .description("print the resultant policy of an OU, like gpresult: the GPOs that reach it in precedence order, those that do not and why, and each setting's winning value")
        .argument('[path...]', 'GPO exports and LDIF exports of the links and GPO containers (instead of, or besides, a directory)'),
      false,
    ),
  )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--admx <dir>', 'PolicyDefinitions folder (ADMX/ADML) for administrative templates beyond the built-in ones')
    .option('--lang <xx-YY>', 'ADML language for --admx, falling back to en-US', 'en-US')
    .addOption(new Option('--hive <hive>', 'hive for a loose Registry.pol with no Machine/User folder above it').choices(['HKLM', 'HKCU']))
    .option('--max-file-size <MB>', 'refuse files larger than this many MiB', parsePositive, 64)
    .addHelpText('after', examples([
      "gpaudit policy --ou 'OU=WorkSpaces,DC=corp,DC=example,DC=com' --url ldaps://dc1.corp.example.com \\",
      "               --bind-dn svc-audit@corp.example.com --sysvol /mnt/sysvol/corp.example.com/Policies",
      "gpaudit policy --ou 'OU=WorkSpaces,DC=corp,DC=example,DC=com' links.ldif --sysvol Policies/ --format json",
      'gpaudit policy --ou corp.example.com/WorkSpaces All-GPOs.xml      from Get-GPOReport -All alone',
    ]))
    .action(async (paths: string[], flags: PolicyFlags) => {
      const catalog = await loadCatalog(flags, io);
      const { policyCommand } = await import('./policy-command.js');
      const { write, close } = openOutput(flags.output, io, temps);
      const { text, code, stderr } = await policyCommand(paths, flags, catalog, VERSION, directoryIo(io, cwd));
      io.stderr.write(stderr);
      write(text);
      await close();
      exitCode = Math.max(exitCode, code);
    });

  const rules = program.command('rules').description('list, show and validate rules');
  const rulesOptions = (cmd: Command) =>
    cmd
      .option('--rules <file>', 'rules file (repeatable)', collect)
      .option('--config <file>', 'configuration file (default: .gpaudit.yaml in the current directory, if any)')
      .option('--tags <t1,t2>', 'only rules with any of these tags');
  rulesOptions(rules.command('list').description('list the rules: id, severity, tags, title'))
    .addHelpText('after', examples(['gpaudit rules list', 'gpaudit rules list --tags web-access', 'gpaudit rules list --rules team-rules.yaml']))
    .action(async (flags: { rules?: string[]; config?: string; tags?: string }) => {
      const { resolveConfig, resolveRules } = await import('./rules-config.js');
      const { rulesList } = await import('./rules-command.js');
      const { config, path } = resolveConfig(flags.config, cwd);
      io.stdout.write(rulesList(resolveRules(flags, config, path, cwd)));
    });
  rulesOptions(rules.command('show').description('show one rule in full: rationale, remediation, checks, references').argument('<id>'))
    .addHelpText('after', examples(['gpaudit rules show workspaces-logon-banner', 'gpaudit rules show my-rule --rules team-rules.yaml']))
    .action(async (id: string, flags: { rules?: string[]; config?: string; tags?: string }) => {
      const { resolveConfig, resolveRules } = await import('./rules-config.js');
      const { rulesShow } = await import('./rules-command.js');
      const { config, path } = resolveConfig(flags.config, cwd);
      io.stdout.write(rulesShow(resolveRules(flags, config, path, cwd), id));
    });
  rules
    .command('validate')
    .description('check rules files against the schema; exit 0 when valid, 2 with one line per problem')
    .argument('<file...>')
    .addHelpText('after', examples(['gpaudit rules validate team-rules.yaml', 'gpaudit rules validate rules/*.yaml   (exit 2 with one line per problem)']))
    .action(async (files: string[]) => {
      const { rulesValidate } = await import('./rules-command.js');
      const { text, code } = rulesValidate(files, cwd);
      (code === 0 ? io.stdout : io.stderr).write(text);
      exitCode = Math.max(exitCode, code);
    });

  const ldap = program.command('ldap').description('scan Active Directory users over LDAP and keep a history of scans');
  const scan = directoryOptions(
    ldap.command('scan').description('check directory users against the directory rules (Amazon Linux user names, mail, login shell)'),
    true,
  )
    .option('--include-disabled', 'scan disabled accounts too')
    .option('--filter <ldap-filter>', 'an extra LDAP filter, ANDed with the user filter')
    .option('--member-of <group-dn>', 'only members of this group, nested groups included')
    .option('--history <file.sqlite>', 'record the run and print what is new and resolved since the last completed one')
    .addHelpText('after', examples([
      'GPAUDIT_LDAP_PASSWORD=... gpaudit ldap scan --url ldaps://dc1.corp.example.com --bind-dn svc-audit@corp.example.com',
      "gpaudit ldap scan --url ldaps://dc1 --bind-dn 'CORP\\svc-audit' --password-file /etc/gpaudit/pw --history scans.sqlite",
      "gpaudit ldap scan --url ldap://dc1 --starttls --ca-file corp-ca.pem --bind-dn svc-audit@corp.example.com --member-of 'CN=WorkSpaces Users,OU=Groups,DC=corp,DC=example,DC=com'",
    ]));
  reportOptions(scan).action(async (flags: LdapScanFlags) => {
      const { ldapScanCommand } = await import('./ldap-command.js');
      // Opened before the scan, so a path that cannot be written costs no scan.
      const { write, close } = openOutput(flags.output, io, temps);
      const { result } = await ldapScanCommand(flags, {
        stderr: io.stderr,
        stdin: process.stdin,
        stderrIsTty: (io.stderr as NodeJS.WriteStream).isTTY === true,
        stdinIsTty: process.stdin.isTTY === true,
        cwd,
        version: VERSION,
        env: process.env,
        onTemporaryFolder: (path) => temps.add(path),
      }, write);
      await close();
      const { exitCodeOf } = await import('../audit/exit-code.js');
      exitCode = Math.max(exitCode, exitCodeOf(result));
    });
  ldap
    .command('history')
    .description('list the runs a scan history holds, or show one')
    .argument('<file.sqlite>')
    .option('--run <n>', 'show this run with its findings', parsePositive)
    .addHelpText('after', examples(['gpaudit ldap history scans.sqlite           the runs it holds', 'gpaudit ldap history scans.sqlite --run 12  one run with its findings']))
    .action(async (file: string, flags: { run?: number }) => {
      const { ldapHistoryCommand } = await import('./ldap-command.js');
      io.stdout.write(ldapHistoryCommand(file, flags.run, cwd));
    });

  program
    .command('preflight')
    .description('check that AD Connector can reach a directory: DNS SRV records and TCP/UDP 53, 88 and 389')
    .requiredOption('--domain <dns-name>', 'DNS name of the directory, e.g. corp.example.com')
    .requiredOption('--dns <ip[,ip]>', 'the DNS server addresses AD Connector will be given')
    .option('--dc <host>', 'domain controller to probe (repeatable; default: the SRV record targets)', collect)
    .option('--timeout <ms>', 'per probe', parsePositive, 3000)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', examples([
      'gpaudit preflight --domain corp.example.com --dns 10.0.0.10,10.0.0.11',
      'gpaudit preflight --domain corp.example.com --dns 10.0.0.10 --dc dc1.corp.example.com --format json',
    ]))
    .action(async (flags: PreflightFlags) => {
      const { preflightCommand } = await import('./preflight-command.js');
      const { text, code } = await preflightCommand(flags);
      io.stdout.write(text);
      exitCode = Math.max(exitCode, code);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    removeTemps(temps);
    if (err instanceof CommanderError) {
      // help and version exit 0; anything else commander rejects is a usage error it has already printed.
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? 0 : 2;
    }
    if (err instanceof UsageError || err instanceof ScanFailed) {
      io.stderr.write(`gpaudit: ${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    unregister?.();
  }
  return exitCode;
}

/**
 * `--ou` and what goes with it (`policy`, `audit`). For `audit` the directory options come along: a command takes
 * them once (policy registers them itself, where they are the main thing).
 */
function ouOptions(cmd: Command): Command {
  if (cmd.name() === 'audit') directoryOptions(cmd, false);
  return cmd
    .option('--ou <dn>', 'the OU (DN, or canonical name with GPO reports) whose effective policy counts: only GPOs that reach it, winners only')
    .option('--user-ou <dn>', "the users' own OU: their user-side GPOs (with loopback merge, applied before the computer OU's)")
    .option('--site <name>', "the computers' AD site, whose linked GPOs apply first (needs --url)")
    .option('--sysvol <dir>', 'the Policies folder holding the {GUID} folders (a mounted \\\\domain\\SYSVOL\\domain\\Policies or a copy)');
}

function directoryIo(io: Io, cwd: string): DirectoryIo {
  return {
    stderr: io.stderr,
    stdin: process.stdin,
    stderrIsTty: (io.stderr as NodeJS.WriteStream).isTTY === true,
    stdinIsTty: process.stdin.isTTY === true,
    cwd,
    env: process.env,
  };
}

/** The end of a command's --help: real invocations to copy. */
function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

/** The options `audit` and `ldap scan` share: which rules, and how findings are reported and gate the exit code. */
function reportOptions(cmd: Command): Command {
  return cmd
    .option('--rules <file>', 'rules file to use (repeatable; `extends: [builtin]` in it keeps the built-in pack)', collect)
    .option('--tags <t1,t2>', 'run only rules with any of these tags')
    .addOption(new Option('--format <format>', 'output format').choices([...AUDIT_FORMATS]).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (default low)').choices([...SEVERITIES]))
    .option('--baseline <report.json>', 'report only findings that are not in this earlier JSON report')
    .option('--config <file>', 'configuration file (default: .gpaudit.yaml in the current directory, if any)');
}


/** Loaded on demand: `ldap scan` and `preflight` never need the ADMX catalogue. */
async function loadCatalog(flags: { admx?: string; lang: string }, io: Io): Promise<PolicyCatalog> {
  const { builtinCatalog, loadPolicyCatalog } = await import('../admx/load.js');
  if (!flags.admx) return builtinCatalog();
  // A folder that is not there is a mistake in the command line, not an input to report and audit around.
  let isDir = false;
  try {
    isDir = statSync(flags.admx).isDirectory();
  } catch {
    throw new UsageError(`--admx ${flags.admx}: no such folder (give the PolicyDefinitions folder holding the *.admx files)`);
  }
  if (!isDir) throw new UsageError(`--admx ${flags.admx}: not a folder (give the PolicyDefinitions folder holding the *.admx files)`);
  if (!readdirSync(flags.admx).some((name) => /\.admx$/i.test(name))) {
    throw new UsageError(`--admx ${flags.admx}: no .admx file in this folder (give the PolicyDefinitions folder itself)`);
  }
  const { catalog, problems } = loadPolicyCatalog(flags.admx, flags.lang);
  const { formatProblem } = await import('../model/problems.js');
  for (const p of problems) io.stderr.write(`gpaudit: --admx: ${formatProblem(p)}\n`);
  return catalog;
}

/**
 * Reports are written synchronously: the pipeline never yields to the event loop while it streams the estate,
 * so an asynchronous file stream would hold the whole report in memory until the end (measured: 531 MB peak
 * RSS for 5,000 GPOs, against 150 MB written this way). With -o the report goes to a temporary file beside the
 * target, renamed over it at the end: a run that fails half-way leaves no half-written report (and an earlier
 * report in its place stays whole). `temps` collects the temporary files so a run that throws removes them. A
 * device, pipe or socket (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written in place: a file renamed over it
 * would replace the device itself (as root, /dev/null became a regular file).
 */
function openOutput(path: string | undefined, io: Io, temps: Set<string>): { write: Write; close: () => Promise<void> } {
  if (!path) return stdoutOutput(io);
  const fail = (err: unknown): never => {
    throw new UsageError(`-o ${path}: cannot write the report there: ${explainWriteError(err as NodeJS.ErrnoException, path)}`);
  };
  let existing: Stats | undefined;
  try {
    existing = statSync(path);
  } catch {
    // Not there yet (or not reachable): opening the temporary file beside it says which.
  }
  // A folder named as the report would only fail at the rename, after the whole audit: refuse it now.
  if (existing?.isDirectory()) fail(Object.assign(new Error('is a folder'), { code: 'EISDIR' }));
  if (existing && !existing.isFile()) {
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (err) {
      return fail(err);
    }
    const out = batched(fileSink(fd, fail));
    return {
      write: out.write,
      close: async () => {
        out.flush();
        closeSync(fd);
      },
    };
  }
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.gpaudit-tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx');
  } catch (err) {
    return fail(err);
  }
  temps.add(temp);
  const out = batched(fileSink(fd, fail));
  return {
    write: out.write,
    close: async () => {
      out.flush();
      try {
        fsyncSync(fd);
        closeSync(fd);
        renameSync(temp, path);
        temps.delete(temp);
      } catch (err) {
        fail(err);
      }
    },
  };
}

/**
 * A terminal gets each piece as it comes (a person watches it); a pipe or file gets them gathered into ~1 MB
 * writes: a directory report of half a million findings is as many pieces.
 */
function stdoutOutput(io: Io): { write: Write; close: () => Promise<void> } {
  if ((io.stdout as NodeJS.WriteStream).isTTY === true) return { write: (s) => void io.stdout.write(s), close: async () => {} };
  const out = batched((s) => void io.stdout.write(s));
  return { write: out.write, close: async () => out.flush() };
}

/** Batched into ~1 MB writes: one system call per GPO cost more than the JSON it wrote. */
function batched(sink: (s: string) => void): { write: Write; flush: () => void } {
  let pending: string[] = [];
  let size = 0;
  const flush = () => {
    if (size === 0) return;
    sink(pending.join(''));
    pending = [];
    size = 0;
  };
  return {
    write: (s) => {
      pending.push(s);
      size += s.length;
      if (size >= 1 << 20) flush();
    },
    flush,
  };
}

function fileSink(fd: number, fail: (err: unknown) => never): (s: string) => void {
  return (s) => {
    try {
      writeSync(fd, s);
    } catch (err) {
      fail(err);
    }
  };
}

/** Temporary files and folders of a run that did not finish: removed, so nothing half-written stays behind. */
function removeTemps(temps: Set<string>): void {
  for (const t of temps) rmSync(t, { force: true, recursive: true });
  temps.clear();
}

function explainWriteError(err: NodeJS.ErrnoException, path: string): string {
  switch (err.code) {
    case 'ENOENT':
      return `the folder ${dirname(path)} does not exist (create it first)`;
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (choose a folder you can write to)';
    case 'EISDIR':
      return 'it is a folder (give a file name)';
    case 'ENOTDIR':
      return `a part of ${dirname(path)} is a file, not a folder`;
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return err.code ?? err.message;
  }
}
