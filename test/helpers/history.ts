// What the history tests share: catching the HistoryError an action throws, and changing a history file behind
// the History class's back (a dead writer's pid, another host, a newer schema).
import Database from 'better-sqlite3';
import { HistoryError } from '../../src/history/index.js';

export function errorOf(action: () => unknown): HistoryError {
  try {
    action();
  } catch (error) {
    if (error instanceof HistoryError) return error;
    throw error;
  }
  throw new Error('expected a HistoryError, got none');
}

export function rawUpdate(path: string, sql: string, ...params: Array<string | number>): void {
  const db = new Database(path);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}
