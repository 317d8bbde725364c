import type { DirectorySource, DirectoryUser } from '../model/directory.js';
import type { Finding } from '../model/findings.js';
import { evaluate, type ConditionContext } from './conditions.js';
import { fingerprint } from './evaluate.js';
import type { Rule } from '../rules/types.js';

const noSibling = (): undefined => undefined;

/**
 * Evaluates directory rules user by user as a scan streams them. One finding per rule and user, naming every check
 * that failed. Each finding goes to `onFinding` when given (a scan of a million users finds about half a million,
 * hundreds of MB: runDirectoryScan sorts them through spill files), else it is kept for `finish`.
 */
export class DirectoryEvaluator {
  private readonly found: Finding[] = [];
  private readonly emit: (finding: Finding) => void;
  private scanned = 0;

  constructor(
    private readonly rules: readonly Rule[],
    private readonly source: DirectorySource,
    onFinding?: (finding: Finding) => void,
  ) {
    this.emit = onFinding ?? ((finding) => void this.found.push(finding));
  }

  addUser(user: DirectoryUser): void {
    this.scanned++;
    for (const rule of this.rules) {
      const notes: string[] = [];
      const parts: string[] = [];
      for (const check of rule.checks) {
        // A GPO setting check reads no user (and `gpaudit ldap scan` passes only rules made of directory checks).
        if (check.match.kind !== 'directory') continue;
        const { attribute } = check.match;
        const values = user.attributes[attribute.toLowerCase()] ?? [];
        const ctx: ConditionContext = { notes: [], sibling: noSibling };
        if (!evaluate(check.when, { kind: 'strings', value: values }, ctx)) continue;
        const shown = values.length ? values.map((v) => JSON.stringify(v)).join(', ') : '(not set)';
        const value = `${attribute} ${shown}`;
        parts.push(check.message ? check.message.replaceAll('{value}', value).replaceAll('{setting}', value) : value);
        notes.push(...ctx.notes);
      }
      if (parts.length === 0) continue;
      const details = [...new Set([...parts, ...notes])].join('; ');
      // Built fresh here, so only the rule's tags need copying to keep the finding apart from the rule (what
      // `detach` does for the GPO evaluator, at a structuredClone per finding: too dear at a million users).
      this.emit({
        ruleId: rule.id,
        title: rule.title,
        severity: rule.severity,
        tags: [...rule.tags],
        message: `${rule.title}: ${user.sAMAccountName ?? user.dn}: ${details}`,
        directoryObject: { dn: user.dn, ...(user.sAMAccountName ? { name: user.sAMAccountName } : {}), server: this.source.server },
        locations: [],
        // The DN, not the server: the same user found through another DC is the same finding.
        fingerprint: fingerprint([rule.id, 'directory', user.dn.toLowerCase()]),
      });
    }
  }

  /** The findings kept (none when they went to `onFinding`) and the users evaluated. */
  finish(): { findings: Finding[]; scanned: number } {
    return { findings: this.found, scanned: this.scanned };
  }
}
