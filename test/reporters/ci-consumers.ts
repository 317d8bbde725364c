// What the CI consumers of gpaudit's SARIF and JUnit demand, as checks the tests share (docs/ci-consumers.md):
// the SARIF Multitool with GitHub's and GHAzDO's rule kinds, the shape GitHub code scanning needs beyond them,
// and xmllint with the JUnit schemas of the Jenkins xUnit plugin.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { SaxesParser } from 'saxes';
import type { SarifLog } from '../../src/reporters/sarif.js';
import { validateSarif, type ValidationResult } from './multitool.js';

/**
 * The predefined variables of an Azure Pipelines job, as its agent sets them (values invented). The SARIF
 * reporter reads them for `automationDetails`, which GHAzDO requires.
 */
export const AZURE_PIPELINES_ENV: Readonly<Record<string, string>> = {
  TF_BUILD: 'True',
  SYSTEM_COLLECTIONURI: 'https://dev.azure.com/contoso/',
  SYSTEM_TEAMPROJECTID: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  BUILD_DEFINITIONID: '42',
  BUILD_DEFINITIONNAME: 'gpo-audit',
  SYSTEM_PHASEID: '0e7d2c1b-3a4f-4e5d-9c8b-7a6f5e4d3c2b',
  SYSTEM_PHASENAME: 'Audit',
  BUILD_SOURCEBRANCH: 'refs/heads/main',
  BUILD_BUILDID: '1234',
};

/** Not in a pipeline, whatever the test runner's own environment is (`cli()` sets these for its run only). */
export const NO_PIPELINE_ENV: Readonly<Record<string, string>> = { TF_BUILD: '' };

/** A log written in an Azure Pipelines job: the Multitool's own rules, GitHub's and GHAzDO's. */
export function validateForAllConsumers(file: string): ValidationResult[] {
  return validateSarif(file, { ruleKinds: ['Sarif', 'Gh', 'Ado'] });
}

/** A log written anywhere else (GitHub Actions, a workstation): the Multitool's own rules and GitHub's. */
export function validateForGitHub(file: string): ValidationResult[] {
  return validateSarif(file, { ruleKinds: ['Sarif', 'Gh'] });
}

/**
 * What GitHub code scanning needs beyond the Multitool's GH rules: every result has a location, and every
 * location a physical one (an upload with a location that has only logical ones is rejected whole) with a
 * start line; a Registry.pol location keeps its byte offset and names its setting in the snippet.
 */
export function expectCodeScanningShape(log: SarifLog): void {
  for (const [i, result] of log.runs[0].results.entries()) {
    const where = `results[${i}] (${result.ruleId})`;
    expect(result.locations?.length, where).toBeGreaterThan(0);
    for (const location of result.locations ?? []) {
      expect(location.physicalLocation?.artifactLocation.uri, where).toMatch(/\S/);
      expect(location.physicalLocation?.region?.startLine, where).toBeGreaterThanOrEqual(1);
      if (location.physicalLocation.artifactLocation.uri.toLowerCase().endsWith('registry.pol')) {
        expect(location.physicalLocation.region, where).toMatchObject({ startLine: 1, byteOffset: expect.any(Number), snippet: { text: expect.stringMatching(/ = /) } });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// JUnit

/** The JUnit schemas of the Jenkins xUnit plugin (test/fixtures/junit/README.md says where each comes from). */
export const JUNIT_SCHEMAS = ['jenkins-dtkit-junit-4.xsd'].map((name) => fileURLToPath(new URL(`../fixtures/junit/${name}`, import.meta.url)));

const XMLLINT = 'xmllint';
const INSTALL_HINT = 'apt-get install -y --no-install-recommends libxml2-utils (scripts/install-system-deps.sh)';
export const xmllintAvailable = spawnSync(XMLLINT, ['--version'], { stdio: 'ignore' }).status === 0;
/** Skip the schema checks only where xmllint is missing and this is not CI (CI installs it). */
export const mustRunXmllint = xmllintAvailable || process.env.CI === 'true';
if (!mustRunXmllint) console.warn(`JUnit schema tests skipped: xmllint is missing; install it with: ${INSTALL_HINT}`);

/** `xmllint --noout --schema XSD -` on the document: its messages, none when it validates. */
export function xmllintErrors(xml: string, schema: string): string[] {
  if (!xmllintAvailable) throw new Error(`xmllint is missing; install it with: ${INSTALL_HINT}`);
  const r = spawnSync(XMLLINT, ['--noout', '--schema', schema, '-'], { input: xml, encoding: 'utf8' });
  const lines = r.stderr.split('\n').filter((l) => l && l !== '- validates');
  return r.status === 0 ? lines : lines.length ? lines : [`xmllint exited ${r.status}`];
}

interface Node {
  name: string;
  attributes: Record<string, string>;
  children: Node[];
}

function tree(xml: string): Node {
  const parser = new SaxesParser();
  const root: Node = { name: '#document', attributes: {}, children: [] };
  const stack = [root];
  parser.on('opentag', (tag) => {
    const el: Node = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [] };
    stack.at(-1)!.children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
  return root.children[0]!;
}

export interface JunitCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/**
 * Checks that the counts add up at every level: each <testsuite>'s attributes equal its testcases and their
 * outcomes (one outcome element at most per testcase), and <testsuites>' equal the sums over the suites (it has
 * no `skipped`: the schemas do not allow one there). Returns the totals.
 */
export function expectJunitCountsAddUp(xml: string): JunitCounts {
  const doc = tree(xml);
  expect(doc.name).toBe('testsuites');
  const total: JunitCounts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const suite of doc.children) {
    expect(suite.name).toBe('testsuite');
    const cases = suite.children.filter((c) => c.name === 'testcase');
    const outcome = (kind: string) => cases.filter((c) => c.children.some((x) => x.name === kind)).length;
    for (const c of cases) expect(c.children.filter((x) => ['failure', 'error', 'skipped'].includes(x.name)).length).toBeLessThanOrEqual(1);
    const counted = { tests: cases.length, failures: outcome('failure'), errors: outcome('error'), skipped: outcome('skipped') };
    const given = { tests: Number(suite.attributes.tests), failures: Number(suite.attributes.failures), errors: Number(suite.attributes.errors), skipped: Number(suite.attributes.skipped) };
    expect(given, suite.attributes.name).toEqual(counted);
    for (const k of Object.keys(total) as (keyof JunitCounts)[]) total[k] += counted[k];
  }
  expect({ tests: Number(doc.attributes.tests), failures: Number(doc.attributes.failures), errors: Number(doc.attributes.errors) }).toEqual({
    tests: total.tests,
    failures: total.failures,
    errors: total.errors,
  });
  expect(doc.attributes).not.toHaveProperty('skipped');
  return total;
}
