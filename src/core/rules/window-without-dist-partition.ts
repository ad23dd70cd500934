/**
 * window-without-dist-partition: A window function whose PARTITION BY lacks the distribution column runs on the coordinator.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/window-without-dist-partition.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'window-without-dist-partition',
  summary: 'A window function whose PARTITION BY lacks the distribution column runs on the coordinator.',
  defaultSeverity: 'warning',
  fixable: true,
  citusMessage: 'Window functions with PARTITION BY list missing distribution column is currently unsupported',
});
