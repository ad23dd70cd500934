/**
 * on-conflict-modifies-dist-column: ON CONFLICT DO UPDATE assigns the distribution column something other than itself.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/on-conflict-modifies-dist-column.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'on-conflict-modifies-dist-column',
  summary: 'ON CONFLICT DO UPDATE assigns the distribution column something other than itself.',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'modifying the partition value of rows is not allowed',
});
