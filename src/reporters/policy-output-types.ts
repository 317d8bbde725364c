import type { Problem } from '../model/problems.js';
import type { SourcePosition } from '../model/settings.js';

/**
 * The JSON document `gpaudit policy --ou <DN> --format json` writes: the resultant policy of one OU, like gpresult's
 * summary. schemas/policy-output.schema.json is generated from this type (`npm run schema`); a test fails when the two
 * drift apart. Semantics: docs/effective-policy.md.
 */
export interface PolicyOutput {
  $schema: string;
  /** Bumped on any incompatible change. */
  schemaVersion: 1;
  tool: { name: 'gpaudit'; version: string };
  /** The OU as given (a DN, or a canonical name such as `corp.example.com/WorkSpaces`). */
  ou: string;
  /** `--user-ou`: whose own GPO list loopback merge mode adds to the user side. */
  userOu?: string;
  /** Where the links, containers and settings came from. */
  sources: PolicySources;
  /** Loopback processing found in the computer side's resultant settings (`UserPolicyMode`). */
  loopback?: { mode: 'merge' | 'replace'; gpo: PolicyGpoRef };
  computer: PolicySide;
  user: PolicySide;
  /** Every resultant setting, computer side first, then by key. */
  settings: PolicySetting[];
  /** What the data did not say and what was assumed instead (link order unknown, block inheritance unknown). */
  assumptions: string[];
  /** GPOs that reach the OU but whose settings no input carried: their settings are not known (never a silent pass). */
  settingsNotRead: PolicyGpoRef[];
  problems: Problem[];
}

export interface PolicySources {
  /** The directory read: the server that answered and the domain. */
  directory?: { url: string; domain: string };
  /** LDIF files read for links and containers. */
  ldif?: string[];
  /** GPO reports whose `LinksTo` and versions were used (no directory and no LDIF). */
  reports?: string[];
  /** `--sysvol`: the folder holding the `{GUID}` folders. */
  sysvol?: string;
  /** `--site`. */
  site?: string;
}

export interface PolicyGpoRef {
  /** `{UPPER-CASE-GUID}`. */
  id: string;
  name?: string;
}

export interface PolicySide {
  /** Best precedence first: precedence 1 is applied last and wins every conflict. */
  applied: PolicyAppliedGpo[];
  notApplied: PolicyNotAppliedGpo[];
}

export interface PolicyAppliedGpo extends PolicyGpoRef {
  precedence: number;
  /** The container whose link puts the GPO here (DN, or canonical name from GPO reports). */
  linkedAt: string;
  enforced: boolean;
  /** Within `linkedAt`; absent when the source does not give it (GPO reports). */
  linkOrder?: number;
  /** False when another GPO linked at the same container has no known relative order. */
  orderKnown: boolean;
  /** `unknown` when the GPO's ACL was not read. */
  security: 'applies' | 'unknown';
  /** Not evaluated (WQL runs on the client): the GPO's findings are conditional on it. */
  wmiFilter?: { id: string; name?: string };
  alsoLinkedAt?: string[];
  /** User side under loopback: whose list the GPO came from. */
  from?: 'user-ou' | 'computer-ou';
}

/** A GPO with a WMI filter is not among these: it stays applied, its `wmiFilter` named (docs/effective-policy.md). */
export type PolicyNotAppliedReason =
  | 'not-linked'
  | 'link-disabled'
  | 'blocked'
  | 'computer-settings-disabled'
  | 'user-settings-disabled'
  | 'security-filtered'
  | 'empty'
  | 'sysvol-missing'
  | 'gpo-missing';

export interface PolicyNotAppliedGpo extends PolicyGpoRef {
  reason: PolicyNotAppliedReason;
  detail?: string;
}

/** One setting's winning value and what it overrides. */
export interface PolicySetting {
  side: 'computer' | 'user';
  /** Locale-independent key (model/keys.ts), e.g. `registry:HKLM\software\...\legalnoticecaption`. */
  key: string;
  /** What the setting is, in words (registry path and value name, right name, ...). */
  setting: string;
  /** The winning value, in words (`1 (REG_DWORD)`, `*S-1-5-11`, ...). */
  value: string;
  /** Registry values only: the raw identity and data, for scripts. */
  registry?: { hive: 'HKLM' | 'HKCU'; key: string; valueName: string; type?: string; data?: string | number | string[] };
  winner: PolicySettingSource;
  /** Same key in GPOs of worse precedence, best first. */
  overridden: (PolicySettingSource & { value: string })[];
  /** The winner and a loser with another value are linked at one container in an unknown order: the winner is a guess. */
  orderUnknown?: true;
}

export interface PolicySettingSource extends PolicyGpoRef {
  precedence: number;
  file: string;
  position: SourcePosition;
}
