// The audit's work on one unit, wherever the unit is read (read-estate-pool.ts): the rules are evaluated where the
// settings are, and only the findings and flags (an EvaluatorPart) cross back to the main thread.
import { Evaluator, type EvaluatorPart } from '../engine/evaluate.js';
import type { GpoFact } from '../model/gpo-health.js';
import type { NormalisedUnit } from '../model/unit.js';
import { reportHealthFacts } from '../policy/health.js';
import type { Rule } from '../rules/types.js';
import type { UnitTask } from '../model/unit-task.js';

export interface AuditTaskInit {
  rules: Rule[];
}

export function createUnitTask(init: AuditTaskInit): (unit: NormalisedUnit) => EvaluatorPart {
  const evaluator = new Evaluator(init.rules);
  return (unit) => {
    evaluateUnit(evaluator, unit);
    return evaluator.takePart();
  };
}

/** What an audit does with each unit: its settings, and its GPO reports' own versions as health facts. */
export function evaluateUnit(evaluator: Evaluator, unit: NormalisedUnit): void {
  evaluator.addUnit(unit);
  evaluator.addGpoFacts(reportFactsOf(unit));
}

export function auditUnitTask(rules: Rule[]): UnitTask<AuditTaskInit, EvaluatorPart> {
  return { module: new URL('./audit-unit-task.js', import.meta.url).href, init: { rules }, create: createUnitTask };
}

/** A GPO report's own versions (directory against SYSVOL) as health facts, one per GPO the unit's reports describe. */
function reportFactsOf(unit: NormalisedUnit): GpoFact[] {
  const facts: GpoFact[] = [];
  for (const group of unit.gpos) {
    const report = group.info?.sources.find((s) => s.format === 'gpo-report');
    const fact = report && group.info ? reportHealthFacts(group.info, report.file) : undefined;
    if (fact) facts.push(fact);
  }
  return facts;
}
