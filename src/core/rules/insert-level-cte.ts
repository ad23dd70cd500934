/**
 * insert-level-cte: A CTE written before INSERT is never inlined, so the statement is not pushed down.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/insert-level-cte.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'insert-level-cte',
  summary: 'A CTE written before INSERT is never inlined, so the statement is not pushed down.',
  defaultSeverity: 'information',
  fixable: true,
  citusMessage: 'distributed INSERT ... SELECT can only select from distributed tables',
});
