/**
 * grouping-sets-unsupported: GROUPING SETS, CUBE, ROLLUP and GROUPING() are refused on distributed tables across shards.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/grouping-sets-unsupported.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'grouping-sets-unsupported',
  summary: 'GROUPING SETS, CUBE, ROLLUP and GROUPING() are refused on distributed tables across shards.',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'could not run distributed query with GROUPING SETS, CUBE, or ROLLUP',
});
