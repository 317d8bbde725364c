import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The Sarif.Multitool binary @microsoft/sarif-multitool-linux ships (a self-contained .NET executable). */
export const MULTITOOL: string = createRequire(import.meta.url)('@microsoft/sarif-multitool-linux');

export interface ValidationResult {
  ruleId: string;
  level: string;
  text: string;
}

/**
 * The Multitool's rule kinds: `Sarif` its own SARIF rules (the default), `Gh` GitHub code scanning's ingestion
 * rules (GH1xxx/GH2xxx), `Ado` GitHub Advanced Security for Azure DevOps' (GHAzDO1xxx/GHAzDO2xxx). The JSON
 * schema is checked with any of them.
 */
export type RuleKind = 'Sarif' | 'Gh' | 'Ado';

export interface ValidateOptions {
  /** Rule kinds to run (default: the Multitool's, `Sarif`). */
  ruleKinds?: RuleKind[];
  /** Result levels to report (default: the Multitool's, errors and warnings). */
  levels?: ('Error' | 'Warning' | 'Note')[];
}

/**
 * Runs `Sarif.Multitool validate` and returns what it found. Its exit code is 0 even for an invalid log, so the
 * findings are read from the SARIF log it writes. The options (or, as before, extra arguments) follow the file:
 * the Multitool reads every word after `--rule-kind` up to the next option as a rule kind, so that one comes last.
 */
export function validateSarif(file: string, options: ValidateOptions | string[] = []): ValidationResult[] {
  ensureExecutable();
  const out = `${file}.validation.sarif`;
  const extraArgs = Array.isArray(options)
    ? options
    : [...(options.levels?.length ? ['--level', ...options.levels] : []), ...(options.ruleKinds?.length ? ['--rule-kind', ...options.ruleKinds] : [])];
  execFileSync(MULTITOOL, ['validate', file, '--output', out, '--log', 'ForceOverwrite', '--quiet', ...extraArgs], {
    encoding: 'utf8',
    // The binary needs ICU for culture data; without libicu it aborts unless told to run culture-invariant.
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: process.env.DOTNET_SYSTEM_GLOBALIZATION_INVARIANT ?? '1' },
    timeout: 120_000,
  });
  const log = JSON.parse(readFileSync(out, 'utf8'));
  const run = log.runs[0];
  const rules: { id: string; messageStrings?: Record<string, { text: string }> }[] = run.tool.driver.rules ?? [];
  return (run.results ?? []).map((r: { ruleId: string; level?: string; message: { id?: string; text?: string; arguments?: string[] } }) => ({
    ruleId: r.ruleId,
    level: r.level ?? 'warning',
    text: r.message.text ?? fillTemplate(rules.find((x) => x.id === r.ruleId)?.messageStrings?.[r.message.id ?? '']?.text, r.message.arguments ?? []),
  }));
}

function fillTemplate(template: string | undefined, args: string[]): string {
  if (!template) return args.join(' | ');
  return template.replace(/\{(\d+)\}/g, (_m, i: string) => args[Number(i)] ?? '');
}

// npm runs the package's `chmod u+x` postinstall only when install scripts are allowed; the tarball mode usually
// suffices, but a copy without it would fail with EACCES rather than validate.
function ensureExecutable(): void {
  try {
    accessSync(MULTITOOL, constants.X_OK);
  } catch {
    chmodSync(MULTITOOL, 0o755);
  }
}
