/**
 * ctid-subquery-modification: UPDATE/DELETE .. WHERE ctid IN (SELECT ..) on a distributed table (Citus refuses it).
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/ctid-subquery-modification.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'ctid-subquery-modification',
  summary: 'UPDATE/DELETE .. WHERE ctid IN (SELECT ..) on a distributed table (Citus refuses it).',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'cannot perform distributed planning for the given modification',
});
