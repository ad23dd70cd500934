/**
 * volatile-function: A volatile function (random(), clock_timestamp(), a volatile default) blocks pushdown.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/volatile-function.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'volatile-function',
  summary: 'A volatile function (random(), clock_timestamp(), a volatile default) blocks pushdown.',
  defaultSeverity: 'information',
  fixable: false,
  citusMessage: 'volatile functions are not allowed in distributed INSERT ... SELECT queries',
});
