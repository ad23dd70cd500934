/**
 * merge-source-not-colocated: MERGE into a distributed table whose source is not Citus tables or is not equi-joined on the target's distribution column.
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/merge-source-not-colocated.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'merge-source-not-colocated',
  summary: "MERGE into a distributed table whose source is not Citus tables or is not equi-joined on the target's distribution column.",
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'To MERGE into a distributed table, source must be Citus table(s)',
});
