/**
 * insert-target-subscript: an INSERT..SELECT into a Citus table assigns an array element or a composite
 * field in its column list (`INSERT INTO t (tags[1], ...)`), which Citus cannot plan on any path.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/insert-target-subscript.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'insert-target-subscript',
  summary: 'An INSERT..SELECT into a Citus table assigns an array element or a composite field in its column list.',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'cannot plan distributed INSERT INTO ... SELECT query',
});
