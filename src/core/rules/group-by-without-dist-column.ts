/**
 * group-by-without-dist-column: GROUP BY without the distribution column merges groups on the coordinator.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/group-by-without-dist-column.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'group-by-without-dist-column',
  summary: 'GROUP BY without the distribution column merges groups on the coordinator.',
  defaultSeverity: 'warning',
  fixable: true,
  citusMessage: 'Group by list without partition column is currently unsupported when a subquery references a column from another query',
});
