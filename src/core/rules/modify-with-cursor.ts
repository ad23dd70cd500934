/**
 * modify-with-cursor: UPDATE/DELETE .. WHERE CURRENT OF on a Citus table (Citus refuses it). Findings come from the DML
 * predictor (src/core/planner/dml.ts); docs/rules/modify-with-cursor.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'modify-with-cursor',
  summary: 'UPDATE/DELETE .. WHERE CURRENT OF a cursor on a distributed, reference or citus-local table (Citus refuses it).',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'cannot run DML queries with cursors',
});
