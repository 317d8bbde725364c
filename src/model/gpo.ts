import type { GpoRef, InputFormat, PolicyScope } from './settings.js';

/** A link of a GPO to a site, domain or OU, as the report or RSoP gives it. */
export interface GpoLink {
  somPath: string;
  somName?: string;
  enabled: boolean;
  noOverride: boolean;
  /** RSoP only: the order in which the GPO was applied (0 = not applied). */
  appliedOrder?: number;
  linkOrder?: number;
}

export interface RsopSide {
  applied: boolean;
  filterAllowed?: boolean;
  accessDenied?: boolean;
  isValid?: boolean;
}

/**
 * A client-side extension of a GPO report or RSoP whose settings gpaudit does not read. The namespace of its
 * `xsi:type` identifies it (src/parsers/extensions.ts says what each one can write); the name is for people only.
 */
export interface UnreadExtension {
  /** The report's `<Name>` for it: localised, shown to people, never used to decide anything. */
  name: string;
  /** Namespace URI of the extension's `xsi:type`; empty when the report gave none. */
  namespace: string;
  /** The half of the GPO (Computer/User, or ComputerResults/UserResults) that holds it. */
  scope: PolicyScope;
}

/** A file that described a GPO. */
export interface GpoSource {
  file: string;
  format: InputFormat;
  /** GPO report and RSoP only: extensions this file holds for the GPO that gpaudit does not read. */
  unreadExtensions?: UnreadExtension[];
}

/** Metadata about a GPO, gathered from whatever file describes it (report, Backup.xml, GPT.INI, RSoP list). */
export interface GpoInfo {
  ref: GpoRef;
  computerEnabled?: boolean;
  userEnabled?: boolean;
  links: GpoLink[];
  /**
   * RSoP only, per side: whether the GPO applied and why not. A GPO can apply to the user and be filtered out
   * on the computer (or the other way round), so the two sides are kept apart.
   */
  rsop?: Partial<Record<PolicyScope, RsopSide>>;
  /** Backup-GPO only: the backup id, which names the backup folder. */
  backupId?: string;
  /** Files that described this GPO. */
  sources: GpoSource[];
  /**
   * Client-side extensions present in the input whose settings gpaudit does not model (firewall, public key,
   * scripts, ...), by their report names. Listed so a reader knows they were seen and not evaluated, rather than
   * absent; `sources[].unreadExtensions` identifies them by namespace for the rules engine.
   */
  unreadExtensions?: string[];
}
