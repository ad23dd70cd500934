/**
 * set-operation-blocks-pushdown: A top-level UNION / UNION ALL, or INTERSECT / EXCEPT, keeps the statement from pushdown.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/set-operation-blocks-pushdown.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'set-operation-blocks-pushdown',
  summary: 'A top-level UNION / UNION ALL, or INTERSECT / EXCEPT, keeps the statement from pushdown.',
  defaultSeverity: 'information',
  fixable: true,
  citusMessage: 'complex joins are only supported when all distributed tables are co-located and joined on their distribution columns',
});
