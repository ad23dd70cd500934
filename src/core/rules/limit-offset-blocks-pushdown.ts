/**
 * limit-offset-blocks-pushdown: LIMIT, OFFSET or FETCH (or ORDER BY once pushdown failed) makes Citus pull the rows to the coordinator.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/limit-offset-blocks-pushdown.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'limit-offset-blocks-pushdown',
  summary: 'LIMIT, OFFSET or FETCH (or ORDER BY once pushdown failed) makes Citus pull the rows to the coordinator.',
  defaultSeverity: 'warning',
  fixable: false,
  citusMessage: 'Limit clause is currently unsupported when a subquery references a column from another query',
});
