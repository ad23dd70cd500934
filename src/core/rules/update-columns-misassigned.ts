/**
 * update-columns-misassigned: `UPDATE .. SET (a, b) = (SELECT ..)` on a Citus table whose SET list Citus 13.2 deparses
 * for the shards in another order than the sub-SELECT's columns: the shard refuses it (a type error) or, worse, writes
 * the values into the wrong columns. Findings come from the DML predictor (src/core/planner/multi-assign.ts);
 * docs/rules/update-columns-misassigned.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'update-columns-misassigned',
  summary: "UPDATE .. SET (a, b) = (SELECT ..) on a Citus table that Citus deparses with the columns in another order: a type error on the shard, or values written into the wrong columns.",
  defaultSeverity: 'error',
  fixable: false,
});
