import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/model/settings.js';
import { defaultBuiltinPath, formatRuleFileError, loadRuleSet, type RuleFileError } from '../../src/rules/load.js';
import { principalMatches } from '../../src/engine/principal-sets.js';
import { isValidPrincipalSpec, PRINCIPAL_ALIASES } from '../../src/model/principals.js';
import { type Rule } from '../../src/rules/types.js';
import { SEVERITIES } from '../../src/model/severity.js';
import { DIRECTORY_RULES, GPO_RULES, PACK } from '../helpers/rule-pack.js';

const FIX = 'test/fixtures/rules';
const BUILTIN = `${FIX}/builtin.yaml`;
const load = (...files: string[]) => loadRuleSet(files, { builtinPath: BUILTIN });
const ids = (rules: Rule[] | undefined) => rules?.map((r) => `${r.id}:${r.severity}`);
/** The error without its message, for exact location checks. */
const where = (e: RuleFileError) => `${e.code} ${e.file}:${e.line}:${e.column} ${e.path}`;

const scratch = mkdtempSync(path.join(tmpdir(), 'gpaudit-load-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
function scratchFile(name: string, content: string | Uint8Array): string {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  return file;
}

describe('loading valid rules files', () => {
  it('given the builtin fixture, loads the exact typed rules with defaults filled in', () => {
    const { ruleSet, errors } = load();
    expect(errors).toEqual([]);
    expect(ruleSet?.files).toEqual([BUILTIN]);
    const [banner, network, sleep] = ruleSet!.rules;
    expect(banner).toEqual({
      id: 'demo-banner',
      title: 'A logon banner is set',
      severity: 'high',
      tags: ['workspaces', 'logon'],
      checks: [
        {
          // A single registry reference becomes a list of one; matchers and conditions name their kind.
          match: { kind: 'registry', refs: [{ hive: 'HKLM', key: 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System', value: 'LegalNoticeCaption' }] },
          when: { kind: 'nonEmpty' },
          message: 'Banner caption "{value}"',
        },
      ],
      notConfigured: { outcome: 'pass' },
      rationale: 'The banner blocks the client.',
      remediation: 'Remove the banner.',
      references: [{ title: 'Banner doc', url: 'https://example.com/banner', doc: 'banner.md' }],
      source: { file: BUILTIN, line: 4 },
    } satisfies Rule);
    expect(network).toMatchObject({
      id: 'demo-network-logon',
      checks: [
        {
          match: { kind: 'right', right: 'SeNetworkLogonRight' },
          when: {
            kind: 'all',
            conditions: [
              { kind: 'containsAnyPrincipal', principals: ['domain-computers', 'rid:515'] },
              { kind: 'lacksEveryPrincipal', principals: ['domain-users', 'S-1-5-11'] },
            ],
          },
        },
      ],
      notConfigured: { outcome: 'fail', severity: 'low', message: 'Nothing sets the right.' },
      references: [],
      source: { file: BUILTIN, line: 17 },
    });
    expect(sleep).toEqual({
      id: 'demo-sleep',
      title: 'Sleep is on',
      severity: 'low',
      tags: [],
      checks: [
        {
          match: { kind: 'powerPlan', variant: 'power-plan-v2' },
          when: { kind: 'property', property: 'sleepAfterAC', is: { kind: 'not', condition: { kind: 'oneOf', values: [0, 'OFF'] } } },
        },
        {
          match: { kind: 'registry', refs: [{ hive: 'HKCU', key: 'Control Panel\\Desktop', value: 'ScreenSaveTimeOut' }] },
          when: {
            kind: 'any',
            conditions: [
              { kind: 'regex', pattern: '^9\\d\\d$', flags: 'i' },
              {
                kind: 'notGreaterThan',
                other: { kind: 'registry', ref: { hive: 'HKCU', key: 'Control Panel\\Desktop', value: 'Other' } },
                zeroMeansNever: true,
                otherDefault: 0,
              },
            ],
          },
        },
        { match: { kind: 'accountPolicy', policy: 'LockoutBadCount' }, when: { kind: 'gte', value: 1 } },
      ],
      notConfigured: { outcome: 'not-evaluated', message: 'Needs the power plan.' },
      rationale: 'Sleeping WorkSpaces are unreachable.',
      remediation: 'Use High performance.',
      references: [],
      source: { file: BUILTIN, line: 33 },
    } satisfies Rule);
  });

  it('given no builtinPath, resolves builtin to rules.yaml at the package root', () => {
    expect(defaultBuiltinPath()).toBe(path.resolve('rules.yaml'));
    // The same relative URL from the built module (dist/rules/load.js) lands on the root too.
    expect(new URL('../../rules.yaml', 'file:///pkg/dist/rules/load.js').pathname).toBe('/pkg/rules.yaml');
  });

  it('given no files, loads the shipped rules.yaml (every WorkSpaces rule, GPO and directory, in file order) without errors', () => {
    const { ruleSet, errors } = loadRuleSet([]);
    expect(errors.map(formatRuleFileError)).toEqual([]);
    expect(ruleSet!.rules.map((r) => [r.id, r.severity])).toEqual(PACK.map((r) => [r.id, r.severity]));
    expect(GPO_RULES.length).toBeGreaterThan(0);
    expect(DIRECTORY_RULES.length).toBeGreaterThan(0);
    expect(ruleSet!.rules.map((r) => r.id)).toContain('workspaces-logon-banner');
    expect(new Set(ruleSet!.rules.map((r) => r.id)).size).toBe(ruleSet!.rules.length);
  });

  it('given a YAML file with a UTF-8 BOM and a $schema key, loads it', () => {
    const file = scratchFile('bom.yaml', '\uFEFF$schema: ./rules.schema.json\nversion: 1\n');
    expect(loadRuleSet([file])).toEqual({ ruleSet: { rules: [], files: [file] }, errors: [] });
  });
});

describe('extends and merging', () => {
  it('given an override file extending builtin, changes severity, replaces checks whole, disables and adds rules', () => {
    const { ruleSet, errors } = load(`${FIX}/chain/override.yaml`);
    expect(errors).toEqual([]);
    expect(ruleSet!.files).toEqual([BUILTIN, `${FIX}/chain/override.yaml`]);
    expect(ids(ruleSet!.rules)).toEqual(['demo-banner:low', 'demo-network-logon:medium', 'team-remote-desktop:critical']);
    const banner = ruleSet!.rules[0]!;
    expect(banner.checks).toEqual([
      { match: { kind: 'right', right: 'SeInteractiveLogonRight' }, when: { kind: 'lacksEveryPrincipal', principals: ['builtin-users'] } },
    ]);
    // Fields the override did not give stay as the builtin had them, and so does where the rule was defined.
    expect(banner.title).toBe('A logon banner is set');
    expect(banner.source).toEqual({ file: BUILTIN, line: 4 });
    expect(ruleSet!.rules[2]!.source).toEqual({ file: `${FIX}/chain/override.yaml`, line: 11 });
    expect(ruleSet!.rules[2]!.checks[0]!.match).toEqual({ kind: 'groupMembers', group: 'remote-desktop-users' });
  });

  it('given a user file without extends, gives only its own rules', () => {
    const { ruleSet } = load(`${FIX}/chain/standalone.yaml`);
    expect(ids(ruleSet!.rules)).toEqual(['only-mine:info']);
    expect(ruleSet!.rules[0]!.notConfigured).toEqual({ outcome: 'not-evaluated' });
  });

  it('given builtin listed before a standalone file, gives both', () => {
    const { ruleSet } = load('builtin', `${FIX}/chain/standalone.yaml`);
    expect(ids(ruleSet!.rules)).toEqual(['demo-banner:high', 'demo-network-logon:medium', 'demo-sleep:low', 'only-mine:info']);
    expect(ruleSet!.files).toEqual([BUILTIN, `${FIX}/chain/standalone.yaml`]);
  });

  it('given enabled: true after enabled: false, turns the rule back on with its fields', () => {
    const { ruleSet } = load(`${FIX}/chain/reenable.yaml`);
    expect(ids(ruleSet!.rules)).toEqual(['demo-banner:low', 'demo-network-logon:medium', 'demo-sleep:low', 'team-remote-desktop:critical']);
    expect(ruleSet!.files).toEqual([BUILTIN, `${FIX}/chain/override.yaml`, `${FIX}/chain/reenable.yaml`]);
  });

  it('given builtin reached twice (diamond), applies it once so the override is not undone', () => {
    const { ruleSet } = load(`${FIX}/chain/diamond.yaml`);
    expect(ruleSet!.files).toEqual([BUILTIN, `${FIX}/chain/override.yaml`, `${FIX}/chain/diamond.yaml`]);
    expect(ids(ruleSet!.rules)).toEqual(['demo-banner:low', 'demo-network-logon:medium', 'team-remote-desktop:critical']);
  });

  it('given two files, loads the second on top of the first', () => {
    const { ruleSet } = load(`${FIX}/chain/override.yaml`, `${FIX}/chain/standalone.yaml`);
    expect(ids(ruleSet!.rules)).toEqual(['demo-banner:low', 'demo-network-logon:medium', 'team-remote-desktop:critical', 'only-mine:info']);
  });

  it('given severity overrides, applies them after merging and ignores unknown ids', () => {
    const { ruleSet } = loadRuleSet([], { builtinPath: BUILTIN, severityOverrides: { 'demo-sleep': 'critical', 'no-such-rule': 'info' } });
    expect(ids(ruleSet!.rules)).toEqual(['demo-banner:high', 'demo-network-logon:medium', 'demo-sleep:critical']);
  });

  it('given an extends cycle, reports it at the entry that closes the loop', () => {
    const { ruleSet, errors } = load(`${FIX}/chain/cycle-a.yaml`);
    expect(ruleSet).toBeUndefined();
    expect(errors).toEqual([
      {
        file: `${FIX}/chain/cycle-b.yaml`,
        line: 3,
        column: 5,
        path: '/extends/0',
        code: 'extends-cycle',
        message: 'extends cycle: cycle-a.yaml -> cycle-b.yaml -> cycle-a.yaml',
      },
    ]);
  });

  it('given a missing extends target, reports it at the entry', () => {
    const { errors } = load(`${FIX}/chain/missing.yaml`);
    expect(errors).toEqual([
      {
        file: `${FIX}/chain/missing.yaml`,
        line: 4,
        column: 5,
        path: '/extends/1',
        code: 'extends-missing',
        message: `extended file not found: ${FIX}/chain/does-not-exist.yaml`,
      },
    ]);
  });

  it('given a URL in extends, refuses to fetch it', () => {
    const { errors } = load(`${FIX}/chain/url.yaml`);
    expect(errors.map(where)).toEqual([`invalid-value ${FIX}/chain/url.yaml:2:11 /extends/0`]);
    expect(errors[0]!.message).toBe('extends takes "builtin" or a file path; URLs are never fetched (got "https://example.com/rules.yaml")');
  });
});

describe('errors name the file, line, column and property', () => {
  const E = `${FIX}/errors`;

  it('formats like a compiler: file:line:column: path: message', () => {
    const { errors } = load(`${E}/bad-values.yaml`);
    expect(formatRuleFileError(errors[0]!)).toBe(
      `${E}/bad-values.yaml:5:15: /rules/bad-values/severity: must be one of critical, high, medium, low, info (got "hgih")`,
    );
    expect(formatRuleFileError({ file: 'x.yaml', line: 0, column: 0, path: '', code: 'io-error', message: 'file not found' })).toBe('x.yaml: file not found');
  });

  it('given an unknown property, names it and suggests the near miss', () => {
    const { errors } = load(`${E}/unknown-property.yaml`);
    expect(errors).toEqual([
      {
        file: `${E}/unknown-property.yaml`,
        line: 5,
        column: 5,
        path: '/rules/extra-field/severty',
        code: 'unknown-property',
        message:
          'unknown rule property "severty"; expected one of title, severity, enabled, tags, checks, notConfigured, rationale, remediation, references; did you mean "severity"?',
      },
    ]);
  });

  it('given a misspelt condition, says "unknown condition" once instead of one error per union branch', () => {
    const { errors } = load(`${E}/misspelt-condition.yaml`);
    expect(errors).toEqual([
      {
        file: `${E}/misspelt-condition.yaml`,
        line: 8,
        column: 17,
        path: '/rules/typo/checks/0/when/nonEmtpy',
        code: 'unknown-property',
        message:
          'unknown condition "nonEmtpy"; expected one of equals, notEquals, oneOf, notOneOf, nonEmpty, empty, longerThan, charactersOutside, regex, lt, lte, gt, gte, anyBits, containsAnyPrincipal, lacksEveryPrincipal, notGreaterThan, property, all, any, not; did you mean "nonEmpty"?',
      },
    ]);
  });

  it('given wrong values and shapes, reports each once at its place', () => {
    const { errors } = load(`${E}/bad-values.yaml`);
    const f = `${E}/bad-values.yaml`;
    expect(errors.map((e) => `${where(e)} | ${e.message}`)).toEqual([
      `invalid-value ${f}:5:15 /rules/bad-values/severity | must be one of critical, high, medium, low, info (got "hgih")`,
      `schema ${f}:7:18 /rules/bad-values/checks/0/match/registry | missing required property "value"`,
      `invalid-value ${f}:7:36 /rules/bad-values/checks/0/match/registry/hive | must be one of HKLM, HKCU (got "HKCR")`,
      `schema ${f}:8:9 /rules/bad-values/checks/0/when | a condition takes exactly one of equals, notEquals, oneOf, notOneOf, nonEmpty, empty, longerThan, charactersOutside, regex, lt, lte, gt, gte, anyBits, containsAnyPrincipal, lacksEveryPrincipal, notGreaterThan, property, all, any, not; got equals, notEquals (combine conditions with all or any)`,
      `schema ${f}:9:9 /rules/bad-values/checks/1/match | a matcher takes exactly one of registry, right, groupMembers, powerPlan, accountPolicy, directory, gpo; got right, accountPolicy`,
      `schema ${f}:10:9 /rules/bad-values/checks/1/when | "property" needs "is" beside it`,
      `schema ${f}:13:17 /rules/bad-values/checks/2/when/notGreaterThan | needs exactly one of registry, property`,
      `unknown-property ${f}:14:37 /rules/bad-values/notConfigured/message | "message" is not allowed here with outcome "pass"`,
    ]);
  });

  it('given regular expressions that do not compile or carry stateful flags, reports bad-regex', () => {
    const { errors } = load(`${E}/bad-regex.yaml`);
    const f = `${E}/bad-regex.yaml`;
    expect(errors.map((e) => `${where(e)} | ${e.message}`)).toEqual([
      `bad-regex ${f}:8:24 /rules/regexes/checks/0/when/regex | does not compile: Invalid regular expression: /^(unclosed/: Unterminated group`,
      `bad-regex ${f}:10:37 /rules/regexes/checks/1/when/flags | flags "g" are not allowed: use i, m, s, u or v (g and y make a regular expression remember where it last matched, so the next value could fail to match)`,
      `bad-regex ${f}:12:43 /rules/regexes/checks/2/when/not/flags | does not compile: Invalid flags supplied to RegExp constructor 'uv'`,
    ]);
  });

  it('given regular expressions that can backtrack, refuses each at its place and says why; linear ones load', () => {
    const { errors } = load(`${E}/backtracking-regex.yaml`);
    const f = `${E}/backtracking-regex.yaml`;
    const exponential = 'can backtrack for exponential time: a nested quantifier or alternatives that match the same text';
    expect(errors.map(where)).toEqual([
      `bad-regex ${f}:8:24 /rules/backtracking/checks/0/when/regex`,
      `bad-regex ${f}:10:24 /rules/backtracking/checks/1/when/regex`,
      `bad-regex ${f}:12:31 /rules/backtracking/checks/2/when/not/regex`,
      `bad-regex ${f}:14:32 /rules/backtracking/checks/3/when/any/0/regex`,
      `bad-regex ${f}:16:24 /rules/backtracking/checks/4/when/regex`,
      `bad-regex ${f}:18:24 /rules/backtracking/checks/5/when/regex`,
      `bad-regex ${f}:20:24 /rules/backtracking/checks/6/when/regex`,
      `bad-regex ${f}:22:36 /rules/backtracking/checks/7/when/charactersOutside`,
    ]);
    const messages = errors.map((e) => e.message);
    expect(messages[0]).toBe(`"^(a+)+$" is refused: it ${exponential} (at "a"); rewrite it so each character can be matched only one way`);
    expect(messages[1]).toMatch(new RegExp(`^"\\(a\\|a\\)\\*\\$" is refused: it ${exponential}`));
    expect(messages[2]).toContain(`"(\\w+\\s?)*$" is refused: it ${exponential}`);
    expect(messages[3]).toContain(`"^(a|aa)+$" is refused: it ${exponential} (at "a", "aa")`);
    // Polynomial is refused too: linear is the rule, not "not exponential".
    expect(messages[4]).toContain('"^a.*b.*c" is refused: it can backtrack for time growing as the length to the power 2');
    // Without the v flag "[" inside a class is a character: the repetition after it is still seen.
    expect(messages[5]).toContain(exponential);
    // What cannot be proven linear is refused, not guessed at.
    expect(messages[6]).toBe(
      '"^(?=a)\\w+$" is refused: it cannot be proven to run in linear time (look-ahead assertion); lookarounds and backreferences are only allowed in patterns without repetition',
    );
    // A "]" would close the class and turn the rest into a pattern of its own: `[^a]|(a+)+$|[b]`.
    expect(messages[7]).toBe('has an unescaped "]" at character 2, which would end the class; write \\] for the character');
    // The second rule's patterns (anchored repetitions, lookbehind without repetition, an escaped "]") all load.
    expect(errors.some((e) => e.path.startsWith('/rules/linear/'))).toBe(false);
  });

  it('given principals that are not a SID, rid:<n> or alias, reports bad-principal (nested conditions too)', () => {
    const { errors } = load(`${E}/bad-principal.yaml`);
    const f = `${E}/bad-principal.yaml`;
    expect(errors.map(where)).toEqual([
      `bad-principal ${f}:7:32 /rules/principals/checks/0/match/groupMembers`,
      `bad-principal ${f}:10:48 /rules/principals/checks/0/when/any/0/containsAnyPrincipal/1`,
      `bad-principal ${f}:10:58 /rules/principals/checks/0/when/any/0/containsAnyPrincipal/2`,
      `bad-principal ${f}:11:37 /rules/principals/checks/0/when/any/1/lacksEveryPrincipal/0`,
    ]);
    expect(errors[0]!.message).toBe(
      'unknown principal "remote-desktop-user"; expected a SID (S-1-5-32-545), rid:<n> (rid:513) or one of everyone, authenticated-users, builtin-users, administrators, guests, remote-desktop-users, domain-users, domain-admins, domain-guests, domain-computers, domain-controllers, interactive, network, local-account; did you mean "remote-desktop-users"?',
    );
    expect(errors[3]!.message).toMatch(/^unknown principal "CORP\\WorkSpaces Users"; expected a SID/);
  });

  it('given a new rule missing fields, reports incomplete-rule at the last file that touched it', () => {
    const { errors } = load(`${E}/incomplete.yaml`);
    expect(errors).toEqual([
      {
        file: `${E}/incomplete.yaml`,
        line: 4,
        column: 3,
        path: '/rules/demo-baner',
        code: 'incomplete-rule',
        message:
          'rule "demo-baner" is incomplete: missing title, checks, notConfigured, rationale, remediation; no file before this one defines "demo-baner" (did you mean "demo-banner"?), so this is a new rule and needs every required field',
      },
      {
        file: `${E}/incomplete.yaml`,
        line: 6,
        column: 3,
        path: '/rules/half-done',
        code: 'incomplete-rule',
        message: 'rule "half-done" is incomplete: missing checks, notConfigured, rationale, remediation',
      },
    ]);
  });

  it('given a rule id twice in one file, reports duplicate-id at the second; a non-kebab id is invalid', () => {
    const { errors } = load(`${E}/duplicate-id.yaml`);
    const f = `${E}/duplicate-id.yaml`;
    // Neither rule is also called incomplete: its errors already say what is wrong with it.
    expect(errors.map((e) => `${where(e)} | ${e.message}`)).toEqual([
      `invalid-value ${f}:5:3 /rules/Not_Kebab | rule id "Not_Kebab" must be kebab-case: lower-case letters and digits joined by single hyphens`,
      `duplicate-id ${f}:7:3 /rules/same-id | rule id "same-id" is defined twice in this file (first at line 3)`,
    ]);
  });

  it('given a YAML syntax error, reports yaml-syntax with its position', () => {
    const { errors } = load(`${E}/syntax.yaml`);
    expect(errors.map((e) => `${where(e)} | ${e.message}`)).toEqual([
      `yaml-syntax ${E}/syntax.yaml:5:5  | Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ]);
  });

  it('given a YAML tag such as !!js/function, refuses it and still checks the rest', () => {
    const { errors } = load(`${E}/tags.yaml`);
    const f = `${E}/tags.yaml`;
    expect(errors.map((e) => `${where(e)} | ${e.message}`)).toEqual([
      `yaml-syntax ${f}:7:15  | Unresolved tag: tag:yaml.org,2002:js/function`,
      `invalid-value ${f}:7:29 /rules/code-tag/severity | must be one of critical, high, medium, low, info (got "function () { return \\"high\\" }")`,
      `schema ${f}:8:13 /rules/code-tag/checks | must have at least 1 item`,
      `invalid-value ${f}:9:20 /rules/code-tag/notConfigured | must be one of pass, not-evaluated (got "fail")`,
    ]);
  });

  it('given another version or a list of rules, says so', () => {
    const { errors } = load(`${E}/wrong-version.yaml`);
    const f = `${E}/wrong-version.yaml`;
    expect(errors.map((e) => `${where(e)} | ${e.message}`)).toEqual([
      `invalid-value ${f}:1:10 /version | unsupported version 2; this gpaudit reads version 1`,
      `schema ${f}:2:8 /rules | must be a map (got a list)`,
    ]);
  });

  it('given an empty file, says it is empty', () => {
    expect(load(`${E}/empty.yaml`).errors.map((e) => `${where(e)} | ${e.message}`)).toEqual([
      `schema ${E}/empty.yaml:1:1  | the file is empty; a rules file starts with "version: 1"`,
    ]);
  });

  it('given errors in several files, reports all of them in load order', () => {
    const { ruleSet, errors } = load(`${E}/unknown-property.yaml`, `${E}/misspelt-condition.yaml`);
    expect(ruleSet).toBeUndefined();
    expect(errors.map((e) => e.file)).toEqual([`${E}/unknown-property.yaml`, `${E}/misspelt-condition.yaml`]);
  });

  it('given a file that does not exist or a directory, reports io-error for the whole file', () => {
    expect(load(`${E}/nope.yaml`).errors).toEqual([{ file: `${E}/nope.yaml`, line: 0, column: 0, path: '', code: 'io-error', message: 'file not found' }]);
    expect(load(E).errors).toEqual([{ file: E, line: 0, column: 0, path: '', code: 'io-error', message: 'not a regular file' }]);
  });
});

describe('hostile files', () => {
  it('given an alias bomb, stops at the alias limit quickly and reports where', () => {
    const started = Date.now();
    const { ruleSet, errors } = load(`${FIX}/errors/alias-bomb.yaml`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(ruleSet).toBeUndefined();
    expect(errors).toEqual([
      {
        file: `${FIX}/errors/alias-bomb.yaml`,
        line: 4,
        column: 10,
        path: '',
        code: 'yaml-syntax',
        message: 'too many alias expansions (limit 100); aliases that multiply like this are refused',
      },
    ]);
  });

  it('given a file over 5 MB, refuses to read it', () => {
    const file = scratchFile('big.yaml', `version: 1\n#${'x'.repeat(5 * 1024 * 1024)}\n`);
    expect(loadRuleSet([file]).errors).toEqual([
      { file, line: 0, column: 0, path: '', code: 'io-error', message: `file is ${5 * 1024 * 1024 + 13} bytes; the limit is 5242880 (5 MB)` },
    ]);
  });

  const nested = (depth: number) =>
    `version: 1\nrules:\n  deep:\n    checks:\n      - match: { right: X }\n        when: ${'{ not: '.repeat(depth)}{ equals: 1 }${' }'.repeat(depth)}\n`;

  it('given conditions nested deeper than any rule needs, refuses them before validating', () => {
    const { errors } = loadRuleSet([scratchFile('deep.yaml', nested(100))]);
    expect(errors.map((e) => `${e.code} ${e.line}:${e.column} ${e.message}`)).toEqual(['schema 6:428 nested more than 64 levels deep']);
  });

  it('given conditions nested thousands deep, reports one error instead of overflowing the stack', () => {
    const { errors } = loadRuleSet([scratchFile('deeper.yaml', nested(5000))]);
    expect(errors.map((e) => `${e.code} ${e.line} ${e.message}`)).toEqual(['yaml-syntax 6 nested too deeply to parse']);
  });

  it('given bytes that are not UTF-8, reports the offset of the first bad byte', () => {
    const file = scratchFile('latin1.yaml', Buffer.concat([Buffer.from('version: 1\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(loadRuleSet([file]).errors).toEqual([{ file, line: 0, column: 0, path: '', code: 'yaml-syntax', message: 'not valid UTF-8 (first bad byte at offset 16)' }]);
  });

  it.each<[string, number[], number]>([
    ['a stray continuation byte after a complete character', [0x61, 0xc3, 0xa9, 0xa9, 0x62], 3],
    ['a lone byte that is never valid', [0x61, 0x62, 0xff], 2],
    ['a sequence cut short at the end of the file', [0x61, 0xe2, 0x82], 1],
  ])('given %s, reports the offset where the damage starts', (_name, bytes, offset) => {
    const file = scratchFile('bad-utf8.yaml', Uint8Array.from(bytes));
    expect(loadRuleSet([file]).errors[0]!.message).toBe(`not valid UTF-8 (first bad byte at offset ${offset})`);
  });
});

describe('schemas/rules.schema.json', () => {
  const schema = JSON.parse(readFileSync('schemas/rules.schema.json', 'utf8')) as Record<string, unknown> & { $defs: Record<string, Record<string, unknown>> };

  it('lists the same severities and principal aliases as the code', () => {
    expect(schema.$defs.severity!.enum).toEqual([...SEVERITIES]);
    const alias = (schema.$defs.principalSpec!.anyOf as { enum?: string[] }[]).find((b) => b.enum);
    expect(alias?.enum).toEqual(Object.keys(PRINCIPAL_ALIASES));
  });

  it('documents every property with a description and examples, and closes every object', () => {
    const undocumented: string[] = [];
    const open: string[] = [];
    const visit = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${at}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const obj = node as Record<string, unknown>;
      if (obj.properties && typeof obj.properties === 'object' && obj.additionalProperties !== false && obj.title !== undefined) open.push(at);
      if (obj.properties && typeof obj.properties === 'object') {
        for (const [name, prop] of Object.entries(obj.properties as Record<string, unknown>)) {
          if (prop === true || prop === false) continue; // `true` only declares a required name for ajv's strict mode
          const p = prop as Record<string, unknown>;
          if (typeof p.description !== 'string' || !Array.isArray(p.examples)) undocumented.push(`${at}/properties/${name}`);
        }
      }
      // `if` subschemas only test a value; users never write their properties.
      for (const [k, v] of Object.entries(obj)) if (k !== 'examples' && k !== 'if') visit(v, `${at}/${k}`);
    };
    visit(schema, '#');
    expect(undocumented).toEqual([]);
    expect(open).toEqual([]);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('principal matching', () => {
  const sid = (s: string, rid?: number): Principal => ({ sid: s, ...(rid !== undefined ? { rid } : {}), resolution: 'input-sid' });
  const byName = (target: { sid: string } | { rid: number }, name: string): Principal => ({ ...target, name, resolution: 'well-known-name' });
  const DOMAIN_USERS = sid('S-1-5-21-1111-2222-3333-513', 513);
  const OTHER_DOMAIN_USERS = sid('S-1-5-21-4444-5555-6666-513', 513);
  const NAMED_DOMAIN_USERS = byName({ rid: 513 }, 'CONTOSO\\Domain Users');
  const USERS = sid('S-1-5-32-545');
  const AUTH_USERS_LOWER = { sid: 's-1-5-11', resolution: 'input-sid' } as Principal;
  const DOMAIN_COMPUTERS_NO_RID = sid('S-1-5-21-1111-2222-3333-515');
  const UNRESOLVED: Principal = { name: 'CORP\\WorkSpaces Users', resolution: 'unresolved' };

  it.each<[string, Principal, string, boolean]>([
    ['SID spec, same SID', USERS, 'S-1-5-32-545', true],
    ['SID spec, without case', AUTH_USERS_LOWER, 'S-1-5-11', true],
    ['SID spec, lower-case spec', USERS, 's-1-5-32-545', true],
    ['SID spec, other SID', USERS, 'S-1-5-32-544', false],
    ['domain SID spec, exact', DOMAIN_USERS, 'S-1-5-21-1111-2222-3333-513', true],
    ['domain SID spec, other domain', OTHER_DOMAIN_USERS, 'S-1-5-21-1111-2222-3333-513', false],
    ['rid spec, domain SID', DOMAIN_USERS, 'rid:513', true],
    ['rid spec, any domain', OTHER_DOMAIN_USERS, 'rid:513', true],
    ['rid spec, name resolved to the RID', NAMED_DOMAIN_USERS, 'rid:513', true],
    ['rid spec, RID only from the SID', DOMAIN_COMPUTERS_NO_RID, 'rid:515', true],
    ['rid spec, other RID', DOMAIN_USERS, 'rid:512', false],
    ['rid spec, builtin SID is not domain-relative', USERS, 'rid:545', false],
    ['alias to SID', USERS, 'builtin-users', true],
    ['alias to SID, other principal', USERS, 'administrators', false],
    ['alias to RID', DOMAIN_USERS, 'domain-users', true],
    ['alias to RID, by name', NAMED_DOMAIN_USERS, 'domain-users', true],
    ['alias to RID, other RID', DOMAIN_USERS, 'domain-computers', false],
    ['alias everyone', sid('S-1-1-0'), 'everyone', true],
    ['alias remote-desktop-users', sid('S-1-5-32-555'), 'remote-desktop-users', true],
    ['alias local-account', sid('S-1-5-113'), 'local-account', true],
    ['unresolved matches no alias', UNRESOLVED, 'domain-users', false],
    ['unresolved matches no rid', UNRESOLVED, 'rid:513', false],
    ['unknown spec matches nothing', USERS, 'users', false],
  ])('%s', (_name, p, spec, expected) => {
    expect(principalMatches(p, spec)).toBe(expected);
  });

  it('maps every alias to the SID or RID the brief names', () => {
    expect(PRINCIPAL_ALIASES).toEqual({
      everyone: { sid: 'S-1-1-0' },
      'authenticated-users': { sid: 'S-1-5-11' },
      'builtin-users': { sid: 'S-1-5-32-545' },
      administrators: { sid: 'S-1-5-32-544' },
      guests: { sid: 'S-1-5-32-546' },
      'remote-desktop-users': { sid: 'S-1-5-32-555' },
      'domain-users': { rid: 513 },
      'domain-admins': { rid: 512 },
      'domain-guests': { rid: 514 },
      'domain-computers': { rid: 515 },
      'domain-controllers': { rid: 516 },
      interactive: { sid: 'S-1-5-4' },
      network: { sid: 'S-1-5-2' },
      'local-account': { sid: 'S-1-5-113' },
    });
  });

  it.each<[unknown, boolean]>([
    ['S-1-5-11', true],
    ['S-1-5-21-1-2-3-513', true],
    ['rid:513', true],
    ['rid:4294967295', true],
    ['rid:4294967296', false],
    ['domain-users', true],
    ['Domain-Users', false],
    ['S-1-5-', false],
    ['rid:', false],
    ['rid:-1', false],
    ['', false],
    [513, false],
    ['toString', false],
  ])('isValidPrincipalSpec(%j) is %s', (spec, expected) => {
    expect(isValidPrincipalSpec(spec)).toBe(expected);
  });
});
