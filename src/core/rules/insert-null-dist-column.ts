/**
 * insert-null-dist-column: INSERT .. VALUES with NULL (or a DEFAULT that is NULL) in the distribution column; also
 * the rows PostgreSQL refuses whatever the data (NULL in a NOT NULL column, a failed CHECK, a partition key no partition
 * takes).
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/insert-null-dist-column.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'insert-null-dist-column',
  summary: 'INSERT .. VALUES with NULL (or a DEFAULT that is NULL) in the distribution column.',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'cannot perform an INSERT with NULL in the partition column',
});
