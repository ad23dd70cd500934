/**
 * reference-target-from-distributed: A reference table filled from non-reference tables is pulled through the coordinator.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/reference-target-from-distributed.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'reference-target-from-distributed',
  summary: 'A reference table filled from non-reference tables is pulled through the coordinator.',
  defaultSeverity: 'warning',
  fixable: false,
  citusMessage: 'only reference tables may be queried when targeting a reference table with distributed INSERT ... SELECT',
});
