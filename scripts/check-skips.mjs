#!/usr/bin/env node
// Under CI every skipped test must be on .ci/allowed-skips.txt: a test that silently skips (a missing package, a
// browser or DC that did not start) would otherwise read as a pass. Reads vitest's JSON report.
//   node scripts/check-skips.mjs <vitest-report.json> [allowed-skips.txt]
import { readFileSync } from 'node:fs';

const [report, allowedFile = '.ci/allowed-skips.txt'] = process.argv.slice(2);
if (!report) {
  console.error('usage: check-skips.mjs <vitest-report.json> [allowed-skips.txt]');
  process.exit(2);
}
const allowed = readFileSync(allowedFile, 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const doc = JSON.parse(readFileSync(report, 'utf8'));
const skipped = doc.testResults.flatMap((file) =>
  file.assertionResults.filter((t) => t.status === 'skipped' || t.status === 'pending' || t.status === 'todo').map((t) => `${file.name.replace(`${process.cwd()}/`, '')} > ${t.fullName}`),
);
const unexpected = skipped.filter((name) => !allowed.some((a) => name.includes(a)));
const unused = allowed.filter((a) => !skipped.some((name) => name.includes(a)));
for (const name of skipped) console.error(`check-skips: ${unexpected.includes(name) ? 'NOT ALLOWED' : 'allowed'}: ${name}`);
for (const a of unused) console.error(`check-skips: note: allowed skip not seen in this run: ${a}`);
if (unexpected.length > 0) {
  console.error(`check-skips: ${unexpected.length} skipped test(s) not on ${allowedFile}: under CI every test runs or its skip is written down there`);
  process.exit(1);
}
console.error(`check-skips: ${skipped.length} skipped, all on ${allowedFile}`);
