// What the shipped rule pack (rules.yaml) holds, read from the file itself: tests take rule counts, id lists and
// severities from here instead of spelling them out, so adding a rule touches rules.yaml and its cases only.
//
// Read with the `yaml` package from the YAML surface (a public contract), not through the loader's in-memory
// types, so these facts do not move when the engine's internals do.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Severity } from '../../src/model/severity.js';

export const RULES_YAML = join(resolve(import.meta.dirname, '..', '..'), 'rules.yaml');

/** One rule of rules.yaml as the file writes it: the fields tests ask about. */
export interface PackRule {
  id: string;
  severity: Severity;
  tags: string[];
  /** The one key of each check's `match` (registry, right, groupMembers, powerPlan, accountPolicy, directory). */
  matchers: string[];
  /** A directory rule has a `directory` matcher; it runs under `gpaudit ldap scan`, the others under `gpaudit audit`. */
  directory: boolean;
  /** A GPO health rule has `gpo` matchers: facts about a GPO as a whole (versions, SYSVOL folder), not its settings. */
  health: boolean;
  /** A health rule that compares the directory with SYSVOL: it runs only under `gpaudit audit --ou` (with both). */
  ouOnly: boolean;
}

interface YamlRule {
  severity: Severity;
  tags?: string[];
  enabled?: boolean;
  checks: { match: Record<string, { fact?: string } | unknown> }[];
}

function readPack(): PackRule[] {
  const doc = parse(readFileSync(RULES_YAML, 'utf8')) as { rules: Record<string, YamlRule> };
  // `enabled: false` drops a rule from the set, as the loader does.
  return Object.entries(doc.rules).flatMap(([id, r]) => {
    if (r.enabled === false) return [];
    const matchers = r.checks.flatMap((c) => Object.keys(c.match));
    const ouOnly = r.checks.every((c) => (c.match.gpo as { fact?: string } | undefined)?.fact === 'sysvolMissing');
    return [{ id, severity: r.severity, tags: r.tags ?? [], matchers, directory: matchers.includes('directory'), health: matchers.includes('gpo'), ouOnly }];
  });
}

/** Every rule of rules.yaml the loader keeps (all but `enabled: false`), in file order. */
export const PACK: readonly PackRule[] = readPack();
/** The rules `gpaudit audit` runs (no directory matcher, not a directory-against-SYSVOL check), in file order. */
export const GPO_RULES: readonly PackRule[] = PACK.filter((r) => !r.directory && !r.ouOnly);
/** Of those, the rules that judge settings (the fixture matrix's rules); the others judge GPO health. */
export const SETTINGS_RULES: readonly PackRule[] = GPO_RULES.filter((r) => !r.health);
/** GPO health rules (`gpo` matchers): versions and SYSVOL folders; some only under `gpaudit audit --ou`. */
export const HEALTH_RULES: readonly PackRule[] = PACK.filter((r) => r.health);
/** The rules `gpaudit ldap scan` runs (a directory matcher), in file order. */
export const DIRECTORY_RULES: readonly PackRule[] = PACK.filter((r) => r.directory);

export const ids = (rules: readonly PackRule[]): string[] => rules.map((r) => r.id);
/** Ids in code-unit order, as tests that collect ids from a report sort them. */
export const sortedIds = (rules: readonly PackRule[]): string[] => ids(rules).sort();
