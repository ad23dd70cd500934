/**
 * multi-task-query: A statement that runs as more than one task while citus.multi_task_query_log_level is
 * error: Citus refuses it. Findings come from the predictors (src/core/planner/); docs/rules/multi-task-query.md
 * explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'multi-task-query',
  summary: 'A statement that runs as more than one task while citus.multi_task_query_log_level is error: Citus refuses it.',
  defaultSeverity: 'error',
  fixable: false,
});
