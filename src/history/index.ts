export { openHistory, History, HistoryError, HISTORY_APPLICATION_ID, HISTORY_SCHEMA_VERSION, HISTORY_BUSY_TIMEOUT_MS, baseDnKey } from './store.js';
export type { HistoryErrorCode, OpenHistoryOptions } from './store.js';
export { formatRunList, formatRun, formatDiff } from './format.js';
export type * from './types.js';
