// Evaluator.takePart and merge (src/engine/evaluate.ts): the worker pool evaluates each unit in a worker's own
// evaluator and merges the parts in reading order. Merged, they must give exactly what one evaluator gives, here
// checked in-process (no workers) on every sample and on the real corpus, with whole findings compared.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../../src/admx/load.js';
import { Evaluator, isDirectoryGpoRule, isDirectoryRule } from '../../src/engine/evaluate.js';
import { evaluateUnit } from '../../src/audit/audit-unit-task.js';
import type { NormalisedUnit } from '../../src/model/unit.js';
import { readEstate } from '../../src/pipeline/read-estate.js';
import { loadRuleSet } from '../../src/rules/load.js';
import { describeCorpus, REALDATA } from '../helpers/realdata.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const rules = loadRuleSet([]).ruleSet!.rules.filter((r) => !isDirectoryRule(r) && !isDirectoryGpoRule(r));

function unitsOf(path: string): NormalisedUnit[] {
  const units: NormalisedUnit[] = [];
  readEstate([path], { catalog: builtinCatalog(), cwd: ROOT }, (u) => units.push(u));
  return units;
}

/** One evaluator over every unit, against one per-unit part each, merged in order (parts cloned as a worker's are). */
function bothWays(units: NormalisedUnit[]) {
  const whole = new Evaluator(rules);
  for (const u of units) evaluateUnit(whole, u);
  const worker = new Evaluator(rules);
  const merged = new Evaluator(rules);
  for (const u of units) {
    evaluateUnit(worker, u);
    merged.merge(structuredClone(worker.takePart()));
  }
  return { whole: whole.finish(), merged: merged.finish() };
}

describe('Evaluator parts merged in reading order', () => {
  it.each([['samples/broken'], ['samples/clean'], ['samples']])('%s: the same findings, locations and not-evaluated entries', (dir) => {
    const units = unitsOf(join(ROOT, dir));
    expect(units.length).toBeGreaterThan(5);
    const { whole, merged } = bothWays(units);
    expect(merged).toEqual(whole);
    if (dir !== 'samples/clean') expect(whole.findings.length).toBeGreaterThan(10);
  });

  it('a GPO met in two units keeps one finding with both units\' locations, in reading order', () => {
    const units = unitsOf(join(ROOT, 'samples', 'broken'));
    // The same units twice over: every finding's GPO is met again, so every location must be merged, not duplicated.
    const { whole, merged } = bothWays([...units, ...units.map((u) => structuredClone(u))]);
    expect(merged).toEqual(whole);
    const once = bothWays(units).whole;
    expect(merged.findings.length).toBe(once.findings.length);
  });

  it('takePart starts afresh: a second part holds only what came after the first', () => {
    const units = unitsOf(join(ROOT, 'samples', 'broken'));
    const e = new Evaluator(rules);
    evaluateUnit(e, units[0]!);
    const first = e.takePart();
    const empty = e.takePart();
    expect(first.configured.length + first.findings.length + first.formatsRead.length).toBeGreaterThan(0);
    expect(empty).toEqual({ findings: [], notEvaluated: [], configured: [], formatsRead: [], factsRead: [] });
  });
});

describeCorpus('Evaluator parts on the real corpus', () => {
  it('merged per-unit parts equal one evaluator over the whole corpus (unread extensions deduped across units)', () => {
    const units = unitsOf(REALDATA);
    const { whole, merged } = bothWays(units);
    expect(whole.notEvaluated.length).toBeGreaterThan(0);
    expect(merged).toEqual(whole);
    // Met twice (the same files in two units), each unread-extension entry is still noted once.
    const twice = bothWays([...units, ...units.map((u) => structuredClone(u))]);
    expect(twice.merged).toEqual(twice.whole);
    expect(twice.whole.notEvaluated.length).toBe(whole.notEvaluated.length);
  }, 120_000);
});
