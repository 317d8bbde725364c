import type { PolicyCatalog } from '../admx/catalog.js';
import type { Hive } from '../model/settings.js';

// Apart from run-policy.ts, so an audit without --ou does not load the directory client to get at it.

/** What the estate reader needs of an audit's or a policy run's options. */
export function estateOptions(options: { catalog: PolicyCatalog; cwd: string; root: string; hive?: Hive; maxFileBytes?: number }) {
  return {
    catalog: options.catalog,
    cwd: options.cwd,
    root: options.root,
    ...(options.hive ? { hive: options.hive } : {}),
    ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}),
  };
}
