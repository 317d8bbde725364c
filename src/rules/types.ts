// A rule as the engine sees it after loading and validation. The YAML surface (rules.yaml, the JSON Schema in
// schemas/rules.schema.json) maps one to one onto these types: matchers and conditions name their kind in a
// `kind` field here where the YAML names it by its one key (yaml-form.ts converts both ways), and the loader
// otherwise only fills defaults.
import type { GpoFactKind } from '../model/gpo-health.js';
import type { Hive, PowerPlanSetting } from '../model/settings.js';
import type { Severity } from '../model/severity.js';

/**
 * A principal as a rule names it: a SID (`S-1-5-11`), a domain-relative RID (`rid:513`, any domain), or an
 * alias from the built-in table (`domain-users`, `authenticated-users`, ...; see principal-sets.ts).
 */
export type PrincipalSpec = string;

/** A registry value, by hive, key and value name; compared without case. */
export interface RegistryRef {
  hive: Hive;
  key: string;
  value: string;
}

/** What a check looks at: one kind of setting, named by `kind`. */
export type Matcher =
  /** Registry values from any source: templates, reports, RSoP, Registry.pol, preference items, mapped policies. At least one. */
  | { kind: 'registry'; refs: RegistryRef[] }
  /** A user right (privilege), e.g. SeNetworkLogonRight. */
  | { kind: 'right'; right: string }
  /** Restricted Groups membership of a group (by SID or alias). */
  | { kind: 'groupMembers'; group: PrincipalSpec }
  /** Group Policy Preferences power plan items (PowerOptions.xml), of one variant or (absent) any. */
  | { kind: 'powerPlan'; variant?: PowerPlanSetting['variant'] }
  /** Account and system-access policies by name ([System Access], [Kerberos Policy]). */
  | { kind: 'accountPolicy'; policy: string }
  /** An attribute of each user a directory scan reads (`gpaudit ldap scan`); an absent attribute is an empty list. */
  | { kind: 'directory'; attribute: string }
  /** A fact about each GPO as a whole (model/gpo-health.ts): its versions disagree, its SYSVOL folder is missing. */
  | { kind: 'gpo'; fact: GpoFactKind };

export type MatcherKind = Matcher['kind'];

/** A value a condition compares with: text, number or boolean, as the YAML gives it. */
export type Scalar = string | number | boolean;

/** The other value `notGreaterThan` compares with: a registry value of the same GPO, or a property of the same power-plan item. */
export type SiblingRef = { kind: 'registry'; ref: RegistryRef } | { kind: 'property'; property: string };

/**
 * A condition on the subject a matcher found, named by `kind`. Scalars: the registry data, policy value or
 * power-plan property. Principal lists: the holders of a right or the members of a group.
 */
export type Condition =
  | { kind: 'equals'; value: Scalar }
  | { kind: 'notEquals'; value: Scalar }
  | { kind: 'oneOf'; values: Scalar[] }
  | { kind: 'notOneOf'; values: Scalar[] }
  | { kind: 'nonEmpty' }
  /** No value, or only blank ones (a user without `mail`). */
  | { kind: 'empty' }
  /** Longer than this many characters (Unicode code points, not UTF-16 units). */
  | { kind: 'longerThan'; length: number }
  /**
   * Contains a character outside this regular-expression character class body (Unicode mode), e.g.
   * `\p{L}\p{M}\p{Nd} _.#-`; the finding names each such character and its code point.
   */
  | { kind: 'charactersOutside'; allowed: string }
  | { kind: 'regex'; pattern: string; flags?: string }
  /** A number below (lt), at most (lte), above (gt) or at least (gte) `value`. */
  | { kind: 'lt' | 'lte' | 'gt' | 'gte'; value: number }
  /** Integer bitmask test: true when any of these bits is set (drive masks). */
  | { kind: 'anyBits'; mask: number }
  | { kind: 'containsAnyPrincipal'; principals: PrincipalSpec[] }
  | { kind: 'lacksEveryPrincipal'; principals: PrincipalSpec[] }
  /**
   * Compare with a sibling value of the same GPO (or power-plan item): true when this value is not greater than
   * the other. `zeroMeansNever` makes 0 count as infinitely long (power timeouts); `otherDefault` stands in when
   * the GPO does not set the other value.
   */
  | { kind: 'notGreaterThan'; other: SiblingRef; zeroMeansNever?: boolean; otherDefault?: number }
  /** Select a property of a power-plan item (planGuid, makeActive, sleepAfterAC, ...) and test it. */
  | { kind: 'property'; property: string; is: Condition }
  | { kind: 'all'; conditions: Condition[] }
  | { kind: 'any'; conditions: Condition[] }
  | { kind: 'not'; condition: Condition };

export type ConditionKind = Condition['kind'];

export interface Check {
  match: Matcher;
  when: Condition;
  /**
   * Replaces the default description of what was found in the finding message. `{value}` is the short form
   * (`DisableMSI = 2 (REG_DWORD)`), `{setting}` the full one (path, value and source).
   */
  message?: string;
}

export type NotConfigured =
  /** Windows' default is safe: nothing to report. */
  | { outcome: 'pass' }
  /**
   * Report once per audit, at this severity, that nothing configures the setting. `remediation` replaces the
   * rule's own when this reminder is all the rule found (the rule's text speaks of a value that is set).
   */
  | { outcome: 'fail'; severity: Severity; message: string; remediation?: string }
  /** Say the rule could not be evaluated. */
  | { outcome: 'not-evaluated'; message?: string };

export interface Reference {
  title: string;
  url?: string;
  /** A document shipped beside the rules (for example ../shared/docs/...). */
  doc?: string;
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  tags: string[];
  checks: Check[];
  notConfigured: NotConfigured;
  rationale: string;
  remediation: string;
  references: Reference[];
  /** Where the rule was defined, for error messages and `rules show`. */
  source: { file: string; line: number };
}

/** A rules file's `pack:` header: which pack, which version. */
export interface RulePack {
  name: string;
  version: string;
  /** The file that declared it. */
  file: string;
}

/** A loaded rule set: rules in definition order, ids unique. */
export interface RuleSet {
  rules: Rule[];
  /** Every file that contributed, in load order (extends first). */
  files: string[];
  /** The packs among those files (the built-in one is `workspaces`); absent when none declares one. */
  packs?: RulePack[];
}
