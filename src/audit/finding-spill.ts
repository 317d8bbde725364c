// Findings sorted into report order without holding them: a directory scan of a million users finds about half a
// million, over 500 MB as objects. They are buffered a run at a time, each full run sorted and written to a
// temporary file as JSON lines, and read back merged, one finding at a time, as often as a reader walks them.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Finding, FindingList, FindingTally } from '../model/findings.js';
import { compareFindings } from './finish-findings.js';

/** Findings sorted in memory before a run is written out: about 20 MB of findings at a directory scan's size. */
export const DEFAULT_RUN_SIZE = 4_096;
/** Bytes per write of a run file. */
const WRITE_CHUNK = 1 << 20;
/**
 * Bytes per read of a run file. Every run is read at once when they are merged, so this times the runs is live:
 * at 1 MB, thirty runs of a million users' findings held 80 MB of buffers and decoded text; at 64 KB the 119 runs
 * of runs of 4,096 still showed in the peak (bench/ldap-scale: 1M 196-212 MB, 16 KB 163-202 MB).
 */
const READ_CHUNK = 16 << 10;
/** Run files merged into one when there are this many, so a merge never holds more files open (ulimit -n). */
export const MAX_RUN_FILES = 128;

export interface FindingSpillOptions {
  /** Findings per sorted run; the memory the spill holds. */
  runSize?: number;
  /** Where the runs' folder is made; default the system's temporary folder (TMPDIR). */
  tmpRoot?: string;
  /** Told the runs' folder as it is made, so a process that is stopped can remove it (close() removes it otherwise). */
  onFolder?: (path: string) => void;
  /**
   * Also sort the findings grouped by subject (FindingList.bySubject), for the text and JUnit reports: each `add` names
   * the subject's first finding in report order. Twice the sorting; only asked for when that report is written.
   */
  bySubject?: boolean;
}

/**
 * A finding and whether the --baseline report already had it (then it is recorded in a history, not reported); in
 * the subject order, also the first reported finding of its subject, which places the subject's group.
 */
interface Entry {
  finding: Finding;
  known: boolean;
  group?: Finding;
}

/** Could not write or read the temporary files (a full or read-only temporary folder). */
export class SpillError extends Error {
  override name = 'SpillError';
}

/**
 * Collects findings in any order and gives them back in report order (compareFindings), and grouped by subject when
 * asked for. Close it when the report is written: that removes its files.
 */
export class FindingSpill {
  private dir: string | undefined;
  private files = 0;
  private sealed = false;
  private reported = 0;
  private total = 0;
  private readonly rules = new Set<string>();
  private readonly tally: FindingTally = { bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, suppressed: 0, rules: this.rules };
  private readonly runSize: number;
  private readonly reportOrder: RunSorter;
  private readonly subjectOrder: RunSorter | undefined;

  constructor(private readonly options: FindingSpillOptions = {}) {
    this.runSize = options.runSize ?? DEFAULT_RUN_SIZE;
    if (!Number.isInteger(this.runSize) || this.runSize < 1) throw new RangeError(`runSize must be a positive whole number; got ${this.runSize}`);
    const newFile = () => join(this.folder(), `run-${this.files++}.jsonl`);
    this.reportOrder = new RunSorter(byFinding, newFile);
    this.subjectOrder = options.bySubject ? new RunSorter(bySubject, newFile) : undefined;
  }

  /**
   * `known`: the baseline had it, so it is left out of the report (but kept for a history). `group`, with
   * `bySubject`: the first finding of the same subject in report order, of those the baseline did not know.
   */
  add(finding: Finding, known = false, group?: Finding): void {
    if (this.sealed) throw new Error('FindingSpill: add after finish');
    this.total++;
    if (!known) {
      this.reported++;
      if (finding.suppressed) this.tally.suppressed++;
      else this.tally.bySeverity[finding.severity]++;
      this.rules.add(finding.ruleId);
    }
    this.reportOrder.add({ finding, known }, this.runSize);
    if (this.subjectOrder && !known) {
      if (!group) throw new Error('FindingSpill: bySubject needs the group of each reported finding');
      this.subjectOrder.add({ finding, known, group: groupKey(group) }, this.runSize);
    }
  }

  /**
   * The findings in report order: `report` without those the baseline knew, `all` with them. `map` is applied to
   * each finding as it is read back (what is only known once the scan ended, such as the server that answered).
   */
  finish(map: (finding: Finding) => Finding = (f) => f): { report: FindingList; all: Iterable<Finding> & { readonly length: number } } {
    this.sealed = true;
    const { reportOrder, subjectOrder } = this;
    reportOrder.seal();
    subjectOrder?.seal();
    const report: FindingList = {
      length: this.reported,
      tally: this.tally,
      *[Symbol.iterator]() {
        for (const entry of reportOrder.entries()) if (!entry.known) yield map(entry.finding);
      },
      ...(subjectOrder
        ? {
            bySubject: {
              *[Symbol.iterator]() {
                for (const entry of subjectOrder.entries()) yield map(entry.finding);
              },
            },
          }
        : {}),
    };
    const all = {
      length: this.total,
      *[Symbol.iterator]() {
        for (const entry of reportOrder.entries()) yield map(entry.finding);
      },
    };
    return { report, all };
  }

  /** How many runs of the report order went to disk (0: everything stayed in memory). */
  get spilledRuns(): number {
    return this.reportOrder.runs.length;
  }

  close(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.sealed = true;
    this.reportOrder.clear();
    this.subjectOrder?.clear();
  }

  private folder(): string {
    if (this.dir) return this.dir;
    const root = this.options.tmpRoot ?? tmpdir();
    try {
      this.dir = mkdtempSync(join(root, 'gpaudit-findings-'));
    } catch (err) {
      throw spillError('create a folder in', root, err);
    }
    this.options.onFolder?.(this.dir);
    return this.dir;
  }
}

/** One order: entries buffered a run at a time, each full run sorted and written to a file; merged when read. */
class RunSorter {
  private buffer: Entry[] = [];
  readonly runs: string[] = [];
  private sealed: Entry[] = [];

  constructor(
    private readonly compare: (a: Entry, b: Entry) => number,
    private readonly newFile: () => string,
  ) {}

  add(entry: Entry, runSize: number): void {
    this.buffer.push(entry);
    if (this.buffer.length >= runSize) this.writeRun();
  }

  /** What is still buffered becomes the last run, kept in memory. */
  seal(): void {
    if (this.buffer.length) this.sealed = this.buffer.sort(this.compare);
    this.buffer = [];
  }

  /** The runs on disk and the one in memory, merged. */
  entries(): Generator<Entry> {
    const sources: Array<Iterator<Entry>> = this.runs.map((path) => readRun(path));
    if (this.sealed.length) sources.push(this.sealed[Symbol.iterator]());
    return mergeRuns(sources, this.compare);
  }

  clear(): void {
    this.runs.length = 0;
    this.buffer = [];
    this.sealed = [];
  }

  private writeRun(): void {
    const run = this.buffer.sort(this.compare);
    this.buffer = [];
    this.runs.push(this.writeFile(run));
    if (this.runs.length >= MAX_RUN_FILES) {
      // One merged file in place of the many: it is read as often as the others, but the merge needs one file open.
      const merged = this.writeFile(mergeRuns(this.runs.map(readRun), this.compare));
      for (const path of this.runs) rmSync(path, { force: true });
      this.runs.length = 0;
      this.runs.push(merged);
    }
  }

  private writeFile(entries: Iterable<Entry>): string {
    const path = this.newFile();
    let fd: number | undefined;
    try {
      fd = openSync(path, 'wx', 0o600);
      let pending = '';
      for (const entry of entries) {
        // One line per finding: the flag, then the finding (with its group: both) as JSON, which escapes line breaks.
        pending += `${entry.known ? 'K' : 'N'}${JSON.stringify(entry.group ? [entry.group, entry.finding] : entry.finding)}\n`;
        if (pending.length >= WRITE_CHUNK) {
          writeSync(fd, pending);
          pending = '';
        }
      }
      if (pending) writeSync(fd, pending);
    } catch (err) {
      throw err instanceof SpillError ? err : spillError('write', path, err);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return path;
  }
}

/** A k-way merge of sorted sources; equal entries keep the order of their sources (earlier runs first). */
function* mergeRuns(sources: Array<Iterator<Entry>>, compare: (a: Entry, b: Entry) => number): Generator<Entry> {
  const heap = new MergeHeap(compare);
  try {
    sources.forEach((source, rank) => heap.push(source, rank));
    for (;;) {
      const entry = heap.pop();
      if (entry === undefined) return;
      yield entry;
    }
  } finally {
    // A reader that stops early (an error while writing the report) closes the files it opened.
    for (const source of sources) source.return?.();
  }
}

/** What compareFindings reads of a finding: a group's place costs a few fields per line, not a second finding. */
function groupKey(f: Finding): Finding {
  const subject = f.gpo ? { gpo: f.gpo } : f.directoryObject ? { directoryObject: f.directoryObject } : {};
  return { ruleId: f.ruleId, severity: f.severity, fingerprint: f.fingerprint, ...subject } as Finding;
}

/** Subjects in the order of their first finding, each subject's findings in report order. */
function bySubject(a: Entry, b: Entry): number {
  return compareFindings(a.group!, b.group!) || byFinding(a, b);
}

function byFinding(a: Entry, b: Entry): number {
  return compareFindings(a.finding, b.finding);
}

/** The entries of one run file, read a chunk at a time. */
function* readRun(path: string): Generator<Entry> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw spillError('read', path, err);
  }
  try {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let line = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, buffer.length, null);
      } catch (err) {
        throw spillError('read', path, err);
      }
      if (n === 0) break;
      const text = rest + decoder.write(buffer.subarray(0, n));
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        line++;
        yield parseEntry(text.slice(start, end), path, line);
        start = end + 1;
      }
      rest = text.slice(start);
    }
    if (rest + decoder.end() !== '') throw new SpillError(`the temporary file ${path} ends in the middle of a line (was it changed while gpaudit ran?)`);
  } finally {
    closeSync(fd);
  }
}

function parseEntry(line: string, path: string, lineNo: number): Entry {
  try {
    const known = line.charCodeAt(0) === 75; /* K */
    const value = JSON.parse(line.slice(1)) as Finding | [Finding, Finding];
    return Array.isArray(value) ? { known, group: value[0], finding: value[1] } : { known, finding: value };
  } catch {
    throw new SpillError(`the temporary file ${path} is damaged at line ${lineNo} (was it changed while gpaudit ran?)`);
  }
}

function spillError(action: string, path: string, err: unknown): SpillError {
  const e = err as NodeJS.ErrnoException;
  const why = e.code === 'ENOSPC' ? 'no space left on the device' : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code === 'EROFS' ? 'read-only file system' : (e.code ?? e.message);
  return new SpillError(`cannot ${action} ${path} (temporary files for sorting the findings; set TMPDIR to a folder with room): ${why}`);
}

/** The smallest head of k sorted sources; ties go to the lower rank (the earlier run), which keeps the sort stable. */
class MergeHeap {
  private readonly items: Array<{ entry: Entry; source: Iterator<Entry>; rank: number }> = [];

  constructor(private readonly compare: (a: Entry, b: Entry) => number) {}

  push(source: Iterator<Entry>, rank: number): void {
    const next = source.next();
    if (next.done) return;
    this.items.push({ entry: next.value, source, rank });
    this.up(this.items.length - 1);
  }

  pop(): Entry | undefined {
    const top = this.items[0];
    if (!top) return undefined;
    const { entry, source } = top;
    const next = source.next();
    if (next.done) {
      const last = this.items.pop()!;
      if (this.items.length) {
        this.items[0] = last;
        this.down(0);
      }
    } else {
      top.entry = next.value;
      this.down(0);
    }
    return entry;
  }

  private less(i: number, j: number): boolean {
    const a = this.items[i]!;
    const b = this.items[j]!;
    const order = this.compare(a.entry, b.entry);
    return order < 0 || (order === 0 && a.rank < b.rank);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < this.items.length && this.less(left, least)) least = left;
      if (right < this.items.length && this.less(right, least)) least = right;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }

  private swap(i: number, j: number): void {
    const t = this.items[i]!;
    this.items[i] = this.items[j]!;
    this.items[j] = t;
  }
}
