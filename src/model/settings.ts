// The normalised model: every parser, whatever its input format, produces these types.
// Rules match on the keys model/keys.ts builds from them, which use only locale-independent identifiers
// (registry path and value name, right name, SID), never display names.

/** Registry hives that Group Policy writes. Machine-side policy lands in HKLM, user-side in HKCU. */
export type Hive = 'HKLM' | 'HKCU';

/** The half of a GPO a setting belongs to. */
export type PolicyScope = 'computer' | 'user';

export const hiveForScope = (scope: PolicyScope): Hive => (scope === 'computer' ? 'HKLM' : 'HKCU');
export const scopeForHive = (hive: Hive): PolicyScope => (hive === 'HKLM' ? 'computer' : 'user');

/** Every input format gpaudit reads. */
export type InputFormat =
  | 'gpo-report'          // Get-GPOReport -ReportType Xml (one GPO or -All)
  | 'rsop'                // gpresult /x, Get-GPResultantSetOfPolicy -ReportType Xml
  | 'security-template'   // secedit /export INF, GptTmpl.inf
  | 'registry-pol'        // Registry.pol (PReg v1)
  | 'gpp-registry'        // Group Policy Preferences Registry.xml
  | 'gpp-power'           // Group Policy Preferences PowerOptions.xml
  | 'backup-metadata'     // Backup.xml, bkupInfo.xml, manifest.xml
  | 'gpt-ini';            // SYSVOL GPT.INI

/** Identity of a GPO as far as the input tells it. GUIDs are upper-case with braces. */
export interface GpoRef {
  id?: string;
  name?: string;
  domain?: string;
}

/**
 * Where a setting came from. Text formats give a 1-based line; Registry.pol (binary) gives
 * the byte offset of the record's opening bracket.
 */
export type SourcePosition = { line: number; column?: number } | { byteOffset: number };

export interface Provenance {
  gpo: GpoRef;
  file: string;
  format: InputFormat;
  position: SourcePosition;
  /** Set for RSoP input: the setting's precedence (1 = winner) as gpresult reports it. */
  rsop?: { precedence: number; winner: boolean };
}

// ---------------------------------------------------------------------------------------------
// Registry values

export type RegistryData =
  | { type: 'REG_SZ' | 'REG_EXPAND_SZ' | 'REG_LINK'; value: string }
  | { type: 'REG_DWORD' | 'REG_DWORD_BIG_ENDIAN'; value: number }
  // QWORDs exceed 2^53; kept exact as a decimal string.
  | { type: 'REG_QWORD'; value: string }
  | { type: 'REG_MULTI_SZ'; value: string[] }
  // Binary and exotic types keep their raw bytes as lower-case hex.
  | { type: 'REG_BINARY' | 'REG_NONE' | 'REG_RESOURCE_LIST' | 'REG_UNKNOWN'; value: string; rawType?: number };

export type RegistryType = RegistryData['type'];

/**
 * What a record does to the value. Registry.pol's special value names (`**del.`, `**delvals.`, ...)
 * become operations here instead of leaking into value names.
 */
export type RegistryOperation =
  | { op: 'set'; data: RegistryData }
  /** `**soft.Name`: write only when the value does not exist yet. */
  | { op: 'set-if-absent'; data: RegistryData }
  /** `**del.Name`, or a preference item with action D: the value is removed (a Disabled ADMX policy often looks like this). */
  | { op: 'delete' }
  /** `**delvals.`: every value of the key is removed. `valueName` is empty. */
  | { op: 'delete-all-values' }
  /** `**DeleteValues`: the named values are removed. `valueName` is empty. */
  | { op: 'delete-values'; names: string[] }
  /** `**DeleteKeys`: the named subkeys are removed. `valueName` is empty. */
  | { op: 'delete-keys'; keys: string[] }
  /** `**SecureKey`: true restricts the key's ACL, false resets it to the parent's. */
  | { op: 'secure-key'; secure: boolean }
  /** An empty value name with no data: create the key only. */
  | { op: 'create-key' };

/** Group Policy Preferences metadata, present only on settings that came from a preference item. */
export interface PreferenceMeta {
  /** GPP item name as shown in GPMC. */
  itemName: string;
  action: 'create' | 'replace' | 'update' | 'delete';
  /** Item-level targeting present: the item applies only where its filters match. */
  conditional: boolean;
  /** The item is disabled in GPMC and does not apply. */
  disabled: boolean;
  /** Names of enclosing Collections, outermost first. */
  collections: string[];
}

export interface RegistrySetting {
  kind: 'registry';
  hive: Hive;
  /** Key path without hive, as written (case preserved). */
  key: string;
  /** Value name without any `**del.`-style prefix; empty for key-level operations. */
  valueName: string;
  operation: RegistryOperation;
  /** Present when a security option (report or template) is the source: its display name if given. */
  securityOption?: { displayName?: string };
  /** Present when an administrative-template policy maps to this value. */
  policy?: PolicyRef;
  preference?: PreferenceMeta;
  provenance: Provenance;
}

// ---------------------------------------------------------------------------------------------
// Principals and security settings

/**
 * A user or group as a policy names it. `sid` is set when the input gave the SID or the name is a
 * well-known one; `rid` is set for domain-relative SIDs (S-1-5-21-...-RID) and for well-known
 * domain groups named without a SID (`CONTOSO\Domain Users` -> 513), whose domain part is unknown.
 */
export interface Principal {
  sid?: string;
  rid?: number;
  name?: string;
  /**
   * How the SID was learnt: given with the principal (`input-sid`), given for the same name elsewhere in the
   * same GPO or file (`input-name-match`: a template lists `CORP\svc-app` while the report beside it gives its
   * SID), from the well-known table (`well-known-name`), or not at all (`unresolved`).
   */
  resolution: 'input-sid' | 'input-name-match' | 'well-known-name' | 'unresolved';
}

export interface PrivilegeRightSetting {
  kind: 'privilege-right';
  /** Microsoft constant, e.g. SeNetworkLogonRight. */
  right: string;
  /** Empty list = the right is defined and granted to no one. */
  principals: Principal[];
  provenance: Provenance;
}

/** [System Access], [Kerberos Policy], event-log sections and the report's Account / SystemAccessPolicyName entries. */
export interface AccountPolicySetting {
  kind: 'account-policy';
  section: 'System Access' | 'Kerberos Policy' | 'Event Log';
  name: string;
  value: string | number | boolean;
  provenance: Provenance;
}

/** Legacy audit policy ([Event Audit], report Audit) and advanced audit subcategories. */
export interface AuditSetting {
  kind: 'audit';
  /** Legacy category (AuditLogonEvents) or the advanced subcategory's display name. */
  name: string;
  /** Advanced audit only: the subcategory GUID, lower case with braces; unlike the name it is not localised. */
  subcategoryGuid?: string;
  success: boolean;
  failure: boolean;
  provenance: Provenance;
}

/** Restricted Groups: `*S-1-5-32-555__Members = ...` and `__Memberof`. */
export interface GroupMembershipSetting {
  kind: 'group-membership';
  group: Principal;
  /** undefined = not defined by this GPO; [] = defined as empty. */
  members?: Principal[];
  memberOf?: Principal[];
  provenance: Provenance;
}

// ---------------------------------------------------------------------------------------------
// Administrative templates

/** Locale-independent identity of an ADMX policy: its ADMX file stem and policy name. */
export interface PolicyRef {
  /** e.g. `Logon:HideFastUserSwitching` (ADMX file stem, colon, policy name), case as in the ADMX. */
  id: string;
  displayName?: string;
  state: 'enabled' | 'disabled';
}

export type PolicyElementValue =
  | { kind: 'dropdown'; label: string; value: string }
  | { kind: 'numeric'; label: string; value: number }
  | { kind: 'text'; label: string; value: string }
  | { kind: 'checkbox'; label: string; value: boolean }
  | { kind: 'list'; label: string; entries: { name?: string; value: string }[] }
  | { kind: 'multitext'; label: string; value: string[] };

export interface AdminTemplateSetting {
  kind: 'admin-template';
  scope: PolicyScope;
  /** Display name as the report shows it (localised). */
  displayName: string;
  state: 'enabled' | 'disabled';
  category?: string;
  elements: PolicyElementValue[];
  /** Set by normalisation when the ADMX catalogue recognised the policy. */
  policyId?: string;
  /**
   * Registry values the policy writes, derived from its ADMX definition during normalisation. Empty when
   * the catalogue does not know the policy; then `unmappedReason` says why.
   */
  registry: RegistrySetting[];
  unmappedReason?: string;
  provenance: Provenance;
}

// ---------------------------------------------------------------------------------------------
// Preference power plans

/** GPP PowerOptions.xml items. V2 is "Power Plan (Windows Vista and later)". */
export interface PowerPlanSetting {
  kind: 'power-plan';
  variant: 'power-plan-v2' | 'global-power-options-xp' | 'power-scheme-xp';
  itemName: string;
  /** Plan GUID in lower case without braces (V2 only). */
  planGuid?: string;
  /** The item makes this plan the active one. */
  makeActive: boolean;
  /** Every attribute of the item's Properties element, verbatim. */
  properties: Record<string, string>;
  preference: PreferenceMeta;
  provenance: Provenance;
}

export type Setting =
  | RegistrySetting
  | PrivilegeRightSetting
  | AccountPolicySetting
  | AuditSetting
  | GroupMembershipSetting
  | AdminTemplateSetting
  | PowerPlanSetting;

export type SettingKind = Setting['kind'];
