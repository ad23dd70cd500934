/**
 * unknown-table: A table that no DDL, snapshot or cluster defines: no method is predicted.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/unknown-table.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'unknown-table',
  summary: 'A table that no DDL, snapshot or cluster defines: no method is predicted.',
  defaultSeverity: 'warning',
  fixable: true,
});
