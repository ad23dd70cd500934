/**
 * modification-via-coordinator: A subquery or local table in an UPDATE/DELETE is planned separately and its rows pass through the coordinator.
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/modification-via-coordinator.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'modification-via-coordinator',
  summary: 'A subquery or local table in an UPDATE/DELETE is planned separately and its rows pass through the coordinator.',
  defaultSeverity: 'information',
  fixable: false,
});
