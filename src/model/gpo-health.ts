// Facts about a GPO as a whole that health rules judge (`match: { gpo: { fact } }` in rules.yaml): its directory
// and SYSVOL halves disagree on the version, or one half is missing. Computed by src/policy/health.ts from the
// directory, an LDIF export, `--sysvol` and GPO reports.
import type { FindingLocation } from './findings.js';
import type { GpoRef } from './settings.js';

export const GPO_FACTS = ['versionMismatch', 'sysvolMissing'] as const;
export type GpoFactKind = (typeof GPO_FACTS)[number];

export interface GpoFact {
  gpo: GpoRef;
  fact: GpoFactKind;
  /** Whether the fact holds: a fact that was checked and does not hold is `false` (the rule then passes). */
  value: boolean;
  /** What was compared, in words: `directory version 3 (computer 3, user 0), GPT.INI version 2 (computer 2, user 0)`. */
  detail: string;
  /** Files that show it (GPT.INI, the GPO report); empty when only the directory does. */
  locations: FindingLocation[];
  /** The groupPolicyContainer, when the directory (or an LDIF export) said it. */
  directoryObject?: { dn: string; server: string };
  /** Names the fact's subject when the GPO has neither id nor name (a SYSVOL folder): keeps findings apart. */
  subject: string;
}
