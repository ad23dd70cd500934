/**
 * select-without-distributed-table: The SELECT reads no distributed table (generate_series, VALUES, constants): it runs on the coordinator.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/select-without-distributed-table.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'select-without-distributed-table',
  summary: 'The SELECT reads no distributed table (generate_series, VALUES, constants): it runs on the coordinator.',
  defaultSeverity: 'warning',
  fixable: false,
  citusMessage: 'distributed INSERT ... SELECT can only select from distributed tables',
});
