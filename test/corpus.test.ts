import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { expect, it } from 'vitest';
import { detectFormat } from '../src/pipeline/detect.js';
import { PARSERS } from '../src/parsers/index.js';
import { corpusFiles, describeCorpus, REALDATA } from './helpers/realdata.js';

// Files in the corpus that are not Group Policy exports at all (licences, the corpus's own index, another
// tool's JSON, LGPO text, STIG package notes). Anything else that is not recognised fails the test.
const NOT_GPO_EXPORTS = [/LICENSE(\.md)?$/i, /README\.md$/, /provenance\.csv$/, /policy\.json$/, /\.txt$/i];

describeCorpus('every real export under shared/realdata', () => {
  const files = corpusFiles();

  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(500);
  });

  it('parses every supported file without an error and recognises the unsupported ones', () => {
    const failures: string[] = [];
    const unknown: string[] = [];
    const counts: Record<string, number> = {};
    for (const path of files) {
      const rel = relative(REALDATA, path);
      const bytes = readFileSync(path);
      const detection = detectFormat(bytes, basename(path));
      const label = detection.kind === 'supported' ? detection.format : detection.kind === 'unsupported' ? `unsupported: ${detection.what}` : 'unknown';
      counts[label] = (counts[label] ?? 0) + 1;
      if (detection.kind === 'unknown') {
        if (!NOT_GPO_EXPORTS.some((re) => re.test(rel))) unknown.push(`${rel}: ${detection.why}`);
        continue;
      }
      if (detection.kind === 'unsupported') continue;
      const result = PARSERS[detection.format](bytes, { file: rel, hive: 'HKLM' });
      const errors = result.problems.filter((p) => p.severity === 'error');
      if (errors.length > 0) failures.push(`${rel}: ${errors.map((e) => e.message).join('; ')}`);
    }
    expect(failures).toEqual([]);
    expect(unknown).toEqual([]);
    // The kinds the corpus README counts must all be recognised as such.
    expect(counts['registry-pol']).toBe(82);
    expect(counts['gpo-report']).toBe(80);
    expect(counts['rsop']).toBe(2);
    expect(counts['unsupported: HTML report']).toBe(32);
    // 23 audit.csv files in GPOs plus one stand-alone auditbaseline.csv of the same format.
    expect(counts['unsupported: advanced audit policy (audit.csv)']).toBe(24);
    expect(counts['unsupported: zip archive']).toBe(2);
  });
});
