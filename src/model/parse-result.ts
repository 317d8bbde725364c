import type { GpoInfo } from './gpo.js';
import type { Problem } from './problems.js';
import type { GpoRef, Hive, InputFormat, PolicyScope, Setting } from './settings.js';

/** What every parser returns for one file: pure data, never an exception for bad input. */
export interface ParseResult {
  file: string;
  format: InputFormat;
  settings: Setting[];
  gpos: GpoInfo[];
  problems: Problem[];
}

/** What a parser needs besides the bytes. */
export interface ParseContext {
  /** Path shown to users and written into provenance. */
  file: string;
  /** GPO the file belongs to, when the folder layout says so (backup, SYSVOL). */
  gpo?: GpoRef;
  /** Registry.pol only: hive from its Machine/User folder or `--hive`. */
  hive?: Hive;
  /** GPP files only: Machine or User side, from the folder. */
  scope?: PolicyScope;
}
