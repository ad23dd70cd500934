/**
 * dist-column-not-preserved: An expression, constant, cast, other column or another type sits in the distribution column's position.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/dist-column-not-preserved.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'dist-column-not-preserved',
  summary: "An expression, constant, cast, other column or another type sits in the distribution column's position.",
  defaultSeverity: 'information',
  fixable: false,
  citusMessage: 'cannot perform distributed INSERT INTO ... SELECT because the partition columns in the source table and subquery do not match',
});
