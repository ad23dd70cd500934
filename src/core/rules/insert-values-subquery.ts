/**
 * insert-values-subquery: A subquery, or a set-returning function, inside INSERT .. VALUES on a Citus table: rewrite it as
 * INSERT .. SELECT.
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/insert-values-subquery.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'insert-values-subquery',
  summary: 'A subquery, or a set-returning function, inside INSERT .. VALUES on a Citus table: rewrite it as INSERT .. SELECT.',
  defaultSeverity: 'error',
  fixable: true,
  citusMessage: 'subqueries are not supported within INSERT queries',
});
