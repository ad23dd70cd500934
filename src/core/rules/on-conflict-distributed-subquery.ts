/**
 * on-conflict-distributed-subquery: A subquery over a distributed table in DO UPDATE SET fails on the shards.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/on-conflict-distributed-subquery.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'on-conflict-distributed-subquery',
  summary: 'A subquery over a distributed table in DO UPDATE SET fails on the shards.',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'cannot execute a distributed query from a query on a shard',
});
