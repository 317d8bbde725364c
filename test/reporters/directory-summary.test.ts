import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { DirectoryScanSummary } from '../../src/model/directory.js';
import { jsonAuditReporter } from '../../src/reporters/audit-json.js';
import { directorySummaryLine } from '../../src/reporters/directory-summary.js';
import { emptyResult } from './fixture.js';

const DIRECTORY: DirectoryScanSummary = {
  server: 'ldaps://dc1.corp.example:636',
  baseDn: 'DC=corp,DC=example',
  filter: '(&(objectCategory=person)(objectClass=user))',
  entriesRead: 1234,
  inScope: 1200,
  pages: 2,
  elapsedMs: 3421,
};

describe('directorySummaryLine', () => {
  it('says what the directory scan read: server, base DN, entries read and in scope, pages, seconds', () => {
    expect(directorySummaryLine(DIRECTORY)).toBe(
      'Directory: 1,234 entries read from ldaps://dc1.corp.example:636 (base DC=corp,DC=example), 1,200 in scope, 2 pages, 3.4 s',
    );
  });

  it('uses the singular for one, and counts large directories with separators', () => {
    expect(directorySummaryLine({ ...DIRECTORY, entriesRead: 1, inScope: 1, pages: 1, elapsedMs: 40 })).toBe(
      'Directory: 1 entry read from ldaps://dc1.corp.example:636 (base DC=corp,DC=example), 1 in scope, 1 page, 0.0 s',
    );
    expect(directorySummaryLine({ ...DIRECTORY, entriesRead: 0, inScope: 0, pages: 1 })).toContain('0 entries read');
    expect(directorySummaryLine({ ...DIRECTORY, entriesRead: 1_250_000, inScope: 1_249_999, pages: 1250, elapsedMs: 1_234_567 })).toBe(
      'Directory: 1,250,000 entries read from ldaps://dc1.corp.example:636 (base DC=corp,DC=example), 1,249,999 in scope, 1,250 pages, 1,234.6 s',
    );
  });

  it('shows control characters a server put in its naming context escaped', () => {
    expect(directorySummaryLine({ ...DIRECTORY, baseDn: 'DC=evil\x1b[2J,DC=test\n' })).toContain('(base DC=evil\\x1b[2J,DC=test\\n)');
  });
});

describe('JSON output of a directory scan', () => {
  const schema = JSON.parse(readFileSync('schemas/audit-output.schema.json', 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it('carries the directory summary, and the schema knows it', () => {
    const doc = JSON.parse(jsonAuditReporter({ ...emptyResult(), directory: DIRECTORY }, { color: false }));
    expect(doc.directory).toEqual(DIRECTORY);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    delete doc.directory.pages;
    expect(validate(doc)).toBe(false);
  });

  it('has no directory member for a GPO audit', () => {
    expect(JSON.parse(jsonAuditReporter(emptyResult(), { color: false }))).not.toHaveProperty('directory');
  });
});
