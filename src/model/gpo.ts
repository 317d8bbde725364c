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

/**
 * One side's version numbers. A GPO report gives both: `VersionDirectory` (the groupPolicyContainer's
 * `versionNumber` half) and `VersionSysvol` (GPT.INI's); GPT.INI alone gives only the SYSVOL one. They differ when
 * replication or an edit was cut short, which matters for health checks; 0 means the side was never edited.
 */
export interface GpoSideVersions {
  directory?: number;
  sysvol?: number;
}

/** The WMI filter a GPO is linked to. GPO reports name it (`FilterName`) but carry no id. */
export interface GpoWmiFilter {
  name: string;
  id?: string;
}

/**
 * One entry of the GPO's permissions as a GPO report lists them (`SecurityDescriptor/Permissions/TrusteePermissions`),
 * reduced to what security filtering needs. GPMC groups the ACEs per trustee ("Apply Group Policy" = Read and the
 * Apply Group Policy right, "Read", "Edit settings", ...); `applyGroupPolicy` and `read` say what the entry grants
 * (or, for a deny, removes). Either is absent when the report does not say (a "Custom" permission without an access
 * mask): unknown, never read as false.
 */
export interface GpoPermission {
  /** The trustee's SID as the report gives it; absent when the report has none (an unresolvable account). */
  sid?: string;
  /** The trustee's name as the report gives it (`NT AUTHORITY\Authenticated Users`): for people, localised. */
  name?: string;
  /** Absent when the report's `PermissionType` is neither Allow nor Deny. */
  type?: 'allow' | 'deny';
  applyGroupPolicy?: boolean;
  read?: boolean;
  /** The report's grouped permission as written (`GPOGroupedAccessEnum`), for people. */
  access?: string;
  /** `AccessMask` when non-zero (real reports write 0 for every GPO trustee). */
  accessMask?: number;
  inherited?: boolean;
}

/** Metadata about a GPO, gathered from whatever file describes it (report, Backup.xml, GPT.INI, RSoP list). */
export interface GpoInfo {
  ref: GpoRef;
  /**
   * The line the versions start at in the file that gave them (a report's first `VersionDirectory`, GPT.INI's
   * `Version=`), so a finding about them points there.
   */
  versionsLine?: number;
  computerEnabled?: boolean;
  userEnabled?: boolean;
  links: GpoLink[];
  /**
   * RSoP only, per side: whether the GPO applied and why not. A GPO can apply to the user and be filtered out
   * on the computer (or the other way round), so the two sides are kept apart.
   */
  rsop?: Partial<Record<PolicyScope, RsopSide>>;
  /** Per side: the directory and SYSVOL versions (GPO report; GPT.INI gives the SYSVOL ones). */
  versions?: Partial<Record<PolicyScope, GpoSideVersions>>;
  /** GPO report: the WMI filter the GPO is linked to; absent when it has none (or the report could not read it). */
  wmiFilter?: GpoWmiFilter;
  /** GPO report `FilterDataAvailable`: false when the report could not read the WMI filter data (a filter may exist). */
  filterDataAvailable?: boolean;
  /**
   * GPO report: the GPO's permissions (security filtering). Absent when the report has no readable security descriptor
   * (unknown); empty when it lists no trustee at all.
   */
  permissions?: GpoPermission[];
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
