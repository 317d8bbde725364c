// The scan history: one SQLite file per schedule, written by `--history` and read by `gpaudit ldap history`.
// Only node builtins and better-sqlite3 are imported at run time, so the crash-safety test can load this file
// in a bare child process.
import { statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Severity } from '../model/severity.js';
import type {
  BaselineDiff,
  DiffRunsOptions,
  FindingSubject,
  HistoryDiff,
  RecordableFinding,
  RunCompletion,
  RunCounts,
  RunDetail,
  RunFailure,
  RunFilter,
  RunStart,
  RunStatus,
  RunSummary,
  StoredFinding,
} from './types.js';

/** Stamped into the SQLite header (`PRAGMA application_id`) so any SQLite file can be told apart from ours. */
export const HISTORY_APPLICATION_ID = 0x47504155; // "GPAU"
/** `PRAGMA user_version`: the schema version this code writes. */
export const HISTORY_SCHEMA_VERSION = 1;

export type HistoryErrorCode =
  | 'cannot-open'
  | 'not-sqlite'
  | 'foreign'
  | 'corrupt'
  | 'newer-schema'
  | 'busy'
  | 'disk-full'
  | 'write-failed'
  | 'old-schema'
  | 'unknown-run'
  | 'run-not-running'
  | 'run-not-completed'
  | 'invalid-input';

export class HistoryError extends Error {
  constructor(
    readonly code: HistoryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HistoryError';
  }
}

export interface OpenHistoryOptions {
  /** For listing and showing: the file must exist and already be a history; nothing is created or migrated. */
  readOnly?: boolean;
  /** How messages name the file, e.g. the path as the user typed it; default: `path`. */
  name?: string;
  /** How long a write waits for another process's write lock before giving up; default 5000 ms. */
  busyTimeoutMs?: number;
}

/** Up to this many resolved fingerprints, a diff looks each one up by index; past it, it reads the run's rows once. */
const RESOLVED_LOOKUP_LIMIT = 1_000;

/**
 * The queries of diffRuns, exported for the test that checks their plans. missingFrom is an anti-join: the outer
 * rows come from the primary key (run_id, seq), already in seq order, and each NOT EXISTS is one search of
 * findings_by_fingerprint (run_id, fingerprint), which covers it, so no set of fingerprints is built anywhere.
 */
export const DIFF_QUERIES = {
  missingFrom: `SELECT f.fingerprint, f.rule_id, f.title, f.severity, f.message, f.subject_dn, f.subject_sam
    FROM findings AS f
    WHERE f.run_id = @run
      AND NOT EXISTS (SELECT 1 FROM findings AS o WHERE o.run_id = @other AND o.fingerprint = f.fingerprint)
    ORDER BY f.seq`,
  findingCount: 'SELECT count(*) FROM findings WHERE run_id = ?',
} as const;

/** Two scheduled scans that overlap wait this long for each other's commit, then the second refuses. */
export const HISTORY_BUSY_TIMEOUT_MS = 5_000;

/** Appended where the user named something that is not a history: how one comes to exist. */
const HOW_TO_CREATE = "(a history is created by 'gpaudit ldap scan --history FILE')";

type Db = Database.Database;

// Each entry moves the schema from version i to i + 1; later versions append here, never edit an entry.
const MIGRATIONS: ReadonlyArray<(db: Db) => void> = [
  (db) => {
    db.exec(`
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        server TEXT NOT NULL,
        base_dn TEXT NOT NULL,
        base_dn_key TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        gpaudit_version TEXT NOT NULL,
        options_json TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        scanned INTEGER,
        findings_count INTEGER,
        by_severity_json TEXT,
        error TEXT
      );
      CREATE INDEX runs_by_base_dn ON runs (base_dn_key, status, id);
      CREATE TABLE findings (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        fingerprint TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        title TEXT,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        subject_dn TEXT,
        subject_sam TEXT,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
      CREATE INDEX findings_by_fingerprint ON findings (run_id, fingerprint);
    `);
  },
];

interface RunRow {
  id: number;
  status: 'running' | 'completed' | 'failed';
  server: string;
  base_dn: string;
  started_at: string;
  ended_at: string | null;
  gpaudit_version: string;
  options_json: string;
  host: string;
  pid: number;
  scanned: number | null;
  findings_count: number | null;
  by_severity_json: string | null;
  error: string | null;
}

interface FindingRow {
  fingerprint: string;
  rule_id: string;
  title: string | null;
  severity: string;
  message: string;
  subject_dn: string | null;
  subject_sam: string | null;
}

export function openHistory(path: string, options: OpenHistoryOptions = {}): History {
  const readOnly = options.readOnly ?? false;
  const name = options.name ?? path;
  const busyTimeoutMs = options.busyTimeoutMs ?? HISTORY_BUSY_TIMEOUT_MS;
  const db = openDatabase(path, name, readOnly, busyTimeoutMs);
  try {
    prepareDatabase(db, name, readOnly, busyTimeoutMs);
  } catch (error) {
    db.close();
    throw error;
  }
  return new History(db, name, busyTimeoutMs);
}

function openDatabase(path: string, name: string, readOnly: boolean, busyTimeoutMs: number): Db {
  // SQLite only says "unable to open database file" (or "disk I/O error" for a directory): find out why first.
  checkPath(path, name, readOnly);
  try {
    // A second scheduled scan may be writing; wait for it (SQLite's busy timeout) rather than fail at once.
    return new Database(path, { readonly: readOnly, fileMustExist: readOnly, timeout: busyTimeoutMs });
  } catch (error) {
    throw new HistoryError('cannot-open', `cannot open scan history ${name}: ${errorMessage(error)}`);
  }
}

function checkPath(path: string, name: string, readOnly: boolean): void {
  const cannot = (why: string) => new HistoryError('cannot-open', `cannot open scan history ${name}: ${why}`);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' && readOnly) throw cannot(`no such file ${HOW_TO_CREATE}`);
    if (code === 'ENOENT') {
      // Writing creates the file, but not its directory.
      if (!isExistingDirectory(dirname(path))) throw cannot(`no such directory ${dirname(name)}; create it or give another path`);
      return;
    }
    if (code === 'ENOTDIR') throw cannot('a part of the path is a file, not a directory');
    if (code === 'EACCES') throw cannot('permission denied');
    if (code === 'ENAMETOOLONG') throw cannot('the path is too long');
    return; // anything else: SQLite's own message, below
  }
  if (isDirectory) {
    throw cannot(readOnly ? `it is a directory; give the history file in it ${HOW_TO_CREATE}` : 'it is a directory; give a file name, e.g. history.sqlite in it');
  }
}

function isExistingDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function prepareDatabase(db: Db, path: string, readOnly: boolean, busyTimeoutMs: number): void {
  const header = readHeader(db, path, readOnly);
  if (header.applicationId === HISTORY_APPLICATION_ID) {
    if (header.userVersion > HISTORY_SCHEMA_VERSION) {
      throw new HistoryError(
        'newer-schema',
        `${path} is a gpaudit history of schema version ${header.userVersion}, newer than this gpaudit understands (${HISTORY_SCHEMA_VERSION}); upgrade gpaudit`,
      );
    }
    checkIntegrity(db, path);
  } else if (header.applicationId !== 0 || header.objectCount > 0) {
    throw new HistoryError(
      'foreign',
      `${path} is an SQLite database but not a gpaudit history (it holds other data); refusing to write to it`,
    );
  } else if (readOnly) {
    throw new HistoryError('foreign', `${path} is empty, not a gpaudit history ${HOW_TO_CREATE}`);
  }
  if (readOnly) {
    if (header.userVersion < HISTORY_SCHEMA_VERSION) {
      throw new HistoryError('old-schema', `${path} has an old history schema; open it once for writing to migrate it`);
    }
    return;
  }
  configureForWriting(db, path);
  try {
    migrate(db);
  } catch (error) {
    throw errorCode(error)?.startsWith('SQLITE_') ? writeError(error, path, busyTimeoutMs) : error;
  }
}

interface Header {
  applicationId: number;
  userVersion: number;
  objectCount: number;
}

// The first read is where SQLite finds out whether the bytes are a database at all.
function readHeader(db: Db, path: string, readOnly: boolean): Header {
  try {
    return {
      applicationId: pragmaNumber(db, 'application_id'),
      userVersion: pragmaNumber(db, 'user_version'),
      objectCount: Number(db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get()),
    };
  } catch (error) {
    throw sqliteOpenError(error, path, readOnly);
  }
}

function checkIntegrity(db: Db, path: string): void {
  let problems: unknown[];
  try {
    problems = db.prepare('PRAGMA quick_check').pluck().all();
  } catch (error) {
    throw sqliteOpenError(error, path);
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    const first = problems.slice(0, 3).map(String).join('; ');
    throw new HistoryError('corrupt', `${path} is a damaged gpaudit history (integrity check: ${first})`);
  }
}

function sqliteOpenError(error: unknown, path: string, readOnly = false): HistoryError {
  const code = errorCode(error);
  if (code?.startsWith('SQLITE_BUSY') || isDiskFull(code)) return writeError(error, path, HISTORY_BUSY_TIMEOUT_MS);
  if (code === 'SQLITE_NOTADB') {
    const what = readOnly ? HOW_TO_CREATE : '(refusing to write to it: give a new file name or an existing history)';
    return new HistoryError('not-sqlite', `${path} is not a gpaudit history: it is not an SQLite database ${what}`);
  }
  if (code?.startsWith('SQLITE_CORRUPT')) {
    return new HistoryError('corrupt', `${path} is a damaged SQLite file: ${errorMessage(error)}`);
  }
  return new HistoryError('cannot-open', `cannot read scan history ${path}: ${errorMessage(error)}`);
}

function configureForWriting(db: Db, path: string): void {
  try {
    // WAL: readers (`ldap history`) never block the scan, and a killed writer leaves the last commit intact.
    db.pragma('journal_mode = WAL');
    // FULL also survives power loss, at one fsync per commit; a run commits only twice.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    throw sqliteOpenError(error, path);
  }
}

function migrate(db: Db): void {
  if (pragmaNumber(db, 'user_version') === HISTORY_SCHEMA_VERSION) return;
  // IMMEDIATE takes the write lock first, so two processes creating the same new file cannot both migrate.
  db.transaction(() => {
    const from = pragmaNumber(db, 'user_version');
    for (let version = from; version < HISTORY_SCHEMA_VERSION; version++) {
      MIGRATIONS[version]?.(db);
    }
    db.pragma(`application_id = ${HISTORY_APPLICATION_ID}`);
    db.pragma(`user_version = ${HISTORY_SCHEMA_VERSION}`);
  }).immediate();
}

/**
 * What a failed write tells the user, in one line naming the file: another scan holding the lock past the busy
 * timeout, a full disk, or SQLite's own words. SQLite has rolled the statement or transaction back by then, so
 * the file holds what it held before the write.
 */
function writeError(error: unknown, name: string, busyTimeoutMs: number): HistoryError {
  if (error instanceof HistoryError) return error;
  const code = errorCode(error);
  if (code?.startsWith('SQLITE_BUSY')) {
    const waited = busyTimeoutMs >= 1000 ? `${(busyTimeoutMs / 1000).toFixed(busyTimeoutMs % 1000 === 0 ? 0 : 1)} s` : `${busyTimeoutMs} ms`;
    return new HistoryError(
      'busy',
      `scan history ${name} is locked: another gpaudit scan is writing to it (waited ${waited}); run this scan again when that one has finished`,
    );
  }
  if (isDiskFull(code)) {
    return new HistoryError('disk-full', `cannot write scan history ${name}: the disk is full; free some space (earlier runs are kept)`);
  }
  return new HistoryError('write-failed', `cannot write scan history ${name}: ${errorMessage(error)}`);
}

// SQLITE_IOERR_SHMSIZE: SQLite could not grow the -shm file it opens beside a WAL database, which on a full disk
// is the first write of all (even a read needs it).
function isDiskFull(code: string | undefined): boolean {
  return code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE';
}

function pragmaNumber(db: Db, name: string): number {
  return Number(db.pragma(name, { simple: true }));
}

export class History {
  private readonly host = hostname();

  constructor(
    private readonly db: Db,
    private readonly name = db.name,
    private readonly busyTimeoutMs = HISTORY_BUSY_TIMEOUT_MS,
  ) {}

  startRun(start: RunStart): number {
    return this.writing(() => this.insertRun(start));
  }

  private insertRun(start: RunStart): number {
    const result = this.db
      .prepare(
        `INSERT INTO runs (status, server, base_dn, base_dn_key, started_at, gpaudit_version, options_json, host, pid)
         VALUES ('running', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        start.server,
        start.baseDn,
        baseDnKey(start.baseDn),
        isoTime(start.startedAt, 'startedAt'),
        start.gpauditVersion,
        toJson(start.options, 'options'),
        this.host,
        process.pid,
      );
    return Number(result.lastInsertRowid);
  }

  /** Status, counts and every finding land in one transaction: a reader sees all of the run or none of it. */
  completeRun(runId: number, completion: RunCompletion): void {
    this.writing(() => this.commitRun(runId, completion));
  }

  private commitRun(runId: number, completion: RunCompletion): void {
    const endedAt = isoTime(completion.endedAt, 'endedAt');
    const bySeverity = toJson(completion.counts.bySeverity, 'counts.bySeverity');
    const markCompleted = this.db.prepare(
      `UPDATE runs SET status = 'completed', ended_at = ?, scanned = ?, findings_count = ?, by_severity_json = ?
       WHERE id = ? AND status = 'running'`,
    );
    const insertFinding = this.db.prepare(
      `INSERT INTO findings (run_id, seq, fingerprint, rule_id, title, severity, message, subject_dn, subject_sam)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db
      .transaction(() => {
        const { changes } = markCompleted.run(endedAt, completion.counts.scanned, completion.counts.findings, bySeverity, runId);
        if (changes !== 1) throw this.notRunningError(runId, 'complete');
        let seq = 0;
        for (const finding of completion.findings) {
          insertFinding.run(
            runId,
            seq++,
            finding.fingerprint,
            finding.ruleId,
            finding.title ?? null,
            finding.severity,
            finding.message,
            finding.subject?.dn ?? null,
            finding.subject?.sAMAccountName ?? null,
          );
        }
      })
      .immediate();
  }

  failRun(runId: number, failure: RunFailure): void {
    const endedAt = isoTime(failure.endedAt, 'endedAt');
    const changes = this.writing(
      () =>
        this.db
          .prepare(`UPDATE runs SET status = 'failed', ended_at = ?, error = ? WHERE id = ? AND status = 'running'`)
          .run(endedAt, failure.error, runId).changes,
    );
    if (changes !== 1) throw this.notRunningError(runId, 'fail');
  }

  /** Runs a write, turning SQLite's failures (locked past the busy timeout, disk full, I/O) into one clear line. */
  private writing<T>(write: () => T): T {
    try {
      return write();
    } catch (error) {
      throw errorCode(error)?.startsWith('SQLITE_') ? writeError(error, this.name, this.busyTimeoutMs) : error;
    }
  }

  /**
   * The run a new scan is compared with: the newest completed run for the same base DN. The server is not
   * matched unless asked for: the domain controllers of one domain replicate the same directory, and a
   * schedule that fails over from dc1 to dc2 must not report every finding as new.
   */
  lastCompletedRun(filter: RunFilter = {}): RunSummary | undefined {
    const { where, params } = runFilterClause(filter);
    const row = this.db
      .prepare(`SELECT * FROM runs WHERE status = 'completed' ${where} ORDER BY id DESC LIMIT 1`)
      .get(...params) as RunRow | undefined;
    return row ? this.toSummary(row) : undefined;
  }

  /** Compares a new run's findings with a completed run's, by fingerprint. */
  diff<F extends RecordableFinding>(previousRunId: number | undefined, findings: readonly F[]): HistoryDiff<F> {
    if (previousRunId === undefined) return { new: [...findings], resolved: [], unchanged: 0 };
    this.checkCompleted(previousRunId);
    // The fingerprints alone come from the (run_id, fingerprint) index without reading the rows; only the
    // resolved findings need theirs. A run of a million users holds about half a million findings, and reading
    // every row back took seconds (measured: 3.7-5 s against 0.1-0.3 s for the fingerprints, bench/ldap-scale).
    const previousFingerprints = new Set(
      this.db.prepare('SELECT fingerprint FROM findings WHERE run_id = ?').pluck().all(previousRunId) as string[],
    );
    const currentFingerprints = new Set(findings.map((finding) => finding.fingerprint));
    const added = findings.filter((finding) => !previousFingerprints.has(finding.fingerprint));
    const gone: string[] = [];
    for (const fingerprint of previousFingerprints) if (!currentFingerprints.has(fingerprint)) gone.push(fingerprint);
    return {
      baseRunId: previousRunId,
      new: added,
      resolved: gone.length === 0 ? [] : this.resolvedFindings(previousRunId, gone, currentFingerprints),
      unchanged: findings.length - added.length,
    };
  }

  /**
   * The same diff as `diff`, of two runs already stored: `runId`'s findings against `previousRunId`'s. The
   * database compares the fingerprints (an anti-join over findings_by_fingerprint each way), so neither run's
   * fingerprints are held in memory: only the new and resolved findings are read back.
   */
  diffRuns(previousRunId: number | undefined, runId: number): HistoryDiff<StoredFinding>;
  diffRuns(previousRunId: number | undefined, runId: number, options: DiffRunsOptions): HistoryDiff<StoredFinding> | BaselineDiff;
  diffRuns(previousRunId: number | undefined, runId: number, options?: DiffRunsOptions): HistoryDiff<StoredFinding> | BaselineDiff {
    if (previousRunId !== undefined) this.checkCompleted(previousRunId);
    this.checkCompleted(runId);
    if (previousRunId === undefined) {
      if (options?.countBaseline) return { newCount: this.findingCount(runId) };
      return { new: this.findingsOf(runId), resolved: [], unchanged: 0 };
    }
    const added = this.missingFrom(runId, previousRunId);
    return {
      baseRunId: previousRunId,
      new: added,
      resolved: this.missingFrom(previousRunId, runId),
      // Findings, not distinct fingerprints, as diff counts them: a repeated fingerprint counts each time.
      unchanged: this.findingCount(runId) - added.length,
    };
  }

  /** The findings of `runId` whose fingerprint `otherRunId` lacks, in `runId`'s order. */
  private missingFrom(runId: number, otherRunId: number): StoredFinding[] {
    // Row by row: .all() would hold every raw row and its StoredFinding at once.
    const rows = this.db.prepare(DIFF_QUERIES.missingFrom).iterate({ run: runId, other: otherRunId }) as IterableIterator<FindingRow>;
    const missing: StoredFinding[] = [];
    for (const row of rows) missing.push(toStoredFinding(row));
    return missing;
  }

  private findingCount(runId: number): number {
    return Number(this.db.prepare(DIFF_QUERIES.findingCount).pluck().get(runId));
  }

  /** The stored findings of `runId` whose fingerprints are `gone`, in the run's order (as findingsOf has them). */
  private resolvedFindings(runId: number, gone: readonly string[], current: ReadonlySet<string>): StoredFinding[] {
    // A few: one index lookup each. Many: one pass over the run's rows is cheaper than that many lookups.
    if (gone.length > RESOLVED_LOOKUP_LIMIT) {
      const rows = this.db
        .prepare(
          `SELECT fingerprint, rule_id, title, severity, message, subject_dn, subject_sam
           FROM findings WHERE run_id = ? ORDER BY seq`,
        )
        .iterate(runId) as IterableIterator<FindingRow>;
      const resolved: StoredFinding[] = [];
      for (const row of rows) if (!current.has(row.fingerprint)) resolved.push(toStoredFinding(row));
      return resolved;
    }
    const lookup = this.db.prepare(
      `SELECT seq, fingerprint, rule_id, title, severity, message, subject_dn, subject_sam
       FROM findings WHERE run_id = ? AND fingerprint = ?`,
    );
    const rows = gone.flatMap((fingerprint) => lookup.all(runId, fingerprint) as Array<FindingRow & { seq: number }>);
    return rows.sort((a, b) => a.seq - b.seq).map(toStoredFinding);
  }

  /** Newest first. */
  listRuns(options: { limit?: number; baseDn?: string; server?: string } = {}): RunSummary[] {
    const limit = options.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new HistoryError('invalid-input', `limit must be a positive whole number, not ${String(limit)}`);
    }
    const { where, params } = runFilterClause(options);
    const rows = this.db
      .prepare(`SELECT * FROM runs WHERE 1 = 1 ${where} ORDER BY id DESC LIMIT ?`)
      .all(...params, limit) as RunRow[];
    return rows.map((row) => this.toSummary(row));
  }

  showRun(runId: number): RunDetail | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
    if (!row) return undefined;
    return { ...this.toSummary(row), findings: this.findingsOf(runId) };
  }

  close(): void {
    this.db.close();
  }

  private runRow(runId: number): RunRow {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
    if (!row) throw new HistoryError('unknown-run', `no run ${runId} in this history`);
    return row;
  }

  /** Only a completed run holds all of its findings: a running one has none yet, a failed one never will. */
  private checkCompleted(runId: number): void {
    const row = this.runRow(runId);
    if (row.status !== 'completed') {
      throw new HistoryError(
        'run-not-completed',
        `run ${runId} is ${this.statusOf(row)}, not completed; only a completed run can be compared with`,
      );
    }
  }

  private notRunningError(runId: number, action: string): HistoryError {
    const row = this.runRow(runId);
    return new HistoryError('run-not-running', `cannot ${action} run ${runId}: it is already ${row.status}`);
  }

  private findingsOf(runId: number): StoredFinding[] {
    const rows = this.db
      .prepare(
        `SELECT fingerprint, rule_id, title, severity, message, subject_dn, subject_sam
         FROM findings WHERE run_id = ? ORDER BY seq`,
      )
      .all(runId) as FindingRow[];
    return rows.map(toStoredFinding);
  }

  private statusOf(row: RunRow): RunStatus {
    if (row.status !== 'running') return row.status;
    return this.isWriterAlive(row) ? 'running' : 'interrupted';
  }

  // A run is only still running while the process that started it lives; from another host we cannot
  // tell, and a run nobody can see finishing is better reported as interrupted than as running forever.
  private isWriterAlive(row: RunRow): boolean {
    if (row.host !== this.host) return false;
    try {
      process.kill(row.pid, 0);
      return true;
    } catch (error) {
      return errorCode(error) === 'EPERM';
    }
  }

  private toSummary(row: RunRow): RunSummary {
    const summary: RunSummary = {
      id: row.id,
      status: this.statusOf(row),
      server: row.server,
      baseDn: row.base_dn,
      startedAt: row.started_at,
      gpauditVersion: row.gpaudit_version,
      options: parseObject(row.options_json),
    };
    if (row.ended_at !== null) summary.endedAt = row.ended_at;
    if (row.status === 'completed') summary.counts = countsOf(row);
    if (row.error !== null) summary.error = row.error;
    return summary;
  }
}

function runFilterClause(filter: RunFilter): { where: string; params: Array<string | number> } {
  const clauses: string[] = [];
  const params: Array<string | number> = [];
  if (filter.baseDn !== undefined) {
    clauses.push('AND base_dn_key = ?');
    params.push(baseDnKey(filter.baseDn));
  }
  if (filter.server !== undefined) {
    clauses.push('AND server = ? COLLATE NOCASE');
    params.push(filter.server);
  }
  if (filter.before !== undefined) {
    clauses.push('AND id < ?');
    params.push(filter.before);
  }
  return { where: clauses.join(' '), params };
}

/**
 * DNs compare case-insensitively and ignore spaces around separators, so `DC=Example, DC=test` and
 * `dc=example,dc=test` are one directory. Escaped commas (`\,`) stay inside their RDN.
 */
export function baseDnKey(dn: string): string {
  return dn
    .split(/(?<!\\),/)
    .map((rdn) => {
      const equals = rdn.indexOf('=');
      if (equals < 0) return rdn.trim();
      return `${rdn.slice(0, equals).trim()}=${rdn.slice(equals + 1).trim()}`;
    })
    .join(',')
    .toLowerCase();
}

function countsOf(row: RunRow): RunCounts {
  return {
    scanned: row.scanned ?? 0,
    findings: row.findings_count ?? 0,
    bySeverity: parseSeverityCounts(row.by_severity_json),
  };
}

function parseSeverityCounts(json: string | null): Partial<Record<Severity, number>> {
  const counts: Partial<Record<Severity, number>> = {};
  for (const [severity, count] of Object.entries(parseObject(json ?? '{}'))) {
    if (isSeverity(severity) && typeof count === 'number') counts[severity] = count;
  }
  return counts;
}

function toStoredFinding(row: FindingRow): StoredFinding {
  const finding: StoredFinding = {
    ruleId: row.rule_id,
    severity: isSeverity(row.severity) ? row.severity : 'info',
    message: row.message,
    fingerprint: row.fingerprint,
  };
  if (row.title !== null) finding.title = row.title;
  if (row.subject_dn !== null) finding.subject = subjectOf(row.subject_dn, row.subject_sam);
  return finding;
}

function subjectOf(dn: string, sAMAccountName: string | null): FindingSubject {
  return sAMAccountName === null ? { dn } : { dn, sAMAccountName };
}

// Spelled out as a record so the compiler flags a severity added to the rules but not here.
const KNOWN_SEVERITIES: Readonly<Record<Severity, true>> = { critical: true, high: true, medium: true, low: true, info: true };

function isSeverity(value: string): value is Severity {
  return Object.hasOwn(KNOWN_SEVERITIES, value);
}

function isoTime(date: Date, field: string): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new HistoryError('invalid-input', `${field} must be a valid Date`);
  }
  return date.toISOString();
}

function toJson(value: unknown, field: string): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    throw new HistoryError('invalid-input', `${field} cannot be stored as JSON: ${errorMessage(error)}`);
  }
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
