/**
 * local-table-in-select: A plain PostgreSQL table (or citus-local table, materialized view, local target) takes part, so rows go through the coordinator.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/local-table-in-select.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'local-table-in-select',
  summary: 'A plain PostgreSQL table (or citus-local table, materialized view, local target) takes part, so rows go through the coordinator.',
  defaultSeverity: 'warning',
  fixable: false,
  citusMessage: 'distributed INSERT ... SELECT cannot select from distributed tables and local tables at the same time',
});
