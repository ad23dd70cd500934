/**
 * tables-not-colocated: The target and the SELECT's distributed tables are not in one colocation group.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/tables-not-colocated.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'tables-not-colocated',
  summary: "The target and the SELECT's distributed tables are not in one colocation group.",
  defaultSeverity: 'information',
  fixable: false,
  citusMessage: 'INSERT target relation and all source relations of the SELECT must be colocated in distributed INSERT ... SELECT',
});
