// The directory rules of rules.yaml against the users of directory-rules.cases.ts: users in, findings out,
// through the evaluator `gpaudit ldap scan` feeds, with no LDAP server.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DirectoryEvaluator } from '../../src/engine/evaluate-directory.js';
import type { DirectorySource, DirectoryUser } from '../../src/model/directory.js';
import type { Finding } from '../../src/model/findings.js';
import { loadRuleSet } from '../../src/rules/load.js';
import { DIRECTORY_RULES, ids } from '../helpers/rule-pack.js';
import { DIRECTORY_CASES, user, type DirectoryRuleCases } from './directory-rules.cases.js';

const loaded = loadRuleSet([]);
const DIRECTORY_IDS = new Set(ids(DIRECTORY_RULES));
const RULES = (loaded.ruleSet?.rules ?? []).filter((r) => DIRECTORY_IDS.has(r.id));
const SOURCE: DirectorySource = { server: 'ldaps://dc1.corp.example.test:636', baseDn: 'DC=corp,DC=example,DC=test' };

/** Every directory rule over one user, as a scan does it. */
function scan(u: DirectoryUser): Finding[] {
  const evaluator = new DirectoryEvaluator(RULES, SOURCE);
  evaluator.addUser(u);
  const { findings, scanned } = evaluator.finish();
  expect(scanned).toBe(1);
  return findings;
}

const findingsFor = (u: DirectoryUser, ruleId: string) => scan(u).filter((f) => f.ruleId === ruleId);

it('loads the shipped directory rules', () => {
  expect(loaded.errors).toEqual([]);
  expect(RULES.map((r) => r.id)).toEqual(ids(DIRECTORY_RULES));
  expect(RULES.length).toBeGreaterThan(0);
});

describe('the table covers every directory rule', () => {
  it('has one entry per directory rule of rules.yaml, in file order, with the rule severity', () => {
    expect(DIRECTORY_CASES.map((c) => c.ruleId), 'a directory rule without cases, or cases for a rule rules.yaml does not have').toEqual(ids(DIRECTORY_RULES));
    for (const c of DIRECTORY_CASES) expect(c.severity, c.ruleId).toBe(DIRECTORY_RULES.find((r) => r.id === c.ruleId)?.severity);
  });

  it.each(DIRECTORY_CASES.map((c) => [c.ruleId, c] as const))('%s: at least one failing and one passing user', (_id, c: DirectoryRuleCases) => {
    expect(c.fail.length).toBeGreaterThan(0);
    expect(c.pass.length).toBeGreaterThan(0);
  });

  it('the clean user every case starts from breaks no directory rule', () => {
    expect(scan(user())).toEqual([]);
  });
});

for (const c of DIRECTORY_CASES) {
  describe(c.ruleId, () => {
    for (const u of c.fail) {
      it(`fails on ${u.name}`, () => {
        const found = findingsFor(u.user, c.ruleId);
        // One finding per rule and user, however many of the rule's checks failed.
        expect(found).toHaveLength(1);
        const f = found[0]!;
        expect(f.severity).toBe(c.severity);
        expect(f.locations).toEqual([]);
        expect(f.directoryObject).toEqual({ dn: u.user.dn, ...(u.user.sAMAccountName !== undefined ? { name: u.user.sAMAccountName } : {}), server: SOURCE.server });
        expect(f.message.startsWith(`${f.title}: ${u.user.sAMAccountName ?? u.user.dn}: `), f.message).toBe(true);
        for (const text of u.says ?? []) expect(f.message).toContain(text);
      });
    }
    for (const u of c.pass) {
      it(`passes on ${u.name}`, () => {
        expect(findingsFor(u.user, c.ruleId)).toEqual([]);
      });
    }
  });
}

describe('workspaces-linux-username against the Amazon Linux rule as AWS states it', () => {
  // At most 20 characters (Unicode code points); letters (with their combining marks), decimal digits and the
  // space, of any script, plus _ . - #; never a leading hyphen. Written out here independently of rules.yaml.
  const RULE = 'workspaces-linux-username';
  const allowed = (ch: string) => /^[\p{L}\p{M}\p{Nd}]$/u.test(ch) || ' _.-#'.includes(ch);
  const valid = (name: string) => [...name].length <= 20 && [...name].every(allowed) && !name.startsWith('-');

  // Characters on both sides of the line: ASCII and other scripts, astral letters, marks, digits of other
  // scripts, the allowed marks, and near misses (other spaces, number-like symbols, @, control characters).
  const alphabet = fc.constantFrom(
    ...'aZ09 _.-#',
    'é', 'e\u0301', 'Ж', '山', 'ع', '\u0663', '\u{1D49C}', '\u0915\u094D',
    '@', '!', '~', '$', '\t', '\u00A0', '\u3000', '\u200B', '\u00B2', '\u216B', '\u{1F600}', '\uD800',
  );
  const name = fc.array(alphabet, { minLength: 0, maxLength: 24 }).map((parts) => parts.join(''));

  it('flags exactly the names the rule forbids', () => {
    const seen = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(name, (n) => {
        const flagged = findingsFor(user({ sAMAccountName: n }), RULE).length > 0;
        expect(flagged, JSON.stringify(n)).toBe(!valid(n));
        seen[valid(n) ? 'valid' : 'invalid']++;
      }),
      { numRuns: 2000 },
    );
    // Both sides of the line were tried, many times.
    expect(seen.valid).toBeGreaterThan(100);
    expect(seen.invalid).toBeGreaterThan(100);
  });
});
