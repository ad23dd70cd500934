/**
 * update-modifies-dist-column: UPDATE assigns the distribution column a new value (rows cannot move between shards).
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/update-modifies-dist-column.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'update-modifies-dist-column',
  summary: 'UPDATE assigns the distribution column a new value (rows cannot move between shards).',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'modifying the partition value of rows is not allowed',
});
