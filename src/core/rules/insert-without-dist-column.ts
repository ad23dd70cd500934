/**
 * insert-without-dist-column: INSERT .. VALUES into a distributed table without its distribution column (Citus refuses it).
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/insert-without-dist-column.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'insert-without-dist-column',
  summary: 'INSERT .. VALUES into a distributed table without its distribution column (Citus refuses it).',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'cannot perform an INSERT without a partition column value',
});
