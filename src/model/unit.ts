// The data the pipeline hands from step to step (read -> parse -> normalise -> evaluate): units of input files,
// what became of each file, and a unit's settings after normalisation. Types only.
import type { GpoInfo } from './gpo.js';
import type { ParseResult } from './parse-result.js';
import type { Problem } from './problems.js';
import type { GpoRef, Hive, InputFormat, PolicyScope, Setting } from './settings.js';

/**
 * One input path, resolved once when the walk finds it into every form a later step needs. Every later step
 * names the file by `display` (problems, outcomes, finding locations); `AuditResult.paths` maps it back to the
 * other two.
 */
export interface InputPath {
  /** Absolute: what the file system is asked for. */
  path: string;
  /** Path shown to users: relative to the working directory when inside it, else as given. */
  display: string;
  /**
   * Relative to the root (`--root`, else the working directory), `/`-separated: what waiver path globs match and
   * SARIF artifact URIs are made of. Absent when the path is not inside the root.
   */
  fromRoot?: string;
}

/**
 * A unit of work: the files of one GPO folder (Backup-GPO or SYSVOL), or one loose file. Units are yielded
 * one at a time so a whole estate is never held in memory. Its own path is the folder's (or the loose file's).
 */
export interface InputUnit extends InputPath {
  kind: 'backup' | 'sysvol-gpo' | 'file';
  /** What the folder layout says about the GPO (SYSVOL folders are named by GPO GUID). */
  gpo?: GpoRef;
  files: UnitFile[];
}

export interface UnitFile extends InputPath {
  /** From a Machine/User folder in the path, or `--hive` for a loose Registry.pol. */
  hive?: Hive;
  scope?: PolicyScope;
  /** Named on the command line rather than found in a folder. */
  explicit: boolean;
}

/** What became of one input file. */
export type FileOutcome =
  | { file: string; status: 'read'; format: InputFormat }
  | { file: string; status: 'failed'; format?: InputFormat }
  /** `knownPart`: a standard part of a backup that holds nothing the rules read; counted, not warned about. */
  | {
      file: string;
      status: 'unsupported' | 'unknown';
      what: string;
      knownPart?: true;
      /** A Preferences file of a kind gpaudit does not read: its root element and the GPO half it sits in. */
      preferences?: { root: string; scope?: PolicyScope };
    };

export interface UnitRead {
  unit: InputUnit;
  results: ParseResult[];
  problems: Problem[];
  outcomes: FileOutcome[];
}

/** One GPO's settings after normalisation, with every file that contributed. */
export interface GpoSettings {
  gpo: GpoRef;
  info?: GpoInfo;
  settings: Setting[];
}

export interface NormalisedUnit {
  display: string;
  gpos: GpoSettings[];
  problems: Problem[];
  outcomes: FileOutcome[];
}

/** Counts over one run: files by outcome, GPOs and settings read. */
export interface EstateSummary {
  files: number;
  read: number;
  failed: number;
  unsupported: number;
  unknown: number;
  /** Of `unsupported`: standard backup parts that hold nothing the rules read (comments, audit.csv, HTML reports). */
  knownParts: number;
  gpos: number;
  settings: number;
}
