/**
 * subquery-blocks-pushdown: Another construct Citus cannot push down (a CTE list, FOR UPDATE, mutable FROM functions, large VALUES...).
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/subquery-blocks-pushdown.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'subquery-blocks-pushdown',
  summary: 'Another construct Citus cannot push down (a CTE list, FOR UPDATE, mutable FROM functions, large VALUES...).',
  defaultSeverity: 'information',
  fixable: false,
  citusMessage: 'cannot push down this subquery',
});
