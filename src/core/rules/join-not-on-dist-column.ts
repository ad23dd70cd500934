/**
 * join-not-on-dist-column: Distributed tables joined on other columns than their distribution columns (Citus refuses: the join requires repartitioning).
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/join-not-on-dist-column.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'join-not-on-dist-column',
  summary: 'Distributed tables joined on other columns than their distribution columns (Citus refuses: the join requires repartitioning).',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'the query contains a join that requires repartitioning',
});
