/**
 * dml-join-not-colocated: UPDATE .. FROM / DELETE .. USING / IN (SELECT ..) with a table that is not colocated or not joined on the distribution column.
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/dml-join-not-colocated.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'dml-join-not-colocated',
  summary: 'UPDATE .. FROM / DELETE .. USING / IN (SELECT ..) with a table that is not colocated or not joined on the distribution column.',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'cannot push down this subquery',
});
