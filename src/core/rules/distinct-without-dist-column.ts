/**
 * distinct-without-dist-column: DISTINCT / DISTINCT ON without the distribution column deduplicates on the coordinator.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/distinct-without-dist-column.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'distinct-without-dist-column',
  summary: 'DISTINCT / DISTINCT ON without the distribution column deduplicates on the coordinator.',
  defaultSeverity: 'warning',
  fixable: true,
  citusMessage: 'Distinct on columns without partition column is currently unsupported',
});
