/**
 * reference-outer-join: A reference (or recurring) relation on the outer side of an outer join with a distributed table.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/reference-outer-join.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'reference-outer-join',
  summary: 'A reference (or recurring) relation on the outer side of an outer join with a distributed table.',
  defaultSeverity: 'warning',
  fixable: false,
  citusMessage: 'cannot perform a lateral outer join when a distributed subquery references a reference table',
});
