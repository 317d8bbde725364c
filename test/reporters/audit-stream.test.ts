import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/audit/result.js';
import { tallyFindings, type Finding, type FindingList, type FindingTally } from '../../src/model/findings.js';
import type { AuditReporterOptions, AuditWriter } from '../../src/reporters/audit-output-types.js';
import { AUDIT_FORMATS, AUDIT_REPORTERS, AUDIT_WRITERS, type AuditFormat } from '../../src/reporters/audit-reporters.js';
import { loadAuditWriter } from '../../src/reporters/audit-formats.js';
import { writeJsonSpliced } from '../../src/reporters/audit-writer.js';
import { bigResult, directoryResult as htmlDirectoryResult } from '../html/fixtures.js';
import { DIRECTORY_RULES, DIRECTORY_SERVER, directoryResult, emptyResult, richResult } from './fixture.js';

/** Findings the way a directory scan's spill gives them: not an array, read afresh (here: counted) on every walk. */
class CountingList implements FindingList {
  walks = 0;
  readonly tally?: FindingTally;

  constructor(
    private readonly findings: Finding[],
    tallied: boolean,
  ) {
    if (tallied) this.tally = tallyFindings(findings);
  }

  get length(): number {
    return this.findings.length;
  }

  [Symbol.iterator](): Iterator<Finding> {
    this.walks++;
    return this.findings[Symbol.iterator]();
  }
}

const OPTIONS: AuditReporterOptions = { color: false, environment: {}, generatedAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)) };

function written(writer: AuditWriter, result: AuditResult<FindingList>, options: AuditReporterOptions = OPTIONS): string[] {
  const chunks: string[] = [];
  writer(result, options, (chunk) => chunks.push(chunk));
  return chunks;
}

function listed(result: AuditResult, tallied: boolean): AuditResult<CountingList> {
  return { ...result, findings: new CountingList(result.findings, tallied) };
}

/**
 * Users u0…u(n-1), each with a finding for one rule or both: a user's findings are not next to each other in report
 * order (worst first, then rule, then DN), which is what makes the text and JUnit groups hard to stream.
 */
function usersAcrossRules(users: number): AuditResult {
  const [email, shell] = DIRECTORY_RULES;
  const finding = (rule: typeof email, user: number): Finding => ({
    ruleId: rule!.id,
    title: rule!.title,
    severity: rule!.severity,
    tags: rule!.tags,
    message: `${rule!.title}: u${user}`,
    directoryObject: { dn: `CN=u${String(user).padStart(7, '0')},OU=Staff,DC=corp,DC=example`, name: `u${user}`, server: DIRECTORY_SERVER },
    locations: [],
    fingerprint: `${rule!.id}-${user}`,
    ...(user % 7 === 0 ? { suppressed: { waiver: { rule: rule!.id, path: '*', reason: 'test accounts', expires: '2099-12-31' } } } : {}),
  });
  const findings: Finding[] = [];
  for (let u = 0; u < users; u++) findings.push(finding(email, u));
  for (let u = 0; u < users; u += 2) findings.push(finding(shell, u));
  return { ...directoryResult(), findings, directory: { ...directoryResult().directory!, entriesRead: users, inScope: users } };
}

const RESULTS: Record<string, () => AuditResult> = {
  rich: richResult,
  empty: emptyResult,
  directory: directoryResult,
  'html directory': htmlDirectoryResult,
  'users across rules': () => usersAcrossRules(40),
  'a big estate': () => bigResult(300),
  'rich, no baseline, with configuration': () => {
    const { baseline: _baseline, ...rest } = richResult();
    return { ...rest, configuration: { file: '.gpaudit.yaml', rules: ['builtin', 'rules/extra.yaml'] } };
  },
};

const TEXT_OPTIONS: Record<string, AuditReporterOptions> = {
  plain: OPTIONS,
  color: { ...OPTIONS, color: true },
  quiet: { ...OPTIONS, quiet: true },
  'problems on stderr': { ...OPTIONS, problemsOnStderr: true },
};

/** Every format with the options that change it. */
function cases(format: AuditFormat): [string, AuditReporterOptions][] {
  if (format === 'text') return Object.entries(TEXT_OPTIONS);
  if (format === 'sarif') return [['plain', OPTIONS], ['azure pipelines, incomplete', { ...OPTIONS, environment: { TF_BUILD: 'True' } }]];
  return [['plain', OPTIONS]];
}

// The formats that write each finding as it is met: one walk of the list, none held.
const STREAMING: readonly AuditFormat[] = ['text', 'json', 'sarif'];
// Counting unsuppressed findings per severity for the summary: a pass of its own when the list has no tally.
const COUNTS: readonly AuditFormat[] = ['text', 'json'];

describe('AUDIT_WRITERS', () => {
  it('has one writer per format, the one loadAuditWriter loads', async () => {
    expect(Object.keys(AUDIT_WRITERS)).toEqual([...AUDIT_FORMATS]);
    for (const format of AUDIT_FORMATS) expect(await loadAuditWriter(format), format).toBe(AUDIT_WRITERS[format]);
  });

  for (const format of AUDIT_FORMATS) {
    describe(format, () => {
      for (const [resultName, make] of Object.entries(RESULTS)) {
        for (const [optionsName, options] of cases(format)) {
          it(`writes the reporter's document in pieces, from an array or a list (${resultName}, ${optionsName})`, () => {
            const expected = AUDIT_REPORTERS[format](make(), options);
            expect(written(AUDIT_WRITERS[format], make(), options).join('')).toBe(expected);
            for (const tallied of [true, false]) {
              const result = listed(make(), tallied);
              expect(written(AUDIT_WRITERS[format], result, options).join(''), `tallied: ${tallied}`).toBe(expected);
              expect(AUDIT_REPORTERS[format](listed(make(), tallied), options), `tallied: ${tallied}`).toBe(expected);
            }
          });
        }
      }

      it('walks a list once, and once more to count it only when it has no tally and the format shows counts', () => {
        const tallied = listed(richResult(), true);
        written(AUDIT_WRITERS[format], tallied);
        expect(tallied.findings.walks).toBe(1);
        const untallied = listed(richResult(), false);
        written(AUDIT_WRITERS[format], untallied);
        expect(untallied.findings.walks).toBe(COUNTS.includes(format) ? 2 : 1);
      });
    });
  }
});

describe('json and sarif', () => {
  /** A list that notes, as it reads each finding, whether the one before it has been written yet. */
  function watched(findings: Finding[], out: string[]): { list: FindingList; late: string[] } {
    const late: string[] = [];
    const list: FindingList = {
      length: findings.length,
      tally: tallyFindings(findings),
      *[Symbol.iterator]() {
        for (const [i, f] of findings.entries()) {
          const previous = findings[i - 1];
          if (previous && !out.join('').includes(previous.fingerprint)) late.push(previous.fingerprint);
          yield f;
        }
      },
    };
    return { list, late };
  }

  for (const format of ['json', 'sarif'] as const) {
    it(`${format} writes each finding before it reads the next`, () => {
      const out: string[] = [];
      const { list, late } = watched(richResult().findings, out);
      AUDIT_WRITERS[format]({ ...richResult(), findings: list }, OPTIONS, (chunk) => out.push(chunk));
      expect(late).toEqual([]);
      expect(out.join('')).toBe(AUDIT_REPORTERS[format](richResult(), OPTIONS));
    });
  }
});

describe('streaming writers on 20,000 findings', () => {
  const MiB = 1 << 20;
  const results: Record<string, () => AuditResult> = { 'GPO findings': () => bigResult(20_000), 'users across rules': () => usersAcrossRules(13_333) };

  for (const [name, make] of Object.entries(results)) {
    it(`writes json, sarif and text in pieces under 1 MiB, walking the list once (${name})`, () => {
      const result = listed(make(), true);
      expect(result.findings.length).toBe(20_000);
      const outputs: Partial<Record<AuditFormat, string>> = {};
      for (const format of STREAMING) {
        result.findings.walks = 0;
        const chunks = written(AUDIT_WRITERS[format], result);
        expect(result.findings.walks, format).toBe(1);
        expect(Math.max(...chunks.map((c) => c.length)), format).toBeLessThan(MiB);
        outputs[format] = chunks.join('');
      }
      const json = JSON.parse(outputs.json!) as { findings: Finding[]; summary: { suppressed: number } };
      expect(json.findings).toHaveLength(20_000);
      expect(json.findings.map((f) => f.fingerprint)).toEqual([...make().findings].map((f) => f.fingerprint));
      expect(JSON.parse(outputs.sarif!).runs[0].results).toHaveLength(20_000);
      expect(outputs.text!.split('\n').filter((line) => /^ {2}\[/.test(line))).toHaveLength(20_000);
      expect(outputs.text!).toBe(AUDIT_REPORTERS.text(make(), OPTIONS));
    });
  }
});

describe('writeJsonSpliced', () => {
  const write = (document: unknown, key: string, indent: string, items: unknown[]) => {
    const chunks: string[] = [];
    writeJsonSpliced(document, key, indent, items, (item) => item, (chunk) => chunks.push(chunk));
    return chunks.join('');
  };
  const items = [{ a: [1, { b: 'line\nbreak "quoted"' }], empty: [], none: {} }, 'x', 3, null, [[]]];

  it('gives what JSON.stringify gives for the whole document, the key anywhere in it', () => {
    expect(write({ first: 1, list: [], last: { list: [] } }, 'list', '  ', items)).toBe(JSON.stringify({ first: 1, list: items, last: { list: [] } }, null, 2));
    expect(write({ runs: [{ tool: {}, results: [] }] }, 'results', '      ', items)).toBe(JSON.stringify({ runs: [{ tool: {}, results: items }] }, null, 2));
    expect(write({ list: [] }, 'list', '  ', [])).toBe(JSON.stringify({ list: [] }, null, 2));
  });

  it('takes no key at another depth, nor a string that only looks like one', () => {
    expect(() => write({ inner: { list: [] }, text: '\n  "list": []' }, 'list', '  ', items)).toThrow(/no empty list array/);
  });
});
