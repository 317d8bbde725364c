import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { readBaseline } from '../../src/audit/baseline.js';
import { AUDIT_SCHEMA_ID, jsonAuditReporter } from '../../src/reporters/audit-json.js';
import { emptyResult, FINDINGS, richResult } from './fixture.js';

const schema = JSON.parse(readFileSync('schemas/audit-output.schema.json', 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const render = (r = richResult()) => JSON.parse(jsonAuditReporter(r, { color: false }));

describe('JSON audit reporter', () => {
  it('writes documents that validate against schemas/audit-output.schema.json', () => {
    for (const doc of [render(), render(emptyResult())]) expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
  });

  it('is checked by a schema that rejects what it should', () => {
    const noFingerprint = render();
    delete noFingerprint.findings[0].fingerprint;
    expect(validate(noFingerprint)).toBe(false);
    const badSeverity = render();
    badSeverity.findings[0].severity = 'severe';
    expect(validate(badSeverity)).toBe(false);
    const extra = render();
    extra.summary.surprise = 1;
    expect(validate(extra)).toBe(false);
  });

  it('carries the header, every finding field, the public rule fields and the summary', () => {
    const doc = render();
    expect(doc.$schema).toBe(AUDIT_SCHEMA_ID);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.tool).toEqual({ name: 'gpaudit', version: '0.1.0' });
    expect(doc.findings).toEqual(FINDINGS);
    expect(doc.rules[1]).toEqual({
      id: 'workspaces-logon-banner',
      title: 'An interactive logon message (logon banner) is set',
      severity: 'high',
      tags: ['workspaces', 'logon'],
      rationale: 'A logon banner puts a dialog in front of the Windows sign-in that the WorkSpaces client cannot answer.',
      remediation: 'Set "Interactive logon: Message title" to Not Defined and remove LegalNoticeCaption under HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon.',
      references: [
        { title: 'WorkSpaces troubleshooting: logon banner', url: 'https://docs.aws.amazon.com/workspaces/latest/adminguide/amazon-workspaces-troubleshooting.html#logon_banner' },
        { title: 'Shipped notes', doc: 'workspaces-guidance.md' },
      ],
    });
    expect(doc.notEvaluated).toHaveLength(7);
    expect(doc.inputs).toHaveLength(7);
    expect(doc.problems.map((p: { code: string }) => p.code)).toEqual(['unsupported-format', 'skipped-entry', 'truncated']);
    expect(doc.baseline).toEqual({ file: 'baseline.json', known: 2 });
    expect(doc.summary).toEqual({
      findings: { critical: 1, high: 1, medium: 1, low: 1, info: 0 },
      suppressed: 1,
      notEvaluated: 7,
      files: { total: 7, read: 5, failed: 1, unsupported: 1, unknown: 0 },
      failOn: 'medium',
      exitCode: 2,
    });
  });

  it('leaves out baseline when none was given', () => {
    expect(Object.keys(render(emptyResult()))).toEqual(['$schema', 'schemaVersion', 'tool', 'rules', 'findings', 'notEvaluated', 'inputs', 'problems', 'notices', 'summary']);
  });

  describe('as a --baseline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpaudit-json-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('gives back every fingerprint, suppressed findings included', () => {
      const file = join(dir, 'report.json');
      writeFileSync(file, jsonAuditReporter(richResult(), { color: false }));
      expect([...readBaseline(file)].sort()).toEqual(FINDINGS.map((f) => f.fingerprint).sort());
    });
  });
});

describe('schemas/audit-output.schema.json', () => {
  it('is what the AuditOutput type generates (run `npm run schema` after changing the model)', () => {
    const fresh = execFileSync(
      'npx',
      ['ts-json-schema-generator', '--path', 'src/reporters/audit-output-types.ts', '--type', 'AuditOutput', '--tsconfig', 'tsconfig.build.json', '--no-top-ref'],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(fresh)).toEqual(schema);
  });
});
