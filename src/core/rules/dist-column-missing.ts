/**
 * dist-column-missing: The target's distribution column is not in the INSERT column list: every row fails.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/dist-column-missing.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'dist-column-missing',
  summary: "The target's distribution column is not in the INSERT column list: every row fails.",
  defaultSeverity: 'error',
  fixable: true,
  citusMessage: 'the partition column of table <t> should have a value',
});
