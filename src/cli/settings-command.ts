import { readEstate, type ReadEstateOptions } from '../pipeline/read-estate.js';
import type { SettingsReporter } from '../reporters/settings-output.js';

/** 0 when every input was read, 2 when any could not be. */
export function runSettings(paths: string[], options: ReadEstateOptions, reporter: SettingsReporter): number {
  const { outcomes, problems, summary } = readEstate(paths, options, (u) => reporter.unit(u));
  reporter.end(outcomes, problems, summary);
  return problems.some((p) => p.severity === 'error') ? 2 : 0;
}
