import { readEstate, type ReadEstateOptions } from '../pipeline/read-estate.js';
import type { SettingsFormat, SettingsReporter } from '../reporters/settings-output.js';

/**
 * 0 when every input was read, 2 when any could not be. With more than one job the units are read and rendered by
 * worker threads (pipeline/read-estate-pool.ts) and written in reading order: the same bytes as with one.
 */
export async function runSettings(paths: string[], options: ReadEstateOptions & { jobs: number }, format: SettingsFormat, reporter: SettingsReporter): Promise<number> {
  const { outcomes, problems, summary } =
    options.jobs === 1
      ? readEstate(paths, options, (u) => reporter.unit(u))
      : await (async () => {
          const [{ readEstateInPool }, { settingsUnitTask }] = await Promise.all([import('../pipeline/read-estate-pool.js'), import('../reporters/settings-unit-task.js')]);
          return readEstateInPool(paths, options, settingsUnitTask(format), (rendered) => reporter.written(rendered));
        })();
  reporter.end(outcomes, problems, summary);
  return problems.some((p) => p.severity === 'error') ? 2 : 0;
}
