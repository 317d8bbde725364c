import type { GpoRef, InputFormat } from './settings.js';

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
  rsop?: Partial<Record<'computer' | 'user', RsopSide>>;
  /** Backup-GPO only: the backup id, which names the backup folder. */
  backupId?: string;
  /** Files that described this GPO. */
  sources: { file: string; format: InputFormat }[];
  /**
   * Client-side extensions present in the input whose settings gpaudit does not model (firewall, public key,
   * scripts, ...). Listed so a reader knows they were seen and not evaluated, rather than absent.
   */
  unreadExtensions?: string[];
}
