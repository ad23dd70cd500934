/**
 * nested-distributed-query: a user function whose body queries a Citus table, called where Citus runs it on the
 * shards: Citus refuses the nested distributed query there, for the first row that calls it. Findings come from the
 * predictors (src/core/planner/nestedQuery.ts); docs/rules/nested-distributed-query.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'nested-distributed-query',
  summary: 'A function whose body queries a Citus table, called where Citus runs it on the shards: each call there is a distributed query from a query on a shard, which Citus refuses.',
  defaultSeverity: 'warning',
  fixable: false,
});
