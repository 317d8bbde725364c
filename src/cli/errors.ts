/** A mistake the user can fix (bad flag, broken rules or config file): printed without a stack trace, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A directory scan could not run or complete (unreachable, bad credentials, cut connection): one line, exit 2. */
export class ScanFailed extends Error {
  override name = 'ScanFailed';
}
