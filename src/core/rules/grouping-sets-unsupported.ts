/**
 * grouping-sets-unsupported: GROUPING SETS, CUBE and ROLLUP are refused on distributed tables.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/grouping-sets-unsupported.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'grouping-sets-unsupported',
  summary: 'GROUPING SETS, CUBE and ROLLUP are refused on distributed tables.',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'could not run distributed query with GROUPING SETS, CUBE, or ROLLUP',
});
