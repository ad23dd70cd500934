/**
 * aggregate-without-group-by: An aggregate (or HAVING) without GROUP BY needs one result over all shards.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/aggregate-without-group-by.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'aggregate-without-group-by',
  summary: 'An aggregate (or HAVING) without GROUP BY needs one result over all shards.',
  defaultSeverity: 'warning',
  fixable: false,
  citusMessage: 'Aggregates without group by are currently unsupported when a subquery references a column from another query',
});
